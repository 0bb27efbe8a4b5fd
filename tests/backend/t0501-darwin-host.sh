#!/bin/sh
# The real macOS launcher (src/backend/macos/launch_darwin.c, built against
# tests/shim) run on Linux: tests/backend/darwin_host.c stands in for
# libsandbox, csr_check, sysctl, Apple's posix_spawn flags and the
# definition steps; everything else is real -- exit status, signals, the
# timeout, environment, descriptors, canonical paths, import inlining,
# compile in the parent and apply in the child (and the fallback when
# dlsym finds no compile API), and (as root) the chroot decision, the
# privilege drop and chroot.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux-only harness"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler"
ls "$BUILD"/obj/backend/macos/seatbelt_seq.o >/dev/null 2>&1 || skip_all "no $BUILD objects"
SAN=
nm "$BUILD/obj/util/err.o" 2>/dev/null | grep -q __asan_ &&
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
H=$T_TMP/darwin_host
# The plan asks def_access what a definition grants (link resolution, the
# working directory); def.o comes with it, its def_resolve made weak so that
# darwin_host_fixed.c's stand-in is the one linked.
objcopy -W def_resolve -W def_resolve_partial "$BUILD/obj/def/def.o" "$T_TMP/def.o" ||
	skip_all "no objcopy"
