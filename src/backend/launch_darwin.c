/*
 * backend_launch() on macOS: the real struct darwin_sys for the sequence in
 * backend/seatbelt_seq.c. This is the only file that sees Apple's sandbox
 * declarations; each function is one call. It is compiled on Linux too,
 * against tests/shim/sandbox.h, so it cannot rot where no Mac runs it.
 */
#include "backend/seatbelt.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libproc.h>
#include <limits.h>
#include <sandbox.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/trace_darwin.h"
#include "def/def.h"
#include "sbpl/emit.h"

/*
 * Private libSystem SPI, absent from the modern <sandbox.h>; declared as
 * Chromium, Firefox, WebKit and Nix declare them (MACOS.md §1.3).
 */
int sandbox_init_with_parameters(const char *profile, uint64_t flags,
				 const char *const parameters[],
				 char **errorbuf);
int sandbox_check(pid_t pid, const char *operation, int type, ...);

static int
sys_sandbox_check(void *ctx, pid_t pid)
{
	(void)ctx;
	/* NULL operation, SANDBOX_FILTER_NONE: 1 when sandboxed (§1.3). */
	return sandbox_check(pid, NULL, 0);
}

static int
sys_sandbox_init(void *ctx, const char *profile, uint64_t flags,
		 const char *const params[], char **errorbuf)
{
	(void)ctx;
	return sandbox_init_with_parameters(profile, flags, params, errorbuf);
}

static void
sys_sandbox_free_error(void *ctx, char *errorbuf)
{
	(void)ctx;
	/* Deprecated since 10.8 but the documented way to free (§1.5, §5.1). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	sandbox_free_error(errorbuf);
#pragma GCC diagnostic pop
}

static pid_t sys_getpid(void *ctx) { (void)ctx; return getpid(); }
static uid_t sys_getuid(void *ctx) { (void)ctx; return getuid(); }
static uid_t sys_geteuid(void *ctx) { (void)ctx; return geteuid(); }
static gid_t sys_getgid(void *ctx) { (void)ctx; return getgid(); }
static gid_t sys_getegid(void *ctx) { (void)ctx; return getegid(); }

static char *
sys_realpath(void *ctx, const char *path)
{
	(void)ctx;
	return realpath(path, NULL);
}

static int
sys_read_file(void *ctx, const char *path, struct strbuf *out)
{
	char buf[8192];
	ssize_t n;
	int fd, saved;

	(void)ctx;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return n < 0 ? -1 : 0;
}

/* macOS has no pipe2: set close-on-exec right after (single-threaded). */
static int
sys_pipe_cloexec(void *ctx, int fds[2])
{
	(void)ctx;
	if (pipe(fds) < 0)
		return -1;
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	return 0;
}

static pid_t sys_fork(void *ctx) { (void)ctx; return fork(); }
static pid_t sys_setsid(void *ctx) { (void)ctx; return setsid(); }
static int sys_chroot(void *ctx, const char *p) { (void)ctx; return chroot(p); }
static int sys_chdir(void *ctx, const char *p) { (void)ctx; return chdir(p); }

static int
sys_setgroups(void *ctx, int n, const gid_t *groups)
{
	(void)ctx;
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
#ifdef __APPLE__
	return setgroups(n, groups);        /* int on Darwin */
#else
	return setgroups((size_t)n, groups); /* the Linux shim build: size_t */
#endif
}

static int sys_setgid(void *ctx, gid_t g) { (void)ctx; return setgid(g); }
static int sys_setuid(void *ctx, uid_t u) { (void)ctx; return setuid(u); }

static int
sys_setrlimit(void *ctx, enum seatbelt_limit which, uint64_t value)
{
	static const int resource[] = {
		[SEATBELT_LIMIT_CPU] = RLIMIT_CPU,
		[SEATBELT_LIMIT_NOFILE] = RLIMIT_NOFILE,
		[SEATBELT_LIMIT_NPROC] = RLIMIT_NPROC,
		[SEATBELT_LIMIT_AS] = RLIMIT_AS,
		[SEATBELT_LIMIT_FSIZE] = RLIMIT_FSIZE,
	};
	struct rlimit rl;

	(void)ctx;
	rl.rlim_cur = rl.rlim_max = (rlim_t)value;
	return setrlimit(resource[which], &rl);
}

/* Every possible descriptor up to the current limit (the sequence closes
 * before it lowers that limit). */
static void
close_fds_by_number(int lowfd, int keepfd)
{
	int max = getdtablesize();

	for (int fd = lowfd; fd < max; fd++)
		if (fd != keepfd)
			close(fd);
}

/*
 * Descriptors opened before the sandbox keep working inside it (sandbox(7)
 * in MACOS.md §1.7), so everything above stderr goes. The kernel's list of
 * open descriptors (libproc) avoids a close() per possible number, which
 * is slow when the limit is raised to the tens of thousands; a full buffer
 * may mean more, so list again until a pass closes nothing.
 */
static int
sys_close_fds(void *ctx, int lowfd, int keepfd)
{
	struct proc_fdinfo fds[256];
	int bytes, closed;

	(void)ctx;
	do {
		bytes = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, fds,
				     (int)sizeof(fds));
		if (bytes <= 0) {
			close_fds_by_number(lowfd, keepfd);
			return 0;
		}
		closed = 0;
		for (size_t i = 0; i < (size_t)bytes / PROC_PIDLISTFD_SIZE; i++) {
			int fd = fds[i].proc_fd;

			if (fd >= lowfd && fd != keepfd) {
				close(fd);
				closed++;
			}
		}
	} while (closed && (size_t)bytes >= sizeof(fds));
	return 0;
}

