/*
 * The macOS launch sequence itself (DESIGN.md "Launch order", MACOS.md
 * §4.3 and §6.1), written against struct darwin_sys only. The parent
 * refuses to nest, builds the plan, refuses a chroot that cannot start
 * the program, compiles the profile, forks and waits; the child makes the
 * system calls in the one order that keeps each step possible: chroot
 * needs root, so it precedes the privilege drop; the profile is the last
 * thing before the exec, which closes every inherited descriptor but 0-2
 * in the kernel (MACOS.md §1.7, §6.2 pitfalls 5 and 6).
 *
 * A child that fails before the exec sends a struct child_report over a
 * close-on-exec pipe; end-of-file on that pipe means the exec succeeded.
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

struct child_report {
	int code;
	int sys_errno;
	char msg[sizeof(((struct sbox_err *)0)->msg)];
};

/* What a terminal user may send; the parent passes them on. */
static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
};

static void
wait_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded_signals) /
			       sizeof(forwarded_signals[0]); i++)
		sigaddset(set, forwarded_signals[i]);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGALRM);
	sigaddset(set, SIGTSTP);  /* seatbelt_pty_signal */
	sigaddset(set, SIGCONT);
}

/* ---- the child ---------------------------------------------------- */

/*
 * setgroups, setgid, setuid -- in that order, as group changes need the
 * privilege that setuid gives up -- then prove it cannot be undone: a
 * process that can regain root can leave a chroot (MACOS.md §4.1).
 */
static int
child_drop_privileges(const struct darwin_sys *sys,
		      const struct seatbelt_plan *plan, struct sbox_err *err)
{
	void *c = sys->ctx;
	gid_t groups[1] = { plan->gid };

	if (sys->setgroups(c, 1, groups) < 0)
		return err_sys(err, "setgroups(%u)", (unsigned)plan->gid);
	if (sys->setgid(c, plan->gid) < 0)
		return err_sys(err, "setgid(%u)", (unsigned)plan->gid);
	if (sys->setuid(c, plan->uid) < 0)
		return err_sys(err, "setuid(%u)", (unsigned)plan->uid);
	if (sys->setuid(c, 0) == 0)
		return err_set(err, SBOX_E_INTERNAL,
			       "privileges not dropped: setuid(0) succeeded "
			       "after setuid(%u)", (unsigned)plan->uid);
	if (sys->getuid(c) != plan->uid || sys->geteuid(c) != plan->uid ||
	    sys->getgid(c) != plan->gid || sys->getegid(c) != plan->gid)
		return err_set(err, SBOX_E_INTERNAL,
			       "privileges not dropped: ids are not %u:%u",
			       (unsigned)plan->uid, (unsigned)plan->gid);
	return 0;
}

static int
child_limits(const struct darwin_sys *sys, const struct def_limits *l,
	     struct sbox_err *err)
{
	const struct {
		enum seatbelt_limit which;
		uint64_t value;
		const char *name;
	} set[] = {
		{ SEATBELT_LIMIT_CPU, l->cpu_seconds, "cpu-seconds" },
		{ SEATBELT_LIMIT_NOFILE, l->open_files, "open-files" },
		{ SEATBELT_LIMIT_NPROC, l->processes, "processes" },
		{ SEATBELT_LIMIT_AS, l->memory_bytes, "memory" },
		{ SEATBELT_LIMIT_FSIZE, l->file_size_bytes, "file-size" },
	};

	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i].value &&
		    sys->setrlimit(sys->ctx, set[i].which, set[i].value) < 0)
			return err_sys(err, "limit %s=%llu", set[i].name,
				       (unsigned long long)set[i].value);
	return 0;
}

/* Descriptors the program gets; the kernel closes every other one. */
static const int inherited_fds[] = { 0, 1, 2 };

/*
 * The final exec: posix_spawn with POSIX_SPAWN_SETEXEC (exec in place)
 * and POSIX_SPAWN_CLOEXEC_DEFAULT, whose file actions name 0-2 as
 * inherited, so the kernel closes every other descriptor as it execs
 * (posix_spawnattr_setflags(3), posix_spawn_file_actions_addinherit_np(3)):
 * descriptors opened before the sandbox would keep working inside it
 * (sandbox(7)), and closing them one by one could trip a guarded one.
 * Leaves errno as execve would have set it.
 */
