/*
 * The container's root (DESIGN.md "Launch order"): a tmpfs staged over
 * /tmp of the private mount namespace, filled in depth-first order with
 * read-only and read-write binds of the host objects rootfs_resolve()
 * opened, masks over denied paths, a private /tmp, a minimal /dev and a
 * fresh /proc; then pivot_root into it and drop the old root.
 *
 * Binds use the new mount API on the opened descriptors (open_tree,
 * mount_setattr, move_mount), so no host path is looked up again, and
 * destinations are opened with RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS.
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/xalloc.h"

#define STAGING "/tmp"
#define ATTR_BASE (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)

struct rootfs {
	int staging_fd;   /* the staged tmpfs, made read-only at the end */
	int root_fd;      /* top of the root, for lookups */
	int *late_ro;     /* masks and /dev to make read-only at the end */
	size_t nlate, late_alloc;
};

static int
open_beneath(int dirfd, const char *rel, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
		      RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
}

/* Open (creating if needed) the mount point rel beneath the root. */
static int
mountpoint_open(struct rootfs *fs, const char *rel, int is_dir)
{
	int parent, fd = open_beneath(fs->root_fd, rel, O_PATH);
	const char *p = rel;

	if (fd >= 0 || errno != ENOENT)
		return fd;
	parent = fcntl(fs->root_fd, F_DUPFD_CLOEXEC, 0);
	while (parent >= 0 && *p) {
		char comp[256];
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		int last = !*end, next;

		if (n >= sizeof(comp)) {
			errno = ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (last && !is_dir) {
			next = openat(parent, comp, O_CREAT | O_WRONLY | O_NOFOLLOW |
				      O_CLOEXEC, 0600);
			if (next >= 0)
				close(next);
		} else if (mkdirat(parent, comp, 0755) < 0 && errno != EEXIST) {
			break;
		}
		next = open_beneath(parent, comp, O_PATH);
		close(parent);
		parent = next;
		if (last)
			return parent;
		p = end + 1;
	}
	if (parent >= 0)
		close(parent);
	return -1;
}

static int
attach(int tree, int dst)
{
	return move_mount(tree, "", dst, "",
			  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int
bind_object(int obj_fd, int dst, unsigned attrs)
{
	struct mount_attr attr;
	int tree = open_tree(obj_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			     AT_EMPTY_PATH | AT_RECURSIVE);
	int ret = -1;

	if (tree < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = attrs;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
			  sizeof(attr)) == 0 && attach(tree, dst) == 0)
		ret = 0;
	close(tree);
	return ret;
}

/* A fresh filesystem (tmpfs, proc) attached at dst; returns its fd. */
static int
new_fs(const char *type, const char *mode, unsigned attrs, int dst)
{
	int fsfd = fsopen(type, FSOPEN_CLOEXEC), mnt = -1;

	if (fsfd < 0)
		return -1;
	if ((!mode || fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", mode, 0) == 0) &&
	    fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
	close(fsfd);
	if (mnt >= 0 && attach(mnt, dst) < 0) {
		close(mnt);
		mnt = -1;
	}
	return mnt;
}

static void
late_ro_add(struct rootfs *fs, int mnt)
{
	ALLOC_GROW(fs->late_ro, fs->nlate + 1, fs->late_alloc);
	fs->late_ro[fs->nlate++] = mnt;
}

static int
set_ro(int mnt)
{
	struct mount_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_RDONLY;
	return mount_setattr(mnt, "", AT_EMPTY_PATH, &attr, sizeof(attr));
}

/*
 * The program's terminal (--pty): a devpts instance of the container's
 * own at /dev/pts, with /dev/ptmx pointing into it. Each mount of devpts
 * is a new instance since Linux 4.7 and may be made in a user namespace
 * (devpts(5) is FS_USERNS_MOUNT, and devpts_fill_super clears SB_I_NODEV),
 * so unprivileged launches get it too; the program sees no pty of the
 * host, and /dev/pts/0 is a name it can open again. No gid= (the tty
 * group is not mapped): a slave belongs to the group that opened it.
 */
static int
mount_devpts(int dev)
{
	int fsfd, mnt = -1, dir, ret = -1;

	if (mkdirat(dev, "pts", 0755) < 0 ||
	    symlinkat("pts/ptmx", dev, "ptmx") < 0)
		return -1;
	dir = open_beneath(dev, "pts", O_PATH | O_DIRECTORY);
	fsfd = fsopen("devpts", FSOPEN_CLOEXEC);
	if (dir >= 0 && fsfd >= 0 &&
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "ptmxmode", "0666", 0) == 0 &&
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", "0620", 0) == 0 &&
	    fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fsfd, FSMOUNT_CLOEXEC,
			      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mnt >= 0 && attach(mnt, dir) == 0)
		ret = 0;
	if (mnt >= 0)
		close(mnt);
	if (fsfd >= 0)
		close(fsfd);
	if (dir >= 0)
		close(dir);
	return ret;
}

/* Minimal /dev: a few host nodes, the usual symlinks (#14). */
static int
mount_dev(struct lx_launch *lx, struct rootfs *fs, int dst)
{
	static const char *const names[] = {
		"null", "zero", "full", "random", "urandom", "tty",
	};
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	int dev = new_fs("tmpfs", "0755", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
			 dst);

	if (dev < 0)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int node;

		if (lx->dev_fds[i] < 0)
			continue;
		node = openat(dev, names[i], O_CREAT | O_WRONLY | O_NOFOLLOW |
			      O_CLOEXEC, 0600);
		if (node < 0)
			return -1;
		close(node);
		node = open_beneath(dev, names[i], O_PATH);
		if (node < 0 || bind_object(lx->dev_fds[i], node,
					    MOUNT_ATTR_NOSUID |
					    MOUNT_ATTR_NOEXEC) < 0)
			return -1;
		close(node);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], dev, links[i][0]) < 0)
			return -1;
	if (lx->pty.fds && mount_devpts(dev) < 0)
		return -1;
	late_ro_add(fs, dev);
	return 0;
}

