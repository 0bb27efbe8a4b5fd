/*
 * The `--trace` supervisor (trace_linux.h). Why seccomp user notification
 * and a model rather than ptrace or Landlock's audit records:
 *  - the enforcing filter and Landlock stay exactly those of an untraced
 *    launch, and the supervisor can only answer "continue" for calls they
 *    already let through (trace_filter_linux.h; the calls they refuse get
 *    their errno: seccomp_refusal_linux.h): it never widens access,
 *    and if it dies the watched calls fail (ENOSYS), they are not allowed;
 *  - it works unprivileged: the listener is handed over on a socket, and
 *    the launcher, owner of the container's user namespace, may read its
 *    processes' memory (process_vm_readv(2)); Landlock's audit records
 *    need CAP_AUDIT_READ, a ptrace tracer would need the program
 *    dumpable before its first execve, which the shared memory of
 *    launch_linux.c forbids;
 *  - one round trip per watched call, where ptrace needs two stops.
 * "Continue" does not tell the call's result, so whether the definition
 * refused it is decided by the plan the launch was built from
 * (trace_plan.c), with the host's view for "would it exist": a hidden path
 * that does not exist on the host either is an ordinary ENOENT.
 *
 * Before the hand-over (launch_linux.c) only the program's first execvp
 * can be stopped here, by a process that shares this one's memory: its
 * arguments are read from this address space, nothing is allocated and
 * the calls wait in a fixed queue until the heap is back.
 */

#include "backend/linux/trace_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/linux/landlock_linux.h"
#include "backend/linux/links_linux.h"
#include "backend/linux/seccomp_refusal_linux.h"
#include "backend/linux/supervise_linux.h"
#include "backend/linux/trace_filter_linux.h"
#include "backend/trace_plan.h"
#include "backend/trace_verdicts.h"
#include "util/xalloc.h"

#define NO_ARG (-1)

/* Linux 6.6: the stopped caller hands its CPU straight to the supervisor
 * and back (seccomp_unotify(2)); older kernels refuse it, harmlessly. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* How to read one watched call: its path arguments and what they need. */
struct call_shape {
	long nr;
	enum trace_need need;
	signed char path, dirfd;      /* argument positions, NO_ARG */
	signed char path2, dirfd2;    /* second path (rename, link) */
	enum trace_need need2;
	signed char flags;            /* open flags */
};

#define P1(n, need, p, d) { n, need, p, d, NO_ARG, NO_ARG, TN_META, NO_ARG }
static const struct call_shape shapes[] = {
#ifdef SYS_open
	{ SYS_open, TN_READ, 0, NO_ARG, NO_ARG, NO_ARG, TN_META, 1 },
	{ SYS_creat, TN_WRITE, 0, NO_ARG, NO_ARG, NO_ARG, TN_META, NO_ARG },
	P1(SYS_stat, TN_META, 0, NO_ARG), P1(SYS_lstat, TN_META, 0, NO_ARG),
	P1(SYS_access, TN_META, 0, NO_ARG), P1(SYS_readlink, TN_META, 0, NO_ARG),
	P1(SYS_mkdir, TN_WRITE, 0, NO_ARG), P1(SYS_mknod, TN_WRITE, 0, NO_ARG),
	P1(SYS_unlink, TN_WRITE, 0, NO_ARG), P1(SYS_rmdir, TN_WRITE, 0, NO_ARG),
	{ SYS_rename, TN_WRITE, 0, NO_ARG, 1, NO_ARG, TN_WRITE, NO_ARG },
	{ SYS_link, TN_META, 0, NO_ARG, 1, NO_ARG, TN_WRITE, NO_ARG },
	{ SYS_symlink, TN_META, NO_ARG, NO_ARG, 1, NO_ARG, TN_WRITE, NO_ARG },
	P1(SYS_chmod, TN_ATTR, 0, NO_ARG), P1(SYS_chown, TN_ATTR, 0, NO_ARG),
	P1(SYS_lchown, TN_ATTR, 0, NO_ARG), P1(SYS_utimes, TN_ATTR, 0, NO_ARG),
#endif
	{ SYS_openat, TN_READ, 1, 0, NO_ARG, NO_ARG, TN_META, 2 },
	{ SYS_openat2, TN_READ, 1, 0, NO_ARG, NO_ARG, TN_META, 2 },
	P1(SYS_execve, TN_EXEC, 0, NO_ARG), P1(SYS_execveat, TN_EXEC, 1, 0),
	P1(SYS_newfstatat, TN_META, 1, 0), P1(SYS_statx, TN_META, 1, 0),
	P1(SYS_faccessat, TN_META, 1, 0), P1(SYS_faccessat2, TN_META, 1, 0),
	P1(SYS_readlinkat, TN_META, 1, 0), P1(SYS_mkdirat, TN_WRITE, 1, 0),
	P1(SYS_mknodat, TN_WRITE, 1, 0), P1(SYS_unlinkat, TN_WRITE, 1, 0),
	{ SYS_renameat, TN_WRITE, 1, 0, 3, 2, TN_WRITE, NO_ARG },
	{ SYS_renameat2, TN_WRITE, 1, 0, 3, 2, TN_WRITE, NO_ARG },
	{ SYS_linkat, TN_META, 1, 0, 3, 2, TN_WRITE, NO_ARG },
	{ SYS_symlinkat, TN_META, NO_ARG, NO_ARG, 2, 1, TN_WRITE, NO_ARG },
	P1(SYS_truncate, TN_WRITE, 0, NO_ARG), P1(SYS_fchmodat, TN_ATTR, 1, 0),
	P1(SYS_fchownat, TN_ATTR, 1, 0), P1(SYS_utimensat, TN_ATTR, 1, 0),
	P1(SYS_chdir, TN_META, 0, NO_ARG),
};

