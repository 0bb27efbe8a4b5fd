/*
 * Why a denial happened, in the definition's terms: the rule that decides
 * it with its file:line (the same decision `sbox explain DEFINITION` makes:
 * the definition's rules as the emitter lays them out, policy/decide.h),
 * or "not granted" with the smallest grant that would allow it. Also the
 * JSON record line and the one-glance summary.
 */
#ifndef SBOX_BACKEND_DENIAL_WHY_H
#define SBOX_BACKEND_DENIAL_WHY_H

#include "backend/denials.h"
#include "def/def.h"
#include "policy/policy.h"
#include "util/err.h"
#include "util/strbuf.h"

struct denial_why {
	struct policy ir;
	int ready;
	const char *defpath;  /* named in each record, for explain --from-trace */
	/* the definition's network setting, which decides the IP sockets the
	 * seccomp program refuses: what it says, where, what would allow them */
	char *net_rule, *net_where, *net_grant;
};

struct denial_reason {
	int decided_by_rule;  /* 1: a rule of the definition (deny) decides */
	int allowed;          /* the definition allows it: refused by this
			       * system's enforcement only */
	char *where;          /* "file:line:col" of the rule, or NULL */
	char *rule;           /* what the rule says, e.g. deny "~/.ssh" */
	char *grant;          /* not granted: e.g. filesystem.read "/x" */
	const char *never;    /* refused in every container, and why (static) */
};

/* def: resolved, its source files still loaded (for line numbers). */
int denial_why_init(struct denial_why *w, const struct container_def *def,
		    struct sbox_err *err);
void denial_why_release(struct denial_why *w);

void denial_why_explain(const struct denial_why *w, enum denial_op op,
			const char *target, struct denial_reason *out);
void denial_reason_release(struct denial_reason *r);

/* denial_why_seccomp.c: why the seccomp program refuses a call in every
 * container (NULL: the definition's network setting decides, for the IP
 * families); the name of a Linux errno the records carry, or NULL. */
const char *denial_never_reason(enum denial_op op, const char *target);
int denial_ip_socket(const char *target);
const char *denial_errno_name(int err);

/* The SBPL operation and argument `sbox explain` decides for a denial. */
const char *denial_sbpl_op(enum denial_op op);

/* One JSON line (with a newline) per record. */
void denial_json_line(const struct denial *d, const struct denial_reason *r,
		      const char *defpath, struct strbuf *out);
/* Every record as JSON lines, then a closing {"total":...} line. */
void denials_write_json(const struct denials *d, const struct denial_why *w,
			struct strbuf *out);
/* "N accesses were denied: exec /x (not granted: filesystem.exec), ..." */
void denials_summary(const struct denials *d, const struct denial_why *w,
		     struct strbuf *out);

#endif