static int
next_is_inside(const struct linux_plan *plan, size_t i)
{
	return i + 1 < plan->npaths &&
	       linux_plan_beneath(plan->paths[i].path, plan->paths[i + 1].path);
}

/* An empty, read-only stand-in over a denied path (#1, #2). */
static int
mount_mask(struct lx_launch *lx, struct rootfs *fs, size_t i, int dst)
{
	int mnt, has_kids = next_is_inside(&lx->plan, i);

	if (!lx->objs[i].is_dir)
		/* /dev/null on a nodev mount: every open fails with EACCES */
		return bind_object(lx->devnull_fd, dst, ATTR_BASE |
				   MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY);
	mnt = new_fs("tmpfs", has_kids ? "0111" : "0000",
		     ATTR_BASE | MOUNT_ATTR_NOEXEC |
		     (has_kids ? 0 : MOUNT_ATTR_RDONLY), dst);
	if (mnt < 0)
		return -1;
	if (has_kids)
		late_ro_add(fs, mnt);
	else
		close(mnt);
	return 0;
}

static int
mount_special(struct lx_launch *lx, struct rootfs *fs, enum lplan_mount m,
	      int dst)
{
	int mnt;

	if (m == LPM_DEV)
		return mount_dev(lx, fs, dst);
	if (m == LPM_PROC)
		mnt = new_fs("proc", NULL, ATTR_BASE | MOUNT_ATTR_NOEXEC, dst);
	else
		mnt = new_fs("tmpfs", "1777", ATTR_BASE, dst);
	if (mnt < 0)
		return -1;
	close(mnt);
	return 0;
}

/*
 * Recreate the system links the plan's paths went through (/bin ->
 * usr/bin) so their spelling still works inside. After every mount: no
 * plan path goes through one (they were resolved), and where the link's
 * folder is a bind of the host, the link is already there (EEXIST).
 */
/* Is path inside a mask? A mask stays empty, even of a link's name. */
static int
inside_mask(const struct linux_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->npaths; i++)
		if (plan->paths[i].mount == LPM_MASK &&
		    linux_plan_beneath(plan->paths[i].path, path))
			return 1;
	return 0;
}

static void
make_aliases(struct lx_launch *lx, struct rootfs *fs)
{
	for (size_t i = 0; i < lx->links.nr; i++) {
		const struct lx_alias *a = &lx->links.v[i];
		const char *slash = strrchr(a->link, '/');
		char *parent;
		int dir;

		if (!slash || !slash[1] || inside_mask(&lx->plan, a->link))
			continue;
		parent = xstrndup(a->link + 1, (size_t)(slash - a->link) -
				  (slash > a->link ? 1 : 0));
		dir = parent[0] ? open_beneath(fs->root_fd, parent,
					       O_PATH | O_DIRECTORY)
				: fcntl(fs->root_fd, F_DUPFD_CLOEXEC, 0);
		free(parent);
		if (dir < 0)
			continue;  /* its folder is not shown: nothing to spell */
		(void)symlinkat(a->text, dir, slash + 1);
		close(dir);
	}
}

