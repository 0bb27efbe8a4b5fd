/*
 * Resolve at launch what the kernel resolves (issue 9 §1), through the
 * real plan code (seatbelt_plan_build, def_resolve, sbpl_emit_def) over a
 * fake macOS tree of real symlinks built in a temporary folder on Linux:
 * every path the plan asks about is looked up under that folder. The
 * plan's profile is then evaluated and decided like any profile.
 *   Homebrew:  /opt/homebrew/bin/git -> ../Cellar/git/2.47.0/bin/git
 *   Python:    /opt/homebrew/bin/python3 -> a framework's bin/python3.12,
 *              which starts Resources/Python.app/Contents/MacOS/Python
 *   Xcode:     /var/db/xcode_select_link -> /Applications/Xcode_16.app/...
 *   traps:     /usr/local/bin/peek -> ~/.ssh/id (denied), a link planted
 *              in the writable container (never followed)
 */
#include "unit/testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/macos/seatbelt.h"
#include "def/def_access.h"
#include "policy/decide.h"
#include "policy/vocab.h"
#include "sbpl/emit.h"
#include "sbpl/sbpl.h"
#include "util/xalloc.h"

static char root[256]; /* the fake tree */
static int warned;

static char *
under_root(const char *path)
{
	return xasprintf("%s%s", root, path);
}

static char *
t_realpath(void *ctx, const char *path)
{
	char *full = under_root(path), *r = realpath(full, NULL), *out = NULL;
	size_t n = strlen(root);

	(void)ctx;
	free(full);
	if (!r)
		return NULL;
	if (!strncmp(r, root, n) && (r[n] == '/' || !r[n]))
		out = xstrdup(r[n] ? r + n : "/");
	else
		errno = ENOENT;
	free(r);
	return out;
}

static int
t_list_dir(void *ctx, const char *path, struct def_strlist *names)
{
	char *full = under_root(path);
	int rc = seatbelt_list_dir(ctx, full, names);

	free(full);
	return rc;
}

static int
t_read_file(void *ctx, const char *path, struct strbuf *out)
{
	(void)ctx;
	(void)path;
	(void)out;
	errno = ENOENT;
	return -1;
}

static uid_t t_uid(void *ctx) { (void)ctx; return 501; }
static gid_t t_gid(void *ctx) { (void)ctx; return 20; }

static const struct darwin_sys tree_sys = {
	.getuid = t_uid, .geteuid = t_uid, .getgid = t_gid, .getegid = t_gid,
	.realpath = t_realpath, .read_file = t_read_file, .list_dir = t_list_dir,
	.resolve = def_resolve, .emit = sbpl_emit_def,
};

static void
mkfile(const char *rel)
{
	char *p = under_root(rel), *cmd;

	cmd = xasprintf("mkdir -p \"$(dirname '%s')\" && touch '%s'", p, p);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(p);
}