static const struct call_shape *
shape_of(int nr)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].nr == nr)
			return &shapes[i];
	return NULL;
}

int
lx_trace_open(struct lx_trace *t, struct sbox_err *err)
{
	t->listener = -1;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, t->sock) < 0) {
		t->sock[0] = t->sock[1] = -1;
		return err_sys(err, "cannot open the trace socket");
	}
	t->send_fd = t->sock[1];
	return 0;
}

int
lx_trace_send_fd(const struct lx_trace *t)
{
	return t->send_fd;
}

int
lx_trace_fd(const struct lx_trace *t)
{
	if (t->threaded)
		return -1;  /* poll(2) skips it: the thread receives */
	return t->listener >= 0 ? t->listener : t->sock[0];
}

static void
receive_listener(struct lx_trace *t)
{
	char data;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { &data, 1 };
	struct msghdr msg;
	struct cmsghdr *h;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	if (recvmsg(t->sock[0], &msg, MSG_CMSG_CLOEXEC) != 1 ||
	    !(h = CMSG_FIRSTHDR(&msg)) || h->cmsg_type != SCM_RIGHTS)
		return;
	memcpy(&t->listener, CMSG_DATA(h), sizeof(int));
	(void)ioctl(t->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		    SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	close(t->sock[0]);
	t->sock[0] = -1;
}

/* A NUL-terminated string of the process at addr; "" when unreadable.
 * Returns -1 when the process's memory cannot be read at all. */
static int
read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	buf[0] = '\0';
	while (addr && got + 1 < size) {
		/* up to the end of the page: the next may not be mapped */
		size_t chunk = 4096 - (size_t)((addr + got) & 4095);
		struct iovec local, remote;
		ssize_t n;

		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		local.iov_base = buf + got;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + got);
		remote.iov_len = chunk;
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return got || n == 0 || errno != EPERM ? 0 : -1;
		if (memchr(buf + got, '\0', (size_t)n))
			return 0;
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (got + 1 >= size)
		buf[0] = '\0';  /* too long to be a path */
	return 0;
}

