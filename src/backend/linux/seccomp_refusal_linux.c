/*
 * The refusals of the enforcing seccomp program under `--trace`
 * (seccomp_refusal_linux.h): the rewritten program, what a refused call
 * is in sbox's vocabulary, and the supervisor's answer and record.
 */
#include "backend/linux/seccomp_refusal_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backend/linux/seccomp_eval_linux.h"
#include "backend/linux/supervise_linux.h"
#include "backend/linux/trace_filter_linux.h"
#include "backend/linux/trace_linux.h"
#include "util/xalloc.h"

#define NO_ARG (-1)
#define MAX_ERRNO 4095   /* the kernel caps SECCOMP_RET_ERRNO's data so */

int
seccomp_refusal_notify_copy(const struct seccomp_bpf *in,
			    struct seccomp_bpf *out)
{
	struct sock_filter *v = xcalloc(in->len, sizeof(*v));

	memcpy(v, in->insns, in->len * sizeof(*v));
	for (size_t i = 0; i < in->len; i++) {
		if (BPF_CLASS(v[i].code) != BPF_RET)
			continue;
		if (BPF_RVAL(v[i].code) != BPF_K) {
			free(v);
			return -1;
		}
		/* KILL (other architectures) stays the kernel's */
		if ((v[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
			v[i].k = SECCOMP_RET_USER_NOTIF;
	}
	out->insns = v;
	out->len = in->len;
	return 0;
}

/* ---- what a refused call is ---- */

static const char *
call_name(int nr)
{
	return nr >= 0 && (size_t)nr < seccomp_call_names_len ?
	       seccomp_call_names[nr] : NULL;
}

static int
is_mount_call(const char *name)
{
	static const char *const mount_calls[] = {
		"mount", "umount2", "pivot_root", "move_mount", "open_tree",
		"open_tree_attr", "fsopen", "fsconfig", "fsmount", "fspick",
		"mount_setattr", NULL,
	};

	for (const char *const *m = mount_calls; *m; m++)
		if (!strcmp(*m, name))
			return 1;
	return 0;
}

static const char *
family_name(unsigned long long f)
{
	switch (f) {
	case AF_UNIX: return "AF_UNIX";
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_NETLINK: return "AF_NETLINK";
	case AF_PACKET: return "AF_PACKET";
	case AF_VSOCK: return "AF_VSOCK";
	case AF_ALG: return "AF_ALG";
	case AF_BLUETOOTH: return "AF_BLUETOOTH";
	case AF_TIPC: return "AF_TIPC";
	case AF_CAN: return "AF_CAN";
	case AF_KEY: return "AF_KEY";
	case AF_RDS: return "AF_RDS";
	case AF_XDP: return "AF_XDP";
	default: return NULL;
	}
}

static void
socket_target(const struct seccomp_data *d, char *target, size_t size)
{
	const char *fam = family_name(d->args[0]);
	const char *type = (d->args[1] & 0xf) == SOCK_STREAM ? "stream" :
			   (d->args[1] & 0xf) == SOCK_DGRAM ? "dgram" :
			   (d->args[1] & 0xf) == SOCK_RAW ? "raw" : "other";
	char famnum[32];

	if (!fam) {
		snprintf(famnum, sizeof(famnum), "family %llu",
			 (unsigned long long)d->args[0]);
		fam = famnum;
	}
	if (d->nr == SYS_socketpair)
		snprintf(target, size, "socketpair %s", fam);
	else if (d->args[0] == AF_INET || d->args[0] == AF_INET6 ||
		 d->args[0] == AF_NETLINK)
		snprintf(target, size, "%s %s protocol %llu", fam, type,
			 (unsigned long long)d->args[2]);
	else
		snprintf(target, size, "%s", fam);
}

static const char *
ioctl_name(uint32_t cmd)
{
	switch (cmd) {
	case TIOCSTI: return "TIOCSTI";
	case TIOCLINUX: return "TIOCLINUX";
	case TIOCEXCL: return "TIOCEXCL";
	case TIOCSETD: return "TIOCSETD";
	default: return NULL;
	}
}

static int
is_setid_call(int nr)
{
	static const long calls[] = {
#ifdef SYS_chmod
		SYS_chmod, SYS_open, SYS_creat, SYS_mknod,
#endif
		SYS_fchmod, SYS_fchmodat,
#ifdef SYS_fchmodat2
		SYS_fchmodat2,
#endif
		SYS_openat, SYS_mknodat,
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i] == nr)
			return 1;
	return 0;
}

int
seccomp_refusal_classify(const struct seccomp_data *d, int err,
			 enum denial_op *op, char *target, size_t size)
{
	const char *name = call_name(d->nr), *what;

	target[0] = '\0';
	/* new calls libc tries first and falls back from at once */
	if (err == ENOSYS && name && (!strcmp(name, "clone3") ||
				      !strcmp(name, "openat2")))
		return 1;
	*op = DENY_SYSCALL;
	if (!name) {
		snprintf(target, size, "%d", d->nr);
	} else if (d->nr == SYS_socket || d->nr == SYS_socketpair) {
		*op = DENY_SOCKET;
		socket_target(d, target, size);
	} else if (d->nr == SYS_setsockopt) {
		*op = DENY_SOCKET;
		snprintf(target, size, "setsockopt TCP_ULP");
	} else if (is_mount_call(name)) {
		*op = DENY_MOUNT;
		snprintf(target, size, "%s", name);
	} else if (d->nr == SYS_ioctl &&
		   (what = ioctl_name((uint32_t)d->args[1]))) {
		*op = DENY_IOCTL;
		snprintf(target, size, "%s", what);
	} else if (d->nr == SYS_memfd_create) {
		*op = DENY_MEMFD_EXEC;
		snprintf(target, size, "memfd_create(MFD_EXEC)");
	} else if (is_setid_call(d->nr)) {
		*op = DENY_SETUID;   /* the path: the caller reads it */
	} else if (d->nr == SYS_clone || d->nr == SYS_unshare) {
		snprintf(target, size, "%s(CLONE_NEWUSER)", name);
	} else {
		snprintf(target, size, "%s", name);
	}
	return 0;
}

/* ---- the supervisor's answer and record ---- */

static void
answer_errno(int listener, uint64_t id, int err)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.error = -err;
	/* ENOENT: the caller died meanwhile; nothing to answer */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* The path a set-id call names, made absolute; "" when unreadable. */
static void
setid_path(const struct seccomp_notif *n, char *out, size_t size)
{
	int at = n->data.nr == SYS_fchmodat || n->data.nr == SYS_openat ||
		 n->data.nr == SYS_mknodat;
	char raw[4096], base[4096], fd[32];
	uint64_t addr;
	size_t got = 0;

#ifdef SYS_fchmodat2
	at = at || n->data.nr == SYS_fchmodat2;
#endif
	out[0] = '\0';
	if (n->data.nr == SYS_fchmod) {
		snprintf(fd, sizeof(fd), "fd/%d", (int)n->data.args[0]);
		lx_proc_link((pid_t)n->pid, fd, out, size);
		return;
	}
	addr = n->data.args[at ? 1 : 0];
	/* page by page: the string may end where its mapping does */
	while (got < sizeof(raw) - 1) {
		size_t chunk = 4096 - (size_t)((addr + got) & 4095);
		struct iovec l, r;
		ssize_t k;

		if (chunk > sizeof(raw) - 1 - got)
			chunk = sizeof(raw) - 1 - got;
		l.iov_base = raw + got;
		l.iov_len = r.iov_len = chunk;
		r.iov_base = (void *)(uintptr_t)(addr + got);
		k = process_vm_readv((pid_t)n->pid, &l, 1, &r, 1, 0);
		if (k <= 0)
			return;
		if (memchr(raw + got, '\0', (size_t)k))
			break;
		got += (size_t)k;
	}
	if (got >= sizeof(raw) - 1)
		return;  /* too long to be a path */
	if (raw[0] == '/') {
		snprintf(out, size, "%s", raw);
		return;
	}
	if (at && (int)n->data.args[0] != AT_FDCWD) {
		snprintf(fd, sizeof(fd), "fd/%d", (int)n->data.args[0]);
		lx_proc_link((pid_t)n->pid, fd, base, sizeof(base));
	} else {
		lx_proc_link((pid_t)n->pid, "cwd", base, sizeof(base));
	}
	if ((size_t)snprintf(out, size, "%s/%s", strcmp(base, "/") ? base : "",
			     raw) >= size)
		out[0] = '\0';  /* too long: "?" */
}

static void
program_name(pid_t pid, char *comm, size_t size)
{
	char p[64];
	int fd;
	ssize_t n = 0;

	snprintf(p, sizeof(p), "/proc/%d/comm", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, size - 1);
		close(fd);
	}
	comm[n > 0 ? n : 0] = '\0';
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
}

static void
record_refusal(struct lx_trace *t, const struct seccomp_notif *n, int err)
{
	static char target[4200];  /* not on the launcher's stack */
	char comm[64];
	enum denial_op op;
	struct denial *e;
	struct timeval tv;

	if (seccomp_refusal_classify(&n->data, err, &op, target,
				     sizeof(target)))
		return;
	if (op == DENY_SETUID)
		setid_path(n, target, sizeof(target));
	if (!target[0])
		snprintf(target, sizeof(target), "%s", "?");
	if ((e = denials_find(t->out, op, target))) {
		e->count++;
		t->out->total++;
		return;
	}
	program_name((pid_t)n->pid, comm, sizeof(comm));
	gettimeofday(&tv, NULL);
	e = denials_add(t->out, op, target, comm, (pid_t)n->pid,
			(double)tv.tv_sec + (double)tv.tv_usec / 1e6, "seccomp");
	if (e)
		e->err = err;
}

/* The observing part asks about this call: its program says so too. */
static int
observed(const struct seccomp_notif *n)
{
	uint32_t ret;

	return seccomp_eval(trace_filter_embedded.insns,
			    trace_filter_embedded.len, &n->data, &ret) == 0 &&
	       (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF;
}

int
lx_refusal_answer(struct lx_trace *t, const struct seccomp_notif *n)
{
	uint32_t ret, action;
	int err;

	if (seccomp_eval(t->enforcing.insns, t->enforcing.len, &n->data,
			 &ret) < 0) {
		answer_errno(t->listener, n->id, EPERM);  /* fail closed */
		return 1;
	}
	action = ret & SECCOMP_RET_ACTION_FULL;
	if (action == SECCOMP_RET_USER_NOTIF && lx_supervise_handles(n->data.nr))
		return 0;
	if (action == SECCOMP_RET_ALLOW && observed(n))
		return 0;
	if (action != SECCOMP_RET_ERRNO) {
		/* a notification nothing asked for: never let it go on */
		answer_errno(t->listener, n->id, EPERM);
		return 1;
	}
	err = (int)(ret & SECCOMP_RET_DATA);
	if (err > MAX_ERRNO)
		err = MAX_ERRNO;
	/* judged before the answer, while the caller's memory is the call's */
	if (t->heap_ok)
		record_refusal(t, n, err);
	else
		t->early_dropped++;  /* the heap is not ours yet */
	answer_errno(t->listener, n->id, err);
	return 1;
}
