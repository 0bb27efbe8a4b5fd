#!/bin/sh
# A read listing inside a write tree is read-only on Linux, as the
# definition means it (def/def_access.h: the most specific listing decides
# every right) and as macOS enforces it: the build-tools preset keeps
# .git/hooks and .git/config read-only inside the writable project, so a
# program cannot plant a hook or a core.fsmonitor for the next host git.
# Writing, replacing by rename, removing, moving away (the folder or .git
# above it) and hard links out of or into them all fail; the rest of .git
# stays writable; an exec listing inside a write tree is read and exec,
# not write. Where .git/hooks is a symlink or missing (a project that is
# no repository) it cannot be bound: the launch warns. `sbox explain --target linux` agrees.
# As root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"

suite() {
	label=$1 user=$2
	suite_dir rointw
	p=$d/proj
	mkdir -p "$p/.git/hooks" "$p/.git/objects" "$d/store" "$d/plain"
	echo orig >"$p/.git/hooks/pre-commit"
	printf '[core]\n' >"$p/.git/config"
	echo evil >"$p/evil"
	suite_as "$user"
	in_proj() { ( cd "$p" && SBOX_HOME="$d/store" "$@" ); }
	run() { ( cd "$1" && shift && SBOX_HOME="$d/store" $as "$SBOX" run \
		--preset build-tools "$@" ); }

	run "$p" -- /bin/sh -c '
		echo "#!/bin/sh" 2>/dev/null >.git/hooks/post-checkout; echo "new-hook $?"
		echo "#!/bin/sh" 2>/dev/null >.git/hooks/pre-commit; echo "write-hook $?"
		echo "[core] fsmonitor=evil" 2>/dev/null >>.git/config; echo "write-config $?"
		echo "[core] fsmonitor=evil" >.git/config.new &&
			mv .git/config.new .git/config 2>/dev/null; echo "rename-over-config $?"
		rm -f .git/config.new
		rm -f .git/config 2>/dev/null; echo "rm-config $?"
		mv .git/hooks .git/h 2>/dev/null; echo "mv-hooks $?"
		rm -rf .git/hooks 2>/dev/null; echo "rm-hooks $?"
		mv .git .git-moved 2>/dev/null; echo "mv-git $?"
		ln evil .git/hooks/pre-push 2>/dev/null; echo "link-into $?"
		mv evil .git/hooks/pre-push 2>/dev/null; echo "rename-into $?"
		ln .git/config cfg 2>/dev/null; echo "link-out $?"
		cat .git/hooks/pre-commit .git/config >/dev/null; echo "read 1$?"
		echo x >.git/objects/o && echo "write-git 0"' >"$d/out" 2>"$d/err"
	rc=$?
	[ $rc -eq 0 ] && ok "$label: build-tools launch: exit 0" ||
		{ not_ok "$label: launch exit $rc"; sed 's/^/#   /' "$d/err"; }
	for id in new-hook write-hook write-config rename-over-config rm-config \
		mv-hooks rm-hooks mv-git link-into rename-into link-out; do
		if grep -q "^$id [1-9]" "$d/out"; then ok "$label: $id refused"
		else not_ok "$label: $id: $(grep "^$id" "$d/out")"; fi
	done
	expect_grep '^read 10' "$d/out" "$label: hooks and config stay readable"
	expect_grep '^write-git 0' "$d/out" "$label: the rest of .git stays writable"
	[ "$(cat "$p/.git/hooks/pre-commit")" = orig ] &&
		[ "$(cat "$p/.git/config")" = "[core]" ] &&
		[ "$(ls "$p/.git/hooks")" = pre-commit ] && [ ! -e "$p/cfg" ] &&
		ok "$label: the host's hooks and config are unchanged" ||
		not_ok "$label: the host's .git/hooks or .git/config changed"

	# the plan and explain say the same
	( cd "$p" && SBOX_HOME="$d/store" "$SBOX" compile --preset build-tools \
		--target linux ) >"$d/plan" 2>&1
	expect_grep '"path": "${PROJECT}/.git/hooks", "mount": "bind-ro"' \
		"$d/plan" "$label: the plan binds .git/hooks read-only"
	for f in hooks/pre-commit config; do
		expect_rc 1 "$label: explain --target linux: writing .git/$f is denied" \
			in_proj "$SBOX" explain --target linux \
			"$TOP/profiles/build-tools.json" file-write-data "$p/.git/$f"
		expect_grep "mounted read-only" "$T_TMP/out" "$label: ... by the read-only mount"
	done
	expect_rc 0 "$label: explain --target linux: .git/objects is writable" \
		in_proj "$SBOX" explain --target linux \
		"$TOP/profiles/build-tools.json" file-write-data "$p/.git/objects/o"

	# a symlink where the read-only path should be is not followed: the
	# launch says the path is not kept read-only
	mv "$p/.git/hooks" "$p/hooks-real"
	ln -s ../hooks-real "$p/.git/hooks"
	[ -n "$user" ] && chown -h "$user" "$p/.git/hooks"
	expect_rc 0 "$label: .git/hooks a symlink: runs" run "$p" -- /bin/true
	expect_grep "'$p/.git/hooks' is not kept read-only: it is or goes through a symlink" \
		"$T_TMP/err" "$label: ... with a warning naming it"
	rm "$p/.git/hooks"; mv "$p/hooks-real" "$p/.git/hooks"

	# exec inside a write tree: read and exec, not write
	mkdir -p "$d/x/bin"
	printf '#!/bin/sh\necho tool-ran\n' >"$d/x/bin/tool"
	chmod 755 "$d/x/bin/tool"
	[ -n "$user" ] && chown -R "$user" "$d/x"
	run "$d/x" --write . --exec ./bin -- /bin/sh -c '
		./bin/tool; echo x 2>/dev/null >bin/new; echo "write-bin $?"
		echo y >made && echo "write-tree 0"' >"$d/out" 2>"$d/err"
	expect_grep '^tool-ran' "$d/out" "$label: exec inside write: the program runs"
	expect_grep '^write-bin [1-9]' "$d/out" "$label: exec inside write: not writable"
	expect_grep '^write-tree 0' "$d/out" "$label: the write tree around it stays writable"
	[ ! -e "$d/x/bin/new" ] && ok "$label: nothing was written beneath the exec listing" ||
		not_ok "$label: a file was written beneath the exec listing"

	# no repository: nothing to bind; runs, with a warning
	expect_rc 0 "$label: a project without .git runs" run "$d/plain" -- /bin/true
	expect_grep "is not kept read-only" "$T_TMP/err" "$label: ... with a warning"
	rm -rf "$d"
}

run_suites
done_testing
