#!/bin/sh
# tools/check-deps.sh [TREE]: enforce sbox's layering (README "Layout").
#
# 1. Includes go down only:
#      util <- policy <- def <- sbpl <- backend, container <- cli <- main
#    (sbpl/emit renders a definition, so def sits below sbpl; backend and
#    container are peers and may not include each other). A top-level
#    src/*.h (version.h) is a leaf. Inside backend, the two systems'
#    folders (backend/linux, backend/macos) never include each other.
# 2. Library code never prints or exits: outside src/cli and src/main.c no
#    printf/puts/perror, no fprintf/fputs/fputc/putc to stderr or stdout, no
#    exit(). (_exit in a forked child is fine: it runs no handlers.)
#    Allowed by design: util/xalloc.c reports out-of-memory and aborts
#    (src/util/xalloc.h).
#
# Prints one "src/FILE:LINE: problem" per violation; exits 1 if any, 0 when
# clean, 2 on bad usage.
set -u
tree=${1:-$(cd "$(dirname "$0")/.." && pwd)}
[ -d "$tree/src" ] || { echo "check-deps: no src/ in '$tree'" >&2; exit 2; }
cd "$tree" || exit 2

files=$(find src -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "check-deps: no sources" >&2; exit 2; }

# shellcheck disable=SC2086
awk '
BEGIN {
	rank["util"] = 0; rank["policy"] = 1; rank["def"] = 2; rank["sbpl"] = 3
	rank["backend"] = 4; rank["container"] = 4; rank["cli"] = 5
	rank["main"] = 6; rank["leaf"] = 0
	allow["src/util/xalloc.c", "stream"] = 1
	bad = 0
}
function module_of(path,   parts, n) {
	n = split(path, parts, "/")
	if (n == 2)
		return parts[2] == "main.c" ? "main" : "leaf"
	return parts[2]
}
function os_of(path,   parts) {
	split(path, parts, "/")
	return parts[2] == "backend" && (parts[3] == "linux" || parts[3] == "macos") ? \
		parts[3] : ""
}
function report(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg
	bad++
}
FNR == 1 {
	mod = module_of(FILENAME)
	inblock = 0
	library = mod != "cli" && mod != "main"
	if (!(mod in rank))
		report("unknown module \"" mod "\": place it in tools/check-deps.sh")
}
# Includes, from the raw line.
/^[ \t]*#[ \t]*include[ \t]*"/ {
	target = $0
	sub(/^[^"]*"/, "", target); sub(/".*$/, "", target)
	tmod = index(target, "/") ? substr(target, 1, index(target, "/") - 1) : ""
	if (tmod == "")
		tmod = (target ~ /^[^\/]+\.h$/ && system("test -f src/" target) == 0) ? \
			"leaf" : mod
	if (tmod == "unit" || tmod == "tests")
		next
	if (!(tmod in rank))
		report("includes \"" target "\" from unknown module \"" tmod "\"")
	else if (mod in rank && tmod != mod && tmod != "leaf" && \
		 rank[tmod] >= rank[mod])
		report(mod " includes \"" target "\": " tmod " is not below " mod)
	else if (mod == "backend" && os_of(FILENAME) != "" && \
		 os_of("src/" target) != "" && os_of("src/" target) != os_of(FILENAME))
		report("backend/" os_of(FILENAME) " includes \"" target "\": " \
		       "the Linux and macOS backends stay apart")
}
# Printing and exiting, with comments and string contents blanked.
library {
	line = $0; out = ""; i = 1; n = length(line)
	while (i <= n) {
		c = substr(line, i, 1); c2 = substr(line, i, 2)
		if (inblock) {
			if (c2 == "*/") { inblock = 0; i += 2 } else i++
			continue
		}
		if (c2 == "/*") { inblock = 1; i += 2; out = out " "; continue }
		if (c2 == "//") break
		if (c == "\"" || c == "\047") {
			q = c; i++
			while (i <= n) {
				c = substr(line, i, 1)
				if (c == "\\") { i += 2; continue }
				i++
				if (c == q) break
			}
			out = out q q
			continue
		}
		out = out c; i++
	}
	if (out ~ /^[ \t]*#/)
		next
	if (out ~ /(^|[^A-Za-z0-9_])(printf|vprintf|puts|perror)[ \t]*\(/)
		report("library code prints (only src/cli and main.c may)")
	if (out ~ /(^|[^A-Za-z0-9_])(v?fprintf|fputs|fputc|putc)[ \t]*\(.*(stderr|stdout)/ && \
	    !((FILENAME, "stream") in allow))
		report("library code writes to stderr/stdout (only src/cli and main.c may)")
	if (out ~ /(^|[^A-Za-z0-9_>.])exit[ \t]*\(/)
		report("library code calls exit() (only src/cli and main.c choose exit codes)")
}
END {
	if (bad) {
		printf "check-deps: %d problem(s)\n", bad
		exit 1
	}
	printf "check-deps: %d files, layering ok\n", NR ? files : 0
}
' files="$(echo "$files" | wc -l)" $files
