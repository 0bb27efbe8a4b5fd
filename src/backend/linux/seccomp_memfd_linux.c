/*
 * Exec rules and anonymous files (issue 10 item 5; LINUX-SECURITY.md #13).
 * Landlock's EXECUTE right is checked on a file's path, and a memfd lives
 * on an internal mount Landlock does not check, so memfd_create + execveat
 * (or execve of /proc/self/fd/N) ran a binary from a tree without exec
 * rights. An anonymous file is beneath no exec rule, so it must never be
 * executable: the kernel's own answer is MFD_NOEXEC_SEAL (Linux 6.3,
 * Documentation/userspace-api/mfd_noexec.rst), a memfd without x bits and
 * sealed with F_SEAL_EXEC so that fchmod cannot add them back.
 *
 * vm.memfd_noexec = 2 in the container's pid namespace would make every
 * memfd so, but writing it needs real root (the sysctl file is root's,
 * 0644), and sbox mostly runs unprivileged. So: MFD_EXEC is refused here
 * (EACCES, as the kernel does under memfd_noexec = 2), a call that asks
 * for MFD_NOEXEC_SEAL goes through, and any other goes to the container's
 * init, which makes the memfd with MFD_NOEXEC_SEAL added and puts it in
 * the program's descriptor table (supervise_linux.c).
 */
#include "backend/linux/seccomp_rules_linux.h"

#include <errno.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008u
#define MFD_EXEC 0x0010u
#endif

int
seccomp_add_memfd_rules(scmp_filter_ctx ctx)
{
	const uint64_t both = MFD_NOEXEC_SEAL | MFD_EXEC;

	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(memfd_create),
			     1, SCMP_A1(SCMP_CMP_MASKED_EQ, both, MFD_EXEC)) < 0)
		return -1;
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(memfd_create), 1,
				SCMP_A1(SCMP_CMP_MASKED_EQ, both, 0));
}
