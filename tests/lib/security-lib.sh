# Helpers for tests/security/t05*.sh, after test-lib.sh:
#   want LABEL ID RESULT   the probe's line for ID in $OUT starts with RESULT
#   as_root_and_user FN    FN root "" as root, then FN user $TEST_USER (an
#                          unprivileged user, created if missing); only
#                          FN user "" when not root
#   build_probe NAME       cc tests/security/NAME.c into $T_TMP/NAME
# Folders in DIRS are removed and processes in PIDS killed at exit.
TEST_USER=${SBOX_TEST_USER:-sboxtest}
DIRS=""
PIDS=""

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"

security_cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for d in $DIRS; do rm -rf "$d"; done
	rm -rf "$T_TMP"
}
trap security_cleanup EXIT

build_probe() {
	cc -O2 -Wall -pthread -o "$T_TMP/$1" "$TOP/tests/security/$1.c" ||
		skip_all "cannot build the probe $1.c"
}

want() {
	if grep -q "^$2 $3" "$OUT"; then ok "$1: $2 $3"; else
		not_ok "$1: $2 should be $3, got: $(grep "^$2 " "$OUT" || echo nothing)"
	fi
}

as_root_and_user() {
	if [ "$(id -u)" -ne 0 ]; then
		"$1" user ""
		return
	fi
	"$1" root ""
	id "$TEST_USER" >/dev/null 2>&1 ||
		useradd -M -r -s /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1 ||
		id "$TEST_USER" >/dev/null 2>&1
	if id "$TEST_USER" >/dev/null 2>&1; then
		# a home of the user's own: sbox keeps its seal key there
		arau_home=$HOME
		HOME=$(user_home "$TEST_USER")
		export HOME
		"$1" user "$TEST_USER"
		HOME=$arau_home
	else
		echo "# cannot create user $TEST_USER: unprivileged run skipped"
	fi
}
