/*
 * What `sbox launch` and `sbox run` share: resolving a definition against
 * a container, filling the launch request, calling backend_launch() and
 * mapping the outcome to an exit status. Backend-neutral.
 */
#ifndef SBOX_CLI_LAUNCH_UTIL_H
#define SBOX_CLI_LAUNCH_UTIL_H

#include "backend/backend.h"
#include "container/container.h"
#include "def/def.h"
#include "util/strbuf.h"

struct denials;

struct launch_opts {
	unsigned flags;          /* LAUNCH_ALLOW_WEAKER */
	uint64_t timeout;        /* --timeout seconds, 0 = the definition's */
	char **argv;             /* program after "--", or NULL */
	int trace;               /* --trace[=FILE] */
	const char *trace_file;
	const char *def_path;    /* the definition the records cite */
	struct strbuf *trace_json; /* run --report: the records, as an array */
	struct container_def *trace_model; /* learn: record against (resolved
					    * here, with the launch's values) */
	struct denials *denials; /* learn: keep the records */
	enum pty_mode pty;       /* --pty / --no-pty, else PTY_AUTO */
};

/* The option both commands take (its getopt value is 'X'). */
#define LAUNCH_TRACE_OPTION { "trace", optional_argument, NULL, 'X' }
#define LAUNCH_TRACE_HELP \
	"  --trace[=FILE]    record what the definition refuses: a summary on\n" \
	"                    stderr at exit, one JSON line per access in FILE\n"

/* getopt values of the options launch and run share. */
#define LAUNCH_OPT_PTY 'P'
#define LAUNCH_OPT_NO_PTY 'N'

/* Their usage lines, for both commands' help. */
#define LAUNCH_PTY_USAGE \
	"  --pty             run the program on a terminal of its own (the\n" \
	"                    default when stdin, stdout or stderr is one)\n" \
	"  --no-pty          pass the standard descriptors through as they are\n"

/*
 * Resolve def's variables for container ci, run the program (opts->argv,
 * else the definition's program) and return the exit status sbox must
 * end with. res, when given, receives the details.
 */
int launch_in_container(struct container_def *def,
			const struct container_store *st,
			const struct container_info *ci,
			const struct launch_opts *opts,
			struct launch_result *res);

/* Parse the options launch and run share; returns 1 if c was one of them. */
int launch_opt_parse(int c, const char *arg, struct launch_opts *opts,
		     const char *cmd, int *rc);

#endif
