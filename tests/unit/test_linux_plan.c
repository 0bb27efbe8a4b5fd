/* The Linux plan: rights, mounts, network and notes from a definition. */
#include "unit/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "backend/env_scrub.h"
#ifdef __linux__
#include "backend/linux/landlock_linux.h"
#endif
#include "backend/linux/linux_plan.h"
#include "def/def_access.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const struct lplan_path *
must_find(const struct linux_plan *plan, const char *path)
{
	const struct lplan_path *p = linux_plan_find(plan, path);

	assert_non_null(p);
	return p;
}

static void
build(struct linux_plan *plan, const struct container_def *d)
{
	struct sbox_err err = SBOX_ERR_INIT;

	linux_plan_init(plan);
	assert_int_equal(linux_plan_build(plan, d, "/s/c/Data", "/s/c/Data/tmp",
					  &err), 0);
}

static void
test_most_specific_wins(void **state)
{
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "/home/u");
	def_pathlist_append(&d.fs_deny, "/home/u/.ssh");
	def_pathlist_append(&d.fs_read, "/home/u/.ssh/pub");
	def_pathlist_append(&d.fs_write, "/home/u/proj/");
	def_pathlist_append(&d.fs_read, "/home/u/proj/docs");
	def_pathlist_append(&d.fs_exec, "/opt/tool");
	build(&plan, &d);
	assert_int_equal(must_find(&plan, "/home/u")->access, LP_READ);
	assert_int_equal(must_find(&plan, "/home/u")->mount, LPM_BIND_RO);
	/* deny inside a readable tree: no rights, an empty mask */
	assert_int_equal(must_find(&plan, "/home/u/.ssh")->access, 0);
	assert_int_equal(must_find(&plan, "/home/u/.ssh")->mount, LPM_MASK);
	/* re-allowed beneath the deny: bound again over the mask */
	assert_int_equal(must_find(&plan, "/home/u/.ssh/pub")->access, LP_READ);
	assert_int_equal(must_find(&plan, "/home/u/.ssh/pub")->mount,
			 LPM_BIND_RO);
	/* trailing slash normalised; write implies read */
	assert_int_equal(must_find(&plan, "/home/u/proj")->access,
			 LP_READ | LP_WRITE);
	assert_int_equal(must_find(&plan, "/home/u/proj")->mount, LPM_BIND_RW);
	/* read listed inside a writable tree is read-only: the most
	 * specific listing decides every right (a read-only bind) */
	assert_int_equal(must_find(&plan, "/home/u/proj/docs")->access,
			 LP_READ);
	assert_int_equal(must_find(&plan, "/home/u/proj/docs")->mount,
			 LPM_BIND_RO);
	assert_int_equal(must_find(&plan, "/home/u/proj/docs")->flags,
			 LPF_READONLY);
	/* exec implies read */
	assert_int_equal(must_find(&plan, "/opt/tool")->access,
			 LP_READ | LP_EXEC);
	/* the container's Data/ is writable and HOME */
	assert_int_equal(must_find(&plan, "/s/c/Data")->mount, LPM_BIND_RW);
	assert_string_equal(plan.home, "/s/c/Data");
	/* the launcher's own mounts */
	assert_int_equal(must_find(&plan, "/tmp")->mount, LPM_TMPFS);
	assert_int_equal(must_find(&plan, "/dev")->mount, LPM_DEV);
	assert_int_equal(must_find(&plan, "/proc")->mount, LPM_PROC);
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_deny_beats_allow_at_equal_specificity(void **state)
{
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "/srv");
	def_pathlist_append(&d.fs_write, "/srv/x");
	def_pathlist_append(&d.fs_deny, "/srv/x");
	def_pathlist_append(&d.fs_deny, "/nowhere");
	build(&plan, &d);
	assert_int_equal(must_find(&plan, "/srv/x")->access, 0);
	assert_int_equal(must_find(&plan, "/srv/x")->mount, LPM_MASK);
	/* a deny outside every visible tree needs no mask */
	assert_int_equal(must_find(&plan, "/nowhere")->mount, LPM_NONE);
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_parent_before_children(void **state)
{
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "/a/b");
	def_pathlist_append(&d.fs_read, "/a-b");
	def_pathlist_append(&d.fs_write, "/a");
	def_pathlist_append(&d.fs_read, "/a/b/c");
	build(&plan, &d);
	for (size_t i = 0; i < plan.npaths; i++)
		for (size_t j = i + 1; j < plan.npaths; j++)
			assert_false(linux_plan_beneath(plan.paths[j].path,
							plan.paths[i].path) &&
				     strcmp(plan.paths[j].path, plan.paths[i].path));
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_network_modes(void **state)
{
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	d.network = DEF_NET_NONE;
	build(&plan, &d);
	assert_true(plan.namespaces & LPNS_NET);
	assert_false(plan.loopback_up);
	assert_true(plan.tcp_bind_handled && plan.tcp_connect_handled);
	linux_plan_release(&plan);

	d.network = DEF_NET_LOCALHOST;
	build(&plan, &d);
	assert_true((plan.namespaces & LPNS_NET) && plan.loopback_up);
	linux_plan_release(&plan);

	d.network = DEF_NET_OUTBOUND;
	build(&plan, &d);
	assert_false(plan.namespaces & LPNS_NET);
	assert_true(plan.tcp_bind_handled && !plan.tcp_connect_handled);
	assert_true(plan.needs & LPN_LANDLOCK_TCP);
	linux_plan_release(&plan);

	d.network = DEF_NET_PORTS;
	ALLOC_GROW(d.net_outbound.v, 1, d.net_outbound.alloc);
	d.net_outbound.v[d.net_outbound.nr++] = 443;
	build(&plan, &d);
	assert_true(plan.tcp_connect_handled);
	assert_int_equal(plan.tcp_connect.nr, 1);
	assert_int_equal(plan.tcp_connect.v[0], 443);
	assert_int_equal(plan.tcp_bind.nr, 0);
	linux_plan_release(&plan);

	d.network = DEF_NET_ALL;
	build(&plan, &d);
	assert_false(plan.namespaces & LPNS_NET);
	assert_false(plan.tcp_bind_handled || plan.tcp_connect_handled);
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_bad_paths(void **state)
{
	struct container_def d;
	struct linux_plan plan;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "relative/path");
	linux_plan_init(&plan);
	assert_int_equal(linux_plan_build(&plan, &d, NULL, NULL, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "not absolute"));
	linux_plan_release(&plan);
	free(d.fs_read.v[0].path);
	d.fs_read.v[0].path = xstrdup("/a/../etc");
	assert_int_equal(linux_plan_build(&plan, &d, NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, ".."));
	linux_plan_release(&plan);
	def_release(&d);
}

