#!/bin/sh
# A traced launch enforces exactly what an untraced one does: the whole
# escape suite (tests/security/t0501-escape.sh: every attempt blocked,
# every positive control allowed), run again with --trace.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
SBOX_LAUNCH_OPTS="--trace=/dev/null" sh "$TOP/tests/security/t0501-escape.sh" \
	>"$T_TMP/out" 2>&1
rc=$?
[ $rc -eq 77 ] && skip_all "the escape suite skips here"
sed 's/^/# /' "$T_TMP/out" | grep -v '^# ok' | head -40
n=$(grep -c '^ok' "$T_TMP/out")
[ $rc -eq 0 ] && ok "escape suite under --trace: $n checks pass" ||
	not_ok "escape suite under --trace failed"
done_testing
