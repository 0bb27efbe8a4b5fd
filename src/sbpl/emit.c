/*
 * Definition -> canonical SBPL (issue 3, "Emission").
 *
 * Shape of the output:
 *   (version 1), (deny default) tagged with the container's name,
 *   the start-up rules any program needs (each with its reason),
 *   filesystem rules per operation, general paths first and specific
 *   ones last, so that last-match-wins among filtered rules
 *   (Apple's sbpl1.scm, knightsc/sandbox_profiles) yields most-specific-wins,
 *   metadata of the ancestors of readable paths (path resolution),
 *   network, extra mach services, imports and the raw escape hatch.
 * Paths are string literals; only variables left open (~, ${PROJECT}, ...)
 * are parameters, so a profile compiled with every variable fixed runs
 * under `sandbox-exec -f` as it is.
 */
#include "sbpl/emit.h"
#include "def/def_access.h"
#include "sbpl/emit_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const struct src_loc nowhere = { NULL, 0, 0 };

static const struct {
	const char *op;
	unsigned cls;
} file_ops[] = {
	{ "file-read*", DEF_ACC_READ },
	{ "file-write*", DEF_ACC_WRITE },
	{ "process-exec*", DEF_ACC_EXEC },
};

/* The decision an entry gives an access class: 1 allow, 0 deny. */
static int
entry_allows(const struct def_access_entry *e, unsigned cls)
{
	return !(e->bits & DEF_ACC_DENY) && (e->bits & cls);
}

/*
 * What the nearest earlier (more general) entry covering e decides; deny
 * when none does. Only textual ancestors are known: paths under
 * different variables are assumed not to nest (at launch every path is
 * resolved, and then this is exact).
 */
static int
inherited(const struct def_access *a, size_t i, unsigned cls)
{
	long parent = def_access_parent(a, i);

	return parent >= 0 && entry_allows(&a->v[parent], cls);
}

/* Which entries need a rule of their own for one operation. */
static int
entry_needs_rule(const struct def_access *a, size_t i, unsigned cls)
{
	int allow = entry_allows(&a->v[i], cls);

	/* explicit denials are always written: they carry the message tag
	 * and stay correct if variables turn out to nest */
	if (a->v[i].bits & DEF_ACC_DENY)
		return 1;
	return allow != inherited(a, i, cls);
}

/*
 * One operation's path rules. fallback_deny: the operation is allowed by
 * default even under (deny default) (file-link, file-clone: chromium
 * renderer.sb "allowed by default"), so an unfiltered deny makes the
 * definition's silence a denial there too.
 */
static void
emit_file_op(struct emitter *em, const struct def_access *a, const char *op,
	     unsigned cls, int fallback_deny)
{
	struct emit_rule rule;

	if (fallback_deny)
		emit_single(em, 0, op, NULL, NULL, NULL);
	emit_rule_begin(em, &rule, -1, op);
	/* dyld reads / itself on macOS 26 (codex platform defaults); first, so that
	 * an entry for / (a subpath) still decides after it */
	if (cls == DEF_ACC_READ)
		emit_rule_filter_path(em, &rule, 1, "literal", "/", nowhere);
	for (size_t i = 0; i < a->nr; i++) {
		if (!entry_needs_rule(a, i, cls))
			continue;
		emit_rule_filter_path(em, &rule, entry_allows(&a->v[i], cls),
				      "subpath", a->v[i].path, a->v[i].loc);
	}
	emit_rule_end(em, &rule);
}

/*
 * Ancestor paths already put in a rule, so that each is emitted once;
 * the set owns its copies (the strmap only borrows keys).
 */
struct path_seen {
	struct def_strmap map;
	struct def_strlist owned;
};

static void
path_seen_init(struct path_seen *ps)
{
	def_strmap_init(&ps->map);
	ps->owned = (struct def_strlist){ NULL, 0, 0 };
}

/* 1 if p was new (and is now in), 0 if it was in already. */
static int
path_seen_add(struct path_seen *ps, const char *p)
{
	if (def_strmap_get(&ps->map, p))
		return 0;
	def_strlist_add(&ps->owned, p);
	def_strmap_put(&ps->map, ps->owned.v[ps->owned.nr - 1], 0);
	return 1;
}

static void
path_seen_release(struct path_seen *ps)
{
	def_strlist_release(&ps->owned);
	def_strmap_release(&ps->map);
}

/*
 * Renaming a writable folder that holds a protected path (denied, or
 * listed without write) would move it out from under its rule: refuse
 * unlink/rename of every writable ancestor, listed or not
 * (sandbox-runtime's move blocking).
 */
