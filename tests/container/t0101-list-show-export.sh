#!/bin/sh
# import, list, show (text and JSON), export, re-import, rm; the export
# keeps modes, times, symlinks and hard links; metadata is a real plist.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
export SBOX_HOME="$T_TMP/store"
python3 "$TOP/tests/container/mkarchive.py" good "$T_TMP/good.tar"

expect_rc 0 "list of an empty store" "$SBOX" list
[ "$(cat "$T_TMP/out")" = "no containers in $SBOX_HOME" ] && ok "empty list says so" || not_ok "empty store lists: $(cat "$T_TMP/out")"
expect_rc 0 "import" "$SBOX" import "$T_TMP/good.tar"
expect_grep "imported 'imp'" "$T_TMP/out" "import names the container"
expect_rc 2 "import again under the same name" "$SBOX" import "$T_TMP/good.tar"
expect_grep "container 'imp' already exists" "$T_TMP/err" "clear exists error"
expect_rc 0 "import under another name" "$SBOX" import "$T_TMP/good.tar" --name second-one

expect_rc 0 "list" "$SBOX" list
expect_grep '^NAME  *IDENTIFIER  *CREATED  *ROOT  *IN USE  *DIGEST$' "$T_TMP/out" "list header"
expect_grep '^imp  *sbox\.imp  *20[0-9-]* [0-9:]*Z  *no  *no  *sha256:' "$T_TMP/out" "list row"
# Columns line up: the IDENTIFIER column starts at the same offset on every line.
cols=$(awk '{ print index($0, $2) }' "$T_TMP/out" | sort -u | wc -l)
[ "$cols" -eq 1 ] && ok "columns aligned" || not_ok "columns not aligned"

expect_rc 0 "list --format json" "$SBOX" list --format json
python3 - "$T_TMP/out" "$SBOX_HOME" <<'PY' && ok "list JSON shape" || not_ok "list JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1
names = [c["name"] for c in d["containers"]]
assert names == ["imp", "second-one"], names
c = d["containers"][0]
keys = ["name", "identifier", "digest", "created", "owner_uid", "sbox_version",
        "template", "has_root", "path", "data", "root", "definition", "in_use"]
assert list(c) == keys, list(c)
assert c["path"] == sys.argv[2] + "/imp" and c["data"] == c["path"] + "/Data"
assert c["root"] is None and c["has_root"] is False and c["in_use"] is False
assert c["digest"].startswith("sha256:") and len(c["digest"]) == 71
PY

mkdir "$SBOX_HOME/junk"
expect_rc 0 "list with a damaged folder" "$SBOX" list
expect_grep "warning: 'junk' in the store is not a readable container" "$T_TMP/err" "list warns about it"
expect_rc 2 "show damaged" "$SBOX" show junk
expect_grep "container 'junk' is damaged" "$T_TMP/err" "show says damaged"
expect_rc 0 "rm damaged" "$SBOX" rm junk

expect_rc 0 "show" "$SBOX" show imp
expect_grep '^identifier:   sbox\.imp$' "$T_TMP/out" "show identifier"
expect_grep "^data:  *$SBOX_HOME/imp/Data\$" "$T_TMP/out" "show data path"
expect_rc 0 "show --format json" "$SBOX" show imp --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["name"]=="imp"' \
	"$T_TMP/out" && ok "show JSON" || not_ok "show JSON"
expect_rc 2 "show unknown" "$SBOX" show nope
expect_grep "no container named 'nope'" "$T_TMP/err" "show unknown message"
expect_rc 2 "show bad format" "$SBOX" show imp --format yaml
expect_grep "\-\-format: expected text or json, not 'yaml'" "$T_TMP/err" "bad format message"
expect_rc 2 "list bad option" "$SBOX" list --frob

python3 - "$SBOX_HOME/imp/metadata.plist" <<'PY' && ok "metadata is a plist" || not_ok "metadata is a plist"
import plistlib, sys
raw = open(sys.argv[1], "rb").read()
assert b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"' in raw
m = plistlib.loads(raw)
for k in ("Name", "Identifier", "DefinitionDigest", "Created", "OwnerUID", "SboxVersion"):
    assert k in m, k
assert m["Name"] == "imp" and m["OwnerUID"] == __import__("os").getuid()
PY

for fmt in tar tar.gz tar.zst; do
	expect_rc 0 "export .$fmt" "$SBOX" export imp "$T_TMP/e.$fmt"
	expect_rc 0 "import .$fmt" "$SBOX" import "$T_TMP/e.$fmt" --name "back-${fmt%%.*}${fmt#tar}"
done
expect_rc 0 "tree survives export+import" \
	python3 "$TOP/tests/container/treecmp.py" "$SBOX_HOME/imp/Data" "$SBOX_HOME/back-tar.zst/Data"
first=$(tar tf "$T_TMP/e.tar" | head -2 | tr '\n' ' ')
[ "$first" = "metadata.plist definition.json " ] && ok "metadata first" || not_ok "archive starts: $first"
expect_rc 2 "export unknown" "$SBOX" export nope "$T_TMP/x.tar"
[ -e "$T_TMP/x.tar" ] && not_ok "failed export left a file" || ok "failed export leaves no file"

expect_rc 0 "rm several" "$SBOX" rm imp second-one back-tar back-tar.gz back-tar.zst
expect_rc 2 "rm unknown" "$SBOX" rm imp
expect_grep "no container named 'imp'" "$T_TMP/err" "rm unknown message"
expect_rc 2 "rm bad name" "$SBOX" rm ../etc
expect_grep "invalid container name" "$T_TMP/err" "rm bad name message"
expect_rc 2 "rm without names" "$SBOX" rm
expect_rc 0 "list after rm" "$SBOX" list
[ "$(cat "$T_TMP/out")" = "no containers in $SBOX_HOME" ] && ok "store empty again" || not_ok "store not empty: $(cat "$T_TMP/out")"
[ "$(ls -A "$SBOX_HOME")" = ".lock" ] && ok "no leftovers" || not_ok "leftovers: $(ls -A "$SBOX_HOME")"
mode=$(stat -c %a "$SBOX_HOME")
[ "$mode" = 700 ] && ok "store is 0700" || not_ok "store mode $mode"
done_testing
