/*
 * The seccomp filter every container gets (linux_plan_seccomp_deny and
 * the argument rules listed in linux_plan_seccomp_args), built with
 * libseccomp and loaded last before execve (STYLE.md §1: "seccomp last").
 */
#ifndef SBOX_BACKEND_SECCOMP_LINUX_H
#define SBOX_BACKEND_SECCOMP_LINUX_H

#include "util/err.h"

/* Build and load the filter into the calling thread (needs no_new_privs). */
int seccomp_filter_apply(struct sbox_err *err);

#endif
