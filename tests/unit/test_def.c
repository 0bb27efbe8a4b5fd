/* Definition loader: JSON and plist, extends, to_json round trip, resolve. */
#include "unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "def/def.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char tmpdir[] = "/tmp/sbox-test-def.XXXXXX";

static char *
write_tmp(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Sources of the last load, kept so that locations stay valid. */
static struct src_set srcs;

/* Load; on failure render the diagnostics into msg. */
static int
load(const char *path, struct container_def *d, struct strbuf *msg)
{
	struct diag_list diags;
	int rc;

	src_set_release(&srcs);
	diag_list_init(&diags);
	rc = def_load(path, &srcs, &diags, d);
	if (msg) {
		diag_list_sort(&diags);
		for (size_t i = 0; i < diags.nr; i++)
			diag_render_text(&diags.v[i], msg);
	}
	diag_list_release(&diags);
	return rc;
}

static const char full_json[] =
	"{\n"
	"  \"name\": \"web-tests\",\n"
	"  \"identifier\": \"org.example.web-tests\",\n"
	"  \"program\": [\"/usr/bin/make\", \"test\"],\n"
	"  \"home\": \"container\",\n"
	"  \"template\": \"default\",\n"
	"  \"root\": null,\n"
	"  \"filesystem\": {\n"
	"    \"read\": [\"/usr\", \"/bin\", \"${PROJECT}\"],\n"
	"    \"write\": [\"${PROJECT}/build\"],\n"
	"    \"exec\": [\"/usr/bin\"],\n"
	"    \"deny\": [\"~/.ssh\", \"${PROJECT}/.git/hooks\"]\n"
	"  },\n"
	"  \"network\": {\"outbound\": [443, 80], \"bind\": [8080]},\n"
	"  \"environment\": {\"inherit\": [\"PATH\"], \"set\": {\"CI\": \"1\"}},\n"
	"  \"limits\": {\"cpu-seconds\": 600, \"open-files\": 1024},\n"
	"  \"macos\": {\"mach-lookup\": [\"com.apple.system.logger\"], \"min-version\": \"12.0\"},\n"
	"  \"sbpl\": {\"import\": [\"extra.sb\"], \"raw\": \"(allow sysctl-read)\"}\n"
	"}\n";

static void
test_json_full(void **state)
{
	struct container_def d;
	char *path = write_tmp("full.json", full_json);

	(void)state;
	assert_int_equal(load(path, &d, NULL), 0);
	assert_string_equal(d.name, "web-tests");
	assert_string_equal(d.identifier, "org.example.web-tests");
	assert_int_equal(d.program.nr, 2);
	assert_string_equal(d.program.v[1], "test");
	assert_int_equal(d.fs_read.nr, 3);
	assert_string_equal(d.fs_read.v[2].path, "${PROJECT}");
	assert_int_equal(d.fs_deny.nr, 2);
	assert_int_equal(d.network, DEF_NET_PORTS);
	assert_int_equal(d.net_outbound.nr, 2);
	assert_int_equal(d.net_outbound.v[1], 80);
	assert_int_equal(d.net_bind.v[0], 8080);
	assert_int_equal(d.limits.cpu_seconds, 600);
	assert_int_equal(d.limits.open_files, 1024);
	assert_string_equal(d.env_set[0].key, "CI");
	assert_string_equal(d.mach_lookup.v[0], "com.apple.system.logger");
	assert_string_equal(d.macos_min_version, "12.0");
	assert_string_equal(d.sbpl_raw, "(allow sysctl-read)");
	/* locations point at the value: "~/.ssh" on line 12, column 14 */
	{
		unsigned line, col;

		src_linecol(d.fs_deny.v[0].loc.file, d.fs_deny.v[0].loc.start, &line, &col);
		assert_int_equal(line, 12);
		assert_int_equal(col, 14);
		assert_int_equal(d.fs_deny.v[0].loc.end - d.fs_deny.v[0].loc.start, 8);
	}
	def_release(&d);
	free(path);
}

static void
test_to_json_roundtrip(void **state)
{
	struct container_def a, b;
	char *path = write_tmp("rt.json", full_json), *ja, *jb, *p2;

	(void)state;
	assert_int_equal(load(path, &a, NULL), 0);
	ja = def_to_json(&a);
	p2 = write_tmp("rt2.json", ja);
	assert_int_equal(load(p2, &b, NULL), 0);
	jb = def_to_json(&b);
	assert_string_equal(ja, jb);
	/* sorted keys and sorted path lists */
	assert_true(strstr(ja, "\"environment\"") < strstr(ja, "\"filesystem\""));
	assert_true(strstr(ja, "\"${PROJECT}\"") < strstr(ja, "\"/bin\""));
	def_release(&a);
	def_release(&b);
	free(ja);
	free(jb);
	free(path);
	free(p2);
}

static const char full_plist[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	"<plist version=\"1.0\">\n"
	"<dict>\n"
	"  <key>name</key><string>web-tests</string>\n"
	"  <key>identifier</key><string>org.example.web-tests</string>\n"
	"  <key>program</key><array><string>/usr/bin/make</string><string>test</string></array>\n"
	"  <key>home</key><string>container</string>\n"
	"  <key>template</key><string>default</string>\n"
	"  <key>filesystem</key>\n"
	"  <dict>\n"
	"    <key>read</key><array><string>/usr</string><string>/bin</string><string>${PROJECT}</string></array>\n"
	"    <key>write</key><array><string>${PROJECT}/build</string></array>\n"
	"    <key>exec</key><array><string>/usr/bin</string></array>\n"
	"    <key>deny</key><array><string>~/.ssh</string><string>${PROJECT}/.git/hooks</string></array>\n"
	"  </dict>\n"
	"  <key>network</key><dict><key>outbound</key><array><integer>443</integer><integer>80</integer></array>"
	"<key>bind</key><array><integer>8080</integer></array></dict>\n"
	"  <key>environment</key><dict><key>inherit</key><array><string>PATH</string></array>"
	"<key>set</key><dict><key>CI</key><string>1</string></dict></dict>\n"
	"  <key>limits</key><dict><key>cpu-seconds</key><integer>600</integer><key>open-files</key><integer>1024</integer></dict>\n"
	"  <key>macos</key><dict><key>mach-lookup</key><array><string>com.apple.system.logger</string></array>"
	"<key>min-version</key><string>12.0</string></dict>\n"
	"  <key>sbpl</key><dict><key>import</key><array><string>extra.sb</string></array>"
	"<key>raw</key><string>(allow sysctl-read)</string></dict>\n"
	"</dict>\n"
	"</plist>\n";

static void
test_plist_equals_json(void **state)
{
	struct container_def a, b;
	char *pj = write_tmp("same.json", full_json);
	char *pp = write_tmp("same.plist", full_plist);
	char *ja, *jb;
	struct strbuf msg = STRBUF_INIT;

	(void)state;
	assert_int_equal(load(pj, &a, NULL), 0);
	if (load(pp, &b, &msg) != 0)
		fail_msg("%s", msg.buf);
	ja = def_to_json(&a);
	jb = def_to_json(&b);
	assert_string_equal(ja, jb);
	def_release(&a);
	def_release(&b);
	free(ja);
	free(jb);
	free(pj);
	free(pp);
	strbuf_release(&msg);
}

static void
test_extends_files(void **state)
{
	struct container_def d;
	char *base = write_tmp("base1.json",
			       "{\"network\": \"localhost\", \"filesystem\": {\"read\": [\"/opt\"]},"
			       " \"limits\": {\"processes\": 9}}");
	char *child = write_tmp("child1.json",
				"{\"extends\": \"base1.json\", \"name\": \"c\","
				" \"filesystem\": {\"read\": [\"/srv\"]}, \"limits\": {\"processes\": 3}}");

	(void)state;
	assert_int_equal(load(child, &d, NULL), 0);
	assert_int_equal(d.network, DEF_NET_LOCALHOST);
	assert_int_equal(d.fs_read.nr, 2);
	assert_int_equal(d.limits.processes, 3); /* the child's value wins */
	def_release(&d);
	free(base);
	free(child);
}

static void
test_extends_cycle(void **state)
{
	struct container_def d;
	struct strbuf msg = STRBUF_INIT;
	char *a = write_tmp("cyc-a.json", "{\"extends\": [\"cyc-b.json\"]}");
	char *b = write_tmp("cyc-b.json", "{\n  \"extends\": [\"cyc-a.json\"]}");

	(void)state;
	assert_int_equal(load(a, &d, &msg), -1);
	assert_non_null(strstr(msg.buf, "cyc-b.json:2:15: error: extends cycle"));
	strbuf_release(&msg);
	free(a);
	free(b);
}

static void
test_extends_preset(void **state)
{
	struct container_def d;
	struct strbuf msg = STRBUF_INIT;
	char *p = write_tmp("preset.json", "{\"extends\": [\"no-network\"], \"name\": \"x\"}");

	(void)state;
	if (load(p, &d, &msg) != 0)
		fail_msg("%s", msg.buf);
	assert_true(d.has_network);
	assert_int_equal(d.network, DEF_NET_NONE);
	assert_true(d.fs_read.nr > 0);
	assert_null(d.identifier);
	assert_string_equal(d.name, "x");
	def_release(&d);
	strbuf_release(&msg);
	free(p);
}

static void
test_resolve(void **state)
{
	struct container_def d;
	struct def_vars vars = { "/home/u", "/data/c", "/src/p", NULL };
	struct sbox_err err = SBOX_ERR_INIT;
	char *p = write_tmp("res.json",
			    "{\"filesystem\": {\"read\": [\"~\", \"${PROJECT}/a//b/\", \"/x/\"],"
			    " \"write\": [\"${CONTAINER}/tmp\"], \"deny\": [\"${HOME}/.ssh\"]}}");
	char *q = write_tmp("res2.json", "{\"filesystem\": {\"write\": [\"${TMPDIR}/x\"]}}");

	(void)state;
	assert_int_equal(load(p, &d, NULL), 0);
	assert_int_equal(def_resolve(&d, &vars, &err), 0);
	assert_string_equal(d.fs_read.v[0].path, "/home/u");
	assert_string_equal(d.fs_read.v[1].path, "/src/p/a/b");
	assert_string_equal(d.fs_read.v[2].path, "/x");
	assert_string_equal(d.fs_write.v[0].path, "/data/c/tmp");
	assert_string_equal(d.fs_deny.v[0].path, "/home/u/.ssh");
	def_release(&d);
	assert_int_equal(load(q, &d, NULL), 0);
	assert_int_equal(def_resolve(&d, &vars, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "${TMPDIR}"));
	def_release(&d);
	free(p);
	free(q);
}

static int
setup(void **state)
{
	const char *top = getenv("TOP");

	(void)state;
	/* presets come from the source tree's profiles/ */
	setenv("SBOX_DATADIR", top ? top : ".", 1);
	src_set_init(&srcs);
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);

	(void)state;
	src_set_release(&srcs);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_full),
		cmocka_unit_test(test_to_json_roundtrip),
		cmocka_unit_test(test_plist_equals_json),
		cmocka_unit_test(test_extends_files),
		cmocka_unit_test(test_extends_cycle),
		cmocka_unit_test(test_extends_preset),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
