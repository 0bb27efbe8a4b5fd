/*
 * The host's system symlinks (Debian's merged /usr: /bin -> usr/bin,
 * /lib -> usr/lib, ...) resolved in the definition's paths before the
 * launch plan is decided.
 *
 * Why the plan is computed on resolved paths rather than the mounts being
 * reordered: the plan decides more than the order of mounts. Whether a
 * deny needs a mask at all, and which Landlock rule covers a path, depend
 * on which listed paths enclose it; "/lib/x" written in a deny and "/usr"
 * written in a grant do not look related, yet they are the same tree
 * once /lib is followed (a Landlock rule sits on the inode, so it covers
 * the resolved path). Deciding on resolved paths makes the most-specific
 * rule, the masks, the mount order and the Landlock rules agree with what
 * the program will reach, whichever spelling each rule used.
 *
 * A link is followed only when it is a system one: owned by root, in "/"
 * or under /usr, /etc, /opt or /var (not /var/tmp), every folder above it
 * root's and writable by no one else, not on procfs, and not beneath any
 * writable path of the definition (written or resolved). Any other link
 * is left in the path, and opening it at launch with RESOLVE_NO_SYMLINKS
 * refuses it (a deny through it stops the launch, exit 3).
 */
#ifndef SBOX_BACKEND_LINUX_LINKS_H
#define SBOX_BACKEND_LINUX_LINKS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "def/def.h"

/* A followed system link, recreated inside so its spelling still works. */
struct lx_alias {
	char *link;   /* absolute path of the link */
	char *text;   /* what it says */
};

struct lx_links {
	struct def_strlist writable; /* normalised, written and resolved */
	struct lx_alias *v;
	size_t nr, alloc;
};

/* Collect the writable paths of def (and data_dir) links must avoid. */
void lx_links_init(struct lx_links *l, const struct container_def *def,
		   const char *data_dir);
void lx_links_release(struct lx_links *l);

/*
 * path (absolute, normalised) with its trusted system links resolved, a
 * new string; the links followed are remembered as aliases. An
 * lplan_resolver callback (ctx is the struct lx_links).
 */
char *lx_links_resolve(void *ctx, const char *path);

/*
 * Length of the first symlink among the prefixes of path, 0 when there
 * is none, -1 when a prefix cannot be examined (errno set).
 */
ssize_t lx_first_symlink(const char *path, struct stat *st);

#endif
