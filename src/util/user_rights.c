#include "util/user_rights.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/fsuid.h>
#include <sys/syscall.h>
#endif

#include "util/xalloc.h"

/*
 * The user's groups from /etc/group (fgetgrent reads the file itself):
 * getgrouplist would load NSS modules, which a static binary cannot use
 * safely (glibc's static NSS caveat: the systemd module crashes). Groups
 * only a directory service knows are not taken.
 */
static void
groups_of(struct user_rights *u, const char *user)
{
	FILE *f = user ? fopen("/etc/group", "re") : NULL;
	size_t alloc = 8;
	struct group *gr;

	u->groups = xcalloc(alloc, sizeof(gid_t));
	u->groups[u->ngroups++] = u->gid;
	if (!f)
		return;
	while ((gr = fgetgrent(f)) != NULL) {
		for (char **m = gr->gr_mem; m && *m; m++) {
			if (strcmp(*m, user) || gr->gr_gid == u->gid)
				continue;
			ALLOC_GROW(u->groups, (size_t)u->ngroups + 1, alloc);
			u->groups[u->ngroups++] = gr->gr_gid;
			break;
		}
	}
	fclose(f);
}

void
user_rights_for(struct user_rights *u, uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);
	int n;

	memset(u, 0, sizeof(*u));
	u->active = 1;
	u->uid = uid;
	u->gid = gid;
	groups_of(u, pw ? pw->pw_name : NULL);
	n = getgroups(0, NULL);
	if (n > 0) {
		u->root_groups = xcalloc((size_t)n, sizeof(gid_t));
		u->nroot_groups = getgroups(n, u->root_groups);
		if (u->nroot_groups < 0)
			u->nroot_groups = 0;
	}
}

void
user_rights_for_sudo(struct user_rights *u)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	char *e1 = NULL, *e2 = NULL;
	unsigned long uid, gid;

	memset(u, 0, sizeof(*u));
	if (geteuid() != 0 || !su || !*su || !sg || !*sg)
		return;
	uid = strtoul(su, &e1, 10);
	gid = strtoul(sg, &e2, 10);
	if (*e1 || *e2 || uid == 0 || uid >= 0xfffffffful || gid >= 0xfffffffful)
		return;
	user_rights_for(u, (uid_t)uid, (gid_t)gid);
}

void
user_rights_release(struct user_rights *u)
{
	free(u->groups);
	free(u->root_groups);
	memset(u, 0, sizeof(*u));
}

#ifdef __linux__
/*
 * Raw system calls: they change the calling thread only, which is what
 * is wanted (glibc's wrappers would signal every thread, and the Linux
 * launcher's container process shares the launcher's memory). setfsuid
 * reports no error: read the value back.
 */
static int
set_fs_ids(uid_t uid, gid_t gid, const gid_t *groups, int n, int back)
{
	/* going back, the groups matter less than the ids (root's
	 * capabilities override them; a container drops them all) */
	if (syscall(SYS_setgroups, (size_t)n, groups) < 0 && !back)
		return -1;
	syscall(SYS_setfsgid, gid);
	syscall(SYS_setfsuid, uid);
	if ((uid_t)syscall(SYS_setfsuid, (uid_t)-1) != uid ||
	    (gid_t)syscall(SYS_setfsgid, (gid_t)-1) != gid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
user_rights_enter(const struct user_rights *u)
{
	if (!u->active)
		return 0;
	if (set_fs_ids(u->uid, u->gid, u->groups, u->ngroups, 0) < 0) {
		int e = errno;

		user_rights_leave(u);
		errno = e;
		return -1;
	}
	return 0;
}

int
user_rights_enter_ids(const struct user_rights *u)
{
	if (!u->active)
		return 0;
	/* through 0: leaving fsuid 0 is what drops the file capabilities */
	syscall(SYS_setfsuid, 0);
	syscall(SYS_setfsgid, u->gid);
	syscall(SYS_setfsuid, u->uid);
	if ((uid_t)syscall(SYS_setfsuid, (uid_t)-1) != u->uid ||
	    (gid_t)syscall(SYS_setfsgid, (gid_t)-1) != u->gid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

void
user_rights_leave(const struct user_rights *u)
{
	if (u->active && set_fs_ids(geteuid(), getegid(), u->root_groups,
				      u->nroot_groups, 1) < 0)
		abort();
}
#else
int
user_rights_enter(const struct user_rights *u)
{
	if (!u->active)
		return 0;
	if (setgroups(u->ngroups, u->groups) < 0 || setegid(u->gid) < 0 ||
	    seteuid(u->uid) < 0) {
		int e = errno;

		user_rights_leave(u);
		errno = e;
		return -1;
	}
	return 0;
}

void
user_rights_leave(const struct user_rights *u)
{
	if (u->active && (seteuid(0) < 0 || setegid(0) < 0 ||
			  setgroups(u->nroot_groups, u->root_groups) < 0))
		abort();
}
#endif
