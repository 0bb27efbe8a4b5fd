#!/bin/sh
# macOS smoke test: real programs under every preset, through `sbox run`
# and through `sandbox-exec -f` of the profile `sbox compile` prints, with
# the sandbox's denials (tagged sbox:<name>) read from the system log.
#
#   sh tools/macos-smoke.sh [--no-build] [--list] [--preset NAME]... [--program ROW]...
#
# Prints one table: launcher, preset, program, expected, got, denials.
# Exit status: 0 every row as expected; 1 some row is not; 2 bad usage;
# 3 not a Mac, or a program fails even without any sandbox (the host
# cannot run the row, so it proves nothing).
#
# --list prints the rows and what each should give, and runs nothing;
# --preset and --program (true, date, stty, make, cc, git, python3, node,
# server, ssh) pick rows; by default every preset and every program.
# Environment: SBOX (the sbox to test; default: `make`, then build/sbox),
# SANDBOX_EXEC (default /usr/bin/sandbox-exec, by absolute path so that
# nothing on PATH can stand in for it), SMOKE_KEEP=1 keeps the work folder.
# Everything runs with HOME set to a fresh folder, so the real ~/.ssh and
# the real container store are never touched.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=1 list=0 presets='' rows=''
ALL_ROWS="true date stty make cc git python3 node server ssh"
while [ $# -gt 0 ]; do
	case $1 in
	--no-build) build=0 ;;
	--list) list=1 ;;
	--preset) [ $# -ge 2 ] || { echo "macos-smoke: --preset needs a name" >&2; exit 2; }
		presets="$presets $2"; shift ;;
	--program) [ $# -ge 2 ] || { echo "macos-smoke: --program needs a name" >&2; exit 2; }
		case " $ALL_ROWS " in *" $2 "*) ;; *) echo "macos-smoke: no program row '$2'" >&2; exit 2 ;; esac
		rows="$rows $2"; shift ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "macos-smoke: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$presets" ] || presets="base no-network localhost build-tools read-only-project"
ROWS=${rows:-$ALL_ROWS}
for p in $presets; do
	[ -f "$top/profiles/$p.json" ] || { echo "macos-smoke: no preset '$p'" >&2; exit 2; }
done

# ---- what each row should give ------------------------------------------
# What the presets promise (profiles/*.json): every preset lets the
# everyday folders run, and the developer tools the /usr/bin shims (cc,
# make, git, python3) re-exec -- the Command Line Tools or the Xcode that
# xcode-select picked, granted where the link resolves at launch -- and
# Homebrew's links, granted at their resolved Cellar places. build-tools
# adds Homebrew's opt/Cellar/Caskroom folders themselves.

