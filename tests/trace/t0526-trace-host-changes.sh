#!/bin/sh
# --trace remembers what it found about each path (trace_verdicts.h), but
# the host may change while the program runs: a hidden path missing on the
# host (an ordinary "No such file", not recorded) that the host then
# creates is recorded from then on, and one the host removes stops being
# recorded. Also the paths the memo keys: "../x" from the working folder
# is recorded as the file it names, and the container's own /dev/null is
# no refusal. As root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"
. "$TOP/tests/trace/trace-lib.sh"

# rec LABEL FILE OP TARGET KEY=VALUE...: trace-lib.sh's, with the first
# KEY=VALUE in the check's name too
rec() {
	label=$1; shift
	if out=$($REC "$@"); then ok "$label: $2 $3 $4"; else
		not_ok "$label: $2 $3 $4: $out"
	fi
}

make_tree() {
	d=$1
	mkdir -p "$d/hidden" "$d/proj"
	echo there >"$d/hidden/gone"
	echo secret >"$d/secret"
	# the same statx of each name before and after the host's change;
	# the launcher is told by step1 and answers with step2
	cat >"$d/proj/probe" <<'PROBE'
h=$1
stat "$h/late" >/dev/null 2>&1
stat "$h/gone" >/dev/null 2>&1
: >step1
n=0
while [ ! -e step2 ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done
stat "$h/late" >/dev/null 2>&1
stat "$h/gone" >/dev/null 2>&1
cat ../secret >/dev/null 2>&1
cat /dev/null
exit 0
PROBE
	cat >"$d/def.json" <<JSON
{ "name": "hostchanges", "extends": ["base"],
  "filesystem": { "write": ["$d/proj"] } }
JSON
}

suite() {
	label=$1 user=$2
	# under the host's /tmp: the container has a /tmp of its own, so
	# nothing of this folder is in the container
	trace_suite_dir t0526
	T=$d/trace.jsonl
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" \
	  $as "$SBOX" launch "$d/def.json" --trace="$T" -- sh ./probe "$d/hidden" \
	  >"$d/out" 2>"$d/err" ) &
	pid=$!
	n=0
	while [ ! -e "$d/proj/step1" ] && [ $n -lt 400 ]; do
		sleep 0.05; n=$((n + 1))
	done
	[ -e "$d/proj/step1" ] && ok "$label: the program ran" ||
		not_ok "$label: the program did not reach step1"
	echo new >"$d/hidden/late"
	rm "$d/hidden/gone"
	: >"$d/proj/step2"
	wait $pid
	rc=$?
	[ $rc -eq 0 ] && ok "$label: launch exit 0" ||
		{ not_ok "$label: launch exit $rc"; sed 's/^/#   /' "$d/err"; }
	# created on the host during the run: recorded once, for the
	# second stat (the first was an ordinary ENOENT)
	rec "$label" "$T" read "$d/hidden/late" refused-by=hidden count=1
	# removed during the run: only the stat before counts
	rec "$label" "$T" read "$d/hidden/gone" refused-by=hidden count=1
	rec "$label" "$T" read "$d/secret" refused-by=hidden
	if grep -q '"/dev/null"' "$T"; then
		not_ok "$label: /dev/null recorded"; sed 's/^/#   /' "$T"
	else
		ok "$label: the container's /dev/null is not recorded"
	fi
}

run_suites
done_testing
