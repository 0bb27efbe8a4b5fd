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
 */
#include "backend/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/env_scrub.h"
#include "backend/landlock_linux.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

extern char **environ;

/* Signals the launcher passes on to the program. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
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

void
lx_warn(const struct lx_launch *lx, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lx_report(lx, LX_MSG_WARN, buf);
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
set_limit(int resource, uint64_t value)
{
	struct rlimit rl = { value, value };

	if (value)
		(void)setrlimit(resource, &rl);
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
	/* own session: no controlling terminal to inject into (#22) */
	setsid();
	set_limit(RLIMIT_CPU, l->cpu_seconds);
	set_limit(RLIMIT_NOFILE, l->open_files);
	set_limit(RLIMIT_NPROC, l->processes);
	set_limit(RLIMIT_AS, l->memory_bytes);
	set_limit(RLIMIT_FSIZE, l->file_size_bytes);
	/* only 0, 1, 2 reach the program (#21); the report pipe closes at exec */
	syscall(SYS_close_range, 3, ~0u, 4 /* CLOSE_RANGE_CLOEXEC */);
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

static void __attribute__((noreturn))
init_wait(struct lx_launch *lx, pid_t prog)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ignore_signal;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		sigaction(forwarded[i], &sa, NULL);
		sigaddset(&set, forwarded[i]);
	}
	prctl(PR_SET_DUMPABLE, 0);
	for (;;) {
		siginfo_t si;
		int st;
		pid_t w;

		if (sigwaitinfo(&set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			kill(prog, si.si_signo);
			continue;
		}
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == prog) {
				char buf[32];

				snprintf(buf, sizeof(buf), "%d", st);
				lx_report(lx, LX_MSG_STATUS, buf);
				_exit(0);
			}
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

static void __attribute__((noreturn))
child_main(struct lx_launch *lx)
{
	struct sbox_err err = SBOX_ERR_INIT;
	pid_t prog;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (lx->run_uid != lx->uid) {
		char go;

		/* the launcher writes the maps, then one byte (EOF: it died) */
		if (read(lx->alive_fd, &go, 1) != 1)
			_exit(125);
	} else if (!launcher_alive(lx) || map_ids(lx) < 0) {
		err_sys(&err, "cannot map user and group ids");
		child_fail(lx, &err);
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		err_sys(&err, "cannot make the mounts private");
		child_fail(lx, &err);
	}
	if (rootfs_resolve(lx, &err) < 0 || rootfs_enter(lx, &err) < 0 ||
	    sandbox_apply(lx, &err) < 0)
		child_fail(lx, &err);
	/* vfork: no copy of this process's page tables, and init resumes
	 * only once the program is exec'd (program_exec allocates nothing) */
	prog = vfork();
	if (prog < 0) {
		err_sys(&err, "cannot fork the program");
		child_fail(lx, &err);
	}
	if (prog == 0)
		program_exec(lx);
	init_wait(lx, prog);
}

/* ---- the launcher ---- */

struct watch {
	pid_t child;
	int sfd, report_fd;
	struct strbuf msgs;
	size_t parsed;
	int status_seen, wait_status, error_seen;
	struct sbox_err child_err;
};

static void
watch_parse(struct watch *w, const struct launch_request *req)
{
	for (;;) {
		char *rec = w->msgs.buf + w->parsed;
		size_t left = w->msgs.len - w->parsed;
		size_t n = strnlen(rec, left);

		if (n == left || n == 0)
			break;
		if (rec[0] == LX_MSG_WARN && req->warn)
			req->warn(rec + 1);
		else if (rec[0] == LX_MSG_STATUS) {
			w->status_seen = 1;
			w->wait_status = atoi(rec + 1);
		} else if (rec[0] == LX_MSG_ERROR && !w->error_seen) {
			w->error_seen = 1;
			err_set(&w->child_err, (enum sbox_errcode)(rec[1] - '0'),
				"%s", rec[2] ? rec + 2 : "container setup failed");
		}
		w->parsed += n + 1;
	}
}

static void
watch_read(struct watch *w, const struct launch_request *req)
{
	char buf[4096];
	ssize_t n = read(w->report_fd, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || errno != EINTR) {
			close(w->report_fd);
			w->report_fd = -1;
		}
		return;
	}
	strbuf_add(&w->msgs, buf, (size_t)n);
	watch_parse(w, req);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for the container, forwarding signals; returns its init's status. */
static int
watch_loop(struct watch *w, const struct launch_request *req,
	   double deadline, int *timed_out)
{
	int init_status = 0;

	for (;;) {
		struct pollfd p[2] = { { w->sfd, POLLIN, 0 },
				       { w->report_fd, POLLIN, 0 } };
		int timeout = -1;

		if (deadline > 0 && !*timed_out) {
			double left = deadline - now_seconds();

			timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
		}
		if (poll(p, w->report_fd >= 0 ? 2 : 1, timeout) == 0 &&
		    deadline > 0 && !*timed_out && now_seconds() >= deadline) {
			*timed_out = 1;
			kill(w->child, SIGKILL);
		}
		if (w->report_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)))
			watch_read(w, req);
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(w->sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo != SIGCHLD)
				kill(w->child, (int)si.ssi_signo);
			else if (waitpid(w->child, &init_status, WNOHANG) == w->child)
				break;
		}
	}
	while (w->report_fd >= 0)
		watch_read(w, req);
	return init_status;
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

