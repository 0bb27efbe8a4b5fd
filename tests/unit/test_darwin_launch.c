/*
 * The macOS launch sequence (backend/macos/seatbelt_*.c) driven through the
 * recording fake in darwin_fake.h: the exact order and arguments of the
 * calls a real launch makes, and its failure paths.
 */
#include "unit/darwin_fake.h"

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

static const struct fake_file system_files[] = {
	{ "/System/Library/Sandbox/Profiles/system.sb",
	  "(version 1)\n(allow sysctl-read)\n" },
	{ NULL, NULL },
};

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
fixture_init(struct fixture *fx)
{
	fake_reset();
	memset(fx, 0, sizeof(*fx));
	def_init(&fx->def);
	fx->def.name = xstrdup("web");
	fx->def.source = xstrdup("/defs/web.json");
	def_pathlist_append(&fx->def.fs_read, "/tmp/proj");
	def_pathlist_append(&fx->def.fs_read, "/var/x/../y/");
	def_pathlist_append(&fx->def.fs_write, "${PROJECT}/build/");
	def_pathlist_append(&fx->def.fs_deny, "~/.ssh");
	def_strlist_add(&fx->def.env_inherit, "PATH");
	def_strlist_add(&fx->def.env_inherit, "LC_*");
	def_strlist_add(&fx->def.env_inherit, "DYLD_*");
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
	fake_release();
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

/* Launch with the fixture's request; this launch must fail (err says why). */
static void
launch_must_fail(struct fixture *fx, struct sbox_err *err)
{
	int status = -1;

	assert_int_equal(seatbelt_launch(&fake_sys, &fx->req, &status, err),
			 -1);
}

static void
test_child_unprivileged(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *want[] = {
		"sandbox_check(777)",
		"read_file(/defs/system.sb)",
		/* compiled in the parent, before any process exists */
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)",
		"sigprocmask(SETMASK)", "setsid()",
		"chdir(/private/tmp/proj)",
		/* the child applies the compiled form: no SBPL after fork */
		"sandbox_apply(compiled)",
		"posix_spawn(/nowhere/true,SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)",
		"posix_spawn(/usr/bin/true,SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	fixture_args(&fx, "true", "-v");
	launch_must_fail(&fx, &err);
	expect_log(want);
	assert_string_equal(F.compiled_profile, default_profile);
	/* Every KEY, VALUE pair, in order, as libsandbox parameters. */
	assert_string_equal(F.set_keys,
			    "READ_0=/private/tmp/proj;READ_1=/private/var/y;"
			    "WRITE_0=/private/tmp/proj/build;"
			    "DENY_0=/Users/me/.ssh;");
	assert_null(F.init_profile);
	/* Canonical paths reached the emitter and the variables. */
	assert_string_equal(F.vars_project, "/private/tmp/proj");
	assert_string_equal(F.vars_home, "/Users/me");
	assert_string_equal(F.emitted,
			    "READ_0=/private/tmp/proj\n"
			    "READ_1=/private/var/y\n"
			    "WRITE_0=/private/tmp/proj/build\n"
			    "DENY_0=/Users/me/.ssh\n");
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
	const char *want[] = {
		"sandbox_check(777)",
		"read_file(/defs/system.sb)",
		"read_file(/System/Library/Sandbox/Profiles/system.sb)",
		"sysctl(kern.osproductversion)", "sysctl(kern.osrelease)",
		"csr_check(UNRESTRICTED_FS)",
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)",
		"sigprocmask(SETMASK)", "setsid()",
		"chroot(/private/var/sbox/web/root)", "chdir(/)",
		"setgroups(1,[20])", "setgid(20)", "setuid(501)",
		"setuid(0)=-1",
		"chdir(/home/Data)",
		"setrlimit(1,256)",
		"sandbox_apply(compiled)",
		"posix_spawn(/usr/bin/true,SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)",
		NULL,
	};

	(void)state;
	fixture_chroot(&fx);
	F.sip = SEATBELT_SIP_FS_OFF;  /* a chroot can work (seatbelt_chroot.c) */
	launch_must_fail(&fx, &err);
	expect_log(want);
	/* Apple's profile was read before chroot and inlined. */
	assert_null(strstr(F.compiled_profile, "(import \"system.sb\")"));
	assert_non_null(strstr(F.compiled_profile, "(allow sysctl-read)"));
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

	(void)state;
	fixture_chroot(&fx);
	F.sip = SEATBELT_SIP_FS_OFF;
	fx.req.envp = (char *const *)root_env;
	fx.req.warn = count_warning;
	warning_about = "runs as root";
	warnings = 0;
	launch_must_fail(&fx, &err);
	assert_int_equal(warnings, 1);
	for (size_t i = 0; i < F.nlog; i++)
		assert_null(strstr(F.log[i], "setuid"));
	assert_non_null(strstr(F.log[F.nlog - 1], "posix_spawn(/usr/bin/true,"));
	fixture_release(&fx);
}

