/*
 * A forked child under a seccomp program with a user-notification
 * listener, handed to the test over a socket pair (SCM_RIGHTS), for the
 * tests that answer real notifications (test_seccomp_refusal.c,
 * test_trace.c). Linux only.
 */
#ifndef SBOX_TESTS_UNIT_LISTENER_CHILD_H
#define SBOX_TESTS_UNIT_LISTENER_CHILD_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
listener_send(int sock, int fd)
{
	char byte = 0;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *h;

	memset(&msg, 0, sizeof(msg));
	memset(&c, 0, sizeof(c));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	h = CMSG_FIRSTHDR(&msg);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The test's end: the child's listener, -1 when none came. */
static int
listener_receive(int sock)
{
	char byte;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	int fd = -1;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	if (recvmsg(sock, &msg, 0) == 1 && CMSG_FIRSTHDR(&msg))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	return fd;
}

/*
 * In the child: load prog with a new listener and send it over sock.
 * Exits 2 when no_new_privs cannot be set, 3 when the program or the
 * listener does not go through (a failing test shows which).
 */
static void
listener_child_install(int sock, const struct sock_fprog *prog)
{
	long l;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(2);
	l = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	if (l < 0 || listener_send(sock, (int)l) < 0)
		_exit(3);
	close((int)l);
}

#endif
