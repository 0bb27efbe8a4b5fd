/*
 * The macOS launch sequence (backend/seatbelt_*.c) driven through a
 * recording fake struct darwin_sys: the exact order and arguments of the
 * calls a real launch makes, its failure paths, and the pure helpers
 * (canonical paths, environment, import resolution).
 */
#include "unit/testutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/seatbelt.h"
#include "util/xalloc.h"

#define LOG_MAX 64
#define FAKE_PID 777
#define CHILD_PID 4242
#define PIPE_R 5
#define PIPE_W 6

struct fake_file {
	const char *path, *text;
};

struct fake {
	char log[LOG_MAX][256];
	size_t nlog;
	int replaced;            /* a successful execve: nothing else runs */

	/* knobs */
	int sandboxed;
	uid_t uid, euid;
	gid_t gid, egid;
	pid_t fork_ret;
	int init_rc;
	const char *init_msg;    /* Apple's error text on failure */
	int setuid0_works;       /* the drop does not stick */
	int ids_stay;            /* getuid etc. keep their old values */
	const char *exec_ok;     /* the one path execve "succeeds" on */
	const char *profile;     /* what the fake emitter writes */
	const struct fake_file *files;
	const char *existing[16];
	int sigs[8];
	size_t nsigs, sigi;
	int wait_status;
	const void *report;      /* what the parent reads from the pipe */
	size_t report_len, report_off;

	/* captured */
	char *given_errbuf, *freed_errbuf;
	char *init_profile;
	char **init_params;
	uint64_t init_flags;
	char **exec_envp;
	char *emitted;           /* the canonical paths the emitter saw */
	char *vars_project, *vars_home, *vars_container;
	char written[2048];
	size_t nwritten;
};

static struct fake F;

/* Names, not numbers: they differ between Linux and macOS. */
static const char *
signame(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGCHLD, "CHLD" }, { SIGWINCH, "WINCH" }, { SIGTERM, "TERM" },
		{ SIGINT, "INT" }, { SIGKILL, "KILL" }, { SIGALRM, "ALRM" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "?";
}

static void
fake_log(const char *fmt, ...)
{
	va_list ap;

	if (F.replaced || F.nlog >= LOG_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(F.log[F.nlog++], sizeof(F.log[0]), fmt, ap);
	va_end(ap);
}

static char **
strv_dup(char *const *v)
{
	size_t n = 0;
	char **out;

	while (v && v[n])
		n++;
	out = xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void
strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static const char *
strv_find(char **v, const char *prefix)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!strncmp(v[i], prefix, strlen(prefix)))
			return v[i];
	return NULL;
}

/* ---- the fake system ----------------------------------------------- */

static int
f_sandbox_check(void *c, pid_t pid)
{
	(void)c;
	fake_log("sandbox_check(%d)", (int)pid);
	return F.sandboxed;
}

static int
f_sandbox_init(void *c, const char *profile, uint64_t flags,
	       const char *const params[], char **errorbuf)
{
	(void)c;
	fake_log("sandbox_init_with_parameters(flags=%llu)",
		 (unsigned long long)flags);
	F.init_flags = flags;
	free(F.init_profile);
	strv_free(F.init_params);
	F.init_profile = xstrdup(profile);
	F.init_params = strv_dup((char *const *)params);
	if (F.init_rc) {
		F.given_errbuf = xstrdup(F.init_msg);
		*errorbuf = F.given_errbuf;
	} else {
		*errorbuf = NULL;
	}
	return F.init_rc;
}

static void
f_sandbox_free_error(void *c, char *errorbuf)
{
	(void)c;
	fake_log("sandbox_free_error(%s)",
		 errorbuf == F.given_errbuf ? "the error" : "OTHER");
	F.freed_errbuf = errorbuf;
	free(errorbuf);
}

static pid_t f_getpid(void *c) { (void)c; return FAKE_PID; }
static uid_t f_getuid(void *c) { (void)c; return F.uid; }
static uid_t f_geteuid(void *c) { (void)c; return F.euid; }
static gid_t f_getgid(void *c) { (void)c; return F.gid; }
static gid_t f_getegid(void *c) { (void)c; return F.egid; }

static int
fake_exists(const char *path)
{
	size_t n = strlen(path);

	if (n == 0)
		return 1;
	for (size_t i = 0; F.existing[i]; i++)
		if (!strncmp(F.existing[i], path, n) &&
		    (F.existing[i][n] == '/' || !F.existing[i][n]))
			return 1;
	return 0;
}

/*
 * realpath over a tree whose only symlinks are /tmp, /var and /etc into
 * /private, as on macOS; ".." is physical, as the kernel resolves it.
 */
