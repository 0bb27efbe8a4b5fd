/*
 * The observing part of `--trace` (trace_linux.c): a seccomp program that
 * asks the supervisor about the file, exec and socket calls and allows
 * everything else. It is joined after the container's enforcing program
 * into one filter (trace_filter_join): every "allow" of the enforcing
 * program becomes a jump into this one, every other answer (errno, kill,
 * the notifications init's supervisor answers) stays. So this part only
 * ever sees calls the enforcing program allows, and the supervisor's only
 * answer to those, SECCOMP_USER_NOTIF_FLAG_CONTINUE, lets them go on to
 * the mounts and Landlock exactly as an untraced call does. One filter,
 * because the kernel allows one listener per task (seccomp(2), EBUSY).
 * (The enforcing program's errno answers reach the same listener: under
 * --trace they are made notifications before the join, and answered with
 * the same errno: seccomp_refusal_linux.h.)
 */
#ifndef SBOX_BACKEND_TRACE_FILTER_LINUX_H
#define SBOX_BACKEND_TRACE_FILTER_LINUX_H

#include "backend/linux/seccomp_linux.h"

/* The calls the filter asks about, by name (NULL-terminated). */
extern const char *const trace_filter_calls[];

/* Built at build time by tools/gen-trace-filter.c, like the enforcing one. */
extern const struct seccomp_bpf trace_filter_embedded;

/* Build it with libseccomp (the generator and the tests). */
int trace_filter_build(struct seccomp_bpf *out, struct sbox_err *err);

/* enforcing, then observing, as one program (heap, into out); -1 when the
 * enforcing program returns anything but constants or it would be too long. */
int trace_filter_join(const struct seccomp_bpf *enforcing,
		      const struct seccomp_bpf *observing,
		      struct seccomp_bpf *out);

#endif
