/*
 * State shared by the pieces of one Linux launch (launch_linux.c drives
 * them): the plan, the host objects it names, the warnings of the set-up,
 * and the report pipe through which the container's first process tells
 * the launcher about an error or the program's wait status.
 */
#ifndef SBOX_BACKEND_LAUNCH_LINUX_H
#define SBOX_BACKEND_LAUNCH_LINUX_H

#include <sys/resource.h>
#include <sys/types.h>

#include "backend/backend.h"
#include "backend/linux/linux_plan.h"
#include "backend/linux/links_linux.h"
#include "backend/pty_relay.h"
#include "backend/linux/seccomp_linux.h"
#include "util/strbuf.h"
#include "util/user_rights.h"

struct lx_trace;

/* Where a plan path was found on the host. */
struct lx_object {
	int fd;          /* O_PATH, -1 when absent or refused */
	int is_dir;
	int coalesced;   /* shown by its folder's bind (coalesce_linux.c) */
};

/* A folder bound once for many rules in it, its other entries masked. */
struct lx_group {
	size_t first;            /* plan index where the folder is mounted */
	char *folder;
	int folder_fd;
	enum lplan_mount kind;   /* LPM_BIND_RO or LPM_BIND_RW */
	struct { char *name; int is_dir; } *others;
	size_t nothers, others_alloc;
};

struct lx_launch {
	const struct launch_request *req;
	struct linux_plan plan;
	int abi;                 /* Landlock ABI, 0 if none */
	int weaker;              /* run without Landlock (--allow-weaker) */
	struct lx_object *objs;  /* one per plan path */
	struct lx_links links;   /* system links the plan's paths went
				  * through, recreated inside */
	int devnull_fd;          /* host /dev/null, for file masks */
	int dev_fds[6];          /* host device nodes bound into /dev */
	int report_fd;           /* write end of the report pipe */
	int alive_fd;            /* read end: EOF when the launcher died */
	int handoff_fd;          /* the child writes it when done with the heap */
	struct strbuf warnings;  /* "text\0" records added during the set-up */
	const char *cwd;         /* working directory inside */
	char **envp;             /* scrubbed environment */
	struct seccomp_bpf bpf;  /* seccomp_filters_embedded[plan.sockets],
				  * loaded by the program before execve */
	int supervise[2];        /* socket pair: the program sends init the
				  * seccomp listener (supervise_linux.c) */
	int memfd_unsealed_ok;   /* no MFD_NOEXEC_SEAL, --allow-weaker */
	int init_sfd;            /* init's signalfd */
	struct lx_group *groups;
	size_t ngroups, groups_alloc;
	struct rlimit nofile;    /* the caller's RLIMIT_NOFILE, for the program */
	uid_t uid;               /* the caller's ids, mapped to themselves */
	gid_t gid;
	uid_t run_uid;           /* root through sudo: the program runs as */
	gid_t run_gid;           /* SUDO_UID/SUDO_GID; else uid/gid */
	struct user_rights rights; /* run_uid's, for opening the plan's paths
				    * (inactive unless root acts for a user) */
	struct lx_trace *trace;  /* --trace (trace_linux.h), else NULL */
	struct pty_relay pty;    /* the program's terminal when pty.fds */
	int pty_sock;            /* inside: where the master goes to sbox */
	int pty_slave;           /* inside: the slave, for the program */
};

/* Messages on the report pipe: one letter, then text or a number. */
#define LX_MSG_ERROR 'E'     /* followed by the sbox_errcode digit */
#define LX_MSG_STATUS 'S'    /* the program's wait status */

void lx_report(const struct lx_launch *lx, char kind, const char *text);
void lx_warn(struct lx_launch *lx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* rootfs_linux.c: open every plan path, then build and enter the root. */
int rootfs_resolve(struct lx_launch *lx, struct sbox_err *err);
int rootfs_enter(struct lx_launch *lx, struct sbox_err *err);
void rootfs_close_objects(struct lx_launch *lx);
void rootfs_free_objects(struct lx_launch *lx);
/* coalesce_linux.c: group many sibling rules into one bind. */
void rootfs_coalesce(struct lx_launch *lx);
void rootfs_groups_release(struct lx_launch *lx);

/* pty_linux.c: the program's terminal. Inside, after the new root:
 * open it, keep the slave, send the master; the launcher receives it. */
int lx_pty_open(struct lx_launch *lx, struct sbox_err *err);
int lx_pty_receive(int sock);

/* sandbox_linux.c: what happens inside after the new root. */
int sandbox_apply(struct lx_launch *lx, struct sbox_err *err);
/* The program's process, before execve: drop what init kept. */
int sandbox_drop_init_caps(void);

#endif
