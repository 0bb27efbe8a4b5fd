/*
 * How a Mach-O program is linked, read from its load commands: the chroot
 * decision (backend/macos/seatbelt_chroot.c) needs to know whether a program in a
 * root filesystem needs dyld and the shared cache. Pure: the bytes come
 * through a reader callback, so it runs and is tested on Linux.
 *
 * Layouts as Apple's public headers define them
 * (apple-oss-distributions/xnu EXTERNAL_HEADERS/mach-o/loader.h, fat.h):
 * mach_header(_64), load_command {cmd, cmdsize}, fat_header/fat_arch(_64)
 * big-endian.
 */
#ifndef SBOX_BACKEND_MACHO_H
#define SBOX_BACKEND_MACHO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum macho_link {
	MACHO_STATIC,     /* an executable that names no dyld and no dylib */
	MACHO_DYNAMIC,    /* LC_LOAD_DYLINKER or a LC_*_DYLIB in some slice */
	MACHO_NOT_MACHO,  /* another format (a script, ELF, ...) */
	MACHO_MALFORMED,  /* Mach-O magic, then nonsense or a short file */
};

/*
 * Reads up to n bytes at off into buf; returns the bytes read (short at
 * end of file) or -1.
 */
typedef ssize_t (*macho_reader)(void *arg, uint64_t off, void *buf, size_t n);

/*
 * The linkage of the file read through rd. A fat file is static only when
 * every slice is (the kernel, not sbox, picks the slice); a slice that is
 * not an executable (MH_EXECUTE) counts as dynamic.
 */
enum macho_link macho_linkage(macho_reader rd, void *arg);

const char *macho_link_name(enum macho_link link);

#endif
