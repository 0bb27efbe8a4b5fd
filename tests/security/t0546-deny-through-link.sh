#!/bin/sh
# A deny is enforced whichever spelling of a path it and the grants use,
# on a merged /usr (/lib -> usr/lib, /bin -> usr/bin): a deny written
# through /lib under a grant of /usr (the base preset's), and a deny
# written under /usr with the grants written through /lib and /bin. Both
# a denied file's read and a denied program's exec, by either spelling;
# `sbox explain --target linux` says deny for both spellings too, and a
# grant of /bin still works (the link is recreated inside). As root and
# as an unprivileged user.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
[ "$(readlink /lib)" = usr/lib ] && [ "$(readlink /bin)" = usr/bin ] ||
	skip_all "/lib and /bin are not links into /usr"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (creates a folder in /usr/lib)"
U=$(mktemp -d /usr/lib/sbox-t0546.XXXXXX) || skip_all "cannot write /usr/lib"
trap 'rm -rf "$T_TMP" "$U"' EXIT
n=${U#/usr/lib/}
L=/lib/$n
chmod 755 "$U"
mkdir -p "$U/secret" "$U/open" "$U/bin"
echo LINKSECRET >"$U/secret/s"
echo opencontent >"$U/open/o"
cp /usr/bin/echo "$U/bin/tool"
cp /usr/bin/echo "$U/bin/ok"
chmod -R a+rX "$U"

# reads and runs every spelling; prints what got through
probe='cat '"$L"'/secret/s '"$U"'/secret/s '"$L"'/open/o 2>/dev/null
'"$L"'/bin/tool TOOL-VIA-LIB 2>/dev/null
'"$U"'/bin/tool TOOL-VIA-USR 2>/dev/null
'"$L"'/bin/ok OK-RAN 2>/dev/null
exit 0'

check_run() { # label def
	launch "$2" -- /bin/sh -c "$probe" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && ok "$1: runs" ||
		{ not_ok "$1: runs (exit $rc)"; sed 's/^/#   /' "$T_TMP/err" | head; }
	grep -q LINKSECRET "$T_TMP/out" && not_ok "$1: the denied file was read" ||
		ok "$1: the denied file is not read by either spelling"
	grep -q TOOL-VIA-LIB "$T_TMP/out" &&
		not_ok "$1: the denied program ran through /lib" ||
		ok "$1: the denied program does not run through /lib"
	grep -q TOOL-VIA-USR "$T_TMP/out" &&
		not_ok "$1: the denied program ran through /usr/lib" ||
		ok "$1: the denied program does not run through /usr/lib"
	grep -q opencontent "$T_TMP/out" && ok "$1: a sibling is still read" ||
		not_ok "$1: a sibling is still read"
	grep -q OK-RAN "$T_TMP/out" && ok "$1: a sibling program still runs" ||
		not_ok "$1: a sibling program still runs"
}

check_explain() { # label def
	for q in "$L/secret/s" "$U/secret/s"; do
		SBOX_HOME="$d/store" "$SBOX" explain --target linux "$2" \
			file-read-data "$q" >"$T_TMP/out" 2>&1
		head -1 "$T_TMP/out" | grep -q '^deny' &&
			ok "$1: explain says deny for $q" ||
			{ not_ok "$1: explain says deny for $q"
			  sed 's/^/#   /' "$T_TMP/out" | head -4; }
	done
}

suite() {
	label=$1 user=$2
	suite_dir denylink
	mkdir -p "$d/proj" "$d/store"
	# the deny spelled through /lib, the grant (base: /usr) through /usr
	cat >"$d/via-lib.json" <<EOF
{"name":"vialib","extends":["base"],
 "filesystem":{"exec":["/usr"],"deny":["$L/secret","$L/bin/tool"]},
 "network":"none"}
EOF
	# the grants spelled through /lib and /bin, the deny under /usr
	cat >"$d/via-usr.json" <<EOF
{"name":"viausr","filesystem":{"read":["/lib","/lib64","/etc"],
 "exec":["/bin","$L/bin"],"deny":["$U/secret","$U/bin/tool"]},
 "network":"none"}
EOF
	suite_as "$user"
	launch() { ( cd "$d/proj" && SBOX_HOME="$d/store" $as "$SBOX" run "$@" ); }
	check_run "$label: deny via /lib, grant via /usr" "$d/via-lib.json"
	check_run "$label: deny via /usr, grant via /lib" "$d/via-usr.json"
	check_explain "$label: deny via /lib" "$d/via-lib.json"
	check_explain "$label: deny via /usr" "$d/via-usr.json"
	rm -rf "$d"
}

run_suites
done_testing