static char *
f_realpath(void *c, const char *path)
{
	static const char *const links[] = { "/tmp", "/var", "/etc" };
	struct strbuf out = STRBUF_INIT;
	const char *p = path;

	(void)c;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2)) {
			char *slash = strrchr(out.buf, '/');

			if (slash)
				out.buf[out.len = (size_t)(slash - out.buf)] = 0;
		} else if (n && !(n == 1 && *p == '.')) {
			strbuf_addch(&out, '/');
			strbuf_add(&out, p, n);
			for (size_t i = 0; i < 3; i++) {
				if (!strcmp(out.buf, links[i])) {
					strbuf_reset(&out);
					strbuf_addf(&out, "/private%s",
						    links[i]);
				}
			}
		}
		p += n;
		p += *p == '/';
	}
	if (!fake_exists(out.buf)) {
		strbuf_release(&out);
		errno = ENOENT;
		return NULL;
	}
	if (!out.len)
		strbuf_addch(&out, '/');
	return strbuf_detach(&out);
}

static int
f_read_file(void *c, const char *path, struct strbuf *out)
{
	(void)c;
	fake_log("read_file(%s)", path);
	for (size_t i = 0; F.files && F.files[i].path; i++) {
		if (!strcmp(F.files[i].path, path)) {
			strbuf_addstr(out, F.files[i].text);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

static int
f_pipe_cloexec(void *c, int fds[2])
{
	(void)c;
	fake_log("pipe_cloexec()");
	fds[0] = PIPE_R;
	fds[1] = PIPE_W;
	return 0;
}

static pid_t
f_fork(void *c)
{
	(void)c;
	fake_log("fork()");
	return F.fork_ret;
}

static pid_t f_setsid(void *c) { (void)c; fake_log("setsid()"); return 1; }

static int
f_chroot(void *c, const char *p)
{
	(void)c;
	fake_log("chroot(%s)", p);
	return 0;
}

static int
f_chdir(void *c, const char *p)
{
	(void)c;
	fake_log("chdir(%s)", p);
	return 0;
}

static int
f_setgroups(void *c, int n, const gid_t *g)
{
	(void)c;
	fake_log("setgroups(%d,[%u])", n, n > 0 ? (unsigned)g[0] : 0);
	return 0;
}

static int
f_setgid(void *c, gid_t g)
{
	(void)c;
	fake_log("setgid(%u)", (unsigned)g);
	if (!F.ids_stay)
		F.gid = F.egid = g;
	return 0;
}

/* Like the kernel: once a root process sets another uid, 0 is gone. */
static int
f_setuid(void *c, uid_t u)
{
	(void)c;
	if (u == 0 && (F.euid != 0 || F.ids_stay) && !F.setuid0_works) {
		fake_log("setuid(0)=-1");
		errno = EPERM;
		return -1;
	}
	fake_log("setuid(%u)", (unsigned)u);
	if (!F.ids_stay)
		F.uid = F.euid = u;
	return 0;
}

static int
f_setrlimit(void *c, enum seatbelt_limit w, uint64_t v)
{
	(void)c;
	fake_log("setrlimit(%d,%llu)", (int)w, (unsigned long long)v);
	return 0;
}

static int
f_close_fds(void *c, int low, int keep)
{
	(void)c;
	fake_log("close_fds(%d,keep=%d)", low, keep);
	return 0;
}

static int
f_execve(void *c, const char *path, char *const argv[], char *const envp[])
{
	(void)c;
	(void)argv;
	fake_log("execve(%s)", path);
	if (F.exec_ok && !strcmp(path, F.exec_ok)) {
		F.exec_envp = strv_dup(envp);
		F.replaced = 1;
		errno = 0;
		return -1;
	}
	errno = ENOENT;
	return -1;
}

static void f_exit(void *c, int code) { (void)c; fake_log("_exit(%d)", code); }

static ssize_t
f_read(void *c, int fd, void *buf, size_t n)
{
	size_t left = F.report_len - F.report_off;

	(void)c;
	fake_log("read(%d)", fd);
	if (n > left)
		n = left;
	if (n)
		memcpy(buf, (const char *)F.report + F.report_off, n);
	F.report_off += n;
	return (ssize_t)n;
}

static ssize_t
f_write(void *c, int fd, const void *buf, size_t n)
{
	(void)c;
	fake_log("write(%d)", fd);
	if (!F.replaced && n <= sizeof(F.written)) {
		memcpy(F.written, buf, n);
		F.nwritten = n;
	}
	return (ssize_t)n;
}

static int f_close(void *c, int fd) { (void)c; fake_log("close(%d)", fd); return 0; }

static int
f_sigprocmask(void *c, int how, const sigset_t *set, sigset_t *old)
{
	(void)c;
	fake_log("sigprocmask(%s%s)", how == SIG_BLOCK ? "BLOCK" :
		 how == SIG_SETMASK ? "SETMASK" : "?",
		 set && sigismember(set, SIGTERM) && sigismember(set, SIGCHLD)
		 ? ",TERM+CHLD" : "");
	if (old)
		sigemptyset(old);
	return 0;
}

static int
f_sigwait(void *c, const sigset_t *set, int *sig)
{
	(void)c;
	(void)set;
	*sig = F.sigi < F.nsigs ? F.sigs[F.sigi++] : SIGCHLD;
	fake_log("sigwait()=%s", signame(*sig));
	return 0;
}

static int
f_sigcatch(void *c, int s, int on)
{
	(void)c;
	fake_log("sigcatch(%s,%s)", signame(s), on ? "on" : "off");
	return 0;
}

static unsigned
f_alarm(void *c, unsigned s)
{
	(void)c;
	fake_log("alarm(%u)", s);
	return 0;
}

static pid_t
f_waitpid(void *c, pid_t pid, int *status, int options)
{
	(void)c;
	fake_log("waitpid(%d,%s)", (int)pid, options ? "WNOHANG" : "0");
	*status = F.wait_status;
	return pid;
}

static double
f_now(void *c)
{
	static double t;

	(void)c;
	return t += 1.5;
}

static int
f_kill(void *c, pid_t pid, int sig)
{
	(void)c;
	fake_log("kill(%d,%s)", (int)pid, signame(sig));
	return 0;
}

static void
subst_list(struct def_path_list *l, const struct def_vars *vars)
{
	for (size_t i = 0; i < l->nr; i++) {
		char *p = l->v[i].path, *n = NULL;

		if (!strncmp(p, "${PROJECT}", 10))
			n = xasprintf("%s%s", vars->project, p + 10);
		else if (p[0] == '~')
			n = xasprintf("%s%s", vars->home, p + 1);
		if (n) {
			free(p);
			l->v[i].path = n;
		}
	}
}

/* Stands in for def_resolve: records the variables, expands two forms. */
static int
f_resolve(struct container_def *d, const struct def_vars *vars,
	  struct sbox_err *err)
{
	(void)err;
	free(F.vars_project);
	free(F.vars_home);
	free(F.vars_container);
	F.vars_project = xstrdup(vars->project);
	F.vars_home = xstrdup(vars->home);
	F.vars_container = xstrdup(vars->container);
	subst_list(&d->fs_read, vars);
	subst_list(&d->fs_write, vars);
	subst_list(&d->fs_deny, vars);
	/* def_resolve rewrites the root too: it must be the copy's own. */
	if (d->root) {
		char *r = xasprintf("%s", d->root);

		free(d->root);
		d->root = r;
	}
	return 0;
}

static void
param_add(struct def_strlist *pl, const char *key, const char *val)
{
	ALLOC_GROW(pl->v, pl->nr + 2, pl->alloc);
	pl->v[pl->nr++] = xstrdup(key);
	pl->v[pl->nr++] = xstrdup(val);
}

/* Stands in for sbpl_emit_def: READ_i/WRITE_i/DENY_i params per path. */
static int
f_emit(const struct container_def *d, struct strbuf *out,
       struct def_strlist *params, struct sbox_err *err)
{
	struct strbuf seen = STRBUF_INIT;
	const struct { const char *k; const struct def_path_list *l; } ls[] = {
		{ "READ", &d->fs_read }, { "WRITE", &d->fs_write },
		{ "DENY", &d->fs_deny },
	};

	(void)err;
	strbuf_addstr(out, F.profile);
	for (size_t j = 0; j < 3; j++) {
		for (size_t i = 0; i < ls[j].l->nr; i++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_%zu", ls[j].k, i);
			param_add(params, key, ls[j].l->v[i].path);
			strbuf_addf(&seen, "%s=%s\n", key, ls[j].l->v[i].path);
		}
	}
	free(F.emitted);
	F.emitted = strbuf_detach(&seen);
	return 0;
}

static const struct darwin_sys fake_sys = {
	.ctx = &F,
	.sandbox_check = f_sandbox_check,
	.sandbox_init_with_parameters = f_sandbox_init,
	.sandbox_free_error = f_sandbox_free_error,
	.getpid = f_getpid, .getuid = f_getuid, .geteuid = f_geteuid,
	.getgid = f_getgid, .getegid = f_getegid,
	.realpath = f_realpath, .read_file = f_read_file,
	.pipe_cloexec = f_pipe_cloexec, .fork = f_fork, .setsid = f_setsid,
	.chroot = f_chroot, .chdir = f_chdir, .setgroups = f_setgroups,
	.setgid = f_setgid, .setuid = f_setuid, .setrlimit = f_setrlimit,
	.close_fds = f_close_fds, .execve = f_execve, .exit = f_exit,
	.read = f_read, .write = f_write, .close = f_close,
	.sigprocmask = f_sigprocmask, .sigwait = f_sigwait,
	.sigcatch = f_sigcatch, .alarm = f_alarm, .waitpid = f_waitpid,
	.kill = f_kill, .now = f_now, .resolve = f_resolve, .emit = f_emit,
};

/* ---- fixtures ------------------------------------------------------ */

static int warnings;
static const char *warning_about;

static void
count_warning(const char *msg)
{
	assert_non_null(strstr(msg, warning_about));
	warnings++;
}

static const char *const host_env[] = {
	"PATH=/nowhere:/usr/bin", "LANG=en_US.UTF-8", "LC_ALL=C",
	"SECRET_TOKEN=hunter2", "DYLD_INSERT_LIBRARIES=/tmp/evil.dylib",
	"HOME=/Users/me", "TMPDIR=/var/folders/xy/T/", NULL,
};

static const char *const sudo_env[] = {
	"PATH=/usr/bin:/bin", "SUDO_UID=501", "SUDO_GID=20", NULL,
};

static const char *const default_profile =
	"(version 1)\n(deny default)\n(import \"system.sb\")\n"
	"(allow file-read* (subpath (param \"READ_0\")))\n";

static const struct fake_file system_files[] = {
	{ "/System/Library/Sandbox/Profiles/system.sb",
	  "(version 1)\n(allow sysctl-read)\n" },
	{ NULL, NULL },
};

static void
pl_add(struct def_path_list *l, const char *p)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	memset(&l->v[l->nr], 0, sizeof(l->v[0]));
	l->v[l->nr++].path = xstrdup(p);
}

static void
sl_add(struct def_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

struct fixture {
	struct container_def def;
	struct launch_request req;
	char args[2][64];
	char *argv[3];
};

static void
fixture_args(struct fixture *fx, const char *prog, const char *arg)
{
	snprintf(fx->args[0], sizeof(fx->args[0]), "%s", prog);
	snprintf(fx->args[1], sizeof(fx->args[1]), "%s", arg ? arg : "");
	fx->argv[0] = fx->args[0];
	fx->argv[1] = arg ? fx->args[1] : NULL;
	fx->argv[2] = NULL;
}

static void
fake_reset(void)
{
	memset(&F, 0, sizeof(F));
	F.uid = F.euid = 501;
	F.gid = F.egid = 20;
	F.fork_ret = 0;
	F.exec_ok = "/usr/bin/true";
	F.profile = default_profile;
	F.existing[0] = "/private/tmp/proj";
	F.existing[1] = "/Users/me/Library/Application Support/sbox/"
			"Containers/web/Data/tmp";
	F.existing[2] = "/private/var/sbox/web/root/home/Data/tmp";
	F.existing[3] = "/defs";
}

static void
fixture_init(struct fixture *fx)
{
	fake_reset();
	memset(fx, 0, sizeof(*fx));
	def_init(&fx->def);
	fx->def.name = xstrdup("web");
	fx->def.source = xstrdup("/defs/web.json");
	pl_add(&fx->def.fs_read, "/tmp/proj");
	pl_add(&fx->def.fs_read, "/var/x/../y/");
	pl_add(&fx->def.fs_write, "${PROJECT}/build/");
	pl_add(&fx->def.fs_deny, "~/.ssh");
	sl_add(&fx->def.env_inherit, "PATH");
	sl_add(&fx->def.env_inherit, "LC_*");
	sl_add(&fx->def.env_inherit, "DYLD_*");
	fx->def.env_set = xcalloc(1, sizeof(*fx->def.env_set));
	fx->def.env_set[0].key = xstrdup("CI");
	fx->def.env_set[0].value = xstrdup("1");
	fx->def.nenv_set = fx->def.env_set_alloc = 1;
	fixture_args(fx, "/usr/bin/true", NULL);
	fx->req.def = &fx->def;
	fx->req.container_dir = "/Users/me/Library/Application Support/sbox/"
				"Containers/web";
	fx->req.data_dir = "/Users/me/Library/Application Support/sbox/"
			   "Containers/web/Data";
	fx->req.project_dir = "/tmp/proj";
	fx->req.real_home = "/Users/me";
	fx->req.argv = fx->argv;
	fx->req.envp = (char *const *)host_env;
}

/* Root via sudo, a definition with a root filesystem. */
static void
fixture_chroot(struct fixture *fx)
{
	fixture_init(fx);
	F.uid = F.euid = 0;
	F.gid = F.egid = 0;
	F.files = system_files;
	fx->req.root_dir = "/var/sbox/web/root";
	fx->def.root = xstrdup("/images/web.tar");
	fx->req.data_dir = "/var/sbox/web/root/home/Data";
	fx->req.envp = (char *const *)sudo_env;
	fx->def.limits.open_files = 256;
}

static void
fixture_release(struct fixture *fx)
{
	def_release(&fx->def);
	free(F.init_profile);
	strv_free(F.init_params);
	strv_free(F.exec_envp);
	free(F.emitted);
	free(F.vars_project);
	free(F.vars_home);
	free(F.vars_container);
}

static void
expect_log(const char *const *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	for (size_t i = 0; i < n || i < F.nlog; i++) {
		const char *w = i < n ? want[i] : "(end)";
		const char *g = i < F.nlog ? F.log[i] : "(end)";

		if (strcmp(w, g)) {
			for (size_t j = 0; j < F.nlog; j++)
				print_message("  log[%zu] %s\n", j, F.log[j]);
			print_message("call %zu: wanted %s, got %s\n", i, w, g);
			fail();
		}
	}
}

/* ---- the sequence -------------------------------------------------- */

static void
test_child_unprivileged(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	const char *want[] = {
		"sandbox_check(777)",
		"read_file(/defs/system.sb)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)",
		"sigprocmask(SETMASK)", "setsid()",
		"chdir(/private/tmp/proj)",
		"close_fds(3,keep=6)",
		"sandbox_init_with_parameters(flags=0)",
		"execve(/nowhere/true)", "execve(/usr/bin/true)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	fixture_args(&fx, "true", "-v");
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	expect_log(want);
	/* Canonical paths reached the emitter and the variables. */
	assert_string_equal(F.vars_project, "/private/tmp/proj");
	assert_string_equal(F.vars_home, "/Users/me");
	assert_string_equal(F.emitted,
			    "READ_0=/private/tmp/proj\n"
			    "READ_1=/private/var/y\n"
			    "WRITE_0=/private/tmp/proj/build\n"
			    "DENY_0=/Users/me/.ssh\n");
	/* Profile and the flat NULL-terminated KEY, VALUE parameters. */
	assert_string_equal(F.init_profile, default_profile);
	assert_int_equal(F.init_flags, 0);
	assert_string_equal(F.init_params[0], "READ_0");
	assert_string_equal(F.init_params[1], "/private/tmp/proj");
	assert_string_equal(F.init_params[6], "DENY_0");
	assert_string_equal(F.init_params[7], "/Users/me/.ssh");
	assert_null(F.init_params[8]);
	/* The environment: scrubbed, pointed at the container. */
	assert_string_equal(strv_find(F.exec_envp, "HOME="),
			    "HOME=/Users/me/Library/Application Support/sbox/"
			    "Containers/web/Data");
	assert_string_equal(strv_find(F.exec_envp, "CFFIXED_USER_HOME="),
			    "CFFIXED_USER_HOME=/Users/me/Library/Application "
			    "Support/sbox/Containers/web/Data");
	assert_string_equal(strv_find(F.exec_envp, "TMPDIR="),
			    "TMPDIR=/Users/me/Library/Application Support/"
			    "sbox/Containers/web/Data/tmp/");
	assert_string_equal(strv_find(F.exec_envp, "PATH="),
			    "PATH=/nowhere:/usr/bin");
	assert_string_equal(strv_find(F.exec_envp, "LC_ALL="), "LC_ALL=C");
	assert_string_equal(strv_find(F.exec_envp, "CI="), "CI=1");
	assert_string_equal(strv_find(F.exec_envp, "SBOX_CONTAINER="),
			    "SBOX_CONTAINER=web");
	assert_null(strv_find(F.exec_envp, "SECRET_TOKEN="));
	assert_null(strv_find(F.exec_envp, "LANG="));
	assert_null(strv_find(F.exec_envp, "DYLD_"));
	fixture_release(&fx);
}

static void
test_child_root_chroot(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	const char *want[] = {
		"sandbox_check(777)",
		"read_file(/defs/system.sb)",
		"read_file(/System/Library/Sandbox/Profiles/system.sb)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)",
		"sigprocmask(SETMASK)", "setsid()",
		"chroot(/private/var/sbox/web/root)", "chdir(/)",
		"setgroups(1,[20])", "setgid(20)", "setuid(501)",
		"setuid(0)=-1",
		"chdir(/home/Data)",
		"close_fds(3,keep=6)",
		"setrlimit(1,256)",
		"sandbox_init_with_parameters(flags=0)",
		"execve(/usr/bin/true)",
		NULL,
	};

	(void)state;
	fixture_chroot(&fx);
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	expect_log(want);
	/* Apple's profile was read before chroot and inlined. */
	assert_null(strstr(F.init_profile, "(import \"system.sb\")"));
	assert_non_null(strstr(F.init_profile, "(allow sysctl-read)"));
	assert_string_equal(strv_find(F.exec_envp, "HOME="),
			    "HOME=/home/Data");
	assert_string_equal(strv_find(F.exec_envp, "CFFIXED_USER_HOME="),
			    "CFFIXED_USER_HOME=/home/Data");
	assert_string_equal(strv_find(F.exec_envp, "TMPDIR="),
			    "TMPDIR=/home/Data/tmp/");
	assert_string_equal(strv_find(F.exec_envp, "PATH="),
			    "PATH=/usr/bin:/bin");
	assert_null(strv_find(F.exec_envp, "SUDO_UID="));
	fixture_release(&fx);
}

/* Plain root, no sudo: nobody to drop to, and a warning says so. */
static void
test_chroot_as_plain_root(void **state)
{
	static const char *const root_env[] = { "PATH=/usr/bin", NULL };
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	(void)state;
	fixture_chroot(&fx);
	fx.req.envp = (char *const *)root_env;
	fx.req.warn = count_warning;
	warning_about = "runs as root";
	warnings = 0;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_int_equal(warnings, 1);
	for (size_t i = 0; i < F.nlog; i++)
		assert_null(strstr(F.log[i], "setuid"));
	assert_string_equal(F.log[F.nlog - 1], "execve(/usr/bin/true)");
	fixture_release(&fx);
}

static void
test_refuses_inside_sandbox(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	static const char *const want[] = { "sandbox_check(777)", NULL };

	(void)state;
	fixture_init(&fx);
	F.sandboxed = 1;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "already running inside"));
	expect_log(want);
	fixture_release(&fx);
}

static void
test_chroot_needs_root(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	(void)state;
	fixture_chroot(&fx);
	F.uid = F.euid = 501;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "needs root"));
	for (size_t i = 0; i < F.nlog; i++)
		assert_null(strstr(F.log[i], "fork"));
	fixture_release(&fx);
}

