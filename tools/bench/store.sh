#!/bin/sh
# Benchmark the container store (issue 4), run by hand:
#   sh tools/bench/store.sh [SBOX]
# 1. `sbox create` from the default template against `tar -x` of the same
#    tree (target: at most 1.5 times).
# 2. `sbox export` + `sbox import` of a container whose Data/ holds 200 MB
#    in 2,000 files against `tar -c` + `tar -x` of the same data.
# Uses hyperfine; prints the mean times and the ratios.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
sbox=${1:-$top/build/sbox}
tmp=$(mktemp -d /tmp/sbox-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export SBOX_DATADIR="$top" SBOX_HOME="$tmp/store"
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 1; }
RUNS=${RUNS:-30}
BIG_RUNS=${BIG_RUNS:-5}

mean() { # hyperfine JSON -> mean seconds of command $2
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$1" "$2"
}

printf '{ "name": "bench" }\n' >"$tmp/bench.json"
"$sbox" create "$tmp/bench.json" --name ref >/dev/null
tar -cf "$tmp/default.tar" -C "$SBOX_HOME/ref/Data" .
mkdir -p "$tmp/x"
hyperfine --warmup 3 --runs "$RUNS" --export-json "$tmp/create.json" \
	--prepare "$sbox rm one >/dev/null 2>&1 || true" \
	"$sbox create $tmp/bench.json --name one" \
	--prepare "rm -rf $tmp/x/d" \
	"mkdir $tmp/x/d && tar -xf $tmp/default.tar -C $tmp/x/d" >/dev/null
c=$(mean "$tmp/create.json" 0); t=$(mean "$tmp/create.json" 1)
awk -v c="$c" -v t="$t" 'BEGIN { printf "create (default template): sbox %.2f ms, tar -x %.2f ms, ratio %.2f (target <= 1.5)\n", c*1000, t*1000, c/t }'

# 200 MB in 2,000 files of 100 KiB, in 20 folders.
"$sbox" create "$tmp/bench.json" --name big >/dev/null
data="$SBOX_HOME/big/Data/payload"
mkdir -p "$data"
head -c 102400 /dev/urandom >"$tmp/blob"
i=0
while [ $i -lt 20 ]; do
	mkdir "$data/d$i"; j=0
	while [ $j -lt 100 ]; do
		{ echo "$i.$j"; cat "$tmp/blob"; } | head -c 102400 >"$data/d$i/f$j"; j=$((j + 1))
	done
	i=$((i + 1))
done
echo "payload: $(du -sm "$SBOX_HOME/big/Data" | cut -f1) MB in $(find "$SBOX_HOME/big/Data" -type f | wc -l) files"
hyperfine --warmup 1 --runs "$BIG_RUNS" --export-json "$tmp/big.json" \
	--prepare "rm -f $tmp/big.tar; $sbox rm big2 >/dev/null 2>&1 || true" \
	"$sbox export big $tmp/big.tar && $sbox import $tmp/big.tar --name big2" \
	--prepare "rm -rf $tmp/plain.tar $tmp/x/p" \
	"tar -cf $tmp/plain.tar -C $SBOX_HOME/big/Data . && mkdir $tmp/x/p && tar -xf $tmp/plain.tar -C $tmp/x/p" >/dev/null
c=$(mean "$tmp/big.json" 0); t=$(mean "$tmp/big.json" 1)
awk -v c="$c" -v t="$t" 'BEGIN { printf "export+import 200 MB: sbox %.0f ms, tar -c + tar -x %.0f ms, ratio %.2f\n", c*1000, t*1000, c/t }'
