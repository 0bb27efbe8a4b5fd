#!/bin/sh
# An empty store says so: `list` prints "no containers in STORE", `ps`
# with nothing running "nothing runs in the containers of STORE" (stdout,
# exit 0); --format json and list -q print what they always did.
. "$TOP/tests/lib/test-lib.sh"
export HOME="$T_TMP/home" SBOX_HOME="$T_TMP/a store"
mkdir -p "$HOME"

expect_rc 0 "list of an empty store" "$SBOX" list
[ "$(cat "$T_TMP/out")" = "no containers in $SBOX_HOME" ] && ok "list says there are none, and where" ||
	not_ok "list printed: $(cat "$T_TMP/out")"
[ ! -s "$T_TMP/err" ] && ok "nothing on stderr" || not_ok "stderr: $(cat "$T_TMP/err")"
expect_rc 0 "list -q" "$SBOX" list -q
[ ! -s "$T_TMP/out" ] && [ ! -s "$T_TMP/err" ] && ok "list -q stays silent" || not_ok "list -q printed: $(cat "$T_TMP/out" "$T_TMP/err")"
expect_rc 0 "list --format json" "$SBOX" list --format json
printf '{\n  "version": 1,\n  "containers": []\n}\n' >"$T_TMP/want"
cmp -s "$T_TMP/out" "$T_TMP/want" && ok "list json unchanged" || not_ok "list json: $(cat "$T_TMP/out")"

expect_rc 0 "ps with nothing running" "$SBOX" ps
[ "$(cat "$T_TMP/out")" = "nothing runs in the containers of $SBOX_HOME" ] && ok "ps says nothing runs, and where" ||
	not_ok "ps printed: $(cat "$T_TMP/out")"
expect_rc 0 "ps --format json" "$SBOX" ps --format json
printf '{\n  "version": 1,\n  "running": []\n}\n' >"$T_TMP/want"
cmp -s "$T_TMP/out" "$T_TMP/want" && ok "ps json unchanged" || not_ok "ps json: $(cat "$T_TMP/out")"

# With a container: the table, no "no containers" line; ps still empty.
printf '{ "name": "one" }\n' >"$T_TMP/one.json"
expect_rc 0 "create one" "$SBOX" create -q "$T_TMP/one.json"
expect_rc 0 "list" "$SBOX" list
expect_grep '^NAME  *IDENTIFIER' "$T_TMP/out" "list has its header"
expect_grep '^one  *sbox\.one ' "$T_TMP/out" "list has the container"
grep -q "no containers" "$T_TMP/out" && not_ok "list of a full store says none" || ok "no 'no containers' line"
expect_rc 0 "list -q" "$SBOX" list -q
[ "$(cat "$T_TMP/out")" = one ] && ok "list -q: the name only" || not_ok "list -q: $(cat "$T_TMP/out")"
expect_rc 0 "ps" "$SBOX" ps
[ "$(cat "$T_TMP/out")" = "nothing runs in the containers of $SBOX_HOME" ] && ok "ps: still nothing runs" ||
	not_ok "ps printed: $(cat "$T_TMP/out")"

# Once the last container is removed, list says so again.
expect_rc 0 "rm one" "$SBOX" rm one
expect_rc 0 "list" "$SBOX" list
[ "$(cat "$T_TMP/out")" = "no containers in $SBOX_HOME" ] && ok "empty again, and said" ||
	not_ok "list printed: $(cat "$T_TMP/out")"
done_testing
