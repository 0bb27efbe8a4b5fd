#!/bin/sh
# Issue 10 #13: a program that makes init its debugger (PTRACE_TRACEME)
# and stops is not taken for the end of the program; debuggers inside a
# container (strace, gdb) work. As root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
TEST_USER=${SBOX_TEST_USER:-sboxtest}

suite() {
	label=$1 user=$2
	suite_dir ptrace
	mkdir -p "$d/bin" "$d/proj" "$d/store"
	cc -O2 -Wall -o "$d/bin/ptraceme" "$TOP/tests/launch/ptraceme.c" ||
		{ not_ok "$label: cannot build the probe"; return; }
	cat >"$d/def.json" <<EOF2
{
  "name": "pt",
  "extends": ["base"],
  "filesystem": { "read": ["$d/bin"], "exec": ["$d/bin"] },
  "network": "none"
}
EOF2
	suite_as "$user"
	run() { ( cd "$d/proj" && SBOX_HOME="$d/store" exec $as "$SBOX" run "$d/def.json" "$@" ); }

	# stopped by SIGSTOP like an untraced program: SIGCONT resumes it
	( cd "$d/proj" && SBOX_HOME="$d/store" exec $as "$SBOX" run "$d/def.json" \
	  --report "$d/r.json" -- "$d/bin/ptraceme" stop >"$d/out" 2>"$d/err" ) &
	pid=$!
	sleep 1
	kill -CONT $pid 2>/dev/null
	wait $pid
	rc=$?
	[ $rc -eq 7 ] && ok "$label: TRACEME + SIGSTOP, then SIGCONT: exit 7" ||
		{ not_ok "$label: TRACEME + SIGSTOP: exit $rc"; sed 's/^/#   /' "$d/err" "$d/r.json"; }
	expect_grep '"exit_code": 7' "$d/r.json" "$label: report: exit code 7"
	expect_grep '^resumed' "$d/out" "$label: the program resumed"

	run -- "$d/bin/ptraceme" exec >"$d/out" 2>"$d/err"
	rc=$?
	[ $rc -eq 5 ] && ok "$label: TRACEME + execve: the new program runs (exit 5)" ||
		{ not_ok "$label: TRACEME + execve: exit $rc"; sed 's/^/#   /' "$d/err"; }
	run -- "$d/bin/ptraceme" signal >"$d/out" 2>"$d/err"
	rc=$?
	[ $rc -eq 9 ] && ok "$label: TRACEME + a handled signal is delivered (exit 9)" ||
		{ not_ok "$label: TRACEME + signal: exit $rc"; sed 's/^/#   /' "$d/err"; }

	if command -v strace >/dev/null 2>&1; then
		run -- strace -f -e trace=execve /bin/sh -c 'exit 4' \
			>"$d/out" 2>"$d/err"
		rc=$?
		[ $rc -eq 4 ] && grep -q 'execve("/bin/sh"' "$d/err" &&
			ok "$label: strace works inside" ||
			{ not_ok "$label: strace inside: exit $rc"; sed 's/^/#   /' "$d/out" "$d/err" | head; }
	fi
	if command -v gdb >/dev/null 2>&1; then
		run -- gdb -nx -batch -ex run --args /bin/sh -c 'exit 6' \
			>"$d/out" 2>"$d/err"
		rc=$?
		grep -q 'exited with code 06' "$d/out" &&
			ok "$label: gdb runs a program inside" ||
			{ not_ok "$label: gdb inside: exit $rc"; sed 's/^/#   /' "$d/out" "$d/err" | head; }
	fi
	rm -rf "$d"
}

run_suites
done_testing