static void
test_sudo_ids_malformed(void **state)
{
	static const char *const bad_env[] = { "SUDO_UID=5x1", NULL };
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	(void)state;
	fixture_init(&fx);
	F.uid = F.euid = 0;
	fx.req.envp = (char *const *)bad_env;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "SUDO_UID='5x1'"));
	fixture_release(&fx);
}

/* The message of the child's report: it follows two ints (code, errno). */
static const char *
written_msg(void)
{
	assert_true(F.nwritten > 2 * sizeof(int));
	return F.written + 2 * sizeof(int);
}

/* The child's report for a failure, as the parent would read it. */
static void
child_failure(struct fixture *fx, const char *const *want)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	assert_int_equal(seatbelt_launch(&fake_sys, &fx->req, &status, &err),
			 -1);
	expect_log(want);
	assert_true(F.nwritten > 0);
}

static void
parent_reads_report(struct fixture *fx, const void *rep, size_t n,
		    struct sbox_err *err)
{
	int status = -1;

	F.nlog = 0;
	F.fork_ret = CHILD_PID;
	F.report = rep;
	F.report_len = n;
	F.report_off = 0;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx->req, &status, err),
			 -1);
}

static void
test_sandbox_init_fails(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	char rep[sizeof(F.written)];
	size_t n;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)", "sigprocmask(SETMASK)", "setsid()",
		"chdir(/private/tmp/proj)", "close_fds(3,keep=6)",
		"sandbox_init_with_parameters(flags=0)",
		"sandbox_free_error(the error)",
		"write(6)", "_exit(125)", "sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)", "close(6)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.init_rc = -1;
	F.init_msg = "<input string>:3:1: unbound variable: READ_9";
	child_failure(&fx, want);
	assert_ptr_equal(F.freed_errbuf, F.given_errbuf);
	n = F.nwritten;
	memcpy(rep, F.written, n);
	parent_reads_report(&fx, rep, n, &err);
	assert_int_equal(err.code, SBOX_E_INTERNAL);
	assert_non_null(strstr(err.msg, "sandbox_init_with_parameters failed"));
	assert_non_null(strstr(err.msg, "unbound variable: READ_9"));
	assert_string_equal(F.log[F.nlog - 5], "waitpid(4242,0)");
	fixture_release(&fx);
}