/* Issue 10 #1: the folders above a deny in a writable tree are pinned. */
static void
test_deny_in_writable_tree_pins(void **state)
{
	struct container_def d;
	struct linux_plan plan;
	const struct lplan_path *p;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_write, "/p");
	def_pathlist_append(&d.fs_deny, "/p/.git/hooks");
	def_pathlist_append(&d.fs_read, "/r");
	def_pathlist_append(&d.fs_deny, "/r/a/.env");
	build(&plan, &d);
	p = must_find(&plan, "/p/.git");
	assert_int_equal(p->mount, LPM_BIND_RW);
	assert_int_equal(p->flags, LPF_PIN | LPF_MUST_EXIST);
	assert_int_equal(p->access, LP_READ | LP_WRITE);
	p = must_find(&plan, "/p/.git/hooks");
	assert_int_equal(p->mount, LPM_MASK);
	assert_int_equal(p->flags, LPF_DENY | LPF_MUST_EXIST);
	/* a read-only tree: nothing can move or create anything there */
	p = must_find(&plan, "/r/a/.env");
	assert_int_equal(p->mount, LPM_MASK);
	assert_int_equal(p->flags, LPF_DENY);
	assert_null(linux_plan_find(&plan, "/r/a"));
	/* the folders above the writable tree are not pins */
	assert_int_equal(must_find(&plan, "/p")->flags, 0);
	linux_plan_release(&plan);
	/* nor is anything in the private /tmp, which stays a tmpfs */
	def_pathlist_append(&d.fs_write, "/tmp/t/rw");
	def_pathlist_append(&d.fs_deny, "/tmp/t/rw/x/denied");
	build(&plan, &d);
	assert_int_equal(must_find(&plan, "/tmp")->mount, LPM_TMPFS);
	assert_null(linux_plan_find(&plan, "/tmp/t"));
	assert_int_equal(must_find(&plan, "/tmp/t/rw/x")->flags,
			 LPF_PIN | LPF_MUST_EXIST);
	linux_plan_release(&plan);
	def_release(&d);
}

/* A merged /usr's links, without the host: /lib -> usr/lib, /bin -> usr/bin. */
static char *
fake_resolve(void *ctx, const char *path)
{
	(void)ctx;
	if (!strncmp(path, "/lib/", 5) || !strcmp(path, "/lib") ||
	    !strncmp(path, "/bin/", 5) || !strcmp(path, "/bin"))
		return xasprintf("/usr%s", path);
	return xstrdup(path);
}

