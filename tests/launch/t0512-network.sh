#!/bin/sh
# network: none, localhost, outbound, port lists and all, tried from inside
# against TCP listeners on the host's loopback.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
export SBOX_HOME="$T_TMP/store"
cd "$T_TMP" || exit 1

# two host listeners; their ports go to listen.out
python3 -c '
import socket, sys, time
ss = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss), flush=True)
time.sleep(60)
' >"$T_TMP/listen.out" &
lpid=$!
trap 'kill $lpid 2>/dev/null; rm -rf "$T_TMP"' EXIT
n=0; while [ $n -lt 50 ] && ! [ -s "$T_TMP/listen.out" ]; do sleep 0.1; n=$((n+1)); done
read -r P1 P2 <"$T_TMP/listen.out"

# probe.py: "connect PORT" or "bind": prints ok or the errno name
cat >"$T_TMP/probe.py" <<'EOF'
import errno, socket, sys
try:
    s = socket.socket()
    if sys.argv[1] == "bind":
        s.bind(("127.0.0.1", 0)); s.listen(1)
        c = socket.create_connection(s.getsockname(), timeout=2)
    else:
        s.settimeout(2); s.connect(("127.0.0.1", int(sys.argv[2])))
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))
EOF

# net MODE JSON: a definition with that network value
net() {
	cat >"$T_TMP/$1.json" <<EOF
{ "name": "net-$1", "extends": ["base"], "network": $2,
  "filesystem": { "read": ["$T_TMP/probe.py"] } }
EOF
}
# try MODE WHAT [PORT] WANT
try() {
	got=$("$SBOX" launch "$T_TMP/$1.json" -- /usr/bin/python3 "$T_TMP/probe.py" $2 ${3:-} 2>&1)
	case "$got" in
	$4) ok "network $1: $2 ${3:-}: $got" ;;
	*) not_ok "network $1: $2 ${3:-}: got '$got', wanted $4" ;;
	esac
}

net none '"none"'
net localhost '"localhost"'
net outbound '"outbound"'
net ports "{ \"outbound\": [$P1] }"
net all '"all"'

try none connect "$P1" 'E*'
try none bind "" 'E*'
try localhost bind "" ok
try localhost connect "$P1" ECONNREFUSED
try outbound connect "$P1" ok
try outbound bind "" EACCES
try ports connect "$P1" ok
try ports connect "$P2" EACCES
try ports bind "" EACCES
try all connect "$P2" ok
try all bind "" ok
done_testing
