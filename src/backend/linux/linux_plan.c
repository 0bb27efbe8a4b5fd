/*
 * Definition -> Linux launch plan. Pure: no system calls, so the result
 * only depends on the definition (see linux_plan.h).
 */
#include "backend/linux/linux_plan.h"

#include <stdlib.h>
#include <string.h>

#include "util/path_name.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/*
 * LINUX-SECURITY.md #11, #26, #27, #33 and LINUX-BASELINES.md §2 (floor's
 * deny list): calls a contained program has no business making. The
 * mount family is also refused by the dropped capabilities; seccomp makes
 * that independent of the capability state.
 */
const char *const linux_plan_seccomp_deny[] = {
	"mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
	"open_tree_attr", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "setns",
	"keyctl", "add_key", "request_key", "bpf", "userfaultfd",
	"perf_event_open", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "kexec_load", "kexec_file_load", "init_module",
	"finit_module", "delete_module", "acct", "swapon", "swapoff", "reboot",
	"syslog", "quotactl", "lookup_dcookie", "open_by_handle_at", "uselib",
	"vhangup", "iopl", "ioperm", "move_pages", "mbind", "migrate_pages",
	"fanotify_init", NULL,
};

const char *const linux_plan_seccomp_args[] = {
	/* seccomp_unknown_linux.c */
	"system calls the build's table does not know (newer ones, holes) "
	"-> ENOSYS",
	/* seccomp_memfd_linux.c, answered by supervise_linux.c */
	"memfd_create(MFD_EXEC) -> EACCES; memfd_create without "
	"MFD_NOEXEC_SEAL -> made by the container's init, sealed non-executable",
	"ioctl(fd, TIOCSTI | TIOCLINUX) -> EPERM (low 32 bits compared)",
	"clone(CLONE_NEWUSER) and unshare(CLONE_NEWUSER) -> EPERM",
	"clone3 -> ENOSYS (flags not inspectable; libc falls back to clone)",
	"other architectures (i386, x32) -> killed",
	NULL,
};

/* seccomp_build_linux.c add_setid_rules (issue 10 #2): no set-id files. */
const char *const linux_plan_seccomp_setid[] = {
	"chmod, fchmod, fchmodat, fchmodat2 with S_ISUID or S_ISGID -> EPERM",
	"open, openat, creat, mknod, mknodat with S_ISUID or S_ISGID in the "
	"mode -> EPERM",
	"openat2 -> ENOSYS (its mode is not inspectable; libc falls back to "
	"openat)",
	NULL,
};

/* seccomp_sockets_linux.c builds these; the text is for the JSON dump. */
const char *const linux_plan_socket_rules[LPS_COUNT] = {
	[LPS_LOCAL] = "socket: AF_UNIX, AF_NETLINK/NETLINK_ROUTE; other "
		"families -> EAFNOSUPPORT, other netlink -> EPROTONOSUPPORT",
	[LPS_TCP_RULED] = "socket: AF_UNIX, AF_NETLINK/NETLINK_ROUTE, AF_INET/"
		"AF_INET6 as TCP, UDP or ICMP only (MPTCP, SCTP, SMC, raw ... -> "
		"EPROTONOSUPPORT: Landlock's TCP rules do not see them); "
		"setsockopt(TCP_ULP) -> EPERM; listen() "
		"done by the container's init, EACCES for an IP socket not bound "
		"first; other families -> EAFNOSUPPORT",
	[LPS_IP] = "socket: AF_UNIX, AF_NETLINK/NETLINK_ROUTE, AF_INET/AF_INET6; "
		"other families -> EAFNOSUPPORT, other netlink -> "
		"EPROTONOSUPPORT",
};

/* What a definition lists at one exact path. */
enum listing {
	L_READ = 1 << 0, L_WRITE = 1 << 1, L_EXEC = 1 << 2, L_DENY = 1 << 3,
	L_SPECIAL = 1 << 4,
	L_LOADER = 1 << 5,  /* the ELF interpreter: exec where readable */
	L_PIN = 1 << 6,     /* a folder above a deny (pin_candidates) */
	L_PIN_RO = 1 << 7,  /* a folder above a read or exec listing */
};

/* In plan_paths only: an entry that is nothing but a pin candidate. */
#define PIN_ONLY (1u << 15)

/*
 * The kernel opens a dynamic program's ELF interpreter for execution, so
 * Landlock must grant it EXECUTE or no dynamic program starts. It gets
 * exec wherever the definition lets it be read.
 */
