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

# a data folder without presets (a copied binary, no install): said so,
# with the way out, by help, grants and definitions alike
mkdir -p "$T_TMP/nodata"
expect_rc 3 "help presets with no presets" env SBOX_DATADIR="$T_TMP/nodata" "$SBOX" help presets
expect_grep "no presets in sbox's data folder '$T_TMP/nodata': set SBOX_DATADIR" \
	"$T_TMP/err" "... names the folder and SBOX_DATADIR"
expect_rc 2 "a grant on a missing preset" \
	env SBOX_DATADIR="$T_TMP/nodata" "$SBOX" compile --write . --net none
expect_grep "unknown preset 'base'.*SBOX_DATADIR" "$T_TMP/err" "... says SBOX_DATADIR"
printf '{"name":"x","extends":["base"],"template":"minimal"}\n' >"$T_TMP/x.json"
expect_rc 2 "a definition extending a missing preset" \
	env SBOX_DATADIR="$T_TMP/nodata" "$SBOX" compile "$T_TMP/x.json"
expect_grep "unknown preset 'base' (sbox's data folder .*SBOX_DATADIR" "$T_TMP/err" \
	"... says SBOX_DATADIR"
done_testing
