#!/bin/sh
# Launch latency of `sbox launch` against bubblewrap with equivalent
# isolation and against the physical floor (../shared/bench/floor.c, see
# docs LINUX-BASELINES.md), in one run:
#
#   1. sbox launch of an existing container (network none, ~20 path rules)
#      vs bwrap (same namespaces, tmpfs root, the same binds, new session,
#      caps dropped) vs sbox_floor (-f: fresh /proc)
#   2. sbox launch with 1,000 path rules vs 10
#   3. the full `sbox run` cycle (create, launch, remove)
#
# Usage: sh tools/bench/launch.sh [SBOX] [FLOOR_C]
#   SBOX     the binary (default build/sbox)
#   FLOOR_C  floor.c (default /work/shared/bench/floor.c)
# Environment: RUNS (default 200), ROUNDS (5), WARM (5), PAYLOAD (default
# /bin/true), OUT (folder for the hyperfine JSON, default a temporary one),
# BASE_SBOX (another sbox binary, e.g. main's: measured in the same rounds
# as SBOX, and the ratio printed, so a change's cost is seen through the
# drift of a shared VM).
#
# hyperfine measures its commands one after the other, and this VM drifts
# by up to ~25% within minutes (LINUX-BASELINES.md §1): each set is run in
# ROUNDS rounds of RUNS/ROUNDS runs, alternating the commands, and the
# medians are taken over all rounds, so drift reaches every command alike.
# Needs hyperfine, bwrap, cc and python3. Run by hand, not from tests.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SBOX=$(cd "$(dirname "${1:-$TOP/build/sbox}")" && pwd)/$(basename "${1:-$TOP/build/sbox}")
FLOOR_C=${2:-/work/shared/bench/floor.c}
RUNS=${RUNS:-200}
ROUNDS=${ROUNDS:-5}
WARM=${WARM:-5}
PAYLOAD=${PAYLOAD:-/bin/true}
# not under /tmp, which is the container's own (see coalesce_linux.c)
W=$(mktemp -d /var/tmp/sbox-launch-bench.XXXXXX)
OUT=${OUT:-$W/results}
trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT" "$W/proj" "$W/rw" "$W/rules" "$W/store"
. "$TOP/tools/bench/lib.sh"
bench_need launch.sh hyperfine bwrap cc python3

cc -O2 -o "$W/sbox_floor" "$FLOOR_C"
i=0
while [ $i -lt 1000 ]; do mkdir "$W/rules/d$(printf %04d $i)"; i=$((i + 1)); done

# ~20 rules: the base preset (read, exec, write, deny lists) + the project
cat >"$W/bench20.json" <<EOF
{ "name": "bench20", "extends": ["base"],
  "filesystem": { "read": ["\${PROJECT}"] }, "network": "none" }
EOF
# 10 and 1,000 rules: the system, the project, then rules/dNNNN
rules_def() {
	n=$1 name=$2
	{
		printf '{ "name": "%s", "home": "container", "network": "none",\n' "$name"
		printf '  "environment": { "inherit": ["PATH"] },\n'
		printf '  "filesystem": { "exec": ["/usr/bin", "/bin"],\n'
		printf '    "read": ["/usr", "/lib", "/lib64", "/etc", "${PROJECT}"'
		j=0
		while [ $j -lt "$n" ]; do
			printf ', "%s/rules/d%04d"' "$W" $j; j=$((j + 1))
		done
		printf '] } }\n'
	} >"$W/$name.json"
}
rules_def 3 bench10
rules_def 993 bench1000

export SBOX_HOME="$W/store"
cd "$W/proj"
for d in bench20 bench10 bench1000; do
	"$SBOX" launch "$W/$d.json" -- "$PAYLOAD" # creates the container
done
DATA=$SBOX_HOME/bench20/Data

# bubblewrap doing what sbox does for bench20: every namespace, a tmpfs
# root with the same read-only binds (merged /usr: /bin etc. as symlinks),
# Data/ read-write at its own path, private /tmp, /dev, /proc, new session.
BWRAP="bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL \
 --tmpfs / --tmpfs /tmp --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin \
 --symlink usr/lib /lib --symlink usr/lib64 /lib64 --ro-bind /etc /etc \
 --ro-bind $W/proj $W/proj --bind $DATA $DATA --dev /dev \
 --proc /proc --clearenv --setenv HOME $DATA --setenv PATH /usr/bin:/bin \
 --chdir $W/proj $PAYLOAD"

echo "# launch latency, payload $PAYLOAD, $RUNS runs each in $ROUNDS rounds (hyperfine -N)"
if [ -n "${BASE_SBOX:-}" ]; then
	set -- -n "base launch (20 rules)" "$BASE_SBOX launch bench20 -- $PAYLOAD"
else
	set --
fi
bench_rounds headline "$RUNS" "$WARM" -n "sbox launch (20 rules)" "$SBOX launch bench20 -- $PAYLOAD" \
	-n "bwrap (equivalent)" "$BWRAP" \
	-n "floor" "$W/sbox_floor -f -w $W/rw -- $PAYLOAD" "$@"
bench_rounds rules "$RUNS" "$WARM" -n "sbox launch (10 rules)" "$SBOX launch bench10 -- $PAYLOAD" \
	-n "sbox launch (1000 rules)" "$SBOX launch bench1000 -- $PAYLOAD"
bench_rounds run "$RUNS" "$WARM" -n "sbox run (create+launch+rm)" "$SBOX run $W/bench20.json -- $PAYLOAD"

PYTHONPATH="$TOP/tools/bench" python3 - "$OUT" <<'EOF'
import glob, json, statistics, sys, os
from medians import load
out = sys.argv[1]
times, med = load(out)
for k, v in med.items():
    print(f"{k:32s} median {v:8.2f} ms")
s, b, fl = med["sbox launch (20 rules)"], med["bwrap (equivalent)"], med["floor"]
r10, r1000 = med["sbox launch (10 rules)"], med["sbox launch (1000 rules)"]
def verdict(x, lim): return "ok" if x <= lim else "MISSED"
print(f"sbox / bwrap  = {s / b:.2f}  (target <= 0.75: {verdict(s / b, 0.75)})")
print(f"sbox / floor  = {s / fl:.2f}  (target <= 1.50: {verdict(s / fl, 1.5)})")
print(f"1000 / 10     = {r1000 / r10:.2f}  (target <= 3.00: {verdict(r1000 / r10, 3)})")
base = med.get("base launch (20 rules)")
if base:
    print(f"base / bwrap  = {base / b:.2f}, base / floor = {base / fl:.2f}")
    print(f"sbox / base   = {s / base:.3f}  (target <= 1.05: {verdict(s / base, 1.05)})")
rounds = []
for f in sorted(glob.glob(os.path.join(out, "headline.*.json"))):
    m = {r["command"]: statistics.median(r["times"])
         for r in json.load(open(f))["results"]}
    rounds.append((m["sbox launch (20 rules)"] / m["bwrap (equivalent)"],
                   m["sbox launch (20 rules)"] / m["floor"],
                   m["sbox launch (20 rules)"] /
                   m.get("base launch (20 rules)", float("nan"))))
print("per round: sbox/bwrap " + " ".join(f"{a:.2f}" for a, _, _ in rounds) +
      ", sbox/floor " + " ".join(f"{b:.2f}" for _, b, _ in rounds) +
      (", sbox/base " + " ".join(f"{c:.3f}" for _, _, c in rounds)
       if base else ""))
EOF