static const char *const elf_loaders[] = {
#if defined(__aarch64__)
	"/lib/ld-linux-aarch64.so.1", "/lib/ld-musl-aarch64.so.1",
#elif defined(__arm__)
	"/lib/ld-linux-armhf.so.3",
#else
	/* x86_64, and the plan printed anywhere else (other architectures'
	 * programs are killed by the seccomp filter, so no i386 loader) */
	"/lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1",
#endif
	NULL,
};
struct entry {
	char *path;
	unsigned listed;
	enum lplan_mount special;
};

struct entries {
	struct entry *v;
	size_t nr, alloc;
	const struct lplan_resolver *res;  /* NULL: paths as written */
};

void
linux_plan_init(struct linux_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void
linux_plan_release(struct linux_plan *plan)
{
	for (size_t i = 0; i < plan->npaths; i++)
		free(plan->paths[i].path);
	free(plan->paths);
	free(plan->tcp_connect.v);
	free(plan->tcp_bind.v);
	for (size_t i = 0; i < plan->notes.nr; i++)
		free(plan->notes.v[i]);
	free(plan->notes.v);
	linux_plan_init(plan);
}

char *
linux_plan_normalize(const char *path, struct sbox_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = path;
	const char *name;
	size_t n;

	/* a variable left for later (sbox compile without -D) counts as a
	 * root of its own: "${CONTAINER}/x" stays as written */
	if (!path || (path[0] != '/' && strncmp(path, "${", 2) &&
		      strncmp(path, "~", 1))) {
		err_set(err, SBOX_E_INVALID, "path '%s' is not absolute",
			path ? path : "");
		return NULL;
	}
	if (path[0] != '/')
		strbuf_add(&sb, path, (size_t)(strchrnul(path, '/') - path));
	if (path[0] != '/')
		p = strchrnul(path, '/');
	while ((name = path_name_next(&p, &n))) {
		if (path_name_is_dotdot(name, n)) {
			strbuf_release(&sb);
			err_set(err, SBOX_E_INVALID,
				"path '%s' contains '..'", path);
			return NULL;
		}
		strbuf_addch(&sb, '/');
		strbuf_add(&sb, name, n);
	}
	if (!sb.len)
		strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}

int
linux_plan_beneath(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(dir, path, n) && (path[n] == '/' || path[n] == '\0');
}

/* Order paths so that a directory comes right before everything in it. */
static int
path_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char ca = *a == '/' ? 1 : (unsigned char)*a;
		unsigned char cb = *b == '/' ? 1 : (unsigned char)*b;

		if (ca != cb || !ca)
			return (int)ca - (int)cb;
	}
}

static int
entry_cmp(const void *a, const void *b)
{
	return path_cmp(((const struct entry *)a)->path,
			((const struct entry *)b)->path);
}

/* path normalised, then resolved when the plan is built resolved. */
static char *
entries_path(const struct entries *es, const char *path, struct sbox_err *err)
{
	char *norm = linux_plan_normalize(path, err), *resolved;

	if (!norm || !es->res || norm[0] != '/')
		return norm;
	resolved = es->res->resolve(es->res->ctx, norm);
	free(norm);
	return resolved;
}

static int
entries_add(struct entries *es, const char *path, unsigned listed,
	    enum lplan_mount special, struct sbox_err *err)
{
	/* /tmp, /dev and /proc are the container's own, never the host's */
	char *norm = special ? linux_plan_normalize(path, err)
			     : entries_path(es, path, err);

	if (!norm)
		return -1;
	ALLOC_GROW(es->v, es->nr + 1, es->alloc);
	es->v[es->nr].path = norm;
	es->v[es->nr].listed = listed;
	es->v[es->nr].special = special;
	es->nr++;
	return 0;
}

static int
entries_add_list(struct entries *es, const struct def_path_list *l,
		 unsigned listed, struct sbox_err *err)
{
	for (size_t i = 0; i < l->nr; i++)
		if (entries_add(es, l->v[i].path, listed, LPM_NONE, err) < 0)
			return -1;
	return 0;
}

/* Sort, then merge entries with the same path (listings OR-ed). */
static void
entries_merge(struct entries *es)
{
	size_t out = 0;

	qsort(es->v, es->nr, sizeof(*es->v), entry_cmp);
	for (size_t i = 0; i < es->nr; i++) {
		if (out && !strcmp(es->v[out - 1].path, es->v[i].path)) {
			es->v[out - 1].listed |= es->v[i].listed;
			if (es->v[i].special)
				es->v[out - 1].special = es->v[i].special;
			free(es->v[i].path);
			continue;
		}
		es->v[out++] = es->v[i];
	}
	es->nr = out;
}