static void
test_resolved_spellings(void **state)
{
	struct lplan_resolver res = { fake_resolve, NULL };
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	/* a deny through /lib under a grant of /usr */
	def_pathlist_append(&d.fs_read, "/usr");
	def_pathlist_append(&d.fs_deny, "/lib/x/secret");
	/* a grant through /bin, a deny of the same file under /usr */
	def_pathlist_append(&d.fs_exec, "/bin");
	def_pathlist_append(&d.fs_deny, "/usr/bin/dash");
	linux_plan_init(&plan);
	assert_int_equal(linux_plan_build_resolved(&plan, &d, "/s/c/Data",
						   "/s/c/Data/tmp", &res,
						   &err), 0);
	assert_null(linux_plan_find(&plan, "/lib/x/secret"));
	assert_int_equal(must_find(&plan, "/usr/lib/x/secret")->mount,
			 LPM_MASK);
	assert_int_equal(must_find(&plan, "/usr/lib/x/secret")->access, 0);
	assert_null(linux_plan_find(&plan, "/bin"));
	assert_int_equal(must_find(&plan, "/usr/bin")->access,
			 LP_READ | LP_EXEC);
	assert_int_equal(must_find(&plan, "/usr/bin/dash")->mount, LPM_MASK);
	/* the container's own /tmp, /dev, /proc are never resolved */
	assert_int_equal(must_find(&plan, "/tmp")->mount, LPM_TMPFS);
	linux_plan_release(&plan);
	def_release(&d);
}

/*
 * The plan decides as the definition means it (def_access_decide): a
 * read listing inside a write tree is read-only, an exec listing inside
 * one is read and exec, and both are read-only binds whose folders up to
 * the writable tree are pinned (they cannot be renamed away).
 */
static void
test_read_and_exec_in_write_follow_definition(void **state)
{
	static const struct {
		const char *path;
		unsigned right, cls;
	} checks[] = {
		{ "/srv/p/.git/hooks", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/.git/hooks/pre-commit", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/.git/hooks", LP_READ, DEF_ACC_READ },
		{ "/srv/p/.git/hooks", LP_EXEC, DEF_ACC_EXEC },
		{ "/srv/p/.git/config", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/.git/config", LP_READ, DEF_ACC_READ },
		{ "/srv/p/.git", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/bin", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/bin", LP_EXEC, DEF_ACC_EXEC },
		{ "/srv/p/bin/tool", LP_READ, DEF_ACC_READ },
		{ "/srv/p/src", LP_WRITE, DEF_ACC_WRITE },
		{ "/srv/p/src", LP_EXEC, DEF_ACC_EXEC },
	};
	struct container_def d;
	struct linux_plan plan;
	const struct lplan_path *p;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_write, "/srv/p");
	def_pathlist_append(&d.fs_read, "/srv/p/.git/hooks");
	def_pathlist_append(&d.fs_read, "/srv/p/.git/config");
	def_pathlist_append(&d.fs_exec, "/srv/p/bin");
	build(&plan, &d);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const char *path = checks[i].path;
		const struct lplan_path *rights = NULL;

		for (size_t j = 0; j < plan.npaths; j++)
			if (linux_plan_beneath(plan.paths[j].path, path))
				rights = &plan.paths[j];
		assert_non_null(rights);
		if (!!(rights->access & checks[i].right) !=
		    def_access_decide(&d, checks[i].cls, path))
			fail_msg("%s: right %u: plan %u, definition %d", path,
				 checks[i].right, rights->access,
				 def_access_decide(&d, checks[i].cls, path));
	}
	p = must_find(&plan, "/srv/p/.git/hooks");
	assert_int_equal(p->access, LP_READ);
	assert_int_equal(p->mount, LPM_BIND_RO);
	assert_int_equal(p->flags, LPF_READONLY);
	p = must_find(&plan, "/srv/p/bin");
	assert_int_equal(p->access, LP_READ | LP_EXEC);
	assert_int_equal(p->mount, LPM_BIND_RO);
	assert_int_equal(p->flags, LPF_READONLY);
	/* .git is pinned (a mount point: mv .git elsewhere fails) but no
	 * must-exist: a missing read-only path only warns */
	p = must_find(&plan, "/srv/p/.git");
	assert_int_equal(p->access, LP_READ | LP_WRITE);
	assert_int_equal(p->mount, LPM_BIND_RW);
	assert_int_equal(p->flags, LPF_PIN);
	/* the writable tree itself is a mount already, /srv no candidate */
	assert_int_equal(must_find(&plan, "/srv/p")->flags, 0);
	assert_null(linux_plan_find(&plan, "/srv"));
	linux_plan_release(&plan);

	/* a read listing inside an exec tree: Landlock cannot take exec
	 * away, so the plan keeps it and says so */
	def_pathlist_append(&d.fs_exec, "/srv/p");
	build(&plan, &d);
	assert_int_equal(must_find(&plan, "/srv/p/.git/hooks")->access,
			 LP_READ | LP_EXEC);
	assert_int_equal(must_find(&plan, "/srv/p/.git/hooks")->mount,
			 LPM_BIND_RO);
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_json_and_notes(void **state)
{
	struct container_def d;
	struct linux_plan plan;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "/home/u");
	def_pathlist_append(&d.fs_deny, "/home/u/.ssh");
	def_pathlist_append(&d.fs_exec, "/usr/bin");
	d.network = DEF_NET_OUTBOUND;
	build(&plan, &d);
	linux_plan_to_json(&plan, &sb);
	assert_non_null(strstr(sb.buf, "{\"path\": \"/home/u/.ssh\", \"mount\": "
			       "\"mask\", \"landlock\": []}"));
	assert_non_null(strstr(sb.buf, "\"own_namespace\": false"));
	assert_non_null(strstr(sb.buf, "\"tcp_connect\": \"any\", "
			       "\"tcp_bind\": []"));
	assert_non_null(strstr(sb.buf, "\"io_uring_setup\""));
	assert_non_null(strstr(sb.buf, "deny /home/u/.ssh inside an allowed tree"));
	assert_non_null(strstr(sb.buf, "UDP"));
	assert_non_null(strstr(sb.buf, "mmap(PROT_EXEC)"));
	strbuf_release(&sb);
	linux_plan_release(&plan);
	def_release(&d);
}

