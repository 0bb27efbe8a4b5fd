#!/bin/sh
# Issue 11 §2: the project is explicit. ${PROJECT} is the current folder
# unless --project (-C) names one; a current folder of /, a home folder or
# a folder holding one is refused where a definition uses ${PROJECT};
# explain, check and compile follow the same rule; check warns about
# grants of / or the whole home.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
export HOME="$T_TMP/home"
mkdir -p "$HOME/proj"
# what base denies exists, as in a real home (a missing deny inside a
# writable tree stops a launch)
mkdir -p "$HOME/.ssh" "$HOME/.gnupg" "$HOME/.aws" "$HOME/Library/Keychains"
BT=$T_TMP/bt.json NB=$T_TMP/nb.json BR=$T_TMP/br.json
echo '{"name": "bt", "extends": ["build-tools"]}' >"$BT"
echo '{"name": "nb", "extends": ["base"]}' >"$NB"
echo '{"name": "br", "extends": ["base"], "filesystem": {"read": ["/", "/proc/self/root/etc"], "write": ["~"]}}' >"$BR"

in_dir() { d=$1; shift; ( cd "$d" && "$@" ); }

expect_rc 2 "launch from / with \${PROJECT} grants is refused" \
	in_dir / "$SBOX" launch "$BT" -- true
expect_grep "the whole disk" "$T_TMP/err" "says the project would be /"
expect_grep "\-\-project" "$T_TMP/err" "points at --project"
[ -e "$SBOX_HOME/bt" ] && not_ok "a refused launch made no container" ||
	ok "a refused launch made no container"
expect_rc 2 "launch from the home folder is refused" in_dir "$HOME" "$SBOX" launch "$BT" -- true
expect_grep "a home folder" "$T_TMP/err" "says it is a home folder"
expect_rc 2 "launch from a folder holding the home is refused" \
	in_dir "$T_TMP" "$SBOX" launch "$BT" -- true
expect_rc 2 "run follows the same rule" in_dir "$HOME" "$SBOX" run "$BT" -- true
expect_rc 0 "--project names the home on purpose" \
	in_dir / "$SBOX" launch --project "$HOME" "$BT" -- true
# (stderr apart: proj is no repository, so build-tools warns that it
# cannot keep .git/hooks and .git/config read-only)
out=$(cd / && "$SBOX" launch -C "$HOME/proj" "$BT" -- pwd 2>"$T_TMP/err")
[ "$out" = "$HOME/proj" ] && ok "-C DIR: the program starts in DIR" ||
	not_ok "-C DIR: the program starts in '$out'"
out=$(cd "$HOME/proj" && "$SBOX" launch bt -- pwd 2>"$T_TMP/err")
[ "$out" = "$HOME/proj" ] && ok "by default the project is the current folder" ||
	not_ok "default project: '$out'"
expect_rc 0 "a definition without \${PROJECT} runs from the home folder" \
	in_dir "$HOME" "$SBOX" launch "$NB" -- true
( cd "$HOME/proj" && "$SBOX" launch -C "$HOME/proj" "$BT" -- sh -c 'echo x >made' )
[ -f "$HOME/proj/made" ] && ok "the project is writable through \${PROJECT}" ||
	not_ok "the project is writable through \${PROJECT}"
in_dir "$HOME/proj" "$SBOX" launch "$BT" -- sh -c "echo x >$HOME/outside" 2>/dev/null
[ -e "$HOME/outside" ] && not_ok "nothing above the project is written" ||
	ok "nothing above the project is written"

# explain, check and compile say what launch would do
expect_rc 2 "explain from the home folder is refused" \
	in_dir "$HOME" "$SBOX" explain --target macos "$BT" file-write-data "$HOME/x"
expect_rc 0 "explain -C DIR answers for DIR" \
	in_dir / "$SBOX" explain --target macos -C "$HOME/proj" "$BT" file-write-data "$HOME/proj/x"
expect_rc 1 "... and not above it" \
	in_dir / "$SBOX" explain --target macos -C "$HOME/proj" "$BT" file-write-data "$HOME/x"
# --target linux picks the project the same way (the answers themselves:
# $T_TMP is under /tmp, the container's own there)
expect_rc 2 "explain --target linux from the home folder is refused" \
	in_dir "$HOME" "$SBOX" explain --target linux "$BT" file-write-data "$HOME/x"
expect_grep "a home folder" "$T_TMP/err" "explain --target linux says why"
expect_rc 0 "explain --target linux from the project answers for it" \
	in_dir "$HOME/proj" "$SBOX" explain --target linux "$BT" file-write-data "$HOME/proj/x"
expect_rc 1 "check from / reports the project" in_dir / "$SBOX" check "$BT"
expect_grep "def-project" "$T_TMP/out" "as def-project"
expect_rc 0 "check -C DIR is fine" in_dir / "$SBOX" check -C "$HOME/proj" "$BT"
for c in check compile; do
	expect_rc 2 "$c -C of a missing folder is refused" \
		"$SBOX" $c -C "$T_TMP/no-such" "$BT"
	expect_grep "^sbox: $c: --project '$T_TMP/no-such'" "$T_TMP/err" "$c names it"
done
expect_rc 0 "check of a definition without \${PROJECT} from / is fine" \
	in_dir / "$SBOX" check "$NB"
expect_rc 0 "check: broad grants are warnings" in_dir "$HOME/proj" "$SBOX" check "$BR"
expect_grep "read of '/' covers the whole disk" "$T_TMP/out" "check warns about a grant of /"
expect_grep "covers the whole home folder" "$T_TMP/out" "check warns about a grant of ~"
expect_grep "read of '/proc/self/root/etc' is in the host's /proc" "$T_TMP/out" \
	"check warns about a grant through /proc/self/root"
in_dir / "$SBOX" compile -C "$HOME/proj" --target linux "$BT" >"$T_TMP/plan"
expect_grep "\"$HOME/proj\"" "$T_TMP/plan" "compile -C DIR puts DIR in the plan"
"$SBOX" help launch >"$T_TMP/help" 2>&1 || "$SBOX" launch --help >"$T_TMP/help"
expect_grep "current folder" "$T_TMP/help" "help launch says the default is the current folder"
done_testing
