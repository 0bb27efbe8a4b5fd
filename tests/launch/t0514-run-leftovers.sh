#!/bin/sh
# Issue 10 #12: sbox run leaves no container behind. Removal handles any
# tree a program can make (a folder at mode 000, more than 256 levels,
# odd names), and an ephemeral container disappears whatever happens to
# the launcher (SIGTERM or SIGINT during the set-up, kill -9), at the
# latest at the next sbox command. As root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
TEST_USER=${SBOX_TEST_USER:-sboxtest}

suite() {
	label=$1 user=$2
	suite_dir runleft
	mkdir -p "$d/proj" "$d/store" "$d/rules"
	cat >"$d/def.json" <<EOF
{"name":"rl","extends":["base"],"network":"none"}
EOF
	# 3,000 rules make the set-up long enough to interrupt
	( cd "$d/rules" && seq 0 2999 | sed 's/^/r/' | xargs mkdir )
	rules=$(seq 0 2999 | awk -v d="$d" \
		'{ printf "%s\"%s/rules/r%d\"", (NR > 1 ? "," : ""), d, $1 }')
	cat >"$d/many.json" <<EOF
{"name":"many","extends":["base"],"filesystem":{"read":[$rules]},"network":"none"}
EOF
	suite_as "$user"
	sb() { ( cd "$d/proj" && SBOX_HOME="$d/store" exec $as "$SBOX" "$@" ); }
	left() { ls -A "$d/store" | grep -v '^\.lock$' | tr '\n' ' '; }

	sb run "$d/def.json" -- /bin/sh -c 'mkdir -p "$HOME/a/b" && touch "$HOME/a/b/f" && chmod 000 "$HOME/a"' \
		>/dev/null 2>"$d/err"
	sb list >/dev/null 2>&1
	[ -z "$(left)" ] && ok "$label: a folder at mode 000 is removed" ||
		{ not_ok "$label: left after chmod 000: $(left)"; sed 's/^/#   /' "$d/err"; }

	sb run "$d/def.json" -- /bin/sh -c 'cd "$HOME" && i=0
		while [ $i -lt 300 ]; do mkdir d && cd d || exit 1; i=$((i + 1)); done
		touch f; chmod 500 .' >/dev/null 2>"$d/err"
	sb list >/dev/null 2>&1
	[ -z "$(left)" ] && ok "$label: a tree 300 levels deep (over 256) is removed" ||
		{ not_ok "$label: left after a deep tree: $(left)"; sed 's/^/#   /' "$d/err"; }

	sb run "$d/def.json" -- /bin/sh -c 'cd "$HOME" &&
		mkdir "$(printf "new\nline")" -- "-rf" "$(printf "\377\376")" &&
		touch -- "-rf/--" "$(printf "x%.0s" $(seq 255))" "$(printf "new\nline")/f" &&
		ln -s / root-link && ln -s "$HOME/-rf" loop && mkfifo fifo' \
		>/dev/null 2>"$d/err"
	sb list >/dev/null 2>&1
	[ -z "$(left)" ] && ok "$label: odd names are removed" ||
		{ not_ok "$label: left after odd names: $(left)"; sed 's/^/#   /' "$d/err"; }

	# signals during the set-up: 4 tries each, at different moments
	for sig in TERM INT; do
		bad=0 t=0
		while [ $t -lt 4 ]; do
			( cd "$d/proj" && SBOX_HOME="$d/store" exec env --default-signal=INT \
			  $as "$SBOX" run "$d/many.json" -- /bin/true ) >/dev/null 2>&1 &
			pid=$!
			sleep "0.$((t * 25 + 5))"
			kill -$sig $pid 2>/dev/null
			wait $pid
			sb list >"$d/list" 2>&1
			grep -q -- '-run-' "$d/list" && bad=$((bad + 1))
			t=$((t + 1))
		done
		[ $bad -eq 0 ] && ok "$label: SIG$sig during the set-up: no run container listed" ||
			not_ok "$label: SIG$sig during the set-up: $bad of 4 left a run container"
		[ -z "$(left)" ] && ok "$label: SIG$sig: nothing left in the store" ||
			not_ok "$label: SIG$sig: left $(left)"
	done

	# kill -9 of the launcher while the program runs
	( cd "$d/proj" && SBOX_HOME="$d/store" exec $as "$SBOX" run "$d/def.json" -- \
	  /bin/sh -c 'touch "$HOME/started"; sleep 30' ) >/dev/null 2>&1 &
	pid=$!
	n=0
	while ! ls "$d"/store/rl-run-*/Data/started >/dev/null 2>&1 && [ $n -lt 100 ]; do
		sleep 0.1; n=$((n + 1))
	done
	sb list >"$d/list" 2>&1
	grep -q -- '-run-' "$d/list" && ok "$label: a live run's container is listed" ||
		not_ok "$label: the live run's container is not listed"
	kill -9 $pid
	wait $pid 2>/dev/null
	sleep 0.3   # the container's init follows its launcher (PDEATHSIG)
	sb list >"$d/list" 2>&1
	grep -q -- '-run-' "$d/list" && not_ok "$label: kill -9: the run container is still listed" ||
		ok "$label: kill -9: the run container is gone at the next command"
	[ -z "$(left)" ] && ok "$label: kill -9: nothing left in the store" ||
		not_ok "$label: kill -9: left $(left)"

	# --keep still keeps, also across later commands
	sb run "$d/def.json" --keep -- /bin/true >/dev/null 2>&1
	sb list >"$d/list" 2>&1
	grep -q -- '^rl-run-' "$d/list" && ok "$label: --keep survives the next command" ||
		not_ok "$label: --keep container was removed"
	rm -rf "$d"
}

run_suites
done_testing
