#!/bin/sh
# sbox check DEFINITION (validate + lint the compiled profile): every preset
# compiles and checks with zero errors and zero warnings; the decision
# lints (rule-shadowed, child-op-precedence, unfiltered-fallback) fire
# where SBPL-SEMANTICS §a says the author is surprised.
. "$TOP/tests/lib/test-lib.sh"
export SBOX_DATADIR="$TOP"
n=0
for p in "$TOP"/profiles/*.json; do
	n=$((n + 1))
	name=$(basename "$p")
	expect_rc 0 "compile preset $name" "$SBOX" compile "$p"
	expect_check_clean "check preset $name: 0 errors, 0 warnings" "$p"
done
[ "$n" -ge 5 ] && ok "$n presets" || not_ok "only $n presets"
for want in base no-network localhost build-tools read-only-project; do
	[ -f "$TOP/profiles/$want.json" ] && ok "preset $want exists" || not_ok "preset $want missing"
done

# an invalid definition: the definition's own error, exit 1 (findings)
expect_rc 1 "check an invalid definition" "$SBOX" check "$TOP/tests/def/malformed/j02-unknown-key.json"
expect_grep "j02-unknown-key.json:3:3: error: unknown key 'netwrok'" "$T_TMP/out" "definition error located"

# findings on the compiled profile of a definition
cat >"$T_TMP/shadow.json" <<'JSON'
{"name": "shadow", "filesystem": {"read": ["/a"]},
 "sbpl": {"raw": "(deny file-read* (subpath \"/a/b\"))\n(allow file-read* (subpath \"/a\"))"}}
JSON
expect_rc 0 "check a definition with a shadowed raw rule" "$SBOX" check "$T_TMP/shadow.json"
expect_grep "shadow.json (compiled):[0-9]*:1: warning: .*never takes effect.*\[rule-shadowed\]" "$T_TMP/out" "rule-shadowed on the compiled profile"

# a definition that cannot run its own program
printf '{\n  "program": ["/opt/tool/bin/run", "-x"],\n  "filesystem": {"read": ["/opt/tool"]}\n}\n' >"$T_TMP/noexec.json"
expect_rc 0 "check a definition whose program is not executable" "$SBOX" check "$T_TMP/noexec.json"
expect_grep "noexec.json:2:15: warning: the program '/opt/tool/bin/run' is not in an exec path" "$T_TMP/out" "program not executable, located"
printf '{\n  "program": ["/opt/tool/bin/run"],\n  "filesystem": {"exec": ["/opt/tool/bin"]}\n}\n' >"$T_TMP/exec.json"
expect_rc 0 "check a definition whose program is executable" "$SBOX" check "$T_TMP/exec.json"
if grep -q 'not-executable' "$T_TMP/out"; then not_ok "false alarm on an executable program"; else ok "no warning when the program may run"; fi

# the decision lints on profiles
cd "$TOP/tests/def/explain" || exit 1
expect_rc 0 "check a1-order.sb" "$SBOX" check a1-order.sb
expect_grep "a1-order.sb:3:1: warning: this (deny file-read\* ...) never takes effect: every path it matches is decided by a later allow rule (line 4)" "$T_TMP/out" "C1 shadowed deny"
expect_rc 0 "check a3-parent-child.sb" "$SBOX" check a3-parent-child.sb
expect_grep "a3-parent-child.sb:3:1: warning: this (allow file-read-data ...) wins over the later (deny file-read\* ...) on line 4" "$T_TMP/out" "C3 child op wins over a later parent rule"
expect_grep "a3-parent-child.sb:6:1: warning: this (deny file-read-data ...) wins over the later (allow file-read\* ...) on line 7" "$T_TMP/out" "C3 unfiltered child op"
expect_rc 0 "check a1-unfiltered.sb" "$SBOX" check a1-unfiltered.sb
expect_grep "a1-unfiltered.sb:4:1: note: this unfiltered (deny network-outbound) does not override the earlier filtered allow on line 3" "$T_TMP/out" "C2 unfiltered fallback"
# no false alarm: a specific deny after a general allow is what is meant
expect_rc 0 "check a1-last-match.sb" "$SBOX" check a1-last-match.sb
if grep -q 'rule-shadowed\|child-op-precedence' "$T_TMP/out"; then not_ok "false alarm on a1-last-match.sb"; else ok "no decision warning on a1-last-match.sb"; fi
done_testing
