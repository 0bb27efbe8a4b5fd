/*
 * sbox import FILE [--name NAME]: a container from an exported archive,
 * which is checked entry by entry and trusted in nothing.
 */
#include "cli/cli.h"
#include "cli/container_out.h"
#include "cli/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

const char cmd_import_usage[] =
	"usage: sbox import FILE|- [--name NAME] [--quiet]\n"
	"\n"
	"Creates a container from an archive written by 'sbox export' (\"-\":\n"
	"read it from standard input). Its identifier is the one 'sbox create'\n"
	"gives: the definition's \"identifier\", else sbox.NAME; an identifier\n"
	"another container of the store has is refused. Refuses absolute paths,\n"
	"'..', writes through symlinks, hard links out of the tree, device\n"
	"nodes, setuid/setgid bits, and archives over SBOX_IMPORT_MAX_ENTRIES\n"
	"entries (2000000) or SBOX_IMPORT_MAX_BYTES bytes of data (64 GiB).\n";

struct import_job {
	const char *name;          /* --name */
	unsigned quiet;
	struct container_store *st;
	struct container_limits limits;
	const char *file;
	struct container_info ci;
	struct sbox_err err;
	/* progress: the watchdog feeds the archive through a pipe */
	int in_fd, pipe_rd, pipe_wr;
	double total, done;        /* bytes (total 0: unknown) */
	char buf[65536];
	size_t buf_off, buf_len;   /* read from in_fd, not yet written */
};

static int
set_quiet(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	(void)o;
	(void)val;
	(void)cmd;
	((struct import_job *)ctx)->quiet = 1;
	return CLI_CONTINUE;
}

static const struct cli_opt import_opts[] = {
	{ "name", 0, "NAME", cli_set_string, offsetof(struct import_job, name),
	  "name the new container (default: the archived name)" },
	{ "quiet", 'q', NULL, set_quiet, 0,
	  "no progress line (there is none when standard error is not a"
	  " terminal)" },
	CLI_OPT_END,
};

static int
import_work(void *arg)
{
	struct import_job *j = arg;
	int rc;

	if (j->pipe_rd < 0)
		return container_import(j->st, j->file, j->name, &j->limits,
					&j->ci, &j->err) < 0 ? -1 : EXIT_OK;
	close(j->pipe_wr);   /* the watchdog's end */
	if (j->in_fd > STDIN_FILENO)
		close(j->in_fd);
	rc = container_import_fd(j->st, j->pipe_rd, strcmp(j->file, "-") ?
				 j->file : "standard input", j->name,
				 &j->limits, &j->ci, &j->err);
	close(j->pipe_rd);
	return rc < 0 ? -1 : EXIT_OK;
}

static int
import_finish(void *arg, int rc)
{
	struct import_job *j = arg;

	if (rc == EXIT_OK) {
		printf("imported '%s' at %s\n", j->ci.name, j->ci.dir);
		return EXIT_OK;
	}
	rc = cli_report(&j->err);
	if (j->err.code == SBOX_E_EXISTS)
		fprintf(stderr, "hint: import it under another name with --name "
			"NAME, or remove the existing one with 'sbox rm'\n");
	else if (j->err.code == SBOX_E_ID_TAKEN)
		fprintf(stderr, "hint: one container per identifier in a "
			"store: remove the other one with 'sbox rm', or import "
			"into another store (SBOX_HOME)\n");
	return rc;
}

/* the half-made container: opening the store again clears it */
static void
import_cleanup(void *arg, pid_t pid)
{
	(void)pid;
	cli_store_reopen(((struct import_job *)arg)->st);
}

