#!/bin/sh
# Grants on the command line mean exactly what the equivalent definition
# file means: same merged definition, same Linux plan, same SBPL; and a
# launch or run with them enforces them.
. "$TOP/tests/lib/test-lib.sh"

export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj/src"
cd "$T_TMP/proj" || exit 1
P=$T_TMP/proj

# the file a user would write for the command line below
cat >"$T_TMP/equiv.json" <<EOF
{
  "extends": ["build-tools"],
  "filesystem": { "write": ["$P"], "read": ["$P/src", "/srv"],
                  "deny": ["$P/secret"], "exec": ["/opt/tool"] },
  "network": "none",
  "environment": { "inherit": ["CC"], "set": { "FOO": "1" } }
}
EOF
set -- --preset build-tools --write . --read src --read /srv --deny ./secret \
	--exec /opt/tool --net none --env CC --env FOO=1
for target in linux macos; do
	"$SBOX" compile "$@" --target $target -D HOME=/h -D CONTAINER=/c \
		-D PROJECT="$P" -D TMPDIR=/t >"$T_TMP/flags.$target" 2>"$T_TMP/err"
	"$SBOX" compile "$T_TMP/equiv.json" --target $target -D HOME=/h \
		-D CONTAINER=/c -D PROJECT="$P" -D TMPDIR=/t >"$T_TMP/file.$target"
	if [ -s "$T_TMP/flags.$target" ] &&
	   cmp -s "$T_TMP/flags.$target" "$T_TMP/file.$target"; then
		ok "flags and file compile to the same $target output"
	else
		not_ok "flags and file differ for $target"
		diff "$T_TMP/file.$target" "$T_TMP/flags.$target" | head -20 | sed 's/^/#   /'
		sed 's/^/#   /' "$T_TMP/err"
	fi
done
"$SBOX" compile "$@" --format json >"$T_TMP/merged.json"
"$SBOX" compile "$T_TMP/equiv.json" --format json >"$T_TMP/merged-file.json"
if cmp -s "$T_TMP/merged.json" "$T_TMP/merged-file.json"; then
	ok "--format json prints the same merged definition"
else
	not_ok "merged definitions differ"; diff "$T_TMP/merged-file.json" "$T_TMP/merged.json" | head | sed 's/^/#   /'
fi
# ... and that output is itself a definition meaning the same
"$SBOX" compile "$T_TMP/merged.json" --target linux -D HOME=/h -D CONTAINER=/c \
	-D PROJECT="$P" -D TMPDIR=/t >"$T_TMP/again.linux"
if cmp -s "$T_TMP/again.linux" "$T_TMP/file.linux"; then
	ok "the printed definition compiles to the same plan"
else
	not_ok "the printed definition compiles differently"
fi

# no definition and no preset: base
"$SBOX" compile --write /w --format json >"$T_TMP/b.json"
"$SBOX" compile --preset base --write /w --format json >"$T_TMP/b2.json"
if cmp -s "$T_TMP/b.json" "$T_TMP/b2.json" && grep -q '"/w"' "$T_TMP/b.json"; then
	ok "grants alone start from the preset base"
else
	not_ok "grants alone do not start from base"
fi
# a definition with grants on top: the file's own grants stay
cat >"$T_TMP/web.json" <<EOF
{ "name": "web", "extends": ["base"], "filesystem": { "read": ["/srv/www"] } }
EOF
"$SBOX" compile "$T_TMP/web.json" --write /w --format json >"$T_TMP/w.json"
if grep -q '"/srv/www"' "$T_TMP/w.json" && grep -q '"/w"' "$T_TMP/w.json" &&
   grep -q '"name": "web"' "$T_TMP/w.json"; then
	ok "grants add to a definition, which keeps its name"
else
	not_ok "grants on a definition"; sed 's/^/#   /' "$T_TMP/w.json" | head
fi

expect_rc 2 "unknown preset" "$SBOX" run --preset buidl-tools -- true
expect_grep "did you mean 'build-tools'" "$T_TMP/err" "preset: did you mean"
expect_rc 2 "unknown network mode" "$SBOX" compile --net nome
expect_grep "did you mean 'none'" "$T_TMP/err" "net: did you mean"
expect_rc 2 "bad --env" "$SBOX" compile --env =x
expect_rc 2 "invalid environment name reported from the command line" \
	"$SBOX" compile --env '1X'
expect_grep "(command line)" "$T_TMP/err" "diagnostic names the command line"

# enforcement (Linux): --write . lets the program write the project,
# without it the project is read-only; --net none has no network
if [ "$(uname -s)" = Linux ]; then
	expect_rc 0 "run --preset build-tools --write . writes the project" \
		"$SBOX" run --preset build-tools --write . --net none -- \
		/bin/sh -c 'echo hi >made-by-run'
	if [ -f made-by-run ]; then ok "the file was written"; else not_ok "no file"; fi
	expect_rc 2 "run --read . cannot write (sh: exit 2)" \
		"$SBOX" run --read . -- /bin/sh -c 'echo x >nope'
	expect_grep "Read-only\|Permission denied" "$T_TMP/err" "the write was refused"
	if [ ! -e nope ]; then ok "read-only grant held"; else not_ok "wrote through --read"; fi
	echo hidden >"$P/secret"
	expect_rc 1 "run --read . --deny ./secret cannot read it" \
		"$SBOX" run --read . --deny ./secret -- /bin/cat "$P/secret"
	expect_rc 0 "launch with grants and no NAME (container after the preset)" \
		"$SBOX" launch --read . -- /bin/cat "$P/made-by-run"
	"$SBOX" list -q >"$T_TMP/names"
	expect_grep '^base$' "$T_TMP/names" "the container is named after the preset"
	expect_rc 0 "launch --name NAME with grants" \
		"$SBOX" launch --name mine --read . -- /bin/true
	"$SBOX" list -q >"$T_TMP/names"
	expect_grep '^mine$' "$T_TMP/names" "--name names the container"
	expect_rc 3 "grants: --env sets the variable" \
		"$SBOX" run --env SBOXT=3 -- /bin/sh -c 'exit $SBOXT'
fi
done_testing
