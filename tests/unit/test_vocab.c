#include "unit/testutil.h"

#include <string.h>

#include "policy/vocab.h"

static void
test_releases(void **state)
{
	(void)state;
	assert_non_null(vocab_for_release("10.12"));
	assert_string_equal(vocab_release_name(vocab_for_release("10.15.7")), "10.15");
	assert_string_equal(vocab_release_name(vocab_for_release("14")), "14");
	assert_string_equal(vocab_release_name(vocab_for_release("11")), "11");
	assert_string_equal(vocab_release_name(vocab_for_release("15.2")), "15");
	assert_ptr_equal(vocab_for_release("26.1"), vocab_latest());
	assert_ptr_equal(vocab_for_release("10.16"), vocab_latest());
	/* an operation added after 10.15 is in 11 and later, not in 10.15 */
	assert_null(vocab_op_find(vocab_for_release("10.15"), "syscall-mig"));
	assert_non_null(vocab_op_find(vocab_for_release("11"), "syscall-mig"));
	assert_non_null(vocab_op_find(vocab_for_release("15"), "file-read-data"));
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

/* Every listed operation is found by its name, as the same struct, and
 * its fallback chain reaches "default" within the release (10.12 too,
 * although the sierra dump omits "default"). */
static void
test_every_op(void **state)
{
	static const char *const rels[] = { "10.12", "10.13", "10.14",
					    "10.15", "11", "12", "13", "14",
					    "15", "latest" };

	(void)state;
	for (size_t r = 0; r < sizeof(rels) / sizeof(rels[0]); r++) {
		const struct vocab *v = vocab_for_release(rels[r]);
		size_t n = vocab_op_count(v);

		assert_null(vocab_op_at(v, n));
		for (size_t i = 0; i < n; i++) {
			const struct vocab_op *op = vocab_op_at(v, i), *p = op;
			const char *target;
			int hops = 0;

			assert_non_null(op);
			assert_non_null(op->modifiers);
			if (vocab_op_alias(v, op->name, &target))
				continue; /* an alias wins: sysctl-write... */
			assert_ptr_equal(vocab_op_find(v, op->name), op);
			if (i > 0)
				assert_true(strcmp(vocab_op_at(v, i - 1)->name, op->name) < 0);
			while (p && p->fallback && hops++ < 10)
				p = vocab_op_find(v, p->fallback);
			assert_non_null(p);
			assert_string_equal(p->name, "default");
		}
	}
}

/* The first and last rows of the sorted tables, and names that are
 * prefixes of other names. */
static void
test_table_edges(void **state)
{
	const struct vocab *v = vocab_latest();
	struct vocab_filter f;
	long long val = 0;

	(void)state;
	assert_true(vocab_filter_find(v, "%entitlement-boolean", &f));
	assert_int_equal(f.type, VOCAB_ARG_BOOL);
	assert_string_equal(f.category, "process");
	assert_null(f.named_table);
	assert_true(vocab_filter_find(v, "xpc-service-name", &f));
	assert_string_equal(f.category, "mach");
	assert_true(vocab_filter_find(v, "global-name", &f));
	assert_string_equal(f.base, "global-name");
	assert_false(vocab_filter_find(v, "global-nam", &f));
	assert_false(vocab_filter_find(v, "global-name-", &f));
	/* newer than 10.15 */
	assert_true(vocab_filter_find(v, "mac-syscall-number", &f));
	assert_string_equal(f.category, "any");
	assert_false(vocab_filter_find(vocab_for_release("10.15"),
				       "mac-syscall-number", &f));
	assert_true(vocab_named_arg_find("csr_args", "CSR_ALLOW_ANY_RECOVERY_OS", &val));
	assert_int_equal(val, 256);
	assert_true(vocab_named_arg_find("vnode_type_args", "TTY", &val));
	assert_int_equal(val, 65535);
	assert_false(vocab_named_arg_find("vnode_type_args", "TT", &val));
	assert_false(vocab_named_arg_find("zzz", "TTY", &val));
	assert_false(vocab_named_arg_find(NULL, "TTY", &val));
	assert_true(vocab_named_arg_known("TTY"));
	assert_string_equal(vocab_op_at(v, 0)->name, "appleevent-send");
	assert_null(vocab_op_find(v, "appleevent-sen"));
	assert_null(vocab_op_find(v, "zzz"));
}

static void
test_modifier_fields(void **state)
{
	const struct vocab_modifier *m;

	(void)state;
	m = vocab_modifier_find("send-signal");
	assert_string_equal(m->name, "send-signal");
	assert_int_equal(m->min_args, 1);
	assert_int_equal(m->max_args, 1);
	assert_false(m->deprecated);
	m = vocab_modifier_find("partial-symbolication");
	assert_true(m->deprecated);
	assert_int_equal(m->max_args, 0);
	assert_ptr_equal(vocab_modifier_find("no-profile"), vocab_modifier_find("no-sandbox"));
	assert_int_equal(vocab_modifier_find("no-profile")->action, VOCAB_MOD_ALLOW_ONLY);
	assert_int_equal(vocab_modifier_find("termination")->action, VOCAB_MOD_ANY);
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
		cmocka_unit_test(test_every_op),
		cmocka_unit_test(test_table_edges),
		cmocka_unit_test(test_modifier_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
