/*
 * The macOS launcher's pure helpers over the fake in darwin_fake.h:
 * canonical paths, the program's environment, SBPL import resolution.
 */
#include "unit/darwin_fake.h"

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
env_set_add(struct container_def *d, const char *key, const char *value)
{
	ALLOC_GROW(d->env_set, d->nenv_set + 1, d->env_set_alloc);
	d->env_set[d->nenv_set].key = xstrdup(key);
	d->env_set[d->nenv_set++].value = xstrdup(value);
}

static void
test_env(void **state)
{
	static const char *const caller[] = {
		"PATH=/nowhere:/usr/bin", "LANG=en_US.UTF-8", "LC_ALL=C",
		"SECRET_TOKEN=hunter2", "DYLD_INSERT_LIBRARIES=/tmp/evil.dylib",
		"HOME=/Users/me", NULL,
	};
	struct container_def def;
	struct launch_request req;
	struct seatbelt_plan plan;

	(void)state;
	def_init(&def);
	def.name = xstrdup("web");
	def_strlist_add(&def.env_inherit, "LANG");
	def_strlist_add(&def.env_inherit, "LC_*");
	def_strlist_add(&def.env_inherit, "DYLD_*");
	env_set_add(&def, "CI", "1");
	env_set_add(&def, "DYLD_LIBRARY_PATH", "/x");
	memset(&req, 0, sizeof(req));
	req.def = &def;
	req.envp = (char *const *)caller;

	/* "home": "real": HOME stays, no CFFIXED_USER_HOME. */
	seatbelt_plan_init(&plan);
	seatbelt_env_build(&req, "/Users/me", NULL, "/x/tmp/", &plan);
	assert_string_equal(strv_find(plan.envp, "HOME="), "HOME=/Users/me");
	assert_null(strv_find(plan.envp, "CFFIXED_USER_HOME="));
	assert_string_equal(strv_find(plan.envp, "TMPDIR="), "TMPDIR=/x/tmp/");
	assert_string_equal(strv_find(plan.envp, "LANG="), "LANG=en_US.UTF-8");
	assert_string_equal(strv_find(plan.envp, "LC_ALL="), "LC_ALL=C");
	assert_string_equal(strv_find(plan.envp, "CI="), "CI=1");
	assert_string_equal(strv_find(plan.envp, "SBOX_CONTAINER="),
			    "SBOX_CONTAINER=web");
	/* Neither an inherited nor a set DYLD_* comes through. */
	assert_null(strv_find(plan.envp, "DYLD_"));
	assert_null(strv_find(plan.envp, "SECRET_TOKEN="));
	/* PATH was not inherited: the shared scrub gives one. */
	assert_non_null(strv_find(plan.envp, "PATH=/"));
	assert_null(strv_find(plan.envp, "PATH=/nowhere"));
	assert_null(plan.envp[plan.nenv]);
	seatbelt_plan_release(&plan);

	/* The container home: both variables. */
	seatbelt_plan_init(&plan);
	seatbelt_env_build(&req, "/h", "/h", "/h/tmp/", &plan);
	assert_string_equal(strv_find(plan.envp, "HOME="), "HOME=/h");
	assert_string_equal(strv_find(plan.envp, "CFFIXED_USER_HOME="),
			    "CFFIXED_USER_HOME=/h");
	seatbelt_plan_release(&plan);
	def_release(&def);
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
		cmocka_unit_test(test_canon_path),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_imports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
