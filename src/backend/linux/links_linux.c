/*
 * Resolving trusted system symlinks in the definition's paths (see
 * links_linux.h for why the plan is decided on resolved paths).
 */
#include "backend/linux/links_linux.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "backend/linux/linux_plan.h"
#include "util/path_name.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_SYMLINK_HOPS 40

ssize_t
lx_first_symlink(const char *path, struct stat *st)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (size_t k = 1; k <= len; k++) {
		if (path[k] != '/' && path[k] != '\0')
			continue;
		memcpy(buf, path, k);
		buf[k] = '\0';
		if (lstat(buf, st) < 0)
			return -1;
		if (S_ISLNK(st->st_mode))
			return (ssize_t)k;
	}
	return 0;
}

/* Lexically normalise an absolute path, resolving ".." against the text. */
static char *
normalize_dotdot(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = path;
	const char *name;
	size_t n;

	while ((name = path_name_next(&p, &n))) {
		if (path_name_is_dotdot(name, n)) {
			char *slash = strrchr(sb.buf, '/');

			sb.len = slash ? (size_t)(slash - sb.buf) : 0;
			sb.buf[sb.len] = '\0';
		} else {
			strbuf_addch(&sb, '/');
			strbuf_add(&sb, name, n);
		}
	}
	if (!sb.len)
		strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}

/* Replace the symlink prefix cur[0..k) by its target. */
static char *
substitute(const char *cur, size_t k, const char *text)
{
	char *joined, *out;

	if (text[0] == '/') {
		joined = xasprintf("%s%s", text, cur + k);
	} else {
		const char *slash = cur;

		for (size_t j = 0; j < k; j++)
			if (cur[j] == '/')
				slash = cur + j;
		joined = xasprintf("%.*s/%s%s", (int)(slash - cur), cur, text,
				   cur + k);
	}
	out = normalize_dotdot(joined);
	free(joined);
	return out;
}

static int
beneath_writable(const struct lx_links *l, const char *path)
{
	for (size_t i = 0; i < l->writable.nr; i++)
		if (linux_plan_beneath(l->writable.v[i], path))
			return 1;
	return 0;
}

/* The trees only the system manages, where a system link may be. */
static int
in_system_tree(const char *folder)
{
	static const char *const trees[] = { "/usr", "/etc", "/opt", "/var" };

	if (!strcmp(folder, "/"))
		return 1;
	if (linux_plan_beneath("/var/tmp", folder))
		return 0;  /* everyone's */
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++)
		if (linux_plan_beneath(trees[i], folder))
			return 1;
	return 0;
}

/*
 * Root's. Resolving runs in the caller's own user namespace (the
 * launcher, explain), where root's files are uid 0 and the overflow uid
 * is a real user's ("nobody"): no other owner counts.
 */
static int
owned_by_root(const struct stat *st)
{
	return st->st_uid == 0;
}

/* folder and every folder above it: root's, writable by no one else. */
static int
root_folders_up_to(const char *folder)
{
	char buf[PATH_MAX];
	size_t len = strlen(folder);
	struct stat st;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, folder, len + 1);
	for (size_t k = len; k > 0; k--) {
		if (k < len && buf[k] != '/')
			continue;
		buf[k] = '\0';
		if (lstat(buf, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    !owned_by_root(&st) || (st.st_mode & (S_IWOTH | S_IWGRP)))
			return 0;
	}
	return lstat("/", &st) == 0 && owned_by_root(&st) &&
	       !(st.st_mode & (S_IWOTH | S_IWGRP));
}

/*
 * A system link: root's, in "/" or under /usr, /etc, /opt or /var (not
 * /var/tmp), every folder above it root's and writable by no one else,
 * outside every writable tree, and not on procfs.
 *
 * Where a link lies matters as much as who owns it. A program that a
 * root launch ran is root on the host's files, so its links in a folder
 * it could write (a shared /srv folder, a home) are root's. procfs links
 * (/proc/self, the magic /proc/PID/root) name "/" itself: a grant through
 * one would show the host's root past every deny of the plan.
 */
static int
trusted_link(const struct lx_links *l, const char *link, const struct stat *st)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(link, '/');
	struct statfs fs;

	if (!owned_by_root(st) || beneath_writable(l, link) || !slash ||
	    (size_t)(slash - link) >= sizeof(parent))
		return 0;
	memcpy(parent, link, (size_t)(slash - link));
	parent[slash - link] = '\0';
	if (!parent[0])
		strcpy(parent, "/");
	if (!in_system_tree(parent) || statfs(parent, &fs) < 0 ||
	    fs.f_type == PROC_SUPER_MAGIC)
		return 0;
	return root_folders_up_to(parent);
}

static void
alias_add(struct lx_links *l, const char *link, const char *text)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].link, link))
			return;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr].link = xstrdup(link);
	l->v[l->nr].text = xstrdup(text);
	l->nr++;
}

/*
 * Follow trusted links until none is left; an untrusted one, a prefix
 * that cannot be examined (missing, say) or too many hops stop there,
 * with what was resolved so far: the launch's RESOLVE_NO_SYMLINKS open
 * then refuses a remaining link.
 */
static char *
resolve(struct lx_links *l, const char *path, int record)
{
	char *cur = xstrdup(path);

	for (int hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
		char text[PATH_MAX];
		struct stat st;
		ssize_t k = lx_first_symlink(cur, &st), n;
		char *next, saved;

		if (k <= 0)
			break;
		saved = cur[k];
		cur[k] = '\0';
		n = trusted_link(l, cur, &st) ?
			readlink(cur, text, sizeof(text) - 1) : -1;
		if (n < 0) {
			cur[k] = saved;
			break;
		}
		text[n] = '\0';
		if (record)
			alias_add(l, cur, text);
		cur[k] = saved;
		next = substitute(cur, (size_t)k, text);
		free(cur);
		cur = next;
	}
	return cur;
}

char *
lx_links_resolve(void *ctx, const char *path)
{
	return path[0] == '/' ? resolve(ctx, path, 1) : xstrdup(path);
}

static void
writable_add(struct lx_links *l, const char *path)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char *norm = linux_plan_normalize(path, &err);

	if (!norm)
		return;  /* linux_plan_build reports it */
	ALLOC_GROW(l->writable.v, l->writable.nr + 1, l->writable.alloc);
	l->writable.v[l->writable.nr++] = norm;
}

void
lx_links_init(struct lx_links *l, const struct container_def *def,
	      const char *data_dir)
{
	size_t written;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < def->fs_write.nr; i++)
		writable_add(l, def->fs_write.v[i].path);
	if (data_dir)
		writable_add(l, data_dir);
	/* a writable tree spelled through a link: links beneath its
	 * resolved path are the program's too */
	written = l->writable.nr;
	for (size_t i = 0; i < written; i++) {
		char *r = resolve(l, l->writable.v[i], 0);

		if (strcmp(r, l->writable.v[i])) {
			ALLOC_GROW(l->writable.v, l->writable.nr + 1,
				   l->writable.alloc);
			l->writable.v[l->writable.nr++] = r;
		} else {
			free(r);
		}
	}
}

void
lx_links_release(struct lx_links *l)
{
	for (size_t i = 0; i < l->writable.nr; i++)
		free(l->writable.v[i]);
	free(l->writable.v);
	for (size_t i = 0; i < l->nr; i++) {
		free(l->v[i].link);
		free(l->v[i].text);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
