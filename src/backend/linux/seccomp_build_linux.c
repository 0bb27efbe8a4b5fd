/*
 * The seccomp program, built by libseccomp. This runs at build time, in
 * tools/gen-seccomp.c, not at every launch (seccomp_linux.h says why);
 * the unit tests run it too, to compare with the embedded copy.
 * libseccomp adds the architecture check (other architectures, i386 and
 * x32 included, are killed by the default bad-arch action;
 * LINUX-SECURITY.md #31) and compares ioctl's command on its low 32 bits
 * as the kernel does (#22, CVE-2019-10063).
 */
#include "backend/linux/seccomp_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#include "backend/linux/linux_plan.h"
#include "backend/linux/seccomp_rules_linux.h"

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

	/* terminal injection: LINUX-SECURITY.md #22; a terminal locked
	 * (TIOCEXCL) or given another line discipline (TIOCSETD) stays so
	 * after the launch, which a program must not do to one it was given
	 * (--no-pty, or a terminal on stdout/stderr only) */
	static const unsigned long tty_denied[] = {
		TIOCSTI, TIOCLINUX, TIOCEXCL, TIOCSETD,
	};

	for (size_t i = 0; i < sizeof(tty_denied) / sizeof(tty_denied[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl),
				     1, SCMP_A1(SCMP_CMP_MASKED_EQ, low32,
						tty_denied[i])) < 0)
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

/*
 * ---- setuid, setgid and file capabilities (issue 10 #2) ----
 * Whatever uid the program runs as (root launching without sudo runs it
 * as uid 0, the owner of root's files), it must not leave a set-id file
 * on the host: nosuid on the container's mounts protects only the inside.
 * As Flatpak does (flatpak-run.c, setup_seccomp: "Don't allow creating
 * setuid files"), the mode argument of every call that sets a file's mode
 * is checked for S_ISUID and S_ISGID; openat2 keeps its mode in memory
 * where seccomp cannot look, so it answers ENOSYS and libc and programs
 * fall back to openat. A file capability (security.capability) needs
 * CAP_SETFCAP, which the program never has (sandbox_linux.c caps_drop).
 */
struct setid_call {
	const char *name;
	unsigned mode_arg;   /* which argument carries the mode */
};

static const struct setid_call setid_calls[] = {
	{ "chmod", 1 }, { "fchmod", 1 }, { "fchmodat", 2 }, { "fchmodat2", 2 },
	{ "open", 2 }, { "openat", 3 }, { "creat", 1 }, { "mknod", 1 },
	{ "mknodat", 2 },
};

static int
add_setid_rules(scmp_filter_ctx ctx)
{
	static const scmp_datum_t bits[] = { S_ISUID, S_ISGID };
	int nr;

	for (size_t i = 0; i < sizeof(setid_calls) / sizeof(setid_calls[0]); i++) {
		nr = seccomp_syscall_resolve_name(setid_calls[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue;
		for (size_t b = 0; b < 2; b++) {
			struct scmp_arg_cmp cmp = {
				setid_calls[i].mode_arg, SCMP_CMP_MASKED_EQ,
				bits[b], bits[b],
			};

			if (seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), nr,
						   1, &cmp) < 0)
				return -1;
		}
	}
	nr = seccomp_syscall_resolve_name("openat2");
	if (nr != __NR_SCMP_ERROR &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) < 0)
		return -1;
	return 0;
}

int
seccomp_bpf_read(int fd, struct seccomp_bpf *out)
{
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	ssize_t n;

	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (n < 0 || !len || len % sizeof(struct sock_filter)) {
		free(buf);
		return -1;
	}
	out->insns = buf;
	out->len = len / sizeof(struct sock_filter);
	return 0;
}

/* Issue 10 items 3, 4, 5, 8, 9: seccomp_rules_linux.h. */
static int
add_kernel_filter_rules(scmp_filter_ctx ctx, enum lplan_sockets sockets)
{
	if (seccomp_add_unknown_rules(ctx) < 0 ||
	    seccomp_add_socket_rules(ctx, sockets) < 0 ||
	    seccomp_add_memfd_rules(ctx) < 0)
		return -1;
	return 0;
}

int
seccomp_filter_build(enum lplan_sockets sockets, struct seccomp_bpf *out,
		     struct sbox_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int pfd[2] = { -1, -1 }, ret = -1;

	out->insns = NULL;
	out->len = 0;
	if (!ctx)
		return err_set(err, SBOX_E_INTERNAL, "seccomp_init failed");
	/* a binary tree of syscall numbers: the kernel walks the program
	 * once per number when it is loaded (its cache of always-allowed
	 * calls), so a linear list of ~200 numbers cost a launch ~70 us */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
		err_set(err, SBOX_E_INTERNAL, "libseccomp cannot build a tree");
		goto out_release;
	}
	if (add_deny_list(ctx) < 0 || add_argument_rules(ctx) < 0 ||
	    add_kernel_filter_rules(ctx, sockets) < 0 ||
	    add_setid_rules(ctx) < 0) {
		err_set(err, SBOX_E_INTERNAL, "cannot build the seccomp filter");
		goto out_release;
	}
	/* the program is a few kilobytes: it fits in the pipe (64 KiB) */
	if (pipe2(pfd, O_CLOEXEC) < 0 || seccomp_export_bpf(ctx, pfd[1]) < 0) {
		err_set(err, SBOX_E_INTERNAL, "cannot export the seccomp filter");
		goto out_release;
	}
	close(pfd[1]);
	pfd[1] = -1;
	if (seccomp_bpf_read(pfd[0], out) < 0) {
		err_set(err, SBOX_E_INTERNAL, "cannot read the seccomp filter");
		goto out_release;
	}
	if (seccomp_prepend_unknown_check(out) < 0) {
		seccomp_bpf_release(out);
		err_set(err, SBOX_E_INTERNAL, "the seccomp filter is too long");
		goto out_release;
	}
	ret = 0;
out_release:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	seccomp_release(ctx);
	return ret;
}

void
seccomp_bpf_release(struct seccomp_bpf *bpf)
{
	free((void *)bpf->insns);
	bpf->insns = NULL;
	bpf->len = 0;
}
