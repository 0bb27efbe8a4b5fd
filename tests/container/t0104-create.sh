#!/bin/sh
# sbox create: the default and minimal templates, templates and roots as
# folders or archives, home links only where granted, names, errors, sudo.
. "$TOP/tests/lib/test-lib.sh"
export SBOX_HOME="$T_TMP/store" HOME="$T_TMP/home"
D="$T_TMP/defs"
mkdir -p "$D" "$HOME"
cat >"$D/web.json" <<'JSON'
{
  "name": "web",
  "identifier": "org.example.web",
  "filesystem": { "read": ["/usr", "~/Downloads"], "write": ["~/Pictures/shots"],
                  "deny": ["~/Music"] }
}
JSON
expect_rc 0 "create from a definition" "$SBOX" create "$D/web.json"
expect_grep "created container 'web' at $SBOX_HOME/web" "$T_TMP/out" "create says where"
W="$SBOX_HOME/web/Data"
for d in "Library/Application Support" Library/Caches Library/Preferences Library/Logs \
	"Library/Saved Application State" Documents tmp; do
	[ -d "$W/$d" ] && ok "default template has $d" || not_ok "default template lacks $d"
done
[ -z "$(find "$W" -name .sbox-keep)" ] && ok "placeholders not copied" || not_ok "placeholders copied"
[ "$(readlink "$W/Downloads")" = "$HOME/Downloads" ] && ok "granted Downloads is linked" || not_ok "no Downloads link"
[ "$(readlink "$W/Pictures")" = "$HOME/Pictures" ] && ok "granted Pictures is linked" || not_ok "no Pictures link"
for n in Desktop Movies Music; do
	[ -e "$W/$n" ] || [ -L "$W/$n" ] && not_ok "ungranted $n linked" || ok "ungranted $n not linked"
done
[ "$(stat -c %a "$W")" = 700 ] && ok "Data/ is private" || not_ok "Data/ mode $(stat -c %a "$W")"
expect_rc 0 "show" "$SBOX" show web --format json
python3 - "$T_TMP/out" "$SBOX_HOME/web/definition.json" <<'PY' && ok "digest is sha256 of the stored definition" || not_ok "digest mismatch"
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
raw = open(sys.argv[2], "rb").read()
assert d["digest"] == "sha256:" + hashlib.sha256(raw).hexdigest()
assert d["identifier"] == "org.example.web" and d["template"] == "default"
assert json.loads(raw)["name"] == "web"
PY

expect_rc 2 "create the same name again" "$SBOX" create "$D/web.json"
expect_grep "container 'web' already exists" "$T_TMP/err" "exists message"
expect_rc 0 "create with --name" "$SBOX" create "$D/web.json" --name web2
expect_rc 2 "bad --name" "$SBOX" create "$D/web.json" --name ../x
expect_grep "invalid container name" "$T_TMP/err" "bad name message"

printf '{\n  "name": "bad",\n  "frobnicate": 1\n}\n' >"$D/bad.json"
expect_rc 2 "invalid definition" "$SBOX" create "$D/bad.json"
expect_grep "bad.json:3:" "$T_TMP/err" "diagnostic has file:line"
expect_rc 2 "missing definition" "$SBOX" create "$D/none.json"
printf '{ "filesystem": { "read": ["/usr"] } }\n' >"$D/noname.json"
expect_rc 2 "definition without a name" "$SBOX" create "$D/noname.json"
expect_grep "give one with --name" "$T_TMP/err" "asks for --name"
expect_rc 0 "... but --name works" "$SBOX" create "$D/noname.json" --name named

printf '{ "name": "mini", "template": "minimal" }\n' >"$D/mini.json"
expect_rc 0 "minimal template" "$SBOX" create "$D/mini.json"
[ -d "$SBOX_HOME/mini/Data/Library/Preferences" ] && [ ! -e "$SBOX_HOME/mini/Data/Documents" ] &&
	ok "minimal template shape" || not_ok "minimal template shape"

