#!/bin/sh
# The cost of --trace (docs: README "Seeing what was denied"), in one run:
#
#   1. a file-heavy workload: stat(1) on 20,000 files of /usr/share (about
#      five watched calls per file: statx, and the passwd/group lookups)
#   2. a real build: make of a C project of 16 files (cc1, as, ld)
#   3. a syscall-light workload: a shell loop of 200,000 iterations
#   each launched by `sbox launch` without and with --trace; and
#   4. `sbox launch -- /bin/true` of this binary against BASE, an sbox built
#      from before the feature (skipped without BASE): the cost of having the
#      feature when it is off.
# Workloads 1 and 2 also run outside sbox, plain and under the floor: a bare
# supervisor (trace-roundtrip.c exec) stopping the very calls --trace stops
# (sbox's own observing filter, build/gen/trace_bpf.o) and answering each
# the least way. floor / plain is what any tracer that stops those calls
# costs on this machine; sbox's ratio is compared with it.
#
# Usage: sh tools/bench/trace.sh [SBOX] [BASE]
# Environment: RUNS (default 10 per workload), ROUNDS (5), LAUNCH_RUNS (200).
# The commands of a set alternate round by round, so this VM's drift
# reaches both alike; medians over all rounds. Needs hyperfine, cc, make,
# python3. Run by hand, not from tests.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SBOX=$(realpath "${1:-$TOP/build/sbox}")
BASE=${2:-}
RUNS=${RUNS:-10}
ROUNDS=${ROUNDS:-5}
LAUNCH_RUNS=${LAUNCH_RUNS:-200}
# not under /tmp, which is the container's own
W=$(mktemp -d /var/tmp/sbox-trace-bench.XXXXXX)
OUT=$W/results
trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT" "$W/proj" "$W/store"
. "$TOP/tools/bench/lib.sh"
bench_need trace.sh hyperfine cc make python3
GEN=$(dirname "$SBOX")/gen/trace_bpf.o
[ -f "$GEN" ] || { echo "trace.sh: no $GEN (make $(dirname "$SBOX")/sbox)" >&2; exit 3; }
cc -O2 -I"$TOP/src" -o "$W/rt" "$TOP/tools/bench/trace-roundtrip.c" "$GEN"

cd "$W/proj"
find /usr/share -type f -print0 2>/dev/null | head -z -n 20000 >files0
i=0
while [ $i -lt 16 ]; do
	printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint f%d(int x) { char b[64]; snprintf(b, sizeof b, "%%d", x); return (int)strlen(b) + atoi(b); }\n' \
		$i >"f$i.c"
	i=$((i + 1))
done
printf 'int main(void) { return 0; }\n' >main.c
printf 'SRCS := $(wildcard *.c)\nprog: $(SRCS:.c=.o)\n\tcc -o $@ $^\n%%.o: %%.c\n\tcc -O2 -c -o $@ $<\nclean:\n\trm -f *.o prog\n' >Makefile
cat >"$W/bench.json" <<JSON
{ "name": "tracebench", "extends": ["base"],
  "filesystem": { "write": ["\${PROJECT}"], "exec": ["/usr/lib/gcc"] },
  "network": "none" }
JSON
export SBOX_HOME="$W/store" PATH=/usr/bin:/bin
"$SBOX" launch "$W/bench.json" -- true  # creates the container
L="$SBOX launch"
FILES="sh -c 'xargs -0 stat <files0 >/dev/null'"
BUILD="sh -c 'make -s clean && make -s'"
LIGHT="sh -c 'i=0; while [ \$i -lt 200000 ]; do i=\$((i+1)); done'"

echo "# --trace cost, $RUNS runs each in $ROUNDS rounds (hyperfine -N)"
bench_rounds files "$RUNS" 1 -n "files" "$L tracebench -- $FILES" \
	-n "files --trace" "$L --trace=/dev/null tracebench -- $FILES" \
	-n "files host" "$FILES" -n "files host floor" "$W/rt exec $FILES"
bench_rounds build "$RUNS" 1 -n "build" "$L tracebench -- $BUILD" \
	-n "build --trace" "$L --trace=/dev/null tracebench -- $BUILD" \
	-n "build host" "$BUILD" -n "build host floor" "$W/rt exec $BUILD"
bench_rounds light "$RUNS" 1 -n "light" "$L tracebench -- $LIGHT" \
	-n "light --trace" "$L --trace=/dev/null tracebench -- $LIGHT"
if [ -n "$BASE" ] && [ -x "$BASE" ]; then
	"$BASE" launch "$W/bench.json" -- true
	bench_rounds launch "$LAUNCH_RUNS" 1 -n "launch (this)" "$SBOX launch tracebench -- /bin/true" \
		-n "launch (base)" "$BASE launch tracebench -- /bin/true"
fi

PYTHONPATH="$TOP/tools/bench" python3 - "$OUT" <<'PY'
import sys
from medians import load
times, med = load(sys.argv[1])
for k, v in med.items():
    print(f"{k:24s} median {v:9.2f} ms  ({len(times[k])} runs)")
for w, lim in (("files", 3.0), ("build", 3.0), ("light", 1.1)):
    r = med[w + " --trace"] / med[w]
    print(f"{w:6s} --trace / plain = {r:.2f}  (target <= {lim}: {'ok' if r <= lim else 'MISSED'})")
    if w + " host floor" in med:
        f = med[w + " host floor"] / med[w + " host"]
        print(f"{w:6s} floor / plain   = {f:.2f}  (any tracer stopping the same calls); "
              f"sbox / floor = {r / f:.2f}")
if "launch (base)" in med:
    r = med["launch (this)"] / med["launch (base)"]
    print(f"launch without --trace, this / base = {r:.3f}  (target <= 1.02: {'ok' if r <= 1.02 else 'MISSED'})")
PY