static double
wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void
lx_proc_link(pid_t pid, const char *what, char *buf, size_t size)
{
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, what);
	n = readlink(p, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* The folder a relative path starts from: the cwd or a dirfd. */
static void
base_of(const struct lx_trace *t, pid_t pid, long long dirfd, char *buf,
	size_t size)
{
	char what[32];

	if (!t->heap_ok) {
		snprintf(buf, size, "%s", t->cwd ? t->cwd : "/");
		return;
	}
	if (dirfd == AT_FDCWD || dirfd < 0) {
		lx_proc_link(pid, "cwd", buf, size);
		return;
	}
	snprintf(what, sizeof(what), "fd/%d", (int)dirfd);
	lx_proc_link(pid, what, buf, size);
}

/* One stopped call, as read before it goes on. */
struct call {
	pid_t pid;
	int nr;
	unsigned long long args[6];
	char path[2][LX_TRACE_PATH];
	char cwd[LX_TRACE_PATH];   /* the base of relative paths */
	double when;
};

static void
read_call(const struct lx_trace *t, const struct seccomp_notif *n,
	  struct call *c)
{
	const struct call_shape *s = shape_of(n->data.nr);
	pid_t from = (pid_t)n->pid;

	c->pid = (pid_t)n->pid;
	c->nr = n->data.nr;
	memcpy(c->args, n->data.args, sizeof(c->args));
	c->path[0][0] = c->path[1][0] = c->cwd[0] = '\0';
	c->when = wall_now();
	if (!s)
		return;
	/*
	 * Before the hand-over, the program's first execvp runs in a
	 * process that shares this one's memory and is not dumpable: its
	 * memory cannot be read by pid (EPERM), but its strings are right
	 * here. Only then, and only for that execve; once it has run, the
	 * program is readable by pid like every later process.
	 */
	if (s->path != NO_ARG &&
	    read_string(from, n->data.args[(int)s->path], c->path[0],
			LX_TRACE_PATH) < 0 && !t->heap_ok && c->nr == SYS_execve)
		read_string(getpid(), n->data.args[(int)s->path], c->path[0],
			    LX_TRACE_PATH);
	if (s->path2 != NO_ARG)
		read_string(from, n->data.args[(int)s->path2], c->path[1],
			    LX_TRACE_PATH);
	if ((c->path[0][0] && c->path[0][0] != '/') ||
	    (c->path[1][0] && c->path[1][0] != '/'))
		base_of(t, c->pid, s->dirfd != NO_ARG ?
			(long long)(int)n->data.args[(int)s->dirfd] : AT_FDCWD,
			c->cwd, sizeof(c->cwd));
}

/* ---- after the hand-over: classify and record ---- */

static int
host_exists(const char *path, int for_write)
{
	struct stat st;
	char *dir, *slash;
	int ok;

	if (stat(path, &st) == 0)
		return 1;
	if (!for_write)
		return 0;
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	ok = stat(dir, &st) == 0;
	free(dir);
	return ok;
}

/* The host's spelling through symlinks (/lib -> /usr/lib), or NULL. */
static char *
host_canonical(const char *path)
{
	char *r = realpath(path, NULL), *dir, *slash, *out;

	if (r)
		return r;
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return NULL;
	}
	*slash = '\0';
	r = realpath(dir, NULL);
	out = r ? xasprintf("%s/%s", r, slash + 1) : NULL;
	free(r);
	free(dir);
	return out;
}

static enum denial_op
op_of(enum trace_need need)
{
	return need == TN_EXEC ? DENY_EXEC :
	       (need == TN_WRITE || need == TN_ATTR) ? DENY_WRITE : DENY_READ;
}

static void
record(struct lx_trace *t, const struct call *c, enum denial_op op,
       const char *target, const char *how)
{
	struct denial *e = denials_find(t->out, op, target);
	char comm[64], p[64];
	int fd;
	ssize_t n = 0;

	if (e) {
		e->count++;
		t->out->total++;
		return;
	}
	snprintf(p, sizeof(p), "/proc/%d/comm", (int)c->pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
	}
	comm[n > 0 ? n : 0] = '\0';
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	if (c->nr == SYS_execve && (!n || !strcmp(comm, "sbox"))) {
		const char *slash = strrchr(t->argv0, '/');

		snprintf(comm, sizeof(comm), "%s", slash ? slash + 1 : t->argv0);
	}
	denials_add(t->out, op, target, comm, c->pid, c->when, how);
}

/* What the host says of a path the plan refuses: NULL when it is no
 * refusal after all. */
static const char *
host_verdict(const struct lx_trace *t, const char *path, enum trace_need need,
	     const char *how)
{
	int writes = need == TN_WRITE || need == TN_ATTR;
	char *canon;

	if (strcmp(how, TRACE_READONLY) && !host_exists(path, writes))
		return NULL;  /* an ordinary ENOENT */
	canon = host_canonical(path);
	if (canon && strcmp(canon, path) &&
	    !trace_plan_refusal(t->model, need, canon))
		how = NULL;  /* reached through a granted symlink */
	free(canon);
	return how;
}

/*
 * The host's identity of a path the plan refuses, to tell whether its
 * memoised host_verdict() still holds: the file (device, inode, change
 * time) or that it is missing, and for a write to a new name its folder.
 * One stat instead of host_verdict's walk through every component; a
 * symlink on the way retargeted to another name of the very same file is
 * the one change it cannot see (the record keeps the older route).
 */