/* The listings that decide rights; loader, pin and special are not. */
#define L_RIGHTS (L_READ | L_WRITE | L_EXEC | L_DENY)

/*
 * Rights at entry i, as the definition means them (def/def_access.h): the
 * most specific listed entry, i itself or an ancestor, decides every right
 * at once, and at that path a deny beats every grant. So read inside a
 * write tree is read-only, exec inside one is read and exec. stack holds
 * the indexes of i's enclosing entries, outermost first.
 */
static unsigned
access_at(const struct entries *es, const size_t *stack, size_t depth,
	  size_t i)
{
	unsigned l = es->v[i].listed, a = 0;

	while (!(l & L_RIGHTS) && depth--)
		l = es->v[stack[depth]].listed;
	if (l & L_DENY)
		return 0;
	/* write and exec imply read (def/def_access.h) */
	if (l & (L_READ | L_WRITE | L_EXEC))
		a |= LP_READ;
	if (l & L_WRITE)
		a |= LP_WRITE;
	if (l & L_EXEC)
		a |= LP_EXEC;
	if ((es->v[i].listed & L_LOADER) && (a & LP_READ))
		a |= LP_EXEC;
	return a;
}

/* Mount of the closest ancestor that is mounted, LPM_NONE if none. */
static enum lplan_mount
visible_through(const struct linux_plan *plan, const size_t *pstack,
		size_t depth)
{
	while (depth--) {
		enum lplan_mount m = plan->paths[pstack[depth]].mount;

		if (m != LPM_NONE)
			return m;
	}
	return LPM_NONE;
}

static enum lplan_mount
mount_for(unsigned access, unsigned listed, enum lplan_mount vis)
{
	enum lplan_mount want;

	if (!access)
		return ((listed & L_DENY) &&
			(vis == LPM_BIND_RO || vis == LPM_BIND_RW)) ? LPM_MASK
								   : LPM_NONE;
	want = (access & LP_WRITE) ? LPM_BIND_RW : LPM_BIND_RO;
	return want == vis ? LPM_NONE : want;
}

static void
plan_note(struct linux_plan *plan, const char *fmt, const char *arg)
{
	char *s = xasprintf(fmt, arg);

	for (size_t i = 0; i < plan->notes.nr; i++)
		if (!strcmp(plan->notes.v[i], s)) {
			free(s);
			return;
		}
	ALLOC_GROW(plan->notes.v, plan->notes.nr + 1, plan->notes.alloc);
	plan->notes.v[plan->notes.nr++] = s;
}

static void
pin_note(struct linux_plan *plan, const char *path)
{
	plan_note(plan, "folders above a deny or a read-only path inside a "
		  "writable tree are mount points (%s): they cannot be renamed "
		  "or removed, and renames or hard links across them fail with "
		  "EXDEV", path);
}

/*
 * ---- denies inside writable trees (issue 10 #1) ----
 * A mask is a mount over the denied path; a program that may rename the
 * folders above it could move the mask away with them (mv .git x) and,
 * at the next launch, find the denied path somewhere else, or put its own
 * file where the deny was. A mount point cannot be renamed or removed
 * (EBUSY), so each folder between the writable tree and the denied path
 * is bound onto itself, and the path must exist at launch: sbox cannot
 * tell a path that never existed from one a program moved away.
 *
 * A read or exec listing inside a writable tree is a read-only bind over
 * part of a read-write one; its folders are pinned the same way (a renamed
 * .git would take the read-only .git/hooks with it, and the next launch
 * would bind a hooks folder the program made).
 *
 * Which folders are needed is only known once rights are decided: every
 * folder above a listing of l is a candidate (pin: L_PIN or L_PIN_RO).
 */
static int
pin_candidates(struct entries *es, const struct def_path_list *l,
	       unsigned pin, struct sbox_err *err)
{
	for (size_t i = 0; i < l->nr; i++) {
		/* the folders above the path as the plan spells it */
		char *norm = entries_path(es, l->v[i].path, err), *slash;

		if (!norm)
			return -1;
		while ((slash = strrchr(norm, '/')) && slash != norm) {
			*slash = '\0';
			if (entries_add(es, norm, pin, LPM_NONE, err) < 0) {
				free(norm);
				return -1;
			}
		}
		free(norm);
	}
	return 0;
}

