/*
 * trace-roundtrip: what one watched call costs under --trace, and the
 * floor any seccomp user-notification supervisor pays for it on this
 * machine (tools/bench/trace-roundtrip.sh runs both).
 *
 *   trace-roundtrip stat PATH N      N stat(2) calls of PATH, timed
 *   trace-roundtrip floor N [poll]   the same N calls in a child whose only
 *       filter notifies newfstatat; this process answers each the least
 *       way possible (RECV, one process_vm_readv of the path, SEND
 *       "continue", SYNC_WAKE_UP set), blocking in RECV or, with "poll",
 *       in poll(2) first. Prints the wall time per call and the CPU time of
 *       both sides.
 *   trace-roundtrip exec CMD ARGS... CMD under sbox's own observing filter
 *       (the calls --trace watches, with its exemptions: build/gen/
 *       trace_bpf.o), each answered the same least way: the floor of any
 *       tracer that stops those calls, on a whole workload (trace.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/linux/trace_filter_linux.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
stat_loop(const char *path, long n)
{
	struct stat st;
	double start = now();

	for (long i = 0; i < n; i++)
		(void)stat(path, &st);
	return (now() - start) / (double)n * 1e6;
}

static int
pass_fd(int sock, int fd, int sending)
{
	char byte = 0;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { &byte, 1 };
	struct msghdr m;

	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = c.buf;
	m.msg_controllen = sizeof(c.buf);
	if (sending) {
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
		return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
	}
	if (recvmsg(sock, &m, 0) != 1 || !CMSG_FIRSTHDR(&m))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

static void
child(int sock, long n)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_newfstatat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 4, f };
	int l;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    (l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) < 0 ||
	    pass_fd(sock, l, 1) < 0) {
		perror("trace-roundtrip: seccomp");
		_exit(1);
	}
	close(l);
	printf("floor: %.2f us/call wall\n", stat_loop("/usr", n));
	fflush(stdout);
	_exit(0);
}

/* The path argument: the first of the calls with a directory descriptor
 * before it is the second (openat, newfstatat, statx, ...). */
static uint64_t
path_arg(const struct seccomp_notif *req)
{
	switch (req->data.nr) {
	case SYS_open: case SYS_creat: case SYS_stat: case SYS_lstat:
	case SYS_access: case SYS_readlink: case SYS_mkdir: case SYS_mknod:
	case SYS_unlink: case SYS_rmdir: case SYS_rename: case SYS_link:
	case SYS_symlink: case SYS_truncate: case SYS_chmod: case SYS_chown:
	case SYS_lchown: case SYS_utimes: case SYS_chdir: case SYS_execve:
		return req->data.args[0];
	default:
		return req->data.args[1];
	}
}

static int
answer_one(int l)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	char path[4096];
	struct iovec local = { path, sizeof(path) }, remote;
	uint64_t addr;

	memset(&req, 0, sizeof(req));
	if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return -1;
	addr = path_arg(&req);
	remote.iov_base = (void *)(uintptr_t)addr;
	remote.iov_len = 4096 - (addr & 4095);
	local.iov_len = remote.iov_len;
	(void)process_vm_readv((pid_t)req.pid, &local, 1, &remote, 1, 0);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	(void)ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return 0;
}

static int
hung_up(int l)
{
	struct pollfd p = { l, POLLIN, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) &&
	       !(p.revents & POLLIN);
}

static void
exec_child(int sock, char **argv)
{
	struct sock_fprog prog = {
		(unsigned short)trace_filter_embedded.len,
		(struct sock_filter *)(uintptr_t)trace_filter_embedded.insns,
	};
	int l;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    (l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) < 0 ||
	    pass_fd(sock, l, 1) < 0) {
		perror("trace-roundtrip: seccomp");
		_exit(126);
	}
	close(l);
	close(sock);
	execvp(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

/* Answers until the listener hangs up: every process of the filter gone. */
static void
answer_all(int l)
{
	for (;;)
		if (answer_one(l) < 0 && errno != EINTR && hung_up(l))
			return;
}

static int
exec_run(char **argv)
{
	int sv[2], l, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (pid = fork()) < 0)
		return 1;
	if (pid == 0)
		exec_child(sv[1], argv);
	close(sv[1]);
	if ((l = pass_fd(sv[0], -1, 0)) < 0)
		return 1;
	(void)ioctl(l, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL);
	answer_all(l);
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double
cpu_of(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int
floor_run(long n, int use_poll)
{
	int sv[2], l, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0)
		child(sv[1], n);
	if ((l = pass_fd(sv[0], -1, 0)) < 0)
		return 1;
	(void)ioctl(l, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL);
	for (;;) {
		struct pollfd p = { l, POLLIN, 0 };

		if (!use_poll) {
			answer_all(l);
			break;
		}
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		/* RECV fails (ENOENT) once the child is gone */
		if (answer_one(l) < 0 && errno != EINTR && hung_up(l))
			break;
	}
	waitpid(pid, &status, 0);
	printf("floor: supervisor %.2f us/call cpu, caller %.2f us/call cpu\n",
	       cpu_of(RUSAGE_SELF) / (double)n * 1e6,
	       cpu_of(RUSAGE_CHILDREN) / (double)n * 1e6);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "stat")) {
		printf("%s: %.2f us/call wall\n", argv[2],
		       stat_loop(argv[2], atol(argv[3])));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "floor"))
		return floor_run(atol(argv[2]), argc > 3 && !strcmp(argv[3], "poll"));
	if (argc >= 3 && !strcmp(argv[1], "exec"))
		return exec_run(argv + 2);
	fprintf(stderr, "usage: trace-roundtrip stat PATH N | floor N [poll]"
		" | exec CMD ARGS...\n");
	return 2;
}
