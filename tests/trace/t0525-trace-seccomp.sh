#!/bin/sh
# --trace records the calls sbox's own seccomp program refuses (issue 12:
# "Landlock/seccomp refusals must both show up"): an IP socket under
# network "none", vsock, mount, the TIOCSTI and TIOCEXCL ioctls, chmod u+s,
# an executable memfd, a call of the deny list, a nested user namespace
# and a system call number newer than the build. For each, the program
# gets the same errno with and without --trace (the decision stays the
# filter's) and the record names it with the right why: the network
# setting with its file:line, or "never allowed in a container" and the
# reason. Without --trace nothing is recorded or printed. As root and as
# an unprivileged user. Also: run --report, explain --from-trace and
# learn (which proposes no grant for any of them).
. "$TOP/tests/lib/test-lib.sh"
. "$TOP/tests/trace/trace-lib.sh"

make_tree() {
	d=$1
	mkdir -p "$d/bin" "$d/rw" "$d/proj"
	cat >"$d/bin/probe" <<'PROBE'
#!/usr/bin/python3
# one line per attempt: its name and the errno it got ("ok" if none)
import ctypes, errno, fcntl, os, socket, sys, termios
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def call(nr, *args):
    a = [ctypes.c_long(x) if isinstance(x, int) else x for x in args]
    r = libc.syscall(ctypes.c_long(nr), *a)
    return "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]
def sock(name, fam, typ=socket.SOCK_STREAM):
    try:
        socket.socket(fam, typ).close(); print(name, "ok")
    except OSError as e: print(name, errno.errorcode[e.errno])
sock("socket-inet", socket.AF_INET)
sock("socket-vsock", 40)
print("mount", call(165, b"none", b"/tmp", b"tmpfs", 0, 0))
c = ctypes.c_char(b"x")
print("ioctl-tiocsti", call(16, 0, termios.TIOCSTI, ctypes.byref(c)))
print("ioctl-tiocexcl", call(16, 0, termios.TIOCEXCL))
f = sys.argv[1] + "/rw/tool"
open(f, "w").close()
try: os.chmod(f, 0o4755); print("chmod-setuid ok")
except OSError as e: print("chmod-setuid", errno.errorcode[e.errno])
print("memfd-exec", call(319, b"x", 0x10))     # MFD_EXEC
print("keyctl", call(250, 0, 0, 0, 0))
print("unshare-user", call(272, 0x10000000))    # CLONE_NEWUSER
print("unknown-1000", call(1000))
PROBE
	chmod 755 "$d/bin/probe"
	cat >"$d/def.json" <<JSON
{
  "name": "sectrace",
  "extends": ["base"],
  "filesystem": {
    "read": ["$d/bin"],
    "write": ["$d/rw"],
    "exec": ["$d/bin"]
  },
  "network": "none"
}
JSON
}

EXPECTED="socket-inet EAFNOSUPPORT
socket-vsock EAFNOSUPPORT
mount EPERM
ioctl-tiocsti EPERM
ioctl-tiocexcl EPERM
chmod-setuid EPERM
memfd-exec EACCES
keyctl EPERM
unshare-user EPERM
unknown-1000 ENOSYS"