# A template and a root as archives, named relative to the definition.
mkdir -p "$T_TMP/tpl/Library/Preferences" "$T_TMP/rootfs/bin" "$T_TMP/rootfs/etc"
echo pref >"$T_TMP/tpl/Library/Preferences/p.plist"
echo '#!/bin/sh' >"$T_TMP/rootfs/bin/sh"; chmod 755 "$T_TMP/rootfs/bin/sh"
ln -s /etc/hostname "$T_TMP/rootfs/etc/alias"
touch -d @1600000000 "$T_TMP/rootfs/bin/sh"
(cd "$T_TMP/tpl" && tar czf "$D/tpl.tar.gz" .)
(cd "$T_TMP/rootfs" && tar cf - . | zstd -q -o "$HOME/root.tar.zst")
printf '{ "name": "arch", "template": "tpl.tar.gz", "root": "~/root.tar.zst" }\n' >"$D/arch.json"
expect_rc 0 "template and root from archives" "$SBOX" create "$D/arch.json"
[ "$(cat "$SBOX_HOME/arch/Data/Library/Preferences/p.plist")" = pref ] && ok "archive template unpacked" || not_ok "archive template"
[ "$(stat -c %a.%Y "$SBOX_HOME/arch/root/bin/sh")" = 755.1600000000 ] && ok "root keeps mode and time" || not_ok "root mode/time"
[ "$(readlink "$SBOX_HOME/arch/root/etc/alias")" = /etc/hostname ] && ok "root keeps symlinks" || not_ok "root symlink"
expect_rc 0 "show rooted" "$SBOX" show arch
expect_grep "^root:  *$SBOX_HOME/arch/root\$" "$T_TMP/out" "show names root/"
printf '{ "name": "dirs", "template": "%s", "root": "%s" }\n' "$T_TMP/tpl" "$T_TMP/rootfs" >"$D/dirs.json"
expect_rc 0 "template and root from folders" "$SBOX" create "$D/dirs.json"
[ -f "$SBOX_HOME/dirs/root/bin/sh" ] && [ -f "$SBOX_HOME/dirs/Data/Library/Preferences/p.plist" ] &&
	ok "folders copied" || not_ok "folders copied"
# A zip template; a template archive that tries to escape is refused.
python3 - "$D" <<'PY'
import io, sys, tarfile, zipfile
with zipfile.ZipFile(sys.argv[1] + "/tpl.zip", "w") as z:
    z.writestr("Library/Preferences/z.plist", "zipped\n")
with tarfile.open(sys.argv[1] + "/evil.tar", "w") as t:
    i = tarfile.TarInfo("../../escaped-template"); i.size = 1
    t.addfile(i, io.BytesIO(b"x"))
PY
printf '{ "name": "zipped", "template": "tpl.zip" }\n' >"$D/zip.json"
expect_rc 0 "zip template" "$SBOX" create "$D/zip.json"
[ "$(cat "$SBOX_HOME/zipped/Data/Library/Preferences/z.plist")" = zipped ] && ok "zip unpacked" || not_ok "zip template"
printf '{ "name": "evil", "template": "evil.tar" }\n' >"$D/evil.json"
expect_rc 2 "escaping template refused" "$SBOX" create "$D/evil.json"
expect_grep "contains '\.\.'" "$T_TMP/err" "says why"
[ -e "$T_TMP/escaped-template" ] || [ -e "$SBOX_HOME/escaped-template" ] &&
	not_ok "template wrote outside" || ok "template wrote nothing outside"

printf '{ "name": "nope", "template": "no-such-template" }\n' >"$D/nope.json"
expect_rc 2 "unknown template" "$SBOX" create "$D/nope.json"
expect_grep "unknown template 'no-such-template'" "$T_TMP/err" "unknown template message (found when the definition is read)"
[ -z "$(ls -A "$SBOX_HOME" | grep -v '^\.lock$' | grep '^\.')" ] && ok "failed creates leave nothing" || not_ok "leftovers"

# Under sudo the store and everything in it belong to the invoking user.
if [ "$(id -u)" -eq 0 ]; then
	# the definition and its template are read with the user's rights
	share_tmp
	SBOX_HOME="$T_TMP/sudo-store" SUDO_UID=65534 SUDO_GID=65534 \
		expect_rc 0 "create as root for SUDO_UID" "$SBOX" create "$D/dirs.json"
	others=$(find "$T_TMP/sudo-store" ! -user 65534 | wc -l)
	[ "$others" -eq 0 ] && ok "everything chowned to SUDO_UID" || not_ok "$others not chowned"
	python3 -c 'import plistlib,sys; assert plistlib.load(open(sys.argv[1],"rb"))["OwnerUID"]==65534' \
		"$T_TMP/sudo-store/dirs/metadata.plist" && ok "OwnerUID is the user" || not_ok "OwnerUID"
	SBOX_HOME="$T_TMP/sudo-store" SUDO_UID=65534 SUDO_GID=65534 \
		expect_rc 0 "export as root for SUDO_UID" "$SBOX" export dirs "$T_TMP/sudo.tar"
	[ "$(stat -c %u "$T_TMP/sudo.tar")" = 65534 ] && ok "the archive is the user's" || not_ok "archive owner"
	# A store that is really someone else's folder (here through a link) is refused.
	mkdir -m 700 "$T_TMP/roots-folder"; ln -s "$T_TMP/roots-folder" "$T_TMP/sudo-link"
	SBOX_HOME="$T_TMP/sudo-link" SUDO_UID=65534 SUDO_GID=65534 \
		expect_rc 2 "store owned by another user refused" "$SBOX" list
	expect_grep "belongs to uid 0, not 65534" "$T_TMP/err" "says whose it is"
else
	ok "# SKIP sudo checks need root"
fi
done_testing
