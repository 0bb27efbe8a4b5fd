#!/bin/sh
# sbox check: options, exit statuses, output formats.
. "$TOP/tests/lib/test-lib.sh"

cat >"$T_TMP/good.sb" <<'SB'
(version 1)
(deny default)
(allow file-read* (subpath "/System") (subpath "/usr/lib"))
(allow file-read* (subpath (param "PROJECT")))
SB
cat >"$T_TMP/bad.sb" <<'SB'
(version 1)
(allow file-reed* (subpath "/usr/lib"))
SB
cat >"$T_TMP/base.sb" <<'SB'
(version 1)
(define (read-dir p) (allow file-read* (subpath p)))
SB
cat >"$T_TMP/fragment.sb" <<'SB'
(read-dir "/usr/share")
SB
cat >"$T_TMP/warn.sb" <<'SB'
(version 1)
(allow file-write* (subpath "/tmp/x"))
SB
cat >"$T_TMP/newop.sb" <<'SB'
(version 1)
(if (defined? 'syscall-unix) (deny syscall-unix))
SB

expect_rc 0 "clean profile exits 0" "$SBOX" check "$T_TMP/good.sb"
expect_grep 'param-missing' "$T_TMP/out" "missing param is a note"
expect_grep 'PROJECT' "$T_TMP/out" "the note names the parameter"
expect_rc 0 "-D supplies the parameter" "$SBOX" check -D PROJECT=/Users/me/p "$T_TMP/good.sb"
if grep -q param-missing "$T_TMP/out"; then not_ok "no note with -D"; else ok "no note with -D"; fi
expect_rc 1 "--strict-params makes a missing param #f (an error)" \
	"$SBOX" check --strict-params "$T_TMP/good.sb"
expect_grep 'good.sb:4:28: error: .*not a string.*\[type\]' "$T_TMP/out" "strict: type error at the param"

expect_rc 1 "errors exit 1" "$SBOX" check "$T_TMP/bad.sb"
expect_grep 'bad.sb:2:8: error: unbound variable: file-reed\* (did you mean the operation file-read\*?) \[unbound-variable\]' "$T_TMP/out" "macOS wording and position, with the closest operation"
expect_grep '^  (allow file-reed\*' "$T_TMP/out" "source line shown"
expect_grep '^         \^~~~~~~~~~' "$T_TMP/out" "caret under the name"
expect_rc 1 "several files: worst status" "$SBOX" check "$T_TMP/good.sb" "$T_TMP/bad.sb"

expect_rc 1 "fragment alone has no version" "$SBOX" check "$T_TMP/fragment.sb"
expect_rc 0 "--prepend evaluates the base first" "$SBOX" check --prepend "$T_TMP/base.sb" "$T_TMP/fragment.sb"
expect_rc 0 "-I resolves imports" sh -c "printf '(version 1)\n(import \"base.sb\")\n(read-dir \"/usr\")\n' >'$T_TMP/imp.sb' && '$SBOX' check -I '$T_TMP' '$T_TMP/imp.sb'"

expect_rc 0 "warnings alone exit 0" "$SBOX" check "$T_TMP/warn.sb"
expect_grep 'symlink-path' "$T_TMP/out" "warning reported"
expect_rc 0 "--disable drops a check" "$SBOX" check --disable symlink-path "$T_TMP/warn.sb"
if grep -q symlink-path "$T_TMP/out"; then not_ok "--disable hides it"; else ok "--disable hides it"; fi
expect_rc 2 "--disable with an unknown ID" "$SBOX" check --disable no-such-check "$T_TMP/warn.sb"

expect_rc 0 "--macos 10.14 honours defined? guards" "$SBOX" check --macos 10.14 "$T_TMP/newop.sb"
printf '(version 1)\n(deny syscall-unix)\n' >"$T_TMP/newop2.sb"
expect_rc 1 "--macos 10.14 without a guard" "$SBOX" check --macos 10.14 "$T_TMP/newop2.sb"
expect_grep 'op-unavailable' "$T_TMP/out" "op-unavailable reported"
expect_rc 0 "default release knows syscall-unix" "$SBOX" check "$T_TMP/newop2.sb"
expect_rc 2 "unknown release" "$SBOX" check --macos 9.1 "$T_TMP/good.sb"

expect_rc 1 "--format json" "$SBOX" check --format json "$T_TMP/bad.sb"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errors"]==1; x=d["diagnostics"][0]; assert (x["line"],x["column"],x["id"],x["severity"])==(2,8,"unbound-variable","error")' "$T_TMP/out" 2>/dev/null; then
	ok "json document has the diagnostic"
elif command -v python3 >/dev/null; then
	not_ok "json document has the diagnostic"; sed 's/^/#   /' "$T_TMP/out"
else
	expect_grep '"id": "unbound-variable"' "$T_TMP/out" "json has the id"
fi
expect_rc 2 "bad --format" "$SBOX" check --format xml "$T_TMP/good.sb"

expect_rc 2 "no files" "$SBOX" check
expect_rc 2 "unreadable file" "$SBOX" check "$T_TMP/does-not-exist.sb"
expect_grep "cannot read" "$T_TMP/out" "says why"
expect_rc 2 "a directory" "$SBOX" check "$T_TMP"
expect_rc 2 "unknown option" "$SBOX" check --frob "$T_TMP/good.sb"
expect_rc 2 "-D without =" "$SBOX" check -D NOVALUE "$T_TMP/good.sb"
expect_rc 0 "--list-checks" "$SBOX" check --list-checks
expect_grep '^unbound-variable  *error' "$T_TMP/out" "catalogue lists IDs with severity"

# A diagnostic on a very long line shows a window around the column.
python3 -c '
a = " ".join("(literal \"/a/%d\")" % i for i in range(5000))
b = " ".join("(literal \"/b/%d\")" % i for i in range(5000))
print("(version 1)\n(allow file-read* %s (literl \"/x\") %s)" % (a, b))' >"$T_TMP/long.sb"
col=$(awk 'NR==2 { print index($0, "(literl") + 1 }' "$T_TMP/long.sb")
expect_rc 1 "long line: checked" "$SBOX" check "$T_TMP/long.sb"
expect_grep "long.sb:2:$col: error: unbound variable: literl" "$T_TMP/out" "long line: the real column"
if [ "$(wc -c <"$T_TMP/out")" -lt 600 ]; then ok "long line: a window, not the whole line"
else not_ok "long line: $(wc -c <"$T_TMP/out") bytes of output"; fi
expect_grep '^  \.\.\..*(literl "/x").*\.\.\.$' "$T_TMP/out" "long line: ... marks on both sides"
# the caret sits under the name: same offset in the shown window
awk 'NR==2 { s = index($0, "literl") } NR==3 { c = index($0, "^") } END { exit !(s == c && s > 0) }' "$T_TMP/out" &&
	ok "long line: caret under the name" || not_ok "long line: caret misplaced"
expect_rc 1 "long line: json" "$SBOX" check --format json "$T_TMP/long.sb"
expect_grep "\"column\": $col," "$T_TMP/out" "long line: json keeps the real column"

# A generated profile bigger than the fixed step budget (2,000,000 steps;
# ~2 a literal here, 2.2 million in all, in 16 MB) is not cut short: the budget
# grows with the text.
awk 'BEGIN { print "(version 1)"; for (i = 0; i < 52000; i++) {
	printf "(allow file-read*"; for (j = 0; j < 20; j++) printf " (literal \"/a\")"; print ")" } }' >"$T_TMP/big.sb"
expect_rc 0 "1,040,000 literals: checked whole" "$SBOX" check --disable rule-shadowed "$T_TMP/big.sb"
done_testing
