/*
 * What a definition's filesystem section means, independent of SBPL:
 * every listed path names itself and everything below it; for a path the
 * most specific (longest) listed ancestor decides, and at that path a deny
 * beats every grant (the unveil model, DESIGN.md "Definitions"). read
 * grants reading, write grants reading and writing, exec grants reading
 * and executing.
 *
 * The emitter turns this into ordered SBPL rules (sbpl/emit.c); the
 * property test compares def_access_decide() with decisions on the
 * evaluated emitted profile.
 */
#ifndef SBOX_DEF_DEF_ACCESS_H
#define SBOX_DEF_DEF_ACCESS_H

#include <stddef.h>

#include "def/def.h"
#include "def/def_strmap.h"

enum {
	DEF_ACC_READ = 1,
	DEF_ACC_WRITE = 2,
	DEF_ACC_EXEC = 4,
	DEF_ACC_DENY = 8,
	DEF_ACC_CLASSES = 15,
	/* def_base_paths only: present when the definition allows any
	 * network (names must resolve, even localhost), or outbound traffic */
	DEF_ACC_NET = 16,
	DEF_ACC_OUTBOUND = 32,
};

/* One distinct canonical path with everything the definition says of it. */
struct def_access_entry {
	char *path;        /* canonical (macOS spelling), may start with ${VAR} */
	unsigned bits;     /* DEF_ACC_* */
	unsigned depth;    /* components, variables counted by their usual depth */
	int base;          /* from the built-in start-up set, not the definition */
	const char *why;   /* base entries: the reason, cited */
	struct src_loc loc; /* first place the definition wrote it */
};

struct def_access {
	struct def_access_entry *v;
	size_t nr, alloc;
	struct def_strmap index;   /* path -> position in v */
};

/*
 * Entries of def plus the built-in start-up paths a program needs under
 * (deny default) (MACOS.md §1.8), sorted general first: depth ascending,
 * then path. Paths are canonicalised for macOS (/tmp -> /private/tmp).
 */
void def_access_build(const struct container_def *def, struct def_access *out);
void def_access_release(struct def_access *a);
/* Position of the nearest entry strictly above entry i (textually), or -1. */
long def_access_parent(const struct def_access *a, size_t i);

/*
 * The decision of the definition's own semantics for one access class
 * (DEF_ACC_READ, _WRITE or _EXEC) on a canonical absolute path: 1 allow,
 * 0 deny. Computed straight from the definition's lists, not from
 * def_access_build, so the two can be checked against each other.
 */
int def_access_decide(const struct container_def *def, unsigned cls,
		      const char *path);

/*
 * file-read-metadata on a canonical path: readable paths, and also the
 * ancestors of every readable listed path and the / /tmp /var /etc nodes,
 * which path resolution must be able to stat (MACOS.md §1.8.4,
 * SBPL-SEMANTICS.md §a.5). 1 allow, 0 deny.
 */
int def_access_decide_metadata(const struct container_def *def,
			       const char *path);

/*
 * Moving a folder that holds a protected path (denied, or listed read or
 * exec only) would carry it out from under its rule, so renaming or
 * removing any writable ancestor of one is refused (the move-blocking of
 * sandbox-runtime): file-write-unlink is allowed where writing is, except
 * on strict ancestors of listed paths that are not writable. 1 allow,
 * 0 deny.
 */
int def_access_decide_unlink(const struct container_def *def, const char *path);

/*
 * file-link (hard links) and file-clone (APFS clonefile) are allowed by
 * default even under (deny default) (chromium renderer.sb: "allowed by
 * default"). A hard link is a second name for the same file, writable
 * wherever the new name is: a definition allows it only where writing
 * is. A clone is a copy: allowed only where reading is, so a denied file
 * cannot be cloned out. 1 allow, 0 deny.
 */
int def_access_decide_link(const struct container_def *def, const char *path);
int def_access_decide_clone(const struct container_def *def, const char *path);

/* Position of the most specific entry covering path (itself included), or -1. */
long def_access_lookup(const struct def_access *a, const char *path);

/* /tmp, /var, /etc -> /private/...; heap string. */
char *def_path_canonical(const char *path);
/* 1 if anc is path or one of its ancestors (subpath match). */
int def_path_covers(const char *anc, const char *path);

/* The built-in start-up paths (MACOS.md §1.8), NULL-terminated. */
struct def_base_path {
	const char *path;
	unsigned bits;
	const char *why;
};
extern const struct def_base_path def_base_paths[];
/* Whether a base path belongs to def (DEF_ACC_NET, DEF_ACC_OUTBOUND). */
int def_base_path_applies(const struct container_def *def,
			  const struct def_base_path *b);

#endif
