/*
 * backend_launch() on Linux (DESIGN.md "Launch order").
 *
 * Three processes: the launcher (sbox, in the host namespaces) clones the
 * container's first process into new user, mount, pid, ipc, uts (and net)
 * namespaces. That process maps its ids, builds the root, applies the
 * sandbox, then forks the program and stays as the namespace's init: it
 * reaps, passes on the signals the launcher forwards (a pid-namespace init
 * only receives signals it handles, so the program must not be pid 1 for
 * SIGTERM to reach it) and reports the program's wait status on a pipe.
 *
 * The first process shares the launcher's memory (CLONE_VM). A fork of
 * this large static binary costs more than everything else sbox adds to a
 * launch on a small VM: page tables to copy, copy-on-write faults on both
 * sides, an address space to tear down at exit. Sharing memory brings
 * three rules, each kept here:
 *  - one owner of the heap at a time: the launcher waits, allocating
 *    nothing, until the child writes to handoff_fd (or exits); after that
 *    the child allocates nothing. The set-up's warnings are collected in
 *    lx->warnings for the same reason, and read after the hand-over.
 *    A child killed during its set-up may have left the heap half-updated,
 *    so then the launcher leaves at once (launch_abandon);
 *  - the memory is made non-dumpable before the program exists, so
 *    nothing in the container can ptrace its init or open /proc/1/mem,
 *    which would reach the launcher (LINUX-SECURITY.md #17);
 *  - errno (thread-local) is shared too: neither side reads errno while
 *    the other runs, except for the child's own calls during set-up.
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

#include "backend/env_scrub.h"
#include "backend/linux/landlock_linux.h"
#include "backend/linux/supervise_linux.h"
#include "backend/linux/trace_linux.h"
#include "backend/linux/watch_linux.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

extern char **environ;

/* Signals the launcher passes on to the program. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
	SIGTSTP,
};

void
lx_report(const struct lx_launch *lx, char kind, const char *text)
{
	/* no allocation: this also runs in the vfork()ed program process;
	 * one write of at most PIPE_BUF bytes is atomic */
	char buf[4000];
	size_t n = strlen(text);

	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[0] = kind;
	memcpy(buf + 1, text, n);
	buf[n + 1] = '\0';
	(void)!write(lx->report_fd, buf, n + 2);
}

/* Called by the child during its set-up, while it owns the heap. */
void
lx_warn(struct lx_launch *lx, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	strbuf_add(&lx->warnings, buf, strlen(buf) + 1);
}

static void
block_signals(sigset_t *set, sigset_t *old)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigprocmask(SIG_BLOCK, set, old);
}

/* ---- inside: the program (pid 2) ---- */

static void
set_limit(__rlimit_resource_t resource, uint64_t value)
{
	struct rlimit rl = { value, value };

	if (value)
		(void)setrlimit(resource, &rl);
}

/*
 * seccomp last, in this process only: init stays outside the filter to
 * answer what it hands over, and gets its listener through the socket
 * pair. Before the limits: a tiny open_files limit must not stop it.
 * First the capability init kept (sandbox_linux.c, caps_drop) goes.
 */
static void
program_filter(struct lx_launch *lx)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char msg[1200];
	int nfd = -1;

	if (sandbox_drop_init_caps() < 0)
		err_sys(&err, "cannot drop capabilities");
	else if ((nfd = seccomp_filter_load(&lx->bpf, &err)) >= 0 &&
		 /* --trace: the launcher answers (trace_linux.c) */
		 lx_supervise_send_fd(lx->trace ? lx_trace_send_fd(lx->trace) :
				      lx->supervise[1], nfd) == 0) {
		close(nfd);
		return;
	}
	if (nfd >= 0)
		err_sys(&err, "cannot hand the seccomp listener to init");
	snprintf(msg, sizeof(msg), "%d%s", (int)err.code, err.msg);
	lx_report(lx, LX_MSG_ERROR, msg);
	_exit(125);
}

