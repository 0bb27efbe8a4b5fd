/*
 * SBPL front end: read and evaluate a Seatbelt profile the way libsandbox
 * does (SBPL-SEMANTICS.md §0, §e) and produce the policy IR, collecting
 * diagnostics (syntax, unbound names, types, lints) instead of stopping.
 *
 *	struct sbpl_opts o = SBPL_OPTS_INIT;
 *	rc = sbpl_eval_file("p.sb", &o, &srcs, &diags, &policy);
 *
 * Returns 0 when evaluation produced no error diagnostic, 1 when errors
 * were diagnosed, -1 when the file (or a --prepend file) could not be read
 * (an "io" error diagnostic says which). policy must be initialised
 * (policy_init) by the caller; rules are appended to it. Filter names in
 * the IR are canonical: literal, subpath, prefix, regex for paths, the
 * table name for others plus -prefix / -regex / -subpath variants
 * (vocab_filter_find).
 */
#ifndef SBOX_SBPL_SBPL_H
#define SBOX_SBPL_SBPL_H

#include <stdbool.h>

#include "policy/policy.h"
#include "policy/vocab.h"
#include "util/diag.h"

struct sbpl_opts {
	const struct vocab *vocab;        /* NULL: latest */
	const char *const *include_dirs;  /* NULL-terminated, for (import "x") */
	const char *const *params;        /* flat KEY, VALUE, ..., NULL */
	const char *const *prepend;       /* files evaluated first, in order */
	bool strict_params;               /* missing (param) is #f, as macOS */
	bool no_system_dirs;              /* don't search /System/... imports */
	unsigned long max_steps;          /* 0: default limit */
	unsigned max_depth;               /* 0: default limit */
	/* definitions: why the current folder cannot be ${PROJECT} (launch
	 * would refuse it), or NULL; reported where the definition uses it */
	const char *project_problem;
};

#define SBPL_OPTS_INIT { NULL, NULL, NULL, NULL, false, false, 0, 0, NULL }

int sbpl_eval_file(const char *path, const struct sbpl_opts *opts,
		   struct src_set *srcs, struct diag_list *diags,
		   struct policy *out);
/* Same for in-memory text; name is used in diagnostics. */
int sbpl_eval_string(const char *name, const char *text,
		     const struct sbpl_opts *opts, struct src_set *srcs,
		     struct diag_list *diags, struct policy *out);

/* One entry of the check catalogue (README section "check"). */
struct sbpl_check {
	const char *id;
	enum diag_level level;
	const char *reason;
};
/* NULL-terminated (id == NULL) table of every diagnostic ID. */
extern const struct sbpl_check sbpl_checks[];
const struct sbpl_check *sbpl_check_find(const char *id);

#endif
