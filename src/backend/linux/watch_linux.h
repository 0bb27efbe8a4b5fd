/* The launcher waiting for its container (watch_linux.c). */
#ifndef SBOX_BACKEND_WATCH_LINUX_H
#define SBOX_BACKEND_WATCH_LINUX_H

#include <sys/types.h>

#include "backend/pty_relay.h"
#include "util/err.h"
#include "util/strbuf.h"

struct lx_trace;

struct lx_watch {
	pid_t child;              /* the container's first process */
	int sfd;                  /* signalfd of the forwarded signals + CHLD */
	int report_fd;            /* read end of the report pipe */
	struct strbuf msgs;       /* what was read from it */
	size_t parsed;
	int reaped, init_status;  /* the child's own wait status */
	int status_seen, wait_status; /* the program's, as reported */
	int error_seen, timed_out;
	struct sbox_err child_err;
	struct lx_trace *trace;   /* --trace: its descriptor is polled too */
	struct pty_relay *relay;  /* the program's terminal, or NULL */
};

enum lx_handoff {
	LX_HANDOFF_DONE,     /* the child is done with the heap */
	LX_HANDOFF_EXITED,   /* it exited (reaped) without handing over */
	LX_HANDOFF_TIMEOUT,  /* the wall-clock limit passed first */
	LX_HANDOFF_SIGNAL,   /* a signal that ends the launch came first */
};

void lx_watch_init(struct lx_watch *w);
void lx_watch_release(struct lx_watch *w);
double lx_now(void);

/* Wait for the hand-over byte on handoff_fd; allocates nothing. */
enum lx_handoff lx_watch_handoff(struct lx_watch *w, int handoff_fd,
				 double deadline, int *signo);
/* SIGKILL the child and reap it. */
void lx_watch_kill(struct lx_watch *w);
/* Until the child is reaped: forward signals, read reports, time out. */
void lx_watch_loop(struct lx_watch *w, double deadline);

#endif
