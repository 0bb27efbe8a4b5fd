#!/bin/sh
# A first launch that fails before its program starts (exit 2, 3, 125)
# leaves nothing behind: no container in `sbox list`, no seal record, one
# note that says so, and the next launch starts afresh. A container that
# existed before the launch survives it. A launch of the same definition
# at the same moment is never robbed of the container. `sbox run --keep`
# keeps nothing whose program never started.
. "$TOP/tests/lib/test-lib.sh"
[ "$(uname -s)" = Linux ] || skip_all "Linux only (the exit-3 failure is a Linux deny)"
export SBOX_HOME="$T_TMP/store" HOME="$T_TMP/home" XDG_DATA_HOME=
D="$T_TMP/defs"
mkdir -p "$D" "$HOME" "$T_TMP/proj" "$T_TMP/w/real"
cd "$T_TMP/proj" || exit 1
RECORDS="$HOME/.local/share/sbox/seal/current"

records() { ls -A "$RECORDS" 2>/dev/null | grep -v '^\.' | wc -l; }
listed() { "$SBOX" list 2>/dev/null | tail -n +2 | awk '{print $1}' | grep -qx "$1"; }
# gone NAME DESC: the container and its record are not there
gone() {
	if listed "$1" || [ -e "$SBOX_HOME/$1" ]; then
		not_ok "$2: container $1 is still there"; ls -A "$SBOX_HOME" | sed 's/^/#   /'
	else ok "$2: no container $1"; fi
	[ "$(records)" -eq "$want_records" ] && ok "$2: no seal record left" ||
		not_ok "$2: $(records) seal records, wanted $want_records"
	left=$(ls -A "$SBOX_HOME" | grep -v '^\.lock$' | grep -v -x -e keep -e used)
	[ -z "$left" ] && ok "$2: nothing else left in the store" ||
		not_ok "$2: left in the store: $left"
}
want_records=0

# exit 2: no program, discovered once the container is made
printf '{ "name": "noprog", "extends": "base" }\n' >"$D/noprog.json"
expect_rc 2 "a first launch with nothing to run exits 2" "$SBOX" launch "$D/noprog.json"
expect_grep "sbox: removed container noprog made by this launch: it never ran" \
	"$T_TMP/err" "exit 2: the removal is said"
gone noprog "exit 2"

# exit 3: a deny the kernel cannot enforce (a symlink in a writable tree)
ln -s real "$T_TMP/w/link"
cat >"$D/deny.json" <<EOF
{ "name": "deny", "extends": "base",
  "filesystem": { "write": ["$T_TMP/w"], "deny": ["$T_TMP/w/link"] } }
EOF
expect_rc 3 "a first launch the host cannot enforce exits 3" "$SBOX" launch "$D/deny.json" -- /bin/true
expect_grep "removed container deny made by this launch: it never ran" "$T_TMP/err" \
	"exit 3: the removal is said"
gone deny "exit 3"

# exit 125: the program cannot be executed in the container
printf '{ "name": "noexec", "extends": "base" }\n' >"$D/noexec.json"
expect_rc 125 "a first launch whose program cannot start exits 125" \
	"$SBOX" launch "$D/noexec.json" -- /nonexistent/prog
expect_grep "removed container noexec made by this launch" "$T_TMP/err" "exit 125: the removal is said"
gone noexec "exit 125"

# the next launch starts afresh: no "already exists", no half-made one
expect_rc 0 "the next launch of the same definition runs" "$SBOX" launch "$D/noexec.json" -- /bin/true
grep -q "already exists\|removed container" "$T_TMP/err" &&
	not_ok "the next launch complains: $(cat "$T_TMP/err")" || ok "the next launch is a plain first launch"
listed noexec && ok "a container that ran stays" || not_ok "the container that ran is gone"
[ ! -e "$SBOX_HOME/noexec/.sbox-new" ] && ok "a container that ran is no longer marked new" ||
	not_ok "a container that ran keeps its new mark"

# a container that existed before the launch survives a failed launch
printf '{ "name": "keep", "extends": "base" }\n' >"$D/keep.json"
expect_rc 0 "create a container" "$SBOX" create "$D/keep.json"
expect_rc 125 "a failed launch of an existing container" "$SBOX" launch "$D/keep.json" -- /nonexistent/prog
listed keep && ok "the existing (created, never run) container survives" || not_ok "the existing container was removed"
grep -q "removed container" "$T_TMP/err" && not_ok "a removal was said for an existing container" ||
	ok "no removal is said for an existing container"
expect_rc 0 "launch it" "$SBOX" launch "$D/keep.json" -- /bin/true
expect_rc 2 "a failed launch of a container that ran" "$SBOX" launch "$D/keep.json"
listed keep && ok "the container that ran survives a failed launch" || not_ok "the container that ran was removed"
expect_rc 125 "a failed launch by name" "$SBOX" launch keep -- /nonexistent/prog
listed keep && ok "a failed launch by name removes nothing" || not_ok "launch by name removed it"
want_records=2  # keep and noexec

# concurrent launches of one definition, some failing before their
# program starts: every one that could start its program ran (none is
# robbed), and the container that ran in the end is whole and kept
printf '{ "name": "race", "extends": "base" }\n' >"$D/race.json"
robbed=0 round=0
while [ $round -lt 5 ]; do
	"$SBOX" rm race >/dev/null 2>&1
	i=0
	while [ $i -lt 4 ]; do
		( "$SBOX" launch "$D/race.json" >/dev/null 2>&1 ) &
		( "$SBOX" launch "$D/race.json" -- /bin/true >"$T_TMP/race$round.$i.out" 2>&1
		  echo $? >"$T_TMP/race$round.$i.rc" ) &
		i=$((i + 1))
	done
	wait
	for f in "$T_TMP"/race$round.*.rc; do
		[ "$(cat "$f")" -eq 0 ] || { robbed=$((robbed + 1)); sed 's/^/#   /' "${f%.rc}.out"; }
	done
	listed race || robbed=$((robbed + 1))
	[ -e "$SBOX_HOME/race/.sbox-new" ] && robbed=$((robbed + 1))
	round=$((round + 1))
done
[ $robbed -eq 0 ] && ok "concurrent launches with failing ones: every good launch ran, the container stays" ||
	not_ok "concurrent launches: $robbed failures"
"$SBOX" rm race >/dev/null 2>&1

# sbox run --keep: a program that never started keeps nothing
expect_rc 125 "run --keep, program cannot start" "$SBOX" run "$D/keep.json" --keep \
	--report "$T_TMP/report.json" -- /nonexistent/prog
expect_grep "not kept: the program never started" "$T_TMP/err" "run --keep says nothing was kept"
[ -z "$(ls -A "$SBOX_HOME" | grep -e '-run-')" ] && ok "run --keep left no container" ||
	not_ok "run --keep left $(ls -A "$SBOX_HOME" | grep -e '-run-')"
expect_grep '"kept": false' "$T_TMP/report.json" "the report says not kept"
expect_rc 0 "run --keep, program ran" "$SBOX" run "$D/keep.json" --keep -- /bin/true
expect_grep "kept container keep-run-" "$T_TMP/err" "run --keep keeps a container that ran"
done_testing