/*
 * Entry n (plan->paths[n], enclosing entries in stack) is listed read or
 * exec inside a read-write bind: keep it read-only, and pin the folders
 * between it and the mount that shows the writable tree.
 */
static void
readonly_flags(struct linux_plan *plan, const size_t *stack, size_t depth,
	       size_t n)
{
	plan->paths[n].flags |= LPF_READONLY;
	plan_note(plan, "read-only %s inside a writable tree: a read-only "
		  "bind mount; missing or a symlink at launch, it is not "
		  "protected (a warning)", plan->paths[n].path);
	while (depth--) {
		struct lplan_path *q = &plan->paths[stack[depth]];

		if (!(q->access & LP_WRITE) ||
		    (q->mount != LPM_NONE && !(q->flags & LPF_PIN)))
			break;  /* not writable, or already a mount point */
		q->flags |= LPF_PIN;
		if (q->mount == LPM_NONE)
			q->mount = LPM_BIND_RW;
		pin_note(plan, q->path);
	}
}

/*
 * Landlock only adds rights beneath a path and the bind mounts here only
 * take away writing, so a path listed without exec inside a tree that
 * has exec stays executable: the plan says so.
 */
static void
exec_inherited(struct linux_plan *plan, const size_t *stack, size_t depth,
	       size_t n)
{
	struct lplan_path *p = &plan->paths[n];

	if (!p->access || (p->access & LP_EXEC))
		return;
	for (size_t k = 0; k < depth; k++)
		if (plan->paths[stack[k]].access & LP_EXEC) {
			p->access |= LP_EXEC;
			plan_note(plan, "exec: %s is listed without exec inside "
				  "a tree that has it; Landlock only adds rights "
				  "beneath a path, so it stays executable",
				  p->path);
			return;
		}
}

/*
 * Flags of an entry whose parent folder has rights parent_access and is
 * shown by a mount of kind vis. Only a folder that a read-write bind of
 * the host already shows is pinned: binding it onto itself then shows
 * nothing new (not so in the private /tmp, say).
 */
static void
deny_flags(struct lplan_path *p, unsigned listed, unsigned parent_access,
	   enum lplan_mount vis)
{
	int in_writable = (parent_access & LP_WRITE) && vis == LPM_BIND_RW;

	if (p->mount == LPM_MASK) {
		p->flags |= LPF_DENY | (in_writable ? LPF_MUST_EXIST : 0);
		return;
	}
	if (!(listed & L_PIN) || !in_writable || !p->access)
		return;
	p->flags |= LPF_PIN | LPF_MUST_EXIST;
	if (p->mount == LPM_NONE)
		p->mount = (p->access & LP_WRITE) ? LPM_BIND_RW : LPM_BIND_RO;
}

/* Drop the pin entries that turned out not to be needed. */
static void
plan_drop_unpinned(struct linux_plan *plan)
{
	size_t out = 0;

	for (size_t i = 0; i < plan->npaths; i++) {
		struct lplan_path *p = &plan->paths[i];

		if (p->flags & PIN_ONLY) {
			p->flags &= ~PIN_ONLY;
			if (p->mount == LPM_NONE && !p->flags) {
				free(p->path);
				continue;
			}
		}
		plan->paths[out++] = *p;
	}
	plan->npaths = out;
}