static void
test_drop_not_sticking(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	(void)state;
	fixture_chroot(&fx);
	F.setuid0_works = 1;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	for (size_t i = 0; i < F.nlog; i++) {
		assert_null(strstr(F.log[i], "sandbox_init"));
		assert_null(strstr(F.log[i], "execve"));
	}
	assert_non_null(strstr(written_msg(),
			       "setuid(0) succeeded"));
	fixture_release(&fx);

	fixture_chroot(&fx);
	F.ids_stay = 1;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_non_null(strstr(written_msg(),
			       "ids are not 501:20"));
	fixture_release(&fx);
}

static void
test_program_not_found(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;

	(void)state;
	fixture_init(&fx);
	fixture_args(&fx, "no-such-tool", NULL);
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 -1);
	assert_string_equal(F.log[F.nlog - 8], "execve(/nowhere/no-such-tool)");
	assert_string_equal(F.log[F.nlog - 7], "execve(/usr/bin/no-such-tool)");
	assert_string_equal(F.log[F.nlog - 6], "write(6)");
	assert_string_equal(F.log[F.nlog - 5], "_exit(125)");
	assert_non_null(strstr(written_msg(),
			       "'no-such-tool' not found"));
	fixture_release(&fx);
}

static void
test_parent_forwards_signals(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	struct launch_result result;
	int status = -1;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(6)", "read(5)",
		"sigwait()=TERM", "kill(-4242,TERM)",
		"sigwait()=INT", "kill(-4242,INT)",
		"sigwait()=CHLD", "waitpid(4242,WNOHANG)", "kill(-4242,KILL)",
		"sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)", "close(5)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.fork_ret = CHILD_PID;
	F.sigs[0] = SIGTERM;
	F.sigs[1] = SIGINT;
	F.nsigs = 2;
	F.wait_status = SIGTERM;  /* killed by signal 15 */
	fx.req.result = &result;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	expect_log(want);
	assert_int_equal(status, 128 + SIGTERM);
	assert_int_equal(result.exited, 0);
	assert_int_equal(result.signal, SIGTERM);
	assert_int_equal(result.timed_out, 0);
	assert_true(result.seconds == 1.5);
	fixture_release(&fx);

	fixture_init(&fx);
	F.fork_ret = CHILD_PID;
	F.wait_status = 7 << 8;   /* exit(7) */
	fx.req.result = &result;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	assert_int_equal(status, 7);
	assert_int_equal(result.exited, 1);
	assert_int_equal(result.exit_code, 7);
	assert_int_equal(result.signal, 0);
	fixture_release(&fx);
}