static int
clone_flags(const struct linux_plan *plan)
{
	int f = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
		CLONE_NEWUTS;

	if (plan->namespaces & LPNS_NET)
		f |= CLONE_NEWNET;
	return f;
}

static int
check_kernel(struct lx_launch *lx, struct sbox_err *err)
{
	unsigned missing;

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

struct run_state {
	struct watch w;
	int report[2], alive[2];
	sigset_t set, old;
};

static int
spawn(struct lx_launch *lx, struct run_state *rs, struct sbox_err *err)
{
	long pid;

	if (pipe2(rs->report, O_CLOEXEC) < 0 || pipe2(rs->alive, O_CLOEXEC) < 0)
		return err_sys(err, "pipe");
	lx->report_fd = rs->report[1];
	lx->alive_fd = rs->alive[0];
	block_signals(&rs->set, &rs->old);
	rs->w.sfd = signalfd(-1, &rs->set, SFD_CLOEXEC);
	if (rs->w.sfd < 0)
		return err_sys(err, "signalfd");
	fflush(NULL);
	pid = syscall(SYS_clone, clone_flags(&lx->plan) | SIGCHLD, NULL, NULL,
		      NULL, 0);
	if (pid < 0)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "cannot create the container's namespaces: %s "
			       "(Hint: unprivileged user namespaces may be "
			       "disabled, see sysctl user.max_user_namespaces)",
			       strerror(errno));
	if (pid == 0) {
		close(rs->w.sfd);
		close(rs->report[0]);
		close(rs->alive[1]);
		child_main(lx);
	}
	rs->w.child = (pid_t)pid;
	if (lx->run_uid != lx->uid) {
		if (maps_for_sudo(lx, rs->w.child) < 0 ||
		    write(rs->alive[1], "g", 1) != 1) {
			err_sys(err, "cannot map the ids of the container");
			kill(rs->w.child, SIGKILL);
			waitpid(rs->w.child, NULL, 0);
			return -1;
		}
	}
	close(rs->report[1]);
	close(rs->alive[0]);
	rs->report[1] = rs->alive[0] = -1;
	rs->w.report_fd = rs->report[0];
	rs->report[0] = -1;
	return 0;
}

static void
run_state_release(struct run_state *rs)
{
	int fds[] = { rs->report[0], rs->report[1], rs->alive[0], rs->alive[1],
		      rs->w.sfd, rs->w.report_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	sigprocmask(SIG_SETMASK, &rs->old, NULL);
	strbuf_release(&rs->w.msgs);
}

static int
finish(struct lx_launch *lx, struct run_state *rs, double start, int *status,
       struct sbox_err *err)
{
	const struct launch_request *req = lx->req;
	double deadline = lx->plan.limits.wall_seconds ?
			  start + (double)lx->plan.limits.wall_seconds : 0;
	int timed_out = 0, init_status;

	init_status = watch_loop(&rs->w, req, deadline, &timed_out);
	if (rs->w.error_seen) {
		*err = rs->w.child_err;
		return -1;
	}
	if (!rs->w.status_seen) {
		if (!timed_out && !WIFSIGNALED(init_status))
			return err_set(err, SBOX_E_INTERNAL,
				       "the container's init exited without a "
				       "status");
		rs->w.wait_status = init_status;
	}
	*status = status_of(rs->w.wait_status);
	result_fill(req->result, rs->w.wait_status, timed_out,
		    now_seconds() - start);
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
	char *tmpdir = container_tmpdir(req);
	double start = now_seconds();
	int ret = -1;

	memset(&lx, 0, sizeof(lx));
	memset(&rs, 0, sizeof(rs));
	rs.report[0] = rs.report[1] = rs.alive[0] = rs.alive[1] = -1;
	rs.w.sfd = rs.w.report_fd = -1;
	strbuf_init(&rs.w.msgs);
	sigprocmask(SIG_SETMASK, NULL, &rs.old);
	lx.req = req;
	lx.cwd = req->project_dir;
	run_ids(&lx);
	if (!req->argv || !req->argv[0]) {
		err_set(err, SBOX_E_INVALID, "no program to run");
		goto out;
	}
	if (linux_plan_build(&lx.plan, req->def, req->data_dir, tmpdir, err) < 0 ||
	    check_kernel(&lx, err) < 0)
		goto out;
	lx.objs = xcalloc(lx.plan.npaths + 1, sizeof(*lx.objs));
	/* home "real": HOME stays the user's own home */
	lx.envp = env_scrub(req->def, req->envp,
			    lx.plan.home ? lx.plan.home : req->real_home, tmpdir);
	lx.bpf = seccomp_filter_embedded;
	if (spawn(&lx, &rs, err) < 0)
		goto out;
	ret = finish(&lx, &rs, start, status, err);
out:
	run_state_release(&rs);
	env_free(lx.envp);
	free(lx.objs);
	linux_plan_release(&lx.plan);
	free(tmpdir);
	return ret;
}
