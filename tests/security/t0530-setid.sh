#!/bin/sh
# Issue 10 #2: no program in a container leaves a setuid or setgid file,
# or a file capability, on the host, whatever uid it runs as (root
# launching without sudo runs it as uid 0). Each way is tried for real in
# a writable tree, then the host side is checked. Root and unprivileged.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
TEST_USER=${SBOX_TEST_USER:-sboxtest}
cc -O2 -Wall -o "$T_TMP/setid" "$TOP/tests/security/setid.c" ||
	skip_all "cannot build the probe"

want() {
	if grep -q "^$2 $3" "$OUT"; then ok "$1: $2 $3"; else
		not_ok "$1: $2 should be $3, got: $(grep "^$2 " "$OUT" || echo nothing)"
	fi
}

suite() {
	label=$1 user=$2
	suite_dir setid
	mkdir -p "$d/rw" "$d/ro" "$d/bin" "$d/proj" "$d/store"
	cp "$T_TMP/setid" "$d/bin/setid"
	# a set-id file the program may read and copy (as the host has many)
	cp /bin/true "$d/ro/suid"
	suite_as "$user"
	chmod 6755 "$d/ro/suid"
	tar -C "$d/ro" -cpf "$d/ro/suid.tar" suid
	cat >"$d/def.json" <<EOF2
{
  "name": "setid",
  "extends": ["base"],
  "filesystem": { "read": ["$d/ro"], "write": ["$d/rw"], "exec": ["$d/bin"] },
  "network": "none"
}
EOF2
	OUT=$d/out
	( cd "$d/proj" && SBOX_HOME="$d/store" $as "$SBOX" launch "$d/def.json" -- \
	  /bin/sh -c "'$d/bin/setid' try '$d/rw'
		cp -p '$d/ro/suid' '$d/rw/cp-p' 2>/dev/null; echo cp-p \$?
		mkdir '$d/rw/tar' && tar -C '$d/rw/tar' -xpf '$d/ro/suid.tar' 2>/dev/null
		echo tar-p \$?" >"$OUT" 2>"$d/err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: launch exit 0" ||
		{ not_ok "$label: launch exit $rc"; sed 's/^/#   /' "$d/err"; }
	want "$label" control-chmod-0755 ALLOWED
	for id in chmod-4755 chmod-2755 fchmod-4755 fchmodat-6755 fchmodat2-4755 \
		  open-creat-4755 openat-creat-2755 creat-4755 mknod-4755 \
		  mknodat-2755 setxattr-capability fsetxattr-capability \
		  lsetxattr-capability; do
		want "$label" "$id" "BLOCKED EPERM"
	done
	want "$label" openat2-creat-4755 "BLOCKED ENOSYS"
	[ -f "$d/rw/cp-p" ] && [ -f "$d/rw/tar/suid" ] &&
		ok "$label: cp -p and tar -p copied the files (without the bits)" ||
		not_ok "$label: cp -p / tar -p made no copy"
	if "$T_TMP/setid" check "$d/rw" >"$d/found"; then
		ok "$label: no set-id file or file capability on the host"
	else
		not_ok "$label: found on the host: $(cat "$d/found")"
	fi
	rm -rf "$d"
}

run_suites
done_testing