static void
test_parent_timeout(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	struct launch_result result;
	int status = -1;
	size_t i;

	(void)state;
	fixture_init(&fx);
	fx.def.limits.wall_seconds = 5;
	fx.req.warn = count_warning;
	fx.req.result = &result;
	warning_about = "wall-clock";
	warnings = 0;
	F.fork_ret = CHILD_PID;
	F.sigs[0] = SIGALRM;
	F.nsigs = 1;
	F.wait_status = SIGKILL;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	assert_int_equal(status, 128 + SIGKILL);
	for (i = 0; i < F.nlog && strcmp(F.log[i], "read(5)"); i++)
		;
	assert_string_equal(F.log[i + 1], "alarm(5)");
	assert_string_equal(F.log[i + 3], "kill(-4242,KILL)");
	assert_string_equal(F.log[i + 6], "kill(-4242,KILL)");
	assert_string_equal(F.log[i + 7], "alarm(0)");
	assert_int_equal(warnings, 1);
	assert_int_equal(result.timed_out, 1);
	assert_int_equal(result.signal, SIGKILL);
	fixture_release(&fx);
}

/* ---- the pure helpers ---------------------------------------------- */

static void
expect_canon(const char *in, const char *want)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char *got = seatbelt_canon_path(&fake_sys, in, &err);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_canon_path(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fake_reset();
	expect_canon("/tmp", "/private/tmp");
	expect_canon("/tmp/", "/private/tmp");
	expect_canon("/tmp//proj/./", "/private/tmp/proj");
	expect_canon("/tmp/proj/new/../made", "/private/tmp/proj/made");
	expect_canon("/etc/../tmp/x", "/private/tmp/x");
	/* ".." after a symlink is physical: /tmp/.. is /private. */
	expect_canon("/tmp/..", "/private");
	expect_canon("/tmp/proj/../gone/../y", "/private/tmp/y");
	expect_canon("/", "/");
	expect_canon("/..", "/");
	expect_canon("/Users/nobody/x", "/Users/nobody/x");
	assert_null(seatbelt_canon_path(&fake_sys, "relative/x", &err));
	assert_int_equal(err.code, SBOX_E_INVALID);
}

