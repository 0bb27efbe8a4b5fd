#!/bin/sh
# sbox explain answers for the system it runs on: a DEFINITION with the
# Linux launch plan on Linux and the compiled profile on macOS; a .sb
# profile, --macos VERSION and --from-trace are macOS. An operation the
# Linux plan cannot decide is exit 2 with the hint to add --target macos.
# --target linux --from-trace crashed (it read the missing OPERATION);
# now it is exit 2 with a message, for good, empty and garbled files.
. "$TOP/tests/lib/test-lib.sh"

case "$(uname -s)" in
Linux) host=linux ;;
Darwin) host=macos ;;
*) skip_all "neither Linux nor macOS" ;;
esac
mkdir -p "$T_TMP/proj"
cd "$T_TMP/proj" || exit 1
cat >dev.json <<'EOF'
{"name": "dev", "extends": ["base"], "network": "none"}
EOF
printf '(version 1)\n(deny default)\n(allow file-read* (subpath "/private/etc"))\n' >p.sb

# the marks of each model's answer
linux_answer() { grep -q "target:     linux (the launch plan)" "$1"; }
macos_answer() { grep -q "^  chain:" "$1" && ! linux_answer "$1"; }

# 1. a definition: the system sbox runs on
expect_rc 0 "definition, no --target: allowed" \
	"$SBOX" explain dev.json file-read-data /etc/passwd
if [ $host = linux ]; then
	linux_answer "$T_TMP/out" && ok "definition: the Linux plan by default on Linux" ||
		{ not_ok "definition: not the Linux plan on Linux"; sed 's/^/#   /' "$T_TMP/out"; }
else
	macos_answer "$T_TMP/out" && ok "definition: the profile by default on macOS" ||
		{ not_ok "definition: not the profile on macOS"; sed 's/^/#   /' "$T_TMP/out"; }
fi
expect_rc 0 "--format json names the target" \
	"$SBOX" explain --format json dev.json file-read-data /etc/passwd
expect_grep "\"target\": \"$host\"" "$T_TMP/out" "... which is $host"
# --target picks either, whatever the system
expect_rc 0 "--target macos" "$SBOX" explain --target macos dev.json file-read-data /etc/passwd
macos_answer "$T_TMP/out" && ok "--target macos: the profile's answer" ||
	{ not_ok "--target macos: not the profile's answer"; sed 's/^/#   /' "$T_TMP/out"; }
expect_rc 0 "--target linux" "$SBOX" explain --target linux dev.json file-read-data /etc/passwd
linux_answer "$T_TMP/out" && ok "--target linux: the plan's answer" ||
	{ not_ok "--target linux: not the plan's answer"; sed 's/^/#   /' "$T_TMP/out"; }

# 2. a .sb profile: macOS, on every system
expect_rc 0 "a profile, no --target" "$SBOX" explain p.sb file-read-data /etc/hosts
macos_answer "$T_TMP/out" && ok "a profile is answered by the macOS model" ||
	{ not_ok "a profile: not the macOS model"; sed 's/^/#   /' "$T_TMP/out"; }
expect_rc 1 "a profile: deny" "$SBOX" explain p.sb file-read-data /usr/x
expect_rc 2 "a profile with --target linux: exit 2" \
	"$SBOX" explain --target linux p.sb file-read-data /etc/hosts
expect_grep "not a profile" "$T_TMP/err" "... it says a profile is not for linux"

# 3. --macos VERSION implies --target macos
expect_rc 0 "--macos 14 on a definition" \
	"$SBOX" explain --macos 14 dev.json file-read-data /etc/passwd
macos_answer "$T_TMP/out" && ok "--macos VERSION answers with the macOS model" ||
	{ not_ok "--macos VERSION: not the macOS model"; sed 's/^/#   /' "$T_TMP/out"; }
expect_rc 2 "--macos 14 --target linux: exit 2" \
	"$SBOX" explain --macos 14 --target linux dev.json file-read-data /etc/passwd
