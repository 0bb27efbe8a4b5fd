# Shared helpers for tests/*/t*.sh. Source it: . "$TOP/tests/lib/test-lib.sh"
# Each script exits 0 when every check passed, 77 to skip, 1 otherwise.
set -u
: "${SBOX:?SBOX must point at the binary under test}"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
T_FAILS=0
T_COUNT=0
T_TMP=$(mktemp -d "${SBOX_TEST_TMP:-/tmp}/t.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

ok() { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $*"; }
not_ok() { T_COUNT=$((T_COUNT + 1)); T_FAILS=$((T_FAILS + 1)); echo "not ok $T_COUNT - $*"; }
skip_all() { echo "skip: $*"; exit 77; }

# expect_rc WANT DESC CMD...: run CMD, compare its exit status.
expect_rc() {
	want=$1; desc=$2; shift 2
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"; got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $got, wanted $want)"
		sed 's/^/#   /' "$T_TMP/out" "$T_TMP/err" | head -20
	fi
}
# expect_grep PATTERN FILE DESC
expect_grep() {
	if grep -q -- "$1" "$2"; then ok "$3"; else
		not_ok "$3 (no '$1' in $(basename "$2"))"; sed 's/^/#   /' "$2" | head -20
	fi
}
# user_home USER: a fresh home owned by USER ("" = the current user), so
# that sbox can keep its seal key there (tests/security/t0541); prints it.
user_home() {
	uh=$(mktemp -d "${SBOX_TEST_TMP:-/tmp}/home.XXXXXX")
	chmod 755 "$uh"
	case "$uh" in "${SBOX_TEST_TMP:-/nonexistent}"/*) chmod 755 "$SBOX_TEST_TMP" ;; esac
	[ -n "$1" ] && chown "$1" "$uh"
	echo "$uh"
}
# expect_check_clean DESC ARGS...: `sbox check --format json ARGS` exits 0
# and reports no error and no warning.
expect_check_clean() {
	desc=$1; shift
	"$SBOX" check --format json "$@" >"$T_TMP/check.json" 2>&1; got=$?
	if [ "$got" -eq 0 ] && grep -q '"errors": 0' "$T_TMP/check.json" &&
	   grep -q '"warnings": 0' "$T_TMP/check.json"; then ok "$desc"; else
		not_ok "$desc (exit $got)"; sed 's/^/#   /' "$T_TMP/check.json" | head -30
	fi
}
# driver_results LABEL SCENARIO RC FILE: the "PASS what" / "FAIL what"
# lines of tests/launch/pty_drive.py in FILE as checks "LABEL: what"; its
# exit status RC other than 0 with no FAIL line is a failure of its own.
driver_results() {
	while IFS= read -r line; do
		case $line in
		PASS\ *) ok "$1: ${line#PASS }" ;;
		FAIL\ *) not_ok "$1: ${line#FAIL }" ;;
		esac
	done <"$4"
	if [ "$3" -ne 0 ] && ! grep -q '^FAIL' "$4"; then
		not_ok "$1: $2 driver exit $3"; sed 's/^/#   /' "$4" | tail -40
	fi
}
# run_suites: the script's `suite LABEL USER` as root and then as the
# unprivileged $TEST_USER (created when missing); as a normal user, once.
# The unprivileged suite gets a HOME of its own (sbox seals containers
# with a key kept under HOME, which must be writable).
run_suites() {
	TEST_USER=${TEST_USER:-${SBOX_TEST_USER:-sboxtest}}
	if [ "$(id -u)" -eq 0 ]; then
		suite root ""
		id "$TEST_USER" >/dev/null 2>&1 ||
			useradd -M -r -s /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1
		if id "$TEST_USER" >/dev/null 2>&1; then
			rs_home=$HOME
			HOME=$(user_home "$TEST_USER")
			export HOME
			suite user "$TEST_USER"
			HOME=$rs_home
		else echo "# cannot create user $TEST_USER: unprivileged run skipped"; fi
	else
		suite user ""
	fi
}
# suite_dir TAG [BASE]: $d, a fresh BASE/sbox-TAG.XXXXXX (BASE: /tmp) that
# the suite's user can enter ($T_TMP is private); the suite removes it.
suite_dir() {
	d=$(mktemp -d "${2:-/tmp}/sbox-$1.XXXXXX") || exit 1
	chmod 755 "$d"
}
# suite_as USER: $as, what runs a command as USER ("" for the current
# user, who keeps $d); USER is given $d.
suite_as() {
	as=""
	if [ -n "$1" ]; then
		chown -R "$1" "$d"
		as="setpriv --reuid=$1 --regid=$1 --init-groups"
	fi
}
done_testing() { echo "# $T_COUNT checks, $T_FAILS failed"; [ "$T_FAILS" -eq 0 ]; exit $?; }
# share_tmp: let other users (SUDO_UID tests) reach $T_TMP, whose
# folders are private (mktemp -d); sbox reads what they name as them.
share_tmp() {
	chmod 755 "$T_TMP"
	case "$T_TMP" in "${SBOX_TEST_TMP:-/nonexistent}"/*) chmod 755 "$SBOX_TEST_TMP" ;; esac
}

# For the store attacks (tests/security/t0540-t0542), which run the
# script's suite as root and as $TEST_USER:
# store_attack_init: Linux only; the folders in DIRS are removed at exit;
# HOSTNET is the host's network namespace
store_attack_init() {
	[ "$(uname -s)" = Linux ] || skip_all "Linux only"
	TEST_USER=${SBOX_TEST_USER:-sboxtest}
	DIRS=""
	trap 'for d in $DIRS; do rm -rf "$d"; done; rm -rf "$T_TMP"' EXIT
	HOSTNET=$(readlink /proc/self/ns/net)
}
# run_as USER CMD...: CMD as USER ("" = the current user)
run_as() {
	u=$1; shift
	if [ -n "$u" ]; then
		setpriv --reuid="$u" --regid="$u" --init-groups "$@"
	else
		"$@"
	fi
}
# sb STORE ARGS...: sbox as the suite's $user, with that store, in $d/proj
# and with $d/home as HOME
sb() {
	sbs=$1; shift
	( cd "$d/proj" && run_as "$user" env HOME="$d/home" XDG_DATA_HOME= \
		SBOX_HOME="$sbs" "$SBOX" "$@" )
}
# home_suite_dir TAG: suite_dir TAG, removed at exit (add to DIRS), with
# $d/proj and $d/home; what base denies exists in it, as in a real home
# (a deny missing inside a writable tree stops a launch)
home_suite_dir() {
	suite_dir "$1"
	DIRS="$DIRS $d"
	mkdir -p "$d/proj" "$d/home/.ssh" "$d/home/.gnupg" "$d/home/.aws" \
		"$d/home/Library/Keychains"
}
# tamper_script FILE: the attack, to run inside: rewrite every
# definition.json under $1 to "network": "all" and put its plain digest
# into the metadata next to it; says tampered=1 when one went through
tamper_script() {
	cat >"$1" <<'TAMPER'
#!/bin/sh
found=0
for f in $(find "$1" -name definition.json 2>/dev/null); do
	sed -i 's/"network": *"[a-z]*"/"network": "all"/' "$f" 2>/dev/null || continue
	sum=$(sha256sum "$f" | cut -d' ' -f1)
	m=$(dirname "$f")/metadata.plist
	sed -i "s/sha256:[0-9a-f]*/sha256:$sum/" "$m" 2>/dev/null && found=1
done
echo "tampered=$found"
TAMPER
	chmod 755 "$1"
}
