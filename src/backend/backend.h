/*
 * Launching a program inside a container. The CLI (launch, run) fills a
 * struct launch_request and calls backend_launch(); the platform backend
 * (backend/linux*.c or backend/darwin*.c, picked by the Makefile) does the
 * rest in the order DESIGN.md "Launch order" gives and returns the
 * program's exit status.
 */
#ifndef SBOX_BACKEND_BACKEND_H
#define SBOX_BACKEND_BACKEND_H

#include "def/def.h"

struct denials;
#include "util/err.h"

enum launch_flags {
	LAUNCH_ALLOW_WEAKER = 1 << 0, /* accept missing kernel features, warn */
	LAUNCH_VERBOSE = 1 << 1,
};

/* Whether the program gets a terminal of its own (backend/pty_relay.h). */
enum pty_mode {
	PTY_AUTO = 0, /* a pty when a standard descriptor is a terminal */
	PTY_ON,       /* --pty */
	PTY_OFF,      /* --no-pty: descriptors pass through as they are */
};

/* Details of how the program ended (for `sbox run --report`). */
struct launch_result {
	int exited;       /* 1: exit_code is valid */
	int exit_code;
	int signal;       /* killed by this signal, else 0 */
	int timed_out;    /* killed at the wall-clock limit */
	double seconds;   /* from launch to the end of the container */
	int started;      /* the program ran (set by the caller, cli/
			   * launch_util.c: backend_launch returned 0) */
};

struct launch_request {
	const struct container_def *def;
	const char *container_dir;  /* the container's folder in the store */
	const char *data_dir;       /* its Data/ (HOME inside) */
	const char *root_dir;       /* its root/ or NULL */
	const char *project_dir;    /* ${PROJECT}: cwd at launch */
	const char *real_home;      /* ~ */
	char *const *argv;          /* program and arguments */
	char *const *envp;          /* the caller's environment, to scrub */
	unsigned flags;
	double timeout;             /* > 0: wall-clock limit in seconds, exact
				       (the plan's wall_seconds is rounded up) */
	enum pty_mode pty;
	void (*warn)(const char *msg); /* weaker isolation accepted, etc. */
	struct launch_result *result;  /* optional: filled on success */
	/* --trace: the refused accesses are counted here (NULL: no tracing
	 * at all); against trace_model, else def (learn runs the program
	 * under a wider def than the one it records against) */
	struct denials *denials;
	const struct container_def *trace_model;
};

/*
 * Run the program and wait for it. On success returns 0 and stores the
 * status as the CLI must return it (the program's exit code, or 128+N for
 * signal N). On failure before the program started returns -1 with err
 * (SBOX_E_UNSUPPORTED: exit 3; anything else: exit 125).
 */
int backend_launch(const struct launch_request *req, int *status,
		   struct sbox_err *err);

#endif
