#!/bin/sh
# Issue 10 #15: every file sbox reads on a definition's behalf (the
# definition, its extends, SBPL imports, template, root) is opened without
# blocking, must be the expected kind of file, and has a size limit. A
# FIFO must not hang any command; /dev/zero must not be read at all.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Linux ] || skip_all "Linux only"
export SBOX_HOME="$T_TMP/store"
mkdir -p "$T_TMP/proj"
cd "$T_TMP/proj" || exit 1
mkfifo fifo.json fifo.sb fifo.tar
cat >ext-fifo.json <<'EOF'
{"name": "ef", "extends": ["fifo.json"]}
EOF
cat >ext-zero.json <<'EOF'
{"name": "ez", "extends": ["/dev/zero"]}
EOF
cat >ext-dir.json <<'EOF'
{"name": "ed", "extends": ["/tmp/"]}
EOF
cat >tpl-fifo.json <<'EOF'
{"name": "tf", "extends": ["base"], "template": "fifo.tar"}
EOF
cat >tpl-dev.json <<'EOF'
{"name": "td", "extends": ["base"], "template": "/dev/zero"}
EOF
cat >root-fifo.json <<'EOF'
{"name": "rf", "extends": ["base"], "root": "fifo.tar"}
EOF
cat >imp-fifo.sb <<EOF
(version 1)
(import "$T_TMP/proj/fifo.sb")
(allow default)
EOF
head -c 17000000 /dev/zero | tr '\0' ' ' >big.json

# t SECS WANT DESC CMD...: CMD must finish within SECS with status WANT
t() {
	secs=$1; shift
	expect_rc "$@"
}
run() { timeout 10 "$@"; }

t 10 2 "compile: extends of a FIFO is refused, not waited on" run "$SBOX" compile ext-fifo.json
expect_grep "is a FIFO, not a regular file" "$T_TMP/err" "the message says FIFO"
t 10 1 "check: extends of a FIFO" run "$SBOX" check ext-fifo.json
t 10 2 "compile: extends of /dev/zero is refused" run "$SBOX" compile ext-zero.json
expect_grep "character device" "$T_TMP/err" "the message says device"
t 10 2 "compile: extends of a folder is refused" run "$SBOX" compile ext-dir.json
t 10 2 "compile: the definition itself a FIFO" run "$SBOX" compile fifo.json
t 10 2 "launch: the definition itself a FIFO" run "$SBOX" launch ./fifo.json -- true
t 10 2 "compile: a definition over the size limit" run "$SBOX" compile big.json
expect_grep "larger than" "$T_TMP/err" "the message gives the limit"
t 10 2 "launch: a template that is a FIFO" run "$SBOX" launch tpl-fifo.json -- true
expect_grep "FIFO" "$T_TMP/err" "the template message says FIFO"
t 10 2 "launch: a template that is a device" run "$SBOX" launch tpl-dev.json -- true
t 10 2 "launch: a root that is a FIFO" run "$SBOX" launch root-fifo.json -- true
t 10 1 "check: an SBPL import of a FIFO" run "$SBOX" check imp-fifo.sb
expect_grep "FIFO" "$T_TMP/out" "the import message says FIFO"
t 10 2 "explain: extends of a FIFO" run "$SBOX" explain ext-fifo.json file-read-data /etc/passwd
leftover=$(ls -A "$SBOX_HOME" 2>/dev/null | grep -v '^\.lock$')
[ -z "$leftover" ] && ok "refused creations leave nothing in the store" ||
	not_ok "left in the store: $leftover"
done_testing
