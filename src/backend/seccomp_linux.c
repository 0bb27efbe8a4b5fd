/*
 * libseccomp builds the BPF: it adds the architecture check (other
 * architectures, i386 and x32 included, are killed by the default
 * bad-arch action; LINUX-SECURITY.md #31) and compares ioctl's command
 * on its low 32 bits as the kernel does (#22, CVE-2019-10063).
 */
#include "backend/seccomp_linux.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>

#include "backend/linux_plan.h"

static int
add_deny_list(scmp_filter_ctx ctx)
{
	for (const char *const *name = linux_plan_seccomp_deny; *name; name++) {
		int nr = seccomp_syscall_resolve_name(*name);

		/* a call this architecture does not have needs no rule */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) < 0)
			return -1;
	}
	return 0;
}

static int
add_argument_rules(scmp_filter_ctx ctx)
{
	const scmp_datum_t low32 = 0xffffffffu;

	/* terminal injection: LINUX-SECURITY.md #22 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, low32, TIOCSTI)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, low32, TIOCLINUX)) < 0)
		return -1;
	/* nested user namespaces: #26. clone3 hides its flags in memory, so
	 * it answers ENOSYS and libc falls back to clone (#32). */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER,
				     CLONE_NEWUSER)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER,
				     CLONE_NEWUSER)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
			     0) < 0)
		return -1;
	return 0;
}

int
seccomp_filter_apply(struct sbox_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int ret = -1;

	if (!ctx)
		return err_set(err, SBOX_E_INTERNAL, "seccomp_init failed");
	if (add_deny_list(ctx) < 0 || add_argument_rules(ctx) < 0) {
		err_set(err, SBOX_E_INTERNAL, "cannot build the seccomp filter");
		goto out_release;
	}
	if (seccomp_load(ctx) < 0) {
		err_set(err, SBOX_E_UNSUPPORTED,
			"cannot load the seccomp filter (Hint: the kernel needs "
			"CONFIG_SECCOMP_FILTER)");
		goto out_release;
	}
	ret = 0;
out_release:
	seccomp_release(ctx);
	return ret;
}