static void __attribute__((noreturn))
program_exec(struct lx_launch *lx)
{
	char *const *argv = lx->req->argv;
	const struct def_limits *l = &lx->plan.limits;
	sigset_t none;
	char msg[1200];

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* own session: no controlling terminal to inject into (#22), or
	 * the program's own pty as its controlling terminal */
	setsid();
	if (lx->pty.fds && pty_relay_attach(&lx->pty, lx->pty_slave) < 0) {
		snprintf(msg, sizeof(msg), "%d" "cannot make the pty the "
			 "program's terminal: %s", SBOX_E_INTERNAL,
			 strerror(errno));
		lx_report(lx, LX_MSG_ERROR, msg);
		_exit(125);
	}
	program_filter(lx);
	/* SIGXCPU at the limit says why the program ended; SIGKILL a
	 * second later if it handles that (setrlimit(2)) */
	if (l->cpu_seconds) {
		struct rlimit cpu = { l->cpu_seconds, l->cpu_seconds + 1 };

		(void)setrlimit(RLIMIT_CPU, &cpu);
	}
	/* the caller's own descriptor limit, unless the definition has one */
	if (!l->open_files)
		(void)setrlimit(RLIMIT_NOFILE, &lx->nofile);
	set_limit(RLIMIT_NOFILE, l->open_files);
	set_limit(RLIMIT_NPROC, l->processes);
	set_limit(RLIMIT_AS, l->memory_bytes);
	set_limit(RLIMIT_FSIZE, l->file_size_bytes);
	/* only 0, 1, 2 reach the program (#21); the report pipe closes at exec */
	syscall(SYS_close_range, 3, ~0u, 4 /* CLOSE_RANGE_CLOEXEC */);
	/* execvp searches the container's PATH; the memory is shared, so
	 * init puts the launcher's environ back once this has exec'd */
	environ = lx->envp;
	execvp(argv[0], argv);
	snprintf(msg, sizeof(msg), "%d" "cannot execute '%s' in the container: %s",
		 SBOX_E_INTERNAL, argv[0], strerror(errno));
	lx_report(lx, LX_MSG_ERROR, msg);
	_exit(errno == ENOENT ? 127 : 126);
}

/* ---- inside: the namespace's init (pid 1) ---- */

static void
ignore_signal(int sig)
{
	(void)sig;
}

/*
 * sbox was stopped (Ctrl-Z without a pty) or continued: the program's
 * process group follows, as a terminal's would. The group is in a
 * session of its own whose parent is outside it, an orphaned group, in
 * which the kernel discards a SIGTSTP left to its default action
 * (POSIX, "Orphaned Process Group"): SIGSTOP after it does stop it.
 */
static void
stop_or_continue(pid_t prog, int sig)
{
	if (kill(-prog, sig) < 0)
		kill(prog, sig);
	if (sig == SIGTSTP && kill(-prog, SIGSTOP) < 0)
		kill(prog, SIGSTOP);
}

/*
 * waitpid() reports a traced child's stops whatever its flags: a program
 * that called PTRACE_TRACEME made init its debugger. Only an exit or a
 * kill ends the program; init is no debugger, so it lets go of the child
 * as if it had never been traced: the signal it stopped on is delivered
 * (a SIGSTOP stops it, a SIGCONT resumes it), except the SIGTRAP that
 * execve sends a tracee only. Debuggers inside (gdb, strace) trace
 * their own children and never reach here.
 */
static void
init_untrace(pid_t pid, int st)
{
	siginfo_t si;
	int sig = WSTOPSIG(st);

	memset(&si, 0, sizeof(si));
	if (sig == SIGTRAP &&
	    (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) < 0 ||
	     si.si_code == SI_USER || (st >> 16) != 0))
		sig = 0;
	/* fails harmlessly when init is not the tracer */
	(void)ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)sig);
}

/* init's signals (blocked since the launcher's clone) come on a signalfd. */
static int
init_signals(struct lx_launch *lx)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	lx->init_sfd = signalfd(-1, &set, SFD_CLOEXEC);
	return lx->init_sfd < 0 ? -1 : 0;
}

/* A signal for init: pass it on, or reap (and leave with the program). */
static void
init_signal(const struct lx_launch *lx, pid_t prog, int sig)
{
	int st;
	pid_t w;

	if (sig == SIGTSTP || sig == SIGCONT) {
		stop_or_continue(prog, sig);
		return;
	}
	if (sig != SIGCHLD) {
		kill(prog, sig);
		return;
	}
	/* __WALL: also children that chose another exit signal */
	while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (WIFSTOPPED(st)) {
			init_untrace(w, st);
			continue;
		}
		if (w == prog && (WIFEXITED(st) || WIFSIGNALED(st))) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%d", st);
			lx_report(lx, LX_MSG_STATUS, buf);
			_exit(0);
		}
	}
}

