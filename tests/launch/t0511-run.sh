#!/bin/sh
# sbox run: a fresh container per run, the JSON report, --keep, and 50
# concurrent runs of one definition that do not see each other.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj"
cd "$T_TMP/proj" || exit 1
cat >"$T_TMP/def.json" <<EOF
{
  "name": "rt",
  "extends": ["base"],
  "filesystem": { "read": ["\${PROJECT}"] },
  "network": "none"
}
EOF
DEF=$T_TMP/def.json

containers() { ls "$SBOX_HOME" 2>/dev/null | grep -v '^\.' | wc -l; }

expect_rc 3 "run returns the program's status" \
	"$SBOX" run "$DEF" --report "$T_TMP/r1.json" -- /bin/sh -c 'exit 3'
expect_grep '"exit_status": 3' "$T_TMP/r1.json" "report: exit status"
expect_grep '"exit_code": 3' "$T_TMP/r1.json" "report: exit code"
expect_grep '"signal": null' "$T_TMP/r1.json" "report: no signal"
expect_grep '"container": "rt-run-[0-9a-f]\{12\}"' "$T_TMP/r1.json" \
	"report: the unique container name"
expect_grep '"duration_seconds": [0-9]' "$T_TMP/r1.json" "report: duration"
[ "$(containers)" -eq 0 ] && ok "the container is removed afterwards" ||
	not_ok "run left $(containers) container(s)"

expect_rc 143 "killed by a signal" \
	"$SBOX" run "$DEF" --report "$T_TMP/r2.json" -- /bin/sh -c 'kill $$'
expect_grep '"signal": 15' "$T_TMP/r2.json" "report: signal 15"
expect_grep '"exit_code": null' "$T_TMP/r2.json" "report: no exit code"

expect_rc 0 "--keep" "$SBOX" run "$DEF" --keep -- /bin/sh -c 'echo kept >"$HOME/mark"'
name=$(sed -n 's/^sbox: kept container //p' "$T_TMP/err")
[ -n "$name" ] && [ "$(cat "$SBOX_HOME/$name/Data/mark" 2>/dev/null)" = kept ] &&
	ok "--keep keeps the container and what was written in it" ||
	not_ok "--keep: container '$name' not kept"
"$SBOX" rm "$name" >/dev/null 2>&1

expect_rc 2 "run without a program" "$SBOX" run "$DEF"
expect_rc 2 "run with a bad definition" "$SBOX" run "$T_TMP/missing.json" -- /bin/true

# 50 at once: each run sees only its own HOME, all succeed, nothing stays.
i=0
while [ $i -lt 50 ]; do
	"$SBOX" run "$DEF" --report "$T_TMP/c$i.json" -- /bin/sh -c \
		"touch \"\$HOME/run-$i\"; sleep 0.2; ls \"\$HOME\" | grep '^run-'" \
		>"$T_TMP/c$i.out" 2>"$T_TMP/c$i.err" &
	i=$((i + 1))
done
wait
bad=0 names=""
i=0
while [ $i -lt 50 ]; do
	if ! [ "$(cat "$T_TMP/c$i.out")" = "run-$i" ] ||
	   ! grep -q '"exit_status": 0' "$T_TMP/c$i.json"; then
		bad=$((bad + 1))
		sed 's/^/#   /' "$T_TMP/c$i.out" "$T_TMP/c$i.err" | head -5
	fi
	names="$names $(sed -n 's/.*"container": "\(.*\)".*/\1/p' "$T_TMP/c$i.json")"
	i=$((i + 1))
done
[ $bad -eq 0 ] && ok "50 concurrent runs each saw only their own HOME" ||
	not_ok "$bad of 50 concurrent runs failed or saw another run"
[ "$(echo $names | tr ' ' '\n' | sort -u | wc -l)" -eq 50 ] &&
	ok "50 distinct container names" || not_ok "container names collided"
[ "$(containers)" -eq 0 ] && ok "no container left after 50 runs" ||
	not_ok "$(containers) containers left after 50 runs"
done_testing
