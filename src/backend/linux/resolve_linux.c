/*
 * Opening the host paths a plan names, inside the container's fresh mount
 * namespace and before anything is mounted (LINUX-SECURITY.md #5).
 *
 * Every path is opened with openat2(RESOLVE_NO_SYMLINKS), so a symlink an
 * attacker planted (say, by a program in an earlier run of a container
 * whose tree is writable) never redirects a mount or a rule. The only
 * symlinks followed are system ones (Debian's /bin -> usr/bin): owned by
 * root, in "/" or under /usr, /etc, /opt or /var (not /var/tmp), every
 * folder above them root's and writable by no one else, outside every
 * writable tree of the plan, and not on procfs. They are recreated inside
 * so the path still works there.
 *
 * Where a link lies matters as much as who owns it. A program that a
 * root launch ran is root on the host's files, so its links in a folder
 * it could write (a shared /srv folder, a home) are root's. And this runs
 * in the new user namespace, where an unprivileged caller sees root's
 * files and every other user's alike as owned by the overflow uid: another
 * user's link would pass for root's. procfs links (/proc/self, the magic
 * /proc/PID/root) name "/" itself: a grant through one would mount the
 * host's root past every deny the plan computed from the written path.
 * The caller's own links are never trusted.
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/path_name.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_SYMLINK_HOPS 40
#define OVERFLOW_UID 65534

static int
open_nosymlinks(const char *path)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
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

static int
beneath_writable(const struct linux_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->npaths; i++)
		if ((plan->paths[i].access & LP_WRITE) &&
		    linux_plan_beneath(plan->paths[i].path, path))
			return 1;
	return 0;
}

/*
 * Find the first symlink among the prefixes of cur. Returns its length,
 * 0 when there is none, -1 when a prefix cannot be examined.
 */
