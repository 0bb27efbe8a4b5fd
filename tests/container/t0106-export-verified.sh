#!/bin/sh
# Export archives the definition whose seal it checked: a program that can
# write the store and swaps in another definition.json (with metadata.plist
# carrying that file's plain digest, which anyone can recompute) between
# the check and the copy gets nothing out; the importer would otherwise
# seal the swapped-in policy as its own.
. "$TOP/tests/lib/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "no python3"
HOME=$(user_home ""); export HOME
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj" "$T_TMP/exp"
cat >"$T_TMP/def.json" <<EOF2
{"name":"exw","extends":["base"],"network":"none"}
EOF2
cd "$T_TMP/proj" || exit 1
expect_rc 0 "the container is made" "$SBOX" create "$T_TMP/def.json"
c=$SBOX_HOME/exw
cp "$c/definition.json" "$T_TMP/good.json"
cp "$c/metadata.plist" "$T_TMP/good.plist"
# the tampered pair: network "all", metadata with its plain digest
sed 's/"none"/"all"/' "$T_TMP/good.json" >"$T_TMP/bad.json"
old=$(sha256sum "$T_TMP/good.json" | cut -d' ' -f1)
new=$(sha256sum "$T_TMP/bad.json" | cut -d' ' -f1)
sed "s/$old/$new/" "$T_TMP/good.plist" >"$T_TMP/bad.plist"
grep -q "$new" "$T_TMP/bad.plist" || skip_all "the digest is not the file's sha256"

# The swapper flips both files between the sealed pair and the tampered
# one, each by an atomic rename, as fast as it can.
cat >"$T_TMP/flip.py" <<'EOF2'
import os, sys, time
c, t = sys.argv[1], sys.argv[2]
end = time.time() + float(sys.argv[3])
while time.time() < end:
    for kind in ("bad", "good"):
        for src, dst in ((kind + ".json", "definition.json"),
                         (kind + ".plist", "metadata.plist")):
            tmp = os.path.join(c, ".flip")
            os.link(os.path.join(t, src), tmp)
            os.replace(tmp, os.path.join(c, dst))
EOF2
python3 "$T_TMP/flip.py" "$c" "$T_TMP" 8 &
flip=$!
sleep 0.3
got=0 refused=0 tampered=0
for i in $(seq 40); do
	if "$SBOX" export exw "$T_TMP/exp/e$i.tar" >/dev/null 2>&1; then
		got=$((got + 1))
		tar -xOf "$T_TMP/exp/e$i.tar" definition.json >"$T_TMP/out.json"
		cmp -s "$T_TMP/out.json" "$T_TMP/good.json" ||
			tampered=$((tampered + 1))
	else
		refused=$((refused + 1))
	fi
done
wait $flip
echo "# $got exported, $refused refused (tampered at the check)"
[ $got -gt 0 ] && ok "some exports ran beside the swapper" ||
	not_ok "no export succeeded (nothing tested)"
[ $tampered -eq 0 ] && ok "no archive holds the swapped-in definition" ||
	not_ok "$tampered of $got archives hold the swapped-in definition"

# and an archive made without any swapping imports as the sealed definition
rm -f "$c/definition.json" "$c/metadata.plist"
cp "$T_TMP/good.json" "$c/definition.json"
cp "$T_TMP/good.plist" "$c/metadata.plist"
expect_rc 0 "a quiet export works" "$SBOX" export exw "$T_TMP/exp/q.tar"
tar -xOf "$T_TMP/exp/q.tar" definition.json | cmp -s - "$T_TMP/good.json" &&
	ok "its definition is the sealed file, byte for byte" ||
	not_ok "the quiet export's definition differs"
expect_rc 0 "it imports under another name" \
	"$SBOX" import "$T_TMP/exp/q.tar" --name exw2
done_testing
