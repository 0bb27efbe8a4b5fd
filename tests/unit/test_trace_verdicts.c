/*
 * The verdict memo of --trace (trace_verdicts.h): keys that differ only
 * in the need, the folder or where folder and path meet are different
 * entries; an entry keeps what the plan and the host said; the memo stays
 * bounded. And the path model it keys: trace_plan_absolute.
 */
#include "unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/trace_plan.h"
#include "backend/trace_verdicts.h"
#include "util/xalloc.h"

static void
test_find_what_was_added(void **state)
{
	struct trace_verdicts v;
	struct trace_verdict *e;

	(void)state;
	trace_verdicts_init(&v);
	assert_null(trace_verdicts_find(&v, TN_READ, "", "/etc/passwd"));
	e = trace_verdicts_add(&v, TN_READ, "", "/etc/passwd",
			       xstrdup("/etc/passwd"), NULL);
	assert_ptr_equal(trace_verdicts_find(&v, TN_READ, "", "/etc/passwd"), e);
	assert_string_equal(e->path, "/etc/passwd");
	assert_null(e->plan_how);
	assert_int_equal(e->host_known, 0);
	e = trace_verdicts_add(&v, TN_META, "/root", "x", xstrdup("/root/x"),
			       TRACE_HIDDEN);
	e->host_known = 1;
	e->how = TRACE_HIDDEN;
	e = trace_verdicts_find(&v, TN_META, "/root", "x");
	assert_non_null(e);
	assert_string_equal(e->plan_how, TRACE_HIDDEN);
	assert_int_equal(e->host_known, 1);
	assert_string_equal(e->how, TRACE_HIDDEN);
	assert_int_equal(v.nr, 2);
	trace_verdicts_release(&v);
	assert_null(trace_verdicts_find(&v, TN_READ, "", "/etc/passwd"));
}

static void
test_keys_are_distinct(void **state)
{
	struct trace_verdicts v;

	(void)state;
	trace_verdicts_init(&v);
	trace_verdicts_add(&v, TN_META, "/a", "b/c", xstrdup("/a/b/c"), NULL);
	/* another need, another folder, the same bytes split elsewhere */
	assert_null(trace_verdicts_find(&v, TN_WRITE, "/a", "b/c"));
	assert_null(trace_verdicts_find(&v, TN_META, "/a/b", "c"));
	assert_null(trace_verdicts_find(&v, TN_META, "/ab", "/c"));
	assert_null(trace_verdicts_find(&v, TN_META, "", "/a/b/c"));
	assert_null(trace_verdicts_find(&v, TN_META, "/a", "b/c/"));
	assert_non_null(trace_verdicts_find(&v, TN_META, "/a", "b/c"));
	/* added again (as after a change): one entry, the newer answer */
	trace_verdicts_add(&v, TN_META, "/a", "b/c", NULL, TRACE_HIDDEN);
	assert_int_equal(v.nr, 1);
	assert_null(trace_verdicts_find(&v, TN_META, "/a", "b/c")->path);
	assert_string_equal(trace_verdicts_find(&v, TN_META, "/a", "b/c")->plan_how,
			    TRACE_HIDDEN);
	trace_verdicts_release(&v);
}

static void
test_bounded(void **state)
{
	struct trace_verdicts v;
	char raw[64];
	char *big = xmalloc(4000);

	(void)state;
	trace_verdicts_init(&v);
	for (int i = 0; i < 3 * TRACE_VERDICTS_MAX; i++) {
		snprintf(raw, sizeof(raw), "/x/%d", i);
		trace_verdicts_add(&v, TN_READ, "", raw, xstrdup(raw), NULL);
		assert_true(v.nr <= TRACE_VERDICTS_MAX);
	}
	assert_int_equal(v.starts_over, 2);
	/* the newest is still there, the first are gone */
	assert_non_null(trace_verdicts_find(&v, TN_READ, "", raw));
	assert_null(trace_verdicts_find(&v, TN_READ, "", "/x/0"));
	trace_verdicts_release(&v);

	/* long paths: bounded in bytes too */
	memset(big, 'a', 3999);
	big[0] = '/';
	big[3999] = '\0';
	trace_verdicts_init(&v);
	for (int i = 0; i < 3000; i++) {
		snprintf(big + 1, 12, "%08d", i);
		big[9] = 'a';
		trace_verdicts_add(&v, TN_READ, "", big, xstrdup(big), NULL);
		assert_true(v.bytes <= TRACE_VERDICTS_BYTES);
	}
	assert_true(v.starts_over >= 1);
	trace_verdicts_release(&v);
	free(big);
}

static void
check_absolute(const char *base, const char *path, const char *want)
{
	char *got = trace_plan_absolute(base, path);

	assert_string_equal(got, want);
	free(got);
}

static void
test_absolute(void **state)
{
	(void)state;
	check_absolute("/home/u/proj", "../bench.json", "/home/u/bench.json");
	check_absolute("/home/u/proj", "../../../../etc", "/etc");
	check_absolute("/home/u/proj", "./a//b/.", "/home/u/proj/a/b");
	check_absolute("/home/u/proj", "..", "/home/u");
	check_absolute("/home/u/proj", "/etc/../root/./x", "/root/x");
	check_absolute("/", "..", "/");
	check_absolute("/", "/..", "/");
	check_absolute("/a", "b/../../..", "/");
	check_absolute("/a", ".", "/a");
	check_absolute("/a", "...", "/a/...");
	check_absolute("/a", "..b/c", "/a/..b/c");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_what_was_added),
		cmocka_unit_test(test_keys_are_distinct),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_absolute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
