#!/bin/sh
# How each command's cost grows with its input: every command at 1x, 10x
# and 100x of a realistic size, its time and peak memory, and the growth
# exponent between the last two sizes (log(t100/t10) / log(10): 1.0 is
# linear, 2.0 quadratic; the target is at most 1.15).
#
#   sh tools/bench/scale.sh [SBOX]        (run by hand, not from tests)
#
# Time is CPU time (user + sys, median of REPEAT runs): other work on the
# machine barely moves it, where wall time on this 2-core VM drifts by a
# quarter. `sbox launch` and `sbox run` many at once are judged by wall
# time: their cost is in the container's processes and the kernel. Memory is the peak resident set of one
# run (GNU time's %M). Needs python3 and GNU time (/usr/bin/time).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
sbox=$(cd "$(dirname "${1:-$top/build/sbox}")" && pwd)/$(basename "${1:-$top/build/sbox}")
REPEAT=${REPEAT:-3}
# not under /tmp, which a container has its own of
W=$(mktemp -d /var/tmp/sbox-scale.XXXXXX)
trap 'chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"' EXIT
export SBOX_DATADIR="$top" SBOX_HOME="$W/store"
[ -x /usr/bin/time ] || { echo "scale.sh: needs GNU time (/usr/bin/time)" >&2; exit 3; }

# measure LABEL N CMD...: median CPU seconds and the largest peak RSS
measure() {
	label=$1 n=$2; shift 2
	: >"$W/m"
	m_i=0
	while [ $m_i -lt "$REPEAT" ]; do
		/usr/bin/time -o "$W/t" -f '%U %S %e %M' "$@" >/dev/null 2>&1 || true
		cat "$W/t" >>"$W/m"
		m_i=$((m_i + 1))
	done
	python3 - "$label" "$n" "$W/m" <<'PY' >>"$W/results"
import statistics, sys
label, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [l.split() for l in open(path) if l.strip() and l[0].isdigit()]
cpu = statistics.median(float(u) + float(s) for u, s, e, m in rows)
wall = statistics.median(float(e) for u, s, e, m in rows)
mem = max(int(m) for u, s, e, m in rows)
print(label, n, cpu, wall, mem)
PY
}

# measure_wall LABEL N CMD...: median wall seconds of a shell function
measure_wall() {
	label=$1 n=$2; shift 2
	: >"$W/m"
	mw_i=0
	while [ $mw_i -lt "$REPEAT" ]; do
		s=$(date +%s%N); "$@"; e=$(date +%s%N)
		echo "$s $e" >>"$W/m"
		mw_i=$((mw_i + 1))
	done
	python3 - "$label" "$n" "$W/m" <<'PY' >>"$W/results"
import statistics, sys
w = statistics.median((int(e) - int(s)) / 1e9 for s, e in (l.split() for l in open(sys.argv[3])))
print(sys.argv[1], sys.argv[2], w, w, 0)
PY
}