static void
host_id(const char *path, enum trace_need need, unsigned long long id[4])
{
	struct stat st;
	char dir[LX_TRACE_PATH];
	const char *slash;
	int found = stat(path, &st) == 0;

	if (!found && (need == TN_WRITE || need == TN_ATTR) &&
	    (slash = strrchr(path, '/')) && (size_t)(slash - path) < sizeof(dir)) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 :
			 slash - path), path);
		found = stat(dir, &st) == 0 ? 2 : 0;
	}
	id[0] = (unsigned long long)found;
	id[1] = found ? (unsigned long long)st.st_dev : 0;
	id[2] = found ? (unsigned long long)st.st_ino : 0;
	id[3] = found ? (unsigned long long)st.st_ctim.tv_sec * 1000000000ULL +
		(unsigned long long)st.st_ctim.tv_nsec : 0;
}

static void
classify_path(struct lx_trace *t, const struct call *c, const char *raw,
	      enum trace_need need)
{
	const char *base = raw[0] == '/' ? "" : c->cwd;
	struct trace_verdict *v;
	unsigned long long id[4];

	if (!raw[0])
		return;
	v = trace_verdicts_find(&t->verdicts, need, base, raw);
	if (!v) {
		char *path = trace_plan_absolute(c->cwd[0] ? c->cwd : "/", raw);
		const char *how = trace_plan_refusal(t->model, need, path);

		if (how && t->no_landlock && !strcmp(how, TRACE_LANDLOCK))
			how = NULL;
		v = trace_verdicts_add(&t->verdicts, need, base, raw, path, how);
	}
	if (!v->plan_how)
		return;  /* granted: the host is not asked */
	host_id(v->path, need, id);
	if (!v->host_known || memcmp(id, v->host, sizeof(id))) {
		v->how = host_verdict(t, v->path, need, v->plan_how);
		memcpy(v->host, id, sizeof(id));
		v->host_known = 1;
	}
	if (v->how)
		record(t, c, op_of(need), v->path, v->how);
}

static enum trace_need
open_need(const struct call *c, const struct call_shape *s)
{
	unsigned long long flags = c->args[(int)s->flags];

	if (c->nr == SYS_openat2) {
		uint64_t how_flags = 0;
		struct iovec l = { &how_flags, sizeof(how_flags) };
		struct iovec r = { (void *)(uintptr_t)c->args[2], sizeof(how_flags) };

		if (process_vm_readv(c->pid, &l, 1, &r, 1, 0) != sizeof(how_flags))
			return TN_META;
		flags = how_flags;
	}
	if (flags & O_PATH)
		return TN_META;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return TN_WRITE;
	return TN_READ;
}

static int
sock_is_stream(pid_t pid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), s, type = 0;
	socklen_t len = sizeof(type);

	if (pfd < 0)
		return 1;
	s = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (s < 0)
		return 1;
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		type = SOCK_STREAM;
	close(s);
	return type == SOCK_STREAM;
}

static void
classify_socket(struct lx_trace *t, const struct call *c, int bind)
{
	struct sockaddr_storage ss;
	struct iovec l = { &ss, sizeof(ss) };
	struct iovec r = { (void *)(uintptr_t)c->args[1], c->args[2] };
	char target[INET6_ADDRSTRLEN + 16], host[INET6_ADDRSTRLEN];
	const char *how;
	unsigned port;
	int loopback;

	memset(&ss, 0, sizeof(ss));
	if (r.iov_len > sizeof(ss))
		r.iov_len = sizeof(ss);
	if (process_vm_readv(c->pid, &l, 1, &r, 1, 0) < (ssize_t)sizeof(sa_family_t))
		return;
	if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)&ss;
		struct call copy;

		if (!un->sun_path[0])
			return;  /* abstract: Landlock scoping, not a path */
		memcpy(&copy, c, sizeof(copy));
		snprintf(copy.path[0], sizeof(copy.path[0]), "%.*s",
			 (int)sizeof(un->sun_path), un->sun_path);
		base_of(t, c->pid, AT_FDCWD, copy.cwd, sizeof(copy.cwd));
		classify_path(t, &copy, copy.path[0], bind ? TN_WRITE : TN_META);
		return;
	}
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		port = ntohs(in->sin_port);
		loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(target, sizeof(target), "%s:%u", host, port);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		port = ntohs(in6->sin6_port);
		loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(target, sizeof(target), "[%s]:%u", host, port);
	} else {
		return;
	}
	how = trace_plan_net_refusal(t->model, bind, loopback, port);
	if (how && t->no_landlock && !strcmp(how, TRACE_LANDLOCK))
		how = NULL;
	/* Landlock restricts TCP only; no route stops every protocol */
	if (how && !strcmp(how, TRACE_LANDLOCK) &&
	    !sock_is_stream(c->pid, (int)c->args[0]))
		how = NULL;
	if (how)
		record(t, c, bind ? DENY_BIND : DENY_CONNECT, target, how);
}

