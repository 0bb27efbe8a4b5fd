#!/bin/sh
# tools/macos-smoke.sh cannot run here (no Mac): check that it is valid
# POSIX sh and shellcheck-clean, what it expects of each preset, and its
# table and exit status against stand-ins for uname, sbox, sandbox-exec,
# script(1) and log(1) that deny what a policy file says -- so a preset
# that lets ~/.ssh be read, a program that should run and is denied, and
# local time falling back to UTC all make it fail.
. "$TOP/tests/lib/test-lib.sh"

S=$TOP/tools/macos-smoke.sh
expect_rc 0 "sh -n: it parses as POSIX sh" sh -n "$S"
if command -v dash >/dev/null 2>&1; then
	expect_rc 0 "dash -n too" dash -n "$S"
fi
if command -v shellcheck >/dev/null 2>&1; then
	expect_rc 0 "shellcheck finds nothing" shellcheck -s sh "$S"
else
	not_ok "shellcheck is missing (tools/install-deps.sh installs it)"
fi

# ---- expectations (--list runs nothing) ------------------------------------
expect_rc 0 "--list" sh "$S" --list
cp "$T_TMP/out" "$T_TMP/list"
row() { grep -q "^$1\$" "$T_TMP/list" && ok "expects: $1" || not_ok "no row '$1'"; }
for l in sbox sandbox-exec; do
	for p in base no-network localhost build-tools read-only-project; do
		row "$l $p ssh /[^ ]*/cat fail"
		row "$l $p true /[^ ]*/true ok"
	done
	row "$l localhost server /[^ ]*/perl ok"
	row "$l base server /[^ ]*/perl fail"
	row "$l no-network server /[^ ]*/perl fail"
	row "$l build-tools git /[^ ]*/git ok"
	row "$l base make /usr/bin/make ok"
	row "$l read-only-project git /[^ ]*/git [a-z]*"
	row "$l base git /[^ ]*/git fail"
done
# A program outside the folders the presets let run is expected to be denied.
mkdir -p "$T_TMP/elsewhere"
printf '#!/bin/sh\n' >"$T_TMP/elsewhere/node"; chmod +x "$T_TMP/elsewhere/node"
PATH="$T_TMP/elsewhere:$PATH" sh "$S" --list --preset build-tools --program node >"$T_TMP/list2"
expect_grep "^sbox build-tools node $T_TMP/elsewhere/node fail\$" "$T_TMP/list2" \
	"a program installed elsewhere: expected denied"
[ "$(wc -l <"$T_TMP/list")" -eq 100 ] && ok "100 rows: 10 programs x 5 presets x 2 launchers" ||
	not_ok "$(wc -l <"$T_TMP/list") rows"
expect_rc 2 "an unknown preset is bad usage" sh "$S" --preset nope
expect_rc 2 "an unknown program row is bad usage" sh "$S" --program nope
expect_rc 3 "on Linux it refuses to run (exit 3)" sh "$S" --no-build
expect_grep "needs macOS" "$T_TMP/err" "... saying why"

# ---- stand-ins ---------------------------------------------------------------
stub=$T_TMP/stub
mkdir -p "$stub"
cat >"$stub/uname" <<'EOF'
#!/bin/sh
[ "${1:-}" = -s ] && { echo Darwin; exit 0; }
exec /bin/uname "$@"
EOF
# macOS script(1): script -q FILE CMD...; util-linux wants -c "CMD".
cat >"$stub/script" <<'EOF'
#!/bin/sh
[ "$1" = -q ] && [ "$2" = /dev/null ] || exit 64
shift 2
cmd=
for a in "$@"; do cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"; done
exec /usr/bin/script -qec "$cmd" /dev/null
EOF
# log stream: the denials of the policy's "deny" rows, then wait.
cat >"$stub/log" <<'EOF'
#!/bin/sh
[ "$1" = stream ] || exit 64
while read -r name how; do
	[ "$how" = deny ] || continue
	printf '{"eventMessage":"Sandbox: cat(4242) deny(1) file-read-data \\/Users\\/me\\/.ssh\\/k sbox:%s","sender":"Sandbox"}\n' "$name"
done <"$POLICY"
exec sleep 600
EOF
# The launchers: NAME from the definition (sbox) or the profile file
# (sandbox-exec); "deny" fails like Seatbelt, "utc" loses the time zone.
cat >"$stub/launch-common" <<'EOF'
how=$(sed -n "s/^$name //p" "$POLICY")
case $how in
deny) echo "$0: Operation not permitted" >&2; exit 1 ;;
utc) exec env -u TZ TZ=UTC "$@" ;;
*) exec "$@" ;;
esac
EOF
cat >"$stub/sbox" <<'EOF'
#!/bin/sh
case $1 in
compile)
	def=$2; shift 2; out=
	while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
	printf ';; profile of %s\n(version 1)\n;; Parameters:\n;;   SBOX_P0=/dev/null\n' "$def" >"$out"
	exit 0 ;;
run)
	name=$(basename "$2" .json); shift 3   # run DEF --
	echo "sbox: warning: a warning on standard error must not spoil the row" >&2
	. "$(dirname "$0")/launch-common" ;;
