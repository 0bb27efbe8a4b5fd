#!/bin/sh
# Benchmark `sbox compile` on definitions with 10, 1,000 and 10,000 paths:
# wall time, emitted size, and the largest rule form, to show that long
# lists are split well under Apple's 64 KiB pattern limit
# (SBPL-SEMANTICS.md §g). Run by hand: sh tools/bench/compile.sh [SBOX]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
sbox=${1:-$top/build/sbox}
tmp=$(mktemp -d /tmp/sbox-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export SBOX_DATADIR="$top"

# N paths: two thirds readable project folders, one sixth writable build
# folders below them, one sixth denied secrets below those.
make_def() {
	n=$1
	awk -v n="$n" 'BEGIN {
		printf "{\n  \"name\": \"bench-%d\",\n  \"filesystem\": {\n", n
		r = int(n * 4 / 6); w = int(n / 6); d = n - r - w
		printf "    \"read\": ["
		for (i = 0; i < r; i++)
			printf "%s\"/Users/dev/src/project-%05d/module\"", (i ? ", " : ""), i
		printf "],\n    \"write\": ["
		for (i = 0; i < w; i++)
			printf "%s\"/Users/dev/src/project-%05d/module/build\"", (i ? ", " : ""), i
		printf "],\n    \"deny\": ["
		for (i = 0; i < d; i++)
			printf "%s\"/Users/dev/src/project-%05d/module/build/secret\"", (i ? ", " : ""), i
		printf "]\n  }\n}\n"
	}' >"$tmp/def-$n.json"
}

now_ms() { date +%s%N | cut -c1-13; }

printf '%8s %10s %12s %8s %14s %14s\n' paths ms bytes forms max-form-text max-form-values
for n in 10 1000 10000; do
	make_def "$n"
	start=$(now_ms)
	"$sbox" compile "$tmp/def-$n.json" -o "$tmp/out-$n.sb"
	end=$(now_ms)
	bytes=$(wc -c <"$tmp/out-$n.sb")
	# One form starts at "(allow " or "(deny " in column 0; its filters'
	# values are the "; /path" comment lines the emitter writes before each.
	awk -v n="$n" -v ms=$((end - start)) -v bytes="$bytes" '
		/^\((allow|deny) / { forms++; text = 0; vals = 0; inform = 1 }
		/^(;;|$)/ { inform = 0 }
		inform { text += length($0) + 1; if (text > maxtext) maxtext = text }
		/^    ; \// { vals += length($0) - 6; if (vals > maxvals) maxvals = vals }
		END {
			printf "%8d %10d %12d %8d %14d %14d\n", n, ms, bytes, forms, maxtext, maxvals
			if (maxvals >= 65535 || maxtext >= 65535) {
				print "a rule form reaches the 64 KiB limit" > "/dev/stderr"; exit 1
			}
		}' "$tmp/out-$n.sb"
done
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine --warmup 1 --runs 5 -N "$sbox compile $tmp/def-10000.json -o $tmp/h.sb"
fi
