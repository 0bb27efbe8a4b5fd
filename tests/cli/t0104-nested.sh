#!/bin/sh
# Issue 11 §4: sbox inside an sbox container says so and exits 3 (the
# README's promise), for the commands that need a store, whatever the
# inner binary is called and with the environment emptied.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj" "$T_TMP/bin"
cd "$T_TMP/proj" || exit 1
cp "$SBOX" "$T_TMP/bin/sbox"
cp "$SBOX" "$T_TMP/bin/other-name"
# the presets, next to the binary as in a build tree
cp -r "$TOP/profiles" "$T_TMP/profiles"
cat >"$T_TMP/proj/n.json" <<EOF
{"name": "nest", "extends": ["base"],
 "filesystem": {"read": ["$T_TMP/bin", "$T_TMP/profiles", "\${PROJECT}"], "exec": ["$T_TMP/bin"]}}
EOF
for inner in "sbox list" "sbox launch n.json -- true" "sbox run n.json -- true" \
	     "other-name list"; do
	set -- $inner
	b=$1; shift
	expect_rc 3 "inside a container: $inner exits 3" \
		"$SBOX" launch n.json -- "$T_TMP/bin/$b" "$@"
	expect_grep "inside an sbox container" "$T_TMP/err" "... and says why"
done
expect_rc 3 "with an empty environment too" \
	"$SBOX" launch n.json -- /usr/bin/env -i "$T_TMP/bin/sbox" list
expect_rc 0 "check still works inside" \
	"$SBOX" launch n.json -- "$T_TMP/bin/sbox" check n.json
expect_rc 0 "and outside, sbox list is fine" "$SBOX" list
done_testing
