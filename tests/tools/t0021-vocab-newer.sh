#!/bin/sh
# The vocabulary newer than 10.15 (tools/vocab-newer.tsv, issue 9 §1
# "Modern vocabulary"): every row is known from the release it names and,
# for operations and filters, unknown to the release before; every row
# names a source. A profile from a current macOS release that uses them
# checks clean; vocab_data.c is what the generator makes of the table.
. "$TOP/tests/lib/test-lib.sh"
table="$TOP/tools/vocab-newer.tsv"
tab=$(printf '\t')
prev_of() {
	case "$1" in
	10.1[3-5]) echo "10.$((${1#10.} - 1))" ;;
	11) echo 10.15 ;;
	1[2-5]) echo $(($1 - 1)) ;;
	*) echo "" ;;
	esac
}
n=0
grep -v '^#' "$table" | while IFS="$tab" read -r kind name parent extra since src; do
	[ -n "$kind" ] || continue
	n=$((n + 1))
	[ -n "$src" ] || { not_ok "$name: no source"; continue; }
	case "$kind" in
	op) body="(allow $name)" ;;
	op-old) continue ;;
	filter)
		case "$name" in
		kernel-mig-routine) arg=mach_port_names ;;
		machtrap-number) arg=MSC_mach_reply_port ;;
		fcntl-command) arg=F_GETPATH ;;
		mac-policy-name) arg='"Sandbox"' ;;
		*) arg=1 ;;
		esac
		body="(allow default ($name $arg))" ;;
	named) body="(allow file-read* (system-attribute $name))" ;;
	procedure)
		case "$name" in
		with-filter) body='(with-filter (global-name "com.apple.x") (allow mach-lookup))' ;;
		*) body="($name)" ;;
		esac ;;
	modifier) body="(deny default (with $name 1))" ;;
	*) echo "not ok - unknown kind $kind"; continue ;;
	esac
	printf '(version 1)\n(import "system.sb")\n%s\n' "$body" >"$T_TMP/p.sb"
	"$SBOX" check --macos "$since" --disable import --disable io "$T_TMP/p.sb" >"$T_TMP/out" 2>&1
	if grep -q 'error' "$T_TMP/out"; then
		echo "not ok - $kind $name: not known on macOS $since"; sed 's/^/#   /' "$T_TMP/out" | head -4
		echo x >>"$T_TMP/failed"
	else
		echo "ok - $kind $name known from macOS $since"
	fi
	prev=$(prev_of "$since")
	case "$kind" in op|filter) ;; *) continue ;; esac
	[ -n "$prev" ] || continue
	"$SBOX" check --macos "$prev" --disable import --disable io "$T_TMP/p.sb" >"$T_TMP/out" 2>&1
	if grep -q 'op-unavailable\|unbound-variable' "$T_TMP/out"; then
		echo "ok - $kind $name unknown on macOS $prev"
	else
		echo "not ok - $kind $name already known on macOS $prev"; echo x >>"$T_TMP/failed"
	fi
done
[ -f "$T_TMP/failed" ] && not_ok "$(wc -l <"$T_TMP/failed") vocabulary rows wrong" || ok "every vocabulary row as its release says"

# a profile in the style of the current releases' own profiles checks clean
cat >"$T_TMP/modern.sb" <<'SB'
(version 1)
(disable-syscall-inference)
(deny default)
(import "system.sb")
(deny mach-task-special-port-get mach-task-special-port-set)
(allow syscall-mig (kernel-mig-routine mach_port_names host_info))
(deny syscall-mig (kernel-mig-routine task_set_special_port) (with errno 1))
(allow syscall-mach (machtrap-number MSC_iokit_user_client_trap))
(allow system-fcntl (fcntl-command F_GETPATH F_CHECK_LV))
(deny system-kas-info)
(with-filter (mac-policy-name "Sandbox") (allow system-mac-syscall (mac-syscall-number 2 5)))
(allow system-necp-client-action)
(allow syscall-mig (with report) (system-attribute developer-mode))
SB
"$SBOX" check --macos 15 --disable import --disable io "$T_TMP/modern.sb" >"$T_TMP/out" 2>&1
if grep -q 'error' "$T_TMP/out"; then not_ok "a current-style profile has errors"; sed 's/^/#   /' "$T_TMP/out" | head; else ok "a current-style profile checks clean on 15"; fi
# kernel names are accepted only where a kernel table is meant
printf '(version 1)\n(allow file-read* (subpath my_dir))\n' >"$T_TMP/typo.sb"
expect_rc 1 "an unbound underscore name in a path filter is still an error" "$SBOX" check "$T_TMP/typo.sb"
for r in 11 12 13 14 15; do
	expect_rc 0 "--macos $r accepted" "$SBOX" check --macos $r --disable import --disable io "$T_TMP/modern.sb"
done
expect_rc 1 "--macos 10.15 rejects the newer names" "$SBOX" check --macos 10.15 --disable import --disable io "$T_TMP/modern.sb"

# the committed table is what the generator makes of the data
if command -v python3 >/dev/null && [ -d /work/shared/sbpl-data ]; then
	python3 "$TOP/tools/gen-vocab.py" /work/shared/sbpl-data >"$T_TMP/vocab_data.c" 2>"$T_TMP/err"
	cmp -s "$T_TMP/vocab_data.c" "$TOP/src/policy/vocab_data.c" &&
		ok "src/policy/vocab_data.c is up to date with tools/vocab-newer.tsv" ||
		not_ok "src/policy/vocab_data.c differs from tools/gen-vocab.py's output"
fi
done_testing
