#!/bin/sh
# Issue 10 #6, the last hole: a store used earlier with another SBOX_HOME
# (so not the one a launch denies) lies inside a container's writable
# grant. The program edits that store's definition.json to
# "network": "all" and recomputes the plain SHA-256 digest in
# metadata.plist. The next launch by name from that store must refuse:
# the definition is sealed with an HMAC under a key no container can
# read. Also: the key's folder stays unreadable whatever the grants say;
# an unsealed (old) container is refused by name and sealed by a launch
# of its file; a tampered container is not exported.
# Runs as root and as the unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

store_attack_init

# The attack, run inside (test-lib.sh, tamper_script)
tamper_script "$T_TMP/attack.sh"

# check_net LABEL OUTFILE: ran, and not in the host's network
no_host_net() {
	if grep -qxF "$HOSTNET" "$2"; then
		not_ok "$1: ran in the host's network"
		sed 's/^/#   /' "$2"
		return 1
	fi
	return 0
}

suite() {
	label=$1 user=$2
	home_suite_dir seal
	cp "$T_TMP/attack.sh" "$d/attack.sh"
	mkdir "$d/other"
	A=$d/proj/.sboxA B=$d/other/storeB
	KEYDIR=$d/home/.local/share/sbox/seal
	cat >"$d/proj/victim.json" <<EOF
{"name": "victim", "extends": ["base"], "network": "none"}
EOF
	cat >"$d/proj/attacker.json" <<EOF
{"name": "attacker", "extends": ["base"],
 "filesystem": {"write": ["\${PROJECT}"], "exec": ["$d/attack.sh"]},
 "network": "none"}
EOF
	[ -n "$user" ] && chown -R "$user" "$d/proj" "$d/home" "$d/other"

	# 1. the victim lives in store A, inside the project
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: made the victim in store A"; sed 's/^/#   /' "$d/out"; }
	[ -s "$A/victim/definition.seal" ] && ok "$label: the victim is sealed" ||
		not_ok "$label: the victim is sealed"

	# 2. a container of store B writes the project, so store A
	sb "$B" launch "$d/proj/attacker.json" -- "$d/attack.sh" "$A" >"$d/out" 2>&1
	if grep -q "tampered=1" "$d/out"; then
		ok "$label: the program in store B's container edited store A"
	else
		not_ok "$label: the attack could not even edit store A"
		sed 's/^/#   /' "$d/out"
	fi
	grep -q '"all"' "$A/victim/definition.json" ||
		not_ok "$label: store A's definition says \"all\""

	# 3. the next launch by name from store A must refuse, not run "all"
	sb "$A" launch victim -- readlink /proc/self/ns/net >"$d/out" 2>&1
	rc=$?
	if no_host_net "$label: launch by name after the edit" "$d/out"; then
		if [ $rc -eq 2 ] && grep -q "does not match its seal" "$d/out" &&
		   grep -q "sbox rm victim" "$d/out"; then
			ok "$label: the edited definition is refused by name (exit 2)"
		else
			not_ok "$label: launch by name: exit $rc"
			sed 's/^/#   /' "$d/out"
		fi
	fi
	# ... also with grants on top of it
	sb "$A" launch victim --read /usr/share -- readlink /proc/self/ns/net \
		>"$d/out" 2>&1
	rc=$?
	no_host_net "$label: launch by name with grants" "$d/out" &&
		{ [ $rc -eq 2 ] && ok "$label: ... and with grants on top" ||
		  { not_ok "$label: with grants: exit $rc"; sed 's/^/#   /' "$d/out"; }; }
	# ... and it is not exported (an archive would carry the plain digest)
	sb "$A" export victim "$d/other/victim.tar" >"$d/out" 2>&1
	rc=$?
	if [ $rc -eq 2 ] && ! [ -e "$d/other/victim.tar" ]; then
		ok "$label: a tampered container is not exported"
	else
		not_ok "$label: export of a tampered container: exit $rc"
		sed 's/^/#   /' "$d/out"
	fi
	sb "$A" show victim >"$d/out" 2>&1
	expect_grep "^seal: *does not verify" "$d/out" "$label: show says the seal does not verify"

	# 4. the key cannot be read, replaced or listed from inside, even
	# with the whole home granted and its folder named outright; nor can
	# a grant of the container's own folder in the store open the store
	cat >"$d/proj/greedy.json" <<EOF
{"name": "greedy", "extends": ["base"],
 "filesystem": {"read": ["~", "$KEYDIR", "$B/greedy"],
                "write": ["~", "$KEYDIR", "$B/greedy"]},
 "network": "none"}
EOF
	[ -n "$user" ] && chown "$user" "$d/proj/greedy.json"
	before=$(sha256sum "$KEYDIR/key" | cut -d' ' -f1)
	sb "$B" launch "$d/proj/greedy.json" -- /bin/sh -c "
		cat '$KEYDIR/key' >/dev/null 2>&1 && echo read=yes
		ls '$KEYDIR' >/dev/null 2>&1 && echo list=yes
		echo x >'$KEYDIR/key' 2>/dev/null && echo write=yes
		mv '$KEYDIR' '$KEYDIR.moved' 2>/dev/null && echo move=yes
		cat '$B/greedy/definition.json' >/dev/null 2>&1 && echo store=yes
		rm -rf '$KEYDIR' 2>/dev/null
		echo done" >"$d/out" 2>&1
	if ! grep -q '^done' "$d/out"; then
		not_ok "$label: the key probe did not run"
		sed 's/^/#   /' "$d/out"
	elif grep -q '=yes' "$d/out"; then
		not_ok "$label: the key folder or the store is reachable from inside"
		sed 's/^/#   /' "$d/out"
	else
		ok "$label: the key folder and the store are out of reach, granted or not"
	fi
	[ "$(sha256sum "$KEYDIR/key" | cut -d' ' -f1)" = "$before" ] &&
		ok "$label: the key is unchanged" || not_ok "$label: the key changed"
	[ "$(stat -c %a "$KEYDIR")" = 700 ] && [ "$(stat -c %a "$KEYDIR/key")" = 600 ] &&
		ok "$label: key folder 0700, key 0600" ||
		not_ok "$label: key modes $(stat -c %a "$KEYDIR" "$KEYDIR/key")"
	if [ -n "$user" ]; then
		[ "$(stat -c %U "$KEYDIR/key")" = "$user" ] &&
			ok "$label: the key is the user's" || not_ok "$label: key owner"
	fi

	# 5. a container from before seals: refused by name, sealed by its file
	sb "$A" launch --recreate "$d/proj/victim.json" -- true >"$d/out" 2>&1
	rm -f "$A/victim/definition.seal"
	sb "$A" launch victim -- true >"$d/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "has no seal" "$d/out" &&
		grep -q "from its definition file (sbox launch FILE --name victim)" "$d/out" &&
		ok "$label: an unsealed container is refused by name" ||
		{ not_ok "$label: unsealed by name: exit $rc"; sed 's/^/#   /' "$d/out"; }
	sb "$A" show victim >"$d/out" 2>&1
	expect_grep "^seal: *not sealed" "$d/out" "$label: show says not sealed"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out1" 2>&1 &&
		sb "$A" launch victim -- readlink /proc/self/ns/net >"$d/out" 2>&1 &&
		no_host_net "$label: resealed" "$d/out" &&
		ok "$label: a launch of its file seals it; by name runs again" ||
		{ not_ok "$label: reseal by file"; sed 's/^/#   /' "$d/out"; }
	expect_grep "container 'victim' was not sealed with your key.*sealed now" "$d/out1" \
		"$label: the launch of its file says it sealed the container"
	sb "$A" export victim "$d/other/victim.tar" >"$d/out" 2>&1 &&
		ok "$label: a sealed container is exported" ||
		{ not_ok "$label: export"; sed 's/^/#   /' "$d/out"; }
	# root through sudo seals with the invoking user's key, in that
	# user's home (from the user database), owned by the user
	if [ -n "$user" ]; then
		uhome=$(getent passwd "$user" | cut -d: -f6)
		( cd "$d/proj" && SUDO_UID=$(id -u "$user") SUDO_GID=$(id -g "$user") \
			SBOX_HOME="$d/other/storeC" "$SBOX" launch "$d/proj/victim.json" \
			-- true ) >"$d/out" 2>&1
		if [ "$(stat -c %U "$uhome/.local/share/sbox/seal/key" 2>/dev/null)" = "$user" ] &&
		   [ "$(stat -c %U "$d/other/storeC/victim/definition.seal")" = "$user" ]; then
			ok "$label: under sudo the key and the seal are the user's"
		else
			not_ok "$label: under sudo: key or seal not the user's"
			sed 's/^/#   /' "$d/out"
		fi
	fi
	# another HOME, with no key: refused by name, and said so (not
	# "another key"); show says "no-key"
	mkdir -p "$d/home2"
	[ -n "$user" ] && chown "$user" "$d/home2"
	( cd "$d/proj" && run_as "$user" env HOME="$d/home2" XDG_DATA_HOME= \
		SBOX_HOME="$A" "$SBOX" launch victim -- true ) >"$d/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "no seal key in '$d/home2/" "$d/out" &&
		ok "$label: under a HOME without a key: refused, the missing key named" ||
		{ not_ok "$label: another HOME: exit $rc"; sed 's/^/#   /' "$d/out"; }
	( cd "$d/proj" && run_as "$user" env HOME="$d/home2" XDG_DATA_HOME= \
		SBOX_HOME="$A" "$SBOX" show --format json victim ) >"$d/out" 2>&1
	expect_grep '"seal": *"no-key"' "$d/out" "$label: show --format json says no-key"
	# imported: sealed with the importing user's key
	sb "$B" import "$d/other/victim.tar" >"$d/out" 2>&1 &&
		sb "$B" launch victim -- true >"$d/out" 2>&1 &&
		ok "$label: an imported container is sealed and runs by name" ||
		{ not_ok "$label: import"; sed 's/^/#   /' "$d/out"; }
}

run_suites
done_testing
