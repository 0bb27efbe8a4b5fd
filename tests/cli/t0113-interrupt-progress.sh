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
head -c 300000000 /dev/zero >"$data/blob" || skip_all "no room for a 300 MB file"

# interrupted export: no <file>.sbox-tmp-* left
"$SBOX" export big "$T_TMP/out.tar" 2>"$T_TMP/err" & pid=$!
sleep 0.3
kill -INT $pid 2>/dev/null
wait $pid; rc=$?
if [ $rc -eq 0 ]; then
	ok "export finished before the interrupt (nothing to check)"
else
	[ $rc -eq 130 ] && ok "interrupted export dies of SIGINT (130)" || not_ok "export exit $rc, wanted 130"
	left=$(ls "$T_TMP" | grep -c 'sbox-tmp')
	[ "$left" -eq 0 ] && ok "interrupted export left no temporary file" || not_ok "temporary file left: $(ls "$T_TMP")"
	[ ! -e "$T_TMP/out.tar" ] && ok "and no archive" || not_ok "archive written"
fi

"$SBOX" export big "$T_TMP/big.tar" >"$T_TMP/out" 2>"$T_TMP/err"
expect_grep "^exported 'big' to" "$T_TMP/out" "export message"
if grep -q exporting "$T_TMP/err"; then not_ok "progress when not a terminal"; else ok "no progress when stderr is not a terminal"; fi

# interrupted import: no .tmp-* in the store, no container
"$SBOX" import "$T_TMP/big.tar" --name big2 2>"$T_TMP/err" & pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid; rc=$?
if [ $rc -eq 0 ]; then
	ok "import finished before the interrupt (nothing to check)"
	"$SBOX" rm big2 >/dev/null
else
	[ $rc -eq 143 ] && ok "interrupted import dies of SIGTERM (143)" || not_ok "import exit $rc, wanted 143"
	left=$(ls -A "$SBOX_HOME" | grep -v '^\.lock$' | grep -v '^big$' | tr '\n' ' ')
	[ -z "$left" ] && ok "interrupted import left nothing in the store" || not_ok "left in the store: $left"
fi

if command -v script >/dev/null; then
	script -qc "'$SBOX' export big '$T_TMP/b2.tar'" /dev/null >"$T_TMP/tty" 2>&1
	expect_grep "exporting 'big': .* written" "$T_TMP/tty" "export shows progress on a terminal"
	tr '\r' '\n' <"$T_TMP/tty" | grep -q "^$(printf '\033')\[Kexported 'big'" &&
		ok "the result line replaces the progress line" || not_ok "result line mixed with progress"
	script -qc "'$SBOX' import '$T_TMP/b2.tar' --name big3" /dev/null >"$T_TMP/tty" 2>&1
	expect_grep "importing .* of .* MiB (" "$T_TMP/tty" "import shows progress with a percentage"
	expect_grep "imported 'big3'" "$T_TMP/tty" "import result"
	script -qc "'$SBOX' export --quiet big '$T_TMP/b3.tar'" /dev/null >"$T_TMP/tty" 2>&1
	if grep -q exporting "$T_TMP/tty"; then not_ok "--quiet still shows progress"; else ok "--quiet: no progress"; fi
fi
done_testing
