#!/bin/sh
# Crafted archives: each is refused with a clear message (exit 2), writes
# nothing outside the store, and leaves nothing in the store.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed to build archives"
MK="python3 $TOP/tests/container/mkarchive.py"
export SBOX_HOME="$T_TMP/store"
OUT="$T_TMP/outside"
mkdir -p "$OUT" && echo secret >"$OUT/victim"
snapshot() { (cd "$T_TMP" && find outside -exec ls -ld --time-style=+%s {} + | sort); }
before=$(snapshot)

$MK --all "$T_TMP" "$OUT"
# Positive control: the well-formed archive is accepted.
expect_rc 0 "well-formed archive imports" "$SBOX" import "$T_TMP/good.tar" --name ctl
expect_rc 0 "control removed" "$SBOX" rm ctl

refused() {
	kind=$1 pattern=$2
	SBOX_IMPORT_MAX_ENTRIES=100 SBOX_IMPORT_MAX_BYTES=1000000 \
		expect_rc 2 "$kind: refused" "$SBOX" import "$T_TMP/$kind.tar" --name x
	expect_grep "$pattern" "$T_TMP/err" "$kind: says why"
	left=$(ls -A "$SBOX_HOME" | grep -v '^\.lock$')
	if [ -z "$left" ]; then ok "$kind: no trace in the store"
	else not_ok "$kind: store holds: $left"; fi
}

refused traversal "contains '\.\.'"
refused absolute "has an absolute path"
refused symlink-write "would go through a symlink"
refused hardlink-out "hard link to '.*victim', outside the container"
refused hardlink-dotdot "hard link to '\.\./\.\./\.\./etc/passwd'"
refused device "is a device node"
refused fifo "is a device node, FIFO or socket"
refused setuid "has a setuid or setgid bit"
refused many "more than 100 entries"
refused big "past its size limit"
refused truncated "Truncated tar archive"
refused not-an-archive "is not an sbox container archive"
refused zip "is a ZIP.*archive, not an sbox export"
refused no-metadata "first entry is not metadata.plist"
refused bad-digest "does not match the digest"
refused data-symlink "entry 'Data' must be a folder"
refused stray-top "outside Data/ and root/"
refused dup-key "key 'Name' is repeated"
refused dup-def-key "definition.json:1:[0-9]*: duplicate.*key.*network"
# The fuzzer's finding (a repeated key leaked the first value; under
# check-asan LeakSanitizer fails this run if it comes back).
cp "$TOP/tests/fuzz/seeds/fuzz_import/duplicate-key-leak.tar" "$T_TMP/fuzz-dup.tar"
refused fuzz-dup "key 'Name' is repeated"

after=$(snapshot)
if [ "$before" = "$after" ]; then ok "nothing outside changed"
else not_ok "outside changed"; echo "$after"; fi
for f in escaped-traversal escaped-absolute escaped-symlink; do
	if [ -e "$OUT/$f" ] || [ -e "$T_TMP/$f" ] || [ -e "/tmp/$f" ]; then
		not_ok "$f was written outside"
	else ok "no $f outside"; fi
done
expect_rc 0 "list still works" "$SBOX" list
[ "$(cat "$T_TMP/out")" = "no containers in $SBOX_HOME" ] && ok "store lists nothing" || not_ok "store lists: $(cat "$T_TMP/out")"
done_testing
