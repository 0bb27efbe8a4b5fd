#!/bin/sh
# Runs every test and prints one closing line "N passed, N failed, N skipped".
#   unit:     $BUILD/tests/test_*          (cmocka binaries)
#   scripts:  tests/{cli,corpus,security,...}/t*.sh  (exit 0 pass, 77 skip)
# SBOX is the binary under test; TESTS_ONLY=pattern limits what runs.
set -u
: "${SBOX:?}" "${BUILD:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
export SBOX BUILD TOP="$top"
export SBOX_TEST_TMP="${SBOX_TEST_TMP:-$(mktemp -d /tmp/sbox-test.XXXXXX)}"
pass=0 fail=0 skip=0 failed=""
log="$SBOX_TEST_TMP/log"

run_one() {
	name=$1; shift
	case "$name" in *${TESTS_ONLY:-}*) ;; *) return ;; esac
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "ok   $name (${secs}s)"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "skip $name: $(tail -1 "$log")"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "FAIL $name (exit $rc)"; tail -40 "$log" | sed 's/^/    /'
	fi
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$top"/tests/*/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	rel=${t#"$top"/tests/}
	run_one "$rel" sh "$t"
done

[ -z "${SBOX_KEEP_TMP:-}" ] && rm -rf "$SBOX_TEST_TMP"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
