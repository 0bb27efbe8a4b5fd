/*
 * The container's init answers the system calls the seccomp program hands
 * it (SECCOMP_RET_USER_NOTIF, seccomp_unotify(2)): memfd_create without
 * MFD_NOEXEC_SEAL (seccomp_memfd_linux.c) and, where Landlock rules TCP,
 * listen() (seccomp_sockets_linux.c).
 *
 * The answers never let the kernel run the program's own call afterwards
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE): between our look and the call, a
 * thread of the program could swap what the descriptor names
 * (seccomp_unotify(2), "Caveats"). init does the call itself, on the
 * object it looked at, and hands back the result:
 *  - memfd_create: init makes the memfd with MFD_NOEXEC_SEAL added and
 *    installs it in the program (SECCOMP_IOCTL_NOTIF_ADDFD, which answers
 *    the call with the new number in the same step);
 *  - listen: init takes the program's socket (pidfd_getfd), refuses an IP
 *    socket that is not bound (the kernel would bind an ephemeral port
 *    that Landlock's bind rule never sees) and calls listen() on it.
 *
 * init runs beside the launcher in shared memory: nothing here allocates.
 * init itself is not under the filter (program_exec loads it), so its own
 * memfd_create and listen reach the kernel.
 */
#include "backend/linux/supervise_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008u
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001u
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
/* pidfd_open(2): a pidfd for a thread (Linux 6.9; O_EXCL's value) */
#define PIDFD_THREAD_FLAG O_EXCL
/* memfd_create(2): a name of at most 249 bytes */
#define MFD_NAME_MAX 249

/* The kernel's notification may be larger than our header's: ask once. */
union notif_buf {
	struct seccomp_notif n;
	char bytes[LX_SUPERVISE_NOTIF_BUF];
};

int
lx_supervise_send_fd(int sock, int fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	char byte = 'n';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *c;

	memset(&msg, 0, sizeof(msg));
	memset(ctl, 0, sizeof(ctl));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int
lx_supervise_recv_fd(int sock)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *c;
	int fd = -1;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	if (recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Is the notification still pending (the caller alive, same call)? */
static int
still_valid(int nfd, uint64_t id)
{
	return ioctl(nfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* The name the program passed, or "" when it cannot be read. */
static int
read_memfd_name(const struct seccomp_notif *req, char *name)
{
	struct iovec local = { name, MFD_NAME_MAX + 1 };
	struct iovec remote = { (void *)(uintptr_t)req->data.args[0],
				MFD_NAME_MAX + 1 };
	ssize_t n = process_vm_readv((pid_t)req->pid, &local, 1, &remote, 1, 0);

	if (n < 0 && errno == EPERM) {
		/* a program that made itself non-dumpable: no name */
		name[0] = '\0';
		return 0;
	}
	if (n <= 0)
		return -EFAULT;
	if (!memchr(name, '\0', (size_t)n))
		return n > MFD_NAME_MAX ? -EINVAL : -EFAULT;
	return 0;
}

static int
answer_memfd(int nfd, const struct seccomp_notif *req, int unsealed_ok)
{
	unsigned flags = (unsigned)req->data.args[1];
	char name[MFD_NAME_MAX + 1];
	struct seccomp_notif_addfd add;
	int r = read_memfd_name(req, name), fd;

	if (r < 0)
		return r;
	if (!still_valid(nfd, req->id))
		return -ENOENT;
	fd = (int)syscall(SYS_memfd_create, name, flags | MFD_NOEXEC_SEAL);
	/* a kernel before 6.3, and --allow-weaker said so */
	if (fd < 0 && errno == EINVAL && unsealed_ok)
		fd = (int)syscall(SYS_memfd_create, name, flags);
	if (fd < 0)
		return -errno;
	memset(&add, 0, sizeof(add));
	add.id = req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = (uint32_t)fd;
	add.newfd_flags = (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0;
	r = ioctl(nfd, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	r = r < 0 ? -errno : 1;
	close(fd);
	return r; /* 1: answered by ADDFD already */
}

/* An IP socket must be bound before it listens; others just listen. */
static int
listen_checked(int sock, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int domain;
	socklen_t dlen = sizeof(domain);

	if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) < 0)
		return -errno;
	if (domain == AF_INET || domain == AF_INET6) {
		if (getsockname(sock, (struct sockaddr *)&ss, &len) < 0)
			return -errno;
		/* sin_port and sin6_port are at the same offset */
		if (((struct sockaddr_in *)&ss)->sin_port == 0)
			return -EACCES;
	}
	return listen(sock, backlog) < 0 ? -errno : 0;
}

/* The thread group of thread tid, from /proc (the container's own). */
static pid_t
thread_group_of(pid_t tid)
{
	char path[64], buf[512], *at;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	at = strstr(buf, "\nTgid:");
	return at ? (pid_t)strtol(at + 6, NULL, 10) : -1;
}

/* A pidfd for the caller, which may be any thread of the program (Go
 * listens from any): PIDFD_THREAD from Linux 6.9, else its group. */
static int
caller_pidfd(pid_t tid)
{
	int fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD_FLAG);
	pid_t tgid;

	if (fd >= 0 || errno != EINVAL)
		return fd;
	/* not a group leader: EINVAL before Linux 6.9, ENOENT since */
	fd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (fd >= 0 || (errno != EINVAL && errno != ENOENT) ||
	    (tgid = thread_group_of(tid)) <= 0)
		return fd;
	return (int)syscall(SYS_pidfd_open, tgid, 0);
}

static int
answer_listen(int nfd, const struct seccomp_notif *req)
{
	int pidfd = caller_pidfd((pid_t)req->pid), sock, r;

	if (pidfd < 0)
		return -errno;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, (int)req->data.args[0], 0);
	r = sock < 0 ? -errno : 0;
	close(pidfd);
	if (r < 0)
		return r; /* EBADF; EPERM for a non-dumpable program */
	if (!still_valid(nfd, req->id))
		r = -ENOENT;
	else
		r = listen_checked(sock, (int)req->data.args[1]);
	close(sock);
	return r;
}

void
lx_supervise_answer(int nfd, int unsealed_ok)
{
	union notif_buf buf;

	memset(&buf, 0, sizeof(buf));
	if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &buf.n) < 0)
		return; /* the caller died meanwhile (ENOENT), or EINTR */
	lx_supervise_answer_notif(nfd, &buf.n, unsealed_ok);
}

int
lx_supervise_handles(int nr)
{
	return nr == SYS_memfd_create || nr == SYS_listen;
}

void
lx_supervise_answer_notif(int nfd, const struct seccomp_notif *n,
			  int unsealed_ok)
{
	struct seccomp_notif_resp resp;
	int r;

	if (n->data.nr == SYS_memfd_create)
		r = answer_memfd(nfd, n, unsealed_ok);
	else if (n->data.nr == SYS_listen)
		r = answer_listen(nfd, n);
	else
		r = -ENOSYS;
	if (r > 0)
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = n->id;
	resp.error = r;
	(void)ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int
lx_supervise_sizes_fit(void)
{
	struct seccomp_notif_sizes sz;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return 0;
	return sz.seccomp_notif <= sizeof(union notif_buf) &&
	       sz.seccomp_notif_resp <= sizeof(struct seccomp_notif_resp);
}
