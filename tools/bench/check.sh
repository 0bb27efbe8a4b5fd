#!/bin/sh
# Benchmark `sbox check` over the whole shared corpus against
# `grep -c '('` over the same files (both one process per file, in one
# hyperfine run), then the peak RSS of `sbox check` on the largest profile.
#
#   tools/bench/check.sh [SBOX] [CORPUS]
#
# Prints the median ratio check/grep (target: <= 5) and the peak RSS.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
sbox=${1:-$top/build/sbox}
corpus=${2:-}
if [ -z "$corpus" ]; then
	for d in "$top/../shared/corpus" /work/shared/corpus; do
		[ -f "$d/EXPECT.tsv" ] && { corpus=$d; break; }
	done
fi
[ -n "$corpus" ] || { echo "no corpus (../shared/corpus)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 2; }
sbox=$(cd "$(dirname "$sbox")" && pwd)/$(basename "$sbox")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One line per checked file: "ARGS|FILE", from EXPECT.tsv ('|' rather
# than a tab: read would merge an empty ARGS field into FILE).
tab=$(printf '\t')
while IFS= read -r line; do
	file=${line%%"$tab"*};   rest=${line#*"$tab"}
	expect=${rest%%"$tab"*}; rest=${rest#*"$tab"}
	args=${rest%%"$tab"*}
	[ "$file" = file ] || [ "$expect" = skip ] && continue
	printf '%s|%s\n' "$args" "$file"
done <"$corpus/EXPECT.tsv" >"$tmp/list"

cat >"$tmp/check.sh" <<SH
cd "$corpus"
while IFS='|' read -r args file; do
	"$sbox" check \$args "\$file" >/dev/null 2>&1 || true
done <"$tmp/list"
SH
cat >"$tmp/grep.sh" <<SH
cd "$corpus"
while IFS='|' read -r args file; do
	grep -c '(' "\$file" >/dev/null 2>&1 || true
done <"$tmp/list"
SH

echo "files: $(wc -l <"$tmp/list") (from $corpus/EXPECT.tsv)"
hyperfine --warmup 1 --runs "${RUNS:-10}" --export-json "$tmp/h.json" \
	-n "sbox check" "sh $tmp/check.sh" -n "grep -c '('" "sh $tmp/grep.sh"
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, g = r["sbox check"]["median"], r["grep -c '('"]["median"]
print("median: sbox check %.3fs, grep %.3fs, ratio %.2f (target <= 5)" % (c, g, c / g))
PY

largest=$(cd "$corpus" && while IFS='|' read -r args file; do
	printf '%s|%s|%s\n' "$(wc -c <"$file")" "$args" "$file"; done <"$tmp/list" |
	sort -n | tail -1)
size=${largest%%|*}; rest=${largest#*|}
args=${rest%%|*}; file=${rest#*|}
cd "$corpus"
# shellcheck disable=SC2086 # args holds several words
/usr/bin/time -v "$sbox" check $args "$file" >/dev/null 2>"$tmp/time" || true
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
echo "largest profile: $file ($size bytes): peak RSS ${rss} KiB"
