/* sbox export NAME FILE|-: one archive with everything a container is. */
#include "cli/cli.h"
#include "cli/container_out.h"
#include "cli/worker.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_export_usage[] =
	"usage: sbox export NAME FILE|- [--quiet]\n"
	"\n"
	"Writes a tar archive with metadata.plist, definition.json, Data/ and\n"
	"root/, keeping modes, times, symlinks and hard links. FILE ending in\n"
	".tar.gz/.tgz, .tar.zst/.tzst or .tar.xz/.txz is compressed; any other\n"
	"extension than those and .tar is refused. \"-\" writes an uncompressed\n"
	"tar to standard output (sbox export web - | gzip >web.tar.gz).\n"
	"On a terminal a line shows the progress. Interrupted, it leaves no\n"
	"partial file.\n";

struct export_job {
	unsigned quiet;
	struct container_store *st;
	const char *name, *file;
	struct sbox_err err;
};

static const struct cli_opt export_opts[] = {
	{ "quiet", 'q', NULL, cli_set_flag, 1,
	  "no progress line (there is none when standard error is not a"
	  " terminal)" },
	CLI_OPT_END,
};

static int
export_work(void *arg)
{
	struct export_job *j = arg;

	return container_export(j->st, j->name, j->file, &j->err) < 0 ?
	       -1 : EXIT_OK;
}

static int
export_finish(void *arg, int rc)
{
	struct export_job *j = arg;

	if (rc < 0)
		return cli_report(&j->err);
	if (strcmp(j->file, "-"))
		printf("exported '%s' to %s\n", j->name, j->file);
	return EXIT_OK;
}

/* the half-written archive of the killed child */
static void
export_cleanup(void *arg, pid_t child)
{
	struct export_job *j = arg;
	char *tmp;

	if (!strcmp(j->file, "-"))
		return;
	tmp = container_export_tmp_path(j->file, (long)child);
	unlink(tmp);
	free(tmp);
}

/*
 * Bytes the exporting sbox has written so far: the archive is an unnamed
 * file (O_TMPFILE) where the file system allows it, so on Linux its
 * count of written bytes (/proc/PID/io "wchar", proc(5)); elsewhere the
 * size of the named temporary file. -1 when neither can be read.
 */
static double
bytes_written(const char *file, pid_t pid)
{
	char path[64], line[128];
	char *tmp = container_export_tmp_path(file, (long)pid);
	struct stat st;
	double n = -1;
	FILE *f;

	if (stat(tmp, &st) == 0)
		n = (double)st.st_size;
	free(tmp);
	snprintf(path, sizeof(path), "/proc/%ld/io", (long)pid);
	f = n < 0 ? fopen(path, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "wchar:", 6))
			n = strtod(line + 6, NULL);
	if (f)
		fclose(f);
	return n;
}

static int
export_progress(void *arg, pid_t pid, double secs, char *line, size_t len)
{
	struct export_job *j = arg;
	double n = bytes_written(j->file, pid);
	char size[32];

	if (secs < 0.2)
		return 0;
	if (n < 0) {
		snprintf(line, len, "exporting '%s' (%.0f s)", j->name, secs);
		return 1;
	}
	cli_format_bytes(n, size, sizeof(size));
	snprintf(line, len, "exporting '%s': %s written (%.0f s)", j->name,
		 size, secs);
	return 1;
}

/* Is the archive name one export writes as named? */
static int
known_extension(const char *path)
{
	static const char *const exts[] = { ".tar", ".tar.gz", ".tgz",
		".tar.zst", ".tzst", ".tar.xz", ".txz", NULL };
	const char *base = strrchr(path, '/');
	size_t n = strlen(path);

	base = base ? base + 1 : path;
	if (!strchr(base, '.'))
		return 1; /* no extension: a plain tar, as asked */
	for (size_t i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && !strcmp(path + n - e, exts[i]))
			return 1;
	}
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	struct export_job job = { 0, NULL, NULL, NULL, SBOX_ERR_INIT };
	const struct cli_optgroup groups[] = { { export_opts, &job },
					       { NULL, NULL } };
	struct cli_worker worker = { export_work, export_finish, &job,
				     export_cleanup, export_progress, NULL, 0 };
	struct container_store st = CONTAINER_STORE_INIT;
	struct cli_args a;
	const char *file;
	int rc;

	rc = cli_parse("export", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 2)
		rc = cli_usage_error("export", "expected NAME and FILE (or - for "
				     "standard output)");
	if (rc != CLI_CONTINUE)
		goto out_args;
	file = a.pos[1];
	if (strcmp(file, "-") && !known_extension(file)) {
		rc = cli_usage_error("export", "cannot write '%s': sbox writes "
				     "tar archives (.tar, .tar.gz, .tgz, .tar.zst, "
				     ".tar.xz)", file);
		goto out_args;
	}
	if (!strcmp(file, "-") && isatty(STDOUT_FILENO)) {
		rc = cli_usage_error("export", "not writing an archive to a "
				     "terminal; redirect standard output");
		goto out_args;
	}
	rc = container_out_open_store(&st);
	if (rc)
		goto out_args;
	job.st = &st;
	job.name = a.pos[0];
	job.file = file;
	worker.show_progress = strcmp(file, "-") &&
			       cli_progress_wanted((int)job.quiet);
	rc = cli_worker_run(&worker);
	container_store_release(&st);
out_args:
	cli_args_release(&a);
	return rc;
}
