#!/bin/sh
# What runs is what the user named (issue 10 #6, issue 11 §2): launching a
# definition file runs the file as it is now; a second file with the same
# name is refused; template and root changes need --recreate; --name
# gives a definition its own container; launching by name runs the
# stored, verified definition.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj" "$T_TMP/other"
cd "$T_TMP/proj" || exit 1
echo secret >"$T_TMP/proj/secret"
DEF=$T_TMP/proj/def.json
cat >"$DEF" <<EOF
{"name": "cur", "extends": ["base"],
 "filesystem": {"read": ["\${PROJECT}"]}, "network": "localhost"}
EOF

expect_rc 0 "first launch reads the project" "$SBOX" launch "$DEF" -- cat secret

# edit the file: another network mode and a deny
cat >"$DEF" <<EOF
{"name": "cur", "extends": ["base"],
 "filesystem": {"read": ["\${PROJECT}"], "deny": ["\${PROJECT}/secret"]},
 "network": "none"}
EOF
expect_rc 1 "after editing the file, the new deny holds" \
	"$SBOX" launch "$DEF" -- cat secret
expect_grep "the definition changed since the last launch" "$T_TMP/err" \
	"sbox says it updated the container's policy"
expect_grep '"network": *"none"' "$SBOX_HOME/cur/definition.json" \
	"the stored definition is the file's"
expect_rc 1 "launch by name runs the updated stored policy" \
	"$SBOX" launch cur -- cat secret
"$SBOX" launch "$DEF" -- true 2>"$T_TMP/err2"
if grep -q "changed" "$T_TMP/err2"; then not_ok "no note when nothing changed"
else ok "no note when nothing changed"; fi

# another file with the same name and another policy: refused
sed 's/"none"/"localhost"/' "$DEF" >"$T_TMP/other/def.json"
expect_rc 2 "another file with the same name is refused" \
	"$SBOX" launch "$T_TMP/other/def.json" -- true
expect_grep "belongs to another definition file" "$T_TMP/err" \
	"the refusal names the other file"
expect_grep "\-\-name" "$T_TMP/err" "the refusal points at --name"
expect_rc 0 "--name gives it its own container" \
	"$SBOX" launch --name cur-other "$T_TMP/other/def.json" -- true
[ -d "$SBOX_HOME/cur-other" ] && ok "container cur-other exists" ||
	not_ok "container cur-other exists"
# an identical copy runs: the very same policy
cp "$DEF" "$T_TMP/other/same.json"
expect_rc 0 "an identical copy of the file uses the container" \
	"$SBOX" launch "$T_TMP/other/same.json" -- true

# what cannot change without rebuilding
sed 's/"base"\]/"base"], "template": "minimal"/' "$DEF" >"$T_TMP/def.tmp" &&
	mv "$T_TMP/def.tmp" "$DEF"
expect_rc 2 "a changed template is refused" "$SBOX" launch "$DEF" -- true
expect_grep "\-\-recreate" "$T_TMP/err" "the refusal points at --recreate"
expect_grep "sbox rm cur" "$T_TMP/err" "the refusal points at sbox rm"
echo mark >"$SBOX_HOME/cur/Data/mark"
expect_rc 0 "--recreate builds it again" "$SBOX" launch --recreate "$DEF" -- true
[ -e "$SBOX_HOME/cur/Data/mark" ] && not_ok "--recreate made a new Data/" ||
	ok "--recreate made a new Data/"
expect_grep "minimal" "$SBOX_HOME/cur/metadata.plist" "the new template is recorded"
expect_rc 2 "--recreate with a container name is a usage error" \
	"$SBOX" launch --recreate cur -- true

# the stored definition is verified before every launch
sed -i 's/"none"/"all"/' "$SBOX_HOME/cur/definition.json"
expect_rc 2 "a stored definition changed behind sbox is refused (by name)" \
	"$SBOX" launch cur -- true
expect_grep "does not match its seal" "$T_TMP/err" "the refusal says why"
expect_rc 2 "... and when launching its file" "$SBOX" launch "$DEF" -- true
expect_rc 0 "--recreate repairs it" "$SBOX" launch --recreate "$DEF" -- true

# an update cut after definition.json was renamed (its seal and metadata
# still pending) is finished, not taken for tampering
cp "$SBOX_HOME/cur/metadata.plist" "$T_TMP/meta.old"
cp "$SBOX_HOME/cur/definition.seal" "$T_TMP/seal.old"
sed -i 's/"none"/"localhost"/' "$DEF"
expect_rc 0 "update" "$SBOX" launch "$DEF" -- true
mv "$SBOX_HOME/cur/metadata.plist" "$SBOX_HOME/cur/.metadata.plist.new"
mv "$SBOX_HOME/cur/definition.seal" "$SBOX_HOME/cur/.definition.seal.new"
cp "$T_TMP/meta.old" "$SBOX_HOME/cur/metadata.plist"
cp "$T_TMP/seal.old" "$SBOX_HOME/cur/definition.seal"
expect_rc 0 "an interrupted update is completed at the next launch" \
	"$SBOX" launch cur -- true
[ -e "$SBOX_HOME/cur/.metadata.plist.new" ] ||
[ -e "$SBOX_HOME/cur/.definition.seal.new" ] &&
	not_ok "the pending seal and metadata were moved into place" ||
	ok "the pending seal and metadata were moved into place"
grep -q localhost "$SBOX_HOME/cur/definition.json" &&
	grep -q "$(sha256sum "$SBOX_HOME/cur/definition.json" | cut -d' ' -f1)" \
		"$SBOX_HOME/cur/metadata.plist" &&
	ok "the finished update's metadata has its digest" ||
	not_ok "the finished update's metadata has its digest"

# the common launch reads no metadata: a container whose stored definition
# is the named file byte for byte runs without parsing metadata.plist (the
# costliest step of a launch), and a stored copy that differs still goes
# through the digest (above)
expect_rc 0 "launch" "$SBOX" launch "$DEF" -- true
cp "$SBOX_HOME/cur/metadata.plist" "$T_TMP/meta.good"
printf 'not a plist' >"$SBOX_HOME/cur/metadata.plist"
expect_rc 0 "the named file runs without reading metadata.plist" \
	"$SBOX" launch "$DEF" -- true
# and so does a launch by name: definition.json, its seal and the key
expect_rc 0 "a launch by name runs without reading metadata.plist" \
	"$SBOX" launch cur -- true
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=openat,open -o "$T_TMP/strace" "$SBOX" launch cur -- true \
		>/dev/null 2>&1
	if grep -q 'metadata\.plist' "$T_TMP/strace"; then
		not_ok "strace: a launch by name opens metadata.plist"
		grep 'metadata' "$T_TMP/strace" | sed 's/^/#   /' | head -5
	elif grep -q 'definition\.seal' "$T_TMP/strace"; then
		ok "strace: a launch by name opens the seal and no metadata.plist"
	else
		not_ok "strace: the launch by name did not even read its seal"
	fi
else
	ok "# skip strace is not installed"
fi
sed -i 's/"localhost"/"none"/' "$DEF"
expect_rc 2 "a changed file needs metadata.plist, which is damaged" \
	"$SBOX" launch "$DEF" -- true
cp "$T_TMP/meta.good" "$SBOX_HOME/cur/metadata.plist"
done_testing
