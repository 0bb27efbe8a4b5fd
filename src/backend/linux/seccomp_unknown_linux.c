/*
 * System calls newer than the filter (LINUX-SECURITY.md #11, issue 10
 * item 8): a deny list only refuses the calls it names, so a call the
 * kernel gained after sbox was built (open_tree_attr, 467, is a mount
 * call) would pass. Every number libseccomp cannot name answers ENOSYS,
 * as on a kernel without the call, so libc falls back where it can.
 *
 * Below the highest known number these are libseccomp rules. Above it
 * libseccomp has no range rule, so a five-instruction check goes in front
 * of its program, the way runc does it (opencontainers/runc,
 * libcontainer/seccomp/patchbpf/enosys_linux.go: "-ENOSYS for syscalls
 * newer than the newest one in the profile"). Jumps in classic BPF are
 * relative and forward only, so prepending leaves libseccomp's program
 * intact.
 */
#include "backend/linux/seccomp_rules_linux.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Far above any table: the search for the highest known number stops. */
#define SCAN_LIMIT 4096
/* x86_64: numbers with this bit are x32 calls, which libseccomp's own
 * architecture check kills; leave them to it. */
#define X32_SYSCALL_BIT 0x40000000u

int
seccomp_highest_known(void)
{
	int highest = -1;

	for (int nr = 0; nr < SCAN_LIMIT; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
							      nr);

		if (name)
			highest = nr;
		free(name);
	}
	return highest;
}

int
seccomp_add_unknown_rules(scmp_filter_ctx ctx)
{
	int highest = seccomp_highest_known();

	if (highest < 0)
		return -1;
	for (int nr = 0; nr < highest; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
							      nr);

		if (name) {
			free(name);
			continue;
		}
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) < 0)
			return -1;
	}
	return 0;
}

int
seccomp_prepend_unknown_check(struct seccomp_bpf *bpf)
{
	const uint32_t arch = seccomp_arch_native();
	const int x86_64 = arch == AUDIT_ARCH_X86_64;
	const int highest = seccomp_highest_known();
	/* on another architecture, or an x32 call: libseccomp decides */
	const struct sock_filter check[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 x86_64 ? X32_SYSCALL_BIT : 0xffffffffu, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)highest, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	const size_t n = sizeof(check) / sizeof(check[0]);
	struct sock_filter *all;

	if (highest < 0 || bpf->len + n > BPF_MAXINSNS)
		return -1;
	all = xcalloc(bpf->len + n, sizeof(*all));
	memcpy(all, check, sizeof(check));
	memcpy(all + n, bpf->insns, bpf->len * sizeof(*all));
	free((void *)bpf->insns);
	bpf->insns = all;
	bpf->len += n;
	return 0;
}
