# Shared by the hyperfine benchmarks (launch.sh, trace.sh); sourced.
# Their commands alternate within a round and the rounds repeat, so that
# this VM's drift reaches every command of a set alike.

# bench_need SCRIPT TOOL...: stop (exit 3) when a tool is missing.
bench_need() {
	script=$1; shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null ||
			{ echo "$script: needs $tool" >&2; exit 3; }
	done
}

# bench_rounds NAME RUNS WARMUP HYPERFINE-ARGS...: the set, RUNS runs of
# each command split over $ROUNDS rounds, into $OUT/NAME.<round>.json
# (medians.py reads them); the log is shown when hyperfine fails.
bench_rounds() {
	name=$1 runs=$2 warm=$3; shift 3
	r=1
	while [ $r -le "$ROUNDS" ]; do
		hyperfine -N --warmup "$warm" --runs $((runs / ROUNDS)) \
			--export-json "$OUT/$name.$r.json" "$@" \
			>"$OUT/$name.log" 2>&1 || { cat "$OUT/$name.log"; exit 1; }
		r=$((r + 1))
	done
}