static void
emit_move_blocking(struct emitter *em, const struct def_access *a)
{
	struct path_seen seen;
	struct emit_rule rule;

	path_seen_init(&seen);
	emit_rule_begin(em, &rule, 0, "file-write-unlink");
	for (size_t i = 0; i < a->nr; i++) {
		char *p;

		if (entry_allows(&a->v[i], DEF_ACC_WRITE))
			continue;
		p = xstrdup(a->v[i].path);
		for (char *s = strrchr(p, '/'); s && s > p; s = strrchr(p, '/')) {
			long at;

			*s = '\0';
			at = def_access_lookup(a, p);
			if (at < 0 || !entry_allows(&a->v[at], DEF_ACC_WRITE) ||
			    !path_seen_add(&seen, p))
				continue;
			emit_rule_filter_path(em, &rule, 0, "literal", p, a->v[i].loc);
		}
		free(p);
	}
	emit_rule_end(em, &rule);
	path_seen_release(&seen);
}

/*
 * The kernel checks metadata of every directory on the way to a path
 * (akitaonrails/ai-jail#124) and of the /tmp, /var, /etc symlinks
 * themselves (nix sandbox-defaults.sb).
 */
static void
emit_ancestors(struct emitter *em, const struct def_access *a)
{
	struct path_seen seen;
	struct emit_rule rule;
	/* and the real temporary folders: getcwd and `ls -ld /tmp/` stat them
	 * (codex read-only platform defaults, nix sandbox-defaults.sb) */
	static const char *const links[] = { "/", "/tmp", "/var", "/etc",
					     "/private/tmp", "/private/var/tmp" };

	path_seen_init(&seen);
	emit_rule_begin(em, &rule, 1, "file-read-metadata");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		emit_rule_filter_path(em, &rule, 1, "literal", links[i], nowhere);
		path_seen_add(&seen, links[i]);
	}
	for (size_t i = 0; i < a->nr; i++) {
		char *p;

		if (!entry_allows(&a->v[i], DEF_ACC_READ) || a->v[i].path[0] != '/')
			continue;
		p = xstrdup(a->v[i].path);
		for (char *s = strrchr(p, '/'); s && s > p; s = strrchr(p, '/')) {
			*s = '\0';
			if (!path_seen_add(&seen, p))
				break; /* its ancestors are in already */
			emit_rule_filter_path(em, &rule, 1, "literal", p, a->v[i].loc);
		}
		free(p);
	}
	emit_rule_end(em, &rule);
	path_seen_release(&seen);
}

static void
emit_files(struct emitter *em, const struct container_def *def)
{
	struct def_access a;

	def_access_build(def, &a);
	strbuf_addstr(em->out,
		      "\n;; Filesystem: general paths first, specific paths last, so that the\n"
		      ";; last matching rule wins and the most specific path decides. Start-up\n"
		      ";; paths: dyld, frameworks, the shared cache, /dev/null and friends, time\n"
		      ";; zone data, xcode-select's links; file-map-executable is allowed by\n"
		      ";; default.\n");
	for (size_t i = 0; i < sizeof(file_ops) / sizeof(file_ops[0]); i++)
		emit_file_op(em, &a, file_ops[i].op, file_ops[i].cls, 0);
	strbuf_addstr(em->out,
		      "\n;; Protected paths stay put. file-link and file-clone are allowed by\n"
		      ";; default even under (deny default) (chromium renderer.sb): a hard link\n"
		      ";; only where writing is allowed (it is another name for the same file),\n"
		      ";; a clone only where reading is (it copies the file); and no renaming\n"
		      ";; of the writable folders above denied or read-only paths.\n");
	emit_file_op(em, &a, "file-link", DEF_ACC_WRITE, 1);
	emit_file_op(em, &a, "file-clone", DEF_ACC_READ, 1);
	emit_move_blocking(em, &a);
	strbuf_addstr(em->out,
		      "\n;; Path resolution: metadata of the ancestors of readable paths and\n"
		      ";; of the /tmp /var /etc symlinks themselves, which the kernel checks on\n"
		      ";; the way (nix sandbox-defaults.sb, codex platform defaults).\n");
	emit_ancestors(em, &a);
	def_access_release(&a);
}

int
sbpl_emit_def(const struct container_def *def, struct strbuf *out,
	      struct def_strlist *params, struct sbox_err *err)
{
	return sbpl_emit_def_ir(def, out, params, NULL, err);
}

int
sbpl_emit_def_ir(const struct container_def *def, struct strbuf *out,
		 struct def_strlist *params, struct policy *ir,
		 struct sbox_err *err)
{
	struct emitter em;

	(void)err;
	emitter_init(&em, def, out, params, ir);
	strbuf_addf(out, ";; sbox profile for container \"%s\" (generated by sbox compile)\n",
		    em.name);
	strbuf_addstr(out, "(version 1)\n");
	emit_single(&em, 0, "default", NULL, NULL, NULL);
	emit_startup(&em);
	emit_files(&em, def);
	emit_network(&em, def);
	emit_mach(&em, def);
	emit_escape_hatch(&em, def);
	emit_param_list(&em);
	emitter_release(&em);
	return 0;
}
