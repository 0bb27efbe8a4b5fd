/*
 * A container that a launch has just made and no program has run in yet
 * (container.h, "fresh"). Creation is atomic and a failure leaves nothing
 * behind: a first launch whose set-up fails removes the container it
 * made. Another sbox may launch the same definition at the same moment
 * and use that very container, so the container carries a ".sbox-new"
 * mark from its build until a program has run in it:
 *
 *  - every launch whose program ran removes the mark (container_ran),
 *    while it still holds the container (container_hold);
 *  - the launch that made it, when its set-up failed, removes it under
 *    the store lock, and only when no one holds it, the mark is still
 *    there and the name is still that folder (container_discard_new);
 *  - a launch that takes its hold on a marked container checks, under
 *    the store lock, that the folder still has the name (container_hold,
 *    store_fresh_gone): a hold taken as the maker removes it fails with
 *    SBOX_E_NOTFOUND, and that launch makes the container anew.
 *
 * So a concurrent launch that holds the container, or that ran its
 * program and is gone, is never robbed. A launch killed before its
 * program started leaves a whole container with the mark, kept like any
 * other.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int
store_is_fresh(int cfd)
{
	struct stat sb;

	return fstatat(cfd, CONTAINER_NEW_MARK, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* 1 when name in the store is still the folder whose fstat is held. */
static int
still_named(const struct container_store *st, const char *name,
	    const struct stat *held)
{
	struct stat now;

	return fstatat(st->dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	       now.st_dev == held->st_dev && now.st_ino == held->st_ino;
}

int
store_fresh_gone(const struct container_store *st, int cfd, const char *name)
{
	struct sbox_err ignored = SBOX_ERR_INIT;
	struct stat held;
	int lockfd, gone;

	if (!store_is_fresh(cfd) || fstat(cfd, &held) < 0)
		return 0;
	lockfd = store_lock(st, &ignored);
	if (lockfd < 0)
		return 0;  /* cannot tell: the hold stands, as before marks */
	gone = !still_named(st, name, &held);
	store_unlock(lockfd);
	return gone;
}

enum container_settle
container_settle_decide(int made_here, int started, int still_fresh,
			int in_use)
{
	if (started)
		return CONTAINER_SETTLE_RAN;
	if (!made_here || !still_fresh || in_use)
		return CONTAINER_SETTLE_KEEP;
	return CONTAINER_SETTLE_DISCARD;
}

void
container_ran(const struct container_store *st,
	      const struct container_info *ci)
{
	int cfd = ci->hold_fd;

	if (cfd < 0)
		cfd = openat(st->dirfd, ci->name, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return;
	/* best effort: a mark left behind only keeps a launch from
	 * discarding a container that is not its own anyway */
	(void)unlinkat(cfd, CONTAINER_NEW_MARK, 0);
	if (cfd != ci->hold_fd)
		close(cfd);
}

int
container_discard_new(struct container_store *st, struct container_info *ci,
		      struct sbox_err *err)
{
	struct stat held;
	int known = ci->hold_fd >= 0 && fstat(ci->hold_fd, &held) == 0;
	int lockfd, fd = -1, rc = 0, in_use;

	lockfd = store_lock(st, err);
	if (lockfd < 0)
		return -1;
	/* this launch's own hold would make it look in use */
	if (ci->hold_fd >= 0)
		close(ci->hold_fd);
	ci->hold_fd = -1;
	fd = openat(st->dirfd, ci->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	/* gone already, or the name is another container's now */
	if (fd < 0 || (known && !still_named(st, ci->name, &held)))
		goto out;
	in_use = fs_flock(fd, LOCK_EX | LOCK_NB) < 0;
	if (container_settle_decide(1, 0, store_is_fresh(fd), in_use) !=
	    CONTAINER_SETTLE_DISCARD)
		goto out;
	rc = store_remove_locked(st, ci->name, &lockfd, err) < 0 ? -1 : 1;
out:
	store_unlock(lockfd);
	if (fd >= 0)
		close(fd);
	return rc;
}
