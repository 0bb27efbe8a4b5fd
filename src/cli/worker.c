#include "cli/worker.h"
#include "cli/cli.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
cli_progress_wanted(int quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

void
cli_format_bytes(double bytes, char *out, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	snprintf(out, len, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/*
 * The watchdog: draw progress and pump input until sbox says done ('D')
 * or ends (end of file: clean up). Signals meant for sbox (the terminal's
 * Ctrl-C reaches the whole process group) must not stop it.
 */
static void __attribute__((noreturn))
watchdog(const struct cli_worker *w, int ctl, pid_t parent)
{
	struct pollfd p = { ctl, POLLIN, 0 };
	double start = now(), drawn = 0;
	int shown = 0, pumping = w->pump != NULL;
	char c = 0, line[200];

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int r = poll(&p, 1, pumping ? 0 : 200);

		if (r > 0) {
			ssize_t n = read(ctl, &c, 1);

			if (n != 0 && !(n < 0 && errno == EINTR))
				break;  /* 'D', or an error: treat as done */
			if (n == 0) {
				c = 0;  /* sbox is gone */
				break;
			}
		}
		if (pumping)
			pumping = w->pump(w->arg, 200);
		if (w->show_progress && w->progress && now() - drawn >= 0.2 &&
		    w->progress(w->arg, parent, now() - start, line,
				sizeof(line))) {
			fprintf(stderr, "\r\033[K%s", line);
			fflush(stderr);
			shown = 1;
			drawn = now();
		}
	}
	if (shown)
		fputs("\r\033[K", stderr);
	if (c != 'D' && w->cleanup) {
		w->cleanup(w->arg, parent);
		fputs("sbox: interrupted; nothing was left behind\n", stderr);
	}
	fflush(stderr);
	_exit(0);
}

int
cli_worker_run(const struct cli_worker *w)
{
	int ctl[2], rc, ws;
	pid_t parent = getpid(), dog;

	fflush(stdout);
	fflush(stderr);
	if (pipe(ctl) < 0) {
		cli_error("cannot make a pipe: %s", strerror(errno));
		return EXIT_LAUNCH_FAILED;
	}
	dog = fork();
	if (dog < 0) {
		cli_error("cannot fork: %s", strerror(errno));
		close(ctl[0]);
		close(ctl[1]);
		return EXIT_LAUNCH_FAILED;
	}
	if (dog == 0) {
		close(ctl[1]);
		watchdog(w, ctl[0], parent);
	}
	close(ctl[0]);
	rc = w->work(w->arg);
	/* done: the watchdog clears the line and exits without cleaning */
	if (write(ctl[1], "D", 1) != 1)
		(void)0;
	close(ctl[1]);
	while (waitpid(dog, &ws, 0) < 0 && errno == EINTR)
		;
	return w->finish ? w->finish(w->arg, rc) : rc;
}
