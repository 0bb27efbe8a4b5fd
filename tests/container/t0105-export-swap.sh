#!/bin/sh
# Issue 10 #11: export reads a container tree that a running program is
# changing: it never blocks on a FIFO swapped in with RENAME_EXCHANGE (nor
# follows what is swapped in), and an export killed by SIGINT, SIGTERM or
# SIGKILL leaves no file behind.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/bin" "$T_TMP/proj" "$T_TMP/exp"
cc -O2 -Wall -o "$T_TMP/bin/swapper" "$TOP/tests/container/swapper.c" ||
	skip_all "cannot build the probe"
cat >"$T_TMP/def.json" <<EOF
{"name":"swap","extends":["base"],
 "filesystem":{"read":["$T_TMP/bin"],"exec":["$T_TMP/bin"]},"network":"none"}
EOF
cd "$T_TMP/proj" || exit 1
data=$SBOX_HOME/swap/Data

"$SBOX" launch "$T_TMP/def.json" -- "$T_TMP/bin/swapper" "$data" 12 \
	>"$T_TMP/swap.out" 2>&1 &
swapper=$!
n=0
while ! grep -q swapping "$T_TMP/swap.out" 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.1; n=$((n + 1))
done
grep -q swapping "$T_TMP/swap.out" || not_ok "the swapper did not start"
hung=0 failed=0
for i in $(seq 20); do
	timeout 5 "$SBOX" export swap "$T_TMP/exp/e$i.tar" >/dev/null 2>"$T_TMP/e.err"
	rc=$?
	[ $rc -eq 124 ] && hung=$((hung + 1))
	[ $rc -ne 0 ] && [ $rc -ne 124 ] && failed=$((failed + 1))
done
[ $hung -eq 0 ] && ok "20 exports beside the swapping program: none blocked" ||
	not_ok "$hung of 20 exports blocked on the FIFO"
[ $failed -eq 0 ] && ok "every export succeeded" ||
	{ not_ok "$failed exports failed"; sed 's/^/#   /' "$T_TMP/e.err"; }
if tar -tvf "$T_TMP/exp/e1.tar" 2>/dev/null | grep -q '^p'; then
	not_ok "a FIFO got into the archive"
else
	ok "no FIFO in the archive"
fi
wait $swapper
rm -f "$T_TMP"/exp/*.tar
leftover=$(ls -A "$T_TMP/exp")
[ -z "$leftover" ] && ok "no temporary file after the exports" ||
	not_ok "left behind: $leftover"
rm -f "$T_TMP"/exp/*

# a slow export (a large compressed file), interrupted part-way
truncate -s 1500M "$data/big"
for sig in INT TERM KILL; do
	# (a background job of sh ignores SIGINT: restore it)
	env --default-signal=INT "$SBOX" export swap "$T_TMP/exp/k.tar.gz" \
		>/dev/null 2>&1 &
	pid=$!
	sleep 0.7
	kill -$sig $pid 2>/dev/null
	wait $pid
	rc=$?
	leftover=$(ls -A "$T_TMP/exp")
	[ -z "$leftover" ] && ok "export killed by SIG$sig (exit $rc): nothing left" ||
		not_ok "export killed by SIG$sig (exit $rc) left: $leftover"
	rm -f "$T_TMP"/exp/*
done
rm -f "$data/big"
# replacing an existing file is atomic too
echo previous >"$T_TMP/exp/r.tar"
expect_rc 0 "export to a new file" "$SBOX" export swap "$T_TMP/exp/r.tar.gz"
expect_rc 0 "export over an existing file" "$SBOX" export swap "$T_TMP/exp/r.tar"
[ "$(ls -A "$T_TMP/exp" | sort | tr '\n' ' ')" = "r.tar r.tar.gz " ] &&
	ok "only the archives are there" || not_ok "out has: $(ls -A "$T_TMP/exp")"
tar -tf "$T_TMP/exp/r.tar" | grep -q '^metadata.plist' && ok "the archive is complete" ||
	not_ok "the archive is not an export"
"$SBOX" rm swap >/dev/null 2>&1
done_testing
