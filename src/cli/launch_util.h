/*
 * What `sbox launch` and `sbox run` share: resolving a definition against
 * a container, filling the launch request, calling backend_launch() and
 * mapping the outcome to an exit status. Backend-neutral.
 */
#ifndef SBOX_CLI_LAUNCH_UTIL_H
#define SBOX_CLI_LAUNCH_UTIL_H

#include "backend/backend.h"
#include "container/container.h"
#include "cli/opts.h"
#include "def/def.h"
#include "util/strbuf.h"

struct denials;

struct launch_opts {
	unsigned flags;          /* LAUNCH_*: first, for cli_set_flag */
	double timeout;          /* --timeout seconds, 0 = the definition's */
	char **argv;             /* program after "--", or NULL */
	const char *project;     /* ${PROJECT} and the working directory,
				  * checked (project.c); NULL: not picked yet */
	const char *project_arg; /* --project as given, or NULL */
	char *project_buf;       /* what project points to, when heap */
	const char *name;        /* launch --name: the container to use */
	int recreate;            /* launch --recreate */
	int trace;               /* --trace[=FILE] */
	const char *trace_file;
	const char *def_path;    /* the definition the records cite */
	int def_cli;             /* it is grants on the command line only */
	struct strbuf *trace_json; /* run --report: the records, as an array */
	struct container_def *trace_model; /* learn: record against (resolved
					    * here, with the launch's values) */
	struct denials *denials; /* learn: keep the records */
	enum pty_mode pty;       /* --pty / --no-pty, else PTY_AUTO */
};

/*
 * The options launch and run share (group ctx: struct launch_opts). A new
 * launch option is one line here; a flag needs no setter of its own:
 *   { "keep-env", 0, NULL, cli_set_flag, LAUNCH_KEEP_ENV, "..." },
 */
extern const struct cli_opt launch_common_opts[];

/*
 * Resolve def's variables for container ci, run the program (opts->argv,
 * else the definition's program) and return the exit status sbox must
 * end with. res, when given, receives the details; res->started says
 * whether the program ran (a status of 2, 3 or 125 may be its own).
 * Once it ran, the container is no longer fresh (container_ran).
 */
int launch_in_container(struct container_def *def,
			const struct container_store *st,
			const struct container_info *ci,
			const struct launch_opts *opts,
			struct launch_result *res);


#endif