suite() {
	label=$1 user=$2
	trace_suite_dir sectrace /var/tmp
	T=$d/trace.jsonl
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" $as "$SBOX" run \
	  "$d/def.json" -- "$d/bin/probe" "$d" >"$d/plain.out" 2>"$d/plain.err" )
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" $as "$SBOX" run \
	  "$d/def.json" --trace="$T" -- "$d/bin/probe" "$d" \
	  >"$d/traced.out" 2>"$d/traced.err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: traced run exit 0" ||
		{ not_ok "$label: traced run exit $rc"; sed 's/^/#   /' "$d/traced.err"; }
	if [ "$(cat "$d/plain.out")" = "$EXPECTED" ]; then
		ok "$label: untraced, each call refused with its errno"
	else
		not_ok "$label: untraced errnos"; sed 's/^/#   /' "$d/plain.out" "$d/plain.err"
	fi
	if cmp -s "$d/plain.out" "$d/traced.out"; then
		ok "$label: traced, the same errnos"
	else
		not_ok "$label: traced errnos differ"
		diff "$d/plain.out" "$d/traced.out" | sed 's/^/#   /'
	fi
	if ! grep -q "denied" "$d/plain.err"; then
		ok "$label: without --trace nothing is said"
	else
		not_ok "$label: untraced run printed a summary"; sed 's/^/#   /' "$d/plain.err"
	fi
	nline=$(grep -n '"network"' "$d/def.json" | cut -d: -f1)
	never="why.decision=never allowed in a container"
	rec "$label" "$T" socket "AF_INET stream protocol 0" refused-by=seccomp \
		errno=EAFNOSUPPORT why.rule='network "none"' \
		why.at="$d/def.json:$nline:*" why.grant='network "localhost"*'
	rec "$label" "$T" socket AF_VSOCK errno=EAFNOSUPPORT "$never" \
		why.reason="vsock reaches the host*"
	rec "$label" "$T" mount mount errno=EPERM "$never" \
		why.reason="the container's mounts are set at launch*"
	rec "$label" "$T" ioctl TIOCSTI errno=EPERM "$never" \
		why.reason="it types into the terminal*" program=probe
	rec "$label" "$T" ioctl TIOCEXCL errno=EPERM "$never" \
		why.reason="the terminal would stay locked*"
	rec "$label" "$T" chmod-setuid "$d/rw/tool" errno=EPERM "$never" \
		why.reason="setuid or setgid bits could escape to the host*"
	rec "$label" "$T" exec-memfd "memfd_create(MFD_EXEC)" errno=EACCES "$never"
	rec "$label" "$T" syscall keyctl errno=EPERM "$never" \
		why.reason="kernel surface a contained program has no business with*"
	rec "$label" "$T" syscall "unshare(CLONE_NEWUSER)" errno=EPERM "$never"
	rec "$label" "$T" syscall 1000 errno=ENOSYS "$never" \
		why.reason="a system call newer than this build*"
	expect_grep "socket AF_VSOCK (never allowed in a container: vsock" \
		"$d/traced.err" "$label: the summary names a seccomp refusal"
	# explain --from-trace: the reason again, and the network setting
	"$SBOX" explain --from-trace "$T" >"$d/explain" 2>&1
	rc=$?
	[ $rc -eq 1 ] && ok "$label: explain --from-trace says deny" ||
		{ not_ok "$label: explain --from-trace exit $rc"; sed 's/^/#   /' "$d/explain"; }
	expect_grep "decided by: network \"none\" at $d/def.json:$nline:" \
		"$d/explain" "$label: explain names the network setting's line"
	expect_grep "because:    the container's mounts are set at launch" \
		"$d/explain" "$label: explain gives the reason for mount"
	"$SBOX" explain --from-trace "$T" --format json >"$d/explain.json" 2>&1
	expect_grep '"reason": "vsock reaches the host' "$d/explain.json" \
		"$label: explain --format json gives the reason"
	# repeats are counted: the same refusal ten times is one record
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" $as "$SBOX" run \
	  "$d/def.json" --trace="$d/rep.jsonl" --report="$d/report.json" -- \
	  python3 -c 'import ctypes
for i in range(10): ctypes.CDLL(None).syscall(1000)' >/dev/null 2>&1 )
	rec "$label" "$d/rep.jsonl" syscall 1000 count=10
	if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); d=[x for x in r["denials"] if x.get("target")=="1000"]; sys.exit(not (len(d)==1 and d[0]["refused-by"]=="seccomp"))' \
	   "$d/report.json"; then
		ok "$label: run --report has the seccomp refusal"
	else
		not_ok "$label: run --report"; sed 's/^/#   /' "$d/report.json"
	fi
	# learn proposes no grant for what is never allowed
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" $as "$SBOX" learn \
	  "$d/def.json" --format json -- "$d/bin/probe" "$d" \
	  >"$d/learn.json" 2>"$d/learn.err" )
	if python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); t=json.dumps(p); sys.exit(any(w in t for w in ("mount","TIOCSTI","keyctl","VSOCK","memfd")))' \
	   "$d/learn.json"; then
		ok "$label: learn proposes no grant for them"
	else
		not_ok "$label: learn proposal"; sed 's/^/#   /' "$d/learn.json"
	fi
	expect_grep "not granted: mount mount: never allowed in a container" \
		"$d/learn.err" "$label: learn lists them as not granted"
}

run_suites
done_testing
