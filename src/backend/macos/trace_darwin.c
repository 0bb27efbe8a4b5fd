/*
 * The darwin `--trace` collector (trace_darwin.h). `log stream` writes to
 * an unlinked-at-the-end temporary file rather than a pipe: no thread in a
 * launcher that forks, and no writer blocked on a full pipe while the
 * program runs. The predicate and the ndjson style are those public peers
 * use (openai/codex codex-rs/sandboxing/src/seatbelt_denials,
 * anthropic-experimental/sandbox-runtime: eventMessage ENDSWITH the tag);
 * log(1) documents --style ndjson and --predicate. Needs a Mac to run.
 */
#include "backend/macos/trace_darwin.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/denials.h"
#include "backend/macos/seatbelt_log.h"
#include "util/xalloc.h"

extern char **environ;

struct seatbelt_trace {
	pid_t log_pid;
	char *file;
	char *tag;
	struct denials *out;
};

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* log stream prints "Filtering the log data using ..." once it listens. */
static void
wait_ready(const char *file)
{
	struct stat st;

	for (int i = 0; i < 200; i++) {
		if (stat(file, &st) == 0 && st.st_size > 0)
			return;
		nap_ms(10);
	}
}

struct seatbelt_trace *
seatbelt_trace_start(const struct launch_request *req)
{
	struct seatbelt_trace *t;
	posix_spawn_file_actions_t fa;
	char *pred, *argv[7];
	int fd, rc;

	if (!req->denials)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->out = req->denials;
	t->tag = xasprintf("sbox:%s", req->def->name ? req->def->name : "sbox");
	t->file = xasprintf("%s/sbox-trace.XXXXXX", getenv("TMPDIR") ?
			    getenv("TMPDIR") : "/tmp");
	fd = mkstemp(t->file);
	if (fd < 0) {
		free(t->file);
		free(t->tag);
		free(t);
		if (req->warn)
			req->warn("--trace: cannot create the log file");
		return NULL;
	}
	pred = seatbelt_log_predicate(t->tag);
	argv[0] = (char *)"log";
	argv[1] = (char *)"stream";
	argv[2] = (char *)"--style";
	argv[3] = (char *)"ndjson";
	argv[4] = (char *)"--predicate";
	argv[5] = pred;
	argv[6] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	rc = posix_spawn(&t->log_pid, "/usr/bin/log", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	free(pred);
	if (rc != 0) {
		t->log_pid = -1;
		if (req->warn)
			req->warn("--trace: cannot run /usr/bin/log; no records");
	} else {
		wait_ready(t->file);
	}
	return t;
}

void
seatbelt_trace_finish(struct seatbelt_trace *t)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!t)
		return;
	if (t->log_pid > 0) {
		nap_ms(200);  /* the kernel's last messages are on their way */
		kill(t->log_pid, SIGTERM);
		waitpid(t->log_pid, NULL, 0);
	}
	f = fopen(t->file, "r");
	while (f && (n = getline(&line, &cap, f)) > 0)
		seatbelt_log_record(t->out, line, (size_t)n, t->tag);
	if (f)
		fclose(f);
	free(line);
	unlink(t->file);
	free(t->file);
	free(t->tag);
	free(t);
}
