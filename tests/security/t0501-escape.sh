#!/bin/sh
# Escape attempts from inside a real container (LINUX-SECURITY.md checklist),
# each of which must fail, plus the positive controls that must succeed.
# The whole suite runs as root and as an unprivileged user; SBOX_LAUNCH_OPTS
# adds launch options (t0522 runs it again under --trace).
. "$TOP/tests/lib/test-lib.sh"
. "$TOP/tests/lib/security-lib.sh"


build_probe escape

# make_tree DIR: the folders the definition names, and bait outside them.
make_tree() {
	d=$1
	mkdir -p "$d/ro/masked" "$d/rw/denied" "$d/rw/sub" "$d/outside" \
		"$d/bin" "$d/store" "$d/proj"
	echo secret >"$d/outside/secret"
	echo key >"$d/ro/masked/key"
	echo key >"$d/rw/denied/key"
	echo data >"$d/ro/file"
	echo forbidden >"$d/ro/forbidden"
	printf '#!/bin/sh\necho pwned\n' >"$d/rw/mine"
	chmod 755 "$d/rw/mine"
	# a symlink a previous run could have planted in its writable tree
	ln -s "$d/outside" "$d/rw/planted"
	cp "$T_TMP/escape" "$d/bin/escape"
	cat >"$d/def.json" <<EOF
{
  "name": "escape",
  "extends": ["base"],
  "filesystem": {
    "read": ["$d/ro", "$d/rw/planted"],
    "write": ["$d/rw"],
    "exec": ["$d/bin"],
    "deny": ["$d/ro/masked", "$d/rw/denied"]
  },
  "network": "none"
}
EOF
}

