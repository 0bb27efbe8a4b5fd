/*
 * Decisions: which rule of a policy decides one access, exactly as
 * libsandbox's rule tables do (SBPL-SEMANTICS.md §a):
 *   - among the operation's filtered rules the last matching one wins;
 *   - else the operation's last unfiltered rule (its fallback);
 *   - else a built-in action (§a.4), or the parent operation, up to
 *     `default`.
 * Filters: several in one rule are OR (§a.2), require-all/any/not
 * combine, path filters (literal, subpath, prefix, regex as POSIX ERE,
 * an approximation of AppleMatch), name filters (global-name, local-name,
 * sysctl-name, ... with -prefix and -regex), local/remote "host:port".
 */
#ifndef SBOX_POLICY_DECIDE_H
#define SBOX_POLICY_DECIDE_H

#include <stddef.h>

#include "policy/policy.h"
#include "util/err.h"

enum decide_how {
	DECIDE_FILTERED,    /* a filtered rule matched */
	DECIDE_UNFILTERED,  /* the operation's unfiltered fallback rule */
	DECIDE_BUILTIN,     /* the operation's built-in action (§a.4) */
	DECIDE_ROOT,        /* `default` with no rule of its own: deny */
};

#define DECIDE_MAX_CHAIN 16

struct decision {
	enum policy_action action;
	enum decide_how how;
	const struct policy_rule *rule;   /* FILTERED, UNFILTERED; else NULL */
	const char *op;                   /* operation whose list decided */
	const char *chain[DECIDE_MAX_CHAIN]; /* operations walked, asked first */
	size_t nchain;
	/* a rule whose filter could not be evaluated for this request
	 * (vnode-type, target, a missing parameter ...): treated as not
	 * matching; the first one met is reported */
	const struct policy_rule *uncertain;
};

/*
 * Decide op (a name or alias) for arg: a path ("/..."), "host:port" for
 * network operations, or a name (mach service, sysctl, ...); NULL for
 * none. Fails (SBOX_E_INVALID) for an operation the policy's vocabulary
 * does not know.
 */
int policy_decide(const struct policy *p, const char *op, const char *arg,
		  struct decision *out, struct sbox_err *err);

/* Does filter f match arg: 1 yes, 0 no, -1 cannot tell. */
int policy_filter_match(const struct policy_filter *f, const char *arg);

#endif