static void
test_refuses_inside_sandbox(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	static const char *const want[] = { "sandbox_check(777)", NULL };

	(void)state;
	fixture_init(&fx);
	F.sandboxed = 1;
	launch_must_fail(&fx, &err);
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

	(void)state;
	fixture_chroot(&fx);
	F.uid = F.euid = 501;
	launch_must_fail(&fx, &err);
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

	(void)state;
	fixture_init(&fx);
	F.uid = F.euid = 0;
	fx.req.envp = (char *const *)bad_env;
	launch_must_fail(&fx, &err);
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

	launch_must_fail(fx, &err);
	expect_log(want);
	assert_true(F.nwritten > 0);
}

static void
parent_reads_report(struct fixture *fx, const void *rep, size_t n,
		    struct sbox_err *err)
{

	F.nlog = 0;
	F.fork_ret = CHILD_PID;
	F.report = rep;
	F.report_len = n;
	F.report_off = 0;
	launch_must_fail(fx, err);
}

/* Without libsandbox's compile API: sandbox_init_with_parameters. */
static void
test_fallback_without_compile_api(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"compile_api()=0",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)", "sigprocmask(SETMASK)", "setsid()",
		"chdir(/private/tmp/proj)",
		"sandbox_init_with_parameters(flags=0)",
		"posix_spawn(/usr/bin/true,SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.no_compile_api = 1;
	launch_must_fail(&fx, &err);
	expect_log(want);
	/* Profile and the flat NULL-terminated KEY, VALUE parameters. */
	assert_string_equal(F.init_profile, default_profile);
	assert_int_equal(F.init_flags, 0);
	assert_string_equal(F.init_params[0], "READ_0");
	assert_string_equal(F.init_params[1], "/private/tmp/proj");
	assert_string_equal(F.init_params[6], "DENY_0");
	assert_string_equal(F.init_params[7], "/Users/me/.ssh");
	assert_null(F.init_params[8]);
	assert_null(F.compiled_profile);
	fixture_release(&fx);
}

/* A profile libsandbox rejects stops the launch before any process. */
static void
test_compile_fails_before_fork(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"sandbox_free_error(the error)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.compile_fail = 1;
	F.init_msg = "<input string>:3:1: unbound variable: READ_9";
	launch_must_fail(&fx, &err);
	expect_log(want);
	assert_int_equal(err.code, SBOX_E_INTERNAL);
	assert_non_null(strstr(err.msg, "does not compile"));
	assert_non_null(strstr(err.msg, "unbound variable: READ_9"));
	assert_ptr_equal(F.freed_errbuf, F.given_errbuf);
	assert_int_equal(F.params_live, 0);
	fixture_release(&fx);
}

/* sandbox_apply failing in the child: its errno comes back, 125. */
static void
test_apply_fails(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx);
	F.apply_errno = EPERM;
	launch_must_fail(&fx, &err);
	for (size_t i = 0; i < F.nlog; i++)
		assert_null(strstr(F.log[i], "posix_spawn"));
	assert_non_null(strstr(written_msg(), "sandbox_apply failed"));
	/* The parent frees the compiled profile once the child is gone. */
	assert_string_equal(F.log[F.nlog - 1], "sandbox_free_profile(compiled)");
	assert_int_equal(F.profile_live, 0);
	fixture_release(&fx);
}

/* limits.processes counts the user's processes on macOS: say so. */
static void
test_nproc_warning(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx);
	fx.req.warn = count_warning;
	warning_about = "every process of user 501";
	warnings = 0;
	launch_must_fail(&fx, &err);
	assert_int_equal(warnings, 0);   /* no limit, no warning */
	fixture_release(&fx);

	fixture_init(&fx);
	fx.def.limits.processes = 64;
	fx.req.warn = count_warning;
	warnings = 0;
	launch_must_fail(&fx, &err);
	assert_int_equal(warnings, 1);
	fixture_release(&fx);
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
		"compile_api()=0",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)", "sigprocmask(SETMASK)", "setsid()",
		"chdir(/private/tmp/proj)",
		"sandbox_init_with_parameters(flags=0)",
		"sandbox_free_error(the error)",
		"write(6)", "_exit(125)", "sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)",
		"sigcatch(CONT,off)", "close(6)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.no_compile_api = 1;
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
	assert_string_equal(F.log[F.nlog - 6], "waitpid(4242,0)");
	fixture_release(&fx);
}

