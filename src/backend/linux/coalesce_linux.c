/*
 * Many rules side by side in one folder (a thousand project subfolders,
 * say) would each be a bind mount, ~12 µs apiece plus teardown, growing
 * far faster than their Landlock rules (LINUX-BASELINES.md §5, §6). When
 * at least COALESCE_MIN rules of one kind sit directly in a folder that
 * nothing else makes visible, and that folder has few other entries, the
 * folder is bound once and its other entries are masked: the same view of
 * the folder at launch, in a few mounts. Landlock still gets one rule per
 * path, so access is decided exactly as before.
 */
#include "backend/linux/launch_linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/xalloc.h"

#define COALESCE_MIN 16

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return NULL;
	return xstrndup(path, (size_t)(slash - path));
}

static int
member_ok(const struct lx_launch *lx, size_t i)
{
	const struct lplan_path *p = &lx->plan.paths[i];
	const struct lx_object *o = &lx->objs[i];

	return (p->mount == LPM_BIND_RO || p->mount == LPM_BIND_RW) &&
	       o->fd >= 0;
}

/*
 * Is the folder already shown by a mount, or inside the private /tmp?
 * There the tmpfs's Landlock rule would let the folder be listed, and so
 * the names of the entries masked in it be seen: bind one by one instead.
 */
static int
folder_excluded(const struct lx_launch *lx, const char *folder)
{
	for (size_t i = 0; i < lx->plan.npaths; i++)
		if (lx->plan.paths[i].mount != LPM_NONE &&
		    linux_plan_beneath(lx->plan.paths[i].path, folder))
			return 1;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
open_folder(const char *folder)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, AT_FDCWD, folder, &how, sizeof(how));
}

/* The folder's entries that are not members; -1 if there are too many. */
static int
list_others(struct lx_group *g, char **names, size_t nnames)
{
	int fd = open_folder(g->folder);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	size_t limit = nnames / 4;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;

		if (!strcmp(n, ".") || !strcmp(n, "..") || e->d_type == DT_LNK ||
		    bsearch(&n, names, nnames, sizeof(*names), name_cmp))
			continue;
		if (g->nothers == limit)
			break;
		ALLOC_GROW(g->others, g->nothers + 1, g->others_alloc);
		g->others[g->nothers].name = xstrdup(n);
		g->others[g->nothers].is_dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;

			g->others[g->nothers].is_dir =
				fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				S_ISDIR(st.st_mode);
		}
		g->nothers++;
	}
	g->folder_fd = open_folder(g->folder);
	closedir(d);
	return e || g->folder_fd < 0 ? -1 : 0;
}

static void
group_release(struct lx_group *g)
{
	for (size_t i = 0; i < g->nothers; i++)
		free(g->others[i].name);
	free(g->others);
	free(g->folder);
	if (g->folder_fd >= 0)
		close(g->folder_fd);
	memset(g, 0, sizeof(*g));
	g->folder_fd = -1;
}

/* Members: entries first..end-1 in the folder with the same mount kind. */
static size_t
collect(const struct lx_launch *lx, size_t first, const char *folder,
	char ***names, size_t *nnames)
{
	size_t i, alloc = 0, flen = strlen(folder);

	*names = NULL;
	*nnames = 0;
	for (i = first; i < lx->plan.npaths; i++) {
		const char *p = lx->plan.paths[i].path;

		if (!linux_plan_beneath(folder, p) || !strcmp(folder, p))
			break;
		if (strchr(p + flen + 1, '/'))
			continue;      /* deeper: mounted later, inside */
		if (!member_ok(lx, i) ||
		    lx->plan.paths[i].mount != lx->plan.paths[first].mount)
			break;
		ALLOC_GROW(*names, *nnames + 1, alloc);
		(*names)[(*nnames)++] = (char *)p + flen + 1;
	}
	return i;
}

static void
try_group(struct lx_launch *lx, size_t first, size_t *next)
{
	struct lx_group g;
	char *folder = parent_of(lx->plan.paths[first].path);
	char **names;
	size_t nnames;

	memset(&g, 0, sizeof(g));
	g.folder_fd = -1;
	*next = first + 1;
	if (!folder || first + 1 >= lx->plan.npaths ||
	    !linux_plan_beneath(folder, lx->plan.paths[first + 1].path) ||
	    folder_excluded(lx, folder)) {
		free(folder);
		return;
	}
	*next = collect(lx, first, folder, &names, &nnames);
	g.folder = folder;
	g.first = first;
	g.kind = lx->plan.paths[first].mount;
	qsort(names, nnames, sizeof(*names), name_cmp);
	if (nnames < COALESCE_MIN || list_others(&g, names, nnames) < 0) {
		/* no group here: look at the next entry on its own */
		*next = first + 1;
		group_release(&g);
		free(names);
		return;
	}
	for (size_t i = first; i < *next; i++)
		if (!strchr(lx->plan.paths[i].path + strlen(folder) + 1, '/'))
			lx->objs[i].coalesced = 1;
	ALLOC_GROW(lx->groups, lx->ngroups + 1, lx->groups_alloc);
	lx->groups[lx->ngroups++] = g;
	free(names);
}

void
rootfs_coalesce(struct lx_launch *lx)
{
	size_t i = 0;

	while (i < lx->plan.npaths) {
		size_t next = i + 1;

		if (member_ok(lx, i))
			try_group(lx, i, &next);
		i = next;
	}
}

void
rootfs_groups_release(struct lx_launch *lx)
{
	for (size_t i = 0; i < lx->ngroups; i++)
		group_release(&lx->groups[i]);
	free(lx->groups);
	lx->groups = NULL;
	lx->ngroups = lx->groups_alloc = 0;
}