/* Watchdog: move the archive into sbox's pipe, counting; 0 when done. */
static int
import_pump(void *arg, int timeout_ms)
{
	struct import_job *j = arg;
	struct pollfd p;
	ssize_t n;

	if (j->pipe_rd >= 0) {   /* sbox's end */
		close(j->pipe_rd);
		j->pipe_rd = -1;
	}
	p.fd = j->pipe_wr;
	p.events = POLLOUT;
	for (int moved = 0; moved < 1024; moved++) {
		if (j->buf_off == j->buf_len) {
			n = read(j->in_fd, j->buf, sizeof(j->buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				goto done;   /* end of the archive (or unreadable) */
			j->buf_off = 0;
			j->buf_len = (size_t)n;
		}
		if (poll(&p, 1, moved ? 0 : timeout_ms) <= 0)
			return 1;
		n = write(j->pipe_wr, j->buf + j->buf_off,
			  j->buf_len - j->buf_off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 1;
		if (n < 0)
			goto done;           /* sbox stopped reading */
		j->buf_off += (size_t)n;
		j->done += (double)n;
	}
	return 1;
done:
	close(j->pipe_wr);
	j->pipe_wr = -1;
	return 0;
}

static int
import_progress(void *arg, pid_t pid, double secs, char *line, size_t len)
{
	struct import_job *j = arg;
	char done[32], total[32];

	(void)pid;
	if (secs < 0.2 || j->pipe_rd >= 0)
		return 0;
	cli_format_bytes(j->done, done, sizeof(done));
	if (j->total > 0) {
		cli_format_bytes(j->total, total, sizeof(total));
		snprintf(line, len, "importing %s: %s of %s (%.0f%%, %.0f s)",
			 j->file, done, total, 100.0 * j->done / j->total,
			 secs);
	} else {
		snprintf(line, len, "importing %s: %s read (%.0f s)", j->file,
			 done, secs);
	}
	return 1;
}

/* Read the archive through a pipe from the watchdog, to count bytes. */
static int
setup_pump(struct import_job *j)
{
	int fds[2];
	struct stat st;

	j->in_fd = strcmp(j->file, "-") ?
		   open(j->file, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (j->in_fd < 0)
		return 0;  /* import reports it, by name */
	if (fstat(j->in_fd, &st) == 0 && S_ISREG(st.st_mode))
		j->total = (double)st.st_size;
	if (pipe(fds) < 0) {
		if (j->in_fd != STDIN_FILENO)
			close(j->in_fd);
		j->in_fd = -1;
		return 0;
	}
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	j->pipe_rd = fds[0];
	j->pipe_wr = fds[1];
	return 1;
}

static int
env_limit(const char *var, uint64_t *out)
{
	const char *v = getenv(var);
	char *end;
	unsigned long long n;

	*out = 0;
	if (!v || !*v)
		return 0;
	n = strtoull(v, &end, 10);
	if (*end || n == 0) {
		cli_error("%s must be a positive number, not '%s'", var, v);
		return -1;
	}
	*out = n;
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	struct import_job *job = xcalloc(1, sizeof(*job));
	const struct cli_optgroup groups[] = { { import_opts, job },
					       { NULL, NULL } };
	struct cli_worker worker = { import_work, import_finish, job,
				     import_cleanup, import_progress, NULL, 0 };
	struct container_store st = CONTAINER_STORE_INIT;
	struct cli_args a;
	int rc;

	job->ci = (struct container_info)CONTAINER_INFO_INIT;
	job->in_fd = job->pipe_rd = job->pipe_wr = -1;
	rc = cli_parse("import", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 1)
		rc = cli_usage_error("import", "expected one FILE (or - for "
				     "standard input)");
	if (rc != CLI_CONTINUE)
		goto out_args;
	if (env_limit("SBOX_IMPORT_MAX_ENTRIES", &job->limits.max_entries) < 0 ||
	    env_limit("SBOX_IMPORT_MAX_BYTES", &job->limits.max_bytes) < 0) {
		rc = EXIT_USAGE;
		goto out_args;
	}
	rc = container_out_open_store(&st);
	if (rc)
		goto out_args;
	job->st = &st;
	job->file = a.pos[0];
	if (cli_progress_wanted((int)job->quiet) && setup_pump(job)) {
		worker.show_progress = 1;
		worker.pump = import_pump;
	}
	rc = cli_worker_run(&worker);
	container_store_release(&st);
out_args:
	container_info_release(&job->ci);
	cli_args_release(&a);
	free(job);
	return rc;
}
