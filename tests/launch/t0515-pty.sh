#!/bin/sh
# The program's own terminal (README "Launching"): sbox launch driven on a
# pty by tests/launch/pty_drive.py as a user would (tty, /dev/tty, job
# control in bash, Ctrl-C, Ctrl-Z, window size, the user's terminal modes
# unchanged after every ending, issue 10 item 10's attacks on the user's
# terminal), as root and as an unprivileged user; and the launch without
# a terminal, which must stay as it was: descriptors passed through.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
TEST_USER=${SBOX_TEST_USER:-sboxtest}
DRIVE=$TOP/tests/launch/pty_drive.py
DIRS=""
trap 'for d in $DIRS; do rm -rf "$d"; done; rm -rf "$T_TMP"' EXIT

cc -O2 -Wall -o "$T_TMP/escape" "$TOP/tests/security/escape.c" ||
	skip_all "cannot build the escape probe"

# drive LABEL SCENARIO [USER]: the driver's PASS/FAIL lines as results.
drive() {
	label=$1 scenario=$2 user=${3:-}
	( cd "$d/proj" && SBOX_HOME="$d/store" ESCAPE="$d/bin/escape" \
	  TICKS="$d/rw/ticks" timeout 120 python3 "$DRIVE" "$scenario" \
	  "$SBOX" "$d/def.json" "$user" ) >"$d/drive.out" 2>&1
	driver_results "$label" "$scenario" $? "$d/drive.out"
}

suite() {
	label=$1 user=$2
	suite_dir pty
	DIRS="$DIRS $d"
	mkdir -p "$d/proj" "$d/rw" "$d/bin" "$d/store"
	cp "$T_TMP/escape" "$d/bin/escape"
	cat >"$d/def.json" <<EOF
{
  "name": "ptytest",
  "extends": ["base"],
  "filesystem": { "write": ["$d/rw"], "exec": ["$d/bin"] },
  "environment": { "inherit": ["PATH"], "set": { "TERM": "xterm" } },
  "network": "none"
}
EOF
	ids=""
	if [ -n "$user" ]; then
		chown -R "$user" "$d"
		ids="$(id -u "$user"):$(id -g "$user")"
	fi
	for s in basics reopen bash timeout sigterm crash tstp-pty bg-fg \
		 tstp-nopty attack; do
		drive "$label" "$s" "$ids"
	done
}

if [ "$(id -u)" -eq 0 ]; then
	suite root ""
	id "$TEST_USER" >/dev/null 2>&1 ||
		useradd -M -r -s /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1
	if id "$TEST_USER" >/dev/null 2>&1; then
		t_home=$HOME
		HOME=$(user_home "$TEST_USER")  # for the seal key
		export HOME
		suite user "$TEST_USER"
		HOME=$t_home
		# root through sudo (the user's store, from the suite above):
		# the program runs as the user, on a pty the user owns
		SUDO_UID=$(id -u "$TEST_USER") SUDO_GID=$(id -g "$TEST_USER") \
			drive "root via sudo" reopen
	else
		echo "# cannot create user $TEST_USER: unprivileged run skipped"
	fi
else
	suite user ""
fi

# Without a terminal nothing changes: the program gets sbox's own pipe
# (the same pipe inode, no relay in between), bytes pass unchanged.
d=$T_TMP
mkdir -p "$d/np" && cd "$d/np" || exit 1
export SBOX_HOME="$d/npstore"
cat >"$d/np.json" <<EOF
{ "name": "nopty", "extends": ["base"], "network": "none" }
EOF
printf x | { readlink /proc/self/fd/0
	     "$SBOX" launch "$d/np.json" -- readlink /proc/self/fd/0; } \
	>"$d/fd0" 2>"$d/err"
if [ "$(sort -u "$d/fd0" | wc -l)" -eq 1 ] && grep -q '^pipe:' "$d/fd0"; then
	ok "no terminal: the program's stdin is sbox's own pipe"
else
	not_ok "no terminal: stdin is not passed through: $(tr '\n' ' ' <"$d/fd0")"
fi
head -c 3000000 /dev/urandom >"$d/blob"
"$SBOX" launch "$d/np.json" -- cat <"$d/blob" 2>"$d/err" | cmp -s - "$d/blob" &&
	ok "no terminal: 3 MB through cat unchanged" ||
	not_ok "no terminal: bytes changed on the way"
"$SBOX" launch "$d/np.json" -- /bin/sh -c 'test -t 0 || test -t 1 ||
	test -e /dev/pts/0 || echo no-tty' </dev/null >"$d/out" 2>&1
expect_grep "no-tty" "$d/out" "no terminal: no pty and no devpts inside"
echo hi | "$SBOX" launch --pty "$d/np.json" -- /bin/sh -c 'tty; cat' \
	>"$d/out" 2>"$d/err"
tr -d '\r' <"$d/out" >"$d/out2"
expect_grep "^/dev/pts/0" "$d/out2" "--pty without a terminal: a pty anyway"
expect_grep "^hi" "$d/out2" "--pty without a terminal: input relayed"
done_testing
