/* The refusal model of `--trace` over a Linux launch plan (trace_plan.h). */
#include "backend/trace_plan.h"

#include <string.h>

#include "util/path_name.h"
#include "util/strbuf.h"

static int
port_listed(const struct def_ports *p, unsigned port)
{
	for (size_t i = 0; i < p->nr; i++)
		if (p->v[i] == port)
			return 1;
	return 0;
}

const char *
trace_plan_net_refusal(const struct linux_plan *plan, int bind, int loopback,
		       unsigned port)
{
	if ((plan->namespaces & LPNS_NET) && !bind &&
	    (!plan->loopback_up || !loopback))
		return TRACE_NONET;
	if (bind && plan->tcp_bind_handled && !port_listed(&plan->tcp_bind, port))
		return TRACE_LANDLOCK;
	if (!bind && plan->tcp_connect_handled &&
	    !port_listed(&plan->tcp_connect, port))
		return TRACE_LANDLOCK;
	return NULL;
}

/* What covers path: the deepest mount, the rights of every rule above. */
struct cover {
	const struct lplan_path *mount;
	unsigned access;
	int scaffold;   /* path is a folder on the way to a mount */
};

static void
cover_of(const struct linux_plan *plan, const char *path, struct cover *c)
{
	size_t best = 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < plan->npaths; i++) {
		const struct lplan_path *p = &plan->paths[i];
		size_t n = strlen(p->path);

		if (linux_plan_beneath(p->path, path)) {
			c->access |= p->access;
			if (p->mount != LPM_NONE && (!c->mount || n > best)) {
				c->mount = p;
				best = n;
			}
		} else if (p->mount != LPM_NONE &&
			   linux_plan_beneath(path, p->path)) {
			c->scaffold = 1;
		}
	}
}

static const char *
landlock_refusal(unsigned access, enum trace_need need)
{
	switch (need) {
	case TN_READ:
		return (access & LP_READ) ? NULL : TRACE_LANDLOCK;
	case TN_WRITE:
		return (access & LP_WRITE) ? NULL : TRACE_LANDLOCK;
	case TN_EXEC:
		return (access & LP_EXEC) ? NULL : TRACE_LANDLOCK;
	default:
		return NULL;  /* Landlock does not check stat, chmod, ... */
	}
}

/*
 * The nodes and links the launcher puts in the container's /dev
 * (rootfs_linux.c, mount_dev): /dev/null is there, it is not a host file
 * the definition hides. /dev/pts only comes with a terminal, so it is
 * not listed.
 */
static int
dev_own(const char *dev, const char *path)
{
	static const char *const names[] = {
		"null", "zero", "full", "random", "urandom", "tty",
		"fd", "stdin", "stdout", "stderr",
	};
	const char *rest = path + strlen(dev);
	size_t n;

	if (*rest != '/')
		return 0;
	rest++;
	n = (size_t)(strchrnul(rest, '/') - rest);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !strncmp(rest, names[i], n))
			return 1;
	return 0;
}

const char *
trace_plan_refusal(const struct linux_plan *plan, enum trace_need need,
		   const char *path)
{
	struct cover c;
	int writes = need == TN_WRITE || need == TN_ATTR;

	cover_of(plan, path, &c);
	if (!c.mount) {
		/* a folder on the way to a mount: there, but empty of rights */
		if (c.scaffold || !strcmp(path, "/"))
			return writes ? TRACE_READONLY :
			       landlock_refusal(c.access, need);
		return TRACE_HIDDEN;
	}
	switch (c.mount->mount) {
	case LPM_TMPFS:
	case LPM_DEV:
		/* the container's own: writing there is fine, and a host file
		 * of that name is not there (the caller asks the host) */
		if (writes || !strcmp(c.mount->path, path) ||
		    (c.mount->mount == LPM_DEV && dev_own(c.mount->path, path)))
			return NULL;
		return TRACE_HIDDEN;
	case LPM_PROC:
		return NULL;  /* the container's own pids, not the host's */
	case LPM_MASK:
		if (strcmp(c.mount->path, path))
			return TRACE_MASKED;
		return writes ? TRACE_READONLY : NULL;
	case LPM_BIND_RO:
		if (writes)
			return TRACE_READONLY;
		break;
	default:
		break;
	}
	return landlock_refusal(c.access, need);
}

/*
 * "." and ".." are taken away by name, as the definition's paths are
 * read: "../x" from the folder /proc/PID/cwd gives (symlinks already
 * resolved there) is exactly where the kernel looks; a ".." after a
 * symlink inside the path is where the name points, which the caller
 * checks against the host's spelling (trace_linux.c, host_canonical).
 */
static void
add_components(struct strbuf *sb, const char *p)
{
	const char *name;
	size_t n;

	while ((name = path_name_next(&p, &n))) {
		if (path_name_is_dotdot(name, n)) {
			/* "/.." is "/", as the kernel has it */
			while (sb->len && sb->buf[sb->len - 1] != '/')
				sb->len--;
			if (sb->len)
				sb->buf[--sb->len] = '\0';
		} else {
			strbuf_addch(sb, '/');
			strbuf_add(sb, name, n);
		}
	}
}

char *
trace_plan_absolute(const char *base, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (path[0] != '/')
		add_components(&sb, base);
	add_components(&sb, path);
	if (!sb.len)
		strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}