/*
 * Runs beside the launcher in shared memory: allocates nothing. Waits for
 * signals (a signalfd) and for the calls the program's seccomp filter
 * hands over (supervise_linux.c).
 */
static void __attribute__((noreturn))
init_wait(const struct lx_launch *lx, pid_t prog)
{
	struct sigaction sa;
	struct pollfd p[2];
	int nfd = lx_supervise_recv_fd(lx->supervise[0]);

	close(lx->supervise[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ignore_signal;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	p[0].fd = lx->init_sfd;
	p[1].fd = nfd;
	p[0].events = p[1].events = POLLIN;
	for (;;) {
		struct signalfd_siginfo si;

		if (poll(p, nfd >= 0 ? 2 : 1, -1) < 0)
			continue;
		if (p[1].revents & POLLIN)
			lx_supervise_answer(nfd, lx->memfd_unsealed_ok);
		else if (p[1].revents & (POLLHUP | POLLERR))
			p[1].fd = -1; /* no filtered process left: ignore */
		if ((p[0].revents & POLLIN) &&
		    read(p[0].fd, &si, sizeof(si)) == sizeof(si))
			init_signal(lx, prog, (int)si.ssi_signo);
	}
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = -1;

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) == (ssize_t)strlen(text))
		ret = 0;
	close(fd);
	return ret;
}

/*
 * The program keeps its own uid and gid inside (not root: #25). Root
 * acting for a user through sudo also maps that user, whom the program
 * runs as (sandbox_linux.c switches before dropping capabilities), so it
 * can write the user's container. A map of two ids needs CAP_SETUID in
 * the parent namespace: the launcher writes that one (maps_for_sudo).
 */
static int
map_ids(const struct lx_launch *lx)
{
	char buf[64];

	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return -1;
	snprintf(buf, sizeof(buf), "%u %u 1\n", (unsigned)lx->uid,
		 (unsigned)lx->uid);
	if (write_file("/proc/self/uid_map", buf) < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%u %u 1\n", (unsigned)lx->gid,
		 (unsigned)lx->gid);
	return write_file("/proc/self/gid_map", buf);
}

static int
maps_for_sudo(const struct lx_launch *lx, pid_t child)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)child);
	snprintf(buf, sizeof(buf), "0 0 1\n%u %u 1\n", (unsigned)lx->run_uid,
		 (unsigned)lx->run_uid);
	if (write_file(path, buf) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)child);
	snprintf(buf, sizeof(buf), "0 0 1\n%u %u 1\n", (unsigned)lx->run_gid,
		 (unsigned)lx->run_gid);
	return write_file(path, buf);
}

/* Root through sudo: run as the invoking user (as the store does). */
static void
run_ids(struct lx_launch *lx)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	char *end1 = NULL, *end2 = NULL;
	unsigned long u, g;

	lx->uid = lx->run_uid = geteuid();
	lx->gid = lx->run_gid = getegid();
	if (lx->uid != 0 || !su || !sg)
		return;
	u = strtoul(su, &end1, 10);
	g = strtoul(sg, &end2, 10);
	if (*su && *sg && !*end1 && !*end2 && u && g && u < 0xfffffffful &&
	    g < 0xfffffffful) {
		lx->run_uid = (uid_t)u;
		lx->run_gid = (gid_t)g;
	}
}

static int
launcher_alive(const struct lx_launch *lx)
{
	struct pollfd p = { lx->alive_fd, POLLIN, 0 };

	return poll(&p, 1, 0) == 0;
}

static void __attribute__((noreturn))
child_fail(struct lx_launch *lx, const struct sbox_err *err)
{
	char msg[1100];

	snprintf(msg, sizeof(msg), "%d%s", (int)err->code, err->msg);
	lx_report(lx, LX_MSG_ERROR, msg);
	_exit(125);
}

/*
 * The set-up holds one descriptor per path of the plan until Landlock has
 * its rules: 1,000 rules need more than the usual soft limit of 1,024.
 * Up to the hard limit, for this process only; program_exec restores it.
 */
