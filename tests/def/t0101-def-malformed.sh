#!/bin/sh
# Malformed definitions (JSON and plist): each gives its exact first error
# with file:line:col (tests/def/malformed.tsv), exit 2, and never crashes.
. "$TOP/tests/lib/test-lib.sh"
cd "$TOP/tests/def/malformed" || exit 1
export SBOX_DATADIR="$TOP"
tab=$(printf '\t')
while IFS="$tab" read -r file want; do
	want=$(printf '%s' "$want" | sed "s#@TOP@#$TOP#g")
	"$SBOX" compile "$file" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	got=$(head -1 "$T_TMP/err")
	if [ "$rc" -eq 2 ] && [ "$got" = "$want" ]; then
		ok "$file"
	else
		not_ok "$file: exit $rc"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
done <"$TOP/tests/def/malformed.tsv"

# every error of a file is reported, not only the first
expect_rc 2 "three errors in one file" "$SBOX" compile j31-three-errors.json
n=$(grep -c ': error: ' "$T_TMP/err")
if [ "$n" -eq 3 ]; then ok "all three errors reported"; else not_ok "got $n errors"; fi
expect_grep "j31-three-errors.json:2:11: error: name 'bad name'" "$T_TMP/err" "name error located"
expect_grep "j31-three-errors.json:3:14: error: network must be" "$T_TMP/err" "network error located"
expect_grep "j31-three-errors.json:4:27: error: read: 'rel' is a relative path" "$T_TMP/err" "path error located"
done_testing
