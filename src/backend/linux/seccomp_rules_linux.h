/*
 * The pieces of the seccomp program that are not the plain deny list,
 * each in its own file, used by seccomp_build_linux.c (build time only:
 * these link libseccomp).
 */
#ifndef SBOX_BACKEND_SECCOMP_RULES_LINUX_H
#define SBOX_BACKEND_SECCOMP_RULES_LINUX_H

#include <seccomp.h>

#include "backend/linux/linux_plan.h"
#include "backend/linux/seccomp_linux.h"

/* seccomp_unknown_linux.c: ENOSYS for every number libseccomp cannot name
 * up to the highest it knows (holes in the table) ... */
int seccomp_add_unknown_rules(scmp_filter_ctx ctx);
/* ... and, prepended to the exported program, for every number above. */
int seccomp_prepend_unknown_check(struct seccomp_bpf *bpf);
/* The highest system call number libseccomp knows here. */
int seccomp_highest_known(void);

/* seccomp_sockets_linux.c: socket families and protocols, and listen(). */
int seccomp_add_socket_rules(scmp_filter_ctx ctx, enum lplan_sockets which);

/* seccomp_memfd_linux.c: memfd_create goes to init unless already sealed
 * non-executable (supervise_linux.c answers). */
int seccomp_add_memfd_rules(scmp_filter_ctx ctx);

/*
 * Refuse with `action` every value v of (argument arg & field) that is not
 * in allowed[] (sorted, ascending), when the conditions in `when` hold.
 * libseccomp takes one comparison per argument and rule, so the values
 * between allowed ones become aligned power-of-two blocks (masked
 * compares), and, when field is the whole argument, "greater than the
 * largest allowed" covers the rest (64-bit: high bits set also match, so
 * it fails closed for int arguments the kernel truncates).
 */
int seccomp_refuse_outside(scmp_filter_ctx ctx, uint32_t action, int nr,
			   unsigned arg, uint64_t field,
			   const uint64_t *allowed, size_t nallowed,
			   const struct scmp_arg_cmp *when, unsigned nwhen);

#endif
