/*
 * Kernel-filter probe (issue 10 items 3, 4, 5, 8, 9): attacks on what
 * the seccomp programs and init's answers enforce, run inside a container
 * by t0503-kernel-filter.sh. Each check prints one line, "<id> ALLOWED"
 * or "<id> BLOCKED <errno name>".
 *
 *   kfilter net CONNECT BIND FORBIDDEN    sockets, listen, MPTCP ...
 *   kfilter families                      socket families
 *   kfilter exec RWDIR                    anonymous files and exec
 *   kfilter newer                         calls above libseccomp's table
 *   kfilter listen-tcp PORT               host side: accept, say "hi"
 *   kfilter connect-tcp PORT              host side: connect, read
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define IPPROTO_SMC_ 256
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x10u
#define MFD_NOEXEC_SEAL 0x08u
#endif
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static struct sockaddr_in
loopback(int port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

/* 0 when a socket of this kind could be made; the errno otherwise. */
static int
try_socket(int family, int type, int proto)
{
	int s = socket(family, type | SOCK_CLOEXEC, proto);

	if (s < 0)
		return errno;
	close(s);
	return 0;
}

/* connect, then read the host listener's greeting: 0 = got through. */
static int
try_connect(int proto, int port)
{
	struct sockaddr_in sa = loopback(port);
	char buf[8];
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, proto), r;

	if (s < 0)
		return errno;
	r = TRY(connect(s, (struct sockaddr *)&sa, sizeof(sa)));
	if (!r && read(s, buf, sizeof(buf)) <= 0)
		r = EIO;
	close(s);
	return r;
}

static int
try_bind_listen(int proto, int port)
{
	struct sockaddr_in sa = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, proto), r;

	if (s < 0)
		return errno;
	r = TRY(bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	if (!r)
		r = TRY(listen(s, 1));
	close(s);
	return r;
}

/* listen without bind: the kernel would pick a port for it */
static int
try_listen_unbound(int family, int proto)
{
	struct sockaddr_in6 ss;
	socklen_t len = sizeof(ss);
	int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, proto), r;

	if (s < 0)
		return errno;
	r = TRY(listen(s, 1));
	if (!r && getsockname(s, (struct sockaddr *)&ss, &len) == 0)
		printf("# listening unbound on port %d\n", ntohs(ss.sin6_port));
	close(s);
	return r;
}

/* TCP fast open: sendto() connects without connect() */
static int
try_fastopen(int port)
{
	struct sockaddr_in sa = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return errno;
	r = TRY(sendto(s, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&sa,
		       sizeof(sa)));
	close(s);
	return r;
}

/* an upper-layer protocol on a TCP socket ("smc" would make it SMC) */
static int
try_tcp_ulp(const char *ulp)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return errno;
	r = TRY(setsockopt(s, IPPROTO_TCP, 31 /* TCP_ULP */, ulp, strlen(ulp)));
	close(s);
	return r;
}

static int
try_unix_listen(int bound)
{
	struct sockaddr_un su;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r = 0;

	if (s < 0)
		return errno;
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "/tmp/kf-%d.sock", getpid());
	unlink(su.sun_path);
	if (bound)
		r = TRY(bind(s, (struct sockaddr *)&su, sizeof(su)));
	if (!r)
		r = TRY(listen(s, 1));
	if (!r && bound) {
		/* the listening socket takes a connection */
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		r = TRY(connect(c, (struct sockaddr *)&su, sizeof(su)));
		close(c);
	}
	close(s);
	return r;
}

/* a program that made itself non-dumpable (ssh-agent does) listens */
static int
try_listen_nondumpable(int port)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_DUMPABLE, 0);
		_exit(try_bind_listen(0, port) ? 1 : try_unix_listen(1) ? 2 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return EIO;
	return WEXITSTATUS(st) ? EPERM : 0;
}

/* listen() from a thread that is not the group leader */
static void *
thread_listen(void *arg)
{
	return (void *)(intptr_t)try_bind_listen(0, *(int *)arg);
}

static int
try_listen_in_thread(int port)
{
	pthread_t t;
	void *r = (void *)(intptr_t)EIO;

	if (pthread_create(&t, NULL, thread_listen, &port) == 0)
		pthread_join(t, &r);
	return (int)(intptr_t)r;
}

