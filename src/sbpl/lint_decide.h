/*
 * Lints that need the decision model (SBPL-SEMANTICS.md §a,
 * SBPL-LINTS.md C1-C3), run on an evaluated policy:
 *   rule-shadowed      a filtered rule every path of which is decided by
 *                      later rules of the opposite action (C1)
 *   child-op-precedence a rule on a child operation that silently wins
 *                      over a later rule on its parent operation (C3, §a.3)
 *   unfiltered-fallback an unfiltered rule after filtered rules of the
 *                      opposite action: it is only the fallback (C2)
 * Path filters (literal, subpath, prefix) are compared exactly; rules
 * with other filters are left alone.
 */
#ifndef SBOX_SBPL_LINT_DECIDE_H
#define SBOX_SBPL_LINT_DECIDE_H

#include "policy/policy.h"
#include "util/diag.h"

void sbpl_lint_decide(const struct policy *p, struct diag_list *diags);

#endif
