/*
 * Mach-O linkage from the load commands (backend/macos/macho.h). Only the
 * header, the fat table and the load commands are read, so a 100 MB
 * universal binary costs a few reads.
 */
#include "backend/macos/macho.h"

#include <stdlib.h>
#include <string.h>

/* mach-o/loader.h and mach-o/fat.h constants. */
#define MH_MAGIC 0xfeedfaceu
#define MH_CIGAM 0xcefaedfeu
#define MH_MAGIC_64 0xfeedfacfu
#define MH_CIGAM_64 0xcffaedfeu
#define FAT_MAGIC 0xcafebabeu    /* fat headers are big-endian */
#define FAT_MAGIC_64 0xcafebabfu
#define MH_EXECUTE 0x2u
#define LC_REQ_DYLD 0x80000000u
#define LC_LOAD_DYLIB 0xcu
#define LC_LOAD_DYLINKER 0xeu
#define LC_LOAD_WEAK_DYLIB (0x18u | LC_REQ_DYLD)
#define LC_REEXPORT_DYLIB (0x1fu | LC_REQ_DYLD)
#define LC_LAZY_LOAD_DYLIB 0x20u
#define LC_LOAD_UPWARD_DYLIB (0x23u | LC_REQ_DYLD)

#define MACH_HEADER_SIZE 28u     /* mach_header; _64 adds `reserved` */
#define MACH_HEADER_64_SIZE 32u
#define FAT_ARCH_SIZE 20u
#define FAT_ARCH_64_SIZE 32u
/* Far above any real program's load commands; bounds the allocation. */
#define MAX_SIZEOFCMDS (4u << 20)
#define MAX_FAT_ARCHS 64u

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
get32(const unsigned char *p, int swap)
{
	uint32_t v = be32(p);

	/* be32 read it big-endian: a little-endian file needs the swap. */
	return swap ? (v >> 24 | (v >> 8 & 0xff00u) | (v << 8 & 0xff0000u) |
		       v << 24) : v;
}

static int
read_exact(macho_reader rd, void *arg, uint64_t off, void *buf, size_t n)
{
	return rd(arg, off, buf, n) == (ssize_t)n ? 0 : -1;
}

/* Is this load command one that makes dyld load something? */
static int
cmd_is_dynamic(uint32_t cmd)
{
	return cmd == LC_LOAD_DYLINKER || cmd == LC_LOAD_DYLIB ||
	       cmd == LC_LOAD_WEAK_DYLIB || cmd == LC_REEXPORT_DYLIB ||
	       cmd == LC_LAZY_LOAD_DYLIB || cmd == LC_LOAD_UPWARD_DYLIB;
}

static enum macho_link
commands_linkage(const unsigned char *cmds, uint32_t ncmds, uint32_t size,
		 int swap)
{
	uint32_t off = 0;

	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd, cmdsize;

		if (size - off < 8)
			return MACHO_MALFORMED;
		cmd = get32(cmds + off, swap);
		cmdsize = get32(cmds + off + 4, swap);
		if (cmdsize < 8 || cmdsize > size - off)
			return MACHO_MALFORMED;
		if (cmd_is_dynamic(cmd))
			return MACHO_DYNAMIC;
		off += cmdsize;
	}
	return MACHO_STATIC;
}

/* One thin Mach-O image at off (the whole file, or a fat slice). */
static enum macho_link
thin_linkage(macho_reader rd, void *arg, uint64_t off)
{
	unsigned char hdr[MACH_HEADER_SIZE], *cmds;
	uint32_t magic, filetype, ncmds, sizeofcmds, hsize;
	enum macho_link link;
	int swap;

	if (read_exact(rd, arg, off, hdr, sizeof(hdr)) < 0)
		return MACHO_MALFORMED;
	magic = be32(hdr);
	if (magic == MH_MAGIC || magic == MH_MAGIC_64)
		swap = 0;
	else if (magic == MH_CIGAM || magic == MH_CIGAM_64)
		swap = 1;
	else
		return MACHO_MALFORMED;
	hsize = magic == MH_MAGIC_64 || magic == MH_CIGAM_64 ?
		MACH_HEADER_64_SIZE : MACH_HEADER_SIZE;
	filetype = get32(hdr + 12, swap);
	ncmds = get32(hdr + 16, swap);
	sizeofcmds = get32(hdr + 20, swap);
	if (sizeofcmds > MAX_SIZEOFCMDS)
		return MACHO_MALFORMED;
	cmds = malloc(sizeofcmds ? sizeofcmds : 1);
	if (!cmds)
		return MACHO_MALFORMED;
	if (read_exact(rd, arg, off + hsize, cmds, sizeofcmds) < 0)
		link = MACHO_MALFORMED;
	else
		link = commands_linkage(cmds, ncmds, sizeofcmds, swap);
	free(cmds);
	if (link == MACHO_STATIC && filetype != MH_EXECUTE)
		return MACHO_DYNAMIC;
	return link;
}

static enum macho_link
fat_linkage(macho_reader rd, void *arg, int is64, uint32_t nfat)
{
	size_t asize = is64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
	unsigned char a[FAT_ARCH_64_SIZE];

	if (nfat == 0 || nfat > MAX_FAT_ARCHS)
		return MACHO_MALFORMED;
	for (uint32_t i = 0; i < nfat; i++) {
		uint64_t off;
		enum macho_link link;

		if (read_exact(rd, arg, 8 + (uint64_t)i * asize, a, asize) < 0)
			return MACHO_MALFORMED;
		off = is64 ? (uint64_t)be32(a + 8) << 32 | be32(a + 12) :
		      be32(a + 8);
		link = thin_linkage(rd, arg, off);
		if (link != MACHO_STATIC)
			return link;
	}
	return MACHO_STATIC;
}

enum macho_link
macho_linkage(macho_reader rd, void *arg)
{
	unsigned char head[8];
	ssize_t n = rd(arg, 0, head, sizeof(head));
	uint32_t magic;

	if (n < 4)
		return MACHO_NOT_MACHO;
	magic = be32(head);
	if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
		/*
		 * 0xcafebabe is also a Java class file's magic; a class file's
		 * next word (its version) is far above any real arch count,
		 * which fat_linkage rejects as malformed.
		 */
		if (n < 8)
			return MACHO_MALFORMED;
		return fat_linkage(rd, arg, magic == FAT_MAGIC_64, be32(head + 4));
	}
	if (magic == MH_MAGIC || magic == MH_MAGIC_64 || magic == MH_CIGAM ||
	    magic == MH_CIGAM_64)
		return thin_linkage(rd, arg, 0);
	return MACHO_NOT_MACHO;
}

const char *
macho_link_name(enum macho_link link)
{
	switch (link) {
	case MACHO_STATIC: return "statically linked";
	case MACHO_DYNAMIC: return "dynamically linked";
	case MACHO_NOT_MACHO: return "not a Mach-O program";
	case MACHO_MALFORMED: return "a malformed Mach-O file";
	}
	return "?";
}