static void
spawn_exec(const struct darwin_sys *sys, const struct seatbelt_plan *plan,
	   const char *path)
{
	errno = sys->spawn(sys->ctx, path, SEATBELT_SPAWN_SETEXEC |
			   SEATBELT_SPAWN_CLOEXEC_DEFAULT, inherited_fds,
			   sizeof(inherited_fds) / sizeof(inherited_fds[0]),
			   plan->argv, plan->envp);
}

/*
 * The exec, searching PATH of the new environment when argv[0] has no
 * slash. No allocation: this runs between fork and exec.
 */
static int
child_exec(const struct darwin_sys *sys, const struct seatbelt_plan *plan,
	   struct sbox_err *err)
{
	const char *prog = plan->argv[0], *path, *p;
	char buf[PATH_MAX];
	int saw_eacces = 0;

	if (strchr(prog, '/')) {
		spawn_exec(sys, plan, prog);
		return err_sys(err, "cannot execute '%s'", prog);
	}
	path = seatbelt_env_get(plan->envp, "PATH");
	for (p = path ? path : ""; *p; p += *p == ':') {
		size_t n = strcspn(p, ":");
		int len = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p,
				   n ? "/" : "", prog);

		p += n;
		if (len < 0 || (size_t)len >= sizeof(buf))
			continue;
		spawn_exec(sys, plan, buf);
		if (errno == EACCES)
			saw_eacces = 1;
		else if (errno != ENOENT && errno != ENOTDIR)
			return err_sys(err, "cannot execute '%s'", buf);
	}
	if (saw_eacces) {
		errno = EACCES;
		return err_sys(err, "cannot execute '%s'", prog);
	}
	return err_set(err, SBOX_E_INTERNAL, "program '%s' not found in "
		       "PATH of the container", prog);
}

static int
child_steps(const struct darwin_sys *sys, const struct seatbelt_plan *plan,
	    const struct seatbelt_compiled *comp, const sigset_t *mask,
	    struct sbox_err *err)
{
	void *c = sys->ctx;

	if (sys->sigprocmask(c, SIG_SETMASK, mask, NULL) < 0)
		return err_sys(err, "sigprocmask");
	/* Own session: no controlling terminal to push input into, or the
	 * program's own pty as its controlling terminal. */
	if (sys->setsid(c) < 0)
		return err_sys(err, "setsid");
	if (seatbelt_pty_child(sys, plan, err) < 0)
		return -1;
	if (plan->chroot_dir) {
		if (sys->chroot(c, plan->chroot_dir) < 0)
			return err_sys(err, "chroot('%s')", plan->chroot_dir);
		if (sys->chdir(c, "/") < 0)
			return err_sys(err, "chdir('/') in the root");
	}
	if (plan->drop && child_drop_privileges(sys, plan, err) < 0)
		return -1;
	if (sys->chdir(c, plan->workdir) < 0)
		return err_sys(err, "chdir('%s')", plan->workdir);
	if (child_limits(sys, &plan->limits, err) < 0)
		return -1;
	if (seatbelt_profile_apply(sys, plan, comp, err) < 0)
		return -1;
	return child_exec(sys, plan, err);
}

/* Runs in the forked child; sys->exit returns only in tests. */
static void
child_run(const struct darwin_sys *sys, const struct seatbelt_plan *plan,
	  const struct seatbelt_compiled *comp, const sigset_t *mask,
	  int errfd)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct child_report rep;

	child_steps(sys, plan, comp, mask, &err);
	memset(&rep, 0, sizeof(rep));
	rep.code = (int)err.code;
	rep.sys_errno = err.sys_errno;
	memcpy(rep.msg, err.msg, sizeof(rep.msg));
	sys->write(sys->ctx, errfd, &rep, sizeof(rep));
	sys->exit(sys->ctx, 125);
}

/* ---- the parent --------------------------------------------------- */