static void
classify(struct lx_trace *t, const struct call *c)
{
	const struct call_shape *s;

	if (c->nr == SYS_connect || c->nr == SYS_bind) {
		classify_socket(t, c, c->nr == SYS_bind);
		return;
	}
	s = shape_of(c->nr);
	if (!s)
		return;
	if (s->path != NO_ARG)
		classify_path(t, c, c->path[0], s->flags != NO_ARG ?
			      open_need(c, s) : s->need);
	if (s->path2 != NO_ARG)
		classify_path(t, c, c->path[1], s->need2);
}

/* ---- the loop's handler ---- */

static void
answer_continue(int listener, uint64_t id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the caller died meanwhile; nothing to answer */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void
keep_early(struct lx_trace *t, const struct call *c)
{
	struct lx_trace_early *e;

	if (t->nearly == LX_TRACE_EARLY) {
		t->early_dropped++;
		return;
	}
	e = &t->early[t->nearly++];
	e->pid = c->pid;
	e->nr = c->nr;
	memcpy(e->args, c->args, sizeof(e->args));
	memcpy(e->path, c->path, sizeof(e->path));
	memcpy(e->cwd, c->cwd, sizeof(e->cwd));
	e->when = c->when;
}

/*
 * One received notification: the one place a watched call is classified
 * and answered, whoever received it (lx_trace_ready before the hand-over,
 * the listener's thread after it). Only one of them runs at a time, so
 * the call's buffer is static (12 KiB: not on the launcher's stack).
 *
 * No SECCOMP_IOCTL_NOTIF_ID_VALID between reading the caller and the
 * answer: the answer is always "continue" and the kernel decides the call
 * on its own arguments, so nothing read here can widen an access (the
 * check guards supervisors that act on what they read). It would only
 * make records more exact in one case: a caller killed and its pid
 * reused by another process between the receipt and the read, a few
 * microseconds. Not worth one more trip through the kernel on every call
 * (tools/bench/trace.sh: that trip is most of --trace's cost).
 */
void
lx_trace_handle(struct lx_trace *t, const struct seccomp_notif *n)
{
	static struct call c;

	/* sectrace hook: calls the enforcing program refuses, answered with
	 * its errno and recorded (seccomp_refusal_linux.c); first, so that
	 * nothing below ever sees, let alone continues, one of them */
	if (lx_refusal_answer(t, n))
		return;
	/* what init answers in an untraced launch, answered the same way
	 * (supervise_linux.c); it allocates nothing */
	if (lx_supervise_handles(n->data.nr)) {
		lx_supervise_answer_notif(t->listener, n, t->unsealed_ok);
		return;
	}
	/* judged before the answer, while the caller's memory, working
	 * folder and name are still those of the call */
	read_call(t, n, &c);
	if (!t->heap_ok)
		keep_early(t, &c);
	else
		classify(t, &c);
	answer_continue(t->listener, n->id);
}

/* The kernel's notification, in a buffer a newer kernel's fits. */
union notif_buf {
	struct seccomp_notif n;
	char bytes[LX_SUPERVISE_NOTIF_BUF];
};

/* No process is left with the filter: nothing more will come. */
static int
listener_orphaned(int listener)
{
	struct pollfd p = { listener, POLLIN, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)) &&
	       !(p.revents & POLLIN);
}

/*
 * After the hand-over the listener has a thread of its own, blocked in
 * NOTIF_RECV: no poll(2) before each call (one trip through the kernel
 * less per watched call), and with SYNC_WAKE_UP (receive_listener) the
 * caller wakes it on its own CPU and gets that CPU back with the answer.
 * It ends when no process has the filter any more (ENOENT, and the
 * listener hangs up): the launcher joins it after reaping the container's
 * init, whose death ends every process of its pid namespace.
 */
static void *
listen_loop(void *arg)
{
	struct lx_trace *t = arg;
	union notif_buf buf;

	for (;;) {
		memset(&buf, 0, sizeof(buf));
		if (ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV, &buf.n) == 0) {
			lx_trace_handle(t, &buf.n);
			continue;
		}
		/* ENOENT also when the caller was killed while waiting */
		if (errno == EINTR ||
		    (errno == ENOENT && !listener_orphaned(t->listener)))
			continue;
		return NULL;
	}
}

