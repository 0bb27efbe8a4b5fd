/*
 * Root acting for a user through sudo reads what that user's definition
 * names with the user's rights, not root's (issue: a definition must not
 * show, copy or echo a file its author cannot read). On Linux the
 * filesystem ids (setfsuid/setfsgid) and the supplementary groups of the
 * calling thread are switched, as NFS servers and the kernel's own
 * access(2) do: the process keeps its real and effective ids, so nothing
 * else (signals, ptrace, namespace ownership) changes and switching back
 * cannot fail for lack of privilege. Elsewhere the effective ids are
 * switched (seteuid/setegid, root's saved ids make it reversible).
 *
 *	struct user_rights u;
 *	user_rights_for_sudo(&u);         (inactive unless root via sudo)
 *	if (user_rights_enter(&u) < 0) ...
 *	... open what the user named ...
 *	user_rights_leave(&u);
 *	user_rights_release(&u);
 */
#ifndef SBOX_UTIL_USER_RIGHTS_H
#define SBOX_UTIL_USER_RIGHTS_H

#include <sys/types.h>

struct user_rights {
	int active;            /* root acting for another user */
	uid_t uid;
	gid_t gid;
	gid_t *groups;         /* the user's supplementary groups */
	int ngroups;
	gid_t *root_groups;    /* what to go back to */
	int nroot_groups;
};

/* Root through sudo: SUDO_UID (not 0) and SUDO_GID, else inactive. */
void user_rights_for_sudo(struct user_rights *u);
/* For uid and gid (with the groups of uid's user database entry). */
void user_rights_for(struct user_rights *u, uid_t uid, gid_t gid);
void user_rights_release(struct user_rights *u);

/* Take the user's rights (no-op when inactive); -1 with errno. */
int user_rights_enter(const struct user_rights *u);
#ifdef __linux__
/*
 * In a new user namespace, whose capabilities override file permissions
 * again: switch the filesystem ids only (the groups came along from the
 * parent, and are kernel ids the namespace may not map).
 */
int user_rights_enter_ids(const struct user_rights *u);
#endif
/* Back to root's; aborts when that fails (never go on half-switched). */
void user_rights_leave(const struct user_rights *u);

#endif
