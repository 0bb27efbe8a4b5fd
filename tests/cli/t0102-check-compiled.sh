#!/bin/sh
# The SBPL that `sbox compile` emits for the shipped presets must evaluate
# without errors in `sbox check` (the emitter and the evaluator agree on
# the vocabulary), with and without the path parameters supplied.
. "$TOP/tests/lib/test-lib.sh"

n=0
for def in "$TOP"/profiles/*.json; do
	[ -f "$def" ] || continue
	n=$((n + 1))
	name=$(basename "$def" .json)
	if ! "$SBOX" compile "$def" -o "$T_TMP/$name.sb" >"$T_TMP/cerr" 2>&1; then
		not_ok "compile $name"; sed 's/^/#   /' "$T_TMP/cerr" | head -5
		continue
	fi
	expect_rc 0 "check accepts the compiled $name profile" "$SBOX" check "$T_TMP/$name.sb"
	if grep -q ': error: ' "$T_TMP/out"; then not_ok "$name: no error diagnostics"; else ok "$name: no error diagnostics"; fi
	expect_rc 0 "$name with every parameter strict and supplied" sh -c "
		set -- \$(grep -o '(param \"[A-Z0-9_]*\")' '$T_TMP/$name.sb' | sort -u | sed 's/(param \"\\(.*\\)\")/-D \\1=\\/private\\/tmp\\/x/')
		'$SBOX' check --strict-params \"\$@\" '$T_TMP/$name.sb'"
done
[ "$n" -gt 0 ] || skip_all "no presets in profiles/"
done_testing