static int
mount_one(struct lx_launch *lx, struct rootfs *fs, size_t i)
{
	const struct lplan_path *p = &lx->plan.paths[i];
	const struct lx_object *o = &lx->objs[i];
	const char *dest = p->path;
	int special = p->mount == LPM_TMPFS || p->mount == LPM_DEV ||
		      p->mount == LPM_PROC;
	int dst, ret;

	if (p->mount == LPM_NONE || o->coalesced || (!special && o->fd < 0))
		return 0;
	dst = dest[1] ? mountpoint_open(fs, dest + 1, special || o->is_dir)
		      : fcntl(fs->root_fd, F_DUPFD_CLOEXEC, 0);
	if (dst < 0)
		return -1;
	if (special)
		ret = mount_special(lx, fs, p->mount, dst);
	else if (p->mount == LPM_MASK)
		ret = mount_mask(lx, fs, i, dst);
	else
		ret = bind_object(o->fd, dst, ATTR_BASE |
				  (p->mount == LPM_BIND_RO ? MOUNT_ATTR_RDONLY : 0));
	close(dst);
	if (ret == 0 && !dest[1]) {
		/* a bind over "/" hides the staging root: look up from its top */
		close(fs->root_fd);
		fs->root_fd = open(STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
		ret = fs->root_fd < 0 ? -1 : 0;
	}
	return ret;
}

/* One bind for a folder of many rules, masks over its other entries. */
static int
mount_group(struct lx_launch *lx, struct rootfs *fs, const struct lx_group *g)
{
	int dst = mountpoint_open(fs, g->folder + 1, 1), ret;

	if (dst < 0)
		return -1;
	ret = bind_object(g->folder_fd, dst, ATTR_BASE |
			  (g->kind == LPM_BIND_RO ? MOUNT_ATTR_RDONLY : 0));
	close(dst);
	for (size_t i = 0; ret == 0 && i < g->nothers; i++) {
		char rel[4096];
		int mnt;

		snprintf(rel, sizeof(rel), "%s/%s", g->folder + 1, g->others[i].name);
		dst = open_beneath(fs->root_fd, rel, O_PATH);
		if (dst < 0 && errno == ENOENT)
			continue;      /* gone since the listing: nothing to hide */
		if (dst < 0)
			return -1;
		if (g->others[i].is_dir) {
			mnt = new_fs("tmpfs", "0000", ATTR_BASE | MOUNT_ATTR_NOEXEC |
				     MOUNT_ATTR_RDONLY, dst);
			ret = mnt < 0 ? -1 : 0;
			if (mnt >= 0)
				close(mnt);
		} else {
			ret = bind_object(lx->devnull_fd, dst, ATTR_BASE |
					  MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY);
		}
		close(dst);
	}
	return ret;
}

static int
pivot_into_staging(void)
{
	if (chdir(STAGING) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return -1;
	return 0;
}

int
rootfs_enter(struct lx_launch *lx, struct sbox_err *err)
{
	struct rootfs fs = { -1, -1, NULL, 0, 0 };
	int ret = -1;

	if (mount("sbox-root", STAGING, "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755") < 0) {
		err_sys(err, "cannot mount the container root");
		goto out;
	}
	fs.staging_fd = open(STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fs.root_fd = fcntl(fs.staging_fd, F_DUPFD_CLOEXEC, 0);
	if (fs.staging_fd < 0 || fs.root_fd < 0) {
		err_sys(err, "cannot open the container root");
		goto out;
	}
	for (size_t i = 0, g = 0; i < lx->plan.npaths; i++) {
		for (; g < lx->ngroups && lx->groups[g].first == i; g++)
			if (mount_group(lx, &fs, &lx->groups[g]) < 0) {
				err_sys(err, "cannot mount '%s' in the container",
					lx->groups[g].folder);
				goto out;
			}
		if (mount_one(lx, &fs, i) < 0) {
			err_sys(err, "cannot mount '%s' in the container",
				lx->plan.paths[i].path);
			goto out;
		}
	}
	make_aliases(lx, &fs);
	for (size_t i = 0; i < fs.nlate; i++)
		if (set_ro(fs.late_ro[i]) < 0) {
			err_sys(err, "cannot make a mask read-only");
			goto out;
		}
	if (set_ro(fs.staging_fd) < 0 || pivot_into_staging() < 0) {
		err_sys(err, "cannot switch to the container root");
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < fs.nlate; i++)
		close(fs.late_ro[i]);
	free(fs.late_ro);
	if (fs.root_fd >= 0)
		close(fs.root_fd);
	if (fs.staging_fd >= 0)
		close(fs.staging_fd);
	return ret;
}
