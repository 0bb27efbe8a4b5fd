#!/bin/sh
# Fault test: kill -9 imports at random moments. Afterwards every
# container `list` shows is whole, and the next command clears the
# leftovers of the killed ones.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
export SBOX_HOME="$T_TMP/store"
python3 "$TOP/tests/container/mkarchive.py" large "$T_TMP/large.tar"
t0=$(date +%s%N)
expect_rc 0 "reference import" "$SBOX" import "$T_TMP/large.tar" --name ref
ms=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))

killed=0 i=0
while [ $i -lt 15 ]; do
	"$SBOX" import "$T_TMP/large.tar" --name "k$i" >/dev/null 2>&1 &
	pid=$!
	# Anywhere from before to just after one import's duration.
	sleep "$(od -An -N2 -tu2 /dev/urandom |
		awk -v ms="$ms" '{ printf "%.3f", ($1 % (ms * 13 / 10 + 1)) / 1000 }')"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	i=$((i + 1))
done
echo "# killed $killed of 15 while running"
expect_rc 0 "list after the kills" "$SBOX" list
bad=0
for name in $(tail -n +2 "$T_TMP/out" | awk '{print $1}'); do
	"$SBOX" show "$name" >/dev/null 2>&1 || bad=$((bad + 1))
	python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/ref/Data" \
		"$SBOX_HOME/$name/Data" >/dev/null || bad=$((bad + 1))
done
[ "$bad" -eq 0 ] && ok "every listed container is whole" || not_ok "$bad damaged"
left=$(ls -A "$SBOX_HOME" | grep -c '^\.tmp-\|^\.rm-')
[ "$left" -eq 0 ] && ok "leftovers cleared by the next command" || not_ok "$left leftovers"
# Names of killed imports are free again.
i=0 free=0
while [ $i -lt 15 ]; do
	[ -d "$SBOX_HOME/k$i" ] || free=$((free + 1)); i=$((i + 1))
done
n=$(tail -n +2 "$T_TMP/out" | wc -l)
[ $((n - 1 + free)) -eq 15 ] && ok "each import either landed or left nothing" || not_ok "count mismatch"
done_testing