/* Bytes read until EOF or n; -1 on a read error. */
static ssize_t
read_full(const struct darwin_sys *sys, int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = sys->read(sys->ctx, fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
wait_status(int ws)
{
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return WEXITSTATUS(ws);
}

/* To the child's process group (it leads its own session), else to it. */
static void
forward_signal(const struct darwin_sys *sys, pid_t pid, int sig)
{
	if (sys->kill(sys->ctx, -pid, sig) < 0)
		sys->kill(sys->ctx, pid, sig);
}

static void
reap(const struct darwin_sys *sys, pid_t pid)
{
	int ws;

	while (sys->waitpid(sys->ctx, pid, &ws, 0) < 0 && errno == EINTR)
		;
}

/* The child failed before execve: reap it and pass its report on. */
static int
parent_child_failed(const struct darwin_sys *sys, pid_t pid,
		    const struct child_report *rep, ssize_t n,
		    struct sbox_err *err)
{
	reap(sys, pid);
	if (n != (ssize_t)sizeof(*rep))
		return err_set(err, SBOX_E_INTERNAL,
			       "launch failed: the child's report is "
			       "truncated (%zd bytes)", n);
	err_set(err, rep->code == SBOX_E_UNSUPPORTED ? SBOX_E_UNSUPPORTED :
		SBOX_E_INTERNAL, "%.*s", (int)sizeof(rep->msg) - 1, rep->msg);
	err->sys_errno = rep->sys_errno;
	return -1;
}

/* How the program ended, for `sbox run --report`. */
static void
fill_result(struct launch_result *res, int ws, int timed_out, double secs)
{
	if (!res)
		return;
	memset(res, 0, sizeof(*res));
	res->exited = WIFEXITED(ws);
	res->exit_code = res->exited ? WEXITSTATUS(ws) : 0;
	res->signal = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
	res->timed_out = timed_out;
	res->seconds = secs;
}

static int
parent_wait(const struct darwin_sys *sys, const struct launch_request *req,
	    const struct seatbelt_plan *plan, pid_t pid, const sigset_t *set,
	    int *status, struct sbox_err *err)
{
	void *c = sys->ctx;
	int ws = 0, sig, r, timed_out = 0;
	uint64_t wall = plan->limits.wall_seconds;
	double start = sys->now(c);

	if (seatbelt_pty_start(sys, plan, err) < 0) {
		err->code = SBOX_E_INTERNAL;
		forward_signal(sys, pid, SIGKILL);
		reap(sys, pid);
		return -1;
	}
	if (wall)
		sys->alarm(c, wall > UINT_MAX ? UINT_MAX : (unsigned)wall);
	for (;;) {
		r = sys->sigwait(c, set, &sig);
		if (r != 0) {
			errno = r;
			err_sys(err, "waiting for the program");
			err->code = SBOX_E_INTERNAL;
			forward_signal(sys, pid, SIGKILL);
			reap(sys, pid);
			return -1;
		}
		if (seatbelt_pty_signal(sys, plan, pid, sig))
			continue;
		if (sig == SIGCHLD) {
			pid_t w = sys->waitpid(c, pid, &ws, WNOHANG);

			if (w != pid)
				continue;
			/*
			 * What the program left running in its process group
			 * goes with it, as a Linux PID namespace ends with its
			 * first process.
			 */
			sys->kill(c, -pid, SIGKILL);
			break;
		}
		if (sig == SIGALRM) {
			timed_out = 1;
			if (req->warn)
				req->warn("wall-clock limit reached: killing "
					  "the program");
			sig = SIGKILL;
		}
		forward_signal(sys, pid, sig);
	}
	if (wall)
		sys->alarm(c, 0);
	seatbelt_pty_finish(sys, plan);
	*status = wait_status(ws);
	fill_result(req->result, ws, timed_out, sys->now(c) - start);
	return 0;
}

static int
parent_run(const struct darwin_sys *sys, const struct launch_request *req,
	   const struct seatbelt_plan *plan, pid_t pid, int rfd,
	   const sigset_t *set, int *status, struct sbox_err *err)
{
	struct child_report rep;
	ssize_t n = read_full(sys, rfd, &rep, sizeof(rep));

	if (n < 0) {
		err_sys(err, "reading the child's launch report");
		err->code = SBOX_E_INTERNAL;
		forward_signal(sys, pid, SIGKILL);
		reap(sys, pid);
		return -1;
	}
	if (n > 0)
		return parent_child_failed(sys, pid, &rep, n, err);
	return parent_wait(sys, req, plan, pid, set, status, err);
}

/* ---- the whole launch --------------------------------------------- */

/*
 * RLIMIT_NPROC on macOS counts every process of the user, not those of
 * the container (xnu bsd/kern/kern_fork.c, chgproccnt per uid).
 */
static void
warn_nproc(const struct darwin_sys *sys, const struct launch_request *req,
	   const struct seatbelt_plan *plan)
{
	char msg[512];
	unsigned uid = (unsigned)(plan->drop ? plan->uid : sys->getuid(sys->ctx));

	if (!plan->limits.processes || !req->warn)
		return;
	snprintf(msg, sizeof(msg), "limits.processes=%llu: macOS counts every "
		 "process of user %u against it (RLIMIT_NPROC), not only the "
		 "container's, so the program cannot fork once that user runs "
		 "%llu processes anywhere", (unsigned long long)
		 plan->limits.processes, uid,
		 (unsigned long long)plan->limits.processes);
	req->warn(msg);
}

int
seatbelt_launch(const struct darwin_sys *sys, const struct launch_request *req,
		int *status, struct sbox_err *err)
{
	void *c = sys->ctx;
	struct seatbelt_plan plan;
	struct seatbelt_compiled comp = { NULL };
	sigset_t set, old;
	int fds[2] = { -1, -1 }, rc = -1, masked = 0, caught = 0;
	pid_t pid;

	seatbelt_plan_init(&plan);
	/* One sandbox per process tree: a nested apply fails (MACOS.md §1.7). */
	if (sys->sandbox_check(c, sys->getpid(c)) == 1) {
		err_set(err, SBOX_E_UNSUPPORTED,
			"sbox is already running inside a Seatbelt sandbox "
			"(sandbox-exec, an App Sandbox parent or another "
			"tool); macOS cannot apply a second profile");
		goto out;
	}
	if (seatbelt_plan_build(sys, req, &plan, err) < 0 ||
	    seatbelt_chroot_check(sys, req, &plan, err) < 0 ||
	    seatbelt_pty_prepare(sys, req, &plan, err) < 0)
		goto out;
	/* The pty's name is in the profile: compile after pty_prepare. */
	warn_nproc(sys, req, &plan);
	if (seatbelt_profile_compile(sys, &plan, &comp, err) < 0)
		goto out;
	if (sys->pipe_cloexec(c, fds) < 0) {
		err_sys(err, "pipe");
		err->code = SBOX_E_INTERNAL;
		goto out;
	}
	wait_set(&set);
	/*
	 * 4.4BSD kernels, XNU among them, drop a signal whose default action
	 * is "ignore" when it is sent, blocked or not; a handler keeps
	 * SIGCHLD, SIGWINCH and SIGCONT pending for sigwait (and undoes an
	 * inherited SIG_IGN, which would leave no child to wait for).
	 */
	sys->sigcatch(c, SIGCHLD, 1);
	sys->sigcatch(c, SIGWINCH, 1);
	sys->sigcatch(c, SIGCONT, 1);
	caught = 1;
	if (sys->sigprocmask(c, SIG_BLOCK, &set, &old) < 0) {
		err_sys(err, "sigprocmask");
		err->code = SBOX_E_INTERNAL;
		goto out;
	}
	masked = 1;
	pid = sys->fork(c);
	if (pid < 0) {
		err_sys(err, "fork");
		err->code = SBOX_E_INTERNAL;
		goto out;
	}
	if (pid == 0) {
		sys->close(c, fds[0]);
		fds[0] = -1;
		child_run(sys, &plan, &comp, &old, fds[1]);
		err_set(err, SBOX_E_INTERNAL, "the child returned");
		goto out;
	}
	sys->close(c, fds[1]);
	fds[1] = -1;
	seatbelt_pty_forked(sys, &plan);
	rc = parent_run(sys, req, &plan, pid, fds[0], &set, status, err);
out:
	if (masked)
		sys->sigprocmask(c, SIG_SETMASK, &old, NULL);
	if (caught) {
		sys->sigcatch(c, SIGCHLD, 0);
		sys->sigcatch(c, SIGWINCH, 0);
		sys->sigcatch(c, SIGCONT, 0);
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			sys->close(c, fds[i]);
	seatbelt_profile_free(sys, &comp);
	seatbelt_pty_release(sys, &plan);
	seatbelt_plan_release(&plan);
	return rc;
}
