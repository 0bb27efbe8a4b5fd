/*
 * backend_launch() on macOS: the real struct darwin_sys for the sequence in
 * backend/macos/seatbelt_seq.c. This is the only file that sees Apple's sandbox
 * declarations; each function is one call. It is compiled on Linux too,
 * against tests/shim/sandbox.h, so it cannot rot where no Mac runs it.
 */
#include "backend/macos/seatbelt.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sandbox.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/macos/trace_darwin.h"
#include "def/def.h"
#include "sbpl/emit.h"
#include "util/input.h"
#include "util/user_rights.h"

/*
 * Private libSystem SPI, absent from the modern <sandbox.h>; declared as
 * Chromium, Firefox, WebKit and Nix declare them (MACOS.md §1.3).
 */
int sandbox_init_with_parameters(const char *profile, uint64_t flags,
				 const char *const parameters[],
				 char **errorbuf);
int sandbox_check(pid_t pid, const char *operation, int type, ...);

/*
 * The compile/apply SPI, declared as Chromium declares it
 * (chromium/chromium sandbox/mac/seatbelt.cc; WebKit's SandboxSPI.h has
 * the same ABI) but looked up with dlsym when first needed, not linked:
 * a libsandbox without it makes the launch fall back to
 * sandbox_init_with_parameters instead of failing to load sbox.
 */
struct sandbox_params;   /* sandbox_params_t */
struct sandbox_profile;  /* sandbox_profile_t: { builtin, data, size } */

static struct {
	int resolved, present;
	struct sandbox_params *(*create_params)(void);
	int (*set_param)(struct sandbox_params *, const char *, const char *);
	void (*free_params)(struct sandbox_params *);
	struct sandbox_profile *(*compile_string)(const char *,
						  struct sandbox_params *,
						  char **);
	int (*apply)(struct sandbox_profile *);
	void (*free_profile)(struct sandbox_profile *);
} spi;

/* dlsym returns void *; C11 has no direct conversion to a function. */
#define SPI_LOOKUP(field, name) \
	(*(void **)(&spi.field) = dlsym(RTLD_DEFAULT, name))

static int
sys_compile_api(void *ctx)
{
	(void)ctx;
	if (!spi.resolved) {
		spi.resolved = 1;
		spi.present = SPI_LOOKUP(create_params, "sandbox_create_params") &&
			      SPI_LOOKUP(set_param, "sandbox_set_param") &&
			      SPI_LOOKUP(free_params, "sandbox_free_params") &&
			      SPI_LOOKUP(compile_string, "sandbox_compile_string") &&
			      SPI_LOOKUP(apply, "sandbox_apply") &&
			      SPI_LOOKUP(free_profile, "sandbox_free_profile");
	}
	return spi.present;
}

static void *
sys_create_params(void *ctx)
{
	(void)ctx;
	return spi.create_params();
}

static int
sys_set_param(void *ctx, void *params, const char *key, const char *value)
{
	(void)ctx;
	return spi.set_param(params, key, value);
}

static void *
sys_compile_string(void *ctx, const char *profile, void *params, char **error)
{
	(void)ctx;
	return spi.compile_string(profile, params, error);
}

static void
sys_free_params(void *ctx, void *params)
{
	(void)ctx;
	spi.free_params(params);
}

static int
sys_apply(void *ctx, void *compiled)
{
	(void)ctx;
	return spi.apply(compiled);
}

static void
sys_free_profile(void *ctx, void *compiled)
{
	(void)ctx;
	spi.free_profile(compiled);
}

/* sysctl(3): a string value such as kern.osproductversion. */
static int
sys_sysctl_string(void *ctx, const char *name, char *buf, size_t n)
{
	size_t len = n - 1;

	(void)ctx;
	if (sysctlbyname(name, buf, &len, NULL, 0) < 0)
		return -1;
	buf[len < n ? len : n - 1] = 0;
	return 0;
}

