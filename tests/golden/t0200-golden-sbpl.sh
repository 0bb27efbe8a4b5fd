#!/bin/sh
# Hand-written broken profiles: each tests/golden/sbpl/*.sb starts with
#   ;! expect LEVEL ID LINE:COL     (one or more)
#   ;! absent ID                    (a check that must not fire)
#   ;! args OPTIONS...              (optional)
# and `sbox check` must report exactly that diagnostic, with exit status 1
# when an expected diagnostic is an error and 0 otherwise.
. "$TOP/tests/lib/test-lib.sh"

dir="$TOP/tests/golden/sbpl"
n=0
cd "$dir" || exit 1
for f in *.sb; do
	n=$((n + 1))
	args=$(sed -n 's/^;! args //p' "$f")
	want_rc=0
	grep -q '^;! expect error ' "$f" && want_rc=1
	# shellcheck disable=SC2086 # args holds several words
	"$SBOX" check $args "$f" >"$T_TMP/out" 2>&1
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		not_ok "$f: exit $rc, wanted $want_rc"
		sed 's/^/#   /' "$T_TMP/out" | head -10
		continue
	fi
	sed -n 's/^;! expect \([a-z]*\) \([a-z-]*\) \([0-9]*:[0-9]*\)$/\1 \2 \3/p' "$f" >"$T_TMP/exp"
	sed -n 's/^;! absent \([a-z-]*\)$/\1/p' "$f" >"$T_TMP/absent"
	if [ ! -s "$T_TMP/exp" ] && [ ! -s "$T_TMP/absent" ]; then
		not_ok "$f has no ';! expect' or ';! absent' line"
		continue
	fi
	while read -r id; do
		if grep -qF "[$id]" "$T_TMP/out"; then
			not_ok "$f: [$id] reported, wanted none"
			sed 's/^/#   /' "$T_TMP/out" | head -10
		else
			ok "$f: no [$id]"
		fi
	done <"$T_TMP/absent"
	while read -r level id pos; do
		if grep -F "$f:$pos: $level: " "$T_TMP/out" | grep -qF "[$id]"; then
			ok "$f: $level $id at $pos"
		else
			not_ok "$f: no $level [$id] at $pos"
			sed 's/^/#   /' "$T_TMP/out" | head -10
		fi
	done <"$T_TMP/exp"
done
[ "$n" -ge 40 ] && ok "$n golden profiles (>= 40)" || not_ok "only $n golden profiles"
done_testing
