/*
 * Would a Linux launch plan refuse this access? The model `--trace` uses
 * to tell a refusal from an ordinary error (trace_linux.c): the same plan
 * the launch was built from, read the way the kernel enforces it (mounts
 * first, then Landlock's rights, which add up beneath a path). Pure, so
 * it is unit-tested and platform-neutral.
 */
#ifndef SBOX_BACKEND_TRACE_PLAN_H
#define SBOX_BACKEND_TRACE_PLAN_H

#include "backend/linux/linux_plan.h"

enum trace_need {
	TN_META,   /* stat, access, readlink, chdir: only a hidden path fails */
	TN_ATTR,   /* chmod, chown, utimes: only a read-only mount fails */
	TN_READ,
	TN_WRITE,
	TN_EXEC,
};

/* Refusals, as recorded ("refused-by"). */
#define TRACE_HIDDEN "hidden"        /* not mounted in the container */
#define TRACE_MASKED "masked"        /* under a deny inside a granted tree */
#define TRACE_READONLY "read-only"   /* a read-only mount */
#define TRACE_LANDLOCK "landlock"    /* Landlock lacks the right */
#define TRACE_NONET "no-network"     /* the network namespace has no route */

/* path: absolute, normalised, as the program named it inside. NULL when
 * the plan allows it or the path is the container's own (/tmp, /proc). */
const char *trace_plan_refusal(const struct linux_plan *plan,
			       enum trace_need need, const char *path);

/* base + path made absolute, "." and ".." taken away by name; allocated.
 * base: absolute, the folder a relative path starts from. */
char *trace_plan_absolute(const char *base, const char *path);

/* TCP connect or bind to port; loopback: the address is 127/8 or ::1. */
const char *trace_plan_net_refusal(const struct linux_plan *plan, int bind,
				   int loopback, unsigned port);

#endif