static void
raise_nofile(const struct lx_launch *lx)
{
	struct rlimit rl = lx->nofile;

	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void __attribute__((noreturn))
child_main(struct lx_launch *lx)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char **launcher_environ = environ;
	pid_t prog;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	raise_nofile(lx);
	if (lx->run_uid != lx->uid) {
		char go;

		/* the launcher writes the maps, then one byte (EOF: it died) */
		if (read(lx->alive_fd, &go, 1) != 1)
			_exit(125);
	} else if (!launcher_alive(lx) || map_ids(lx) < 0) {
		err_sys(&err, "cannot map user and group ids");
		child_fail(lx, &err);
	}
	/* after the maps (a non-dumpable process cannot write its own),
	 * before the program exists: see the top of this file */
	prctl(PR_SET_DUMPABLE, 0);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		err_sys(&err, "cannot make the mounts private");
		child_fail(lx, &err);
	}
	/* the plan's paths are opened with the user's rights (see spawn):
	 * the namespace's capabilities would override them */
	if (user_rights_enter_ids(&lx->rights) < 0) {
		err_sys(&err, "cannot take the rights of uid %ld",
			(long)lx->run_uid);
		child_fail(lx, &err);
	}
	if (rootfs_resolve(lx, &err) < 0)
		child_fail(lx, &err);
	user_rights_leave(&lx->rights);
	if (rootfs_enter(lx, &err) < 0 ||
	    (lx->pty.fds && lx_pty_open(lx, &err) < 0) ||
	    sandbox_apply(lx, &err) < 0)
		child_fail(lx, &err);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		       lx->supervise) < 0 || init_signals(lx) < 0) {
		err_sys(&err, "cannot set up init");
		child_fail(lx, &err);
	}
	/* vfork: init resumes once the program is exec'd, and program_exec
	 * allocates nothing */
	prog = vfork();
	if (prog < 0) {
		err_sys(&err, "cannot fork the program");
		child_fail(lx, &err);
	}
	if (prog == 0)
		program_exec(lx);
	close(lx->supervise[1]);
	environ = launcher_environ;
	/* only the program holds the slave: its end is the master's EOF */
	if (lx->pty.fds)
		close(lx->pty_slave);
	/* the heap is the launcher's from here on */
	(void)!write(lx->handoff_fd, "h", 1);
	close(lx->handoff_fd);
	init_wait(lx, prog);
}

/* ---- the launcher ---- */

static int
clone_flags(const struct linux_plan *plan)
{
	int f = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
		CLONE_NEWUTS;

	if (plan->namespaces & LPNS_NET)
		f |= CLONE_NEWNET;
	return f;
}

/*
 * Anonymous files are never executable (seccomp_memfd_linux.c): that needs
 * MFD_NOEXEC_SEAL (Linux 6.3, which added vm.memfd_noexec with it) and
 * notification structures init's buffers hold.
 */
static int
check_memfd_seal(struct lx_launch *lx, struct sbox_err *err)
{
	if (!(lx->plan.needs & LPN_MEMFD_NOEXEC) ||
	    (access("/proc/sys/vm/memfd_noexec", F_OK) == 0 &&
	     lx_supervise_sizes_fit()))
		return 0;
	if (!(lx->req->flags & LAUNCH_ALLOW_WEAKER))
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "the kernel cannot make memfds non-executable "
			       "(MFD_NOEXEC_SEAL, Linux 6.3), so exec rules "
			       "would not hold for them; --allow-weaker runs "
			       "with weaker isolation");
	if (lx->req->warn)
		lx->req->warn("memfds stay executable on this kernel: exec "
			      "rules do not hold for anonymous files");
	lx->memfd_unsealed_ok = 1;
	return 0;
}

static int
check_kernel(struct lx_launch *lx, struct sbox_err *err)
{
	unsigned missing;

	if (check_memfd_seal(lx, err) < 0)
		return -1;
	lx->abi = landlock_abi();
	missing = landlock_missing(&lx->plan, lx->abi);
	if (!missing)
		return 0;
	if (!(lx->req->flags & LAUNCH_ALLOW_WEAKER))
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "the kernel lacks %s (Landlock ABI %d); "
			       "--allow-weaker runs with weaker isolation",
			       (missing & LPN_LANDLOCK_FS) ? "Landlock" :
			       (missing & LPN_LANDLOCK_TCP) ?
			       "Landlock TCP rules (ABI 4)" :
			       "Landlock scoping of abstract sockets and "
			       "signals (ABI 6)", lx->abi);
	if (lx->req->warn)
		lx->req->warn((missing & LPN_LANDLOCK_FS) ?
			      "no Landlock: files are confined by the mount "
			      "namespace only" :
			      "Landlock cannot enforce every network rule on "
			      "this kernel; isolation is weaker");
	lx->weaker = lx->abi < 1;
	return 0;
}

