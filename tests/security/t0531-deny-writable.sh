#!/bin/sh
# Issue 10 #1: a deny inside a writable tree holds within a launch and
# across launches. Inside, no folder above the denied path can be renamed,
# exchanged or removed; at launch, a denied path that is missing, replaced
# by a symlink or cannot be opened (a 5,000-character path) stops the
# launch with exit 3 naming it, unless --allow-weaker. A deny of a path
# that never existed inside a writable tree is refused the same way (the
# program could create it). As root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
TEST_USER=${SBOX_TEST_USER:-sboxtest}
cc -O2 -Wall -o "$T_TMP/exchange" "$TOP/tests/security/exchange.c" ||
	skip_all "cannot build the probe"

suite() {
	label=$1 user=$2
	suite_dir denyrw
	p=$d/proj
	mkdir -p "$p/.git/hooks" "$p/other" "$d/bin" "$d/store" "$d/ro"
	echo orig >"$p/.git/hooks/pre-commit"
	echo config >"$p/.git/config"
	cp "$T_TMP/exchange" "$d/bin/exchange"
	# a denied file 5,000 characters deep, reachable one folder at a time
	long=$(printf 'l%.0s' $(seq 99))
	python3 -c 'import os, sys
os.chdir(sys.argv[1])
for i in range(50):
    os.mkdir(sys.argv[2]); os.chdir(sys.argv[2])
open("f", "w").write("deep-secret\n")' "$p" "$long" ||
		{ not_ok "$label: cannot make the deep tree"; return; }
	deep=$p; for i in $(seq 50); do deep=$deep/$long; done
	cat >"$d/def.json" <<EOF2
{"name":"t3","extends":["base"],
 "filesystem":{"write":["$p"],"exec":["$d/bin"],"deny":["$p/.git/hooks"]},
 "network":"none"}
EOF2
	cat >"$d/deep.json" <<EOF2
{"name":"deep","extends":["base"],
 "filesystem":{"write":["$p"],"deny":["$deep/f"]},"network":"none"}
EOF2
	cat >"$d/never.json" <<EOF2
{"name":"never","extends":["base"],
 "filesystem":{"write":["$p"],"deny":["$p/.ssh/authorized_keys"]},"network":"none"}
EOF2
	cat >"$d/ro.json" <<EOF2
{"name":"ro","extends":["base"],
 "filesystem":{"read":["$d/ro"],"deny":["$d/ro/.env","/lib/sbox-none/x"]},
 "network":"none"}
EOF2
	suite_as "$user"
	launch() { ( cd "$p" && SBOX_HOME="$d/store" $as "$SBOX" launch "$@" ); }

	# within one launch: nothing above the mask moves, the mask holds
	launch "$d/def.json" -- /bin/sh -c '
		mv .git .git-moved 2>/dev/null; echo "mv-git $?"
		mv .git/hooks .git/h 2>/dev/null; echo "mv-hooks $?"
		'"$d/bin/exchange"' .git other
		rm -rf .git 2>/dev/null; echo "rm-git $?"
		rmdir .git/hooks 2>/dev/null; echo "rmdir-hooks $?"
		cat .git/hooks/pre-commit 2>/dev/null; echo "read-hook $?"
		echo evil 2>/dev/null >.git/hooks/pre-commit; echo "write-hook $?"
		echo ok >.git/inside && echo "write-git 0"' >"$d/out" 2>"$d/err"
	rc=$?
	[ $rc -eq 0 ] && ok "$label: launch with the deny: exit 0" ||
		{ not_ok "$label: launch exit $rc"; sed 's/^/#   /' "$d/err"; }
	for id in mv-git mv-hooks rm-git rmdir-hooks read-hook write-hook; do
		if grep -q "^$id [1-9]" "$d/out"; then ok "$label: $id refused"
		else not_ok "$label: $id: $(grep "^$id" "$d/out")"; fi
	done
	expect_grep '^exchange BLOCKED EBUSY' "$d/out" "$label: RENAME_EXCHANGE of .git refused (EBUSY)"
	expect_grep '^write-git 0' "$d/out" "$label: the rest of .git stays writable"
	[ -d "$p/.git" ] && [ "$(cat "$p/.git/hooks/pre-commit")" = orig ] &&
		ok "$label: the host's .git is intact" ||
		not_ok "$label: the host's .git changed"

	# across launches: what an earlier run (or anything) did to the path
	mv "$p/.git" "$p/.git-moved"
	expect_rc 3 "$label: denied path moved away: exit 3" launch "$d/def.json" -- /bin/true
	expect_grep "cannot enforce the deny of '$p/.git/hooks'" "$T_TMP/err" \
		"$label: the message names the denied path"
	expect_rc 0 "$label: --allow-weaker runs anyway" \
		launch --allow-weaker "$d/def.json" -- /bin/true
	expect_grep "warning: the deny of '$p/.git/hooks' is not enforced" "$T_TMP/err" \
		"$label: --allow-weaker warns"
	cp -R "$p/.git-moved" "$d/copy"
	[ -n "$user" ] && chown -R "$user" "$d/copy"
	ln -s "$d/copy" "$p/.git"
	[ -n "$user" ] && chown -h "$user" "$p/.git"
	expect_rc 3 "$label: .git replaced by a symlink: exit 3" \
		launch "$d/def.json" -- cat .git/hooks/pre-commit
	expect_grep "symlink" "$T_TMP/err" "$label: the message says symlink"
	rm "$p/.git"; mv "$p/.git-moved" "$p/.git"

	expect_rc 3 "$label: a 5,000-character denied path: exit 3" \
		launch "$d/deep.json" -- /bin/true
	expect_grep "cannot enforce the deny of '$p/$long" "$T_TMP/err" \
		"$label: the message names the long path"

	# a deny of a path that never existed, inside a writable tree
	expect_rc 3 "$label: deny of a never-existing path in a writable tree: exit 3" \
		launch "$d/never.json" -- /bin/sh -c 'mkdir -p .ssh && echo key >.ssh/authorized_keys'
	! [ -e "$p/.ssh" ] && ok "$label: nothing was created" ||
		not_ok "$label: the program created the denied path"
	mkdir -p "$p/.ssh"; touch "$p/.ssh/authorized_keys"
	[ -n "$user" ] && chown -R "$user" "$p/.ssh"
	expect_rc 2 "$label: once it exists it is masked (sh cannot write)" \
		launch "$d/never.json" -- /bin/sh -c 'echo key >.ssh/authorized_keys'
	[ -s "$p/.ssh/authorized_keys" ] && not_ok "$label: written through the mask" ||
		ok "$label: the denied file stays empty"
	# outside writable trees a missing denied path cannot be made: fine
	# (/lib/sbox-none/x: through Debian's trusted /lib -> usr/lib link)
	expect_rc 0 "$label: missing deny in a read-only tree: runs" \
		launch "$d/ro.json" -- /bin/true
	rm -rf "$d"
}

run_suites
done_testing