# H0: a libsandbox without the compile API and a libSystem without csr_check.
H0=$T_TMP/darwin_host_nospi
for v in "$H" "$H0:-DHOST_NO_SPI"; do
	out=${v%%:*} def=
	[ "$out" = "$v" ] || def=${v#*:}
	# shellcheck disable=SC2086
	if ! $CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g $SAN $def -rdynamic \
		-I"$TOP/src" -I"$TOP/tests/shim" -o "$out" "$TOP/tests/backend/darwin_host.c" \
		"$TOP/tests/backend/darwin_host_fixed.c" \
		"$TOP/src/backend/macos/launch_darwin.c" "$TOP/src/backend/macos/pty_darwin.c" \
		"$BUILD"/obj/backend/macos/seatbelt_*.o "$BUILD"/obj/backend/macos/macho.o \
		"$BUILD"/obj/backend/env_scrub.o "$BUILD"/obj/backend/pty_relay.o \
		"$BUILD"/obj/def/def_access.o "$BUILD"/obj/def/def_strmap.o "$T_TMP/def.o" \
		"$TOP/src/backend/macos/trace_darwin.c" "$BUILD"/obj/backend/denials.o \
		"$BUILD"/obj/util/*.o $(pkg-config --libs jansson) 2>"$T_TMP/cc.err"; then
		not_ok "darwin_host builds ($out)"; cat "$T_TMP/cc.err"; done_testing
	fi
done
ok "darwin_host builds from launch_darwin.c (with and without the compile API)"

mkdir -p "$T_TMP/real/Data/tmp" "$T_TMP/defs"
ln -s real "$T_TMP/link"
printf '(version 1)\n(allow network*)\n' >"$T_TMP/defs/host-extra.sb"
export HOST_DATA="$T_TMP/link/Data" HOST_DEFDIR="$T_TMP/defs"
real=$(cd "$T_TMP/real" && pwd -P)
data=$real/Data

expect_rc 0 "/bin/true exits 0" "$H" -- /bin/true
expect_rc 7 "the program's exit status comes back" "$H" -- /bin/sh -c 'exit 7'
expect_rc 143 "killed by SIGTERM is 128+15" "$H" -- /bin/sh -c 'kill -TERM $$'
expect_rc 0 "a bare name is found in PATH" "$H" -- true
expect_rc 125 "a missing program is sbox's failure" "$H" -- no-such-program-xyz
expect_grep "not found" "$T_TMP/err" "... and says so"

# Environment: scrubbed to the definition, pointed at the canonical Data/.
(cd "$T_TMP/link" && SECRET_TOKEN=hunter2 "$H" -- /usr/bin/env) >"$T_TMP/env" 2>&1
expect_grep "^HOME=$data\$" "$T_TMP/env" "HOME is the canonical Data/"
expect_grep "^CFFIXED_USER_HOME=$data\$" "$T_TMP/env" "CFFIXED_USER_HOME too"
expect_grep "^TMPDIR=$data/tmp/\$" "$T_TMP/env" "TMPDIR is Data/tmp/"
expect_grep "^CI=1\$" "$T_TMP/env" "set values are there"
expect_grep "^PATH=" "$T_TMP/env" "inherited PATH is there"
if grep -q "SECRET_TOKEN\|HOST_DATA" "$T_TMP/env"; then
	not_ok "variables outside the definition leak"; else ok "others are scrubbed"; fi

# The working directory is the canonical project folder.
(cd "$T_TMP/link" && "$H" -- /bin/pwd) >"$T_TMP/pwd" 2>&1
expect_grep "^$real\$" "$T_TMP/pwd" "cwd is the project, symlinks resolved"

# What sandbox_compile_string received, and who compiled and applied it.
(cd "$T_TMP/link" && HOST_RECORD="$T_TMP/rec" "$H" -- /bin/true)
expect_grep "^READ_0=$real\$" "$T_TMP/rec.params" "\${PROJECT} arrives canonical"
expect_grep "^WRITE_0=$data\$" "$T_TMP/rec.params" "\${CONTAINER} arrives canonical"
expect_grep "(allow network\*)" "$T_TMP/rec.sb" "the definition's import is inlined"
if grep -q '(import "host-extra.sb")' "$T_TMP/rec.sb"; then
	not_ok "the import form is still there"; else ok "no import left to resolve later"; fi
main=$(sed -n 's/^main pid=//p' "$T_TMP/rec.how")
comp=$(sed -n 's/^compile pid=//p' "$T_TMP/rec.how")
appl=$(sed -n 's/^apply pid=\([0-9]*\) size=[1-9].*/\1/p' "$T_TMP/rec.how")
[ -n "$main" ] && [ "$comp" = "$main" ] && ok "compiled in sbox's own process, before fork" ||
	not_ok "compiled in pid '$comp', sbox is '$main'"
[ -n "$appl" ] && [ "$appl" != "$main" ] && ok "the compiled profile is applied in the child" ||
	not_ok "applied in pid '$appl', sbox is '$main'"
grep -q '^init' "$T_TMP/rec.how" && not_ok "sandbox_init ran too" ||
	ok "no SBPL text is interpreted in the child"
expect_grep "^/bin/true flags=SETEXEC|CLOEXEC_DEFAULT inherit=0,1,2\$" "$T_TMP/rec.spawn" \
	"the exec is posix_spawn SETEXEC|CLOEXEC_DEFAULT inheriting 0, 1, 2"

# Without the compile API (dlsym finds none): sandbox_init_with_parameters.
rm -f "$T_TMP/rec".*
(cd "$T_TMP/link" && HOST_RECORD="$T_TMP/rec" "$H0" -- /bin/true)
expect_grep "^init pid=" "$T_TMP/rec.how" "fallback: sandbox_init_with_parameters"
init=$(sed -n 's/^init pid=//p' "$T_TMP/rec.how")
main=$(sed -n 's/^main pid=//p' "$T_TMP/rec.how")
[ -n "$init" ] && [ "$init" != "$main" ] && ok "... in the child" || not_ok "init in '$init'"
expect_grep "^0\$" "$T_TMP/rec.flags" "flags 0: the profile is SBPL text"
expect_grep "^READ_0=$real\$" "$T_TMP/rec.params" "... with the same parameters"

# Descriptors: an inherited fd 7 is closed at the exec, 0-2 stay.
exec 7<"$T_TMP/defs/host-extra.sb"
/bin/sh -c '[ -e /proc/self/fd/7 ] && echo open || echo closed' >"$T_TMP/fd0"
"$H" -- /bin/sh -c '[ -e /proc/self/fd/7 ] && echo open || echo closed' >"$T_TMP/fd1"
"$H0" -- /bin/sh -c '[ -e /proc/self/fd/7 ] && echo open || echo closed' >"$T_TMP/fd2"
exec 7<&-
expect_grep "^open\$" "$T_TMP/fd0" "control: without sbox fd 7 is inherited"
expect_grep "^closed\$" "$T_TMP/fd1" "with the launcher fd 7 is closed (CLOEXEC_DEFAULT)"
expect_grep "^closed\$" "$T_TMP/fd2" "... on the fallback path too"

# Many descriptors, more than one listing holds: all of them go.
if command -v bash >/dev/null 2>&1; then
	count='ls /proc/self/fd | wc -l'
	"$H" -- /bin/sh -c "$count" >"$T_TMP/fdbase" 2>&1
	bash -c 'for i in $(seq 10 599); do eval "exec $i<\"$0\""; done; exec "$@"' \
		"$T_TMP/defs/host-extra.sb" "$H" -- /bin/sh -c "$count" >"$T_TMP/fdn" 2>&1
	bash -c 'for i in $(seq 10 599); do eval "exec $i<\"$0\""; done; exec "$@"' \
		"$T_TMP/defs/host-extra.sb" /bin/sh -c "$count" >"$T_TMP/fdctl" 2>&1
	[ "$(cat "$T_TMP/fdctl")" -gt 500 ] && ok "control: 590 descriptors are inherited" ||
		not_ok "control: only $(cat "$T_TMP/fdctl") descriptors"
	cmp -s "$T_TMP/fdbase" "$T_TMP/fdn" && ok "590 inherited descriptors are all closed" ||
		not_ok "$(cat "$T_TMP/fdn") descriptors left, wanted $(cat "$T_TMP/fdbase")"
fi

# Failures before the program starts.
rm -f "$T_TMP/rec".*
HOST_RECORD="$T_TMP/rec" HOST_INIT_FAIL=1 expect_rc 125 "a profile that does not compile is exit 125" \
	"$H" -- /bin/sh -c "touch '$T_TMP/ran'"
expect_grep "does not compile.*unbound variable READ_9" "$T_TMP/err" "... with Apple's message"
[ -e "$T_TMP/ran" ] && not_ok "the program ran anyway" || ok "the program did not run"
grep -q '^apply\|^init' "$T_TMP/rec.how" && not_ok "a child went on to apply something" ||
	ok "no child applied anything"
HOST_INIT_FAIL=1 expect_rc 125 "fallback: sandbox_init failing is exit 125" \
	"$H0" -- /bin/sh -c "touch '$T_TMP/ran'"
expect_grep "sandbox_init_with_parameters failed.*unbound variable READ_9" "$T_TMP/err" \
	"... with Apple's message"
[ -e "$T_TMP/ran" ] && not_ok "the program ran anyway" || ok "the program did not run"
HOST_SANDBOXED=1 expect_rc 3 "inside a sandbox: exit 3" "$H" -- /bin/true
expect_grep "already running inside a Seatbelt sandbox" "$T_TMP/err" "... saying why"

# Signals reach the program; the timeout kills it.
rm -f "$T_TMP/ready"
"$H" -- /bin/sh -c "trap 'exit 42' TERM; touch '$T_TMP/ready'; sleep 30 & wait" &
hp=$!
n=0; while [ ! -e "$T_TMP/ready" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
kill -TERM $hp; wait $hp; rc=$?
[ $rc -eq 42 ] && ok "SIGTERM is forwarded to the program" ||
	not_ok "SIGTERM forwarding (exit $rc, wanted 42)"
# What the program leaves behind in its process group ends with it.
"$H" -- /bin/sh -c "sleep 30 & echo \$! >'$T_TMP/bg'; exit 0"
bg=$(cat "$T_TMP/bg")
n=0; while kill -0 "$bg" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$bg" 2>/dev/null && { not_ok "a background process outlived the program"; kill "$bg"; } ||
	ok "background processes end with the program"
start=$(date +%s)
HOST_TIMEOUT=1 expect_rc 137 "the wall-clock limit kills: 128+9" "$H" -- /bin/sleep 30
[ $(( $(date +%s) - start )) -lt 10 ] && ok "... promptly" || not_ok "the timeout took too long"
expect_grep "wall-clock" "$T_TMP/err" "... and warns"
expect_grep "result exited=0 code=0 signal=9 timed_out=1 seconds=1\$" "$T_TMP/err" \
	"... and reports it: signal 9, timed out, after about a second"
expect_rc 3 "exit 3 reported" "$H" -- /bin/sh -c 'exit 3'
expect_grep "result exited=1 code=3 signal=0 timed_out=0" "$T_TMP/err" "... as an exit"

# The program's terminal (openpty, seatbelt_pty.c, pty_relay.c) driven on a
# pty as at a real terminal: the same scenarios as the Linux launcher's.
if command -v python3 >/dev/null 2>&1; then
	for s in basics bash timeout sigterm crash tstp-pty bg-fg tstp-nopty; do
		TICKS=$T_TMP/ticks timeout 120 python3 \
			"$TOP/tests/launch/pty_drive.py" "$s" "$H" - \
			>"$T_TMP/drive" 2>&1
		driver_results pty "$s" $? "$T_TMP/drive"
	done
	echo hi | HOST_PTY=on "$H" -- /bin/sh -c 'tty; cat' >"$T_TMP/out" 2>&1
	tr -d '\r' <"$T_TMP/out" >"$T_TMP/out2"
	expect_grep "^/dev/pts/" "$T_TMP/out2" "pty: --pty without a terminal"
	expect_grep "^hi" "$T_TMP/out2" "pty: ... input relayed"
fi

if [ "$(id -u)" -ne 0 ]; then
	HOST_ROOT="$T_TMP/real" expect_rc 3 "unprivileged: a root filesystem needs root" \
		"$H" -- /bin/true
	expect_grep "needs root" "$T_TMP/err" "... saying so"
	done_testing
fi

# As root via sudo: drop to SUDO_UID/SUDO_GID, verified, groups cleared.
# The definition's imports are read with the user's rights: let them.
share_tmp
(cd / && SUDO_UID=65534 SUDO_GID=65534 "$H" -- /bin/sh -c 'echo "$(id -u):$(id -g):$(id -G)"') \
	>"$T_TMP/ids" 2>&1
expect_grep "^65534:65534:65534\$" "$T_TMP/ids" "root -> SUDO_UID/SUDO_GID, no other groups"
# ... and an import the user cannot read is not read for them (issue 10 #7)
chmod 600 "$T_TMP/defs/host-extra.sb"
(cd / && SUDO_UID=65534 SUDO_GID=65534 "$H" -- /bin/true) >"$T_TMP/ids" 2>&1
expect_grep "cannot read SBPL import.*Permission denied" "$T_TMP/ids" \
	"root for SUDO_UID: a root-only SBPL import is refused"
chmod 644 "$T_TMP/defs/host-extra.sb"
SUDO_UID=65x SUDO_GID=1 expect_rc 125 "a malformed SUDO_UID is refused" "$H" -- /bin/true

# As an unprivileged user (setpriv), the same binary refuses a chroot.
if command -v setpriv >/dev/null 2>&1; then
	pub=$(mktemp -d /tmp/sbox-host.XXXXXX); chmod 755 "$pub"
	cp "$H" "$T_TMP/defs/host-extra.sb" "$pub/"; mkdir -p "$pub/Data/tmp"
	chmod 644 "$pub/host-extra.sb"
	(cd "$pub" && HOST_DATA="$pub/Data" HOST_ROOT="$pub" HOST_DEFDIR="$pub" setpriv --reuid=65534 \
		--regid=65534 --clear-groups "$pub/darwin_host" -- /bin/true) 2>"$T_TMP/err"
	rc=$?
	[ $rc -eq 3 ] && ok "unprivileged: a root filesystem needs root (exit 3)" ||
		not_ok "unprivileged chroot (exit $rc, wanted 3)"
	expect_grep "needs root" "$T_TMP/err" "... saying so"
	(cd "$pub" && HOST_DATA="$pub/Data" HOST_DEFDIR="$pub" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$pub/darwin_host" -- /bin/sh -c 'id -u') >"$T_TMP/uid" 2>&1
	expect_grep "^65534\$" "$T_TMP/uid" "unprivileged: launches without a drop"
	rm -rf "$pub"
fi

# A real chroot with a static probe; the container's Data/ lies inside it.
root=$T_TMP/root
mkdir -p "$root/home/Data/tmp"
chmod 755 "$root" "$root/home" "$root/home/Data"
cat >"$T_TMP/probe.c" <<'PROBE'
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char cwd[512];
	const char *h = getenv("HOME");
	(void)argc;
	printf("cwd=%s uid=%d home=%s host=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?",
	       (int)getuid(), h ? h : "-", access(argv[1], F_OK) == 0 ? "visible" : "gone");
	return 0;
}
PROBE
if $CC -static -o "$root/probe" "$T_TMP/probe.c" 2>/dev/null; then
	# macOS 10.15: a chroot works there (system libraries are files).
	HOST_OSVERSION=10.15.7 HOST_OSRELEASE=19.6.0 HOST_ROOT=$root HOST_DATA=$root/home/Data \
		SUDO_UID=65534 SUDO_GID=65534 \
		"$H" -- /probe "$T_TMP/defs/host-extra.sb" >"$T_TMP/chroot" 2>&1
	expect_grep "^cwd=/home/Data uid=65534 home=/home/Data host=gone\$" "$T_TMP/chroot" \
		"chroot, then drop: in-root HOME and cwd, host files gone"
	HOST_OSVERSION=10.15.7 HOST_ROOT=$root HOST_DATA=$T_TMP/real/Data expect_rc 3 \
		"a Data/ outside the root cannot be HOME" "$H" -- /probe
	expect_grep "outside the root" "$T_TMP/err" "... saying why"

	# macOS 14 with SIP on: /probe is no static Mach-O, so no chroot.
	rm -f "$T_TMP/rec".*
	HOST_RECORD="$T_TMP/rec" HOST_OSVERSION=14.5 HOST_OSRELEASE=23.5.0 HOST_SIP=on \
		HOST_ROOT=$root HOST_DATA=$root/home/Data SUDO_UID=65534 SUDO_GID=65534 \
		expect_rc 3 "macOS 14, SIP on: the chroot is refused (exit 3)" "$H" -- /probe x
	expect_grep "macOS 14.5 with System Integrity Protection on.*'/probe' (not a Mach-O program).*dyld shared cache" \
		"$T_TMP/err" "... saying why"
	[ -e "$T_TMP/rec.how" ] && grep -v '^main' "$T_TMP/rec.how" | grep -q . &&
		not_ok "something was compiled or run before the refusal" ||
		ok "... before anything was compiled or started"
	HOST_OSVERSION=14.5 HOST_OSRELEASE=23.5.0 HOST_ROOT=$root HOST_DATA=$root/home/Data \
		SUDO_UID=65534 SUDO_GID=65534 expect_rc 3 \
		"no csr_check: SIP taken as on, refused" "$H0" -- /probe x
	expect_grep "state unknown, taken as on" "$T_TMP/err" "... and the message says so"
	HOST_OSRELEASE=23.5.0 HOST_SIP=off HOST_ROOT=$root HOST_DATA=$root/home/Data \
		SUDO_UID=65534 SUDO_GID=65534 "$H" -- /probe "$T_TMP/defs/host-extra.sb" \
		>"$T_TMP/chroot" 2>&1
	expect_grep "^cwd=/home/Data uid=65534" "$T_TMP/chroot" "Darwin 23, SIP off: the chroot runs"
	# A static Mach-O executable passes the decision (Linux cannot run it).
	printf '\317\372\355\376\014\000\000\001\000\000\000\000\002\000\000\000' >"$root/macho"
	printf '\001\000\000\000\020\000\000\000\000\000\000\000\000\000\000\000' >>"$root/macho"
	printf '\005\000\000\000\020\000\000\000\000\000\000\000\000\000\000\000' >>"$root/macho"
	chmod 755 "$root/macho"
	HOST_OSVERSION=15.1 HOST_SIP=on HOST_ROOT=$root HOST_DATA=$root/home/Data \
		SUDO_UID=65534 SUDO_GID=65534 expect_rc 125 \
		"macOS 15, SIP on, static Mach-O: chroot allowed (the exec is Linux's to fail)" \
		"$H" -- /macho
	expect_grep "cannot execute '/macho'" "$T_TMP/err" "... it got as far as the exec"
else
	ok "# skip chroot probe: no static linking here"
fi

done_testing
