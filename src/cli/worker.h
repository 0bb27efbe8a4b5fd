/*
 * Long store work (export, import) run so that an interrupt leaves
 * nothing behind and a terminal shows progress. The work runs in a child
 * process; sbox itself waits. On SIGINT, SIGTERM or SIGHUP (or when the
 * child dies of a signal) the child is killed, the cleanup runs (unlink
 * the half-written archive; reopen the store, which clears a half-made
 * container), and sbox dies of the same signal, as the user asked.
 * Meanwhile, on a terminal, progress() is called every 200 ms to print
 * one updating line on standard error.
 */
#ifndef SBOX_CLI_WORKER_H
#define SBOX_CLI_WORKER_H

#include <sys/types.h>

struct cli_worker {
	int (*work)(void *arg);              /* in the child: an exit status */
	void *arg;
	void (*cleanup)(void *arg, pid_t child); /* after an interrupt */
	/* progress line for elapsed seconds, or NULL; returns 0 if none */
	int (*progress)(void *arg, pid_t child, double seconds, char *line,
			size_t len);
	/* parent side work between progress lines (feeding a pipe), waiting
	 * at most timeout_ms; NULL: just wait */
	void (*pump)(void *arg, int timeout_ms);
	int show_progress;                   /* a terminal and not --quiet */
};

/* Run it; returns the work's exit status (or does not return). */
int cli_worker_run(const struct cli_worker *w);

/* Should progress be shown: stderr a terminal, not quiet. */
int cli_progress_wanted(int quiet);

/* "12.3 MiB" */
void cli_format_bytes(double bytes, char *out, size_t len);

#endif
