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

# A run of grants only: its container (and stored definition) is gone
# after the run, so the records cite the command line, and the rules of
# the preset at their own lines; explain says to give a definition.
if [ "$(uname -s)" = Linux ]; then
	mkdir -p "$T_TMP/home/.ssh" "$T_TMP/proj"
	echo k >"$T_TMP/home/.ssh/id"
	( cd "$T_TMP/proj" && HOME="$T_TMP/home" SBOX_HOME="$T_TMP/store" \
		"$SBOX" run --preset base --trace="$T_TMP/g.jsonl" -- \
		cat "$T_TMP/home/.ssh/id" ) >/dev/null 2>"$T_TMP/g.err"
	expect_grep '"definition":"(command line)"' "$T_TMP/g.jsonl" \
		"grants only: the record cites the command line"
	expect_grep '"at":"[^"]*/profiles/base.json:[0-9]*:[0-9]*"' "$T_TMP/g.jsonl" \
		"... and the preset's rule at its line"
	if grep -q -- '-run-' "$T_TMP/g.jsonl" "$T_TMP/g.err"; then
		not_ok "a record or the summary cites the run's own container"
	else
		ok "nothing cites the run's container, gone after the run"
	fi
	expect_rc 2 "explain of such a record without a definition: exit 2" \
		"$SBOX" explain --from-trace "$T_TMP/g.jsonl"
	expect_grep "from grants on the command line" "$T_TMP/err" "... says why and what to give"
	expect_rc 1 "... and with the preset given, explained" \
		"$SBOX" explain --from-trace "$T_TMP/g.jsonl" "$TOP/profiles/base.json"
fi
done_testing