# one-literal rules, as generated profiles are
sb_rules() {
	awk -v n="$1" 'BEGIN { print "(version 1)\n(deny default)";
		for (i = 0; i < n; i++)
			printf "(allow file-read* (literal \"/usr/share/data/d%d/file%d.txt\"))\n", i % 97, i }' >"$2"
}
# a definition of N paths: read folders, writable build folders below
# them, denied secrets below those (as tools/bench/compile.sh)
def_paths() {
	awk -v n="$1" -v name="$3" 'BEGIN {
		printf "{ \"name\": \"%s\", \"filesystem\": {\n", name
		r = int(n * 4 / 6); w = int(n / 6); d = n - r - w
		printf "  \"read\": ["
		for (i = 0; i < r; i++) printf "%s\"/Users/dev/src/p-%06d/m\"", (i ? "," : ""), i
		printf "],\n  \"write\": ["
		for (i = 0; i < w; i++) printf "%s\"/Users/dev/src/p-%06d/m/build\"", (i ? "," : ""), i
		printf "],\n  \"deny\": ["
		for (i = 0; i < d; i++) printf "%s\"/Users/dev/src/p-%06d/m/build/s\"", (i ? "," : ""), i
		printf "] } }\n" }' >"$2"
}
# a definition of N existing folders, for launch on Linux
def_launch() {
	n=$1 name=$2
	mkdir -p "$W/rules"
	awk -v n="$n" -v w="$W" -v name="$name" 'BEGIN {
		printf "{ \"name\": \"%s\", \"network\": \"none\",\n", name
		printf "  \"filesystem\": { \"exec\": [\"/usr/bin\", \"/bin\"],\n"
		printf "  \"read\": [\"/usr\", \"/lib\", \"/lib64\", \"/etc\""
		for (i = 0; i < n; i++) printf ", \"%s/rules/d%05d\"", w, i
		printf "] } }\n" }' >"$W/$name.json"
	dl_i=0
	while [ $dl_i -lt "$n" ]; do mkdir -p "$W/rules/d$(printf %05d $dl_i)"; dl_i=$((dl_i + 1)); done
}
# an archive of N small files, made by sbox export
archive_of() {
	n=$1 out=$2
	"$sbox" rm arch >/dev/null 2>&1 || true
	printf '{ "name": "arch" }\n' >"$W/arch.json"
	"$sbox" create "$W/arch.json" >/dev/null
	python3 -c 'import os,sys
d = sys.argv[1]
for i in range(int(sys.argv[2])):
    sub = os.path.join(d, "f%03d" % (i // 1000)); os.makedirs(sub, exist_ok=True)
    open(os.path.join(sub, "x%d" % i), "w").write("data %d\n" % i)' "$SBOX_HOME/arch/Data/Documents" "$n"
	"$sbox" export arch "$out" >/dev/null
	"$sbox" rm arch >/dev/null
}
runs_at_once() { # (sh has no local variables: its own names)
	ra_n=$1 ra_i=0
	while [ $ra_i -lt "$ra_n" ]; do
		"$sbox" run "$W/runme.json" -- /bin/true >/dev/null 2>&1 &
		ra_i=$((ra_i + 1))
	done
	wait
}
store_of() { # a store holding N containers
	rm -rf "$SBOX_HOME"
	so_i=0
	while [ $so_i -lt "$1" ]; do
		printf '{ "name": "c%05d" }\n' $so_i >"$W/c.json"
		"$sbox" create "$W/c.json" >/dev/null
		so_i=$((so_i + 1))
	done
}

: >"$W/results"
echo "scale.sh: building inputs in $W (this takes a few minutes)" >&2
for n in 2000 20000 200000; do
	sb_rules $n "$W/rules-$n.sb"
	measure "check (rules)" $n "$sbox" check "$W/rules-$n.sb"
done
for n in 1000 10000 100000; do
	def_paths $n "$W/def-$n.json" "d$n"
	measure "compile (paths)" $n "$sbox" compile "$W/def-$n.json" -o "$W/def-$n.sb"
	"$sbox" compile "$W/def-$n.json" -o "$W/def-$n.sb"
	measure "check (compiled def)" $n "$sbox" check "$W/def-$n.sb"
	measure "explain (paths)" $n "$sbox" explain --target macos "$W/def-$n.json" file-read-data \
		/Users/dev/src/p-000007/m/build/s/key
done
if [ "$(uname -s)" = Linux ]; then
	for n in 10 100 1000; do
		def_launch $n "l$n"
		"$sbox" launch "$W/l$n.json" -- /bin/true >/dev/null 2>&1 || true
		measure "launch (rules)" $n "$sbox" launch "$W/l$n.json" -- /bin/true
	done
	printf '{ "name": "runme", "extends": ["base"], "network": "none" }\n' >"$W/runme.json"
	for n in 1 10 100; do
		measure_wall "run (at once)" $n runs_at_once $n
	done
fi
for n in 100 1000 10000; do
	archive_of $n "$W/a-$n.tar"
	measure "import (entries)" $n sh -c "\"$sbox\" import \"$W/a-$n.tar\" --name imp >/dev/null && \"$sbox\" rm imp"
	# the peer: the file system's own cost of making (and removing) them
	measure "tar -x (entries)" $n sh -c "mkdir \"$W/x\" && tar -xf \"$W/a-$n.tar\" -C \"$W/x\" && rm -rf \"$W/x\""
done
for n in 10 100 1000; do
	store_of $n
	printf '{ "name": "extra" }\n' >"$W/extra.json"
	measure "list (containers)" $n "$sbox" list
	measure "create+rm (in store)" $n sh -c "\"$sbox\" create \"$W/extra.json\" >/dev/null && \"$sbox\" rm extra"
done

python3 - "$W/results" <<'PY'
import math, sys
rows = [l.rsplit(None, 4) for l in open(sys.argv[1])]
by = {}
for label, n, cpu, wall, mem in rows:
    by.setdefault(label, []).append((int(n), float(cpu), float(wall), int(mem)))
print("%-22s %8s %9s %9s %9s  %s" % ("command", "size", "cpu s", "wall s", "peak MB", "exponent"))
for label, pts in by.items():
    # a launch's work is mostly in its children and the kernel: wall time
    t = "wall" if label.startswith(("run", "launch")) else "cpu"
    for i, (n, cpu, wall, mem) in enumerate(pts):
        exp = ""
        if i == len(pts) - 1 and len(pts) > 1:
            n0, c0, w0, m0 = pts[i - 1]
            a, b = (w0, wall) if t == "wall" else (c0, cpu)
            if a > 0 and b > 0:
                exp = "%.2f (%s)" % (math.log(b / a) / math.log(n / n0), t)
        print("%-22s %8d %9.3f %9.3f %9.1f  %s" % (label, n, cpu, wall, mem / 1024, exp))
PY
