/*
 * Long store work (create, export, import) that an interrupt must not
 * leave half done, with a progress line on a terminal.
 *
 * sbox does the work itself; a small watchdog process forked first waits
 * on a pipe only sbox holds. When sbox ends without saying "done" (Ctrl-C,
 * kill, even kill -9), the pipe reads end-of-file and the watchdog cleans
 * up: it removes the half-written archive, or opens the store, which
 * clears a half-made container. sbox itself dies of the signal, as the
 * user asked. On a terminal the watchdog also draws the progress line
 * every 200 ms, and it can feed sbox the input through a pipe (pump) so
 * that it can count the bytes. What sbox prints comes after the line is
 * gone (finish()).
 */
#ifndef SBOX_CLI_WORKER_H
#define SBOX_CLI_WORKER_H

#include <stddef.h>
#include <sys/types.h>

struct cli_worker {
	int (*work)(void *arg);         /* an exit status; prints nothing */
	int (*finish)(void *arg, int rc); /* print the outcome; exit status */
	void *arg;
	/* in the watchdog, after sbox `pid` ended without finishing */
	void (*cleanup)(void *arg, pid_t pid);
	/* in the watchdog: the progress line for sbox `pid` (0: none yet) */
	int (*progress)(void *arg, pid_t pid, double seconds, char *line,
			size_t len);
	/*
	 * in the watchdog: move input into the pipe work() reads, waiting at
	 * most timeout_ms; returns 0 when there is nothing more to move.
	 * NULL: no input to pump.
	 */
	int (*pump)(void *arg, int timeout_ms);
	int show_progress;              /* a terminal and not --quiet */
};

int cli_worker_run(const struct cli_worker *w);

/* Should progress be shown: stderr a terminal, not quiet. */
int cli_progress_wanted(int quiet);

/* "12.3 MiB" */
void cli_format_bytes(double bytes, char *out, size_t len);

#endif