static void
start_thread(struct lx_trace *t)
{
	if (t->threaded || t->listener < 0 || !t->heap_ok)
		return;
	/* if it cannot start, the launcher's loop goes on receiving */
	if (pthread_create(&t->thread, NULL, listen_loop, t) == 0)
		t->threaded = 1;
}

void
lx_trace_ready(struct lx_trace *t)
{
	union notif_buf buf;

	if (t->listener < 0) {
		receive_listener(t);
		start_thread(t);
		return;
	}
	memset(&buf, 0, sizeof(buf));
	if (ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV, &buf.n) < 0)
		return;
	lx_trace_handle(t, &buf.n);
}

void
lx_trace_heap_back(struct lx_trace *t)
{
	static struct call c;

	t->heap_ok = 1;
	for (size_t i = 0; i < t->nearly; i++) {
		const struct lx_trace_early *e = &t->early[i];

		c.pid = e->pid;
		c.nr = e->nr;
		memcpy(c.args, e->args, sizeof(c.args));
		memcpy(c.path, e->path, sizeof(c.path));
		memcpy(c.cwd, e->cwd, sizeof(c.cwd));
		c.when = e->when;
		classify(t, &c);
	}
	t->nearly = 0;
	start_thread(t);
}

void
lx_trace_close(struct lx_trace *t)
{
	int *fds[] = { &t->sock[0], &t->sock[1], &t->listener };

	if (t->threaded)
		pthread_join(t->thread, NULL);  /* the records are its until then */
	t->threaded = 0;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* ---- set-up and release, for backend_launch ---- */

struct lx_trace_owned {
	struct lx_trace t;   /* first: the pointer handed out */
	struct linux_plan model;
	int own_model;
	struct seccomp_bpf joined;
};

int
lx_trace_start(struct lx_trace **out, const struct launch_request *req,
	       const struct linux_plan *plan, const char *tmpdir,
	       struct seccomp_bpf *bpf, int unsealed_ok, struct sbox_err *err)
{
	struct lx_trace_owned *o = xcalloc(1, sizeof(*o));
	struct seccomp_bpf notify = { NULL, 0 };

	o->t.sock[0] = o->t.sock[1] = o->t.listener = -1;
	o->t.out = req->denials;
	o->t.cwd = req->project_dir;
	o->t.argv0 = req->argv[0];
	o->t.model = plan;
	o->t.unsealed_ok = unsealed_ok;
	/* --allow-weaker on a kernel without Landlock: those refusals
	 * do not happen, so they are not recorded */
	o->t.no_landlock = landlock_abi() < 1;
	*out = &o->t;
	/* sectrace hook: the enforcing program's refusals come here too
	 * (seccomp_refusal_linux.h); the original is kept to run on them */
	o->t.enforcing = *bpf;
	if (seccomp_refusal_notify_copy(bpf, &notify) < 0 ||
	    trace_filter_join(&notify, &trace_filter_embedded, &o->joined) < 0) {
		free((void *)notify.insns);
		return err_set(err, SBOX_E_INTERNAL, "cannot join the trace "
			       "filter to the container's seccomp program");
	}
	free((void *)notify.insns);
	*bpf = o->joined;
	if (req->trace_model && req->trace_model != req->def) {
		struct lx_links links;
		struct lplan_resolver res = { lx_links_resolve, &links };
		int built;

		linux_plan_init(&o->model);
		o->own_model = 1;
		/* on resolved paths, as the launch's own plan (links_linux.h) */
		lx_links_init(&links, req->trace_model, req->data_dir);
		built = linux_plan_build_resolved(&o->model, req->trace_model,
						  req->data_dir, tmpdir, &res,
						  err);
		lx_links_release(&links);
		if (built < 0)
			return -1;
		o->t.model = &o->model;
	}
	return lx_trace_open(&o->t, err);
}

void
lx_trace_spawned(struct lx_trace *t)
{
	if (t->sock[1] >= 0)
		close(t->sock[1]);
	t->sock[1] = -1;
}

void
lx_trace_free(struct lx_trace *t)
{
	struct lx_trace_owned *o = (struct lx_trace_owned *)t;

	if (!t)
		return;
	lx_trace_close(t);
	trace_verdicts_release(&t->verdicts);
	free((void *)o->joined.insns);  /* not seccomp_bpf_release: sbox links no libseccomp */
	if (o->own_model)
		linux_plan_release(&o->model);
	free(o);
}