static void
checks_net(int conn, int bind_port, int forbidden)
{
	report("tcp-connect-listed", try_connect(0, conn));
	report("tcp-connect-unlisted", try_connect(0, forbidden));
	report("mptcp-connect-unlisted", try_connect(IPPROTO_MPTCP, forbidden));
	report("mptcp-bind-unlisted", try_bind_listen(IPPROTO_MPTCP, forbidden + 1));
	report("tcp-bind-listed", try_bind_listen(0, bind_port));
	report("tcp-bind-unlisted", try_bind_listen(0, forbidden + 1));
	report("listen-unbound-tcp", try_listen_unbound(AF_INET, 0));
	report("listen-unbound-tcp6", try_listen_unbound(AF_INET6, 0));
	report("listen-unbound-mptcp", try_listen_unbound(AF_INET, IPPROTO_MPTCP));
	report("fastopen-unlisted", try_fastopen(forbidden));
	report("sctp-stream", try_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	report("sctp-seqpacket", try_socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP));
	report("smc-proto", try_socket(AF_INET, SOCK_STREAM, IPPROTO_SMC_));
	report("raw-ip", try_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	report("udp", try_socket(AF_INET, SOCK_DGRAM, 0));
	report("tcp-ulp-tls", try_tcp_ulp("tls"));
	report("tcp-ulp-smc", try_tcp_ulp("smc"));
	report("unix-listen-bound", try_unix_listen(1));
	report("unix-listen-unbound", try_unix_listen(0));
	report("listen-nondumpable", try_listen_nondumpable(bind_port));
	report("listen-in-thread", try_listen_in_thread(bind_port));
}

static void
checks_families(void)
{
	int sv[2];

	report("unix", try_socket(AF_UNIX, SOCK_STREAM, 0));
	report("netlink-route", try_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	report("netlink-uevent", try_socket(AF_NETLINK, SOCK_DGRAM,
					    NETLINK_KOBJECT_UEVENT));
	report("netlink-sock-diag", try_socket(AF_NETLINK, SOCK_RAW,
					       NETLINK_SOCK_DIAG));
	report("inet", try_socket(AF_INET, SOCK_STREAM, 0));
	report("inet6", try_socket(AF_INET6, SOCK_DGRAM, 0));
	report("vsock", try_socket(AF_VSOCK, SOCK_STREAM, 0));
	report("vsock-dgram", try_socket(AF_VSOCK, SOCK_DGRAM, 0));
	report("alg", try_socket(AF_ALG, SOCK_SEQPACKET, 0));
	report("packet", try_socket(AF_PACKET, SOCK_DGRAM, 0));
	report("key", try_socket(AF_KEY, SOCK_RAW, 2));
	report("smc", try_socket(AF_SMC, SOCK_STREAM, 0));
	report("tipc", try_socket(AF_TIPC, SOCK_RDM, 0));
	report("xdp", try_socket(AF_XDP, SOCK_RAW, 0));
	/* the kernel reads the family as int: high bits must not help */
	report("unix-high-bits", syscall(SYS_socket, 0x100000000ul | AF_VSOCK,
					 SOCK_STREAM, 0) < 0 ? errno : 0);
	report("socketpair-unix", TRY(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)));
	report("socketpair-tipc", TRY(socketpair(AF_TIPC, SOCK_RDM, 0, sv)));
}

/* Run argv through fd (execveat AT_EMPTY_PATH) or path in a child:
 * 0 when the payload ran (it exits 42). */
static int
try_exec_in_child(int fd, const char *path)
{
	char *const argv[] = { "kfilter", "exit42", NULL };
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (path)
			execve(path, argv, environ);
		else
			syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		_exit(errno);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return EIO;
	return WEXITSTATUS(st) == 42 ? 0 : WEXITSTATUS(st);
}

/* a copy of this program in fd */
static int
copy_self(int fd)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (in < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(in);
	return n == 0 ? 0 : -1;
}

static int
memfd_with(unsigned flags)
{
	int fd = (int)syscall(SYS_memfd_create, "kfilter-payload", flags);

	if (fd >= 0 && copy_self(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
memfd_name_nondumpable(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		char link[64], target[64];
		int fd;
		ssize_t n;

		prctl(PR_SET_DUMPABLE, 0);
		fd = (int)syscall(SYS_memfd_create, "secret-agent", 0);
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		_exit(strcmp(target, "/memfd:secret-agent (deleted)") ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return EIO;
	return WEXITSTATUS(st) ? EINVAL : 0;
}

static void
checks_exec(const char *rw)
{
	char path[4200], link[64], target[256];
	ssize_t n;
	int fd;

	fd = memfd_with(MFD_CLOEXEC);
	report("memfd-create", fd < 0 ? errno : 0);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	report("memfd-name-kept",
	       strcmp(target, "/memfd:kfilter-payload (deleted)") ? EINVAL : 0);
	report("memfd-cloexec-kept", (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? 0 : EINVAL);
	report("memfd-nondumpable-name-kept", memfd_name_nondumpable());
	report("memfd-execveat", try_exec_in_child(fd, NULL));
	report("memfd-proc-fd-exec", try_exec_in_child(-1, link));
	report("memfd-fchmod-x", TRY(fchmod(fd, 0755)));
	report("memfd-execveat-after-fchmod", try_exec_in_child(fd, NULL));
	close(fd);
	fd = memfd_with(MFD_EXEC);
	report("memfd-mfd-exec", fd < 0 ? errno : try_exec_in_child(fd, NULL));
	if (fd >= 0)
		close(fd);
	fd = memfd_with(MFD_NOEXEC_SEAL);
	report("memfd-noexec-seal-asked", fd < 0 ? errno : try_exec_in_child(fd, NULL));
	if (fd >= 0)
		close(fd);
	/* the same through a file in a writable tree without exec rights */
	snprintf(path, sizeof(path), "%s/payload", rw);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd >= 0 && copy_self(fd) == 0) {
		int opath;

		close(fd);
		report("rw-execve", try_exec_in_child(-1, path));
		opath = open(path, O_PATH | O_CLOEXEC);
		report("rw-opath-execveat", try_exec_in_child(opath, NULL));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		unlink(path);
		report("rw-deleted-execveat", try_exec_in_child(fd, NULL));
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		report("rw-deleted-proc-fd-exec", try_exec_in_child(-1, link));
		close(opath);
		close(fd);
	} else {
		report("rw-execve", EIO);
	}
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0755);
	if (fd >= 0 && copy_self(fd) == 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		report("tmpfile-proc-fd-exec", try_exec_in_child(-1, link));
		report("tmpfile-execveat", try_exec_in_child(fd, NULL));
	}
	if (fd >= 0)
		close(fd);
	/* positive control: this program itself, where exec is granted */
	fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	report("exec-granted-execveat", try_exec_in_child(fd, NULL));
	close(fd);
}

/* A filter of the program's own with a listener (README: EBUSY, one
 * listener per filter chain and init holds it); plain filters work. */
static int
own_notify_filter(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return EIO;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0 ? errno : 0;
}

/* Numbers above libseccomp 2.5.4's x86_64 table (456) that this kernel
 * may have: statmount, listmount, lsm_*, mseal, *xattrat,
 * open_tree_attr, file_getattr, file_setattr, listns ... A call that
 * reached the kernel says something else than ENOSYS. */
static void
checks_newer(void)
{
	char id[32];

#if defined(__x86_64__)
	for (long nr = 457; nr <= 475; nr++) {
		long r = syscall(nr, -1L, 0L, 0L, 0L, 0L, 0L);

		snprintf(id, sizeof(id), "nr-%ld", nr);
		report(id, r < 0 && errno == ENOSYS ? ENOSYS : 0);
	}
	/* the case: open_tree_attr(-1, "", 0, NULL, 0) */
	report("open-tree-attr", syscall(467, -1L, "", 0L, 0L, 0L) < 0 ? errno : 0);
	report("open-tree", syscall(SYS_open_tree, -1L, "", 0L) < 0 ? errno : 0);
	/* a hole in the table (336 .. 423 unused on x86_64 but 335/336) */
	report("nr-400", syscall(400L, 0L) < 0 ? errno : 0);
#else
	(void)id;
	printf("# not x86_64: no numbers to try\n");
#endif
	report("getpid", syscall(SYS_getpid) > 0 ? 0 : EIO);
	report("own-notify-filter", own_notify_filter());
}

static int
host_listen(int port)
{
	struct sockaddr_in sa = loopback(port);
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 8) < 0) {
		perror("listen-tcp");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while ((c = accept(s, NULL, NULL)) >= 0) {
		(void)!write(c, "hi", 2);
		close(c);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "exit42"))
		return 42;
	if (argc >= 5 && !strcmp(argv[1], "net"))
		checks_net(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	else if (argc >= 2 && !strcmp(argv[1], "families"))
		checks_families();
	else if (argc >= 3 && !strcmp(argv[1], "exec"))
		checks_exec(argv[2]);
	else if (argc >= 2 && !strcmp(argv[1], "newer"))
		checks_newer();
	else if (argc >= 3 && !strcmp(argv[1], "listen-tcp"))
		return host_listen(atoi(argv[2]));
	else if (argc >= 3 && !strcmp(argv[1], "connect-tcp"))
		return try_connect(0, atoi(argv[2])) ? 1 : 0;
	else {
		fprintf(stderr, "usage: kfilter net|families|exec|newer ...\n");
		return 2;
	}
	return 0;
}
