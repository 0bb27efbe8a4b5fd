#include "def/def_access.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Paths every program needs to start under (deny default). file-map-
 * executable itself is allowed by default (chromium renderer.sb); dyld
 * still has to read the libraries and the shared cache.
 */
const struct def_base_path def_base_paths[] = {
	/* dyld, libSystem, frameworks, shared cache (chromium common.sb,
	 * apple-oss-distributions/xnu bsd/vm/vm_unix.c) */
	{ "/usr/lib", DEF_ACC_READ, "dyld and libSystem (chromium common.sb)" },
	{ "/System/Library/Frameworks", DEF_ACC_READ, "frameworks (chromium common.sb)" },
	{ "/System/Library/PrivateFrameworks", DEF_ACC_READ, "frameworks (chromium common.sb)" },
	{ "/System/Library/SubFrameworks", DEF_ACC_READ, "frameworks (chromium common.sb)" },
	{ "/Library/Apple/usr/lib", DEF_ACC_READ, "dyld (chromium common.sb)" },
	{ "/Library/Apple/System/Library/Frameworks", DEF_ACC_READ, "frameworks (chromium common.sb)" },
	{ "/Library/Apple/System/Library/PrivateFrameworks", DEF_ACC_READ, "frameworks (chromium common.sb)" },
	{ "/private/var/db/dyld", DEF_ACC_READ, "shared cache up to 10.15 (chromium common.sb)" },
	{ "/System/Library/dyld", DEF_ACC_READ, "shared cache 11+ (chromium common.sb)" },
	{ "/System/Cryptexes/App", DEF_ACC_READ, "cryptexes 13+ (chromium common.sb)" },
	{ "/System/Cryptexes/OS", DEF_ACC_READ, "cryptexes 13+ (chromium common.sb)" },
	{ "/System/Volumes/Preboot/Cryptexes/App/System", DEF_ACC_READ, "cryptexes 13+ (chromium common.sb)" },
	{ "/System/Volumes/Preboot/Cryptexes/OS", DEF_ACC_READ, "cryptexes 13+ (chromium common.sb)" },
	/* devices every program opens (chromium common.sb, nix) */
	{ "/dev/null", DEF_ACC_READ | DEF_ACC_WRITE, "/dev/null (chromium common.sb)" },
	{ "/dev/zero", DEF_ACC_READ | DEF_ACC_WRITE, "/dev/zero (chromium common.sb)" },
	{ "/dev/random", DEF_ACC_READ, "randomness (chromium common.sb)" },
	{ "/dev/urandom", DEF_ACC_READ, "randomness (chromium common.sb)" },
	{ "/dev/dtracehelper", DEF_ACC_READ | DEF_ACC_WRITE, "dyld opens it (chromium common.sb)" },
	{ "/dev/fd", DEF_ACC_READ | DEF_ACC_WRITE, "inherited descriptors (chromium common.sb)" },
	{ "/dev/stdin", DEF_ACC_READ, "standard input (chromium common.sb)" },
	{ "/dev/stdout", DEF_ACC_READ | DEF_ACC_WRITE, "standard output (chromium common.sb)" },
	{ "/dev/stderr", DEF_ACC_READ | DEF_ACC_WRITE, "standard error (chromium common.sb)" },
	{ "/dev/tty", DEF_ACC_READ | DEF_ACC_WRITE, "the controlling terminal (chromium common.sb)" },
	{ "/dev/autofs_nowait", DEF_ACC_READ, "path lookups (chromium common.sb)" },
	/* getpwuid falls back to the files when libinfo is denied */
	{ "/private/etc/passwd", DEF_ACC_READ, "getpwuid fallback (crbug.com/792228)" },
	{ "/private/etc/localtime", DEF_ACC_READ, "time zone (codex platform defaults)" },
	{ "/private/var/select/sh", DEF_ACC_READ, "/bin/sh on 10.15+ (nix sandbox-defaults.sb)" },
	/* /etc/localtime points into it; without it local time is UTC
	 * (chromium sandbox/policy/mac/common.sb, codex platform defaults) */
	{ "/private/var/db/timezone", DEF_ACC_READ, "time zone data (chromium common.sb)" },
	/* the /usr/bin shims (make, cc, git, python3) read the developer
	 * directory xcode-select chose from these links, or die with
	 * "unable to read data link" (anthropics/claude-code#87520) */
	{ "/private/var/select/developer_dir", DEF_ACC_READ, "xcode-select's choice (claude-code#87520)" },
	{ "/private/var/db/xcode_select_link", DEF_ACC_READ, "xcode-select's choice (claude-code#87520)" },
	/* name resolution, wherever any network is allowed: /etc/resolv.conf
	 * is a link to it (nix sandbox-defaults.sb, chromium network.sb) */
	{ "/private/var/run/resolv.conf", DEF_ACC_READ | DEF_ACC_NET, "DNS configuration (chromium network.sb)" },
	{ "/private/etc/resolv.conf", DEF_ACC_READ | DEF_ACC_NET, "DNS configuration (chromium network.sb)" },
	{ "/private/etc/hosts", DEF_ACC_READ | DEF_ACC_NET, "the name localhost (nix sandbox-defaults.sb)" },
	/* certificate checks read the security database (chromium network.sb) */
	{ "/private/var/db/mds", DEF_ACC_READ | DEF_ACC_OUTBOUND, "certificate database (chromium network.sb)" },
	{ NULL, 0, NULL },
};

