/*
 * The seccomp program sbox embeds (generated at build time by
 * tools/gen-seccomp.c) is exactly what libseccomp builds now from the
 * current rules, and it refuses what linux_plan_seccomp_args promises.
 */
#include "unit/testutil.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/seccomp_linux.h"

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
	const struct sock_filter *emb = seccomp_filter_embedded.insns;
	const struct sock_filter *now;
	struct sbox_err err = SBOX_ERR_INIT;
	struct seccomp_bpf built;

	(void)state;
	if (seccomp_filter_build(&built, &err) < 0)
		fail_msg("seccomp_filter_build: %s", err.msg);
	now = built.insns;
	for (size_t i = 0; i < built.len && i < seccomp_filter_embedded.len; i++) {
		if (!memcmp(&emb[i], &now[i], sizeof(emb[i])))
			continue;
		print_insn("embedded", i, &emb[i]);
		print_insn("built", i, &now[i]);
		seccomp_bpf_release(&built);
		fail_msg("instruction %zu differs: rebuild (make)", i);
	}
	assert_int_equal(seccomp_filter_embedded.len, built.len);
	assert_true(built.len > 45); /* arch check + ~45 rules */
	seccomp_bpf_release(&built);
}

/* Run in a child under the embedded filter; its exit code names the
 * first call that was not refused as promised (0: all were). */
static int
probe_under_filter(void)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char c = 'x';

	if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    seccomp_filter_load(&seccomp_filter_embedded, &err) < 0)
		return 99;
	if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) != -1 || errno != EPERM)
		return 1;
	if (syscall(SYS_bpf, 0, NULL, 0) != -1 || errno != EPERM)
		return 2;
	if (unshare(CLONE_NEWUSER) != -1 || errno != EPERM)
		return 3;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		return 4;
	/* /dev/null is no terminal: without the filter this is ENOTTY */
	if (syscall(SYS_ioctl, fd, 0x100000000ul | TIOCSTI, &c) != -1 ||
	    errno != EPERM)
		return 5;
	if (ioctl(fd, FIONREAD, &c) == -1 && errno == EPERM)
		return 6; /* other ioctls still reach the driver */
	if (getpid() <= 0)
		return 7;
	return 0;
}

static void
test_embedded_refuses(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(probe_under_filter());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 99)
		skip(); /* no seccomp here (a container without it) */
	assert_int_equal(WEXITSTATUS(status), 0);
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
static void
test_not_linux(void **state)
{
	(void)state;
	skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_linux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
