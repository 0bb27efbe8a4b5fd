#!/bin/sh
# Issue 10 #7: root acting for a user through sudo (SUDO_UID/SUDO_GID)
# opens everything a definition names with that user's rights and groups.
# Three attacks by the user, each must fail:
#  1. "template" naming a root-only 0700 folder: must not be copied into
#     the user's container;
#  2. "extends" naming a root-only file: its text must not appear in any
#     message;
#  3. "read" of a file under a root-only 0700 folder: the container's
#     mount points must not make it readable.
# Plus a control: what the user can read still works the same way.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (it plays sudo)"
TEST_USER=${SBOX_TEST_USER:-sboxtest}
id "$TEST_USER" >/dev/null 2>&1 ||
	useradd -M -r -s /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1 ||
	skip_all "cannot create user $TEST_USER"
U=$(id -u "$TEST_USER") G=$(id -g "$TEST_USER")
d=$(mktemp -d /tmp/sbox-sudo.XXXXXX)
trap 'rm -rf "$d" "$T_TMP"' EXIT
chmod 755 "$d"
mkdir -p "$d/rootonly/tpl" "$d/proj" "$d/mine/tpl"
echo "ROOT-SECRET-TEMPLATE" >"$d/rootonly/tpl/secret"
echo "ROOT-SECRET-FILE" >"$d/rootonly/inner"
chmod 644 "$d/rootonly/inner"
printf 'ROOT-SECRET-FIRST-LINE {\n' >"$d/rootonly/base.json"
chmod 600 "$d/rootonly/base.json"
chmod 700 "$d/rootonly"
echo mine >"$d/mine/tpl/mine"
echo readable >"$d/mine/file"
chown -R "$TEST_USER" "$d/proj" "$d/mine"

cat >"$d/proj/tpl.json" <<EOF
{"name": "tpl", "extends": ["base"], "template": "$d/rootonly/tpl", "network": "none"}
EOF
cat >"$d/proj/ext.json" <<EOF
{"name": "ext", "extends": ["$d/rootonly/base.json"], "network": "none"}
EOF
cat >"$d/proj/read.json" <<EOF
{"name": "rd", "extends": ["base"], "network": "none",
 "filesystem": {"read": ["$d/rootonly/inner", "$d/mine/file"]}}
EOF
cat >"$d/proj/ok.json" <<EOF
{"name": "ok", "extends": ["base"], "template": "$d/mine/tpl", "network": "none"}
EOF
chown "$TEST_USER" "$d/proj"/*.json

# as "sudo sbox ..." run by TEST_USER: root, with sudo's variables
sudo_sbox() {
	( cd "$d/proj" && env SUDO_UID="$U" SUDO_GID="$G" SUDO_USER="$TEST_USER" \
	  SBOX_HOME="$d/store" HOME=/root "$SBOX" "$@" )
}

# 1. template
sudo_sbox launch tpl.json -- cat secret >"$d/out" 2>&1
if grep -q ROOT-SECRET-TEMPLATE "$d/out" || [ -e "$d/store/tpl/Data/secret" ]; then
	not_ok "a root-only template was copied for the user"
else
	ok "a root-only template is not copied for the user"
fi
expect_grep "Permission denied" "$d/out" "the refusal says why"

# 2. extends
for cmd in "launch ext.json -- true" "create ext.json" "run ext.json -- true" \
	   "compile ext.json" "check ext.json" \
	   "explain ext.json file-read-data /etc/passwd"; do
	# shellcheck disable=SC2086
	sudo_sbox $cmd >"$d/out" 2>&1
	if grep -q ROOT-SECRET-FIRST-LINE "$d/out"; then
		not_ok "sbox $cmd echoes a root-only extends file"
		sed 's/^/#   /' "$d/out"
	else
		ok "sbox $cmd does not echo a root-only extends file"
	fi
done

# 3. a grant under a folder the user cannot enter
sudo_sbox launch read.json -- cat "$d/rootonly/inner" >"$d/out" 2>&1
if grep -q ROOT-SECRET-FILE "$d/out"; then
	not_ok "a file under a root-only folder is readable in the container"
else
	ok "a file under a root-only folder is not readable in the container"
fi

# control: the user's own files work as before
expect_rc 0 "the user's own grant is readable" \
	sudo_sbox launch read.json -- cat "$d/mine/file"
expect_rc 0 "the user's own template is copied" \
	sudo_sbox launch ok.json -- cat mine
[ "$(stat -c %u "$d/store/ok/Data/mine" 2>/dev/null)" = "$U" ] &&
	ok "the copy belongs to the user" || not_ok "the copy belongs to the user"
done_testing
