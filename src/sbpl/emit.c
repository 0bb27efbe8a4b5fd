/*
 * Definition -> canonical SBPL (issue 3, "Emission").
 *
 * Shape of the output:
 *   (version 1), (deny default) tagged with the container's name,
 *   the start-up rules any program needs (each with its reason),
 *   filesystem rules per operation, general paths first and specific
 *   ones last, so that last-match-wins among filtered rules
 *   (SBPL-SEMANTICS.md §a.1) yields most-specific-wins,
 *   metadata of the ancestors of readable paths (path resolution),
 *   network, extra mach services, imports and the raw escape hatch.
 * Every path is a (param "SBOX_Pn"); its value goes to params.
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

static void
emit_file_op(struct emitter *em, const struct def_access *a, const char *op,
	     unsigned cls)
{
	struct emit_rule rule;

	emit_rule_begin(em, &rule, -1, op);
	/* dyld reads / itself on macOS 26 (SBPL-LINTS.md D2); first, so that
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
 * Hard links: file-link is allowed by default (SBPL-SEMANTICS.md §a.4),
 * so denied paths refuse it explicitly, most specific last as above.
 */
static void
emit_links(struct emitter *em, const struct def_access *a)
{
	struct emit_rule rule;

	emit_rule_begin(em, &rule, -1, "file-link");
	for (size_t i = 0; i < a->nr; i++) {
		long parent = def_access_parent(a, i);
		int allow = !(a->v[i].bits & DEF_ACC_DENY);
		int above = parent < 0 || !(a->v[parent].bits & DEF_ACC_DENY);

		if (allow != above || !allow)
			emit_rule_filter_path(em, &rule, allow, "subpath",
					      a->v[i].path, a->v[i].loc);
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
	ALLOC_GROW(ps->owned.v, ps->owned.nr + 1, ps->owned.alloc);
	ps->owned.v[ps->owned.nr] = xstrdup(p);
	def_strmap_put(&ps->map, ps->owned.v[ps->owned.nr++], 0);
	return 1;
}

static void
path_seen_release(struct path_seen *ps)
{
	for (size_t i = 0; i < ps->owned.nr; i++)
		free(ps->owned.v[i]);
	free(ps->owned.v);
	def_strmap_release(&ps->map);
}

/*
 * Renaming a writable folder that holds a denied path would move the
 * denied path out from under its rule: refuse unlink/rename of every
 * writable ancestor (SBPL-LINTS.md C7, sandbox-runtime's move blocking).
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

		if (!(a->v[i].bits & DEF_ACC_DENY))
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
 * (MACOS.md §1.8.4) and of the /tmp, /var, /etc symlinks themselves
 * (SBPL-SEMANTICS.md §a.5).
 */
static void
emit_ancestors(struct emitter *em, const struct def_access *a)
{
	struct path_seen seen;
	struct emit_rule rule;
	static const char *const links[] = { "/", "/tmp", "/var", "/etc" };

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
		      ";; last matching rule (libsandbox's sbpl1.scm, in\n"
		      ";; github.com/knightsc/sandbox_profiles) is the most specific one.\n"
		      ";; Start-up paths (Apple's system.sb and dyld-support.sb, codex's\n"
		      ";; platform defaults): dyld, frameworks, the shared cache, /dev/null\n"
		      ";; and friends; file-map-executable is allowed by default (chromium\n"
		      ";; sandbox/policy/mac/renderer.sb).\n");
	for (size_t i = 0; i < sizeof(file_ops) / sizeof(file_ops[0]); i++)
		emit_file_op(em, &a, file_ops[i].op, file_ops[i].cls);
	strbuf_addstr(em->out,
		      "\n;; Denied paths stay put: no hard links out of them (file-link is allowed\n"
		      ";; by default, chromium renderer.sb) and no renaming of the writable\n"
		      ";; folders above them (as anthropic's sandbox-runtime does).\n");
	emit_links(em, &a);
	emit_move_blocking(em, &a);
	strbuf_addstr(em->out,
		      "\n;; Path resolution: metadata of the ancestors of readable paths\n"
		      ";; (chromium common.sb, Nix sandbox-defaults.sb) and of the /tmp /var\n"
		      ";; /etc symlinks (Nix sandbox-defaults.sb, codex's seatbelt policy).\n");
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
