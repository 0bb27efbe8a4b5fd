/*
 * The supervisor's answer to a notification under --trace
 * (lx_refusal_answer, src/backend/linux/seccomp_refusal_linux.c), with a
 * real listener: a child asks through a filter that notifies getppid and
 * openat, the test answers with a chosen "enforcing" program. A refusal
 * is answered with the program's errno and recorded; and it fails
 * closed: a program that cannot be run, an answer a notification cannot
 * carry (kill) or an "allow" for a call the observing part never asks
 * about are all answered EPERM, never let through.
 */
#include "unit/testutil.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/denials.h"
#include "backend/linux/seccomp_refusal_linux.h"
#include "backend/linux/trace_linux.h"
#include "unit/listener_child.h"

#define NR_OFF offsetof(struct seccomp_data, nr)

/* The child: getppid and openat go to the listener; the errno each got
 * goes into got[]. */
static void
child(int sock, int *got, int n)
{
	const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { 5, (struct sock_filter *)f };

	listener_child_install(sock, &fp);
	for (int i = 0; i < n; i++) {
		long r = i == n - 1 ? syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY)
				    : syscall(SYS_getppid);

		got[i] = r < 0 ? errno : 0;
	}
	_exit(0);
}

static const struct sock_filter refuse_eacces[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
};
static const struct sock_filter falls_off[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
};
static const struct sock_filter kill_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};
static const struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static void
test_answers(void **state)
{
	static const struct { const struct sock_filter *p; size_t n; } progs[] = {
		{ refuse_eacces, 1 }, { falls_off, 1 }, { kill_all, 1 },
		{ allow_all, 1 }, { allow_all, 1 },
	};
	const int n = 5;
	int *got = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int sv[2], st, handled[5];
	struct denials d;
	struct lx_trace *t = calloc(1, sizeof(*t));
	pid_t pid;

	(void)state;
	assert_true(got != MAP_FAILED && t);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(sv[1], got, n);
	denials_init(&d);
	t->out = &d;
	t->heap_ok = 1;
	t->listener = listener_receive(sv[0]);
	assert_true(t->listener >= 0);
	for (int i = 0; i < n; i++) {
		struct seccomp_notif notif;

		memset(&notif, 0, sizeof(notif));
		assert_int_equal(ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV,
				       &notif), 0);
		t->enforcing.insns = progs[i].p;
		t->enforcing.len = progs[i].n;
		handled[i] = lx_refusal_answer(t, &notif);
		if (!handled[i]) {
			/* the caller's own handling: answered here */
			struct seccomp_notif_resp r = { notif.id, 0, -ENOENT, 0 };

			assert_int_equal(ioctl(t->listener, SECCOMP_IOCTL_NOTIF_SEND,
					       &r), 0);
		}
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* a refusal: its errno, and a record of it */
	assert_int_equal(handled[0], 1);
	assert_int_equal(got[0], EACCES);
	assert_int_equal(d.nr, 1);
	assert_int_equal(d.v[0].op, DENY_SYSCALL);
	assert_string_equal(d.v[0].target, "getppid");
	assert_int_equal(d.v[0].err, EACCES);
	assert_string_equal(d.v[0].how, "seccomp");
	/* fail closed: no program, kill, allow of an unobserved call */
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(handled[i], 1);
		assert_int_equal(got[i], EPERM);
	}
	/* allowed and observed (openat): left to the observing part */
	assert_int_equal(handled[4], 0);
	assert_int_equal(got[4], ENOENT);
	assert_int_equal(d.nr, 1);
	denials_release(&d);
	close(t->listener);
	free(t);
	close(sv[0]);
	close(sv[1]);
	munmap(got, 4096);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
#include "unit/not_linux_main.h"
#endif
