/*
 * `--trace` and the calls sbox's enforcing seccomp program refuses
 * (seccomp_refusal_linux.c): socket families a network mode does not
 * have, the mount family, terminal injection, set-id modes, executable
 * memfds, the deny list, numbers newer than the build.
 *
 * Those are answered by the kernel from the program (SECCOMP_RET_ERRNO)
 * and the supervisor never sees them. Under --trace only, the program is
 * loaded with each SECCOMP_RET_ERRNO turned into SECCOMP_RET_USER_NOTIF
 * (seccomp_refusal_notify_copy); the launcher runs the unchanged program
 * on the call (seccomp_eval_linux.h), answers the errno it gives and
 * records the refusal. The decision stays the program's: a call it
 * refuses is never let through, and whatever goes wrong (the program
 * cannot be run, it answers something a notification cannot carry) is
 * answered EPERM. If the launcher dies, the kernel answers ENOSYS.
 *
 * One listener: the kernel allows one USER_NOTIF listener per filter
 * tree (seccomp(2): a second SECCOMP_FILTER_FLAG_NEW_LISTENER fails with
 * EBUSY), and trace_filter_join already makes the enforcing and the
 * observing program one, so the rewritten answers reach the same
 * listener as the observing ones and init's memfd/listen ones. That is
 * also why a program inside cannot take these notifications over with
 * a filter and listener of its own: it cannot get a listener at all.
 */
#ifndef SBOX_BACKEND_SECCOMP_REFUSAL_LINUX_H
#define SBOX_BACKEND_SECCOMP_REFUSAL_LINUX_H

#include <linux/seccomp.h>
#include <stddef.h>

#include "backend/denials.h"
#include "backend/linux/seccomp_linux.h"

/* in with every SECCOMP_RET_ERRNO return made SECCOMP_RET_USER_NOTIF (heap,
 * free out->insns); -1 when in has a computed return. */
int seccomp_refusal_notify_copy(const struct seccomp_bpf *in,
				struct seccomp_bpf *out);

/* What a call refused with err is, in sbox's vocabulary: 0 and the
 * operation and target (for DENY_SETUID the target is left for the
 * caller to read: the path is in the process's memory), 1 when it is
 * not recorded (clone3 and openat2: libc falls back at once). */
int seccomp_refusal_classify(const struct seccomp_data *d, int err,
			     enum denial_op *op, char *target, size_t size);

struct lx_trace;
/*
 * The trace supervisor's hook (trace_linux.c), called first for every
 * notification: 1 when it answered it (a refusal of the enforcing
 * program, answered with its errno and recorded, or an inconsistency,
 * answered EPERM), 0 when the enforcing program lets the call on to the
 * caller's own handling (init's memfd/listen, the observing part).
 */
int lx_refusal_answer(struct lx_trace *t, const struct seccomp_notif *n);

#endif
