#!/bin/sh
# Issue 10 #14: ten `sbox launch def.json -- true` at once on a fresh
# store all succeed, in the one container that won the creation; the same
# with a changed definition (ten concurrent updates).
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj"
cd "$T_TMP/proj" || exit 1
DEF=$T_TMP/proj/def.json
echo '{"name": "conc", "extends": ["base"], "network": "none"}' >"$DEF"

ten() {
	pids=""
	for i in 1 2 3 4 5 6 7 8 9 10; do
		( "$SBOX" launch "$DEF" -- true >"$T_TMP/out.$i" 2>&1
		  echo $? >"$T_TMP/rc.$i" ) &
		pids="$pids $!"
	done
	wait $pids
	bad=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(cat "$T_TMP/rc.$i")" = 0 ] || { bad=$((bad + 1))
			sed 's/^/#   /' "$T_TMP/out.$i"; }
	done
	[ $bad -eq 0 ] && ok "$1: all ten exit 0" || not_ok "$1: $bad of ten failed"
}

# the race is a matter of timing: several fresh stores
for round in 1 2 3 4 5; do
	rm -rf "$SBOX_HOME"
	ten "fresh store, round $round"
done
n=$(ls -A "$SBOX_HOME" | grep -vc '^\.lock$')
[ "$n" -eq 1 ] && ok "one container and no leftovers" ||
	not_ok "store holds: $(ls -A "$SBOX_HOME" | tr '\n' ' ')"
echo '{"name": "conc", "extends": ["base"], "network": "localhost"}' >"$DEF"
ten "changed definition"
expect_grep '"localhost"' "$SBOX_HOME/conc/definition.json" "the update landed"
expect_rc 0 "the container is consistent afterwards" "$SBOX" launch conc -- true
done_testing
