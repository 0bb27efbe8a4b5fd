#!/bin/sh
# --trace stays bounded: 100,000 refusals of one access are one record
# with a count; 100,000 distinct ones are at most DENIALS_MAX_DISTINCT
# (4096) records and a closing count, in bounded memory.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
d=$T_TMP/tree
mkdir -p "$d/ro" "$d/store"
cat >"$d/def.json" <<JSON
{ "extends": ["base"], "filesystem": { "read": ["$d/ro"] } }
JSON
export SBOX_HOME="$d/store" PATH=/usr/bin:/bin

# run NAME PYTHON: the program under --trace; max RSS of sbox in NAME.rss
run() {
	/usr/bin/time -f %M -o "$d/$1.rss" "$SBOX" run "$d/def.json" \
		--trace="$d/$1.jsonl" -- python3 -c "$2" >/dev/null 2>"$d/$1.err"
}
run same "
for i in range(100000):
    try: open('$d/ro/x', 'w')
    except OSError: pass
"
n=$(wc -l <"$d/same.jsonl")
[ "$n" -eq 1 ] && ok "one access refused 100,000 times: one record" ||
	not_ok "one access refused 100,000 times: $n records"
expect_grep '"count":100000' "$d/same.jsonl" "the record counts 100,000"
expect_grep "100000 accesses were denied" "$d/same.err" "the summary counts them"

run distinct "
for i in range(100000):
    try: open('$d/ro/f%d' % i, 'w')
    except OSError: pass
"
n=$(wc -l <"$d/distinct.jsonl")
[ "$n" -eq 4097 ] && ok "100,000 distinct refusals: 4096 records and a count" ||
	not_ok "100,000 distinct refusals: $n lines"
expect_grep '{"total":100000,"distinct-not-recorded":95904}' \
	"$d/distinct.jsonl" "the closing line counts the rest"
size=$(wc -c <"$d/distinct.jsonl")
[ "$size" -lt 2000000 ] && ok "the record is $size bytes" ||
	not_ok "the record is $size bytes"
rss=$(cat "$d/distinct.rss")
# AddressSanitizer's shadow and quarantine are not sbox's memory
if nm "${BUILD:-}/obj/util/err.o" 2>/dev/null | grep -q __asan_; then
	ok "memory not measured under ASan (${rss} KiB)"
elif [ "$rss" -lt 65536 ]; then
	ok "sbox stayed at ${rss} KiB"
else
	not_ok "sbox grew to ${rss} KiB"
fi
lines=$(wc -l <"$d/distinct.err")
[ "$lines" -le 2 ] && ok "the summary is one line" ||
	not_ok "the summary is $lines lines"
done_testing