/* Enough for the set-up's deepest path; only the pages touched cost. */
#define CHILD_STACK_SIZE (1024 * 1024)

/* In backend_launch's frame: the child reads it while the launcher runs. */
struct run_state {
	struct lx_launch *lx;
	struct lx_watch w;
	int report[2], alive[2], handoff[2];
	int ptysock[2];          /* the pty's master comes through it */
	sigset_t set, old;
	void *stack;
	const void *asan_bottom; /* the launcher's stack, for AddressSanitizer */
	size_t asan_size;
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * AddressSanitizer keeps one stack per thread in thread-local state,
 * which the child shares: tell it the child's stack from its first
 * instruction, and the launcher's again once the child is reaped.
 */
static void
asan_stack_switch(const void *bottom, size_t size, const void **old_bottom,
		  size_t *old_size)
{
#ifdef __SANITIZE_ADDRESS__
	void *fake = NULL;

	__sanitizer_start_switch_fiber(&fake, bottom, size);
	__sanitizer_finish_switch_fiber(fake, old_bottom, old_size);
#else
	(void)bottom, (void)size, (void)old_bottom, (void)old_size;
#endif
}

static int
child_entry(void *arg)
{
	struct run_state *rs = arg;

	asan_stack_switch(rs->stack, CHILD_STACK_SIZE, &rs->asan_bottom,
			  &rs->asan_size);
	/* the fd table is the child's own copy (no CLONE_FILES) */
	close(rs->w.sfd);
	close(rs->report[0]);
	close(rs->alive[1]);
	close(rs->handoff[0]);
	if (rs->ptysock[0] >= 0)
		close(rs->ptysock[0]);
	child_main(rs->lx);
}

static int
open_pipes(struct lx_launch *lx, struct run_state *rs, struct sbox_err *err)
{
	if (pipe2(rs->report, O_CLOEXEC) < 0 || pipe2(rs->alive, O_CLOEXEC) < 0 ||
	    pipe2(rs->handoff, O_CLOEXEC) < 0)
		return err_sys(err, "pipe");
	lx->report_fd = rs->report[1];
	lx->alive_fd = rs->alive[0];
	lx->handoff_fd = rs->handoff[1];
	if (lx->pty.fds) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
			       rs->ptysock) < 0)
			return err_sys(err, "socketpair");
		lx->pty_sock = rs->ptysock[1];
	}
	block_signals(&rs->set, &rs->old);
	rs->w.sfd = signalfd(-1, &rs->set, SFD_CLOEXEC);
	if (rs->w.sfd < 0)
		return err_sys(err, "signalfd");
	return 0;
}

static int
spawn(struct lx_launch *lx, struct run_state *rs, struct sbox_err *err)
{
	char *stack;
	int pid;

	if (open_pipes(lx, rs, err) < 0)
		return -1;
	stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return err_sys(err, "cannot map the container's stack");
	/* a guard page: an overflow must fault, not write over shared memory */
	if (mprotect(stack, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) < 0) {
		munmap(stack, CHILD_STACK_SIZE);
		return err_sys(err, "cannot guard the container's stack");
	}
	rs->stack = stack;
	rs->lx = lx;
	fflush(NULL);
	/*
	 * Root acting for a user: the container's first process starts with
	 * that user's filesystem ids and groups (kernel ids, valid in any
	 * namespace), so every path of the plan is resolved with the user's
	 * rights: a grant under a folder the user cannot enter shows nothing.
	 */
	if (user_rights_enter(&lx->rights) < 0)
		return err_sys(err, "cannot take the rights of uid %ld",
			       (long)lx->run_uid);
	pid = clone(child_entry, stack + CHILD_STACK_SIZE,
		    clone_flags(&lx->plan) | CLONE_VM | SIGCHLD, rs);
	user_rights_leave(&lx->rights);
	if (pid < 0)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "cannot create the container's namespaces: %s "
			       "(Hint: unprivileged user namespaces may be "
			       "disabled, see sysctl user.max_user_namespaces)",
			       strerror(errno));
	rs->w.child = (pid_t)pid;
	close_fd(&rs->report[1]);
	close_fd(&rs->alive[0]);
	close_fd(&rs->handoff[1]);
	close_fd(&rs->ptysock[1]);
	rs->w.report_fd = rs->report[0];
	rs->report[0] = -1;
	if (lx->run_uid != lx->uid &&
	    (maps_for_sudo(lx, rs->w.child) < 0 ||
	     write(rs->alive[1], "g", 1) != 1)) {
		err_sys(err, "cannot map the ids of the container");
		lx_watch_kill(&rs->w);  /* blocked in read(): owns nothing */
		return -1;
	}
	return 0;
}

