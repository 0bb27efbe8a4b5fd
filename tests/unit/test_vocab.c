#include "unit/testutil.h"

#include <string.h>

#include "policy/vocab.h"

static void
test_releases(void **state)
{
	(void)state;
	assert_non_null(vocab_for_release("10.12"));
	assert_string_equal(vocab_release_name(vocab_for_release("10.15.7")), "10.15");
	assert_ptr_equal(vocab_for_release("14"), vocab_latest());
	assert_ptr_equal(vocab_for_release("26.1"), vocab_latest());
	assert_ptr_equal(vocab_for_release(NULL), vocab_latest());
	assert_null(vocab_for_release("10.9"));
	assert_null(vocab_for_release("banana"));
	assert_null(vocab_for_release("10."));
}

static void
test_ops_and_fallbacks(void **state)
{
	const struct vocab *v = vocab_latest();
	const struct vocab_op *op;

	(void)state;
	op = vocab_op_find(v, "file-read-data");
	assert_non_null(op);
	assert_string_equal(op->fallback, "file-read*");
	op = vocab_op_find(v, "network-bind");
	assert_string_equal(op->fallback, "network-inbound");
	op = vocab_op_find(v, "default");
	assert_null(op->fallback);
	assert_int_equal(op->builtin, VOCAB_BUILTIN_DENY);
	/* §a.4: not covered by (deny default) */
	assert_int_equal(vocab_op_find(v, "process-info*")->builtin, VOCAB_BUILTIN_ALLOW);
	assert_int_equal(vocab_op_find(v, "file-read*")->builtin, VOCAB_BUILTIN_NONE);
	/* aliases resolve to the canonical operation */
	assert_string_equal(vocab_op_find(v, "process-exec")->name, "process-exec*");
	assert_string_equal(vocab_op_find(v, "sysctl-write")->name, "sysctl*");
	/* §b: newer than 10.15 */
	assert_non_null(vocab_op_find(v, "system-mac-syscall"));
	assert_null(vocab_op_find(vocab_for_release("10.15"), "system-mac-syscall"));
	/* syscall-unix appeared in 10.15 */
	assert_null(vocab_op_find(vocab_for_release("10.14"), "syscall-unix"));
	assert_non_null(vocab_op_find(vocab_for_release("10.15"), "syscall-unix"));
	/* no wildcard matching of names */
	assert_null(vocab_op_find(v, "file-re*"));
	assert_true(vocab_op_count(v) > 140);
	assert_non_null(vocab_op_at(v, 0));
}

static void
test_noop_alias(void **state)
{
	const char *target = "x";

	(void)state;
	assert_true(vocab_op_alias(vocab_for_release("10.15"), "system-chud", &target));
	assert_null(target);
	assert_false(vocab_op_alias(vocab_for_release("10.14"), "system-chud", &target));
	assert_non_null(vocab_op_find(vocab_for_release("10.14"), "system-chud"));
}

static void
test_filters(void **state)
{
	const struct vocab *v = vocab_latest();
	struct vocab_filter f;

	(void)state;
	assert_true(vocab_filter_find(v, "literal", &f));
	assert_string_equal(f.canonical, "literal");
	assert_string_equal(f.category, "path");
	assert_true(vocab_filter_find(v, "subpath", &f));
	assert_int_equal(f.match, VOCAB_MATCH_SUBPATH);
	assert_string_equal(f.canonical, "subpath");
	assert_true(vocab_filter_find(v, "path-regex", &f));
	assert_string_equal(f.canonical, "regex");
	assert_true(vocab_filter_find(v, "global-name-regex", &f));
	assert_string_equal(f.canonical, "global-name-regex");
	assert_string_equal(f.category, "mach");
	assert_true(vocab_filter_find(v, "mount-relative-regex", &f));
	assert_string_equal(f.base, "mount-relative-path");
	assert_true(vocab_filter_find(v, "iokit-user-client-class", &f));
	assert_string_equal(f.canonical, "iokit-registry-entry-class");
	assert_true(vocab_filter_find(v, "vnode-type", &f));
	assert_string_equal(f.named_table, "vnode_type_args");
	assert_false(vocab_filter_find(v, "vnode-type-regex", &f));
	assert_false(vocab_filter_find(v, "global-name-literal", &f));
	assert_false(vocab_filter_find(v, "no-such-filter", &f));
}

static void
test_categories_modifiers(void **state)
{
	const struct vocab *v = vocab_latest();
	const struct vocab_op *op = vocab_op_find(v, "mach-lookup");
	const struct vocab_modifier *m;

	(void)state;
	assert_true(vocab_op_accepts_category(op, "mach"));
	assert_false(vocab_op_accepts_category(op, "path"));
	assert_true(vocab_op_accepts_modifier(op, "report"));
	assert_true(vocab_op_accepts_modifier(vocab_op_find(v, "process-exec"), "no-sandbox"));
	assert_false(vocab_op_accepts_modifier(op, "no-sandbox"));
	m = vocab_modifier_find("no-log");
	assert_string_equal(m->name, "no-report");
	assert_int_equal(m->action, VOCAB_MOD_DENY_ONLY);
	assert_null(vocab_modifier_find("bogus"));
}

static void
test_named_args(void **state)
{
	long long val = 0;

	(void)state;
	assert_true(vocab_named_arg_find("vnode_type_args", "DIRECTORY", &val));
	assert_int_equal(val, 2);
	assert_false(vocab_named_arg_find("vnode_type_args", "AF_INET", &val));
	assert_true(vocab_named_arg_known("AF_INET"));
	assert_false(vocab_named_arg_known("NOT_A_CONSTANT"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_releases),
		cmocka_unit_test(test_ops_and_fallbacks),
		cmocka_unit_test(test_noop_alias),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_categories_modifiers),
		cmocka_unit_test(test_named_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
