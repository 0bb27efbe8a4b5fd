#!/bin/sh
# A grant must not reach past the denies through a symlink sbox follows.
# 1. /proc/self/root names "/": a grant spelled through it mounted the
#    host's files with none of the denies computed from the written path,
#    the seal key's folder included (any definition could then forge a
#    seal). 2. A link in a shared folder (made by a program a root launch
#    ran, so root's; or, as an unprivileged launch sees it, anyone's that
#    is not the caller's) redirected a later container's grant into the
#    user's home. 3. learn never proposes the seal key, nor a path the
#    definition denies spelled through a system link (/lib -> usr/lib).
# Runs as root and as the unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

store_attack_init

# secret LABEL FILE: the container printed none of the secrets
no_secret() {
	if grep -q -e SSH-SECRET -e KEY-BYTES "$2"; then
		not_ok "$1"
		sed 's/^/#   /' "$2"
	elif ! grep -q RAN "$2"; then
		not_ok "$1: the program did not run"
		sed 's/^/#   /' "$2"
	else
		ok "$1"
	fi
}

# reads, inside: the home's ssh key and the seal key (marked when read)
READS='cat "$0/.ssh/id" 2>/dev/null; od -An -tx1 "$0/.local/share/sbox/seal/key" 2>/dev/null | sed "s/^/KEY-BYTES /" | head -1; echo RAN'

suite() {
	label=$1 user=$2
	# not under /tmp, which is the container's own: there the host's
	# folders would be hidden whatever the grants
	suite_dir links /var/tmp
	DIRS="$DIRS $d"
	mkdir -p "$d/proj" "$d/home/.ssh" "$d/home/.gnupg" "$d/home/.aws" \
		"$d/home/Library/Keychains" "$d/shared" "$d/L"
	echo SSH-SECRET >"$d/home/.ssh/id"
	[ -n "$user" ] && chown -R "$user" "$d/proj" "$d/home" "$d/L"
	S=$d/proj/.sbox
	sb "$S" run --preset base -- true >"$d/out" 2>&1 &&
		[ -s "$d/home/.local/share/sbox/seal/key" ] ||
		{ not_ok "$label: the seal key was made"; sed 's/^/#   /' "$d/out"; }

	# 1. grants through /proc/self/root
	for g in "$d/home" "$d/home/.local/share/sbox/seal"; do
		sb "$S" run --preset base --read "/proc/self/root$g" -- \
			sh -c "$READS" "$d/home" >"$d/out" 2>&1
		no_secret "$label: --read /proc/self/root$g reaches nothing denied" "$d/out"
	done

	# 2. a link planted in a shared folder: by a program root ran, or
	# by root for the unprivileged user (another user's, as it sees it)
	if [ -z "$user" ]; then
		sb "$S" launch --preset base --name planter --write "$d/shared" -- \
			ln -s "$d/home" "$d/shared/cfg" >"$d/out" 2>&1
	else
		ln -s "$d/home" "$d/shared/cfg"
	fi
	[ -L "$d/shared/cfg" ] || { not_ok "$label: the link was planted"; sed 's/^/#   /' "$d/out"; }
	sb "$S" run --preset base --read "$d/shared/cfg" -- \
		sh -c "$READS" "$d/home" >"$d/out" 2>&1
	no_secret "$label: a planted link does not redirect a grant" "$d/out"
	expect_grep "not following symlink '$d/shared/cfg'" "$d/out" \
		"$label: the skipped link is named"

	# a system link still works: /bin is usr/bin on merged-/usr systems
	sb "$S" run --preset base -- /bin/sh -c 'echo bin-ok' >"$d/out" 2>&1
	expect_grep "^bin-ok" "$d/out" "$label: /bin/sh runs"

	# 3. learn: the seal key and a deny spelled through /lib
	# the definition grants the C library's folder, not /lib: a read of
	# /lib/... is refused and learned
	cat >"$d/L/m.json" <<EOF
{"name": "m", "home": "container",
 "filesystem": {"exec": ["/usr/bin", "/bin"], "read": ["$LIBDIR", "/lib64"],
                "deny": ["/usr/lib/sbox-t0544/secret"]}, "network": "none"}
EOF
	( cd "$d/L" && run_as "$user" env HOME="$d/home" XDG_DATA_HOME= \
		SBOX_HOME="$S" "$SBOX" learn m.json --format json -- sh -c \
		"cat /lib/sbox-t0544/secret/s $d/home/.local/share/sbox/seal/key" \
		) >"$d/prop" 2>"$d/out"
	if grep -q "seal/key\|/seal\"" "$d/prop"; then
		not_ok "$label: learn proposes the seal key"
		sed 's/^/#   /' "$d/prop"
	else
		ok "$label: learn does not propose the seal key"
	fi
	if [ -L /lib ] && [ "$(readlink /lib)" = usr/lib ]; then
		if grep -q "sbox-t0544" "$d/prop"; then
			not_ok "$label: learn proposes /lib/... which the definition denies as /usr/lib/..."
			sed 's/^/#   /' "$d/prop" "$d/out"
		else
			ok "$label: learn does not propose a denied path spelled through /lib"
		fi
		expect_grep "it is /usr/lib/sbox-t0544/secret/s, which the definition denies" \
			"$d/out" "$label: learn says why"
	fi
}

LIBDIR=$(dirname "$(readlink -f "$(ldd /bin/cat | awk '/libc\.so/ {print $3}')")")
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p /usr/lib/sbox-t0544/secret
	echo LIB-SECRET >/usr/lib/sbox-t0544/secret/s
	trap 'for d in $DIRS; do rm -rf "$d"; done; rm -rf "$T_TMP" /usr/lib/sbox-t0544' EXIT
fi
run_suites
done_testing