/*
 * SIP's filesystem protection: csr_check(CSR_ALLOW_UNRESTRICTED_FS) is 0
 * when it is off (xnu bsd/sys/csr.h, bsd/kern/kern_csr.c; LLVM's
 * debugserver declares csr_check the same way). A libSystem export but
 * in no public header: looked up at run time; missing means unknown.
 */
#define SBOX_CSR_ALLOW_UNRESTRICTED_FS (1u << 1)

static enum seatbelt_sip
sys_sip_fs(void *ctx)
{
	int (*csr_check_fn)(uint32_t);

	(void)ctx;
	*(void **)(&csr_check_fn) = dlsym(RTLD_DEFAULT, "csr_check");
	if (!csr_check_fn)
		return SEATBELT_SIP_UNKNOWN;
	return csr_check_fn(SBOX_CSR_ALLOW_UNRESTRICTED_FS) == 0 ?
	       SEATBELT_SIP_FS_OFF : SEATBELT_SIP_FS_ON;
}

static ssize_t
sys_pread_file(void *ctx, const char *path, void *buf, size_t n, uint64_t off)
{
	ssize_t r;
	int fd, saved;

	(void)ctx;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		r = pread(fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

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
	struct sbox_err err = SBOX_ERR_INIT;
	char *text;
	size_t len;

	struct user_rights u;
	int rc;

	(void)ctx;
	/* root through sudo reads the user's imports with the user's
	 * rights (util/user_rights.h); no FIFO or device, a size limit */
	user_rights_for_sudo(&u);
	if (user_rights_enter(&u) < 0) {
		user_rights_release(&u);
		return -1;
	}
	rc = input_read(path, INPUT_SBPL_MAX, &text, &len, &err);
	user_rights_leave(&u);
	user_rights_release(&u);
	if (rc < 0) {
		errno = err.sys_errno ? err.sys_errno : EINVAL;
		return -1;
	}
	strbuf_add(out, text, len);
	free(text);
	return 0;
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

/*
 * posix_spawn(2) as an exec: Apple's POSIX_SPAWN_SETEXEC replaces this
 * process, POSIX_SPAWN_CLOEXEC_DEFAULT closes every descriptor the file
 * actions do not name (posix_spawnattr_setflags(3)), and
 * posix_spawn_file_actions_addinherit_np(3) names the ones that stay.
 */
static int
sys_spawn(void *ctx, const char *path, unsigned flags, const int *inherit,
	  size_t ninherit, char *const argv[], char *const envp[])
{
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t fa;
	short f = 0;
	int rc;

	(void)ctx;
	if (flags & SEATBELT_SPAWN_SETEXEC)
		f |= POSIX_SPAWN_SETEXEC;
	if (flags & SEATBELT_SPAWN_CLOEXEC_DEFAULT)
		f |= POSIX_SPAWN_CLOEXEC_DEFAULT;
	rc = posix_spawnattr_init(&attr);
	if (rc)
		return rc;
	rc = posix_spawn_file_actions_init(&fa);
	if (rc) {
		posix_spawnattr_destroy(&attr);
		return rc;
	}
	rc = posix_spawnattr_setflags(&attr, f);
	for (size_t i = 0; !rc && i < ninherit; i++)
		rc = posix_spawn_file_actions_addinherit_np(&fa, inherit[i]);
	if (!rc)
		rc = posix_spawn(NULL, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return rc;
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
	.compile_api = sys_compile_api,
	.sandbox_create_params = sys_create_params,
	.sandbox_set_param = sys_set_param,
	.sandbox_compile_string = sys_compile_string,
	.sandbox_free_params = sys_free_params,
	.sandbox_apply = sys_apply,
	.sandbox_free_profile = sys_free_profile,
	.sysctl_string = sys_sysctl_string,
	.sip_fs = sys_sip_fs,
	.pread_file = sys_pread_file,
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
	.spawn = sys_spawn,
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
