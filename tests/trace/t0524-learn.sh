#!/bin/sh
# sbox learn: round trips on three real programs (a compiler build in a
# project, a script reading its config from ~, a client of a local
# server): the proposal, run again, records no denial. And what it must
# not propose: what the definition denies, the home folder itself.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 ||
	skip_all "no cc or make"
# not under /tmp: the container's /tmp is its own
W=$(mktemp -d /var/tmp/sbox-learn.XXXXXX)
SRV=
trap '[ -n "$SRV" ] && kill $SRV; rm -rf "$W" "$T_TMP"' EXIT
export HOME="$W/home" SBOX_HOME="$W/store" PATH=/usr/bin:/bin
mkdir -p "$HOME/.config/tool" "$HOME/.ssh"

# round_trip LABEL DIR PROGRAM...: learn, then run the proposal traced
round_trip() {
	label=$1 dir=$2; shift 2
	( cd "$dir" && "$SBOX" learn start.json -o proposal.json -- "$@" \
	  >"$dir/learn.out" 2>"$dir/learn.err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: learn exit 0" ||
		{ not_ok "$label: learn exit $rc"; sed 's/^/#   /' "$dir/learn.err"; }
	( cd "$dir" && "$SBOX" run proposal.json --trace="$dir/again.jsonl" -- "$@" \
	  >"$dir/again.out" 2>"$dir/again.err" )
	rc=$?
	[ $rc -eq 0 ] && ok "$label: the program runs under the proposal" ||
		{ not_ok "$label: run exit $rc"; sed 's/^/#   /' "$dir/again.err"; }
	if [ -f "$dir/again.jsonl" ] && ! [ -s "$dir/again.jsonl" ]; then
		ok "$label: no denial the second time"
	else
		not_ok "$label: denials the second time"
		sed 's/^/#   /' "$dir/again.jsonl" "$dir/proposal.json"
	fi
}
# has LABEL FILE PYTHON-EXPR: the proposal (json p) satisfies EXPR
has() {
	if python3 -c "import json,sys; p=json.load(open(sys.argv[1])); f=p.get('filesystem',{}); sys.exit(not ($3))" "$2"; then
		ok "$1"; else not_ok "$1"; sed 's/^/#   /' "$2"; fi
}

# 1. a C build: cc1 and collect2 are outside base's exec folders
mkdir -p "$W/cproj"
cat >"$W/cproj/start.json" <<'JSON'
{ "extends": ["base"], "name": "cc", "filesystem": { "write": ["${PROJECT}"] } }
JSON
printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' >"$W/cproj/main.c"
printf 'hello: main.c\n\tcc -O2 -o hello main.c\n' >"$W/cproj/Makefile"
round_trip build "$W/cproj" sh -c 'rm -f hello && make && ./hello'
cc1=$(cc -print-prog-name=cc1)
has "build: exec of cc1 and of the folder of what it built, nothing else" \
	"$W/cproj/proposal.json" \
	"'$cc1' in f['exec'] and '$W/cproj' in f['exec'] and len(f['exec']) == 3 and 'read' not in f and 'write' not in f and 'network' not in p"
grep -q '^hi$' "$W/cproj/again.out" && ok "build: the program built runs" ||
	not_ok "build: no hi"

# 2. a script reading its config from ~ (home "real": HOME is the user's)
for f in a b c; do echo "$f=1" >"$HOME/.config/tool/$f.conf"; done
echo color=1 >"$HOME/.toolrc"
echo key >"$HOME/.ssh/id_ed25519"
mkdir -p "$W/sproj"
cat >"$W/sproj/start.json" <<'JSON'
{ "extends": ["base"], "name": "cfg", "home": "real",
  "filesystem": { "read": ["${PROJECT}"] } }
JSON
printf '#!/bin/sh\ncat "$HOME/.toolrc" "$HOME"/.config/tool/*.conf\n' >"$W/sproj/tool.sh"
round_trip config "$W/sproj" sh tool.sh
has "config: the folder of three files, the single file" "$W/sproj/proposal.json" \
	"f['read'] == ['$HOME/.config/tool', '$HOME/.toolrc'] and p['extends'] == ['$W/sproj/start.json']"
# the same script also trying what it must not get
printf '#!/bin/sh\nls "$HOME" >/dev/null; cat "$HOME/.ssh/id_ed25519"; cat "$HOME/.toolrc"\n' \
	>"$W/sproj/greedy.sh"
( cd "$W/sproj" && "$SBOX" learn start.json --format json -- sh greedy.sh \
  >"$W/sproj/greedy.json" 2>"$W/sproj/greedy.err" )
has "refusals: neither ~ nor ~/.ssh proposed" "$W/sproj/greedy.json" \
	"f['read'] == ['$HOME/.toolrc']"
expect_grep "not granted: read $HOME/.ssh/id_ed25519: the definition denies it (deny \"~/.ssh\" at .*base.json:" \
	"$W/sproj/greedy.err" "refusals: the deny and its rule are named"
expect_grep "not granted: read $HOME: the whole home folder" "$W/sproj/greedy.err" \
	"refusals: the home folder is named"
if grep -q "key" "$W/sproj/greedy.json"; then not_ok "the denied file was read"; else
	ok "the learning run could not read the denied file"; fi

# 3. a client of a server on the host's loopback
mkdir -p "$W/nproj"
cat >"$W/nproj/start.json" <<'JSON'
{ "extends": ["base"], "name": "net", "network": "none",
  "filesystem": { "read": ["${PROJECT}"] } }
JSON
python3 -c '
import os, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept(); c.sendall(b"pong\n"); c.close()
' "$W/port" &
SRV=$!
n=0; while [ $n -lt 100 ] && ! [ -s "$W/port" ]; do sleep 0.1; n=$((n+1)); done
P=$(cat "$W/port")
printf 'import socket\ns = socket.create_connection(("127.0.0.1", %s), timeout=5)\nprint(s.recv(10).decode().strip())\n' \
	"$P" >"$W/nproj/client.py"
round_trip client "$W/nproj" python3 client.py
has "client: only the port it used" "$W/nproj/proposal.json" \
	"p['network'] == {'outbound': [$P]} and 'filesystem' not in p"
grep -q '^pong$' "$W/nproj/again.out" && ok "client: reached the server" ||
	not_ok "client: no pong"

# an existing proposal is never overwritten
# ... and that is said before the program runs (its side effects included)
mkdir -p "$W/wproj"
printf '{ "extends": ["base"], "name": "w", "filesystem": { "write": ["${PROJECT}"] } }\n' \
	>"$W/wproj/start.json"
echo '{}' >"$W/wproj/proposal.json"
( cd "$W/wproj" && "$SBOX" learn start.json -o proposal.json -- sh -c 'echo >ran' \
	>/dev/null 2>"$W/ow.err" )
[ $? -eq 2 ] && grep -q "exists" "$W/ow.err" && ok "an existing file is kept (exit 2)" ||
	{ not_ok "overwrote an existing proposal, or not exit 2"; sed 's/^/#   /' "$W/ow.err"; }
[ "$(cat "$W/wproj/proposal.json")" = "{}" ] || not_ok "the proposal file changed"
[ -e "$W/wproj/ran" ] && not_ok "the program ran before learn refused the file" ||
	ok "nothing ran when the proposal file exists"
( cd "$W/wproj" && "$SBOX" learn start.json -o quiet.json -- true >/dev/null 2>"$W/q.err" )
expect_grep "the learning run made no access the definition refuses" "$W/q.err" \
	"a run with nothing refused says so in words"
expect_rc 2 "learn needs a definition or a preset" "$SBOX" learn -- true
expect_rc 2 "an unknown preset" "$SBOX" learn --preset nosuch -- true
done_testing
