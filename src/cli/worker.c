#include "cli/worker.h"
#include "cli/cli.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

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

/* Die of sig as if sbox had not caught it. */
static void
die_of(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void __attribute__((noreturn))
child_main(const struct cli_worker *w, const struct sigaction *old, int out)
{
	int rc;

	/* what it prints waits until the progress line is gone */
	if (out >= 0 && dup2(out, STDOUT_FILENO) < 0)
		_exit(EXIT_LAUNCH_FAILED);

	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	rc = w->work(w->arg);
	fflush(stdout);
	fflush(stderr);
	_exit(rc);
}

/* Keep what the child printed (non-blocking: it must never wait on us). */
static void
drain(int fd, struct strbuf *sb)
{
	char buf[4096];
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(sb, buf, (size_t)n);
}

/* Wait for the child, printing progress; its wait status, -1 if stopped
 * by a signal sent to sbox. */
static int
wait_child(const struct cli_worker *w, pid_t pid, int *ws, int out,
	   struct strbuf *printed)
{
	double start = now(), drawn = 0;
	int shown = 0;

	for (;;) {
		pid_t r = waitpid(pid, ws, w->show_progress || w->pump ?
				  WNOHANG : 0);
		char line[160];

		drain(out, printed);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (got_signal)
			break;
		if (r == 0 && w->progress && now() - drawn >= 0.2 &&
		    w->progress(w->arg, pid, now() - start, line, sizeof(line))) {
			fprintf(stderr, "\r\033[K%s", line);
			shown = 1;
			drawn = now();
		}
		if (r == 0 && w->pump)
			w->pump(w->arg, 200);
		else if (r == 0)
			usleep(200000);
	}
	drain(out, printed);
	if (shown)
		fputs("\r\033[K", stderr);
	return got_signal ? -1 : 0;
}

int
cli_worker_run(const struct cli_worker *w)
{
	struct sigaction sa, old[NSTOP];
	struct strbuf printed = STRBUF_INIT;
	int ws = 0, sig, out[2] = { -1, -1 };
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;  /* no SA_RESTART: waitpid returns */
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
	fflush(stdout);
	fflush(stderr);
	if (w->show_progress && pipe(out) < 0)
		out[0] = out[1] = -1;
	pid = fork();
	if (pid < 0) {
		cli_error("cannot fork: %s", strerror(errno));
		return EXIT_LAUNCH_FAILED;
	}
	if (pid == 0) {
		if (out[0] >= 0)
			close(out[0]);
		child_main(w, old, out[1]);
	}
	if (out[1] >= 0) {
		close(out[1]);
		fcntl(out[0], F_SETFL, O_NONBLOCK);
	}
	if (wait_child(w, pid, &ws, out[0], &printed) < 0 || WIFSIGNALED(ws)) {
		sig = got_signal ? got_signal : WTERMSIG(ws);
		if (got_signal) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
				;
		}
		if (w->cleanup)
			w->cleanup(w->arg, pid);
		fprintf(stderr, "sbox: interrupted; nothing was left behind\n");
		die_of(sig);
	}
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	fwrite(printed.buf, 1, printed.len, stdout);
	strbuf_release(&printed);
	if (out[0] >= 0)
		close(out[0]);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : EXIT_LAUNCH_FAILED;
}