/* Walk the merged entries depth-first and decide rights and mounts. */
static void
plan_paths(struct linux_plan *plan, struct entries *es)
{
	/* indexes of the enclosing entries; entry i becomes plan->paths[i] */
	size_t *stack = xcalloc(es->nr + 1, sizeof(*stack));
	size_t depth = 0;

	plan->paths = xcalloc(es->nr ? es->nr : 1, sizeof(*plan->paths));
	plan->paths_alloc = es->nr ? es->nr : 1;
	for (size_t i = 0; i < es->nr; i++) {
		struct entry *e = &es->v[i];
		struct lplan_path *p = &plan->paths[plan->npaths];
		enum lplan_mount vis;

		while (depth && !linux_plan_beneath(
					plan->paths[stack[depth - 1]].path,
					e->path))
			depth--;
		vis = visible_through(plan, stack, depth);
		p->path = e->path;
		e->path = NULL;
		p->access = access_at(es, stack, depth, i);
		if (e->special &&
		    !(e->listed & ~(unsigned)(L_SPECIAL | L_PIN | L_PIN_RO))) {
			p->mount = e->special;
			p->access = e->special == LPM_TMPFS ? LP_READ | LP_WRITE
							    : LP_READ;
		} else if (e->special == LPM_DEV || e->special == LPM_PROC) {
			/* /dev and /proc are always the container's own */
			p->mount = (e->listed & L_DENY) ? LPM_NONE : e->special;
			p->access = (e->listed & L_DENY) ? 0 : LP_READ;
		} else {
			unsigned parent = depth ?
				plan->paths[stack[depth - 1]].access : 0;

			p->mount = mount_for(p->access, e->listed, vis);
			deny_flags(p, e->listed, parent, vis);
			if (p->access && !(p->access & LP_WRITE) &&
			    (parent & LP_WRITE) && vis == LPM_BIND_RW &&
			    (e->listed & (L_READ | L_EXEC)))
				readonly_flags(plan, stack, depth, i);
			exec_inherited(plan, stack, depth, i);
			/* only a pin candidate: maybe dropped */
			if (!(e->listed & ~(unsigned)(L_PIN | L_PIN_RO)))
				p->flags |= PIN_ONLY;
		}
		if (p->flags & LPF_PIN)
			pin_note(plan, p->path);
		if (p->mount == LPM_MASK)
			plan_note(plan, "deny %s inside an allowed tree: hidden "
				  "by an empty read-only mount (its name stays "
				  "visible)", p->path);
		plan->npaths++;
		stack[depth++] = i;
	}
	free(stack);
	plan_drop_unpinned(plan);
}

static void
ports_copy(struct def_ports *dst, const struct def_ports *src)
{
	dst->nr = dst->alloc = src->nr;
	dst->v = src->nr ? xcalloc(src->nr, sizeof(*dst->v)) : NULL;
	if (src->nr)
		memcpy(dst->v, src->v, src->nr * sizeof(*dst->v));
}

/*
 * outbound and port lists: Landlock (ABI 4 to 7) rules TCP bind() and
 * connect() only. The seccomp program for LPS_TCP_RULED refuses the IP
 * protocols it does not see, and init does listen() (supervise_linux.c),
 * whose automatic bind Landlock does not see either.
 */
static void
plan_notes_tcp_ruled(struct linux_plan *plan, const char *mode)
{
	plan->sockets = LPS_TCP_RULED;
	plan_note(plan, "network %s: Landlock rules TCP only; UDP and ping "
		  "use the host network; other IP protocols (MPTCP, SCTP, SMC, "
		  "raw) are refused", mode);
	plan_note(plan, "network %s: listen() is done by the container's "
		  "init and refused for an IP socket not bound first; a UNIX "
		  "listener's credentials (SO_PEERCRED) name init's pid", mode);
}

static void
plan_network(struct linux_plan *plan, const struct container_def *def)
{
	switch (def->network) {
	case DEF_NET_NONE:
		plan->namespaces |= LPNS_NET;
		plan->tcp_bind_handled = plan->tcp_connect_handled = 1;
		plan->sockets = LPS_LOCAL;
		break;
	case DEF_NET_LOCALHOST:
		plan->namespaces |= LPNS_NET;
		plan->loopback_up = 1;
		plan->sockets = LPS_IP;
		plan_note(plan, "network %s: a private loopback; services on "
			  "the host's loopback are not reachable", "localhost");
		break;
	case DEF_NET_OUTBOUND:
		plan->tcp_bind_handled = 1;
		plan->needs |= LPN_LANDLOCK_TCP | LPN_LANDLOCK_SCOPE;
		plan_notes_tcp_ruled(plan, "outbound");
		break;
	case DEF_NET_PORTS:
		plan->tcp_bind_handled = plan->tcp_connect_handled = 1;
		ports_copy(&plan->tcp_connect, &def->net_outbound);
		ports_copy(&plan->tcp_bind, &def->net_bind);
		plan->needs |= LPN_LANDLOCK_TCP | LPN_LANDLOCK_SCOPE;
		plan_notes_tcp_ruled(plan, "ports");
		break;
	case DEF_NET_ALL:
		plan->needs |= LPN_LANDLOCK_SCOPE;
		plan->sockets = LPS_IP;
		break;
	}
}

