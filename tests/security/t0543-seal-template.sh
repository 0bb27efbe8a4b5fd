#!/bin/sh
# The template and root a container was built from are taken from its
# stored definition.json, which an update of the policy keeps. When that
# copy is not sealed with the user's key (its seal removed, or one made
# with another key put in its place), anyone who could write the store
# could have written it: here a program in a container of store B, whose
# grants reach store A in the project, rewrites store A's "template" to
# what the user's file is about to say and removes the seal; then the
# user changes the file (template and policy) and launches it. sbox used
# to believe the stored template, take the change for a policy update
# and run the program in the container built from the old template. It
# must refuse (exit 2), name the seal problem and the command that
# rebuilds the container, and run nothing. The same for "root", with a
# seal made under another HOME's key. Runs as root and as the
# unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

store_attack_init

# Run inside: container folder $1's "template" becomes $2, its seal is
# removed, its plain digest recomputed.
cat >"$T_TMP/retemplate.sh" <<'EOF'
#!/bin/sh
f=$1/definition.json
sed -i "s/\"template\": *\"[a-z]*\"/\"template\": \"$2\"/" "$f" &&
	rm -f "$1/definition.seal" &&
	sum=$(sha256sum "$f" | cut -d' ' -f1) &&
	sed -i "s/sha256:[0-9a-f]*/sha256:$sum/" "$1/metadata.plist" &&
	echo tampered=1
EOF
chmod 755 "$T_TMP/retemplate.sh"

# refused LABEL: the launch of the file ($d/out, exit $rc) was refused
# with exit 2, said why (WHY) and how to repair it, and ran nothing
refused() {
	if grep -q RAN-IN-VICTIM "$d/out"; then
		not_ok "$1: the program ran"
		sed 's/^/#   /' "$d/out"
	elif [ "$rc" -eq 2 ] && grep -q "$WHY" "$d/out" &&
	     grep -qF "sbox launch $d/proj/victim.json --name victim --recreate" "$d/out"; then
		ok "$1: refused (exit 2), the seal named, the rebuild command given"
	else
		not_ok "$1: exit $rc"
		sed 's/^/#   /' "$d/out"
	fi
}