static ssize_t
first_symlink(const char *cur, struct stat *st)
{
	char buf[PATH_MAX];
	size_t len = strlen(cur);

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (size_t k = 1; k <= len; k++) {
		if (cur[k] != '/' && cur[k] != '\0')
			continue;
		memcpy(buf, cur, k);
		buf[k] = '\0';
		if (lstat(buf, st) < 0)
			return -1;
		if (S_ISLNK(st->st_mode))
			return (ssize_t)k;
	}
	return 0;
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

static int
owned_by_root(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == OVERFLOW_UID;
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

static int
trusted_link(const struct linux_plan *plan, const char *link,
	     const struct stat *st)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(link, '/');
	struct statfs fs;

	if (!owned_by_root(st) || beneath_writable(plan, link) || !slash ||
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

static int
follow_trusted(struct lx_launch *lx, const char *path, struct lx_object *o)
{
	char *cur = xstrdup(path);

	for (int hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
		char text[PATH_MAX];
		struct stat st;
		ssize_t k = first_symlink(cur, &st), n;
		char *next, saved;

		if (k < 0)
			break;
		if (k == 0) {
			o->fd = open_nosymlinks(cur);
			o->dest = cur;
			return o->fd < 0 ? -1 : 0;
		}
		saved = cur[k];
		cur[k] = '\0';
		if (!trusted_link(&lx->plan, cur, &st)) {
			lx_warn(lx, "not following symlink '%s' (only root's "
				"links in /, /usr, /etc, /opt and /var are "
				"followed); skipping '%s'", cur, path);
			errno = ELOOP;
			break;
		}
		n = readlink(cur, text, sizeof(text) - 1);
		if (n < 0)
			break;
		text[n] = '\0';
		if (!o->link) {
			o->link = xstrdup(cur);
			o->link_text = xstrdup(text);
		}
		cur[k] = saved;
		next = substitute(cur, (size_t)k, text);
		free(cur);
		cur = next;
		errno = ELOOP;  /* if this was the last hop allowed */
	}
	free(cur);
	return -1;
}

static int
needs_host_object(const struct lplan_path *p)
{
	switch (p->mount) {
	case LPM_TMPFS:
	case LPM_DEV:
	case LPM_PROC:
		return 0;
	case LPM_NONE:
		return p->access != 0;
	default:
		return 1;
	}
}

/*
 * A deny whose path cannot be shown as the definition says (issue 10 #1):
 * a symlink, a path that cannot be opened, or, inside a writable tree, a
 * path that does not exist (the program could create it). Stops the
 * launch with exit 3, or is only a warning with --allow-weaker.
 */
static int
deny_unenforceable(struct lx_launch *lx, size_t i, int e,
		   struct sbox_err *err)
{
	const struct lplan_path *p = &lx->plan.paths[i];
	const char *denied = p->path, *why = (e == ENOENT || e == ENOTDIR) ?
		"does not exist inside a writable tree, so the program could "
		"create it (create it, or remove the deny)" :
		e == ELOOP ? "is or goes through a symlink" : strerror(e);

	if (!(p->flags & (LPF_DENY | LPF_PIN)))
		return 0;
	if ((e == ENOENT || e == ENOTDIR) && !(p->flags & LPF_MUST_EXIST))
		return 0;  /* nothing can create it: nothing to hide */
	/* a pin: name the denied path beneath it too */
	for (size_t j = i + 1; (p->flags & LPF_PIN) && j < lx->plan.npaths &&
	     linux_plan_beneath(p->path, lx->plan.paths[j].path); j++)
		if (lx->plan.paths[j].flags & LPF_DENY) {
			denied = lx->plan.paths[j].path;
			break;
		}
	if (lx->req->flags & LAUNCH_ALLOW_WEAKER) {
		lx_warn(lx, "the deny of '%s' is not enforced: '%s' %s",
			denied, p->path, why);
		return 0;
	}
	return err_set(err, SBOX_E_UNSUPPORTED,
		       "cannot enforce the deny of '%s': '%s' %s; "
		       "--allow-weaker runs without it", denied, p->path, why);
}

static int
resolve_one(struct lx_launch *lx, size_t i, struct sbox_err *err)
{
	const struct lplan_path *p = &lx->plan.paths[i];
	struct lx_object *o = &lx->objs[i];
	struct stat st;
	int e;

	o->fd = open_nosymlinks(p->path);
	if (o->fd < 0 && errno == ELOOP)
		follow_trusted(lx, p->path, o);  /* sets errno when it fails */
	if (o->fd < 0) {
		e = errno;
		if (p->flags & (LPF_DENY | LPF_PIN))
			return deny_unenforceable(lx, i, e, err);
		if (e != ENOENT && e != ENOTDIR && e != ELOOP)
			lx_warn(lx, "skipping '%s': %s", p->path, strerror(e));
		return 0;
	}
	if (fstat(o->fd, &st) == 0)
		o->is_dir = S_ISDIR(st.st_mode);
	return 0;
}

int
rootfs_resolve(struct lx_launch *lx, struct sbox_err *err)
{
	static const char *const devs[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
		"/dev/urandom", "/dev/tty",
	};

	for (size_t i = 0; i < lx->plan.npaths; i++) {
		lx->objs[i].fd = -1;
		if (needs_host_object(&lx->plan.paths[i]) &&
		    resolve_one(lx, i, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		lx->dev_fds[i] = open_nosymlinks(devs[i]);
	lx->devnull_fd = lx->dev_fds[0];
	if (lx->devnull_fd < 0)
		return err_sys(err, "cannot open /dev/null");
	rootfs_coalesce(lx);
	return 0;
}

void
rootfs_close_objects(struct lx_launch *lx)
{
	for (size_t i = 0; lx->objs && i < lx->plan.npaths; i++) {
		if (lx->objs[i].fd >= 0)
			close(lx->objs[i].fd);
		lx->objs[i].fd = -1;
	}
	for (size_t i = 0; i < sizeof(lx->dev_fds) / sizeof(lx->dev_fds[0]); i++) {
		if (lx->dev_fds[i] >= 0)
			close(lx->dev_fds[i]);
		lx->dev_fds[i] = -1;
	}
	lx->devnull_fd = -1;
	rootfs_groups_release(lx);
}

/* By the launcher once the child is gone: what resolving allocated. */
void
rootfs_free_objects(struct lx_launch *lx)
{
	for (size_t i = 0; lx->objs && i < lx->plan.npaths; i++) {
		free(lx->objs[i].dest);
		free(lx->objs[i].link);
		free(lx->objs[i].link_text);
	}
	free(lx->objs);
	lx->objs = NULL;
}
