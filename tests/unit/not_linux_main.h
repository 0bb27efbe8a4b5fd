/*
 * The whole program of a Linux-only unit test on other systems: one test
 * that reports itself skipped. Included in the test's "#else" branch of
 * "#ifdef __linux__" (test_seccomp.c, test_seccomp_eval.c,
 * test_seccomp_refusal.c).
 */
#ifndef SBOX_TESTS_UNIT_NOT_LINUX_MAIN_H
#define SBOX_TESTS_UNIT_NOT_LINUX_MAIN_H

#include "unit/testutil.h"

static void
test_not_linux(void **state)
{
	(void)state;
	skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_linux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