expect_grep "macos VERSION is for --target macos" "$T_TMP/err" "... saying why"

# 4. macOS-only operations on the Linux target: exit 2, hint --target macos
for op in "mach-lookup com.apple.lsd.mapdb" "iokit-open IOSurfaceRootUserClient" \
	  "sysctl-read kern.osversion" "network-outbound 1.2.3.4:443"; do
	# shellcheck disable=SC2086
	expect_rc 2 "--target linux ${op%% *}: exit 2" \
		"$SBOX" explain --target linux dev.json $op
	expect_grep "cannot decide '${op%% *}'.*add --target macos" "$T_TMP/err" \
		"... with the hint to add --target macos"
	# shellcheck disable=SC2086
	"$SBOX" explain --target macos dev.json $op >"$T_TMP/out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 1 ] && ok "--target macos ${op%% *}: answered ($rc)" ||
		{ not_ok "--target macos ${op%% *}: exit $rc"; sed 's/^/#   /' "$T_TMP/out"; }
done
if [ $host = linux ]; then
	expect_rc 2 "mach-lookup by default on Linux: exit 2" \
		"$SBOX" explain dev.json mach-lookup com.apple.lsd.mapdb
	expect_grep "add --target macos" "$T_TMP/err" "... with the hint"
fi

# 5. --from-trace: macOS by default; with --target linux exit 2, never a crash
F=$TOP/tests/trace
expect_rc 1 "--from-trace, no --target: explained (deny)" \
	"$SBOX" explain --from-trace "$F/fixture.jsonl" "$F/fixture-def.json"
expect_grep "decided by: .*fixture-def.json:5:14" "$T_TMP/out" \
	"... with the deciding rule of the definition"
: >"$T_TMP/empty.jsonl"
printf '{"operation":"read",\001zz\n\000\377{]\n' >"$T_TMP/garbled.jsonl"
printf '{"time":"2026-12-04T16:53:22.740Z","pid":10,"program":"cat","operation":"read","path":"/root/.bashrc","count":1,"refused-by":"hidden","why":{"decision":"not granted","grant":"filesystem.read \\"/root/.bashrc\\""},"definition":"%s"}\n' \
	"$T_TMP/proj/dev.json" >"$T_TMP/read.jsonl"
traces="$F/fixture.jsonl $T_TMP/read.jsonl $T_TMP/empty.jsonl $T_TMP/garbled.jsonl $T_TMP/none.jsonl"
# a record of a real run, where this system can run one
if [ $host = linux ] && "$SBOX" run --trace="$T_TMP/run.jsonl" dev.json -- \
	cat /root/.bashrc "$HOME/.ssh/x" >/dev/null 2>&1 </dev/null; [ -s "$T_TMP/run.jsonl" ]; then
	traces="$traces $T_TMP/run.jsonl"
fi
for t in $traces; do
	for def in "" dev.json; do
		# shellcheck disable=SC2086
		expect_rc 2 "--target linux --from-trace $(basename "$t") ${def:-(no definition)}: exit 2" \
			"$SBOX" explain --target linux --from-trace "$t" $def
		expect_grep "only --target macos" "$T_TMP/err" "... saying what it cannot do"
		# shellcheck disable=SC2086
		"$SBOX" explain --format json --target linux --from-trace "$t" $def \
			>/dev/null 2>&1
		rc=$?
		[ $rc -eq 2 ] && ok "... and with --format json" ||
			not_ok "--format json --target linux --from-trace $(basename "$t"): exit $rc"
	done
done
expect_rc 0 "--from-trace of an empty file (macOS): nothing to explain" \
	"$SBOX" explain --from-trace "$T_TMP/empty.jsonl" dev.json
expect_rc 2 "--from-trace of a garbled file (macOS): exit 2" \
	"$SBOX" explain --from-trace "$T_TMP/garbled.jsonl" dev.json
expect_rc 1 "--from-trace of a read record, the definition it names (macOS)" \
	"$SBOX" explain --from-trace "$T_TMP/read.jsonl"

done_testing