# suite LABEL USER: everything, run as USER ("" = the current user).
suite() {
	label=$1 user=$2
	suite_dir escape
	DIRS="$DIRS $d"
	make_tree "$d"
	suite_as "$user"
	if [ -n "$user" ]; then
		chown -h "$user" "$d/rw/planted"
		chown 65534 "$d/ro/forbidden"
	else
		# a file of someone else's inside a readable tree
		[ "$(id -u)" -eq 0 ] && chown 65534 "$d/ro/forbidden"
	fi
	chmod 600 "$d/ro/forbidden"

	$as "$d/bin/escape" listen-abstract sbox-escape-test & PIDS="$PIDS $!"
	host=$!
	$as "$d/bin/escape" listen-unix "$d/outside/host.sock" & PIDS="$PIDS $!"
	$as "$d/bin/escape" listen-unix "$d/ro/masked/host.sock" & PIDS="$PIDS $!"
	n=0
	while [ $n -lt 100 ] && { ! [ -S "$d/ro/masked/host.sock" ] ||
	      ! [ -S "$d/outside/host.sock" ]; }; do
		sleep 0.1; n=$((n + 1))
	done
	# positive controls on the host: the bait is alive (the abstract
	# listener leaves no file to wait for: try until it answers)
	n=0
	while [ $n -lt 100 ] &&
	      ! "$d/bin/escape" connect-abstract sbox-escape-test 2>/dev/null; do
		sleep 0.1; n=$((n + 1))
	done
	if "$d/bin/escape" connect-abstract sbox-escape-test &&
	   "$d/bin/escape" connect-unix "$d/outside/host.sock"; then
		ok "$label: host can reach its own sockets"
	else
		not_ok "$label: host cannot reach its own sockets"
	fi

	OUT=$d/out
	( cd "$d/proj" && exec 9<"$d/outside/secret" &&
	  SSH_AUTH_SOCK=/tmp/agent.sock SBOX_HOME="$d/store" \
	  $as "$SBOX" launch ${SBOX_LAUNCH_OPTS:-} "$d/def.json" -- "$d/bin/escape" inside "$d" "$host" \
	  >"$OUT" 2>"$d/err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: launch exit 0" ||
		{ not_ok "$label: launch exit $rc"; sed 's/^/#   /' "$d/err"; }

	for id in write-home read-project write-rw rename-same-dir \
		  rename-across-rw write-private-tmp symlink-create dev-null-rw; do
		want "$label" "$id" ALLOWED
	done
	for id in read-outside read-dac-forbidden read-masked read-denied-in-rw \
		  write-denied-in-rw create-ro write-ro unlink-ro dotdot \
		  symlink-follow planted-symlink hardlink-ro-into-rw \
		  rename-rw-into-ro rename-ro-into-rw exchange-ro-rw truncate-ro \
		  proc-fd-upgrade proc-root-magic proc-1-root-shadow mount-tmpfs \
		  umount-mask read-masked-after-umount pivot-root chroot read-sys \
		  dev-kmsg ptrace-host host-pathname-socket masked-pathname-socket \
		  tcp-connect udp-send exec-from-rw; do
		want "$label" "$id" BLOCKED
	done
	want "$label" kill-host "BLOCKED ESRCH"
	# init shares the launcher's memory: non-dumpable, so no attach
	want "$label" ptrace-init "BLOCKED EPERM"
	want "$label" vm-read-init "BLOCKED EPERM"
	want "$label" proc-1-mem "BLOCKED EACCES"
	want "$label" host-abstract-socket "BLOCKED ECONNREFUSED"
	want "$label" fd-9-leak "BLOCKED EBADF"
	want "$label" fd-any-leak "BLOCKED EBADF"
	want "$label" unshare-user "BLOCKED EPERM"
	want "$label" clone3 "BLOCKED ENOSYS"
	want "$label" keyctl "BLOCKED EPERM"
	want "$label" bpf "BLOCKED EPERM"
	want "$label" userfaultfd "BLOCKED EPERM"
	want "$label" perf-event-open "BLOCKED EPERM"
	want "$label" io-uring-setup "BLOCKED EPERM"
	want "$label" sethostname "BLOCKED EPERM"
	# uid 0 is not even mapped for a user (EINVAL), refused for root's
	# own uid-0 program only by having no capabilities (CapEff below)
	[ -n "$user" ] && want "$label" setuid-0 BLOCKED
	for kv in NoNewPrivs:1 CapEff:0000000000000000 \
		  CapBnd:0000000000000000 Seccomp:2; do
		if grep -q "^status ${kv%%:*}:[[:space:]]*${kv#*:}\$" "$OUT"; then
			ok "$label: $kv"
		else
			not_ok "$label: $kv, got: $(grep "^status ${kv%%:*}" "$OUT")"
		fi
	done
	want "$label" env-SSH_AUTH_SOCK absent
	want "$label" env-HOME "$d/store/escape/Data"
	hostipc=$(readlink /proc/self/ns/ipc)
	if grep -q "^ipc-namespace ipc:" "$OUT" && ! grep -q "^ipc-namespace $hostipc" "$OUT"
	then ok "$label: own ipc namespace"; else not_ok "$label: ipc namespace shared"; fi
	expect_grep "not following symlink '$d/rw/planted'" "$d/err" \
		"$label: the launcher refuses the planted symlink"

	# the host side after the run: nothing outside the rules changed
	[ "$(cat "$d/ro/file")" = data ] && [ "$(cat "$d/outside/secret")" = secret ] &&
		[ -f "$d/ro/masked/key" ] && [ -x "$d/rw/mine" ] && ! [ -e "$d/ro/mine" ] &&
		ok "$label: read-only files unchanged" || not_ok "$label: a read-only file changed"
	[ -f "$d/store/escape/Data/written-inside" ] && [ -f "$d/rw/sub/moved" ] &&
		ok "$label: writes in HOME and the rw tree reached the host" ||
		not_ok "$label: writes inside did not reach the host"

	# terminal injection needs a real terminal (LINUX-SECURITY.md §4):
	# the user's own (--no-pty; with a pty the program holds only its
	# own, tests/launch/t0515-pty.sh)
	if command -v script >/dev/null 2>&1; then
		( cd "$d/proj" && SBOX_HOME="$d/store" $as script -qec \
		  "$SBOX launch --no-pty $d/def.json -- $d/bin/escape tiocsti" /dev/null \
		  >"$d/tty" 2>&1 )
		tr -d '\r' <"$d/tty" >"$OUT"
		want "$label" tiocsti "BLOCKED EPERM"
		want "$label" tiocsti-high-bits "BLOCKED EPERM"
	fi
}

as_root_and_user suite
done_testing
