#!/bin/sh
# Long export and import: a progress line on a terminal only (and not with
# --quiet); interrupted, they leave no temporary file and no half-made
# container, and sbox dies of the signal it got.
. "$TOP/tests/lib/test-lib.sh"

export SBOX_HOME="$T_TMP/store"
cd "$T_TMP" || exit 1
printf '{"name":"big","extends":["base"]}\n' >big.json
"$SBOX" create big.json >/dev/null || { not_ok "create"; done_testing; }
data=$("$SBOX" show big --format json | sed -n 's/.*"data": "\(.*\)",*$/\1/p')
# incompressible, so that a compressed export takes seconds
head -c 64000000 /dev/urandom >"$data/blob" || skip_all "no room for a 64 MB file"

# interrupt CMD...: run it, send SIGINT after 0.3 s as Ctrl-C would (with
# SIGINT at its default even when this script runs in the background),
# print its exit status (negative: killed by that signal)
interrupt() {
	python3 - "$@" <<'PY'
import signal, subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
time.sleep(0.3)
p.send_signal(signal.SIGINT)
print(p.wait())
PY
}

# interrupted export: no <file>.sbox-tmp-* left
rc=$(interrupt "$SBOX" export big "$T_TMP/out.tar.gz" 2>"$T_TMP/err")
if [ "$rc" = 0 ]; then
	ok "export finished before the interrupt (nothing to check)"
else
	[ "$rc" = -2 ] && ok "interrupted export dies of SIGINT" || not_ok "export status $rc, wanted -2 (SIGINT)"
	n=0
	while [ -n "$(ls "$T_TMP" | grep 'sbox-tmp')" ] && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
	left=$(ls "$T_TMP" | grep -c 'sbox-tmp')
	[ "$left" -eq 0 ] && ok "interrupted export left no temporary file" || not_ok "temporary file left: $(ls "$T_TMP")"
	[ ! -e "$T_TMP/out.tar.gz" ] && ok "and no archive" || not_ok "archive written"
fi

"$SBOX" export big "$T_TMP/big.tar.gz" >"$T_TMP/out" 2>"$T_TMP/err"
expect_grep "^exported 'big' to" "$T_TMP/out" "export message"
if grep -q exporting "$T_TMP/err"; then not_ok "progress when not a terminal"; else ok "no progress when stderr is not a terminal"; fi

# interrupted import: no .tmp-* in the store, no container
# (its input pauses: the import is under way when the signal comes)
{ head -c 100000 "$T_TMP/big.tar.gz"; sleep 3; tail -c +100001 "$T_TMP/big.tar.gz"; } |
	"$SBOX" import - --name big2 2>"$T_TMP/err" & pid=$!
sleep 1
kill -TERM $pid 2>/dev/null
wait $pid; rc=$?
if [ $rc -eq 0 ]; then
	ok "import finished before the interrupt (nothing to check)"
	"$SBOX" rm big2 >/dev/null
else
	[ $rc -eq 143 ] && ok "interrupted import dies of SIGTERM (143)" || not_ok "import exit $rc, wanted 143"
	# the watchdog removes the half-made container moments after sbox
	# died; no other sbox command runs meanwhile (it would clear it too)
	n=0
	while :; do
		left=$(ls -A "$SBOX_HOME" | grep -v '^\.lock$' |
			grep -v '^big$' | tr '\n' ' ')
		[ -z "$left" ] || [ $n -ge 50 ] && break
		sleep 0.1; n=$((n + 1))
	done
	[ -z "$left" ] && ok "interrupted import left nothing in the store" || not_ok "left in the store: $left"
fi

if command -v script >/dev/null; then
	script -qc "'$SBOX' export big '$T_TMP/b2.tar.gz'" /dev/null >"$T_TMP/tty" 2>&1
	expect_grep "exporting 'big': .* written" "$T_TMP/tty" "export shows progress on a terminal"
	tr '\r' '\n' <"$T_TMP/tty" | grep -q "^$(printf '\033')\[Kexported 'big'" &&
		ok "the result line replaces the progress line" || not_ok "result line mixed with progress"
	# standard input that pauses for a second: long enough for progress
	cat >"$T_TMP/slow.sh" <<EOF
{ head -c 100000 '$T_TMP/b2.tar.gz'; sleep 1.2; tail -c +100001 '$T_TMP/b2.tar.gz'; } |
	'$SBOX' import - --name big3
EOF
	script -qc "sh '$T_TMP/slow.sh'" /dev/null >"$T_TMP/tty" 2>&1
	expect_grep "importing -: .*iB read" "$T_TMP/tty" "import - shows the bytes read"
	expect_grep "imported 'big3'" "$T_TMP/tty" "import result"
	script -qc "'$SBOX' import '$T_TMP/b2.tar.gz' --name big4" /dev/null >"$T_TMP/tty" 2>&1
	if grep -q "importing" "$T_TMP/tty"; then
		expect_grep "importing .* of .*iB ([0-9]*%" "$T_TMP/tty" "import of a file shows a percentage"
	else
		ok "import of a file finished before the first progress line"
	fi
	script -qc "'$SBOX' export --quiet big '$T_TMP/b3.tar'" /dev/null >"$T_TMP/tty" 2>&1
	if grep -q exporting "$T_TMP/tty"; then not_ok "--quiet still shows progress"; else ok "--quiet: no progress"; fi
fi
done_testing