/*
 * The set-up was killed (a signal or the time limit): it may have been
 * inside malloc, so this process must not touch its heap again and can
 * only say why and leave. The one place library code exits; see the top.
 */
static void __attribute__((noreturn))
launch_abandon(const char *why, int status)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "sbox: the container's set-up %s\n",
			 why);

	(void)!write(STDERR_FILENO, msg, (size_t)n);
	_exit(status);
}

static void
handoff(struct run_state *rs, double deadline)
{
	char why[64];
	int sig = 0;

	switch (lx_watch_handoff(&rs->w, rs->handoff[0], deadline, &sig)) {
	case LX_HANDOFF_DONE:
		return;
	case LX_HANDOFF_EXITED:
		/* exited by itself (child_fail): the heap is consistent */
		if (WIFEXITED(rs->w.init_status))
			return;
		snprintf(why, sizeof(why), "was killed by signal %d",
			 WTERMSIG(rs->w.init_status));
		launch_abandon(why, 125);  /* DESIGN.md "Exit codes" */
	case LX_HANDOFF_TIMEOUT:
		lx_watch_kill(&rs->w);
		launch_abandon("ran out of time", 128 + SIGKILL);
	case LX_HANDOFF_SIGNAL:
		lx_watch_kill(&rs->w);
		snprintf(why, sizeof(why), "was interrupted by signal %d", sig);
		launch_abandon(why, 128 + sig);
	}
}