static int
sys_execve(void *ctx, const char *path, char *const argv[], char *const envp[])
{
	(void)ctx;
	return execve(path, argv, envp);
}

static void sys_exit(void *ctx, int code) { (void)ctx; _exit(code); }

static ssize_t
sys_read(void *ctx, int fd, void *buf, size_t n)
{
	(void)ctx;
	return read(fd, buf, n);
}

static ssize_t
sys_write(void *ctx, int fd, const void *buf, size_t n)
{
	(void)ctx;
	return write(fd, buf, n);
}

static int sys_close(void *ctx, int fd) { (void)ctx; return close(fd); }

static int
sys_sigprocmask(void *ctx, int how, const sigset_t *set, sigset_t *old)
{
	(void)ctx;
	return sigprocmask(how, set, old);
}

static int
sys_sigwait(void *ctx, const sigset_t *set, int *sig)
{
	(void)ctx;
	return sigwait(set, sig);
}

static void
sig_ignore(int sig)
{
	(void)sig;
}

static int
sys_sigcatch(void *ctx, int sig, int on)
{
	struct sigaction sa = { 0 };

	(void)ctx;
	sa.sa_handler = on ? sig_ignore : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static unsigned sys_alarm(void *ctx, unsigned s) { (void)ctx; return alarm(s); }

static pid_t
sys_waitpid(void *ctx, pid_t pid, int *status, int options)
{
	(void)ctx;
	return waitpid(pid, status, options);
}

static int sys_kill(void *ctx, pid_t p, int s) { (void)ctx; return kill(p, s); }

static double
sys_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct darwin_sys darwin_sys_real = {
	.ctx = NULL,
	.sandbox_check = sys_sandbox_check,
	.sandbox_init_with_parameters = sys_sandbox_init,
	.sandbox_free_error = sys_sandbox_free_error,
	.getpid = sys_getpid,
	.getuid = sys_getuid,
	.geteuid = sys_geteuid,
	.getgid = sys_getgid,
	.getegid = sys_getegid,
	.realpath = sys_realpath,
	.read_file = sys_read_file,
	.list_dir = seatbelt_list_dir,
	.pipe_cloexec = sys_pipe_cloexec,
	.fork = sys_fork,
	.setsid = sys_setsid,
	.chroot = sys_chroot,
	.chdir = sys_chdir,
	.setgroups = sys_setgroups,
	.setgid = sys_setgid,
	.setuid = sys_setuid,
	.setrlimit = sys_setrlimit,
	.close_fds = sys_close_fds,
	.execve = sys_execve,
	.exit = sys_exit,
	.read = sys_read,
	.write = sys_write,
	.close = sys_close,
	.sigprocmask = sys_sigprocmask,
	.sigwait = sys_sigwait,
	.sigcatch = sys_sigcatch,
	.alarm = sys_alarm,
	.waitpid = sys_waitpid,
	.kill = sys_kill,
	.now = sys_now,
	.pty_open = seatbelt_real_pty_open,
	.pty_attach = seatbelt_real_pty_attach,
	.pty_relay = seatbelt_real_pty_relay,
	.resolve = def_resolve,
	.emit = sbpl_emit_def,
};

int
backend_launch(const struct launch_request *req, int *status,
	       struct sbox_err *err)
{
	struct seatbelt_trace *trace = seatbelt_trace_start(req); /* --trace */
	int rc = seatbelt_launch(&darwin_sys_real, req, status, err);

	seatbelt_trace_finish(trace);
	return rc;
}
