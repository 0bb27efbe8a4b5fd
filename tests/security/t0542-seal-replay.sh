#!/bin/sh
# Replay of a sealed definition (the hole t0541's seal left): store A lies
# in the project, which a container of store B may write. The program in
# it saves store A's sealed definition.json + definition.seal while the
# victim is loose ("network": "all"); the user tightens the file to
# "none" and launches it (sbox reseals); the program puts the saved pair
# back. The seal still verifies (sbox made it, same name, same key), so
# without more a launch by name ran the loose policy again. sbox records
# the seal each container should have now in the key folder, out of every
# container's reach, and wants the stored seal to equal it. Also: a
# same-named container's pair copied from another store; the crash window
# of an update (record written, container not yet); rm forgets the
# record. Runs as root and as the unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

store_attack_init

# Run inside the attacker's container: copy the definition + seal pair of
# container folder $1 to folder $2.
cat >"$T_TMP/pair.sh" <<'EOF'
#!/bin/sh
mkdir -p "$2" && cp "$1/definition.json" "$1/definition.seal" "$2/" &&
	echo copied=1
EOF
chmod 755 "$T_TMP/pair.sh"

# inside FROM TO: the attacker (store B) copies a pair from FROM to TO
inside() {
	sb "$B" launch "$d/proj/attacker.json" -- "$d/pair.sh" "$1" "$2" \
		>"$d/out" 2>&1
	grep -q "copied=1" "$d/out" && return 0
	not_ok "$label: the program in store B's container could not copy $1"
	sed 's/^/#   /' "$d/out"
	return 1
}

# refused_by_name LABEL WHAT: `launch victim` from store A exits 2 saying
# WHAT, and never runs in the host's network
refused_by_name() {
	sb "$A" launch victim -- readlink /proc/self/ns/net >"$d/out" 2>&1
	rc=$?
	if grep -qxF "$HOSTNET" "$d/out"; then
		not_ok "$1: ran by name in the host's network (the old policy)"
	elif [ $rc -eq 2 ] && grep -q "$2" "$d/out"; then
		ok "$1: refused by name (exit 2)"
		return 0
	else
		not_ok "$1: launch by name: exit $rc"
	fi
	sed 's/^/#   /' "$d/out"
	return 1
}

# runs_by_name LABEL: `launch victim` from store A runs, not in the host's
# network (the tightened policy)
runs_by_name() {
	if sb "$A" launch victim -- readlink /proc/self/ns/net >"$d/out" 2>&1 &&
	   grep -q '^net:' "$d/out" && ! grep -qxF "$HOSTNET" "$d/out"; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/#   /' "$d/out"
	fi
}

# the record's file: SHA-256 of the store's real path, a NUL, the name
record_of() {
	h=$(printf '%s\000%s' "$(realpath "$1")" "$2" | sha256sum | cut -d' ' -f1)
	echo "$KEYDIR/current/$h"
}

