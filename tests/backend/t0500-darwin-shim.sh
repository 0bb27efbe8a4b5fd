#!/bin/sh
# The macOS backend compiles on Linux against tests/shim/sandbox.h, calls
# the real Seatbelt API, and is the only file that sees Apple declarations.
. "$TOP/tests/lib/test-lib.sh"

[ "$(uname -s)" = Darwin ] && skip_all "on macOS the real <sandbox.h> builds these files"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler"
CFLAGS="-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -D_GNU_SOURCE -I$TOP/src -I$TOP/tests/shim"

darwin_files=$(ls "$TOP"/src/*/*_darwin.c "$TOP"/src/*/*/*_darwin.c 2>/dev/null)
[ -n "$darwin_files" ] && ok "there are macOS files" || not_ok "no src/**/*_darwin.c"

# Apple builds with clang: try it too when it is here.
compilers=$CC
for c in clang clang-14; do
	command -v $c >/dev/null 2>&1 && { compilers="$compilers $c"; break; }
done

for f in $darwin_files; do
	rel=${f#"$TOP"/src/}
	for c in $compilers; do
		expect_rc 0 "$rel compiles against the shim ($c)" \
			$c $CFLAGS -fsyntax-only "$f"
	done
	obj="$BUILD/shim/${rel%.c}.o"
	if [ -f "$obj" ]; then ok "make check built $obj"; else
		not_ok "no $obj (the Makefile's shim rule)"; fi
done

# The launcher object calls Apple's functions for real, not stand-ins.
obj="$BUILD/shim/backend/macos/launch_darwin.o"
if [ -f "$obj" ]; then
	nm "$obj" >"$T_TMP/nm"
	for sym in sandbox_init_with_parameters sandbox_check sandbox_free_error \
		posix_spawn posix_spawnattr_setflags posix_spawn_file_actions_addinherit_np \
		sysctlbyname dlsym chroot setgroups setgid setuid seatbelt_launch; do
		expect_grep " U $sym\$" "$T_TMP/nm" "launch_darwin.o calls $sym"
	done
	expect_grep " T backend_launch\$" "$T_TMP/nm" "launch_darwin.o defines backend_launch"
	# The compile/apply SPI and csr_check are looked up at run time, by
	# name, never linked: a Mac without them still starts sbox.
	for sym in sandbox_create_params sandbox_set_param sandbox_free_params \
		sandbox_compile_string sandbox_apply sandbox_free_profile csr_check; do
		if grep -q " U $sym\$" "$T_TMP/nm"; then
			not_ok "$sym is linked, not looked up"
		else ok "$sym is not a link-time reference"; fi
		strings "$obj" | grep -qx "$sym" && ok "... its name is looked up with dlsym" ||
			not_ok "no string '$sym' for dlsym in launch_darwin.o"
	done
	# Descriptors are closed by the kernel at the exec, not listed.
	for sym in proc_pidinfo execve getdtablesize; do
		grep -q " U $sym\$" "$T_TMP/nm" && not_ok "launch_darwin.o still calls $sym" ||
			ok "launch_darwin.o does not call $sym"
	done
fi

# The shim is honest: like Apple's modern header it marks sandbox_free_error
# deprecated, so a call without the diagnostic guard fails under -Werror.
sed '/#pragma GCC diagnostic ignored/d' "$TOP/src/backend/macos/launch_darwin.c" \
	>"$T_TMP/unguarded_darwin.c"
expect_rc 1 "an unguarded deprecated call is rejected" \
	$CC $CFLAGS -I"$TOP/src/backend" -fsyntax-only "$T_TMP/unguarded_darwin.c"
expect_grep "deprecated" "$T_TMP/err" "the rejection names the deprecation"

# Only *_darwin.c may include <sandbox.h> or declare the SPI.
grep -rlE '#include <sandbox\.h>|sandbox_init_with_parameters *\(const' \
	"$TOP/src" | grep -v '_darwin\.c$' >"$T_TMP/leaks"
if [ -s "$T_TMP/leaks" ]; then not_ok "Apple declarations outside *_darwin.c:"
	sed 's/^/#   /' "$T_TMP/leaks"; else ok "Apple declarations only in *_darwin.c"; fi
if grep -qE '^[a-z].*(sandbox_init_with_parameters|sandbox_check|sandbox_compile_string|sandbox_apply|csr_check) *\(' \
	"$TOP"/tests/shim/*.h "$TOP"/tests/shim/*/*.h; then
	not_ok "the shim declares private SPI the real header lacks"
else ok "the shim declares only what the modern header has"; fi

done_testing
