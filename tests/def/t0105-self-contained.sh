#!/bin/sh
# sandbox-exec readiness (issue 9 §1 "Self-contained profiles"): every
# preset compiled with every variable fixed is a profile that
# `sandbox-exec -f FILE PROGRAM` runs as it is: no (param ...) left, paths
# as escaped string literals, and `sbox check --strict-params` (a missing
# parameter is #f, as on macOS) finds no error and no warning.
. "$TOP/tests/lib/test-lib.sh"
export SBOX_DATADIR="$TOP"
fixed="-D HOME=/Users/me -D PROJECT=/Users/me/src/app -D CONTAINER=/Users/me/Library/Containers/app/Data"
n=0
for p in "$TOP"/profiles/*.json; do
	name=$(basename "$p" .json)
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$SBOX" compile "$p" $fixed -o "$T_TMP/$name.sb" 2>"$T_TMP/err" ||
		{ not_ok "compile $name"; sed 's/^/#   /' "$T_TMP/err"; continue; }
	if grep -n '(param' "$T_TMP/$name.sb" >"$T_TMP/params"; then
		not_ok "$name: parameters left"; sed 's/^/#   /' "$T_TMP/params" | head -5
	else
		ok "$name: no (param left"
	fi
	expect_check_clean "$name: check --strict-params clean" \
		--strict-params "$T_TMP/$name.sb"
done
[ "$n" -ge 5 ] && ok "$n presets compiled" || not_ok "only $n presets"

# A variable left open is the only parameter, and it is named in the text.
"$SBOX" compile "$TOP/profiles/build-tools.json" -D HOME=/Users/me \
	-D CONTAINER=/c >"$T_TMP/open.sb" 2>/dev/null
params=$(grep -o '(param "[A-Z_0-9]*")' "$T_TMP/open.sb" | sort -u | tr '\n' ' ')
[ "$params" = '(param "SBOX_PROJECT") ' ] && ok "only the open variable is a parameter" ||
	not_ok "parameters of a half-fixed compile: '$params'"
expect_grep '^;;   SBOX_PROJECT = the value of \${PROJECT}$' "$T_TMP/open.sb" "open variable named for the launcher"
expect_rc 0 "open variable supplied with -D checks clean" "$SBOX" check --strict-params \
	-D SBOX_PROJECT=/p "$T_TMP/open.sb"

# Paths are escaped string literals: a quote and a backslash in a path
# survive the round trip through the SBPL reader.
cat >"$T_TMP/odd.json" <<'JSON'
{"name": "odd", "filesystem": {"read": ["/data/a \"quoted\" dir", "/data/back\\slash"]}}
JSON
expect_rc 0 "compile a definition with odd paths" "$SBOX" compile "$T_TMP/odd.json" -o "$T_TMP/odd.sb"
expect_grep '(subpath "/data/a \\"quoted\\" dir")' "$T_TMP/odd.sb" "quote escaped"
expect_grep '(subpath "/data/back\\\\slash")' "$T_TMP/odd.sb" "backslash escaped"
expect_rc 0 "the escaped path is allowed as written" "$SBOX" explain "$T_TMP/odd.sb" \
	file-read-data '/data/a "quoted" dir/f'
expect_rc 1 "a neighbour is not" "$SBOX" explain "$T_TMP/odd.sb" file-read-data '/data/a'
expect_rc 0 "the backslash path is allowed as written" "$SBOX" explain "$T_TMP/odd.sb" \
	file-read-data '/data/back\slash/f'
done_testing
