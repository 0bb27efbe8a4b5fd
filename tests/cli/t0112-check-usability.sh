#!/bin/sh
# sbox check as a user meets it: the README's own example with an
# sbpl.import next to the definition, notes for grants of missing paths,
# GCC-style colour on a terminal only (and never with NO_COLOR).
. "$TOP/tests/lib/test-lib.sh"

mkdir -p "$T_TMP/web" "$T_TMP/elsewhere"
cat >"$T_TMP/web/web.json" <<'EOF'
{
  "name": "web-tests",
  "extends": ["build-tools"],
  "filesystem": { "read": ["/usr/share/dict", "/no/such/dir/sbox-t"] },
  "sbpl": {"import": ["extra.sb"], "raw": "(allow file-read* (literal \"/opt/x\"))"}
}
EOF
printf '(version 1)\n(allow file-read* (subpath "/opt/extra"))\n' >"$T_TMP/web/extra.sb"
cd "$T_TMP/elsewhere" || exit 1
expect_rc 0 "check web.json from another folder: extra.sb found next to it" \
	"$SBOX" check "$T_TMP/web/web.json"
if grep -q "unable to open" "$T_TMP/out"; then not_ok "import not found"; else ok "no import error"; fi
cd "$T_TMP/web" || exit 1
expect_rc 0 "check web.json in its folder" "$SBOX" check web.json
expect_rc 0 "explain follows the import too" \
	"$SBOX" explain --target macos web.json file-read-data /opt/extra/f
expect_grep "extra.sb:2:1" "$T_TMP/out" "decided by the imported rule"
"$SBOX" check web.json >"$T_TMP/out" 2>&1
expect_grep "web.json:4:.*note: '/no/such/dir/sbox-t' does not exist" "$T_TMP/out" "missing path gets a note at its line"
if grep -q "note: '/opt/homebrew" "$T_TMP/out"; then not_ok "presets' missing paths reported"; else ok "presets' own paths not reported"; fi

# a mistake in the escape hatch points back at the definition's line
sed 's/extra.sb/missing.sb/; s/(literal/(literl/' web.json >w2.json
expect_rc 1 "check a definition with a bad sbpl part" "$SBOX" check w2.json
expect_grep "w2.json (compiled):[0-9]*:1: error: unable to open missing.sb" "$T_TMP/out" "import error in the compiled text"
expect_grep "^w2.json:5:[0-9]*: note: from the definition's sbpl.import" "$T_TMP/out" "... and a note at the definition's line"
expect_grep "^w2.json:5:[0-9]*: note: from the definition's sbpl.raw" "$T_TMP/out" "raw SBPL error points at sbpl.raw"

# explain --target linux answers with the Linux plan, for the path as Linux sees it
expect_rc 0 "explain --target linux /etc/passwd" \
	"$SBOX" explain --target linux web.json file-read-data /etc/passwd
expect_grep "^allow file-read-data /etc/passwd$" "$T_TMP/out" "answers for /etc/passwd, not /private/etc/passwd"
expect_grep "mount: *\/etc: read-only bind" "$T_TMP/out" "names the mount that decides"
expect_rc 1 "explain --target linux: write to /etc denied" \
	"$SBOX" explain --target linux web.json file-write-data /etc/passwd
expect_rc 1 "explain --target linux: ~/.ssh is not mounted" \
	"$SBOX" explain --target linux --format json web.json file-read-data "$HOME/.ssh/id_rsa"
expect_grep '"version": 1' "$T_TMP/out" "explain json has a version"
expect_grep '"target": "linux"' "$T_TMP/out" "explain json names the target"
"$SBOX" compile web.json --target linux >"$T_TMP/out"
expect_grep '"version": 1' "$T_TMP/out" "the plan has a version"

# colour only on a terminal
printf '(version 1)\n(allow file-reed*)\n' >"$T_TMP/bad.sb"
"$SBOX" check "$T_TMP/bad.sb" >"$T_TMP/plain" 2>&1
if grep -q "$(printf '\033')" "$T_TMP/plain"; then not_ok "colour into a file"; else ok "no colour when not a terminal"; fi
if command -v script >/dev/null; then
	env -u NO_COLOR TERM=xterm script -qc "'$SBOX' check '$T_TMP/bad.sb'" /dev/null >"$T_TMP/tty" 2>&1
	if grep -q "$(printf '\033')\[01;31merror:" "$T_TMP/tty"; then ok "error: in bold red on a terminal"; else
		not_ok "no colour on a terminal"; sed 's/^/#   /' "$T_TMP/tty" | cat -v | head -3; fi
	NO_COLOR=1 TERM=xterm script -qc "'$SBOX' check '$T_TMP/bad.sb'" /dev/null >"$T_TMP/tty" 2>&1
	if grep -q "$(printf '\033')" "$T_TMP/tty"; then not_ok "colour despite NO_COLOR"; else ok "NO_COLOR turns colour off"; fi
fi
done_testing
