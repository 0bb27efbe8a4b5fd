#!/bin/sh
# tools/check-deps.sh: the tree keeps its layering, and the checker catches
# each kind of violation (and only those) in a doctored copy.
. "$TOP/tests/lib/test-lib.sh"

expect_rc 0 "the source tree passes check-deps" sh "$TOP/tools/check-deps.sh" "$TOP"
expect_grep "layering ok" "$T_TMP/out" "... and says so"

t=$T_TMP/tree
mkdir -p "$t"
cp -R "$TOP/src" "$t/src"
mkdir -p "$t/src/container" "$t/src/newmod"
printf '#include "util/err.h"\n' >"$t/src/container/container.h"
add() { printf '%s\n' "$2" >>"$t/src/$1"; wc -l <"$t/src/$1" | tr -d ' '; }

l_up=$(add util/err.c '#include "cli/cli.h"')
l_def=$(add def/def.c '#include "sbpl/emit.h"')
l_peer=$(add backend/backend.h '#include "container/container.h"')
l_os=$(add backend/linux/watch_linux.h '#include "backend/macos/seatbelt.h"')
l_print=$(add policy/policy.c 'static void f(void) { fprintf(stderr, "x"); }')
l_exit=$(add def/def.c 'static void g(void) { exit(1); }')
l_puts=$(add util/strbuf.c 'static void h(void) { puts("y"); }')
add util/diag.c '/* exit(1) and printf("x") in a comment */' >/dev/null
add util/diag.c 'static const char *s = "exit(2); printf(";' >/dev/null
add util/diag.c 'static void k(void) { sys->exit(0); }' >/dev/null
add cli/common.c 'static void m(void) { printf("ok"); exit(0); }' >/dev/null
printf 'int x;\n' >"$t/src/newmod/x.c"

expect_rc 1 "a doctored tree fails" sh "$TOP/tools/check-deps.sh" "$t"
o=$T_TMP/out
expect_grep "^src/util/err.c:$l_up: util includes \"cli/cli.h\"" "$o" "upward include"
expect_grep "^src/def/def.c:$l_def: def includes \"sbpl/emit.h\"" "$o" "def including sbpl"
expect_grep "^src/backend/backend.h:$l_peer: backend includes \"container/" "$o" "peer include"
expect_grep "^src/backend/linux/watch_linux.h:$l_os: backend/linux includes \"backend/macos/" "$o" "Linux backend including the macOS one"
expect_grep "^src/policy/policy.c:$l_print: library code writes to stderr" "$o" "fprintf(stderr)"
expect_grep "^src/def/def.c:$l_exit: library code calls exit()" "$o" "exit()"
expect_grep "^src/util/strbuf.c:$l_puts: library code prints" "$o" "puts()"
expect_grep "^src/newmod/x.c:1: unknown module \"newmod\"" "$o" "unknown module"
expect_grep "^check-deps: 8 problem(s)" "$o" "nothing else: comments, strings, sys->exit, cli/ pass"
if grep -q "diag.c\|cli/common.c" "$o"; then not_ok "false positives:"; sed 's/^/#   /' "$o"
else ok "no false positives"; fi

expect_rc 2 "a folder without src/ is bad usage" sh "$TOP/tools/check-deps.sh" "$T_TMP/nothing"
done_testing
