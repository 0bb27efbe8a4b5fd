/*
 * Escape attempts run from inside an sbox container (LINUX-SECURITY.md).
 * Built by tests/security/t0501-escape.sh with cc; not part of sbox.
 *
 *   escape inside T HOSTPID HOSTIPC   run every check, one line each:
 *                                     "<id> ALLOWED" or "<id> BLOCKED <errno>"
 *   escape tiocsti                    the terminal injection checks only
 *   escape tty-attack                 lock the terminal on 0, switch its line
 *                                     discipline, change its modes, flush it
 *   escape listen-unix PATH | listen-abstract NAME   host-side bait
 *
 * T is the test folder: T/ro (read-only rule), T/rw (read-write rule),
 * T/outside (no rule), T/ro/masked and T/rw/denied (deny rules).
 * The script decides what each line must say.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "probe.h"

static const char *T;
static char buf[4096];

static const char *
path(const char *rel)
{
	static char p[8][4096];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", T, rel);
	return p[i];
}

static int
try_read(const char *p)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? errno : 0;
}

static int
try_create(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A unix socket address for name: a path, or (abstract) a name in the
 * Linux abstract namespace; returns the address length to pass. */
static socklen_t
unix_addr_fill(struct sockaddr_un *sa, const char *name, int abstract)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!abstract) {
		strncpy(sa->sun_path, name, sizeof(sa->sun_path) - 1);
		return sizeof(*sa);
	}
	strncpy(sa->sun_path + 1, name, sizeof(sa->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(name));
}

static int
try_connect_unix(const char *name, int abstract)
{
	struct sockaddr_un sa;
	socklen_t len;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return errno;
	len = unix_addr_fill(&sa, name, abstract);
	r = TRY(connect(s, (struct sockaddr *)&sa, len));
	close(s);
	return r;
}

static void
checks_files(void)
{
	char magic[4096];
	int fd;

	report("read-outside", try_read(path("outside/secret")));
	report("read-dac-forbidden", try_read(path("ro/forbidden")));
	report("read-masked", try_read(path("ro/masked/key")));
	report("read-denied-in-rw", try_read(path("rw/denied/key")));
	report("write-denied-in-rw", try_create(path("rw/denied/new")));
	report("create-ro", try_create(path("ro/new")));
	report("write-ro", TRY(fd = open(path("ro/file"), O_WRONLY | O_CLOEXEC)));
	if (fd >= 0)
		close(fd);
	report("unlink-ro", TRY(unlink(path("ro/file"))));
	report("dotdot", try_read(path("rw/../outside/secret")));
	report("symlink-create", TRY(symlink(path("outside/secret"),
					     path("rw/link"))));
	report("symlink-follow", try_read(path("rw/link")));
	report("planted-symlink", try_read(path("rw/planted/secret")));
	report("hardlink-ro-into-rw", TRY(link(path("ro/file"),
					       path("rw/hardlink"))));
	report("rename-rw-into-ro", TRY(rename(path("rw/mine"), path("ro/mine"))));
	report("rename-ro-into-rw", TRY(rename(path("ro/file"),
					       path("rw/stolen"))));
	report("exchange-ro-rw", TRY(syscall(SYS_renameat2, AT_FDCWD,
					     path("rw/mine"), AT_FDCWD,
					     path("ro/file"), RENAME_EXCHANGE)));
	report("truncate-ro", TRY(truncate(path("ro/file"), 0)));
	fd = open(path("ro/file"), O_RDONLY | O_CLOEXEC);
	snprintf(magic, sizeof(magic), "/proc/self/fd/%d", fd);
	report("proc-fd-upgrade", try_create(magic));
	if (fd >= 0)
		close(fd);
	snprintf(magic, sizeof(magic), "/proc/self/root%s", path("outside/secret"));
	report("proc-root-magic", try_read(magic));
	report("proc-1-root-shadow", try_read("/proc/1/root/etc/shadow"));
}

static void
checks_mounts(void)
{
	report("mount-tmpfs", TRY(mount("x", path("rw"), "tmpfs", 0, NULL)));
	report("umount-mask", TRY(umount2(path("ro/masked"), MNT_DETACH)));
	report("read-masked-after-umount", try_read(path("ro/masked/key")));
	report("pivot-root", TRY(syscall(SYS_pivot_root, ".", ".")));
	report("chroot", TRY(chroot(path("rw"))));
	report("read-sys", try_read("/sys/kernel/hostname"));
	report("dev-kmsg", try_read("/dev/kmsg"));
	report("dev-null-rw", try_create("/dev/null"));
}

