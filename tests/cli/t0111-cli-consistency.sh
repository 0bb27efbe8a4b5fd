#!/bin/sh
# The command line of issue 11 §4, each problem run as the issue quotes it.
. "$TOP/tests/lib/test-lib.sh"

export SBOX_HOME="$T_TMP/store"
cd "$T_TMP" || exit 1

# -h/--help after every subcommand
for c in $("$SBOX" help --commands); do
	for h in -h --help; do
		"$SBOX" $c $h >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
		if [ $rc -eq 0 ] && grep -q "^usage: sbox" "$T_TMP/out"; then
			ok "sbox $c $h"
		else
			not_ok "sbox $c $h (exit $rc)"; head -3 "$T_TMP/err" | sed 's/^/#   /'
		fi
	done
done
# the right token, one wording
expect_rc 0 "sbox rm --help is help" "$SBOX" rm --help
expect_rc 2 "unknown option after rm" "$SBOX" rm --frob x
expect_grep "^sbox: rm: unknown option '--frob'" "$T_TMP/err" "names the option, not 'rm'"
for c in launch run compile check explain create list show export import prune; do
	"$SBOX" $c --bogus-opt >/dev/null 2>"$T_TMP/err"
	expect_grep "^sbox: $c: unknown option '--bogus-opt'" "$T_TMP/err" "$c: one wording"
done
# run and learn: a program needs "--" before it
for c in run learn; do
	expect_rc 2 "$c def.json sleep 10 (no --)" "$SBOX" $c def.json sleep 10
	expect_grep "^sbox: $c: unexpected 'sleep': put '--' before the program" \
		"$T_TMP/err" "$c names the program token"
done
# commands that take options only: a word or "--" is a usage error
for c in list prune ps version; do
	for w in extra --; do
		expect_rc 2 "$c $w refused" "$SBOX" $c $w
		expect_grep "^sbox: $c: unexpected argument '$w'" "$T_TMP/err" "$c $w named"
	done
done
# --format of the container commands: text or json, one wording
for c in list ps; do
	expect_rc 2 "$c --format yaml refused" "$SBOX" $c --format yaml
	expect_grep "^sbox: $c: --format: expected text or json, not 'yaml'" "$T_TMP/err" "$c --format named"
	expect_rc 0 "$c --format json" "$SBOX" $c --format json
done
expect_rc 2 "did you mean for options" "$SBOX" launch --timout 3 x
expect_grep "did you mean '--timeout'" "$T_TMP/err" "--timout -> --timeout"
expect_rc 2 "did you mean for commands" "$SBOX" lauch
expect_grep "did you mean 'launch'" "$T_TMP/err" "lauch -> launch"
expect_rc 2 "missing value" "$SBOX" launch x --timeout
expect_grep "option '--timeout' needs a value" "$T_TMP/err" "missing value named"

# --timeout values
for bad in -3 0 abc 5x 1e3 nan inf ""; do
	expect_rc 2 "--timeout '$bad' refused" "$SBOX" launch x --timeout "$bad" -- true
done

# operation names, templates, presets: did you mean, found at check
cat >"$T_TMP/bad.sb" <<'EOF'
(version 1)
(allow file-reed*)
EOF
expect_rc 1 "check file-reed*" "$SBOX" check "$T_TMP/bad.sb"
expect_grep "did you mean the operation file-read\*" "$T_TMP/out" "operation: did you mean"
printf '(version 1)\n(allow file-read*)\n' >"$T_TMP/good.sb"
expect_rc 2 "explain with a mistyped operation" "$SBOX" explain "$T_TMP/good.sb" 'file-reed*' /x
expect_grep "unknown operation 'file-reed\*' (did you mean 'file-read\*'?)" "$T_TMP/err" "explain: did you mean"
cat >"$T_TMP/tpl.json" <<'EOF'
{ "name": "tpl", "extends": ["base"], "template": "minmal" }
EOF
expect_rc 1 "template 'minmal' fails at check" "$SBOX" check "$T_TMP/tpl.json"
expect_grep "unknown template 'minmal' (did you mean 'minimal'?)" "$T_TMP/out" "template: did you mean"
cat >"$T_TMP/pre.json" <<'EOF'
{ "name": "pre", "extends": ["no-netwrok"] }
EOF
expect_rc 1 "preset typo fails at check" "$SBOX" check "$T_TMP/pre.json"
expect_grep "did you mean 'no-network'" "$T_TMP/out" "preset in extends: did you mean"

