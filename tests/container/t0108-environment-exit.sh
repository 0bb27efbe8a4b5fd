#!/bin/sh
# What the environment refuses exits 3 ("the environment cannot do it"),
# naming the path and the reason: a store folder, its lock, the seal key
# folder or the seal records that cannot be written (a non-root user and
# chmod), and a store on a read-only mount (unshare). Nothing is left
# behind.
. "$TOP/tests/lib/test-lib.sh"
[ "$(uname -s)" = Linux ] || skip_all "Linux only"

if [ "$(id -u)" -eq 0 ]; then
	TEST_USER=${TEST_USER:-${SBOX_TEST_USER:-sboxtest}}
	id "$TEST_USER" >/dev/null 2>&1 ||
		useradd -M -r -s /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1
	id "$TEST_USER" >/dev/null 2>&1 || skip_all "cannot create user $TEST_USER"
	user=$TEST_USER
else
	user=""
fi
suite_dir envexit
trap 'chmod -R u+w "$d" 2>/dev/null; rm -rf "$d" "$T_TMP"' EXIT
mkdir -p "$d/proj" "$d/home" "$d/store"
printf '{ "name": "e", "extends": "base" }\n' >"$d/e.json"
suite_as "$user"
chmod 700 "$d/store"
# sbx ARGS: sbox as the unprivileged user, with $d/store and $d/home
sbx() {
	( cd "$d/proj" && $as env HOME="$d/home" XDG_DATA_HOME= \
		SBOX_HOME="$d/store" "$SBOX" "$@" )
}
# expect3 DESC PATTERN ARGS...: exit 3 and PATTERN in the message
expect3() {
	what=$1 pat=$2; shift 2
	expect_rc 3 "$what: exit 3" sbx "$@"
	expect_grep "$pat" "$T_TMP/err" "$what: names the path and the reason"
}
left() { ls -A "$d/store" | grep -v -x -e .lock -e e | tr '\n' ' '; }

# the store folder is read-only: no lock file yet, then with one
chmod 500 "$d/store"
expect3 "read-only store, no lock file" \
	"cannot open the store lock $d/store/.lock: Permission denied" launch "$d/e.json" -- /bin/true
chmod 700 "$d/store"
sbx list >/dev/null 2>&1 && run_as "$user" touch "$d/store/.lock"
chmod 500 "$d/store"
expect3 "read-only store" "sbox: cannot write the store $d/store: Permission denied" \
	launch "$d/e.json" -- /bin/true
expect3 "read-only store, sbox create" "cannot write the store $d/store: Permission denied" \
	create "$d/e.json"
chmod 700 "$d/store"
[ -z "$(left)" ] && ok "nothing left in the store" || not_ok "left: $(left)"

# the folder of the seal key cannot be made
chmod 500 "$d/home"
expect3 "home not writable" \
	"cannot create the seal key folder $d/home/.local/share/sbox/seal: Permission denied" \
	launch "$d/e.json" -- /bin/true
chmod 755 "$d/home"
[ -z "$(left)" ] && ok "nothing left in the store after the key failure" || not_ok "left: $(left)"

# the seal records cannot be written
expect_rc 0 "a launch that works" sbx launch "$d/e.json" -- /bin/true
rec="$d/home/.local/share/sbox/seal/current"
chmod 500 "$rec"
expect3 "seal records not writable" "cannot write the seal records $rec: Permission denied" \
	launch "$d/e.json" --name e2 -- /bin/true
chmod 700 "$rec"
[ -z "$(left)" ] && ok "nothing left in the store after the record failure" || not_ok "left: $(left)"

# a store on a read-only mount
if command -v unshare >/dev/null && unshare -rm true 2>/dev/null; then
	ro="$T_TMP/ro"
	mkdir -p "$ro/store" "$ro/home" "$ro/proj"
	chmod 700 "$ro/store"
	( cd "$ro/proj" && HOME="$ro/home" XDG_DATA_HOME= SBOX_HOME="$ro/store" \
		unshare -rm sh -c 'mount --bind "$1" "$1" &&
			mount -o remount,ro,bind "$1" && exec "$2" launch "$3" -- /bin/true' \
		sh "$ro/store" "$SBOX" "$d/e.json" ) >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	[ $rc -eq 3 ] && ok "read-only mount: exit 3" || { not_ok "read-only mount: exit $rc"; sed 's/^/#   /' "$T_TMP/err"; }
	expect_grep "$ro/store.*: Read-only file system" "$T_TMP/err" \
		"read-only mount: names the store and the reason"
else
	echo "# unshare -rm is not available: the read-only mount is not tried"
fi
done_testing
