/*
 * The seccomp filter every container gets (linux_plan_seccomp_deny and
 * the argument rules listed in linux_plan_seccomp_args), loaded in the
 * container last before execve (STYLE.md §1: "seccomp last").
 *
 * The filter depends on the definition only through its network mode
 * (which sockets: one program per enum lplan_sockets, three in all), on
 * the deny list, the argument rules and the architecture, and libseccomp
 * is linked statically, so its syscall tables are frozen at build time
 * anyway. So libseccomp builds it once, at build time: tools/gen-seccomp.c
 * calls seccomp_filter_build() and writes the program into
 * $(BUILD)/gen/seccomp_bpf.c, which sbox carries as read-only data
 * (seccomp_filters_embedded). Building it at every launch cost ~0.4 ms of
 * an ~11 ms `sbox launch`, and sbox no longer links libseccomp at all.
 * tests/unit/test_seccomp.c checks that the programs are the same.
 */
#ifndef SBOX_BACKEND_SECCOMP_LINUX_H
#define SBOX_BACKEND_SECCOMP_LINUX_H

#include <stddef.h>

#include "backend/linux/linux_plan.h"
#include "util/err.h"

/* The filter as classic BPF. */
struct seccomp_bpf {
	const void *insns; /* struct sock_filter[] */
	size_t len;        /* instructions */
};

/* The programs generated at build time, one per enum lplan_sockets (the
 * socket rules differ by network mode), in read-only data: never
 * released. */
extern const struct seccomp_bpf seccomp_filters_embedded[LPS_COUNT];

/* The names of the calls the build knows, by number (NULL: a hole), for
 * the records of `--trace` (seccomp_refusal_linux.c); generated too. */
extern const char *const seccomp_call_names[];
extern const size_t seccomp_call_names_len;

/* Build one with libseccomp (seccomp_build_linux.c: the generator and the
 * tests use it, sbox does not); release what it returns. */
int seccomp_filter_build(enum lplan_sockets sockets, struct seccomp_bpf *out,
			 struct sbox_err *err);
void seccomp_bpf_release(struct seccomp_bpf *bpf);
/* Read a program back from the pipe fd seccomp_export_bpf wrote it to
 * (both builders: this one and trace_filter_build_linux.c); -1 when it is
 * empty or not whole instructions. */
int seccomp_bpf_read(int fd, struct seccomp_bpf *out);

/* Load it into the calling thread (needs no_new_privs); no allocation.
 * Returns the user-notification descriptor (>= 0; the program's
 * memfd_create and listen go there: supervise_linux.c), -1 on error. */
int seccomp_filter_load(const struct seccomp_bpf *bpf, struct sbox_err *err);

#endif
