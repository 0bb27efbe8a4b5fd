#!/bin/sh
# import gives the identifier create gives (the definition's "identifier",
# else sbox.NAME, also under --name), never the archive's own; one that
# another container of the store has is refused with exit 2, the other
# container named, and nothing left behind, also when two imports race.
. "$TOP/tests/lib/test-lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
export HOME="$T_TMP/home" XDG_DATA_HOME="$T_TMP/xdg"
mkdir -p "$HOME" "$T_TMP/a"
A="$T_TMP/a"
printf '{ "name": "plain" }\n' >"$A/plain.json"
printf '{ "name": "ided", "identifier": "org.example.ided" }\n' >"$A/ided.json"

# id_of STORE NAME: the identifier `show --format json` gives.
id_of() {
	SBOX_HOME="$1" "$SBOX" show "$2" --format json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["identifier"])'
}
# created_id DEF [NAME]: what `sbox create DEF [--name NAME]` gives, in a
# store of its own.
created_id() {
	r=$(mktemp -d "$T_TMP/ref.XXXXXX")
	SBOX_HOME="$r" "$SBOX" create -q "$A/$1.json" ${2:+--name "$2"} >/dev/null 2>&1 ||
		{ echo "create $1 $2 failed"; return; }
	id_of "$r" "${2:-$1}"
}
# store_state: the store's entries and the seal records, to see that a
# refused import changed neither.
store_state() {
	ls -A "$SBOX_HOME"
	ls -A "$XDG_DATA_HOME/sbox/seal/current" 2>/dev/null
}

# The archives, made in a store of their own.
export SBOX_HOME="$T_TMP/src"
for d in plain ided; do
	"$SBOX" create -q "$A/$d.json" >/dev/null && "$SBOX" export "$d" "$A/$d.tar" >/dev/null ||
		not_ok "cannot make $d.tar"
done
# The same definition with an archived Identifier that lies: the archive's
# metadata is not trusted (only definition.json is covered by its digest).
python3 - "$A/ided.tar" "$A/liar.tar" <<'PY' || not_ok "cannot make liar.tar"
import io, sys, tarfile
src = tarfile.open(sys.argv[1])
with tarfile.open(sys.argv[2], "w") as out:
    for m in src.getmembers():
        data = src.extractfile(m).read() if m.isfile() else None
        if m.name.endswith("metadata.plist"):
            data = data.replace(b"org.example.ided", b"org.example.lie")
            m.size = len(data)
        out.addfile(m, io.BytesIO(data) if data is not None else None)
PY

export SBOX_HOME="$T_TMP/store"
# Without --name: the archived name, and create's identifier for it.
expect_rc 0 "import plain.tar" "$SBOX" import -q "$A/plain.tar"
[ "$(id_of "$SBOX_HOME" plain)" = "$(created_id plain)" ] && [ "$(id_of "$SBOX_HOME" plain)" = sbox.plain ] &&
	ok "imported plain has create's identifier (sbox.plain)" || not_ok "plain: $(id_of "$SBOX_HOME" plain)"
expect_rc 0 "import ided.tar" "$SBOX" import -q "$A/ided.tar"
[ "$(id_of "$SBOX_HOME" ided)" = "$(created_id ided)" ] && [ "$(id_of "$SBOX_HOME" ided)" = org.example.ided ] &&
	ok "imported ided has its definition's identifier" || not_ok "ided: $(id_of "$SBOX_HOME" ided)"

# --name: sbox.NAME follows the new name, as create --name gives.
expect_rc 0 "import plain.tar --name renamed" "$SBOX" import -q "$A/plain.tar" --name renamed
[ "$(id_of "$SBOX_HOME" renamed)" = "$(created_id plain renamed)" ] && [ "$(id_of "$SBOX_HOME" renamed)" = sbox.renamed ] &&
	ok "renamed import: sbox.renamed, as create --name gives" || not_ok "renamed: $(id_of "$SBOX_HOME" renamed)"
SBOX_HOME="$T_TMP/other" "$SBOX" import -q "$A/ided.tar" --name ided2 >/dev/null 2>&1
[ "$(id_of "$T_TMP/other" ided2)" = "$(created_id ided ided2)" ] && [ "$(id_of "$T_TMP/other" ided2)" = org.example.ided ] &&
	ok "renamed import keeps the definition's identifier, as create --name does" ||
	not_ok "ided2: $(id_of "$T_TMP/other" ided2)"

