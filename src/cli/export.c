/* sbox export NAME FILE|-: one archive with everything a container is. */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char cmd_export_usage[] =
	"usage: sbox export NAME FILE|-\n"
	"\n"
	"Writes a tar archive with metadata.plist, definition.json, Data/ and\n"
	"root/, keeping modes, times, symlinks and hard links. FILE ending in\n"
	".tar.gz/.tgz, .tar.zst/.tzst or .tar.xz/.txz is compressed; any other\n"
	"extension than those and .tar is refused. \"-\" writes an uncompressed\n"
	"tar to standard output (sbox export web - | gzip >web.tar.gz).\n";

static const struct cli_opt export_opts[] = { CLI_OPT_END };

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
	const struct cli_optgroup groups[] = { { export_opts, NULL },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
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
	if (container_export(&st, a.pos[0], file, &err) < 0)
		rc = cli_report(&err);
	else if (strcmp(file, "-"))
		printf("exported '%s' to %s\n", a.pos[0], file);
	container_store_release(&st);
out_args:
	cli_args_release(&a);
	return rc;
}