suite() {
	label=$1 user=$2
	home_suite_dir sealtpl
	cp "$T_TMP/retemplate.sh" "$d/retemplate.sh"
	mkdir -p "$d/other" "$d/home2" "$d/rootA/etc" "$d/rootB/etc"
	echo A >"$d/rootA/etc/which"
	echo B >"$d/rootB/etc/which"
	A=$d/proj/.sboxA B=$d/other/storeB C=$d/other/storeC
	cat >"$d/proj/victim.json" <<EOF
{"name": "victim", "extends": ["base"], "network": "none", "template": "minimal"}
EOF
	cat >"$d/proj/attacker.json" <<EOF
{"name": "attacker", "extends": ["base"],
 "filesystem": {"write": ["\${PROJECT}"], "exec": ["$d/retemplate.sh"]},
 "network": "none"}
EOF
	[ -n "$user" ] && chown -R "$user" "$d/proj" "$d/home" "$d/home2" "$d/other"

	# 1. template: the victim is built from "minimal" (no Documents/)
	sb "$A" launch "$d/proj/victim.json" -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: made the victim"; sed 's/^/#   /' "$d/out"; }
	[ ! -e "$A/victim/Data/Documents" ] ||
		not_ok "$label: a minimal container has Documents/"
	# the program in store B's container says "default" and unseals it
	sb "$B" launch "$d/proj/attacker.json" -- "$d/retemplate.sh" \
		"$A/victim" default >"$d/out" 2>&1
	if grep -q "tampered=1" "$d/out" && ! [ -e "$A/victim/definition.seal" ]; then
		ok "$label: the program in store B's container rewrote the template"
	else
		not_ok "$label: the attack could not edit store A"
		sed 's/^/#   /' "$d/out"
	fi
	# the user moves to "default" and opens the network to localhost
	cat >"$d/proj/victim.json" <<EOF
{"name": "victim", "extends": ["base"], "network": "localhost", "template": "default"}
EOF
	[ -n "$user" ] && chown "$user" "$d/proj/victim.json"
	sb "$A" launch "$d/proj/victim.json" -- echo RAN-IN-VICTIM >"$d/out" 2>&1
	rc=$?
	WHY="container 'victim' has no seal"
	refused "$label: unsealed, template rewritten"
	grep -q '"network": "none"' "$A/victim/definition.json" &&
		ok "$label: ... and the stored policy is not updated" ||
		not_ok "$label: the refused launch changed the stored definition"
	# the repair it gives: rebuilt from the file, with the template it names
	sb "$A" launch "$d/proj/victim.json" --name victim --recreate -- \
		echo RAN-IN-VICTIM >"$d/out" 2>&1
	grep -q RAN-IN-VICTIM "$d/out" && [ -d "$A/victim/Data/Documents" ] &&
		ok "$label: the command it gives rebuilds it from the file" ||
		{ not_ok "$label: the repair"; sed 's/^/#   /' "$d/out"; }

	# 2. root, and a seal made with another key: the victim in store A
	# has root A; the same definition with root B is sealed in store C
	# under another HOME (another key) and that seal put in store A
	cat >"$d/proj/victim.json" <<EOF
{"name": "victim", "extends": ["base"], "network": "none", "root": "$d/rootA"}
EOF
	[ -n "$user" ] && chown "$user" "$d/proj/victim.json"
	sb "$A" launch "$d/proj/victim.json" --recreate -- true >"$d/out" 2>&1 ||
		{ not_ok "$label: made the victim with root A"; sed 's/^/#   /' "$d/out"; }
	sed -i "s|\"root\": *\"[^\"]*\"|\"root\": \"$d/rootB\"|" "$A/victim/definition.json"
	sum=$(sha256sum "$A/victim/definition.json" | cut -d' ' -f1)
	sed -i "s/sha256:[0-9a-f]*/sha256:$sum/" "$A/victim/metadata.plist"
	sed "s|rootA|rootB|" "$d/proj/victim.json" >"$d/other/victimB.json"
	[ -n "$user" ] && chown "$user" "$d/other/victimB.json"
	( cd "$d/proj" && run_as "$user" env HOME="$d/home2" XDG_DATA_HOME= \
		SBOX_HOME="$C" "$SBOX" launch "$d/other/victimB.json" -- true ) \
		>"$d/out" 2>&1 ||
		{ not_ok "$label: sealed under another HOME"; sed 's/^/#   /' "$d/out"; }
	cp "$C/victim/definition.seal" "$A/victim/definition.seal"
	sb "$A" show victim >"$d/out" 2>&1
	expect_grep "^seal: .*another key" "$d/out" "$label: store A's victim is sealed with another key"
	# the user moves to root B and localhost
	cat >"$d/proj/victim.json" <<EOF
{"name": "victim", "extends": ["base"], "network": "localhost", "root": "$d/rootB"}
EOF
	[ -n "$user" ] && chown "$user" "$d/proj/victim.json"
	sb "$A" launch "$d/proj/victim.json" -- echo RAN-IN-VICTIM >"$d/out" 2>&1
	rc=$?
	WHY="container 'victim' was sealed with another key"
	refused "$label: another key, root rewritten"
	[ "$(cat "$A/victim/root/etc/which" 2>/dev/null)" = A ] ||
		not_ok "$label: the container's root is not root A any more"
	# a launch by name stays refused as before
	sb "$A" launch victim -- echo RAN-IN-VICTIM >"$d/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && ! grep -q RAN-IN-VICTIM "$d/out" &&
		ok "$label: ... and by name" ||
		{ not_ok "$label: by name: exit $rc"; sed 's/^/#   /' "$d/out"; }
}

run_suites
done_testing