# list --format json shows the same identifiers.
expect_rc 0 "list --format json" "$SBOX" list --format json
python3 - "$T_TMP/out" <<'PY' && ok "list json: the identifiers create gives" || not_ok "list json identifiers"
import json, sys
d = json.load(open(sys.argv[1]))
got = {c["name"]: c["identifier"] for c in d["containers"]}
assert got == {"plain": "sbox.plain", "ided": "org.example.ided",
               "renamed": "sbox.renamed"}, got
PY

# A clash: refused, exit 2, the other container named, nothing left.
before=$(store_state)
expect_rc 2 "import ided.tar --name ided2 (identifier taken)" "$SBOX" import -q "$A/ided.tar" --name ided2
expect_grep "identifier 'org.example.ided' is already used by container 'ided'" "$T_TMP/err" "the clash names the other container"
expect_grep "^hint: .*sbox rm" "$T_TMP/err" "a hint says what to do"
[ "$(store_state)" = "$before" ] && ok "the refused import left nothing (store, seal records)" ||
	not_ok "left behind: $(store_state)"
expect_rc 2 "show ided2" "$SBOX" show ided2
expect_rc 2 "the archive's lying Identifier is not trusted" "$SBOX" import -q "$A/liar.tar" --name liar
expect_grep "identifier 'org.example.ided' is already used by container 'ided'" "$T_TMP/err" "the definition's identifier decides"
[ "$(store_state)" = "$before" ] && ok "nothing left by the liar" || not_ok "left behind: $(store_state)"

# sbox.NAME clashes too: a container whose definition says "sbox.taken".
printf '{ "name": "holder", "identifier": "sbox.taken" }\n' >"$A/holder.json"
expect_rc 0 "create holder (identifier sbox.taken)" "$SBOX" create -q "$A/holder.json"
before=$(store_state)
expect_rc 2 "import plain.tar --name taken" "$SBOX" import -q "$A/plain.tar" --name taken
expect_grep "identifier 'sbox.taken' is already used by container 'holder'" "$T_TMP/err" "sbox.NAME clash names holder"
[ "$(store_state)" = "$before" ] && ok "nothing left" || not_ok "left behind: $(store_state)"

# Two imports racing for one identifier: both pass the early check while
# the store lock is held, so only the check under the lock can stop one.
expect_rc 0 "rm ided" "$SBOX" rm ided
exec 9>>"$SBOX_HOME/.lock"
if flock -n 9 2>/dev/null; then
	for n in r1 r2; do
		( exec 9>&-; "$SBOX" import -q "$A/ided.tar" --name $n >"$T_TMP/$n.out" 2>&1; echo $? >"$T_TMP/$n.rc" ) &
	done
	sleep 2
	flock -u 9
	wait
	wins=$(cat "$T_TMP"/r1.rc "$T_TMP"/r2.rc | grep -c '^0$')
	losses=$(cat "$T_TMP"/r1.rc "$T_TMP"/r2.rc | grep -c '^2$')
	[ "$wins" -eq 1 ] && [ "$losses" -eq 1 ] && ok "one racing import wins, the other exits 2" ||
		not_ok "$wins won, $losses lost with exit 2"
	grep -q "identifier 'org.example.ided' is already used by container 'r[12]'" "$T_TMP"/r1.out "$T_TMP"/r2.out &&
		ok "the loser names the winner" || not_ok "no clash message: $(cat "$T_TMP"/r?.out)"
	n=$(SBOX_HOME="$SBOX_HOME" "$SBOX" list --format json |
		python3 -c 'import json,sys; print(sum(c["identifier"] == "org.example.ided" for c in json.load(sys.stdin)["containers"]))')
	[ "$n" -eq 1 ] && ok "one container has the identifier" || not_ok "$n containers have it"
	[ -z "$(ls -A "$SBOX_HOME" | grep '^\.tmp-')" ] && ok "no build folders left" || not_ok "build folders left"
else
	ok "# skip the race: cannot take the store lock with flock(1)"
fi
exec 9>&-
done_testing