/* The seccomp side of every plan (seccomp_*_linux.c, supervise_linux.c). */
static void
plan_notes_kernel_filter(struct linux_plan *plan)
{
	plan->needs |= LPN_MEMFD_NOEXEC;
	plan_note(plan, "%s: anonymous files are never executable: init makes "
		  "every memfd sealed non-executable (MFD_EXEC: EACCES); "
		  "programs inside cannot use seccomp user notification "
		  "themselves", "exec");
	plan_note(plan, "%s: system calls newer than sbox's build answer "
		  "ENOSYS, as on an older kernel", "seccomp");
	plan_note(plan, "%s: only UNIX, NETLINK_ROUTE and (where the network "
		  "mode has one) IP sockets can be made; vsock, packet, AF_ALG, "
		  "bluetooth ... answer EAFNOSUPPORT", "sockets");
}

static void
plan_notes_general(struct linux_plan *plan, const struct container_def *def)
{
	if (def->fs_exec.nr)
		plan_note(plan, "%s rules check execve only; mmap(PROT_EXEC) of "
			  "readable files (shared libraries) is not restricted",
			  "exec");
	plan_note(plan, "%s: the dynamic loader is executable wherever it is "
		  "readable (every dynamic program needs it)", "exec");
	plan_notes_kernel_filter(plan);
	plan_note(plan, "%s that do not exist at launch are skipped, except "
		  "denied paths inside a writable tree: those must exist, or "
		  "the launch stops (exit 3; --allow-weaker runs without them)",
		  "paths");
	plan_note(plan, "connect() to a pathname UNIX socket inside a readable "
		  "tree is only mediated from Landlock ABI 9 on; %s hides "
		  "every socket outside the rules", "the mount namespace");
	if (def->limits.processes)
		plan_note(plan, "limits.processes uses RLIMIT_NPROC, which counts "
			  "all of %s processes on the host", "the user's");
	if (def->mach_lookup.nr || def->macos_min_version ||
	    def->sbpl_import.nr || def->sbpl_raw)
		plan_note(plan, "%s keys have no Linux equivalent and are "
			  "ignored", "macos.* and sbpl.*");
}

int
linux_plan_build(struct linux_plan *plan, const struct container_def *def,
		 const char *data_dir, const char *tmpdir, struct sbox_err *err)
{
	return linux_plan_build_resolved(plan, def, data_dir, tmpdir, NULL,
					 err);
}

int
linux_plan_build_resolved(struct linux_plan *plan,
			  const struct container_def *def,
			  const char *data_dir, const char *tmpdir,
			  const struct lplan_resolver *res, struct sbox_err *err)
{
	struct entries es = { NULL, 0, 0, res };
	int ret = -1;

	if (entries_add_list(&es, &def->fs_read, L_READ, err) < 0 ||
	    entries_add_list(&es, &def->fs_write, L_WRITE, err) < 0 ||
	    entries_add_list(&es, &def->fs_exec, L_EXEC, err) < 0 ||
	    entries_add_list(&es, &def->fs_deny, L_DENY, err) < 0 ||
	    pin_candidates(&es, &def->fs_deny, L_PIN, err) < 0 ||
	    pin_candidates(&es, &def->fs_read, L_PIN_RO, err) < 0 ||
	    pin_candidates(&es, &def->fs_exec, L_PIN_RO, err) < 0)
		goto out_free_entries;
	if (data_dir && entries_add(&es, data_dir, L_WRITE, LPM_NONE, err) < 0)
		goto out_free_entries;
	for (const char *const *l = elf_loaders; *l; l++)
		if (entries_add(&es, *l, L_LOADER, LPM_NONE, err) < 0)
			goto out_free_entries;
	if (entries_add(&es, "/tmp", L_SPECIAL, LPM_TMPFS, err) < 0 ||
	    entries_add(&es, "/dev", L_SPECIAL, LPM_DEV, err) < 0 ||
	    entries_add(&es, "/proc", L_SPECIAL, LPM_PROC, err) < 0)
		goto out_free_entries;
	entries_merge(&es);
	plan->namespaces = LPNS_USER | LPNS_MOUNT | LPNS_PID | LPNS_IPC |
			   LPNS_UTS;
	plan->needs = LPN_LANDLOCK_FS;
	plan_paths(plan, &es);
	plan_network(plan, def);
	plan_notes_general(plan, def);
	plan->home = (def->home == DEF_HOME_CONTAINER) ? data_dir : NULL;
	plan->tmpdir = tmpdir;
	plan->limits = def->limits;
	ret = 0;
out_free_entries:
	for (size_t i = 0; i < es.nr; i++)
		free(es.v[i].path);
	free(es.v);
	return ret;
}

const struct lplan_path *
linux_plan_find(const struct linux_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->npaths; i++)
		if (!strcmp(plan->paths[i].path, path))
			return &plan->paths[i];
	return NULL;
}