static void
mklink(const char *rel, const char *target)
{
	char *p = under_root(rel), *cmd;

	cmd = xasprintf("mkdir -p \"$(dirname '%s')\" && ln -sfn '%s' '%s'", p,
			target, p);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(p);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s/sbox-links.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	mkfile("/private/var/tmp/.keep");
	mkfile("/private/etc/.keep");
	mklink("/var", "private/var");
	mklink("/tmp", "private/var/tmp");
	mklink("/etc", "private/etc");
	mkfile("/usr/bin/xcrun");
	mkfile("/usr/bin/make");
	mkfile("/opt/homebrew/Cellar/git/2.47.0/bin/git");
	mklink("/opt/homebrew/bin/git", "../Cellar/git/2.47.0/bin/git");
	mkfile("/opt/homebrew/Cellar/python@3.12/3.12.7/Frameworks/Python.framework/"
	       "Versions/3.12/bin/python3.12");
	mkfile("/opt/homebrew/Cellar/python@3.12/3.12.7/Frameworks/Python.framework/"
	       "Versions/3.12/Resources/Python.app/Contents/MacOS/Python");
	mklink("/opt/homebrew/bin/python3",
	       "../Cellar/python@3.12/3.12.7/Frameworks/Python.framework/"
	       "Versions/3.12/bin/python3.12");
	mkfile("/Applications/Xcode_16.app/Contents/Info.plist");
	mkfile("/Applications/Xcode_16.app/Contents/Developer/usr/bin/clang");
	mkfile("/Applications/Xcode_15.app/Contents/Developer/usr/bin/clang");
	mklink("/private/var/db/xcode_select_link",
	       "../../../Applications/Xcode_16.app/Contents/Developer");
	mkfile("/Users/me/.ssh/id");
	mklink("/usr/local/bin/peek", "../../../Users/me/.ssh/id");
	mkfile("/Users/me/notes/secret");
	mkfile("/Users/me/src/app/Makefile");
	mkfile("/Users/me/Data/tmp/.keep");
	mklink("/Users/me/Data/bin/planted", "../../notes/secret");
	mkfile("/Users/me/tools/real-tool");
	mkfile("/Users/me/tools/nested-tool");
	mklink("/opt/tools/sub/run", "../../../Users/me/tools/nested-tool");
	mklink("/usr/local/bin/tool", "../../../Users/me/tools/real-tool");
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* The test definition: shims and Homebrew may run, the container is
 * writable (and has a folder of links of its own), ~/.ssh is denied. */
static void
make_def(struct container_def *d, int shims, int project)
{
	def_init(d);
	d->name = xstrdup("links");
	def_pathlist_append(&d->fs_read, "/usr");
	def_pathlist_append(&d->fs_read, "/opt/homebrew");
	if (project)
		def_pathlist_append(&d->fs_read, "${PROJECT}");
	if (shims)
		def_pathlist_append(&d->fs_exec, "/usr/bin");
	def_pathlist_append(&d->fs_exec, "/opt/homebrew/bin");
	def_pathlist_append(&d->fs_exec, "/usr/local/bin");
	def_pathlist_append(&d->fs_exec, "${CONTAINER}/bin");
	def_pathlist_append(&d->fs_exec, "/opt/tools");
	def_pathlist_append(&d->fs_write, "${CONTAINER}");
	def_pathlist_append(&d->fs_deny, "~/.ssh");
}

static void
warn_cb(const char *msg)
{
	(void)msg;
	warned++;
}

/* Build the plan and evaluate its profile. */
static void
plan_policy(const struct container_def *d, char *const *envp,
	    const char *program, struct seatbelt_plan *plan, struct policy *pol)
{
	char *const argv[] = { (char *)program, NULL };
	struct launch_request req = {
		.def = d, .data_dir = "/Users/me/Data",
		.project_dir = "/Users/me/src/app", .real_home = "/Users/me",
		.argv = argv, .envp = envp, .warn = warn_cb,
	};
	struct sbox_err err = SBOX_ERR_INIT;
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list diags;

	seatbelt_plan_init(plan);
	if (seatbelt_plan_build(&tree_sys, &req, plan, &err) < 0)
		fail_msg("plan: %s", err.msg);
	src_set_init(&srcs);
	diag_list_init(&diags);
	policy_init(pol, vocab_latest());
	o.strict_params = true;
	o.no_system_dirs = true;
	if (sbpl_eval_string("plan.sb", plan->profile, &o, &srcs, &diags, pol) < 0)
		fail_msg("the plan's profile does not evaluate");
	diag_list_release(&diags);
	src_set_release(&srcs);
}

static int
allows(const struct policy *p, const char *op, const char *path)
{
	struct decision d;
	struct sbox_err err = SBOX_ERR_INIT;

	if (policy_decide(p, op, path, &d, &err) < 0)
		fail_msg("decide: %s", err.msg);
	return d.action == POLICY_ALLOW;
}

static int
env_has(char *const *envp, const char *entry)
{
	for (size_t i = 0; envp && envp[i]; i++)
		if (!strcmp(envp[i], entry))
			return 1;
	return 0;
}

static void
test_links_resolved(void **state)
{
	struct container_def d;
	struct seatbelt_plan plan;
	struct policy p;
	static char path_env[] = "PATH=/usr/bin";
	char *const envp[] = { path_env, NULL };

	(void)state;
	make_def(&d, 1, 1);
	plan_policy(&d, envp, "/opt/homebrew/bin/git", &plan, &p);
	/* Homebrew: exec is checked on the Cellar path */
	assert_true(allows(&p, "process-exec", "/opt/homebrew/Cellar/git/2.47.0/bin/git"));
	assert_false(allows(&p, "process-exec", "/opt/homebrew/Cellar/other/1/bin/x"));
	/* Python framework stub and the app it starts */
	assert_true(allows(&p, "process-exec", "/opt/homebrew/Cellar/python@3.12/3.12.7/"
			   "Frameworks/Python.framework/Versions/3.12/bin/python3.12"));
	assert_true(allows(&p, "process-exec", "/opt/homebrew/Cellar/python@3.12/3.12.7/"
			   "Frameworks/Python.framework/Versions/3.12/Resources/"
			   "Python.app/Contents/MacOS/Python"));
	/* a link out of /usr/local/bin to a tool elsewhere */
	assert_true(allows(&p, "process-exec", "/Users/me/tools/real-tool"));
	/* the developer folder xcode-select chose, and its bundle's Info.plist */
	assert_true(allows(&p, "process-exec",
			   "/Applications/Xcode_16.app/Contents/Developer/usr/bin/clang"));
	assert_true(allows(&p, "file-read-data", "/Applications/Xcode_16.app/Contents/Info.plist"));
	assert_false(allows(&p, "process-exec",
			    "/Applications/Xcode_15.app/Contents/Developer/usr/bin/clang"));
	/* never: a target inside a denied path, or one planted in the container */
	assert_false(allows(&p, "file-read-data", "/Users/me/.ssh/id"));
	assert_false(allows(&p, "process-exec", "/Users/me/.ssh/id"));
	assert_false(allows(&p, "file-read-data", "/Users/me/notes/secret"));
	/* paths are literals: the launcher passes no parameters */
	assert_int_equal(plan.nparams, 0);
	/* the project is readable: the program starts there */
	assert_string_equal(plan.workdir, "/Users/me/src/app");
	/* the user's confstr folders are replaced by the container's own */
	assert_false(allows(&p, "file-write-create", "/private/var/folders/zz/abc/T/xcrun_db"));
	assert_true(env_has(plan.envp, "CLANG_MODULE_CACHE_PATH=/Users/me/Data/Library/Caches/clang/ModuleCache"));
	assert_true(env_has(plan.envp, "XDG_CACHE_HOME=/Users/me/Data/Library/Caches"));
	assert_true(env_has(plan.envp, "TMPDIR=/Users/me/Data/tmp/"));
	policy_release(&p);
	seatbelt_plan_release(&plan);
	def_release(&d);
}

static void
test_developer_dir_env(void **state)
{
	struct container_def d;
	struct seatbelt_plan plan;
	struct policy p;
	static char dev_env[] = "DEVELOPER_DIR=/Applications/Xcode_15.app/Contents/Developer";
	char *const envp[] = { dev_env, NULL };

	(void)state;
	make_def(&d, 1, 1);
	plan_policy(&d, envp, "/usr/bin/make", &plan, &p);
	assert_true(allows(&p, "process-exec",
			   "/Applications/Xcode_15.app/Contents/Developer/usr/bin/clang"));
	assert_false(allows(&p, "process-exec",
			    "/Applications/Xcode_16.app/Contents/Developer/usr/bin/clang"));
	policy_release(&p);
	seatbelt_plan_release(&plan);
	def_release(&d);
}

/* The program itself: a bare name found in PATH, below the granted folder
 * (the folder scan sees only its direct entries). */
static void
test_program_resolved(void **state)
{
	struct container_def d;
	struct seatbelt_plan plan;
	struct policy p;
	static char path_env[] = "PATH=/usr/bin:/opt/tools/sub";
	char *const envp[] = { path_env, NULL };

	(void)state;
	make_def(&d, 1, 1);
	plan_policy(&d, envp, "git", &plan, &p);
	assert_false(allows(&p, "process-exec", "/Users/me/tools/nested-tool"));
	policy_release(&p);
	seatbelt_plan_release(&plan);
	plan_policy(&d, envp, "run", &plan, &p);
	assert_true(allows(&p, "process-exec", "/Users/me/tools/nested-tool"));
	policy_release(&p);
	seatbelt_plan_release(&plan);
	plan_policy(&d, envp, "/opt/tools/sub/run", &plan, &p);
	assert_true(allows(&p, "process-exec", "/Users/me/tools/nested-tool"));
	policy_release(&p);
	seatbelt_plan_release(&plan);
	def_release(&d);
}

static void
test_no_shims_no_developer_dir(void **state)
{
	struct container_def d;
	struct seatbelt_plan plan;
	struct policy p;
	char *const envp[] = { NULL };

	(void)state;
	make_def(&d, 0, 0);
	warned = 0;
	plan_policy(&d, envp, "/opt/homebrew/bin/git", &plan, &p);
	assert_false(allows(&p, "process-exec",
			    "/Applications/Xcode_16.app/Contents/Developer/usr/bin/clang"));
	/* the project is not readable: the program starts in its home */
	assert_string_equal(plan.workdir, "/Users/me/Data");
	assert_int_equal(warned, 1);
	policy_release(&p);
	seatbelt_plan_release(&plan);
	def_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_resolved),
		cmocka_unit_test(test_developer_dir_env),
		cmocka_unit_test(test_program_resolved),
		cmocka_unit_test(test_no_shims_no_developer_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