static void
test_env_home_real(void **state)
{
	struct fixture fx;
	struct seatbelt_plan plan;

	(void)state;
	fixture_init(&fx);
	fx.def.home = DEF_HOME_REAL;
	sl_add(&fx.def.env_inherit, "LANG");
	seatbelt_plan_init(&plan);
	seatbelt_env_build(&fx.req, "/Users/me", NULL, "/x/tmp/", &plan);
	assert_string_equal(strv_find(plan.envp, "HOME="), "HOME=/Users/me");
	assert_null(strv_find(plan.envp, "CFFIXED_USER_HOME="));
	assert_string_equal(strv_find(plan.envp, "LANG="),
			    "LANG=en_US.UTF-8");
	assert_null(plan.envp[plan.nenv]);
	seatbelt_plan_release(&plan);

	fx.req.envp = NULL;
	fx.def.env_set = xrealloc(fx.def.env_set, 2 * sizeof(*fx.def.env_set));
	fx.def.env_set[1].key = xstrdup("DYLD_LIBRARY_PATH");
	fx.def.env_set[1].value = xstrdup("/x");
	fx.def.nenv_set = fx.def.env_set_alloc = 2;
	seatbelt_plan_init(&plan);
	seatbelt_env_build(&fx.req, "/h", "/h", "/h/tmp/", &plan);
	/* No PATH came through: the shared scrub gives one. */
	assert_non_null(strv_find(plan.envp, "PATH=/"));
	assert_null(strv_find(plan.envp, "DYLD_"));
	assert_string_equal(strv_find(plan.envp, "CFFIXED_USER_HOME="),
			    "CFFIXED_USER_HOME=/h");
	seatbelt_plan_release(&plan);
	fixture_release(&fx);
}

