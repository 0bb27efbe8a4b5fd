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
JOBS=${SBOX_TEST_JOBS:-2}

# check_lines N: the lines whose number modulo $JOBS is N, one result line
# each ("PASS|FAIL<tab>description") into $T_TMP/res.N. The corpus is
# checked by $JOBS workers at once: it is the longest test under ASan.
check_lines() {
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[ $((n % JOBS)) -eq "$1" ] || continue
		file=${line%%"$tab"*};   rest=${line#*"$tab"}
		expect=${rest%%"$tab"*}; rest=${rest#*"$tab"}
		args=${rest%%"$tab"*}
		[ "$file" = file ] && continue
		[ "$expect" = skip ] && continue
		# $args is unquoted on purpose: it holds several words
		timeout 20 "$SBOX" check $args "$file" >"$T_TMP/out.$1" 2>&1
		rc=$?
		case "$expect:$rc" in
		ok:0|error:1|any:0|any:1) echo "PASS$tab$expect $file" ;;
		*)
			echo "FAIL$tab$expect $file (exit $rc): sbox check $args $file"
			grep -E 'error:' "$T_TMP/out.$1" | head -5 | sed 's/^/#   /'
			;;
		esac
	done < EXPECT.tsv >"$T_TMP/res.$1"
}

i=0
while [ $i -lt "$JOBS" ]; do
	check_lines $i &
	i=$((i + 1))
done
wait

lines=0
for f in "$T_TMP"/res.*; do
	while IFS= read -r r; do
		case "$r" in
		PASS"$tab"*) lines=$((lines + 1)); ok "${r#*"$tab"}" ;;
		FAIL"$tab"*) lines=$((lines + 1)); not_ok "${r#*"$tab"}" ;;
		*) echo "$r" ;;
		esac
	done <"$f"
done
[ "$lines" -gt 0 ] || not_ok "EXPECT.tsv has no lines"
done_testing
