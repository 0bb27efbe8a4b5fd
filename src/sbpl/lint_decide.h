/*
 * Lints that need the decision model (Apple's rule precedence: the last
 * matching filtered rule of an operation wins, an unfiltered rule is only
 * its fallback, an operation's own rules come before its parent's), run on
 * an evaluated policy:
 *   rule-shadowed      a filtered rule every path of which is decided by
 *                      later rules of the opposite action
 *   child-op-precedence a rule on a child operation that silently wins
 *                      over a later rule on its parent operation
 *   unfiltered-fallback an unfiltered rule after filtered rules of the
 *                      opposite action: it is only the fallback
 * Path filters (literal, subpath, prefix) are compared exactly; rules
 * with other filters are left alone.
 */
#ifndef SBOX_SBPL_LINT_DECIDE_H
#define SBOX_SBPL_LINT_DECIDE_H

#include "policy/policy.h"
#include "util/diag.h"

/*
 * Each check runs only when its id is not disabled in diags. Rules are
 * indexed by operation and path (path_index.h), so the checks take time
 * linear in the profile's size (sorting aside). Returns the index
 * look-ups made, for tests.
 */
unsigned long sbpl_lint_decide(const struct policy *p, struct diag_list *diags);

/* The messages, shared with the reference implementation in the tests. */
#define LINT_MSG_SHADOWED \
	"this (%s %s ...) never takes effect: every path it matches is " \
	"decided by a later %s rule (line %u); the last matching filtered " \
	"rule wins"
#define LINT_MSG_CHILD_OP \
	"this (%s %s ...) wins over the later (%s %s ...) on line %u for %s: " \
	"an operation's own rules are consulted before its parent's, " \
	"whatever the order; write both on the same operation"
#define LINT_MSG_UNFILTERED \
	"this unfiltered (%s %s) does not override the earlier filtered %s " \
	"on line %u: without a filter it is only the operation's fallback"

#endif
