#!/bin/sh
# Issue 10 #6: a program must not choose its next policy by editing its
# container's stored definition. The store lies inside the writable
# project (SBOX_HOME=$PROJECT/.sbox), or is the default store under a
# writable home; the program rewrites definition.json to "network":"all"
# and fixes up the digest in metadata.plist like a careful attacker. The
# next launch, by file and by name, must not run in the host's network.
# Runs as root and as the unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

store_attack_init

# The attack, run inside (test-lib.sh, tamper_script)
tamper_script "$T_TMP/attack.sh"

# variant LABEL USER STORE-SETUP: $d/proj is the project; launch 1 runs
# the attack, launches 2 and 3 must not have the host's network
attempt() {
	alabel=$1 user=$2 def=$3
	( cd "$d/proj" && run_as "$user" env $ENVSET "$SBOX" launch "$def" -- \
		"$d/attack.sh" "$ATTACK_DIR" ) >"$d/out1" 2>&1
	if grep -q "tampered=1" "$d/out1"; then
		not_ok "$alabel: the program edited a stored definition"
	elif ! grep -q "tampered=0" "$d/out1"; then
		not_ok "$alabel: the attack did not even run"
		sed 's/^/#   /' "$d/out1"
	else
		ok "$alabel: the program cannot edit a stored definition"
	fi
	for how in "$def" "$NAME"; do
		( cd "$d/proj" && run_as "$user" env $ENVSET "$SBOX" launch "$how" -- \
			readlink /proc/self/ns/net ) >"$d/out2" 2>&1
		if grep -qxF "$HOSTNET" "$d/out2"; then
			not_ok "$alabel: launch of '$how' ran in the host's network"
			sed 's/^/#   /' "$d/out2"
		elif ! grep -q '^net:\[' "$d/out2"; then
			not_ok "$alabel: launch of '$how' did not run"
			sed 's/^/#   /' "$d/out2"
		else
			ok "$alabel: launch of '$how' keeps \"network\": \"none\""
		fi
	done
}

suite() {
	label=$1 user=$2
	home_suite_dir store
	cp "$T_TMP/attack.sh" "$d/attack.sh"
	cat >"$d/proj/def.json" <<EOF
{"name": "reach", "extends": ["base"],
 "filesystem": {"write": ["\${PROJECT}", "~"], "exec": ["$d/attack.sh"]},
 "network": "none"}
EOF
	[ -n "$user" ] && chown -R "$user" "$d/proj" "$d/home"
	NAME=reach

	# 1. the store inside the writable project
	ENVSET="SBOX_HOME=$d/proj/.sbox HOME=$d/home"
	ATTACK_DIR=$d/proj
	attempt "$label: store in the project" "$user" "$d/proj/def.json"

	# 1b. deeper in the project: the folder above the store cannot be
	# moved away (with the store's mask in it) to be edited next time
	# (only the store in use and the default one are denied: the first
	# variant's store goes, or the attack would find that one)
	rm -rf "$d/proj/.sbox"
	mkdir -p "$d/proj/a"
	[ -n "$user" ] && chown "$user" "$d/proj/a"
	ENVSET="SBOX_HOME=$d/proj/a/.sbox HOME=$d/home"
	( cd "$d/proj" && run_as "$user" env $ENVSET "$SBOX" launch "$d/proj/def.json" -- \
		/bin/sh -c "mv '$d/proj/a' '$d/proj/moved'; echo mv=\$?" ) >"$d/out1" 2>&1
	if [ -d "$d/proj/moved" ] || ! [ -d "$d/proj/a/.sbox" ]; then
		not_ok "$label: the folder holding the store was moved away"
	elif ! grep -q "^mv=" "$d/out1"; then
		not_ok "$label: the move was not even tried"
		sed 's/^/#   /' "$d/out1"
	else
		ok "$label: the folder holding the store stays put"
	fi
	ATTACK_DIR=$d/proj
	attempt "$label: store deep in the project" "$user" "$d/proj/def.json"

	# 2. the default store under a writable home
	ENVSET="HOME=$d/home XDG_DATA_HOME="
	ATTACK_DIR=$d/home
	attempt "$label: default store in the home" "$user" "$d/proj/def.json"
}

run_suites
done_testing