# exec_granted PRESET PATH: the preset lets PATH run.
exec_granted() {
	case $2 in
	/usr/bin/*|/bin/*|/usr/sbin/*|/sbin/*|/usr/libexec/*|/usr/local/bin/*|/opt/homebrew/bin/*)
		return 0 ;;
	/Library/Developer/CommandLineTools/usr/bin/*|/Applications/Xcode*.app/Contents/Developer/usr/bin/*)
		return 0 ;;
	/opt/homebrew/opt/*|/opt/homebrew/Cellar/*|/opt/homebrew/Caskroom/*|/usr/local/opt/*|/usr/local/Cellar/*)
		[ "$1" = build-tools ]; return ;;
	esac
	return 1
}

# in_path NAME: the file execvp would run (not a shell builtin), or nothing.
in_path() {
	_ifs=$IFS; IFS=:
	for _d in $PATH; do
		[ -n "$_d" ] && [ -f "$_d/$1" ] && [ -x "$_d/$1" ] &&
			{ IFS=$_ifs; echo "$_d/$1"; return; }
	done
	IFS=$_ifs
}

# The program a row runs (its first word), as found in PATH.
row_program() {
	case $1 in
	server) in_path perl ;;
	ssh) in_path cat ;;
	*) in_path "$1" ;;
	esac
}

# expect PRESET ROW PATH: ok, fail or skip (the program is not installed).
expect() {
	[ -n "$3" ] || { echo skip; return; }
	case $2 in
	ssh) echo fail; return ;;  # every preset denies ~/.ssh
	git)                      # reads the project: build-tools, read-only-project
		# (the others start the program in the container's home: no repository)
		case $1 in build-tools|read-only-project) ;; *) echo fail; return ;; esac ;;
	server)                   # binds and connects on localhost
		[ "$1" = localhost ] || { echo fail; return; } ;;
	esac
	exec_granted "$1" "$3" && echo ok || echo fail
}

if [ "$list" = 1 ]; then
	for launcher in sbox sandbox-exec; do
		for p in $presets; do
			for r in $ROWS; do
				prog=$(row_program "$r")
				printf '%s %s %s %s %s\n' "$launcher" "$p" "$r" "${prog:--}" \
					"$(expect "$p" "$r" "$prog")"
			done
		done
	done
	exit 0
fi

# ---- the host -------------------------------------------------------------
[ "$(uname -s)" = Darwin ] || { echo "macos-smoke: needs macOS (uname -s is $(uname -s))" >&2; exit 3; }
SANDBOX_EXEC=${SANDBOX_EXEC:-/usr/bin/sandbox-exec}
[ -x "$SANDBOX_EXEC" ] || { echo "macos-smoke: no $SANDBOX_EXEC" >&2; exit 3; }
if [ -z "${SBOX:-}" ]; then
	if [ "$build" = 1 ]; then
		(cd "$top" && make) >&2 || { echo "macos-smoke: make failed" >&2; exit 3; }
	fi
	SBOX=$top/build/sbox
fi
[ -x "$SBOX" ] || { echo "macos-smoke: no sbox at $SBOX" >&2; exit 3; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sbox-smoke.XXXXXX") || exit 3
work=$(cd "$work" && pwd -P)
logpid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$logpid" ] && kill "$logpid" 2>/dev/null
	[ "${SMOKE_KEEP:-0}" = 1 ] && echo "macos-smoke: kept $work" >&2 && return
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

home=$work/home project=$work/home/src/app sxc=$work/sx-container
mkdir -p "$home/.ssh" "$project" "$sxc/tmp" "$work/defs" "$work/out"
echo sbox-smoke-secret >"$home/.ssh/smoke_key"
chmod 700 "$home/.ssh"
export HOME="$home"
(cd "$project" && git init -q . && echo hello >README &&
	git -c user.name=smoke -c user.email=smoke@example.invalid add README &&
	git -c user.name=smoke -c user.email=smoke@example.invalid commit -qm init) \
	>/dev/null 2>&1
# A free-enough port: fixed per run, different between runs.
port=$((20000 + $$ % 20000))

# Local time: the row compares offsets. On a Mac set to UTC a fallback to
# UTC would pass unseen, so then a zone with an offset is asked for.
tz_env=
if [ "$(date +%z)" = +0000 ]; then tz_env=Asia/Tokyo; fi
if [ -n "$tz_env" ]; then want_offset=$(TZ=$tz_env date +%z); else want_offset=$(date +%z); fi

# ---- the rows -------------------------------------------------------------

# row_cmd ROW: the command of a row, one word a line (printf, not echo:
# echo's options and backslashes differ between shells).
words() { printf '%s\n' "$@"; }
row_cmd() {
	case $1 in
	true) words true ;;
	date) words date +%z ;;
	stty) words stty -a ;;
	make) words make -v ;;
	cc) words cc --version ;;
	git) words git status ;;
	python3) words python3 -c 'import multiprocessing as m; m.Lock(); print("locked")' ;;
	node) words node -e 'console.log(require("os").cpus().length)' ;;
	server) words /bin/sh -c "perl -MIO::Socket::INET -e 'alarm 10; \$s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => $port, Listen => 1, ReuseAddr => 1) or die \"bind: \$!\"; \$c = \$s->accept or die; <\$c>; print \$c \"HTTP/1.0 200 OK\\r\\n\\r\\nsbox-smoke-served\\n\"' & sleep 1; curl -s --max-time 5 http://localhost:$port/; wait" ;;
	ssh) words cat "$home/.ssh/smoke_key" ;;
	esac
}

# row_passed ROW OUTFILE STATUS: did the program do its job?
row_passed() {
	[ "$3" -eq 0 ] || return 1
	case $1 in
	date) [ "$(tr -d '\r\n' <"$2")" = "$want_offset" ] ;;
	stty) grep -q speed "$2" ;;
	make) grep -q Make "$2" ;;
	cc) [ -s "$2" ] ;;
	git) grep -q 'branch' "$2" ;;
	python3) grep -q '^locked' "$2" ;;
	node) n=$(tr -d '\r\n' <"$2"); [ "${n:-0}" -ge 1 ] 2>/dev/null ;;
	server) grep -q sbox-smoke-served "$2" ;;
	ssh) grep -q sbox-smoke-secret "$2" ;;
	*) return 0 ;;
	esac
}

# run ROW OUTFILE LAUNCHER-WORDS...: the row's command after the launcher,
# in the project, under a pseudo-terminal for stty (script(1), macOS form);
# standard output to OUTFILE, standard error to OUTFILE.err.
run() {
	r=$1 out=$2; shift 2
	row_cmd "$r" >"$work/cmd"
	while IFS= read -r w; do set -- "$@" "$w"; done <"$work/cmd"
	if [ "$r" = stty ]; then set -- script -q /dev/null "$@"; fi
	if [ -n "$tz_env" ] && [ "$r" = date ]; then set -- env TZ="$tz_env" "$@"; fi
	# Only the program's output is judged: sbox's own warnings (e.g. about
	# limits.processes) go to standard error, kept next to it.
	(cd "$project" && "$@") >"$out" 2>"$out.err" </dev/null
}

# Denials tagged sbox:NAME, from the unified log, while the rows run.
: >"$work/denials"
if command -v log >/dev/null 2>&1; then
	log stream --style ndjson --predicate \
		'sender == "Sandbox" AND eventMessage CONTAINS "sbox:"' \
		>"$work/denials" 2>/dev/null &
	logpid=$!
	sleep 2
fi

host_broken=0
: >"$work/rows"
for r in $ROWS; do
	prog=$(row_program "$r")
	control=ok
	if [ -n "$prog" ]; then
		run "$r" "$work/out/control-$r"
		row_passed "$r" "$work/out/control-$r" $? || control=broken
	fi
	for p in $presets; do
		for launcher in sbox sandbox-exec; do
			want=$(expect "$p" "$r" "$prog")
			name=smoke-$p-$r
			[ "$launcher" = sandbox-exec ] && name=smokesx-$p-$r
			def=$work/defs/$name.json
			printf '{ "name": "%s", "extends": ["%s"] }\n' "$name" "$p" >"$def"
			got=skip
			if [ "$want" != skip ] && [ "$control" = broken ]; then
				got=host-broken; host_broken=1
			elif [ "$want" != skip ] && [ "$launcher" = sbox ]; then
				run "$r" "$work/out/$name" "$SBOX" run "$def" --
				row_passed "$r" "$work/out/$name" $? && got=ok || got=fail
			elif [ "$want" != skip ]; then
				prof=$work/defs/$name.sb
				"$SBOX" compile "$def" -D HOME="$home" -D PROJECT="$project" \
					-D CONTAINER="$sxc" -D TMPDIR="$sxc/tmp" -o "$prof" \
					>"$work/out/$name.compile" 2>&1
				# Parameters still open are listed in the profile's comments.
				set -- "$SANDBOX_EXEC" -f "$prof"
				sed -n 's/^;;   \([A-Z_][A-Z0-9_]*=.*\)$/\1/p' "$prof" >"$work/params"
				while IFS= read -r kv; do set -- "$@" -D "$kv"; done <"$work/params"
				run "$r" "$work/out/$name" "$@" --
				row_passed "$r" "$work/out/$name" $? && got=ok || got=fail
			fi
			printf '%s %s %s %s %s %s\n' "$launcher" "$p" "$r" "$want" "$got" "$name" \
				>>"$work/rows"
		done
	done
done

if [ -n "$logpid" ]; then
	sleep 2
	kill "$logpid" 2>/dev/null
	wait "$logpid" 2>/dev/null
	logpid=
fi

# ---- the table ------------------------------------------------------------
# denials NAME: how many, and the first "operation path" of them.
denials() {
	grep -E "sbox:$1([^A-Za-z0-9._-]|\$)" "$work/denials" >"$work/den" 2>/dev/null
	n=$(wc -l <"$work/den" | tr -d ' ')
	[ "$n" -gt 0 ] || { echo 0; return; }
	first=$(sed 's#\\/#/#g' "$work/den" | sed -n '1s/.*deny([0-9]*) \([^ "]*\) \{0,1\}\([^ "]*\).*/\1 \2/p' | cut -c1-60)
	echo "$n ${first}"
}

bad=0
printf '%-12s %-17s %-8s %-24s %-8s %-12s %s\n' launcher preset program path expected got denials
while read -r launcher p r want got name; do
	prog=$(row_program "$r")
	mark=
	case $got in
	skip) ;;
	host-broken) mark="  <- fails without any sandbox" ;;
	"$want") ;;
	*) mark="  <- NOT AS EXPECTED"; bad=1 ;;
	esac
	printf '%-12s %-17s %-8s %-24s %-8s %-12s %s%s\n' "$launcher" "$p" "$r" "${prog:--}" \
		"$want" "$got" "$(denials "$name")" "$mark"
done <"$work/rows"

if [ "$bad" = 1 ]; then
	echo "macos-smoke: some rows are not as expected (outputs: SMOKE_KEEP=1, $work/out)" >&2
	exit 1
fi
if [ "$host_broken" = 1 ]; then
	echo "macos-smoke: some programs fail even without a sandbox on this host" >&2
	exit 3
fi
echo "macos-smoke: every row as expected"
exit 0
