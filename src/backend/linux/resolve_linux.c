/*
 * Opening the host paths a plan names, inside the container's fresh mount
 * namespace and before anything is mounted (LINUX-SECURITY.md #5).
 *
 * Every path is opened with openat2(RESOLVE_NO_SYMLINKS), so a symlink an
 * attacker planted (say, by a program in an earlier run of a container
 * whose tree is writable) never redirects a mount or a rule. The only
 * symlinks followed are system ones (Debian's /bin -> usr/bin; which, and
 * why where a link lies matters: links_linux.c). They were resolved before
 * the plan was decided (links_linux.h), so the plan's paths are the real
 * ones here, and are recreated inside (rootfs_linux.c) so their spelling
 * still works there.
 *
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>


static int
open_nosymlinks(const char *path)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
}

/*
 * The plan's paths had their system links resolved when it was built
 * (links_linux.h), so any symlink met now is one that is not trusted (or
 * appeared since): never followed, the first one named.
 */
static void
warn_symlink(struct lx_launch *lx, const char *path)
{
	struct stat st;
	ssize_t k = lx_first_symlink(path, &st);

	if (k > 0)
		lx_warn(lx, "not following symlink '%.*s' (only root's links "
			"in /, /usr, /etc, /opt and /var are followed); "
			"skipping '%s'", (int)k, path, path);
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

#define LPF_PROTECTS (LPF_DENY | LPF_PIN | LPF_READONLY)

/*
 * A read-only path inside a writable tree (or a folder pinned for one
 * only) that cannot be bound: missing, a symlink, unopenable. There is
 * nothing to bind, and listings such as build-tools' .git/hooks are
 * routinely missing (a project that is no repository), so the launch goes
 * on and says the path is not protected; the pin is silent, its read-only
 * path beneath fails the same way and says so.
 */
static void
readonly_unbound(struct lx_launch *lx, const struct lplan_path *p, int e)
{
	if (!(p->flags & LPF_READONLY))
		return;
	lx_warn(lx, "'%s' is not kept read-only: it %s", p->path,
		(e == ENOENT || e == ENOTDIR) ? "does not exist inside a "
		"writable tree, so the program could create it" :
		e == ELOOP ? "is or goes through a symlink" : strerror(e));
}

/*
 * A deny whose path cannot be shown as the definition says (issue 10 #1):
 * a symlink, a path that cannot be opened, or, inside a writable tree, a
 * path that does not exist (the program could create it). Stops the
 * launch with exit 3, or is only a warning with --allow-weaker.
 */
static int
protect_unenforceable(struct lx_launch *lx, size_t i, int e,
		      struct sbox_err *err)
{
	const struct lplan_path *p = &lx->plan.paths[i];
	const char *denied = p->path, *why = (e == ENOENT || e == ENOTDIR) ?
		"does not exist inside a writable tree, so the program could "
		"create it (create it, or remove the deny)" :
		e == ELOOP ? "is or goes through a symlink" : strerror(e);

	if (!(p->flags & (LPF_DENY | LPF_MUST_EXIST))) {
		readonly_unbound(lx, p, e);
		return 0;
	}
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
	if (o->fd < 0) {
		e = errno;
		if (e == ELOOP)
			warn_symlink(lx, p->path);
		if (p->flags & LPF_PROTECTS)
			return protect_unenforceable(lx, i, e, err);
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
	free(lx->objs);
	lx->objs = NULL;
}
