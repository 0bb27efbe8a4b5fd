/* cli/explain.c: which system `sbox explain` answers for by default. */
#include "unit/testutil.h"

#include <string.h>

#include "cli/explain.h"

/* given, has_release, profile, from_trace */
static void
test_pick_target(void **state)
{
	(void)state;
	/* a definition: the system sbox runs on */
	assert_string_equal(explain_pick_target(NULL, 0, 0, 0),
			    SBOX_HOST_TARGET);
#ifdef __linux__
	assert_string_equal(explain_pick_target(NULL, 0, 0, 0), "linux");
#endif
	/* only the macOS model reads SBPL, knows releases, finds the rule
	 * a trace record cites */
	assert_string_equal(explain_pick_target(NULL, 0, 1, 0), "macos");
	assert_string_equal(explain_pick_target(NULL, 1, 0, 0), "macos");
	assert_string_equal(explain_pick_target(NULL, 0, 0, 1), "macos");
	/* --target as given, whatever else (conflicts are cmd_explain's) */
	assert_string_equal(explain_pick_target("linux", 0, 0, 0), "linux");
	assert_string_equal(explain_pick_target("macos", 0, 0, 0), "macos");
	assert_string_equal(explain_pick_target("linux", 0, 1, 1), "linux");
	assert_string_equal(explain_pick_target("bsd", 0, 0, 0), "bsd");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
