/*
 * A recording fake struct darwin_sys for the macOS launch tests
 * (test_darwin_launch.c, test_seatbelt_text.c): every call is logged as
 * text in F.log, the knobs in struct fake choose what the "system" does,
 * and /tmp, /var, /etc resolve into /private as on macOS.
 */
#ifndef SBOX_TESTS_UNIT_DARWIN_FAKE_H
#define SBOX_TESTS_UNIT_DARWIN_FAKE_H

#include "unit/testutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/macos/seatbelt.h"
#include "util/xalloc.h"

#define LOG_MAX 64
#define FAKE_PID 777
#define CHILD_PID 4242
#define PIPE_R 5
#define PIPE_W 6
#define PTY_MASTER 8
#define PTY_SLAVE 9

struct fake_file {
	const char *path, *text;
};

/* A binary file for pread_file: bytes, not text. */
struct fake_bin {
	const char *path;
	const unsigned char *bytes;
	size_t len;
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
	const struct fake_bin *bins;
	int no_compile_api;      /* dlsym finds no compile/apply SPI */
	int compile_fail;        /* sandbox_compile_string rejects (init_msg) */
	int apply_errno;         /* sandbox_apply fails with this errno */
	const char *os_product;  /* kern.osproductversion; NULL: absent */
	const char *os_release;  /* kern.osrelease; NULL: absent */
	enum seatbelt_sip sip;
	const char *existing[16];
	int sigs[8];
	size_t nsigs, sigi;
	int wait_status;
	unsigned pty_fds;        /* pty_open gives a pty for these, or none */
	const void *report;      /* what the parent reads from the pipe */
	size_t report_len, report_off;

	/* captured */
	char *given_errbuf, *freed_errbuf;
	char *compiled_profile;  /* the text sandbox_compile_string got */
	char set_keys[512];      /* KEY=VALUE; ... as sandbox_set_param got */
	int params_live, profile_live;
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
		{ SIGTSTP, "TSTP" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
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

static inline const char *
strv_find(char **v, const char *prefix)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!strncmp(v[i], prefix, strlen(prefix)))
			return v[i];
	return NULL;
}

/* What the fake kept of a launch (copies it made), freed at the end of
 * a test. */