static void
test_drop_not_sticking(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_chroot(&fx);
	F.sip = SEATBELT_SIP_FS_OFF;
	F.setuid0_works = 1;
	launch_must_fail(&fx, &err);
	for (size_t i = 0; i < F.nlog; i++) {
		assert_null(strstr(F.log[i], "sandbox_apply"));
		assert_null(strstr(F.log[i], "posix_spawn"));
	}
	assert_non_null(strstr(written_msg(),
			       "setuid(0) succeeded"));
	fixture_release(&fx);

	fixture_chroot(&fx);
	F.sip = SEATBELT_SIP_FS_OFF;
	F.ids_stay = 1;
	launch_must_fail(&fx, &err);
	assert_non_null(strstr(written_msg(),
			       "ids are not 501:20"));
	fixture_release(&fx);
}

static void
test_program_not_found(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	size_t i;

	(void)state;
	fixture_init(&fx);
	fixture_args(&fx, "no-such-tool", NULL);
	launch_must_fail(&fx, &err);
	for (i = 0; i < F.nlog && strcmp(F.log[i], "write(6)"); i++)
		;
	assert_true(i >= 2 && i + 1 < F.nlog);
	assert_string_equal(F.log[i - 2], "posix_spawn(/nowhere/no-such-tool,"
			    "SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)");
	assert_string_equal(F.log[i - 1], "posix_spawn(/usr/bin/no-such-tool,"
			    "SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)");
	assert_string_equal(F.log[i + 1], "_exit(125)");
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
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(6)", "read(5)",
		"sigwait()=TERM", "kill(-4242,TERM)",
		"sigwait()=INT", "kill(-4242,INT)",
		"sigwait()=CHLD", "waitpid(4242,WNOHANG)", "kill(-4242,KILL)",
		"sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)",
		"sigcatch(CONT,off)", "close(5)",
		"sandbox_free_profile(compiled)",
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

/* The child on its pty: controlling terminal right after setsid, and a
 * profile that allows that terminal by name and no other. */
static void
test_pty_child(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"pty_open(on)", "compile_api()=0",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(5)",
		"sigprocmask(SETMASK)", "setsid()", "pty_attach(9,fds=7)",
		"chdir(/private/tmp/proj)",
		"sandbox_init_with_parameters(flags=0)",
		"posix_spawn(/usr/bin/true,SETEXEC|CLOEXEC_DEFAULT,inherit=0,1,2)",
		NULL,
	};
	const char *rules;

	(void)state;
	fixture_init(&fx);
	F.pty_fds = 7;
	F.no_compile_api = 1;   /* the text reaches sandbox_init: inspect it */
	fx.req.pty = PTY_ON;
	launch_must_fail(&fx, &err);
	expect_log(want);
	/* the emitted profile first, the terminal's rules last (the last
	 * matching rule decides), its name as a literal: no parameter */
	assert_memory_equal(F.init_profile, default_profile,
			    strlen(default_profile));
	rules = F.init_profile + strlen(default_profile);
	assert_non_null(strstr(rules, "(allow file-read* file-write* "
			       "file-ioctl\n  (literal \"/dev/ttys042\")\n"
			       "  (literal \"/dev/tty\"))"));
	assert_non_null(strstr(rules, "(allow pseudo-tty)"));
	assert_non_null(strstr(rules, "(require-all (regex "
			       "#\"^/dev/ttys[0-9]+$\")\n               "
			       "(extension \"com.apple.sandbox.pty\"))"));
	/* no other terminal: past its own name, the only /dev/ttys rule
	 * needs the extension */
	assert_null(strstr(strstr(strstr(rules, "/dev/ttys042") + 12,
				  "^/dev/ttys") + 10, "/dev/ttys"));
	assert_null(strstr(rules, "(param"));
	assert_null(F.init_params[8]);
	fixture_release(&fx);
}

