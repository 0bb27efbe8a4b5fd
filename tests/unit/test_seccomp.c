/*
 * The seccomp program sbox embeds (generated at build time by
 * tools/gen-seccomp.c) are exactly what libseccomp builds now from the
 * current rules, and they refuse what linux_plan_seccomp_args and
 * linux_plan_socket_rules promise (tests/security/t0503 does it for real
 * inside containers).
 */
#include "unit/testutil.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/linux/seccomp_linux.h"
#include "backend/linux/seccomp_rules_linux.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010u
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static void
print_insn(const char *what, size_t i, const struct sock_filter *f)
{
	print_error("%s[%zu] = { 0x%04x, %u, %u, 0x%08x }\n", what, i, f->code,
		    f->jt, f->jf, f->k);
}

/* A stale generated file or a broken generator shows up here. */
static void
test_embedded_equals_built(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	for (int which = 0; which < LPS_COUNT; which++) {
		const struct seccomp_bpf *e = &seccomp_filters_embedded[which];
		const struct sock_filter *emb = e->insns, *now;
		struct seccomp_bpf built;

		if (seccomp_filter_build((enum lplan_sockets)which, &built,
					 &err) < 0)
			fail_msg("seccomp_filter_build: %s", err.msg);
		now = built.insns;
		for (size_t i = 0; i < built.len && i < e->len; i++) {
			if (!memcmp(&emb[i], &now[i], sizeof(emb[i])))
				continue;
			print_insn("embedded", i, &emb[i]);
			print_insn("built", i, &now[i]);
			seccomp_bpf_release(&built);
			fail_msg("program %d, instruction %zu differs: rebuild "
				 "(make)", which, i);
		}
		assert_int_equal(e->len, built.len);
		assert_true(built.len > 45); /* arch check + ~45 rules */
		seccomp_bpf_release(&built);
	}
}

/* A call the kernel answers without side effects, through the filter. */
static int
refused_with(long ret, int want)
{
	return ret == -1 && errno == want;
}

/* The last number below the highest that libseccomp cannot name (not the
 * first: x86_64's 335 and 336 are uretprobe and uprobe, which the kernel
 * lets past seccomp and which raise SIGILL outside a probe). */
static int
last_hole(void)
{
	for (int nr = seccomp_highest_known() - 1; nr >= 0; nr--) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
							      nr);

		if (!name)
			return nr;
		free(name);
	}
	return seccomp_highest_known() + 1;
}

/* Run in a child under the embedded filter; its exit code names the
 * first call that was not refused as promised (0: all were). */
static int
probe_under_filter(enum lplan_sockets which)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char c = 'x';

	if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    seccomp_filter_load(&seccomp_filters_embedded[which], &err) < 0)
		return 99;
	if (!refused_with(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM))
		return 1;
	if (!refused_with(syscall(SYS_bpf, 0, NULL, 0), EPERM))
		return 2;
	if (!refused_with(unshare(CLONE_NEWUSER), EPERM))
		return 3;
	if (!refused_with(syscall(SYS_clone3, NULL, 0), ENOSYS))
		return 4;
	/* /dev/null is no terminal: without the filter this is ENOTTY */
	if (!refused_with(syscall(SYS_ioctl, fd, 0x100000000ul | TIOCSTI, &c),
			  EPERM))
		return 5;
	if (ioctl(fd, FIONREAD, &c) == -1 && errno == EPERM)
		return 6; /* other ioctls still reach the driver */
	if (getpid() <= 0)
		return 7;
	/* above the build's table, and a hole in it */
	if (!refused_with(syscall(seccomp_highest_known() + 1, 0, 0, 0), ENOSYS) ||
	    !refused_with(syscall(last_hole(), 0), ENOSYS))
		return 8;
	if (!refused_with(socket(AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT) ||
	    !refused_with(socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG),
			  EPROTONOSUPPORT))
		return 9;
	if (!refused_with(syscall(SYS_memfd_create, "x", MFD_EXEC), EACCES))
		return 10;
	if (which == LPS_TCP_RULED &&
	    !refused_with(socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP),
			  EPROTONOSUPPORT))
		return 11;
	if (which == LPS_LOCAL &&
	    !refused_with(socket(AF_INET, SOCK_STREAM, 0), EAFNOSUPPORT))
		return 12;
	return 0;
}

static void
test_embedded_refuses(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	for (int which = 0; which < LPS_COUNT; which++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(probe_under_filter((enum lplan_sockets)which));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 99)
			skip(); /* no seccomp here (a container without it) */
		if (WEXITSTATUS(status))
			print_error("program %d: check %d\n", which,
				    WEXITSTATUS(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_equals_built),
		cmocka_unit_test(test_embedded_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
#include "unit/not_linux_main.h"
#endif
