/*
 * The seccomp filter every container gets (linux_plan_seccomp_deny and
 * the argument rules listed in linux_plan_seccomp_args), built with
 * libseccomp in the launcher and loaded in the container last before
 * execve (STYLE.md §1: "seccomp last"). Building it before the clone
 * keeps libseccomp's allocations out of the container's setup.
 */
#ifndef SBOX_BACKEND_SECCOMP_LINUX_H
#define SBOX_BACKEND_SECCOMP_LINUX_H

#include <stddef.h>

#include "util/err.h"

/* The filter as classic BPF, built before the container exists. */
struct seccomp_bpf {
	void *insns;     /* struct sock_filter[] */
	size_t len;      /* instructions */
};

int seccomp_filter_build(struct seccomp_bpf *out, struct sbox_err *err);
void seccomp_bpf_release(struct seccomp_bpf *bpf);
/* Load it into the calling thread (needs no_new_privs); no allocation. */
int seccomp_filter_load(const struct seccomp_bpf *bpf, struct sbox_err *err);

#endif