static const char *const private_links[] = { "/tmp", "/var", "/etc" };

char *
def_path_canonical(const char *path)
{
	/* filters see kernel-resolved paths (microsoft/mxc
	 * docs/seatbelt/seatbelt-backend.md) */
	for (size_t i = 0; i < sizeof(private_links) / sizeof(private_links[0]); i++) {
		size_t n = strlen(private_links[i]);

		if (!strncmp(path, private_links[i], n) &&
		    (path[n] == '/' || !path[n]))
			return xasprintf("/private%s", path);
	}
	return xstrdup(path);
}

/* A listed path as the access model compares it: canonical, normalised. */
static char *
path_listed(const char *raw)
{
	char *p = def_path_canonical(raw);

	def_path_normalise(p);
	return p;
}

int
def_path_covers(const char *anc, const char *path)
{
	size_t n = strlen(anc);

	if (!strcmp(anc, "/"))
		return path[0] == '/';
	return !strncmp(anc, path, n) && (path[n] == '/' || !path[n]);
}

/*
 * Sorting key for paths that still hold a variable: the depth its value
 * usually has on macOS (~ = /Users/u; ${CONTAINER} = ~/Library/Application
 * Support/sbox/Containers/<name>/Data). Resolved paths are exact.
 */
static unsigned
path_depth(const char *p)
{
	static const struct {
		const char *var;
		unsigned depth;
	} vars[] = {
		{ "~", 2 }, { "${HOME}", 2 }, { "${PROJECT}", 3 },
		{ "${TMPDIR}", 6 }, { "${CONTAINER}", 7 },
	};
	unsigned depth = 0;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		size_t n = strlen(vars[i].var);

		if (!strncmp(p, vars[i].var, n) && (!p[n] || p[n] == '/')) {
			depth = vars[i].depth;
			p += n;
			break;
		}
	}
	for (; *p; p++)
		if (*p == '/' && p[1])
			depth++;
	return depth;
}

static struct def_access_entry *
entry_get(struct def_access *a, const char *raw)
{
	char *path = path_listed(raw);
	struct def_access_entry *e;
	size_t *at;

	at = def_strmap_get(&a->index, path);
	if (at) {
		free(path);
		return &a->v[*at];
	}
	ALLOC_GROW(a->v, a->nr + 1, a->alloc);
	e = &a->v[a->nr];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->depth = path_depth(path);
	def_strmap_put(&a->index, path, a->nr++);
	return e;
}

