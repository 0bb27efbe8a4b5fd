#!/bin/sh
# Every line of the shared corpus's EXPECT.tsv must hold: `ok` = exit 0
# (no errors), `error` = exit 1, `any` = exit 0 or 1 (no crash, hang or
# usage error), `skip` = not a profile. No per-file special cases.
. "$TOP/tests/lib/test-lib.sh"

corpus=
for d in "$TOP/../shared/corpus" /work/shared/corpus; do
	if [ -f "$d/EXPECT.tsv" ]; then corpus=$d; break; fi
done
[ -n "$corpus" ] || skip_all "no shared corpus (../shared/corpus) on this machine"
cd "$corpus" || exit 1

tab=$(printf '\t')
lines=0
while IFS= read -r line; do
	file=${line%%"$tab"*};   rest=${line#*"$tab"}
	expect=${rest%%"$tab"*}; rest=${rest#*"$tab"}
	args=${rest%%"$tab"*}
	[ "$file" = file ] && continue
	[ "$expect" = skip ] && continue
	lines=$((lines + 1))
	# $args is unquoted on purpose: it holds several words
	timeout 20 "$SBOX" check $args "$file" >"$T_TMP/out" 2>&1
	rc=$?
	case "$expect:$rc" in
	ok:0|error:1|any:0|any:1) ok "$expect $file" ;;
	*)
		not_ok "$expect $file (exit $rc): sbox check $args $file"
		grep -E 'error:' "$T_TMP/out" | head -5 | sed 's/^/#   /'
		;;
	esac
done < EXPECT.tsv
[ "$lines" -gt 0 ] || not_ok "EXPECT.tsv has no lines"
done_testing