#define TEN(x) x x x x x x x x x x
#define FAN(n) TEN("(import \"" n "\")")

static const struct fake_file import_files[] = {
	{ "/defs/extra.sb",
	  "(version 1)\n(allow network-outbound)\n(import \"inner.sb\")\n" },
	{ "/defs/inner.sb", "(allow ipc-posix-shm) ; (import \"x\")\n" },
	{ "/defs/loop.sb", "(import \"loop.sb\")\n" },
	{ "/defs/fan1.sb", FAN("fan2.sb") }, { "/defs/fan2.sb", FAN("fan3.sb") },
	{ "/defs/fan3.sb", FAN("fan4.sb") }, { "/defs/fan4.sb", "(allow)" },
	{ "/sys/system.sb", "(version 1)\n(allow sysctl-read)\n" },
	{ NULL, NULL },
};

static int
resolve(const char *text, const char *const *dirs, int keep,
	struct strbuf *out, struct sbox_err *err)
{
	fake_reset();
	F.files = import_files;
	strbuf_reset(out);
	return seatbelt_imports_resolve(&fake_sys, text, dirs, keep, out, err);
}

static void
test_imports(void **state)
{
	static const char *const defs[] = { "/defs", NULL };
	static const char *const both[] = { "/defs", "/sys", NULL };
	const char *src =
		"(version 1)\n"
		"; (import \"commented.sb\")\n"
		"#| (import \"block.sb\") |#\n"
		"(allow file-read* (literal \"(import \\\"s.sb\\\")\"))\n"
		"(import \"extra.sb\")\n"
		"(import \"system.sb\")\n";
	struct strbuf out = STRBUF_INIT;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	assert_int_equal(resolve(src, defs, 1, &out, &err), 0);
	/* Only the first line keeps a version form. */
	assert_ptr_equal(strstr(out.buf, "(version 1)"), out.buf);
	assert_null(strstr(out.buf + 1, "(version 1)"));
	assert_non_null(strstr(out.buf, "(allow network-outbound)"));
	assert_non_null(strstr(out.buf, "(allow ipc-posix-shm)"));
	assert_non_null(strstr(out.buf, "; (import \"commented.sb\")"));
	assert_non_null(strstr(out.buf, "#| (import \"block.sb\") |#"));
	assert_non_null(strstr(out.buf, "(literal \"(import \\\"s.sb\\\")\")"));
	assert_null(strstr(out.buf, "(import \"extra.sb\")"));
	/* Apple's own profile is left to libsandbox when it can see it. */
	assert_non_null(strstr(out.buf, "(import \"system.sb\")"));

	assert_int_equal(resolve(src, both, 0, &out, &err), 0);
	assert_null(strstr(out.buf, "(import \"system.sb\")"));
	assert_non_null(strstr(out.buf, "(allow sysctl-read)"));

	assert_int_equal(resolve(src, defs, 0, &out, &err), -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "\"system.sb\" not found"));

	assert_int_equal(resolve("(import \"loop.sb\")", defs, 0, &out, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "\"loop.sb\" imports itself"));

	/* Fan-out: every level imports the next one ten times. */
	assert_int_equal(resolve("(import \"fan1.sb\")", defs, 0, &out, &err),
			 -1);
	assert_non_null(strstr(err.msg, "in all"));

	/* The same file twice, side by side, is fine. */
	assert_int_equal(resolve("(import \"inner.sb\")(import \"inner.sb\")",
				 defs, 0, &out, &err), 0);

	/* Malformed forms are left for the SBPL compiler to report. */
	assert_int_equal(resolve("(import extra.sb)(import \"x\"", defs, 0,
				 &out, &err), 0);
	assert_string_equal(out.buf, "(import extra.sb)(import \"x\"");
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_unprivileged),
		cmocka_unit_test(test_child_root_chroot),
		cmocka_unit_test(test_chroot_as_plain_root),
		cmocka_unit_test(test_refuses_inside_sandbox),
		cmocka_unit_test(test_chroot_needs_root),
		cmocka_unit_test(test_sudo_ids_malformed),
		cmocka_unit_test(test_sandbox_init_fails),
		cmocka_unit_test(test_drop_not_sticking),
		cmocka_unit_test(test_program_not_found),
		cmocka_unit_test(test_parent_forwards_signals),
		cmocka_unit_test(test_parent_timeout),
		cmocka_unit_test(test_canon_path),
		cmocka_unit_test(test_env_home_real),
		cmocka_unit_test(test_imports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
