/*
 * What `sbox explain` (explain.c) shares with `explain --from-trace`
 * (explain_trace.c): the options, loading a definition's rules, printing
 * one decision.
 */
#ifndef SBOX_CLI_EXPLAIN_H
#define SBOX_CLI_EXPLAIN_H

#include "def/def.h"
#include "policy/decide.h"
#include "policy/policy.h"
#include "util/diag.h"

#define EXPLAIN_MAX_PARAMS 64

struct explain_opts {
	const char *format;
	const char *target;     /* --target macos|linux */
	const char *release;
	const char *params[2 * EXPLAIN_MAX_PARAMS + 1];
	size_t nparams;
	const char *includes[EXPLAIN_MAX_PARAMS + 1];
	size_t nincludes;
	struct def_vars vars;
	const char *from_trace;
	const char *project_arg;   /* -C, --project */
	char *project_buf;         /* the project load_definition picked */
};

/* The system sbox was built for: the default target of a definition. */
#ifdef __APPLE__
#define SBOX_HOST_TARGET "macos"
#else
#define SBOX_HOST_TARGET "linux"
#endif

/*
 * The target explain answers for: given (--target), else macos for a
 * .sb profile (profile), with --macos VERSION (has_release) or for
 * --from-trace, else the system sbox was built for.
 */
const char *explain_pick_target(const char *given, int has_release,
				int profile, int from_trace);

/* The IR of a definition: the emitter's rules, located in the definition. */
int explain_load_definition(const char *path, struct explain_opts *o,
			    struct src_set *srcs, struct policy *ir);
void explain_print_text(const struct decision *d, const char *op, const char *arg);
void explain_print_json(const struct decision *d, const char *op, const char *arg);

/* sbox explain --from-trace FILE [DEFINITION]: 1 when any is denied. */
int explain_trace(struct explain_opts *o, const char *defpath);

#endif
