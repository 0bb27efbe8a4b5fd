#!/bin/sh
# sbox launch: exit statuses, signals forwarded, the wall-clock timeout,
# terminals and pipes passed through, the scrubbed environment, limits.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj"
cd "$T_TMP/proj" || exit 1
cat >"$T_TMP/def.json" <<EOF
{
  "name": "lt",
  "extends": ["base"],
  "filesystem": { "read": ["\${PROJECT}"] },
  "environment": { "inherit": ["PATH"], "set": { "CI": "1" } },
  "limits": { "open-files": 17 },
  "network": "none"
}
EOF
DEF=$T_TMP/def.json

expect_rc 0 "launch /bin/true" "$SBOX" launch "$DEF" -- /bin/true
expect_rc 7 "the program's exit status comes back" \
	"$SBOX" launch "$DEF" -- /bin/sh -c 'exit 7'
expect_rc 143 "killed by SIGTERM inside: 128+15" \
	"$SBOX" launch "$DEF" -- /bin/sh -c 'kill -TERM $$'
expect_rc 137 "killed by SIGKILL inside: 128+9" \
	"$SBOX" launch "$DEF" -- /bin/sh -c 'kill -KILL $$'
expect_rc 0 "launch by container name" "$SBOX" launch lt -- /bin/true
expect_rc 125 "a missing program: sbox failed before it started" \
	"$SBOX" launch "$DEF" -- /nonexistent/prog
expect_grep "cannot execute '/nonexistent/prog'" "$T_TMP/err" \
	"missing program named"
# The set-up fails inside the container's first process (no descriptor
# left for /dev/null): its warnings and its error both reach the user,
# and the launcher (which shared its memory) exits cleanly with 125.
found=
for n in $(seq 10 60); do
	rc=0
	( ulimit -n "$n" && exec "$SBOX" launch "$DEF" -- /bin/true ) \
		>/dev/null 2>"$T_TMP/err" || rc=$?
	if grep -q "cannot open /dev/null" "$T_TMP/err"; then
		found=$n
		break
	fi
done
if [ -n "$found" ]; then
	[ "$rc" -eq 125 ] && ok "a failed set-up exits 125 (ulimit -n $found)" ||
		not_ok "a failed set-up exits $rc, not 125"
	expect_grep "warning: skipping" "$T_TMP/err" \
		"the set-up's warnings come before its error"
else
	not_ok "no descriptor limit made the set-up fail"
fi
# The first process dies during its set-up (strace delivers SIGKILL at
# pivot_root): it may have been inside malloc in the memory it shares
# with the launcher, which must say so and leave without touching it.
if command -v strace >/dev/null 2>&1; then
	rc=0
	strace -f -o /dev/null -e trace=pivot_root \
		-e inject=pivot_root:signal=KILL \
		"$SBOX" launch "$DEF" -- /bin/true 2>"$T_TMP/err" || rc=$?
	[ "$rc" -eq 125 ] && ok "a set-up killed by a signal exits 125" ||
		not_ok "a set-up killed by a signal exits $rc, not 125"
	expect_grep "set-up was killed by signal 9" "$T_TMP/err" \
		"a killed set-up is reported"
else
	ok "# skip strace is not installed"
fi
expect_rc 2 "no container or definition" "$SBOX" launch
expect_rc 2 "unknown container" "$SBOX" launch no-such-box -- /bin/true
expect_rc 2 "program without --" "$SBOX" launch "$DEF" /bin/true
expect_rc 2 "bad --timeout" "$SBOX" launch --timeout soon "$DEF" -- /bin/true

out=$(echo piped-in | "$SBOX" launch "$DEF" -- /bin/cat)
[ "$out" = piped-in ] && ok "stdin and stdout pass through" ||
	not_ok "stdin/stdout: got '$out'"

out=$(FOO=leak "$SBOX" launch "$DEF" -- /usr/bin/env | sort | tr '\n' ' ')
case "$out" in
*FOO=*) not_ok "environment not scrubbed: $out" ;;
*CI=1*HOME=$SBOX_HOME/lt/Data*PATH=*) ok "environment: inherit, set, HOME" ;;
*) not_ok "environment: $out" ;;
esac

sed 's/"lt"/"lt-real"/; s/"network"/"home": "real", "network"/' "$DEF" >"$T_TMP/real.json"
out=$("$SBOX" launch "$T_TMP/real.json" -- /bin/sh -c 'echo "$HOME"')
[ "$out" = "$HOME" ] && ok "home real: HOME stays the user's" ||
	not_ok "home real: HOME is '$out', not '$HOME'"