static void
add_list(struct def_access *a, const struct def_path_list *l, unsigned bits)
{
	for (size_t i = 0; i < l->nr; i++) {
		struct def_access_entry *e = entry_get(a, l->v[i].path);

		if (!e->bits || e->base)
			e->loc = l->v[i].loc;
		e->bits |= bits;
		e->base = 0;
	}
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct def_access_entry *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return strcmp(a->path, b->path);
}

void
def_access_build(const struct container_def *def, struct def_access *out)
{
	memset(out, 0, sizeof(*out));
	def_strmap_init(&out->index);
	for (const struct def_base_path *b = def_base_paths; b->path; b++) {
		struct def_access_entry *e;

		if (!def_base_path_applies(def, b))
			continue;
		e = entry_get(out, b->path);
		e->bits |= b->bits & DEF_ACC_CLASSES;
		e->base = 1;
		e->why = b->why;
	}
	add_list(out, &def->fs_read, DEF_ACC_READ);
	add_list(out, &def->fs_write, DEF_ACC_READ | DEF_ACC_WRITE);
	add_list(out, &def->fs_exec, DEF_ACC_READ | DEF_ACC_EXEC);
	add_list(out, &def->fs_deny, DEF_ACC_DENY);
	qsort(out->v, out->nr, sizeof(*out->v), entry_cmp);
	def_strmap_release(&out->index);
	for (size_t i = 0; i < out->nr; i++)
		def_strmap_put(&out->index, out->v[i].path, i);
}

/* Index of the closest entry strictly above path, or -1. */
static long
nearest_ancestor(const struct def_access *a, const char *path)
{
	char *p = xstrdup(path);
	long found = -1;

	for (char *s = strrchr(p, '/'); s; s = strrchr(p, '/')) {
		size_t *at;

		/* "/x" has "/" above it */
		if (s == p && p[1]) {
			p[1] = '\0';
		} else if (s == p) {
			break;
		} else {
			*s = '\0';
		}
		at = def_strmap_get(&a->index, p);
		if (at) {
			found = (long)*at;
			break;
		}
	}
	free(p);
	return found;
}

long
def_access_lookup(const struct def_access *a, const char *path)
{
	size_t *at = def_strmap_get(&a->index, path);

	return at ? (long)*at : nearest_ancestor(a, path);
}

long
def_access_parent(const struct def_access *a, size_t i)
{
	return nearest_ancestor(a, a->v[i].path);
}

void
def_access_release(struct def_access *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->v[i].path);
	free(a->v);
	def_strmap_release(&a->index);
	memset(a, 0, sizeof(*a));
}

/* Longest listed ancestor of path so far: its length and what it grants. */
struct best {
	size_t len;
	int found;
	unsigned grants;
	int denied;
};

static void
consider(struct best *b, const char *raw, unsigned grants, int deny,
	 const char *path)
{
	char *p = path_listed(raw);
	size_t len = strlen(p);

	if (def_path_covers(p, path)) {
		if (!b->found || len > b->len) {
			b->found = 1;
			b->len = len;
			b->grants = 0;
			b->denied = 0;
		}
		if (len == b->len) {
			b->grants |= grants;
			b->denied |= deny;
		}
	}
	free(p);
}

/*
 * The longest entries covering path, base paths included: write and exec
 * entries grant read as well (as def_access_build gives them).
 */
static void
best_find(const struct container_def *def, const char *path, struct best *b)
{
	*b = (struct best){ 0, 0, 0, 0 };
	for (const struct def_base_path *bp = def_base_paths; bp->path; bp++)
		if (def_base_path_applies(def, bp))
			consider(b, bp->path, bp->bits & DEF_ACC_CLASSES, 0, path);
	for (size_t i = 0; i < def->fs_read.nr; i++)
		consider(b, def->fs_read.v[i].path, DEF_ACC_READ, 0, path);
	for (size_t i = 0; i < def->fs_write.nr; i++)
		consider(b, def->fs_write.v[i].path, DEF_ACC_READ | DEF_ACC_WRITE,
			 0, path);
	for (size_t i = 0; i < def->fs_exec.nr; i++)
		consider(b, def->fs_exec.v[i].path, DEF_ACC_READ | DEF_ACC_EXEC,
			 0, path);
	for (size_t i = 0; i < def->fs_deny.nr; i++)
		consider(b, def->fs_deny.v[i].path, 0, 1, path);
}

