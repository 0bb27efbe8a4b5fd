#!/bin/sh
# The generated vocabulary tables hold no pointers: vocab_data.o has no
# relocations outside its debug info. sbox is a static PIE, so each
# pointer in a constant table is a relocation the loader applies (and a
# copy-on-write page fault) at every start (tools/gen-vocab.py).
. "$TOP/tests/lib/test-lib.sh"

command -v readelf >/dev/null || skip_all "no readelf"
cc=${CC:-cc}

# Relocation sections of object $1 other than the debug info's.
load_relocs() {
	readelf -rW "$1" | grep "^Relocation section" | grep -v "'\.rela\.debug_"
}

obj=$BUILD/obj/policy/vocab_data.o
[ -f "$obj" ] || skip_all "no $obj"
# A sanitizer build adds descriptors of every global, with pointers: check
# the object the release build makes from the same source instead.
if nm "$obj" | grep -q __asan; then
	obj=$T_TMP/vocab_data.o
	expect_rc 0 "vocab_data.c compiles without sanitizers" \
		"$cc" -std=c11 -O2 -g -fPIE -I"$TOP/src" -c -o "$obj" \
		"$TOP/src/policy/vocab_data.c"
fi

load_relocs "$obj" >"$T_TMP/relocs"
if [ -s "$T_TMP/relocs" ]; then
	not_ok "vocab_data.o has relocations:"; sed 's/^/#   /' "$T_TMP/relocs"
else
	ok "vocab_data.o has no relocations"
fi
nm "$obj" >"$T_TMP/syms"
expect_grep " R vocab_strings$" "$T_TMP/syms" "... and holds the tables (vocab_strings in .rodata)"
expect_grep " R vocab_op_rows$" "$T_TMP/syms" "... (vocab_op_rows in .rodata)"

# The check sees a pointer table when there is one.
printf 'const char *const t[] = { "a", "b" };\n' >"$T_TMP/ptr.c"
expect_rc 0 "a pointer table compiles" \
	"$cc" -std=c11 -O2 -g -fPIE -c -o "$T_TMP/ptr.o" "$T_TMP/ptr.c"
if load_relocs "$T_TMP/ptr.o" | grep -q "data\.rel\.ro"; then
	ok "relocations of a pointer table are seen"
else
	not_ok "relocations of a pointer table are not seen"
fi
done_testing
