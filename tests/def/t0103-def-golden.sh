#!/bin/sh
# Golden emitted SBPL: each definition in tests/def/golden compiles to
# exactly the .sb beside it (variables fixed with -D, and one left as
# parameters). SBOX_UPDATE_GOLDEN=1 rewrites the expected files.
. "$TOP/tests/lib/test-lib.sh"
cd "$TOP/tests/def/golden" || exit 1
export SBOX_DATADIR="$TOP"
golden() {
	want=$1; shift
	"$SBOX" compile "$@" >"$T_TMP/got.sb" 2>"$T_TMP/err"
	rc=$?
	if [ -n "${SBOX_UPDATE_GOLDEN:-}" ]; then cp "$T_TMP/got.sb" "$want"; fi
	if [ $rc -eq 0 ] && cmp -s "$T_TMP/got.sb" "$want"; then
		ok "$want"
	else
		not_ok "$want (exit $rc)"
		diff -u "$want" "$T_TMP/got.sb" | head -30 | sed 's/^/#   /'
		sed 's/^/#   /' "$T_TMP/err"
	fi
}
for def in minimal.json variables.json ports.plist moveblock.json; do
	golden "${def%.*}.sb" "$def" -D HOME=/Users/u -D PROJECT=/Users/u/src/app
done
golden variables-unresolved.sb variables.json

# -o writes the same bytes as standard output
expect_rc 0 "compile -o" "$SBOX" compile minimal.json -o "$T_TMP/o.sb"
if cmp -s "$T_TMP/o.sb" minimal.sb; then ok "-o output"; else not_ok "-o output differs"; fi
# properties of the canonical form, independent of the golden bytes
expect_grep '^(version 1)$' minimal.sb "(version 1)"
expect_grep '^(deny default (with message "sbox:minimal"))$' minimal.sb "tagged deny default"
expect_grep '(subpath "/private/tmp/out")' minimal.sb "/tmp canonicalised"
expect_grep '(literal "/tmp")' minimal.sb "metadata of the /tmp symlink itself"
if grep -q '(param' minimal.sb; then not_ok "a fixed path became a parameter"; else ok "paths are string literals"; fi
expect_grep '(deny file-clone (with message "sbox:minimal"))' minimal.sb "file-clone denied unless allowed"
expect_grep '(string-append (param "SBOX_PROJECT") "/build")' variables-unresolved.sb "unresolved variable as a parameter"
expect_rc 2 "unknown -D" "$SBOX" compile minimal.json -D USER=x
expect_rc 2 "unknown target" "$SBOX" compile minimal.json --target windows
expect_rc 2 "no definition" "$SBOX" compile
done_testing
