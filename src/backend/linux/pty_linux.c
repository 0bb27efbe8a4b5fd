/*
 * The program's terminal on Linux (--pty; pty_relay.h has the why). The
 * container's first process opens a pty in the container's own devpts
 * (rootfs_linux.c mounts it), before Landlock and seccomp, and sends the
 * master to the launcher over a socket (SCM_RIGHTS: the two processes
 * share memory but not descriptors); it keeps the slave for the program,
 * which makes it its controlling terminal after setsid.
 *
 * Opening the pty inside rather than passing one of the host's keeps the
 * program away from the host's devpts: `tty` says /dev/pts/0, /dev/tty
 * and the slave's name open inside, and no other terminal is there.
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int
lx_pty_open(struct lx_launch *lx, struct sbox_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	int master, unlock = 0;
	char byte = 'm';

	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return err_sys(err, "cannot open the container's /dev/pts/ptmx");
	/* TIOCGPTPEER (Linux 4.13) opens the slave without a path lookup */
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    (lx->pty_slave = ioctl(master, TIOCGPTPEER,
				   O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    pty_relay_slave_setup(&lx->pty, lx->pty_slave) < 0) {
		err_sys(err, "cannot open the program's terminal");
		close(master);
		return -1;
	}
	/* root through sudo: the program runs as the user, who must be
	 * able to open its terminal by name again (ttyname, write(1)) */
	if (lx->run_uid != lx->uid)
		(void)fchown(lx->pty_slave, lx->run_uid, lx->run_gid);
	memset(&msg, 0, sizeof(msg));
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_RIGHTS;
	CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &master, sizeof(int));
	if (sendmsg(lx->pty_sock, &msg, MSG_NOSIGNAL) != 1) {
		err_sys(err, "cannot pass the program's terminal to sbox");
		close(master);
		return -1;
	}
	close(master);
	close(lx->pty_sock);
	lx->pty_sock = -1;
	return 0;
}

int
lx_pty_receive(int sock)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct cmsghdr *c;
	struct iovec iov;
	char byte;
	int fd = -1;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	if (recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}
