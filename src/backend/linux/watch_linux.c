/*
 * The launcher's side of a Linux launch: wait for the container's first
 * process to hand the heap back (launch_linux.c explains why it shares
 * the launcher's memory), then wait for the program, forwarding signals,
 * applying the wall-clock limit and reading the report pipe.
 */
#include "backend/linux/watch_linux.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/linux/launch_linux.h"
#include "backend/linux/trace_linux.h"

void
lx_watch_init(struct lx_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->child = -1;
	w->sfd = w->report_fd = -1;
	strbuf_init(&w->msgs);
}

void
lx_watch_release(struct lx_watch *w)
{
	if (w->sfd >= 0)
		close(w->sfd);
	if (w->report_fd >= 0)
		close(w->report_fd);
	w->sfd = w->report_fd = -1;
	strbuf_release(&w->msgs);
}

double
lx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* poll()'s timeout until deadline (0: none, -1 forever). */
static int
poll_timeout(double deadline)
{
	double left;

	if (deadline <= 0)
		return -1;
	left = deadline - lx_now();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* The next signal from the signalfd, 0 if none could be read. */
static int
next_signal(const struct lx_watch *w)
{
	struct signalfd_siginfo si;

	if (read(w->sfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

/* Reap the child if it has exited; 1 when it has. */
static int
try_reap(struct lx_watch *w, int flags)
{
	int st;

	if (w->reaped)
		return 1;
	if (waitpid(w->child, &st, flags) != w->child)
		return 0;
	w->reaped = 1;
	w->init_status = st;
	return 1;
}

/*
 * Nothing in here allocates: until the child hands over, it owns the heap.
 * SIGWINCH, SIGCONT and SIGTSTP cannot matter to a program that has not
 * started (a Ctrl-Z this early is dropped);
 * any other forwarded signal ends the launch, as it would have ended the
 * program (the caller kills the set-up).
 */
enum lx_handoff
lx_watch_handoff(struct lx_watch *w, int handoff_fd, double deadline,
		 int *signo)
{
	for (;;) {
		struct pollfd p[3] = { { handoff_fd, POLLIN, 0 },
				       { w->sfd, POLLIN, 0 },
				       { w->trace ? lx_trace_fd(w->trace) : -1,
					 POLLIN, 0 } };
		int n = poll(p, 3, poll_timeout(deadline));
		char byte;

		/* errno is not read: the child shares it (launch_linux.c) */
		if (n < 0)
			continue;
		if (n == 0 && deadline > 0 && lx_now() >= deadline)
			return LX_HANDOFF_TIMEOUT;
		if (p[2].revents & POLLIN) {
			lx_trace_ready(w->trace);  /* allocates nothing yet */
			continue;
		}
		if (p[2].revents)
			w->trace = NULL;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (read(handoff_fd, &byte, 1) == 1)
				return LX_HANDOFF_DONE;
			try_reap(w, 0);
			return LX_HANDOFF_EXITED;
		}
		if (p[1].revents & POLLIN) {
			int sig = next_signal(w);

			if (sig == 0 || sig == SIGCHLD || sig == SIGWINCH ||
			    sig == SIGCONT || sig == SIGTSTP)
				continue;  /* a dead child also closes the pipe */
			*signo = sig;
			return LX_HANDOFF_SIGNAL;
		}
	}
}

void
lx_watch_kill(struct lx_watch *w)
{
	kill(w->child, SIGKILL);
	try_reap(w, 0);
}

static void
watch_parse(struct lx_watch *w)
{
	for (;;) {
		char *rec = w->msgs.buf + w->parsed;
		size_t left = w->msgs.len - w->parsed;
		size_t n = strnlen(rec, left);

		if (n == left || n == 0)
			break;
		if (rec[0] == LX_MSG_STATUS) {
			w->status_seen = 1;
			w->wait_status = atoi(rec + 1);
		} else if (rec[0] == LX_MSG_ERROR && !w->error_seen) {
			w->error_seen = 1;
			err_set(&w->child_err, (enum sbox_errcode)(rec[1] - '0'),
				"%s", rec[2] ? rec + 2 : "container setup failed");
		}
		w->parsed += n + 1;
	}
}

static void
watch_read(struct lx_watch *w)
{
	char buf[4096];
	ssize_t n = read(w->report_fd, buf, sizeof(buf));

	if (n < 0)
		return;  /* retried: errno is shared with the child */
	if (n == 0) {
		close(w->report_fd);
		w->report_fd = -1;
		return;
	}
	strbuf_add(&w->msgs, buf, (size_t)n);
	watch_parse(w);
}

/*
 * A signal for the program. With a pty, the size goes to the pty (the
 * kernel signals the program's foreground group) and a SIGTSTP to sbox
 * stops sbox alone, its terminal given back first: the program cannot
 * reach the user's terminal anyway. Without one, the program's group
 * stops with sbox (init_wait) so it does not go on reading a terminal
 * the shell has taken back.
 */
static void
watch_signal(struct lx_watch *w, int sig)
{
	if (w->relay && sig == SIGWINCH) {
		pty_relay_winch(w->relay);
		return;
	}
	if (sig == SIGTSTP) {
		if (!w->relay)
			kill(w->child, SIGTSTP);
		pty_relay_stop_self(w->relay);
		return;
	}
	if (w->relay && sig == SIGCONT)
		pty_relay_resume(w->relay);
	kill(w->child, sig);
}

void
lx_watch_loop(struct lx_watch *w, double deadline)
{
	while (!w->reaped) {
		struct pollfd p[3] = { { w->sfd, POLLIN, 0 },
				       { w->report_fd, POLLIN, 0 },
				       { w->trace ? lx_trace_fd(w->trace) : -1,
					 POLLIN, 0 } };
		double until = w->timed_out ? 0 : deadline;

		if (poll(p, 3, poll_timeout(until)) == 0 &&
		    until > 0 && lx_now() >= until) {
			w->timed_out = 1;
			kill(w->child, SIGKILL);
		}
		if (p[2].revents & POLLIN)
			lx_trace_ready(w->trace);
		else if (p[2].revents)
			w->trace = NULL;  /* no process left to watch */
		if (w->report_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)))
			watch_read(w);
		if (p[0].revents & POLLIN) {
			int sig = next_signal(w);

			if (sig == SIGCHLD)
				try_reap(w, WNOHANG);
			else if (sig)
				watch_signal(w, sig);
		}
	}
	while (w->report_fd >= 0)
		watch_read(w);
}
