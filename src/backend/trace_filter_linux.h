/*
 * The observing seccomp filter of `--trace` (trace_linux.c). It is loaded
 * on top of the container's enforcing filter (seccomp_linux.h), which
 * stays exactly as in an untraced launch, and only asks the supervisor
 * about the file, exec and socket calls the enforcing filter already
 * allows: seccomp runs every filter and the most severe action wins, so
 * a call the enforcing filter refuses (SECCOMP_RET_ERRNO) never reaches
 * the supervisor, and the supervisor's only answer,
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE, lets a call go on to exactly the
 * checks (mounts, Landlock) an untraced call meets. See seccomp(2),
 * "Action precedence", and seccomp_unotify(2).
 */
#ifndef SBOX_BACKEND_TRACE_FILTER_LINUX_H
#define SBOX_BACKEND_TRACE_FILTER_LINUX_H

#include "backend/seccomp_linux.h"

/* The calls the filter asks about, by name (NULL-terminated). */
extern const char *const trace_filter_calls[];

/* Built at build time by tools/gen-trace-filter.c, like the enforcing one. */
extern const struct seccomp_bpf trace_filter_embedded;

/* Build it with libseccomp (the generator and the tests). */
int trace_filter_build(struct seccomp_bpf *out, struct sbox_err *err);

/* Load it into the calling thread; returns the listener fd or -1. */
int trace_filter_load(const struct seccomp_bpf *bpf, struct sbox_err *err);

#endif
