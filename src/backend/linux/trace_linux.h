/*
 * The `--trace` supervisor of a Linux launch (trace_linux.c). The
 * container's first process loads the observing filter
 * (trace_filter_linux.h) last, after the enforcing one, and passes its
 * listener to the launcher over a socket; the launcher reads each watched
 * call's arguments, answers "continue" and records, against the plan's
 * model (trace_plan.h), the calls the definition refuses.
 */
#ifndef SBOX_BACKEND_TRACE_LINUX_H
#define SBOX_BACKEND_TRACE_LINUX_H

#include <pthread.h>
#include <sys/types.h>

#include "backend/denials.h"
#include "backend/linux/linux_plan.h"
#include "backend/linux/seccomp_linux.h"
#include "backend/trace_verdicts.h"
#include "util/err.h"

#define LX_TRACE_EARLY 32   /* calls held before the hand-over */
#define LX_TRACE_PATH 4096

struct lx_trace_early {
	pid_t pid;
	int nr;
	unsigned long long args[6];
	char path[2][LX_TRACE_PATH];
	char cwd[LX_TRACE_PATH];
	double when;
};

struct lx_trace {
	int sock[2];                  /* init -> launcher: the listener */
	int send_fd;                  /* sock[1] as the child sees it */
	int listener;
	int heap_ok;                  /* after the hand-over */
	int no_landlock;              /* --allow-weaker without Landlock */
	int unsealed_ok;              /* for memfd_create (supervise_linux.c) */
	const struct linux_plan *model; /* what the definition grants */
	const char *cwd;              /* the program's first working folder */
	const char *argv0;
	struct denials *out;
	/* the enforcing program as compiled in, run on the calls it refuses
	 * (seccomp_refusal_linux.h) */
	struct seccomp_bpf enforcing;
	struct lx_trace_early early[LX_TRACE_EARLY];
	size_t nearly;
	unsigned long early_dropped;
	struct trace_verdicts verdicts; /* the memo (trace_verdicts.h) */
	pthread_t thread;             /* the listener's, after the hand-over */
	int threaded;
};

/* The launcher, before the clone (allocates the socket pair). */
int lx_trace_open(struct lx_trace *t, struct sbox_err *err);
/* Where the program sends its filter's listener (instead of to init). */
int lx_trace_send_fd(const struct lx_trace *t);
/* The launcher: the descriptor to poll now, and its handler. */
int lx_trace_fd(const struct lx_trace *t);
void lx_trace_ready(struct lx_trace *t);
/* Classify and answer one received notification (the only dispatch). */
struct seccomp_notif;
void lx_trace_handle(struct lx_trace *t, const struct seccomp_notif *n);
/* After the hand-over: the heap is the launcher's again. */
void lx_trace_heap_back(struct lx_trace *t);
void lx_trace_close(struct lx_trace *t);

struct launch_request;
/* backend_launch: with req->denials set, before the clone; after it
 * (the launcher's copy of the child's end closed); at the end. */
/* It also joins the observing program to *bpf (the launch's program). */
int lx_trace_start(struct lx_trace **out, const struct launch_request *req,
		   const struct linux_plan *plan, const char *tmpdir,
		   struct seccomp_bpf *bpf, int unsealed_ok,
		   struct sbox_err *err);
void lx_trace_spawned(struct lx_trace *t);
void lx_trace_free(struct lx_trace *t);

/* The text of the link /proc/PID/WHAT ("cwd", "fd/3") in buf, "" when it
 * cannot be read: how both supervisors (this one and
 * seccomp_refusal_linux.c) learn where a caller's relative path starts. */
void lx_proc_link(pid_t pid, const char *what, char *buf, size_t size);

#endif
