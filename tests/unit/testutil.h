/* Common includes for cmocka unit tests. */
#ifndef SBOX_TESTS_TESTUTIL_H
#define SBOX_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
