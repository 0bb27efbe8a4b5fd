#!/bin/sh
# The real macOS launcher with the real definition loader, def_resolve and
# SBPL emitter, on Linux (libsandbox stood in by tests/backend/darwin_host.c):
# for the shipped presets and a definition with an import, what reaches
# sandbox_compile_string is self-contained -- paths are canonical
# string literals, no (param) and no parameter at all, the import is
# inlined -- and passes `sbox check --strict-params` as it is.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux-only harness"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler"
[ -f "$BUILD/libsbox.a" ] || skip_all "no $BUILD/libsbox.a"
SAN=
nm "$BUILD/obj/util/err.o" 2>/dev/null | grep -q __asan_ &&
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
LIBS=$(pkg-config --libs libxml-2.0 jansson libarchive libseccomp 2>/dev/null)
H=$T_TMP/darwin_host
# shellcheck disable=SC2086
if ! $CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g $SAN -rdynamic \
	-I"$TOP/src" -I"$TOP/tests/shim" -o "$H" "$TOP/tests/backend/darwin_host.c" \
	"$TOP/tests/backend/darwin_host_load.c" "$TOP/src/backend/macos/launch_darwin.c" \
	"$TOP/src/backend/macos/trace_darwin.c" \
	"$TOP/src/backend/macos/pty_darwin.c" \
	"$BUILD/libsbox.a" $LIBS 2>"$T_TMP/cc.err"; then
	not_ok "darwin_host (real definitions) builds"; cat "$T_TMP/cc.err"; done_testing
fi
ok "darwin_host builds with the real loader and emitter"

export SBOX_DATADIR="$TOP"
mkdir -p "$T_TMP/Data/tmp" "$T_TMP/real/proj" "$T_TMP/defs"
ln -s real "$T_TMP/link"
export HOST_DATA="$T_TMP/Data"
printf '(version 1)\n(allow mach-lookup (global-name "org.example.extra"))\n' \
	>"$T_TMP/defs/extra.sb"
cat >"$T_TMP/defs/imports.json" <<'DEF'
{
  "extends": ["base"],
  "filesystem": { "read": ["${PROJECT}"], "write": ["${PROJECT}/build/"] },
  "sbpl": { "import": ["extra.sb"] }
}
DEF

# check_record NAME: the recorded profile is self-contained and passes check.
check_record() {
	n=$1 r=$T_TMP/rec
	if grep -q '(param' "$r.sb"; then
		not_ok "$n: a (param) reached sandbox_compile_string"; grep -n '(param' "$r.sb" | head -3
	else ok "$n: no (param) in the profile"; fi
	if [ -s "$r.params" ]; then
		not_ok "$n: parameters passed"; head -3 "$r.params"
	else ok "$n: no parameter passed"; fi
	grep -o '(subpath "[^"]*")' "$r.sb" | sed 's/(subpath "\(.*\)")/\1/' >"$T_TMP/paths"
	if grep -Ev '^/$|^/[^/]' "$T_TMP/paths" >"$T_TMP/badv" ||
	   grep -E '//|/\./|/\.\./|/\.\.?$|./$' "$T_TMP/paths" >>"$T_TMP/badv"; then
		not_ok "$n: paths not canonical:"; sed 's/^/#   /' "$T_TMP/badv" | head
	else ok "$n: every path is an absolute canonical literal"; fi
	if "$SBOX" check --strict-params "$r.sb" >"$T_TMP/check" 2>&1; then
		ok "$n: sbox check --strict-params accepts what sandbox_compile_string gets"
	else not_ok "$n: sbox check rejects it"; sed 's/^/#   /' "$T_TMP/check" | head -20; fi
}

for def in "$TOP"/profiles/*.json "$T_TMP/defs/imports.json"; do
	name=$(basename "$def" .json)
	rm -f "$T_TMP"/rec.*
	(cd "$T_TMP/link/proj" && HOST_DEF=$def HOST_DEFDIR= HOST_RECORD="$T_TMP/rec" \
		"$H" -- /bin/true) >"$T_TMP/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then not_ok "$name: launch (exit $rc)"; sed 's/^/#   /' "$T_TMP/out"
		continue; fi
	ok "$name: launches"
	check_record "$name"
done

# The last one was imports.json: its project entered through a symlink.
expect_grep "org.example.extra" "$T_TMP/rec.sb" "the definition's import is inlined"
if grep -q '(import "extra.sb")' "$T_TMP/rec.sb"; then not_ok "the import form is left"
else ok "no import left for libsandbox to resolve after chroot"; fi
expect_grep '/real/proj")' "$T_TMP/rec.sb" "\${PROJECT} is the physical path"
if grep -q "/link/" "$T_TMP/rec.sb"; then not_ok "a symlinked path reached the profile"
else ok "no symlinked path reached the profile"; fi
expect_grep '/real/proj/build")' "$T_TMP/rec.sb" "a path that does not exist yet is canonical too"
if grep -q "pseudo-tty\|com.apple.sandbox.pty" "$T_TMP/rec.sb"; then
	not_ok "without a terminal the profile has terminal rules"
else ok "without a terminal the profile has no terminal rules"; fi

# With the program's own pty (--pty): the profile allows that terminal and
# /dev/tty, and no other terminal, as sbox explain evaluates the text.
rm -f "$T_TMP"/rec.*
(cd "$T_TMP/link/proj" && HOST_DEF="$TOP/profiles/base.json" HOST_DEFDIR= \
	HOST_PTY=on HOST_RECORD="$T_TMP/rec" "$H" -- /bin/true) \
	</dev/null >"$T_TMP/out" 2>&1 || { not_ok "base --pty: launch"; cat "$T_TMP/out"; }
check_record "base --pty"
tty=$(sed -n 's|^  (literal "\(/dev/pts/[0-9]*\)")$|\1|p' "$T_TMP/rec.sb")
case $tty in /dev/pts/*) ok "the pty's name is a literal in the profile ($tty)" ;;
*) not_ok "no literal for the pty in the profile" ;; esac
set --
for op in file-ioctl file-read-data file-write-data; do
	for p in "$tty" /dev/tty; do
		expect_rc 0 "base --pty: $op $p allowed" \
			"$SBOX" explain "$@" "$T_TMP/rec.sb" "$op" "$p"
	done
	for p in /dev/ttys001 /dev/pts/99 /dev/console; do
		expect_rc 1 "base --pty: $op $p (another terminal) denied" \
			"$SBOX" explain "$@" "$T_TMP/rec.sb" "$op" "$p"
	done
done
expect_rc 0 "base --pty: pseudo-tty (ptys of its own) allowed" \
	"$SBOX" explain "$@" "$T_TMP/rec.sb" pseudo-tty

done_testing
