/*
 * The verdict memo of `--trace` (trace_linux.c): a program names the same
 * paths again and again (every stat(1) reads /etc/passwd and
 * /etc/nsswitch.conf), and each watched call stops it until the launcher
 * answers. The memo remembers, per (need, folder, path as written), the
 * normalised path and what the plan says of it, so a repeat costs a hash
 * and a compare instead of joining, normalising and walking the plan.
 *
 * What the plan says never changes during a run. What the host says
 * (does the file exist there, is it reached through a symlink) can: the
 * caller keeps the host's answer beside it with the host's identity of
 * the path (host[]), and asks again when that identity changed
 * (tests/trace/t0526). Bounded: past TRACE_VERDICTS_MAX entries or
 * TRACE_VERDICTS_BYTES of strings it starts over. Platform-neutral and
 * pure, so it is unit-tested (tests/unit/test_trace_verdicts.c).
 */
#ifndef SBOX_BACKEND_TRACE_VERDICTS_H
#define SBOX_BACKEND_TRACE_VERDICTS_H

#include <stddef.h>

#include "backend/trace_plan.h"

#define TRACE_VERDICTS_MAX 4096
#define TRACE_VERDICTS_BYTES (4u << 20)

struct trace_verdict {
	enum trace_need need;
	char *key;               /* base "\0" raw: folder and path as written */
	size_t base_len, raw_len;
	char *path;              /* absolute, normalised; NULL: not a path */
	const char *plan_how;    /* trace_plan_refusal() of path */
	/* the host's part, the caller's to fill and check */
	int host_known;
	unsigned long long host[4];
	const char *how;         /* the verdict once the host was asked */
};

struct trace_verdicts {
	struct trace_verdict **slots;  /* open addressing, NULL = empty */
	size_t nslots, nr, bytes;
	unsigned long starts_over;     /* times it was emptied */
};

void trace_verdicts_init(struct trace_verdicts *v);
void trace_verdicts_release(struct trace_verdicts *v);

/* base: the folder a relative raw starts from ("" for an absolute raw). */
struct trace_verdict *trace_verdicts_find(const struct trace_verdicts *v,
					  enum trace_need need,
					  const char *base, const char *raw);
/* Adds an entry (path is taken over, may be NULL); never fails. */
struct trace_verdict *trace_verdicts_add(struct trace_verdicts *v,
					 enum trace_need need,
					 const char *base, const char *raw,
					 char *path, const char *plan_how);

#endif