suite() {
	label=$1 user=$2
	home_suite_dir replay
	cp "$T_TMP/pair.sh" "$d/pair.sh"
	mkdir "$d/other"
	A=$d/proj/.sboxA B=$d/other/storeB C=$d/proj/.sboxC
	KEYDIR=$d/home/.local/share/sbox/seal
	printf '{"name": "victim", "extends": ["base"], "network": "all"}\n' \
		>"$d/proj/victim.json"
	cat >"$d/proj/attacker.json" <<EOF
{"name": "attacker", "extends": ["base"],
 "filesystem": {"write": ["\${PROJECT}"], "exec": ["$d/pair.sh"]},
 "network": "none"}
EOF
	[ -n "$user" ] && chown -R "$user" "$d/proj" "$d/home" "$d/other"

	# 1. replay: the loose pair saved, the file tightened, the pair back
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: made the loose victim"; sed 's/^/#   /' "$d/out"; }
	inside "$A/victim" "$d/proj/saved" &&
		ok "$label: the program saved the loose sealed pair"
	printf '{"name": "victim", "extends": ["base"], "network": "none"}\n' \
		>"$d/proj/victim.json"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: the tightened file"; sed 's/^/#   /' "$d/out"; }
	runs_by_name "$label: the tightened victim runs by name"
	inside "$d/proj/saved" "$A/victim"
	grep -q '"all"' "$A/victim/definition.json" ||
		not_ok "$label: the loose definition is back in store A"
	refused_by_name "$label: the replayed loose pair" \
		"not the version sbox sealed last"
	sb "$A" launch victim --read /usr/share -- true >"$d/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && ok "$label: ... and with grants on top" ||
		{ not_ok "$label: with grants: exit $rc"; sed 's/^/#   /' "$d/out"; }
	sb "$A" export victim "$d/other/victim.tar" >"$d/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && ! [ -e "$d/other/victim.tar" ] &&
		ok "$label: the replayed pair is not exported" ||
		{ not_ok "$label: export of the replayed pair: exit $rc"; sed 's/^/#   /' "$d/out"; }
	sb "$A" show victim >"$d/out" 2>&1
	expect_grep "^seal: *sealed, but not the version sbox sealed last" \
		"$d/out" "$label: show says so"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: relaunch of the file"; sed 's/^/#   /' "$d/out"; }
	runs_by_name "$label: a launch of the file repairs it"

	# 2. a same-named container's sealed pair from another store
	printf '{"name": "victim", "extends": ["base"], "network": "all"}\n' \
		>"$d/proj/loose.json"
	[ -n "$user" ] && chown "$user" "$d/proj/loose.json"
	sb "$C" launch "$d/proj/loose.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: made victim in store C"; sed 's/^/#   /' "$d/out"; }
	inside "$C/victim" "$A/victim"
	refused_by_name "$label: store C's pair copied into store A" \
		"not the version sbox sealed last"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1
	runs_by_name "$label: ... repaired by a launch of the file"

	# 3. the crash window of an update: record written, container not
	# (a folder where the pending seal goes stops the update there)
	mkdir "$A/victim/.definition.seal.new"
	printf '{"name": "victim", "extends": ["base"], "network": "none",
 "filesystem": {"read": ["/usr/share/doc"]}}\n' >"$d/proj/victim.json"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 &&
		not_ok "$label: the update did not stop"
	grep -q "/usr/share/doc" "$A/victim/definition.json" &&
		not_ok "$label: the stopped update changed definition.json"
	refused_by_name "$label: an update stopped after its record" \
		"launch it from its definition file"
	rmdir "$A/victim/.definition.seal.new"
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: relaunch after the stop"; sed 's/^/#   /' "$d/out"; }
	runs_by_name "$label: ... repaired by a launch of the file"
	grep -q "/usr/share/doc" "$A/victim/definition.json" &&
		ok "$label: ... which is the definition now stored" ||
		not_ok "$label: the repaired container has the new definition"

	# 4. the record: the seal, private, the user's; rm forgets it
	rec=$(record_of "$A" victim)
	cmp -s "$rec" "$A/victim/definition.seal" &&
		ok "$label: the record holds the current seal" ||
		not_ok "$label: no record equal to the seal at $rec"
	[ "$(stat -c %a "$rec" 2>/dev/null)" = 600 ] &&
	[ "$(stat -c %a "$KEYDIR/current" 2>/dev/null)" = 700 ] &&
		ok "$label: record 0600 in a 0700 folder" ||
		not_ok "$label: record modes not 0600 / 0700"
	if [ -n "$user" ]; then
		[ "$(stat -c %U "$rec" 2>/dev/null)" = "$user" ] &&
			ok "$label: the record is the user's" ||
			not_ok "$label: record owner not the user"
		# root through sudo records for the invoking user
		uhome=$(getent passwd "$user" | cut -d: -f6)
		( cd "$d/proj" && SUDO_UID=$(id -u "$user") SUDO_GID=$(id -g "$user") \
			SBOX_HOME="$d/other/storeD" "$SBOX" launch \
			"$d/proj/victim.json" -- true ) >"$d/out" 2>&1
		KEYDIR=$uhome/.local/share/sbox/seal
		srec=$(record_of "$d/other/storeD" victim)
		KEYDIR=$d/home/.local/share/sbox/seal
		[ "$(stat -c %U "$srec" 2>/dev/null)" = "$user" ] &&
		[ "$(stat -c %U "$(dirname "$srec")" 2>/dev/null)" = "$user" ] &&
			ok "$label: under sudo the record is the user's" ||
			{ not_ok "$label: under sudo: record $srec not the user's"; sed 's/^/#   /' "$d/out"; }
	fi
	sb "$A" rm victim >"$d/out" 2>&1 ||
		{ not_ok "$label: rm"; sed 's/^/#   /' "$d/out"; }
	[ ! -e "$rec" ] && ok "$label: rm removes the record" ||
		not_ok "$label: rm left the record"
	[ -e "$(record_of "$C" victim)" ] &&
		ok "$label: ... and only that store's" ||
		not_ok "$label: store C's record is gone"
}

run_suites
done_testing