out=$("$SBOX" launch "$DEF" -- /bin/sh -c 'ulimit -n')
[ "$out" = 17 ] && ok "limits.open-files becomes RLIMIT_NOFILE" ||
	not_ok "open-files limit: got '$out'"

# root through sudo: the program runs as the invoking user, who owns Data/
if [ "$(id -u)" -eq 0 ]; then
	# sbox reads the definition with the user's rights: let them
	share_tmp
	out=$(SUDO_UID=65534 SUDO_GID=65534 SBOX_HOME="$T_TMP/sudo-store" \
	      "$SBOX" launch "$DEF" -- /bin/sh -c \
	      'echo "$(id -u):$(id -g):$(id -G)"; touch "$HOME/w" && echo wrote' 2>&1 |
	      tr '\n' ' ')
	[ "$out" = "65534:65534:65534 wrote " ] &&
		ok "under sudo the program runs as SUDO_UID and writes its HOME" ||
		not_ok "under sudo: got '$out'"
fi

# signals sent to sbox reach the program (not pid 1: see launch_linux.c)
"$SBOX" launch "$DEF" -- /bin/sh -c \
	'trap "exit 42" TERM; echo ready; while :; do sleep 0.05; done' \
	>"$T_TMP/sig.out" 2>&1 &
pid=$!
n=0; while [ $n -lt 300 ] && ! grep -q ready "$T_TMP/sig.out"; do sleep 0.05; n=$((n+1)); done
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 42 ] && ok "SIGTERM forwarded to the program's handler" ||
	not_ok "forwarded SIGTERM: exit $rc"

# (a background job starts with SIGINT ignored; sbox keeps that, as any
# program would, so give it the default disposition back first)
env --default-signal=INT "$SBOX" launch "$DEF" -- /bin/sh -c \
	'echo ready; exec sleep 30' >"$T_TMP/sig2.out" 2>&1 &
pid=$!
n=0; while [ $n -lt 300 ] && ! grep -q ready "$T_TMP/sig2.out"; do sleep 0.05; n=$((n+1)); done
sleep 0.1
kill -INT $pid
wait $pid; rc=$?
[ $rc -eq 130 ] && ok "SIGINT kills a program without handler: 130" ||
	not_ok "forwarded SIGINT: exit $rc"

start=$(date +%s)
expect_rc 137 "--timeout kills the container" \
	"$SBOX" launch --timeout 1 "$DEF" -- /bin/sleep 30
[ $(( $(date +%s) - start )) -lt 10 ] && ok "timeout took about 1 s" ||
	not_ok "timeout too slow"
expect_grep "ran out of time" "$T_TMP/err" "timeout message"

sed 's/"open-files": 17/"open-files": 17, "wall-seconds": 1/; s/"lt"/"lt2"/' \
	"$DEF" >"$T_TMP/def2.json"
expect_rc 137 "limits.wall-seconds kills the container" \
	"$SBOX" launch "$T_TMP/def2.json" -- /bin/sleep 30

# orphans die with the container: a background child outlives nothing
"$SBOX" launch "$DEF" -- /bin/sh -c '/bin/sleep 300 & exit 0'
sleep 0.2
if pgrep -f "sleep 300" >/dev/null 2>&1; then
	not_ok "a process survived its container"; pkill -f "sleep 300"
else ok "no process survives the container"; fi

# the container dies with the launcher, even on SIGKILL (#23)
"$SBOX" launch "$DEF" -- /bin/sh -c 'echo ready; exec /bin/sleep 301' \
	>"$T_TMP/k9.out" 2>&1 &
pid=$!
n=0; while [ $n -lt 300 ] && ! grep -q ready "$T_TMP/k9.out"; do sleep 0.05; n=$((n+1)); done
kill -KILL $pid
wait $pid 2>/dev/null
sleep 0.3
if pgrep -f "sleep 301" >/dev/null 2>&1; then
	not_ok "the container outlived a SIGKILLed launcher"; pkill -f "sleep 301"
else ok "the container dies with a SIGKILLed launcher"; fi

expect_rc 0 "compile --target linux" "$SBOX" compile "$DEF" --target linux
expect_grep '"namespaces": \["user", "mount", "pid", "ipc", "uts", "net"\]' \
	"$T_TMP/out" "plan lists the namespaces"
expect_grep '"approximations": \[' "$T_TMP/out" "plan lists approximations"
expect_grep '"path": "${PROJECT}", "mount": "bind-ro", "landlock": \["read"\]' \
	"$T_TMP/out" "plan maps read to a read-only bind and Landlock read"
done_testing
