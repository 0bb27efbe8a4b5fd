#!/bin/sh
# sbox help/version and usage errors.
. "$TOP/tests/lib/test-lib.sh"

expect_rc 0 "--version" "$SBOX" --version
expect_grep '^sbox [0-9]' "$T_TMP/out" "--version prints a version"
expect_rc 0 "help" "$SBOX" help
expect_grep 'check' "$T_TMP/out" "help lists check"
expect_rc 0 "help check" "$SBOX" help check
expect_grep 'usage: sbox check' "$T_TMP/out" "help check shows usage"
expect_rc 2 "no command" "$SBOX"
expect_rc 2 "unknown command" "$SBOX" frobnicate
expect_grep "'frobnicate' is not an sbox command" "$T_TMP/err" "unknown command message"
expect_rc 2 "unknown global option" "$SBOX" --frob
expect_grep "unknown option '--frob'" "$T_TMP/err" "unknown option message"
expect_rc 2 "help for unknown command" "$SBOX" help frobnicate
done_testing
