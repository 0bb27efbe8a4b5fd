#!/bin/sh
# 20 concurrent creates and imports of distinct names, then of one name:
# all of the first succeed; of the second exactly one wins and the rest
# get a clear error; every listed container is whole.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
export SBOX_HOME="$T_TMP/store"
python3 "$TOP/tests/container/mkarchive.py" good "$T_TMP/good.tar"

i=0; while [ $i -lt 20 ]; do
	"$SBOX" import "$T_TMP/good.tar" --name "c$i" >"$T_TMP/d$i.out" 2>&1 &
	i=$((i + 1))
done
wait
n=$("$SBOX" list | tail -n +2 | wc -l)
[ "$n" -eq 20 ] && ok "20 distinct concurrent imports all landed" || not_ok "$n of 20 landed"

i=0; while [ $i -lt 20 ]; do
	( "$SBOX" import "$T_TMP/good.tar" --name same >"$T_TMP/s$i.out" 2>&1; echo $? >"$T_TMP/s$i.rc" ) &
	i=$((i + 1))
done
wait
wins=$(cat "$T_TMP"/s*.rc | grep -c '^0$')
losses=$(cat "$T_TMP"/s*.rc | grep -c '^2$')
[ "$wins" -eq 1 ] && ok "one import of the same name wins" || not_ok "$wins won"
[ "$losses" -eq 19 ] && ok "19 lose with exit 2" || not_ok "$losses lost with exit 2"
clear=$(grep -l "container 'same' already exists" "$T_TMP"/s*.out | wc -l)
[ "$clear" -eq 19 ] && ok "every loser says it already exists" || not_ok "$clear clear errors"

bad=0 dirs=
for name in $("$SBOX" list | tail -n +2 | awk '{print $1}'); do
	"$SBOX" show "$name" >/dev/null 2>&1 || bad=$((bad + 1))
	dirs="$dirs $SBOX_HOME/$name/Data"
done
# shellcheck disable=SC2086
python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/c0/Data" $dirs || bad=$((bad + 1))
[ "$bad" -eq 0 ] && ok "every container is whole" || not_ok "$bad damaged"
[ -z "$(ls -A "$SBOX_HOME" | grep '^\.tmp-')" ] && ok "no build folders left" || not_ok "build folders left"

# The same with sbox create.
printf '{ "name": "made" }\n' >"$T_TMP/made.json"
i=0; while [ $i -lt 20 ]; do
	"$SBOX" create "$T_TMP/made.json" --name "m$i" >/dev/null 2>&1 &
	i=$((i + 1))
done
wait
n=$(ls -d "$SBOX_HOME"/m* | wc -l)
[ "$n" -eq 20 ] && ok "20 distinct concurrent creates all landed" || not_ok "$n of 20 created"
i=0; while [ $i -lt 20 ]; do
	( "$SBOX" create "$T_TMP/made.json" >"$T_TMP/cs$i.out" 2>&1; echo $? >"$T_TMP/cs$i.rc" ) &
	i=$((i + 1))
done
wait
wins=$(cat "$T_TMP"/cs*.rc | grep -c '^0$')
clear=$(grep -l "container 'made' already exists" "$T_TMP"/cs*.out | wc -l)
[ "$wins" -eq 1 ] && ok "one create of the same name wins" || not_ok "$wins creates won"
[ "$clear" -eq 19 ] && ok "every losing create says it already exists" || not_ok "$clear clear errors"
bad=0 dirs=
for name in made $(i=0; while [ $i -lt 20 ]; do echo m$i; i=$((i + 1)); done); do
	"$SBOX" show "$name" >/dev/null 2>&1 || bad=$((bad + 1))
	dirs="$dirs $SBOX_HOME/$name/Data"
done
# shellcheck disable=SC2086
python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/m0/Data" $dirs || bad=$((bad + 1))
[ "$bad" -eq 0 ] && ok "every created container is whole" || not_ok "$bad damaged"
n=$("$SBOX" list | tail -n +2 | wc -l)
[ "$n" -eq 42 ] && ok "list shows all 42" || not_ok "list shows $n"

# Concurrent removals of one name: one succeeds, the rest say it is gone.
i=0; while [ $i -lt 10 ]; do
	( "$SBOX" rm same >/dev/null 2>&1; echo $? >"$T_TMP/r$i.rc" ) &
	i=$((i + 1))
done
wait
rmok=$(cat "$T_TMP"/r*.rc | grep -c '^0$')
[ "$rmok" -eq 1 ] && ok "one concurrent rm wins" || not_ok "$rmok rms succeeded"
done_testing