static inline void
fake_release(void)
{
	free(F.init_profile);
	free(F.compiled_profile);
	strv_free(F.init_params);
	strv_free(F.exec_envp);
	free(F.emitted);
	free(F.vars_project);
	free(F.vars_home);
	free(F.vars_container);
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

/* Handles libsandbox would return. */
static int params_token, profile_token;

static int
f_compile_api(void *c)
{
	(void)c;
	fake_log("compile_api()=%d", !F.no_compile_api);
	return !F.no_compile_api;
}

static void *
f_create_params(void *c)
{
	(void)c;
	fake_log("sandbox_create_params()");
	F.params_live = 1;
	return &params_token;
}

static int
f_set_param(void *c, void *params, const char *key, const char *value)
{
	size_t n = strlen(F.set_keys);

	(void)c;
	assert_ptr_equal(params, &params_token);
	snprintf(F.set_keys + n, sizeof(F.set_keys) - n, "%s=%s;", key, value);
	return 0;
}

static void *
f_compile_string(void *c, const char *profile, void *params, char **error)
{
	(void)c;
	fake_log("sandbox_compile_string(%s)",
		 params == &params_token ? "params" : "OTHER");
	free(F.compiled_profile);
	F.compiled_profile = xstrdup(profile);
	if (F.compile_fail) {
		F.given_errbuf = xstrdup(F.init_msg);
		*error = F.given_errbuf;
		return NULL;
	}
	*error = NULL;
	F.profile_live = 1;
	return &profile_token;
}

static void
f_free_params(void *c, void *params)
{
	(void)c;
	fake_log("sandbox_free_params(%s)",
		 params == &params_token ? "params" : "OTHER");
	F.params_live = 0;
}

static int
f_apply(void *c, void *compiled)
{
	(void)c;
	fake_log("sandbox_apply(%s)",
		 compiled == &profile_token ? "compiled" : "OTHER");
	if (F.apply_errno) {
		errno = F.apply_errno;
		return -1;
	}
	return 0;
}

static void
f_free_profile(void *c, void *compiled)
{
	(void)c;
	fake_log("sandbox_free_profile(%s)",
		 compiled == &profile_token ? "compiled" : "OTHER");
	F.profile_live = 0;
}

static int
f_sysctl_string(void *c, const char *name, char *buf, size_t n)
{
	const char *v = !strcmp(name, "kern.osproductversion") ? F.os_product :
			!strcmp(name, "kern.osrelease") ? F.os_release : NULL;

	(void)c;
	fake_log("sysctl(%s)", name);
	if (!v) {
		errno = ENOENT;
		return -1;
	}
	snprintf(buf, n, "%s", v);
	return 0;
}

static enum seatbelt_sip
f_sip_fs(void *c)
{
	(void)c;
	fake_log("csr_check(UNRESTRICTED_FS)");
	return F.sip;
}

static ssize_t
f_pread_file(void *c, const char *path, void *buf, size_t n, uint64_t off)
{
	(void)c;
	if (off == 0)
		fake_log("pread(%s)", path);
	for (size_t i = 0; F.bins && F.bins[i].path; i++) {
		const struct fake_bin *b = &F.bins[i];

		if (strcmp(b->path, path))
			continue;
		if (off >= b->len)
			return 0;
		if (n > b->len - off)
			n = (size_t)(b->len - off);
		memcpy(buf, b->bytes + off, n);
		return (ssize_t)n;
	}
	errno = ENOENT;
	return -1;
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
f_spawn(void *c, const char *path, unsigned flags, const int *inherit,
	size_t ninherit, char *const argv[], char *const envp[])
{
	char fds[64] = "";

	(void)c;
	(void)argv;
	for (size_t i = 0; i < ninherit; i++)
		snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d",
			 i ? "," : "", inherit[i]);
	fake_log("posix_spawn(%s,%s%s%s,inherit=%s)", path,
		 flags & SEATBELT_SPAWN_SETEXEC ? "SETEXEC" : "",
		 flags & SEATBELT_SPAWN_SETEXEC &&
		 flags & SEATBELT_SPAWN_CLOEXEC_DEFAULT ? "|" : "",
		 flags & SEATBELT_SPAWN_CLOEXEC_DEFAULT ? "CLOEXEC_DEFAULT" : "",
		 fds);
	if (F.exec_ok && !strcmp(path, F.exec_ok)) {
		F.exec_envp = strv_dup(envp);
		F.replaced = 1;
		return 0;
	}
	return ENOENT;
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

/* openpty stood in: silent when there is no pty, as a real launch
 * without a terminal makes no call either (isatty aside). */
static int
f_pty_open(void *c, struct pty_relay *r, enum pty_mode mode,
	   const uid_t *owner, const gid_t *group, int *slave, char *name,
	   size_t n)
{
	(void)c;
	memset(r, 0, sizeof(*r));
	r->in_fd = r->out_fd = r->term_fd = r->master = -1;
	if (!F.pty_fds)
		return 0;
	if (owner)
		fake_log("pty_open(%s,%u:%u)", mode == PTY_ON ? "on" :
			 mode == PTY_OFF ? "off" : "auto", (unsigned)*owner,
			 (unsigned)*group);
	else
		fake_log("pty_open(%s)", mode == PTY_ON ? "on" :
			 mode == PTY_OFF ? "off" : "auto");
	r->fds = F.pty_fds;
	r->master = PTY_MASTER;
	*slave = PTY_SLAVE;
	snprintf(name, n, "/dev/ttys042");
	return 1;
}

static int
f_pty_attach(void *c, const struct pty_relay *r, int slave)
{
	(void)c;
	fake_log("pty_attach(%d,fds=%u)", slave, r->fds);
	return 0;
}

static int
f_pty_relay(void *c, struct pty_relay *r, enum seatbelt_pty_op op)
{
	static const char *const names[] = {
		[SEATBELT_PTY_START] = "START", [SEATBELT_PTY_WINCH] = "WINCH",
		[SEATBELT_PTY_STOP_SELF] = "STOP_SELF",
		[SEATBELT_PTY_RESUME] = "RESUME",
		[SEATBELT_PTY_FINISH] = "FINISH",
	};

	(void)c;
	fake_log("pty_relay(%s%s)", names[op], r ? "" : ",none");
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
	.compile_api = f_compile_api,
	.sandbox_create_params = f_create_params,
	.sandbox_set_param = f_set_param,
	.sandbox_compile_string = f_compile_string,
	.sandbox_free_params = f_free_params,
	.sandbox_apply = f_apply,
	.sandbox_free_profile = f_free_profile,
	.sysctl_string = f_sysctl_string, .sip_fs = f_sip_fs,
	.pread_file = f_pread_file,
	.getpid = f_getpid, .getuid = f_getuid, .geteuid = f_geteuid,
	.getgid = f_getgid, .getegid = f_getegid,
	.realpath = f_realpath, .read_file = f_read_file,
	.pipe_cloexec = f_pipe_cloexec, .fork = f_fork, .setsid = f_setsid,
	.chroot = f_chroot, .chdir = f_chdir, .setgroups = f_setgroups,
	.setgid = f_setgid, .setuid = f_setuid, .setrlimit = f_setrlimit,
	.spawn = f_spawn, .exit = f_exit,
	.read = f_read, .write = f_write, .close = f_close,
	.sigprocmask = f_sigprocmask, .sigwait = f_sigwait,
	.sigcatch = f_sigcatch, .alarm = f_alarm, .waitpid = f_waitpid,
	.kill = f_kill, .now = f_now, .resolve = f_resolve, .emit = f_emit,
	.pty_open = f_pty_open, .pty_attach = f_pty_attach,
	.pty_relay = f_pty_relay,
};

/* What the fake emitter writes unless a test says otherwise. */
static const char *const default_profile =
	"(version 1)\n(deny default)\n(import \"system.sb\")\n"
	"(allow file-read* (subpath (param \"READ_0\")))\n";

static void
fake_reset(void)
{
	memset(&F, 0, sizeof(F));
	F.uid = F.euid = 501;
	F.gid = F.egid = 20;
	F.fork_ret = 0;
	F.exec_ok = "/usr/bin/true";
	F.os_product = "15.1";
	F.os_release = "24.1.0";
	F.sip = SEATBELT_SIP_FS_ON;
	F.profile = default_profile;
	F.existing[0] = "/private/tmp/proj";
	F.existing[1] = "/Users/me/Library/Application Support/sbox/"
			"Containers/web/Data/tmp";
	F.existing[2] = "/private/var/sbox/web/root/home/Data/tmp";
	F.existing[3] = "/defs";
}

#endif
