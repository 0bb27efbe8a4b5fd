#!/bin/sh
# make demo: launch a real container and show, from inside it, its private
# HOME, an unreadable ~/.ssh and the network off. Leaves nothing behind.
#   sh tools/demo.sh [SBOX]
set -u
SBOX=${1:-build/sbox}
case $SBOX in /*) ;; *) SBOX=$(pwd)/$SBOX ;; esac
W=$(mktemp -d /tmp/sbox-demo.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/home/.ssh" "$W/home/project"
echo "-----BEGIN OPENSSH PRIVATE KEY----- (demo)" >"$W/home/.ssh/id_ed25519"
echo "hello from the project" >"$W/home/project/README"
chmod 700 "$W/home/.ssh"
cat >"$W/demo.json" <<'JSON'
{
  "name": "demo",
  "extends": ["base"],
  "filesystem": { "read": ["~", "${PROJECT}"] },
  "network": "none"
}
JSON
export HOME="$W/home" SBOX_HOME="$W/store"
cd "$W/home/project" || exit 1

echo "== on the host"
echo "\$ cat ~/.ssh/id_ed25519"
cat "$HOME/.ssh/id_ed25519"
echo
echo "== inside: sbox launch $W/demo.json -- /bin/sh -c '...'"
"$SBOX" launch "$W/demo.json" -- /bin/sh -c '
real=$1
echo "HOME is the container'\''s own: $HOME"
ls -A "$HOME" | sed "s/^/  /"
echo "\$ cat README (the project is readable)"
cat README
echo "\$ cat $real/.ssh/id_ed25519"
cat "$real/.ssh/id_ed25519" 2>&1 | sed "s/^/  /"
echo "\$ ls $real/.ssh"
ls "$real/.ssh" 2>&1 | sed "s/^/  /"
echo "network interfaces:"
sed -n "3,\$p" /proc/net/dev | cut -d: -f1 | sed "s/^ */  /"
echo "\$ connect to 1.1.1.1:80"
if command -v bash >/dev/null; then
	bash -c "exec 3<>/dev/tcp/1.1.1.1/80" 2>&1 | sed "s/^/  /"
fi
echo "\$ touch README (the project is read-only)"
touch README 2>&1 | sed "s/^/  /"
' demo "$HOME"
rc=$?
echo
echo "== sbox launch exited with $rc"
exit $rc
