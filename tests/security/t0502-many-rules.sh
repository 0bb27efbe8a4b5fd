#!/bin/sh
# Many rules in one folder are bound as one folder with its other entries
# masked (coalesce_linux.c): the view must stay exactly the rules.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
export SBOX_HOME="$T_TMP/store"
# not under /tmp: the container's private /tmp is listable, see coalesce_linux.c
d=$(mktemp -d /var/tmp/sbox-many.XXXXXX)
mkdir -p "$d/rules" "$T_TMP/bin"
cc -O2 -o "$T_TMP/bin/escape" "$TOP/tests/security/escape.c" ||
	skip_all "cannot build the escape probe"
rules=""
i=0
while [ $i -lt 40 ]; do
	mkdir "$d/rules/r$i"; echo "ok $i" >"$d/rules/r$i/f"
	rules="$rules, \"$d/rules/r$i\""
	i=$((i + 1))
done
mkdir "$d/rules/secret-dir"; echo secret >"$d/rules/secret-dir/key"
echo secret >"$d/rules/secret-file"
"$T_TMP/bin/escape" listen-unix "$d/rules/agent.sock" & sock=$!
trap 'kill $sock 2>/dev/null; rm -rf "$T_TMP" "$d"' EXIT
n=0; while [ $n -lt 50 ] && ! [ -S "$d/rules/agent.sock" ]; do sleep 0.1; n=$((n+1)); done
"$T_TMP/bin/escape" connect-unix "$d/rules/agent.sock" &&
	ok "host reaches its socket" || not_ok "host cannot reach its socket"
cat >"$T_TMP/def.json" <<EOF
{ "name": "many", "extends": ["base"], "network": "none",
  "filesystem": { "read": ["$d/rules/r0" $rules], "exec": ["$T_TMP/bin"],
                  "write": ["$d/rules/r7"] } }
EOF
cd "$T_TMP" || exit 1
expect_rc 0 "launch with 40 rules in one folder" "$SBOX" launch "$T_TMP/def.json" -- \
	/bin/sh -c "cat $d/rules/r3/f $d/rules/r39/f; echo w >$d/rules/r7/new && echo wrote-r7;
	echo x >$d/rules/r8/new 2>/dev/null || echo r8-read-only;
	cat $d/rules/secret-file 2>/dev/null || echo no-secret-file;
	cat $d/rules/secret-dir/key 2>/dev/null || echo no-secret-dir;
	ls $d/rules >/dev/null 2>&1 || echo no-listing;
	$T_TMP/bin/escape connect-unix $d/rules/agent.sock || echo no-socket;
	wc -l </proc/self/mountinfo"
o=$T_TMP/out
expect_grep "^ok 3$" "$o" "a rule in the folder is readable"
expect_grep "^ok 39$" "$o" "the last rule in the folder is readable"
expect_grep "^wrote-r7$" "$o" "the writable rule inside is writable"
expect_grep "^r8-read-only$" "$o" "a read rule stays read-only"
expect_grep "^no-secret-file$" "$o" "another file in the folder stays hidden"
expect_grep "^no-secret-dir$" "$o" "another folder in the folder stays hidden"
expect_grep "^no-listing$" "$o" "the folder itself cannot be listed"
expect_grep "^no-socket$" "$o" "a socket in the folder cannot be reached"
mounts=$(tail -1 "$o")
# 1,100 rules hold more descriptors during the set-up than the usual soft
# limit of 1,024; the program still gets the caller's own limit.
mkdir "$d/big"
big=""
i=0
while [ $i -lt 1100 ]; do
	mkdir "$d/big/b$i" "$d/big/b$i/x"
	big="$big, \"$d/big/b$i/x\""
	i=$((i + 1))
done
cat >"$T_TMP/big.json" <<EOF
{ "name": "big", "extends": ["base"], "network": "none",
  "filesystem": { "read": ["$d/big/b0/x" $big] } }
EOF
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 2000 ]; then
	rc=0
	( ulimit -Sn 1024 && exec "$SBOX" launch "$T_TMP/big.json" -- \
		/bin/sh -c "ls -d $d/big/b1099/x && ulimit -Sn" ) \
		>"$T_TMP/big.out" 2>"$T_TMP/big.err" || rc=$?
	[ $rc -eq 0 ] && ok "1,100 rules under a soft limit of 1,024 descriptors" ||
		{ not_ok "1,100 rules: exit $rc"; sed 's/^/#   /' "$T_TMP/big.err"; }
	expect_grep "^$d/big/b1099/x\$" "$T_TMP/big.out" "the last of 1,100 rules is there"
	expect_grep "^1024\$" "$T_TMP/big.out" "the program keeps the caller's limit"
else
	ok "# skip the hard descriptor limit ($hard) is too low"
fi

[ "${mounts:-99}" -lt 40 ] && ok "40 rules took $mounts mounts, not one each" ||
	not_ok "40 rules took $mounts mounts"
done_testing