# - for standard input / output
printf '(version 1)\n(allow file-reed*)\n' | "$SBOX" check - >"$T_TMP/out" 2>&1
expect_grep "<stdin>:2:8: error" "$T_TMP/out" "check - reads standard input"
expect_rc 0 "help list does not point at README.md" "$SBOX" help list
if grep -q README "$T_TMP/out"; then not_ok "help list cites README"; else ok "help list is self-contained"; fi
expect_rc 2 "json document: list --format yaml refused" "$SBOX" list --format yaml
expect_rc 0 "list --format json" "$SBOX" list --format json
expect_grep '"version": 1' "$T_TMP/out" "list json has a version"
expect_rc 0 "check --list-checks --format json" "$SBOX" check --list-checks --format json
expect_grep '"version": 1' "$T_TMP/out" "checks json has a version"
expect_rc 1 "check --format json" "$SBOX" check --format json "$T_TMP/bad.sb"
expect_grep '"version": 1' "$T_TMP/out" "check json has a version"

if [ "$(uname -s)" = Linux ]; then
	cat >"$T_TMP/first.json" <<'EOF'
{ "name": "first", "extends": ["base"], "limits": { "cpu-seconds": 1 } }
EOF
	expect_rc 0 "create first" "$SBOX" create "$T_TMP/first.json"
	expect_rc 137 "options after NAME: launch first --timeout 2 -- sleep 10" \
		"$SBOX" launch first --timeout 2 -- sleep 10
	expect_grep "ran out of time (2 s)" "$T_TMP/err" "timeout said"
	expect_rc 137 "--timeout 1.5" "$SBOX" launch first --timeout 1.5 -- sleep 10
	expect_grep "ran out of time (1.5 s)" "$T_TMP/err" "fractional timeout said"
	expect_rc 152 "cpu-seconds kills with SIGXCPU" \
		"$SBOX" launch first -- /bin/sh -c 'while :; do :; done'
	expect_grep "used up its CPU time (cpu-seconds 1)" "$T_TMP/err" "cpu limit said like a timeout"
	expect_rc 2 "launch first sleep 10 (no --)" "$SBOX" launch first sleep 10
	expect_grep "unexpected 'sleep': put '--'" "$T_TMP/err" "names the program token"
	expect_rc 2 "create again: exists" "$SBOX" create "$T_TMP/first.json"
	expect_grep "hint: .*--name" "$T_TMP/err" "create of an existing name mentions --name"
	# export / import with -
	"$SBOX" export first - >"$T_TMP/first.tar" 2>"$T_TMP/err"
	if tar tf "$T_TMP/first.tar" | grep -q metadata.plist; then ok "export NAME - writes a tar to stdout"; else not_ok "export -"; fi
	expect_rc 2 "import of an existing name" "$SBOX" import - <"$T_TMP/first.tar"
	expect_grep "hint: .*--name" "$T_TMP/err" "import of an existing name mentions --name"
	expect_rc 0 "import - --name" sh -c "'$SBOX' import - --name second <'$T_TMP/first.tar'"
	expect_rc 2 ".zip export refused" "$SBOX" export first "$T_TMP/x.zip"
	if [ ! -e "$T_TMP/x.zip" ]; then ok "no .zip written"; else not_ok ".zip written"; fi
	# list shows in use; prune removes run leftovers only
	"$SBOX" launch first -- sleep 3 & pid=$!
	sleep 1
	"$SBOX" list >"$T_TMP/out"
	expect_grep "^first .* yes " "$T_TMP/out" "list: first is in use"
	"$SBOX" list --format json >"$T_TMP/out"
	expect_grep '"in_use": true' "$T_TMP/out" "list json: in_use"
	"$SBOX" ps >"$T_TMP/out"
	expect_grep "^first  *[0-9][0-9]*  .*  sleep 3$" "$T_TMP/out" "ps shows what runs"
	wait $pid
	"$SBOX" ps >"$T_TMP/out"
	if grep -q sleep "$T_TMP/out"; then not_ok "ps after the end"; else ok "ps: nothing runs any more"; fi
	"$SBOX" list >"$T_TMP/out"
	expect_grep "^first .* no " "$T_TMP/out" "list: first no longer in use"
	expect_rc 0 "run --keep" "$SBOX" run "$T_TMP/first.json" --keep -- true
	"$SBOX" list -q >"$T_TMP/names"
	expect_grep '^first-run-[0-9a-f]\{12\}$' "$T_TMP/names" "kept run container listed"
	expect_rc 0 "prune" "$SBOX" prune
	"$SBOX" list -q >"$T_TMP/names"
	if grep -q -- '-run-' "$T_TMP/names"; then not_ok "prune left a run container"; else ok "prune removed the run container"; fi
	expect_grep '^first$' "$T_TMP/names" "prune kept the named container"
fi
done_testing
