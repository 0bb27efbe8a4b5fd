#!/bin/sh
# Fault test: kill -9 creates and imports at random moments. Afterwards every
# container `list` shows is whole, and the next command clears the
# leftovers of the killed ones.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
export SBOX_HOME="$T_TMP/store"
python3 "$TOP/tests/container/mkarchive.py" large "$T_TMP/large.tar"

# kill_runs CMD FILE REF PREFIX: `sbox CMD FILE --name REF` once to time
# it (ms), then 8 runs named PREFIX0..7, each killed -9 anywhere from
# before to just after that duration.
kill_runs() {
	t0=$(date +%s%N)
	expect_rc 0 "reference $1" "$SBOX" "$1" "$2" --name "$3"
	ms=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
	killed=0 i=0
	while [ $i -lt 8 ]; do
		"$SBOX" "$1" "$2" --name "$4$i" >/dev/null 2>&1 &
		pid=$!
		sleep "$(od -An -N2 -tu2 /dev/urandom |
			awk -v ms="$ms" '{ printf "%.3f", ($1 % (ms * 13 / 10 + 1)) / 1000 }')"
		kill -9 $pid 2>/dev/null && killed=$((killed + 1))
		wait $pid 2>/dev/null
		i=$((i + 1))
	done
	echo "# killed $killed of 8 $1s while running"
}

kill_runs import "$T_TMP/large.tar" ref k

# Creates, slowed down by a root filesystem of 2000 files.
printf '{ "name": "big", "root": "%s" }\n' "$T_TMP/large.tar" >"$T_TMP/big.json"
kill_runs create "$T_TMP/big.json" cref c
expect_rc 0 "list after the kills" "$SBOX" list
bad=0 roots= datas=
for name in $(tail -n +2 "$T_TMP/out" | awk '{print $1}'); do
	"$SBOX" show "$name" >/dev/null 2>&1 || bad=$((bad + 1))
	case $name in
	c*) roots="$roots $SBOX_HOME/$name/root" ;;
	*) datas="$datas $SBOX_HOME/$name/Data" ;;
	esac
done
# shellcheck disable=SC2086
python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/cref/root" $roots || bad=$((bad + 1))
# shellcheck disable=SC2086
python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/ref/Data" $datas || bad=$((bad + 1))
[ "$bad" -eq 0 ] && ok "every listed container is whole" || not_ok "$bad damaged"
left=$(ls -A "$SBOX_HOME" | grep -c '^\.tmp-\|^\.rm-')
[ "$left" -eq 0 ] && ok "leftovers cleared by the next command" || not_ok "$left leftovers"
# Every killed command either landed whole or left nothing at all.
i=0 free=0
while [ $i -lt 8 ]; do
	[ -d "$SBOX_HOME/k$i" ] || free=$((free + 1))
	[ -d "$SBOX_HOME/c$i" ] || free=$((free + 1))
	i=$((i + 1))
done
n=$(tail -n +2 "$T_TMP/out" | wc -l)
[ $((n - 2 + free)) -eq 16 ] && ok "each run either landed or left nothing" || not_ok "count mismatch"
# kill -9 a removal: the container is whole or gone, never half there.
expect_rc 0 "import a victim" "$SBOX" import "$T_TMP/large.tar" --name victim
"$SBOX" rm victim >/dev/null 2>&1 &
pid=$!
sleep "$(od -An -N2 -tu2 /dev/urandom | awk -v ms="$ms" '{ printf "%.3f", ($1 % (ms + 1)) / 1000 }')"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
expect_rc 0 "list after killing rm" "$SBOX" list
if grep -q '^victim ' "$T_TMP/out"; then
	python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/ref/Data" "$SBOX_HOME/victim/Data" >/dev/null &&
		ok "victim still whole" || not_ok "victim half removed"
else
	ok "victim gone"
fi
[ -z "$(ls -A "$SBOX_HOME" | grep '^\.rm-')" ] && ok "removal leftovers cleared" || not_ok "removal leftovers"
done_testing