int
def_access_decide(const struct container_def *def, unsigned cls,
		  const char *path)
{
	struct best b;

	best_find(def, path, &b);
	/* "/" itself is readable unless an entry for "/" says otherwise
	 * (dyld reads it: codex platform defaults) */
	if (!strcmp(path, "/") && cls == DEF_ACC_READ && !(b.found && b.len == 1))
		return 1;
	return b.found && !b.denied && (b.grants & cls);
}

/* Is path a strict ancestor of listed path p that grants reading? */
static int
ancestor_of_readable(const struct container_def *def, const char *path,
		     const char *raw)
{
	char *p = path_listed(raw);
	int yes = strcmp(p, path) && def_path_covers(path, p) && p[0] == '/' &&
		  def_access_decide(def, DEF_ACC_READ, p);
	free(p);
	return yes;
}

int
def_access_decide_metadata(const struct container_def *def, const char *path)
{
	static const char *const nodes[] = { "/", "/tmp", "/var", "/etc",
					     "/private/tmp", "/private/var/tmp" };
	const struct def_path_list *lists[] = { &def->fs_read, &def->fs_write,
						&def->fs_exec };

	if (def_access_decide(def, DEF_ACC_READ, path))
		return 1;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if (!strcmp(path, nodes[i]))
			return 1;
	for (const struct def_base_path *b = def_base_paths; b->path; b++)
		if ((b->bits & DEF_ACC_READ) && def_base_path_applies(def, b) &&
		    ancestor_of_readable(def, path, b->path))
			return 1;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (size_t i = 0; i < lists[l]->nr; i++)
			if (ancestor_of_readable(def, path, lists[l]->v[i].path))
				return 1;
	return 0;
}

/* Is some listed path strictly below path kept from writing? */
static int
guards_protected(const struct container_def *def, const char *path,
		 const struct def_path_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		char *d = path_listed(l->v[i].path);
		int below = strcmp(d, path) && def_path_covers(path, d) &&
			    !def_access_decide(def, DEF_ACC_WRITE, d);

		free(d);
		if (below)
			return 1;
	}
	return 0;
}

int
def_access_decide_unlink(const struct container_def *def, const char *path)
{
	if (!def_access_decide(def, DEF_ACC_WRITE, path))
		return 0;
	for (const struct def_base_path *b = def_base_paths; b->path; b++) {
		struct def_path one = { (char *)b->path, { NULL, 0, 0 } };
		struct def_path_list l = { &one, 1, 1 };

		if (def_base_path_applies(def, b) && guards_protected(def, path, &l))
			return 0;
	}
	return !guards_protected(def, path, &def->fs_deny) &&
	       !guards_protected(def, path, &def->fs_read) &&
	       !guards_protected(def, path, &def->fs_exec);
}

int
def_access_decide_link(const struct container_def *def, const char *path)
{
	return def_access_decide(def, DEF_ACC_WRITE, path);
}

int
def_access_decide_clone(const struct container_def *def, const char *path)
{
	return def_access_decide(def, DEF_ACC_READ, path);
}

int
def_base_path_applies(const struct container_def *def,
		      const struct def_base_path *b)
{
	int outbound = def->network == DEF_NET_OUTBOUND ||
		       def->network == DEF_NET_ALL ||
		       (def->network == DEF_NET_PORTS && def->net_outbound.nr);

	if (b->bits & DEF_ACC_OUTBOUND)
		return outbound;
	if (b->bits & DEF_ACC_NET)
		return outbound || def->network == DEF_NET_LOCALHOST;
	return 1;
}
