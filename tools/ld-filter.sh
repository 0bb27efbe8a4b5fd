#!/bin/sh
# Run a link command; print what it says except glibc's warnings that a
# static binary still loads NSS modules at run time ("Using 'getpwuid' in
# statically linked applications requires at runtime the shared libraries
# from the glibc version used for linking") and the "in function" lines
# that introduce them. Exits with the linker's status.
out=$(mktemp "${TMPDIR:-/tmp}/ld-filter.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
"$@" >"$out" 2>&1
rc=$?
awk '
	/in statically linked applications requires at runtime the shared libraries/ {
		held = ""; next
	}
	{ if (held != "") print held; held = "" }
	/: in function `.*'"'"':$/ { held = $0; next }
	{ print }
	END { if (held != "") print held }
' "$out" >&2
exit $rc
