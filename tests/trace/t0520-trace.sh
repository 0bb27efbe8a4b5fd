#!/bin/sh
# --trace: each kind of refusal (a hidden path, a write to a read-only
# tree, an exec without the right, a denied path inside a granted tree, a
# TCP connect and bind to ports not granted) is recorded once with the rule
# and definition line that decide it; as root and as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"
. "$TOP/tests/trace/trace-lib.sh"
TEST_USER=${SBOX_TEST_USER:-sboxtest}

make_tree() {
	d=$1
	mkdir -p "$d/ro/masked" "$d/rw/denied" "$d/outside" "$d/bin" "$d/proj"
	echo secret >"$d/outside/secret"
	echo key >"$d/ro/masked/key"
	echo data >"$d/ro/file"
	printf '#!/bin/sh\necho mine\n' >"$d/rw/mine"
	chmod 755 "$d/rw/mine"
	cat >"$d/probe.sh" <<'PROBE'
d=$1
cat "$d/ro/file"
cat "$d/outside/secret"
cat "$d/outside/secret"
echo x >"$d/ro/new"
"$d/rw/mine"
cat "$d/ro/masked/key"
python3 -c '
import socket
for what in ("connect", "bind"):
    s = socket.socket()
    try:
        if what == "connect": s.connect(("127.0.0.1", 8765))
        else: s.bind(("127.0.0.1", 8766))
    except OSError as e: print(what, e)
'
exit 0
PROBE
	cp "$d/probe.sh" "$d/bin/probe"
	chmod 755 "$d/bin/probe"
	cat >"$d/def.json" <<JSON
{
  "name": "trace",
  "extends": ["base"],
  "filesystem": {
    "read": ["$d/ro"],
    "write": ["$d/rw"],
    "exec": ["$d/bin"],
    "deny": ["$d/ro/masked",
             "$d/rw/denied"]
  },
  "network": { "outbound": [9] }
}
JSON
}

suite() {
	label=$1 user=$2
	trace_suite_dir trace
	T=$d/trace.jsonl
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" \
	  $as "$SBOX" run "$d/def.json" --trace="$T" -- "$d/bin/probe" "$d" \
	  >"$d/out" 2>"$d/err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: run exit 0" ||
		{ not_ok "$label: run exit $rc"; sed 's/^/#   /' "$d/err"; }
	mline=$(grep -n '"deny"' "$d/def.json" | cut -d: -f1)
	rec "$label" "$T" read "$d/outside/secret" refused-by=hidden \
		why.decision="not granted" \
		why.grant="filesystem.read \"$d/outside/secret\"" count=2
	rec "$label" "$T" write "$d/ro/new" refused-by=read-only \
		why.decision="not granted"
	rec "$label" "$T" exec "$d/rw/mine" refused-by=landlock \
		why.grant="filesystem.exec \"$d/rw/mine\"" program=sh
	rec "$label" "$T" read "$d/ro/masked/key" why.decision="denied by rule" \
		why.at="$d/def.json:$mline:*" why.rule="deny \"$d/ro/masked\""
	rec "$label" "$T" connect 127.0.0.1:8765 refused-by=landlock \
		why.decision="not granted" program=python3
	rec "$label" "$T" bind 127.0.0.1:8766 refused-by=landlock \
		why.grant="network.bind [8766]"
	# what was allowed is not recorded
	if grep -q "$d/ro/file\|/usr/bin/python3" "$T"; then
		not_ok "$label: allowed accesses recorded"; else
		ok "$label: allowed accesses not recorded"; fi
	expect_grep "accesses were denied" "$d/err" "$label: summary on stderr"
	expect_grep "exec $d/rw/mine (not granted: filesystem.exec" "$d/err" \
		"$label: summary names the grant"
	"$SBOX" explain --from-trace "$T" >"$d/explain" 2>&1
	rc=$?
	[ $rc -eq 1 ] && ok "$label: explain --from-trace says deny" ||
		not_ok "$label: explain --from-trace exit $rc"
	expect_grep "decided by: $d/def.json:$mline:14: (deny file-read\* (subpath \"/private$d/ro/masked\"))" \
		"$d/explain" "$label: explain --from-trace names the rule"
	expect_grep "grant:      filesystem.exec \"$d/rw/mine\"" "$d/explain" \
		"$label: explain --from-trace names the grant"
	( cd "$d/proj" && SBOX_HOME="$d/store" HOME="$d" $as "$SBOX" run \
	  "$d/def.json" --trace --report="$d/report.json" -- cat "$d/outside/secret" \
	  >/dev/null 2>&1 )
	if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); d=r["denials"]; sys.exit(not (len(d)==1 and d[0]["path"]==sys.argv[2] and r["exit_code"]==1))' \
	   "$d/report.json" "$d/outside/secret"; then
		ok "$label: run --report has the denials"
	else
		not_ok "$label: run --report"; sed 's/^/#   /' "$d/report.json"
	fi
	n=$(grep -c "$d\|address" "$T")
	[ "$n" -eq 6 ] && ok "$label: one line per distinct refusal" ||
		{ not_ok "$label: $n lines, wanted 6"; sed 's/^/#   /' "$T"; }
}

suite root ""
if id "$TEST_USER" >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	suite "$TEST_USER" "$TEST_USER"
else
	echo "# no user $TEST_USER: the unprivileged half is skipped"
fi
done_testing