/* sbox with a pty: the slave closed after fork, the relay started once
 * execve succeeded, the size passed on (not forwarded), SIGTSTP stops
 * sbox alone, the terminal restored once at the end. */
static void
test_pty_parent(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"pty_open(auto)",
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(6)", "close(9)", "read(5)",
		"pty_relay(START)",
		"sigwait()=WINCH", "pty_relay(WINCH)",
		"sigwait()=TSTP", "pty_relay(STOP_SELF)",
		"sigwait()=CONT", "pty_relay(RESUME)", "kill(-4242,CONT)",
		"sigwait()=INT", "kill(-4242,INT)",
		"sigwait()=CHLD", "waitpid(4242,WNOHANG)", "kill(-4242,KILL)",
		"pty_relay(FINISH)",
		"sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)",
		"sigcatch(CONT,off)", "close(5)",
		"sandbox_free_profile(compiled)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.pty_fds = 5;
	F.fork_ret = CHILD_PID;
	F.sigs[0] = SIGWINCH;
	F.sigs[1] = SIGTSTP;
	F.sigs[2] = SIGCONT;
	F.sigs[3] = SIGINT;
	F.nsigs = 4;
	F.wait_status = 3 << 8;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	expect_log(want);
	assert_int_equal(status, 3);
	fixture_release(&fx);
}

/* Root through sudo: the pty belongs to the user the child drops to. */
static void
test_pty_owner(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	size_t i;

	(void)state;
	fixture_chroot(&fx);
	F.sip = SEATBELT_SIP_FS_OFF;  /* a chroot can work (seatbelt_chroot.c) */
	F.pty_fds = 7;
	F.fork_ret = CHILD_PID;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	for (i = 0; i < F.nlog && strncmp(F.log[i], "pty_open", 8); i++)
		;
	assert_true(i < F.nlog);
	assert_string_equal(F.log[i], "pty_open(auto,501:20)");
	fixture_release(&fx);
}

/* No terminal: SIGWINCH forwarded as before; Ctrl-Z stops the program's
 * group with sbox (SIGSTOP too: a default SIGTSTP is discarded in an
 * orphaned group), SIGCONT continues it. */
static void
test_no_pty_job_control(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;
	int status = -1;
	const char *want[] = {
		"sandbox_check(777)", "read_file(/defs/system.sb)",
		"compile_api()=1", "sandbox_create_params()",
		"sandbox_compile_string(params)", "sandbox_free_params(params)",
		"pipe_cloexec()", "sigcatch(CHLD,on)", "sigcatch(WINCH,on)",
		"sigcatch(CONT,on)", "sigprocmask(BLOCK,TERM+CHLD)",
		"fork()", "close(6)", "read(5)",
		"sigwait()=WINCH", "kill(-4242,WINCH)",
		"sigwait()=TSTP", "kill(-4242,TSTP)", "kill(-4242,STOP)",
		"pty_relay(STOP_SELF,none)",
		"sigwait()=CONT", "kill(-4242,CONT)",
		"sigwait()=CHLD", "waitpid(4242,WNOHANG)", "kill(-4242,KILL)",
		"sigprocmask(SETMASK)",
		"sigcatch(CHLD,off)", "sigcatch(WINCH,off)",
		"sigcatch(CONT,off)", "close(5)",
		"sandbox_free_profile(compiled)",
		NULL,
	};

	(void)state;
	fixture_init(&fx);
	F.fork_ret = CHILD_PID;
	F.sigs[0] = SIGWINCH;
	F.sigs[1] = SIGTSTP;
	F.sigs[2] = SIGCONT;
	F.nsigs = 3;
	assert_int_equal(seatbelt_launch(&fake_sys, &fx.req, &status, &err),
			 0);
	expect_log(want);
	fixture_release(&fx);
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
		cmocka_unit_test(test_fallback_without_compile_api),
		cmocka_unit_test(test_compile_fails_before_fork),
		cmocka_unit_test(test_apply_fails),
		cmocka_unit_test(test_nproc_warning),
		cmocka_unit_test(test_sandbox_init_fails),
		cmocka_unit_test(test_drop_not_sticking),
		cmocka_unit_test(test_program_not_found),
		cmocka_unit_test(test_parent_forwards_signals),
		cmocka_unit_test(test_parent_timeout),
		cmocka_unit_test(test_pty_child),
		cmocka_unit_test(test_pty_parent),
		cmocka_unit_test(test_pty_owner),
		cmocka_unit_test(test_no_pty_job_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
