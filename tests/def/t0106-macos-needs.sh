#!/bin/sh
# The needs table (tests/def/macos-needs.tsv, issue 9 §1): one row per
# thing a program needs on current macOS, decided by `sbox explain` on the
# compiled definition. A row that is deliberately denied says why.
. "$TOP/tests/lib/test-lib.sh"
export SBOX_DATADIR="$TOP"
table="$TOP/tests/def/macos-needs.tsv"
C=/Users/me/Library/Containers/app/Data
tab=$(printf '\t')
rows=0
grep -v '^#' "$table" >"$T_TMP/rows"
while IFS="$tab" read -r def op arg want src why; do
	[ -n "$def" ] || continue
	rows=$((rows + 1))
	case "$def" in
	*.json) file="$TOP/tests/def/needs/$def" ;;
	*) file="$TOP/profiles/$def.json" ;;
	esac
	if [ "$arg" = "-" ]; then set -- "$op"; else set -- "$op" "$arg"; fi
	"$SBOX" explain --target macos "$file" "$@" -D HOME=/Users/me -D PROJECT=/Users/me/src/app \
		-D CONTAINER=$C -D TMPDIR=$C/tmp >"$T_TMP/out" 2>&1
	rc=$?
	got=$(head -1 "$T_TMP/out" | cut -d' ' -f1)
	wantrc=0; [ "$want" = deny ] && wantrc=1
	if [ -z "$src" ]; then
		not_ok "$def $op $arg: no source"
	elif [ "$want" = deny ] && [ -z "$why" ]; then
		not_ok "$def $op $arg: a deny row must say why"
	elif [ "$rc" -eq "$wantrc" ] && [ "$got" = "$want" ]; then
		ok "$def $op $arg: $want"
	else
		not_ok "$def $op $arg: wanted $want, got '$got' (exit $rc)"
		sed 's/^/#   /' "$T_TMP/out" | head -6
	fi
done <"$T_TMP/rows"
[ "$rows" -ge 40 ] && ok "$rows needs" || not_ok "only $rows needs (at least 40)"

# What explain cannot decide from a name: the outbound mode's sockets for
# DNS and network changes (chromium network.sb), in the emitted text.
"$SBOX" compile "$TOP/tests/def/needs/outbound.json" -D HOME=/Users/me \
	-D PROJECT=/p -D CONTAINER=$C >"$T_TMP/outbound.sb" 2>&1
expect_grep '(require-all (socket-domain AF_SYSTEM) (socket-protocol 2))' "$T_TMP/outbound.sb" "outbound: AF_SYSTEM control sockets"
expect_grep '(socket-domain AF_ROUTE))' "$T_TMP/outbound.sb" "outbound: routing sockets"
expect_grep '(control-name "com.apple.netsrc")' "$T_TMP/outbound.sb" "outbound: netsrc control socket"
"$SBOX" compile "$TOP/profiles/base.json" -D HOME=/Users/me -D PROJECT=/p \
	-D CONTAINER=$C >"$T_TMP/base.sb" 2>&1
if grep -q 'system-socket' "$T_TMP/base.sb"; then not_ok "base has system sockets"; else ok "no system sockets without network"; fi
done_testing