/* Memory of the container's init, which shares the launcher's. */
static int
try_init_memory(int how)
{
	char local[8];
	struct iovec l = { local, sizeof(local) };
	struct iovec r = { (void *)0x10000, sizeof(local) };
	int fd;

	if (how == 0) {
		if (ptrace(PTRACE_ATTACH, 1, 0, 0) < 0)
			return errno;
		/* attached: a regression; let init go on, so the run ends */
		waitpid(1, NULL, __WALL);
		ptrace(PTRACE_DETACH, 1, 0, 0);
		return 0;
	}
	if (how == 1)
		return TRY(process_vm_readv(1, &l, 1, &r, 1, 0));
	fd = open("/proc/1/mem", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static void
checks_processes(pid_t host)
{
	char ns[64];
	ssize_t n;

	report("kill-host", TRY(kill(host, 0)));
	report("ptrace-host", TRY(ptrace(PTRACE_ATTACH, host, 0, 0)));
	report("ptrace-init", try_init_memory(0));
	report("vm-read-init", try_init_memory(1));
	report("proc-1-mem", try_init_memory(2));
	report("host-pathname-socket", try_connect_unix(path("outside/host.sock"), 0));
	report("masked-pathname-socket", try_connect_unix(path("ro/masked/host.sock"), 0));
	report("host-abstract-socket", try_connect_unix("sbox-escape-test", 1));
	n = readlink("/proc/self/ns/ipc", ns, sizeof(ns) - 1);
	ns[n > 0 ? n : 0] = '\0';
	printf("ipc-namespace %s\n", ns);
	report("fd-9-leak", TRY(fcntl(9, F_GETFD)));
	report("fd-any-leak", TRY(fcntl(3, F_GETFD)));
}

static void
checks_privilege(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "CapEff:", 7) ||
		    !strncmp(line, "CapBnd:", 7) || !strncmp(line, "Seccomp:", 8))
			printf("status %s", line);
	if (f)
		fclose(f);
	report("unshare-user", TRY(unshare(CLONE_NEWUSER)));
	report("clone3", TRY(syscall(SYS_clone3, NULL, 0)));
	report("keyctl", TRY(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0)));
	report("bpf", TRY(syscall(SYS_bpf, 0, NULL, 0)));
	report("userfaultfd", TRY(syscall(SYS_userfaultfd, 0)));
	report("perf-event-open", TRY(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0)));
	report("io-uring-setup", TRY(syscall(SYS_io_uring_setup, 1, NULL)));
	report("setuid-0", TRY(setuid(0) < 0 || getuid() ? -1 : 0));
	report("sethostname", TRY(sethostname("x", 1)));
	printf("env-SSH_AUTH_SOCK %s\n", getenv("SSH_AUTH_SOCK") ? "present" : "absent");
	printf("env-HOME %s\n", getenv("HOME") ? getenv("HOME") : "unset");
}

static void
checks_network(void)
{
	struct sockaddr_in sa;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(53);
	sa.sin_addr.s_addr = htonl(0x08080808);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	report("tcp-connect", s < 0 ? errno : TRY(connect(s, (struct sockaddr *)&sa, sizeof(sa))));
	if (s >= 0)
		close(s);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	report("udp-send", s < 0 ? errno : TRY(sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa))));
	if (s >= 0)
		close(s);
}

static void
checks_positive(void)
{
	char p[4096];
	const char *home = getenv("HOME");

	snprintf(p, sizeof(p), "%s/written-inside", home ? home : "/nonexistent");
	report("write-home", try_create(p));
	report("read-project", try_read(path("ro/file")));
	report("write-rw", try_create(path("rw/new-file")));
	report("rename-same-dir", TRY(rename(path("rw/new-file"), path("rw/renamed"))));
	report("rename-across-rw", TRY(rename(path("rw/renamed"), path("rw/sub/moved"))));
	report("write-private-tmp", try_create("/tmp/x"));
}

static int
tiocsti(void)
{
	char c = 'x';

	report("tiocsti", TRY(ioctl(0, TIOCSTI, &c)));
	/* CVE-2019-10063: the command with bits above 32 set */
	report("tiocsti-high-bits", TRY(syscall(SYS_ioctl, 0,
						TIOCSTI | (1UL << 32), &c)));
	return 0;
}

/* Issue 10 item 10: what a program could do for good to a terminal. */
static int
tty_attack(void)
{
	int null_ldisc = 27; /* N_NULL: accepted on a pty without privilege */
	struct termios t;

	report("tiocexcl", TRY(ioctl(0, TIOCEXCL)));
	report("tiocsetd", TRY(ioctl(0, TIOCSETD, &null_ldisc)));
	if (tcgetattr(0, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG);
		t.c_cc[VINTR] = 'q';
		report("tcsetattr", TRY(tcsetattr(0, TCSANOW, &t)));
	}
	report("tcflush", TRY(tcflush(0, TCIFLUSH)));
	return 0;
}

static int
listen_unix(const char *name, int abstract)
{
	struct sockaddr_un sa;
	socklen_t len = unix_addr_fill(&sa, name, abstract);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&sa, len) < 0 || listen(s, 8) < 0)
		return 1;
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "listen-unix"))
		return listen_unix(argv[2], 0);
	if (argc >= 3 && !strcmp(argv[1], "listen-abstract"))
		return listen_unix(argv[2], 1);
	if (argc >= 3 && !strcmp(argv[1], "connect-abstract"))
		return try_connect_unix(argv[2], 1) ? 1 : 0;
	if (argc >= 3 && !strcmp(argv[1], "connect-unix"))
		return try_connect_unix(argv[2], 0) ? 1 : 0;
	if (argc >= 2 && !strcmp(argv[1], "tiocsti"))
		return tiocsti();
	if (argc >= 2 && !strcmp(argv[1], "tty-attack"))
		return tty_attack();
	if (argc < 4 || strcmp(argv[1], "inside")) {
		fprintf(stderr, "usage: escape inside T HOSTPID\n");
		return 2;
	}
	T = argv[2];
	checks_positive();
	checks_files();
	checks_mounts();
	checks_processes((pid_t)atoi(argv[3]));
	checks_privilege();
	checks_network();
	/* last: if it were allowed, the probe would be replaced */
	report("exec-from-rw", TRY(execl(path("rw/mine"), "x", (char *)NULL)));
	return 0;
}
