#!/bin/sh
# The cost of one watched call under --trace against the floor of any
# seccomp user-notification supervisor on this machine
# (tools/bench/trace-roundtrip.c), in one run:
#
#   1. the floor: a bare supervisor answering N stat(2) calls, blocking in
#      the listener and with a poll(2) before each call
#   2. N stat(2) calls inside `sbox launch`, without and with --trace, of a
#      path the definition grants and of one it hides (a host file: each is
#      a refusal, recorded once and counted), for SBOX and for BASE
#
# CPU is user+sys of the whole launch (/usr/bin/time), so the supervisor's
# share is in it; per call = (traced - plain) / N. Rounds alternate the
# binaries so a shared VM's drift reaches both alike.
# Usage: sh tools/bench/trace-roundtrip.sh [SBOX] [BASE]
# Environment: N (default 100000 calls), ROUNDS (3). Run by hand.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SBOX=$(realpath "${1:-$TOP/build/sbox}")
BASE=${2:-}
N=${N:-100000}
ROUNDS=${ROUNDS:-3}
W=$(mktemp -d /var/tmp/sbox-roundtrip.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/proj" "$W/store" "$W/hidden"
: >"$W/hidden/file"
GEN=$(dirname "$SBOX")/gen/trace_bpf.o  # exec mode: sbox's observing filter
[ -f "$GEN" ] || { echo "trace-roundtrip.sh: no $GEN (make $(dirname "$SBOX")/sbox)" >&2; exit 3; }
cc -O2 -I"$TOP/src" -o "$W/proj/rt" "$TOP/tools/bench/trace-roundtrip.c" "$GEN"
cat >"$W/rt.json" <<JSON
{ "name": "roundtrip", "extends": ["base"],
  "filesystem": { "exec": ["\${PROJECT}"] }, "network": "none" }
JSON
export SBOX_HOME="$W/store" PATH=/usr/bin:/bin
cd "$W/proj"
"$SBOX" launch "$W/rt.json" -- true

uptime
r=1
while [ "$r" -le "$ROUNDS" ]; do
	"$W/proj/rt" floor "$N"
	"$W/proj/rt" floor "$N" poll | sed 's/^floor/floor+poll/'
	for b in "$SBOX" ${BASE:+"$BASE"}; do
		for p in /usr "$W/hidden/file"; do
			for t in "" --trace=/dev/null; do
				/usr/bin/time -f "%U %S" -o "$W/time" \
					"$b" launch $t roundtrip -- ./rt stat "$p" "$N" \
					>"$W/out" 2>/dev/null
				echo "$b ${t:-plain} $(cat "$W/out") cpu $(awk -v n="$N" \
					'{ printf "%.2f us/call", ($1 + $2) / n * 1e6 }' "$W/time")"
			done
		done
	done
	r=$((r + 1))
done
uptime