static void
test_env_scrub(void **state)
{
	struct container_def d;
	char e0[] = "PATH=/bin", e1[] = "SSH_AUTH_SOCK=/run/agent",
	     e2[] = "LC_ALL=C", e3[] = "LC_TIME=x", e4[] = "TOKEN=secret",
	     e5[] = "HOME=/root";
	char *envp[] = { e0, e1, e2, e3, e4, e5, NULL };
	char **env;

	(void)state;
	def_init(&d);
	def_strlist_add(&d.env_inherit, "PATH");
	def_strlist_add(&d.env_inherit, "LC_*");
	d.env_set = xcalloc(1, sizeof(*d.env_set));
	d.env_set[0].key = xstrdup("CI");
	d.env_set[0].value = xstrdup("1");
	d.nenv_set = 1;
	env = env_scrub(&d, envp, "/s/c/Data", "/s/c/Data/tmp");
	assert_string_equal(env_get(env, "PATH"), "/bin");
	assert_string_equal(env_get(env, "LC_ALL"), "C");
	assert_string_equal(env_get(env, "LC_TIME"), "x");
	assert_string_equal(env_get(env, "CI"), "1");
	assert_string_equal(env_get(env, "HOME"), "/s/c/Data");
	assert_string_equal(env_get(env, "TMPDIR"), "/s/c/Data/tmp");
	assert_null(env_get(env, "SSH_AUTH_SOCK"));
	assert_null(env_get(env, "TOKEN"));
	env_free(env);
	def_release(&d);
}

#ifdef __linux__
/* What each network mode needs from Landlock, and the exit-3 decision. */
static void
test_landlock_needs(void **state)
{
	struct container_def d;
	struct linux_plan plan;

	(void)state;
	def_init(&d);
	d.network = DEF_NET_NONE;
	build(&plan, &d);
	assert_int_equal(landlock_missing(&plan, 0), LPN_LANDLOCK_FS);
	assert_int_equal(landlock_missing(&plan, 1), 0);
	linux_plan_release(&plan);
	d.network = DEF_NET_OUTBOUND;
	build(&plan, &d);
	assert_int_equal(landlock_missing(&plan, 3),
			 LPN_LANDLOCK_TCP | LPN_LANDLOCK_SCOPE);
	assert_int_equal(landlock_missing(&plan, 5), LPN_LANDLOCK_SCOPE);
	assert_int_equal(landlock_missing(&plan, 6), 0);
	linux_plan_release(&plan);
	d.network = DEF_NET_ALL;
	build(&plan, &d);
	assert_int_equal(landlock_missing(&plan, 4), LPN_LANDLOCK_SCOPE);
	linux_plan_release(&plan);
	def_release(&d);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_most_specific_wins),
		cmocka_unit_test(test_deny_beats_allow_at_equal_specificity),
		cmocka_unit_test(test_parent_before_children),
		cmocka_unit_test(test_network_modes),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_deny_in_writable_tree_pins),
		cmocka_unit_test(test_resolved_spellings),
		cmocka_unit_test(test_read_and_exec_in_write_follow_definition),
		cmocka_unit_test(test_json_and_notes),
		cmocka_unit_test(test_env_scrub),
#ifdef __linux__
		cmocka_unit_test(test_landlock_needs),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
