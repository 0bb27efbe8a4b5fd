#!/bin/sh
# Installs what sbox needs to build, test and benchmark on Debian/Ubuntu.
# Idempotent; uses sudo when not root. macOS: see README.md (Homebrew).
set -eu
PKGS="build-essential pkg-config libxml2-dev libjansson-dev libarchive-dev
libcmocka-dev libseccomp-dev clang libclang-rt-14-dev valgrind zstd
libarchive-tools libxml2-utils iproute2 bubblewrap
libzstd-dev liblz4-dev libacl1-dev libicu-dev hyperfine
python3 strace man-db groff-base bash shellcheck python3-yaml"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
