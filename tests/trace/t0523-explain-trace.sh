#!/bin/sh
# sbox explain --from-trace FILE [DEFINITION]: each record explained with
# the rule that decides it; bad records are exit 2 with file:line:col.
. "$TOP/tests/lib/test-lib.sh"

F=$TOP/tests/trace
expect_rc 1 "three denials: exit 1" "$SBOX" explain --from-trace "$F/fixture.jsonl" \
	"$F/fixture-def.json"
cp "$T_TMP/out" "$T_TMP/text"
expect_grep "fixture.jsonl:1: read /srv/project/.env by cat (3 times)" "$T_TMP/text" \
	"the record is named by file:line"
expect_grep "decided by: .*fixture-def.json:5:14: (deny file-read\* (subpath \"/srv/project/.env\"))" \
	"$T_TMP/text" "the deny rule with its line"
expect_grep "grant:      filesystem.exec \"/root/.cargo/bin/cargo\"" "$T_TMP/text" \
	"the grant that would allow the exec"
expect_grep "deny network-outbound 93.184.216.34:443" "$T_TMP/text" \
	"a connect is a network-outbound decision"
n=$(grep -c '^deny ' "$T_TMP/text")
[ "$n" -eq 3 ] && ok "the closing count line is not a record" || not_ok "$n decisions"
expect_rc 1 "--format json" "$SBOX" explain --format json --from-trace \
	"$F/fixture.jsonl" "$F/fixture-def.json"
expect_grep '"decision": "deny"' "$T_TMP/out" "json decisions"

expect_rc 2 "no definition named or given: exit 2" "$SBOX" explain \
	--from-trace "$F/fixture.jsonl"
expect_grep "fixture.jsonl:1: the record names no definition" "$T_TMP/err" \
	"says which record"
printf '{"operation":"read","path":"/x"}\n{"operation":\n' >"$T_TMP/bad.jsonl"
expect_rc 2 "a broken line: exit 2" "$SBOX" explain --from-trace \
	"$T_TMP/bad.jsonl" "$F/fixture-def.json"
expect_grep "bad.jsonl:2:" "$T_TMP/err" "names the broken line"
printf '{"operation":"fly","path":"/x"}\n' >"$T_TMP/op.jsonl"
expect_rc 2 "an unknown operation: exit 2" "$SBOX" explain --from-trace \
	"$T_TMP/op.jsonl" "$F/fixture-def.json"
expect_rc 2 "a missing file: exit 2" "$SBOX" explain --from-trace \
	"$T_TMP/none.jsonl" "$F/fixture-def.json"
done_testing
