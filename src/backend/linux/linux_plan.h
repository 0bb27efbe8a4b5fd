/*
 * The Linux launch plan: a resolved container definition turned into plain
 * data (which namespaces, which mounts, which Landlock rules, which syscalls
 * seccomp refuses, the environment and limits). Building it is pure (no
 * system calls), so it is unit-tested and printed by
 * `sbox compile --target linux`; backend/linux/launch_linux.c carries it out.
 *
 * Definitions are order-independent: the most specific listed path decides
 * every right beneath it at once, and deny beats allow at equal
 * specificity (def/def_access.h, DESIGN.md "Definitions"). Landlock can
 * only add rights beneath a path, so a deny inside an allowed tree is
 * enforced by mounting an empty, read-only mask over it, and a read or
 * exec listing inside a writable tree by a read-only bind (STYLE.md §5
 * note for the IR); exec, which no mount here takes away, stays granted
 * beneath a tree that has it (a plan note says so).
 *
 * The file is platform-neutral on purpose: a plan can be printed on macOS.
 */
#ifndef SBOX_BACKEND_LINUX_PLAN_H
#define SBOX_BACKEND_LINUX_PLAN_H

#include <stddef.h>

#include "def/def.h"
#include "util/err.h"

struct strbuf;

enum lplan_access {
	LP_READ = 1 << 0,
	LP_WRITE = 1 << 1,   /* create, change, remove, rename, truncate */
	LP_EXEC = 1 << 2,
};

enum lplan_mount {
	LPM_NONE = 0,     /* visible through an enclosing bind already */
	LPM_BIND_RO,      /* read-only bind of the host path */
	LPM_BIND_RW,      /* read-write bind of the host path */
	LPM_MASK,         /* empty read-only mount hiding the host path */
	LPM_TMPFS,        /* fresh private tmpfs (/tmp) */
	LPM_DEV,          /* minimal /dev */
	LPM_PROC,         /* fresh procfs of the container's pid namespace */
};

/* How strictly a path must be found at launch (issue 10 #1). */
enum lplan_flag {
	/* a deny's mask: a symlink or an error opening it stops the launch */
	LPF_DENY = 1 << 0,
	/* in a writable tree: missing stops the launch too (a program could
	 * create it, and so what the deny hides) */
	LPF_MUST_EXIST = 1 << 1,
	/* a folder on the way to a deny in a writable tree, bound onto
	 * itself so that, a mount point, it cannot be renamed or removed */
	LPF_PIN = 1 << 2,
	/* listed read or exec inside a writable tree: a read-only bind;
	 * missing, a symlink or unopenable, it is not bound and the launch
	 * warns (the program could create or replace it) */
	LPF_READONLY = 1 << 3,
};

/* One path of the plan, in depth-first order (a parent before its kids). */
struct lplan_path {
	char *path;             /* absolute, normalised, as it appears inside */
	unsigned access;        /* rights granted at and beneath it (Landlock) */
	enum lplan_mount mount;
	unsigned flags;         /* enum lplan_flag */
};

/* Namespaces (values are not CLONE_* so the file stays portable). */
enum lplan_ns {
	LPNS_USER = 1 << 0, LPNS_MOUNT = 1 << 1, LPNS_PID = 1 << 2,
	LPNS_IPC = 1 << 3, LPNS_UTS = 1 << 4, LPNS_NET = 1 << 5,
};

/*
 * Which sockets the program may create: one prebuilt seccomp program per
 * value (seccomp_linux.h), chosen by the network mode.
 */
enum lplan_sockets {
	LPS_LOCAL,     /* none: AF_UNIX and NETLINK_ROUTE only */
	LPS_TCP_RULED, /* outbound, ports: IP limited to what Landlock's TCP
			* rules see (TCP) plus UDP and ping; listen() checked */
	LPS_IP,        /* localhost, all: any IP protocol */
	LPS_COUNT
};

/* Kernel features the plan needs; missing ones mean exit 3 or a warning. */
enum lplan_need {
	LPN_LANDLOCK_FS = 1 << 0,     /* ABI 1 */
	LPN_LANDLOCK_TCP = 1 << 1,    /* ABI 4: outbound / port lists */
	LPN_LANDLOCK_SCOPE = 1 << 2,  /* ABI 6: abstract sockets, signals */
	LPN_MEMFD_NOEXEC = 1 << 3,    /* Linux 6.3: MFD_NOEXEC_SEAL */
};

struct linux_plan {
	unsigned namespaces;         /* enum lplan_ns */
	struct lplan_path *paths;
	size_t npaths, paths_alloc;
	const char *home;            /* HOME inside (borrowed from the request) */
	const char *tmpdir;          /* TMPDIR inside */
	int loopback_up;             /* network localhost */
	int tcp_bind_handled;        /* Landlock restricts TCP bind ... */
	int tcp_connect_handled;     /* ... and connect, except these ports */
	struct def_ports tcp_connect, tcp_bind;
	enum lplan_sockets sockets;  /* socket families and protocols */
	unsigned needs;              /* enum lplan_need */
	struct def_limits limits;
	struct def_strlist notes;    /* what Linux cannot enforce exactly */
};

/* Syscalls seccomp refuses with EPERM (plus the argument-filtered ones). */
extern const char *const linux_plan_seccomp_deny[];
/* Described argument filters, for the JSON dump. */
extern const char *const linux_plan_seccomp_args[];
/* The rules that keep set-id files off the host, for the JSON dump. */
extern const char *const linux_plan_seccomp_setid[];
/* What each enum lplan_sockets allows, for the JSON dump. */
extern const char *const linux_plan_socket_rules[LPS_COUNT];

void linux_plan_init(struct linux_plan *plan);
void linux_plan_release(struct linux_plan *plan);

/*
 * Build the plan of a resolved definition (variables already expanded).
 * data_dir is the container's Data/ (bound read-write, HOME when the
 * definition's home is "container"), tmpdir the TMPDIR inside, both
 * borrowed and kept by pointer. Fails on relative paths and "..".
 */
int linux_plan_build(struct linux_plan *plan, const struct container_def *def,
		     const char *data_dir, const char *tmpdir,
		     struct sbox_err *err);

/*
 * Maps a normalised absolute path of the definition to the path the
 * plan decides on (a new string): the launch and `sbox explain` resolve
 * the host's system symlinks with it (backend/linux/links_linux.h), so
 * that a rule spelled "/lib/x" and one spelled "/usr" are related.
 */
struct lplan_resolver {
	char *(*resolve)(void *ctx, const char *path);
	void *ctx;
};

/* linux_plan_build with every listed path mapped through res first. */
int linux_plan_build_resolved(struct linux_plan *plan,
			      const struct container_def *def,
			      const char *data_dir, const char *tmpdir,
			      const struct lplan_resolver *res,
			      struct sbox_err *err);

/* The plan as a JSON object (stable key order), appended to out. */
void linux_plan_to_json(const struct linux_plan *plan, struct strbuf *out);

/* Lexical normalisation: "//" and "/." collapsed, trailing "/" removed. */
char *linux_plan_normalize(const char *path, struct sbox_err *err);
/* Is path equal to or beneath dir? Both normalised. */
int linux_plan_beneath(const char *dir, const char *path);

/* The entry for path, or NULL. */
const struct lplan_path *linux_plan_find(const struct linux_plan *plan,
					 const char *path);

#endif