static void
run_state_release(struct run_state *rs)
{
	int *fds[] = { &rs->report[0], &rs->report[1], &rs->alive[0],
		       &rs->alive[1], &rs->handoff[0], &rs->handoff[1],
		       &rs->ptysock[0], &rs->ptysock[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		close_fd(fds[i]);
	lx_watch_release(&rs->w);
	sigprocmask(SIG_SETMASK, &rs->old, NULL);
	/* only once the child is reaped: it runs on this stack */
	if (rs->stack && (rs->w.child < 0 || rs->w.reaped)) {
		if (rs->asan_bottom)
			asan_stack_switch(rs->asan_bottom, rs->asan_size, NULL,
					  NULL);
		munmap(rs->stack, CHILD_STACK_SIZE);
	}
}

static void
emit_warnings(const struct lx_launch *lx)
{
	for (size_t at = 0; at < lx->warnings.len;
	     at += strlen(lx->warnings.buf + at) + 1)
		if (lx->req->warn)
			lx->req->warn(lx->warnings.buf + at);
}

static int
status_of(int ws)
{
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return WEXITSTATUS(ws);
}

static void
result_fill(struct launch_result *res, int ws, int timed_out, double secs)
{
	if (!res)
		return;
	res->exited = WIFEXITED(ws);
	res->exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	res->signal = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
	res->timed_out = timed_out;
	res->seconds = secs;
}

/* The program runs (or failed to exec, which the report pipe says). */
static int
relay_start(struct lx_launch *lx, struct run_state *rs, struct sbox_err *err)
{
	int master = lx_pty_receive(rs->ptysock[0]);

	if (master < 0)
		return err_set(err, SBOX_E_INTERNAL, "the container did not "
			       "pass the program's terminal");
	if (pty_relay_start(&lx->pty, master, err) < 0) {
		close(master);
		return -1;
	}
	rs->w.relay = &lx->pty;
	return 0;
}

static int
finish(struct lx_launch *lx, struct run_state *rs, double start, int *status,
       struct sbox_err *err)
{
	double deadline = lx->req->timeout > 0 ? start + lx->req->timeout :
			  lx->plan.limits.wall_seconds ?
			  start + (double)lx->plan.limits.wall_seconds : 0;
	struct lx_watch *w = &rs->w;

	handoff(rs, deadline);
	if (lx->trace)
		lx_trace_heap_back(lx->trace);
	emit_warnings(lx);
	/* a set-up that failed after opening the pty has exited already */
	if (lx->pty.fds && !rs->w.reaped && relay_start(lx, rs, err) < 0) {
		lx_watch_kill(w);
		return -1;
	}
	lx_watch_loop(w, deadline);
	pty_relay_finish(&lx->pty);
	if (w->error_seen) {
		*err = w->child_err;
		return -1;
	}
	if (!w->status_seen) {
		if (!w->timed_out && !WIFSIGNALED(w->init_status))
			return err_set(err, SBOX_E_INTERNAL,
				       "the container's init exited without a "
				       "status");
		w->wait_status = w->init_status;
	}
	*status = status_of(w->wait_status);
	result_fill(lx->req->result, w->wait_status, w->timed_out,
		    lx_now() - start);
	return 0;
}

static char *
container_tmpdir(const struct launch_request *req)
{
	struct stat st;
	char *t;

	if (req->def->home != DEF_HOME_CONTAINER || !req->data_dir)
		return xstrdup("/tmp");
	t = xasprintf("%s/tmp", req->data_dir);
	if (stat(t, &st) == 0 && S_ISDIR(st.st_mode))
		return t;
	free(t);
	return xstrdup("/tmp");
}

int
backend_launch(const struct launch_request *req, int *status,
	       struct sbox_err *err)
{
	struct lx_launch lx;
	struct run_state rs;
	struct lplan_resolver res = { lx_links_resolve, NULL };
	char *tmpdir = container_tmpdir(req);
	double start = lx_now();
	int ret = -1;

	memset(&lx, 0, sizeof(lx));
	memset(&rs, 0, sizeof(rs));
	rs.report[0] = rs.report[1] = rs.alive[0] = rs.alive[1] = -1;
	rs.handoff[0] = rs.handoff[1] = -1;
	rs.ptysock[0] = rs.ptysock[1] = -1;
	lx_watch_init(&rs.w);
	strbuf_init(&lx.warnings);
	sigprocmask(SIG_SETMASK, NULL, &rs.old);
	lx.req = req;
	lx.cwd = req->project_dir;
	getrlimit(RLIMIT_NOFILE, &lx.nofile);
	run_ids(&lx);
	if (lx.run_uid != lx.uid)
		user_rights_for(&lx.rights, lx.run_uid, lx.run_gid);
	if (!req->argv || !req->argv[0]) {
		err_set(err, SBOX_E_INVALID, "no program to run");
		goto out;
	}
	/* decided on the paths the mounts and Landlock reach (links_linux.h) */
	lx_links_init(&lx.links, req->def, req->data_dir);
	res.ctx = &lx.links;
	if (linux_plan_build_resolved(&lx.plan, req->def, req->data_dir, tmpdir,
				      &res, err) < 0 ||
	    check_kernel(&lx, err) < 0)
		goto out;
	lx.objs = xcalloc(lx.plan.npaths + 1, sizeof(*lx.objs));
	/* home "real": HOME stays the user's own home */
	lx.envp = env_scrub(req->def, req->envp,
			    lx.plan.home ? lx.plan.home : req->real_home, tmpdir);
	lx.bpf = seccomp_filters_embedded[lx.plan.sockets];
	if (req->denials && lx_trace_start(&lx.trace, req, &lx.plan, tmpdir,
					   &lx.bpf, lx.memfd_unsealed_ok, err) < 0)
		goto out;
	rs.w.trace = lx.trace;
	lx.pty_sock = lx.pty_slave = -1;
	pty_relay_plan(&lx.pty, req->pty);
	if (spawn(&lx, &rs, err) < 0)
		goto out;
	if (lx.trace)
		lx_trace_spawned(lx.trace);
	ret = finish(&lx, &rs, start, status, err);
out:
	if (rs.w.child > 0 && !rs.w.reaped)
		lx_watch_kill(&rs.w);
	pty_relay_finish(&lx.pty);
	run_state_release(&rs);
	lx_trace_free(lx.trace);
	rootfs_free_objects(&lx);
	strbuf_release(&lx.warnings);
	env_free(lx.envp);
	linux_plan_release(&lx.plan);
	lx_links_release(&lx.links);
	user_rights_release(&lx.rights);
	free(tmpdir);
	return ret;
}