esac
exit 64
EOF
cat >"$stub/sandbox-exec" <<'EOF'
#!/bin/sh
[ "$1" = -f ] || exit 64
name=$(basename "$2" .sb); shift 2
[ "$1" = -D ] && [ "$2" = SBOX_P0=/dev/null ] || { echo "no -D of the listed parameter" >&2; exit 65; }
shift 2
[ "$1" = -- ] && shift
. "$(dirname "$0")/launch-common"
EOF
chmod +x "$stub"/*

# policy FILE [OVERRIDE...]: deny what --list expects to fail; NAME HOW overrides.
policy() {
	f=$1; shift
	awk '$5 == "fail" { n = ($1 == "sbox" ? "smoke-" : "smokesx-") $2 "-" $3; print n, "deny" }' \
		"$T_TMP/list" >"$f"
	while [ $# -gt 0 ]; do
		grep -v "^$1 " "$f" >"$f.new"; mv "$f.new" "$f"
		echo "$1 $2" >>"$f"; shift 2
	done
}

run_smoke() {
	want=$1 desc=$2; shift 2
	pol=$1; shift
	PATH="$stub:$PATH" POLICY=$pol SBOX="$stub/sbox" SANDBOX_EXEC="$stub/sandbox-exec" \
		sh "$S" "$@" >"$T_TMP/table" 2>"$T_TMP/smoke.err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $got, wanted $want)"
		sed 's/^/#   /' "$T_TMP/table" "$T_TMP/smoke.err" | head -40
	fi
}

# Every row as the presets promise: exit 0, one table, denials attributed.
# (Two presets, to keep the test short on a loaded machine.)
policy "$T_TMP/p.all"
run_smoke 0 "the promised behaviour passes (exit 0)" "$T_TMP/p.all" --preset base \
	--preset localhost
expect_grep "^launcher  *preset  *program  *path  *expected  *got  *denials" "$T_TMP/table" \
	"one table with its header"
[ "$(grep -c '^sbox \|^sandbox-exec ' "$T_TMP/table")" -eq 40 ] && ok "... and 40 rows" ||
	not_ok "$(grep -c '^sbox \|^sandbox-exec ' "$T_TMP/table") rows"
if grep -q 'NOT AS EXPECTED' "$T_TMP/table"; then not_ok "rows marked"; else ok "no row marked"; fi
expect_grep "^sbox  *base  *ssh  *[^ ]*cat  *fail  *fail  *1 file-read-data /Users/me/.ssh/k" \
	"$T_TMP/table" "the ~/.ssh row: denied, with its denial from the log"
expect_grep "^sbox  *base  *date  *[^ ]*date  *ok  *ok  *0\$" "$T_TMP/table" \
	"the date row ran and matched the local offset, no denial"
expect_grep "^sbox  *localhost  *server  *[^ ]*perl  *ok  *ok" "$T_TMP/table" \
	"a server on localhost answered its client"
expect_grep "^sandbox-exec  *localhost  *stty  *[^ ]*stty  *ok  *ok" "$T_TMP/table" \
	"stty -a ran under a pty (script)"

# A preset that lets ~/.ssh be read fails the run, and says which row.
policy "$T_TMP/p.ssh" smoke-base-ssh allow
run_smoke 1 "~/.ssh readable under base: exit 1" "$T_TMP/p.ssh" --preset base \
	--program ssh --program true
expect_grep "^sbox  *base  *ssh  *[^ ]*cat  *fail  *ok .*NOT AS EXPECTED" "$T_TMP/table" \
	"... the row is marked"
[ "$(grep -c 'NOT AS EXPECTED' "$T_TMP/table")" -eq 1 ] && ok "... and only that row" ||
	not_ok "$(grep -c 'NOT AS EXPECTED' "$T_TMP/table") rows marked"

# A program the preset should run, denied under sandbox-exec only.
policy "$T_TMP/p.true" smokesx-localhost-true deny
run_smoke 1 "true denied under sandbox-exec -f: exit 1" "$T_TMP/p.true" --preset localhost \
	--program true
expect_grep "^sandbox-exec  *localhost  *true  *[^ ]*true  *ok  *fail .*NOT AS EXPECTED" \
	"$T_TMP/table" "... the row is marked"

# Local time lost (UTC instead of the zone's offset): the date row fails.
policy "$T_TMP/p.utc" smoke-no-network-date utc
run_smoke 1 "date in UTC instead of local time: exit 1" "$T_TMP/p.utc" --preset no-network \
	--program date
expect_grep "^sbox  *no-network  *date  *[^ ]*date  *ok  *fail .*NOT AS EXPECTED" "$T_TMP/table" \
	"... the row is marked"

# A program that fails with no sandbox at all proves nothing: exit 3.
mkdir -p "$T_TMP/bin2"
printf '#!/bin/sh\nexit 1\n' >"$T_TMP/bin2/make"; chmod +x "$T_TMP/bin2/make"
PATH="$T_TMP/bin2:$stub:$PATH" POLICY=$T_TMP/p.all SBOX="$stub/sbox" \
	SANDBOX_EXEC="$stub/sandbox-exec" sh "$S" --preset build-tools --program make \
	--program true >"$T_TMP/table" 2>&1
rc=$?
[ $rc -eq 3 ] && ok "a host where make fails outside any sandbox: exit 3" ||
	not_ok "broken host (exit $rc, wanted 3)"
expect_grep "make .*host-broken .*fails without any sandbox" "$T_TMP/table" "... the row says so"

done_testing
