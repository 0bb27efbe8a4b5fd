#!/bin/sh
# sbox explain on hand-derived cases from SBPL-SEMANTICS.md §a
# (tests/def/explain.tsv): the decision, the deciding rule's line (or the
# built-in action), the chain of operations walked, and the exit status.
. "$TOP/tests/lib/test-lib.sh"
cd "$TOP/tests/def/explain" || exit 1
tab=$(printf '\t')
grep -v '^#' "$TOP/tests/def/explain.tsv" | while IFS="$tab" read -r prof op arg want where chain; do
	[ -n "$prof" ] || continue
	if [ "$arg" = "-" ]; then set -- "$prof" "$op"; else set -- "$prof" "$op" "$arg"; fi
	"$SBOX" explain --macos 10.15 "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	wantrc=0; [ "$want" = deny ] && wantrc=1
	got=$(head -1 "$T_TMP/out" | cut -d' ' -f1)
	case "$where" in
	builtin) wherepat="decided by: the built-in action of" ;;
	*) wherepat="decided by: $prof:$where:" ;;
	esac
	gotchain=$(sed -n 's/^  chain: *//p' "$T_TMP/out")
	if [ "$rc" -eq "$wantrc" ] && [ "$got" = "$want" ] &&
	   grep -q -- "$wherepat" "$T_TMP/out" && [ "$gotchain" = "$chain" ]; then
		echo "ok - $prof $op $arg: $want by $where"
	else
		echo "not ok - $prof $op $arg: wanted $want by $where via '$chain' (exit $rc)"
		sed 's/^/#   /' "$T_TMP/out" "$T_TMP/err"
		echo FAIL >>"$T_TMP/failed"
	fi
done
n=$(grep -vc '^#' "$TOP/tests/def/explain.tsv")
[ "$n" -ge 30 ] && ok "$n explain cases" || not_ok "only $n explain cases"
[ -f "$T_TMP/failed" ] && not_ok "$(wc -l <"$T_TMP/failed") explain cases failed" || ok "every case as derived"

# --format json carries the same answer
expect_rc 1 "json deny exits 1" "$SBOX" explain --macos 10.15 --format json a3-parent-child.sb file-read-metadata /X/secret/k
expect_grep '"decision": "deny"' "$T_TMP/out" "json decision"
expect_grep '"line": 4' "$T_TMP/out" "json rule line"
expect_grep '"decided_by_operation": "file-read\*"' "$T_TMP/out" "json deciding operation"
# bad input
expect_rc 2 "unknown operation" "$SBOX" explain a1-order.sb file-raed-data /x
expect_rc 2 "missing profile" "$SBOX" explain no-such.sb file-read-data /x
expect_rc 2 "usage" "$SBOX" explain a1-order.sb

# a definition: decisions on the compiled rules, located in the definition
cd "$TOP/tests/def/golden" || exit 1
export SBOX_DATADIR="$TOP"
expect_rc 1 "definition: denied path" "$SBOX" explain --target macos minimal.json file-read-data /data/secret/key
expect_grep "decided by: minimal.json:6:14: (deny file-read\* (subpath \"/data/secret\"))" "$T_TMP/out" "deny located at the definition's path"
expect_rc 0 "definition: most specific wins" "$SBOX" explain --target macos minimal.json file-read-data /data/public
expect_grep "decided by: minimal.json:4:14:" "$T_TMP/out" "read located"
expect_rc 0 "definition: /tmp is /private/tmp" "$SBOX" explain --target macos minimal.json file-write-data /tmp/out/f
expect_grep "^allow file-write-data /private/tmp/out/f" "$T_TMP/out" "argument canonicalised"
expect_rc 1 "definition: not listed" "$SBOX" explain --target macos minimal.json file-write-data /data/x
expect_grep "decided by: the compiled profile: (deny default)" "$T_TMP/out" "default deny"
expect_rc 0 "definition: start-up rule" "$SBOX" explain --target macos minimal.json file-read-data /usr/lib/libSystem.B.dylib
expect_rc 0 "definition: variables from -D" "$SBOX" explain --target macos variables.json file-write-data /p/build/o -D PROJECT=/p
expect_grep "decided by: variables.json:5:15:" "$T_TMP/out" "write located"
expect_rc 0 "definition: sbpl.raw is part of it" "$SBOX" explain --target macos variables.json file-read-data /opt/extra
expect_grep "decided by: variables.json (sbpl):2:1:" "$T_TMP/out" "raw rule located"
expect_rc 2 "definition: invalid" "$SBOX" explain --target macos "$TOP/tests/def/malformed/j02-unknown-key.json" file-read-data /x
done_testing
