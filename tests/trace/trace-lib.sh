# Shared setup of the --trace tests (tests/trace/t05*.sh), after
# test-lib.sh: Linux and python3 or skip; a fixed PATH; the folders in
# DIRS are removed at exit.
#   rec LABEL FILE OP TARGET KEY=VALUE...   record.py finds that record
#                                           in FILE (the check's name:
#                                           LABEL: OP TARGET)
#   trace_suite_dir TAG [BASE]              $d for the suite: suite_dir,
#                                           filled by the script's
#                                           make_tree, given to $user
#                                           ($as runs as them)
[ "$(uname -s)" = Linux ] || skip_all "Linux only"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
DIRS=""
trap 'for d in $DIRS; do rm -rf "$d"; done; rm -rf "$T_TMP"' EXIT
REC="python3 $TOP/tests/trace/record.py"

rec() {
	label=$1; shift
	if out=$($REC "$@"); then ok "$label: $2 $3"; else
		not_ok "$label: $2 $3: $out"
	fi
}

trace_suite_dir() {
	suite_dir "$1" "${2:-/tmp}"
	DIRS="$DIRS $d"
	make_tree "$d"
	suite_as "$user"
}
