#!/bin/sh
# make install PREFIX=... installs the binary, presets, man pages and
# completions; the pages render without warnings; bash completion
# completes subcommands, options, presets and container names; make
# uninstall removes everything it installed.
. "$TOP/tests/lib/test-lib.sh"

command -v make >/dev/null || skip_all "no make"
P=$T_TMP/prefix
# PREFIX is compiled into sbox (its data folder): install from a copy of
# the build's objects, so that only datadir.o and the link are redone and
# the build under test is left as it was. Flags of the calling make (e.g.
# check-asan's) come along in MAKEFLAGS.
B=$T_TMP/build
mkdir -p "$B"
cp -a "${BUILD:-$TOP/build}/obj" "${BUILD:-$TOP/build}/libsbox.a" "$B/" 2>/dev/null
[ -d "${BUILD:-$TOP/build}/gen" ] && cp -a "${BUILD:-$TOP/build}/gen" "$B/"
make -s -C "$TOP" install PREFIX="$P" BUILD="$B" >"$T_TMP/out" 2>&1 ||
	{ sed 's/^/#   /' "$T_TMP/out"; not_ok "make install"; done_testing; }
ok "make install PREFIX=$P"
for f in bin/sbox share/man/man1/sbox.1 share/man/man5/sbox-definition.5 \
	 share/bash-completion/completions/sbox share/zsh/site-functions/_sbox \
	 share/fish/vendor_completions.d/sbox.fish share/sbox/profiles/base.json; do
	if [ -f "$P/$f" ]; then ok "installed $f"; else not_ok "missing $f"; fi
done
for page in "$P/share/man/man1/sbox.1" "$P/share/man/man5/sbox-definition.5"; do
	if command -v groff >/dev/null; then
		groff -ww -z -man "$page" >"$T_TMP/w" 2>&1
		if [ ! -s "$T_TMP/w" ]; then ok "groff -ww: $(basename "$page") clean"; else
			not_ok "groff warns on $(basename "$page")"; sed 's/^/#   /' "$T_TMP/w"; fi
	fi
	if command -v man >/dev/null; then
		MANWIDTH=80 man --warnings -l "$page" >"$T_TMP/page" 2>"$T_TMP/w"
		if [ ! -s "$T_TMP/w" ] && [ -s "$T_TMP/page" ]; then ok "man -l renders $(basename "$page")"; else
			not_ok "man -l $(basename "$page")"; sed 's/^/#   /' "$T_TMP/w"; fi
	fi
done
if command -v man >/dev/null; then
	MANPATH="$P/share/man" man -w sbox-definition >"$T_TMP/w" 2>&1
	expect_grep "$P/share/man/man5/sbox-definition.5" "$T_TMP/w" "man finds sbox-definition under MANPATH"
fi
# every subcommand of `sbox help` is in the page
for c in $("$P/bin/sbox" help --commands); do
	grep -q "^\.SS \"sbox $c" "$P/share/man/man1/sbox.1" && ok "sbox(1) documents $c" ||
		not_ok "sbox(1) has no section for $c"
done
# the installed binary finds its installed presets
SBOX_HOME="$T_TMP/store" "$P/bin/sbox" help presets >"$T_TMP/out" 2>&1
expect_grep '^build-tools$' "$T_TMP/out" "installed sbox lists its presets"

if command -v bash >/dev/null; then
	cat >"$T_TMP/comp.bash" <<EOF
PATH="$P/bin:\$PATH"
export SBOX_HOME="$T_TMP/store"
. "$P/share/bash-completion/completions/sbox"
comp() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _sbox; printf '%s\n' "\${COMPREPLY[@]}"; }
echo "== la"; comp sbox la
echo "== launch --ti"; comp sbox launch --ti
echo "== run --preset b"; comp sbox run --preset b
echo "== show"; comp sbox show ''
EOF
	mkdir -p "$T_TMP/store"
	printf '{"name":"compme","extends":["base"]}\n' >"$T_TMP/c.json"
	SBOX_HOME="$T_TMP/store" "$P/bin/sbox" create "$T_TMP/c.json" >/dev/null 2>&1
	bash "$T_TMP/comp.bash" >"$T_TMP/c" 2>&1
	sed -n '/== la/,/==/p' "$T_TMP/c" | grep -qx launch && ok "bash completes 'sbox la' to launch" ||
		{ not_ok "bash: sbox la"; sed 's/^/#   /' "$T_TMP/c"; }
	sed -n '/== launch --ti/,/==/p' "$T_TMP/c" | grep -qx -- --timeout && ok "bash completes launch --ti" ||
		not_ok "bash: launch --ti"
	sed -n '/== run --preset b/,/==/p' "$T_TMP/c" | grep -qx build-tools && ok "bash completes presets" ||
		not_ok "bash: presets"
	sed -n '/== show/,$p' "$T_TMP/c" | grep -qx compme && ok "bash completes container names" ||
		not_ok "bash: container names"
fi
make -s -C "$TOP" uninstall PREFIX="$P" BUILD="$B" >/dev/null 2>&1
left=$(find "$P" -type f | head -5)
if [ -z "$left" ]; then ok "make uninstall removes every installed file"; else
	not_ok "left after uninstall: $left"; fi
done_testing
