/*
 * The decision-model lints (lint_decide.h), indexed: each rule is
 * compared only with the rules that can match the same requests, found
 * through a path_index of the rules after it, walked from the last rule
 * back to the first. tests/unit/test_lint_decide.c checks that this finds
 * exactly what comparing every pair of rules finds.
 */
#include "sbpl/lint_decide.h"
#include "policy/vocab.h"
#include "sbpl/path_index.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The paths a rule matches, as a union of atoms (v[0..nr), a slice of
 * one array for all rules); unknown when the filter is not a plain path
 * filter (or an OR of them). */
struct atoms {
	struct atom *v;
	size_t nr;
	size_t first_id;   /* v is all_atoms + first_id */
	bool unknown;
	bool everything;   /* unfiltered */
};

struct atom_list {
	struct atom *v;
	size_t nr, alloc;
};

/* Operations numbered by name; a group is an operation and an action. */
struct op_table {
	const char **names;   /* sorted, unique */
	size_t n;
	uint32_t *of_rule;
};

struct lint_ctx {
	const struct policy *p;
	struct diag_list *diags;
	struct atoms *atoms;
	struct op_table ops;
	unsigned long work;
};

static void
atoms_collect(const struct policy_filter *f, struct atoms *out,
	      struct atom_list *all)
{
	enum atom_kind kind;

	if (f->kind == PF_REQUIRE_ANY) {
		for (size_t i = 0; i < f->nkids; i++)
			atoms_collect(f->kids[i], out, all);
		return;
	}
	if (f->kind != PF_MATCH) {
		out->unknown = true;
		return;
	}
	if (!strcmp(f->name, "literal") || !strcmp(f->name, "path"))
		kind = ATOM_LITERAL;
	else if (!strcmp(f->name, "subpath"))
		kind = ATOM_SUBPATH;
	else if (!strcmp(f->name, "prefix") || !strcmp(f->name, "path-prefix"))
		kind = ATOM_PREFIX;
	else {
		out->unknown = true;
		return;
	}
	for (size_t i = 0; i < f->nargs; i++) {
		if (f->args[i].kind != PV_STRING) {
			out->unknown = true;
			continue;
		}
		ALLOC_GROW(all->v, all->nr + 1, all->alloc);
		all->v[all->nr].kind = kind;
		all->v[all->nr].s = f->args[i].str;
		all->v[all->nr++].len = strlen(f->args[i].str);
		out->nr++;
	}
}

static const char *
action_name(enum policy_action a)
{
	return a == POLICY_ALLOW ? "allow" : "deny";
}

static unsigned
line_of(const struct policy_rule *r)
{
	unsigned line = 0, col;

	if (r->loc.file)
		src_linecol(r->loc.file, r->loc.start, &line, &col);
	return line;
}

static const struct policy *sort_policy;

static int
rule_op_cmp(const void *a, const void *b)
{
	return strcmp(sort_policy->rules[*(const size_t *)a].op,
		      sort_policy->rules[*(const size_t *)b].op);
}

static void
ops_build(const struct policy *p, struct op_table *t)
{
	size_t *order = xcalloc(p->nrules ? p->nrules : 1, sizeof(*order));

	memset(t, 0, sizeof(*t));
	t->names = xcalloc(p->nrules ? p->nrules : 1, sizeof(*t->names));
	t->of_rule = xcalloc(p->nrules ? p->nrules : 1, sizeof(*t->of_rule));
	for (size_t i = 0; i < p->nrules; i++)
		order[i] = i;
	sort_policy = p;
	qsort(order, p->nrules, sizeof(*order), rule_op_cmp);
	for (size_t i = 0; i < p->nrules; i++) {
		const char *op = p->rules[order[i]].op;

		if (!t->n || strcmp(t->names[t->n - 1], op))
			t->names[t->n++] = op;
		t->of_rule[order[i]] = (uint32_t)(t->n - 1);
	}
	free(order);
}

static uint32_t
op_find(const struct op_table *t, const char *name)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->names[mid], name);

		if (!c)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT32_MAX;
}

static uint32_t
group_of(uint32_t op, enum policy_action action)
{
	return op * 2 + (action == POLICY_ALLOW);
}

static enum policy_action
opposite(enum policy_action a)
{
	return a == POLICY_ALLOW ? POLICY_DENY : POLICY_ALLOW;
}

/* rule-shadowed ------------------------------------------------------- */

struct cover_q {
	const struct atom *a;
	size_t best;   /* latest covering rule */
};

/* Is the atom found at path[0..k) of kind one that covers q->a? */
static int
cover_found(void *ctx, enum atom_kind kind, size_t k, size_t v)
{
	struct cover_q *q = ctx;
	const struct atom *a = q->a;

	/* a subpath covers a prefix only from a '/' of it on ("/" always) */
	if (kind == ATOM_SUBPATH && a->kind == ATOM_PREFIX &&
	    !(k == 1 && a->s[0] == '/') && !(k < a->len && a->s[k] == '/'))
		return 0;
	if (q->best == PIDX_NONE || v > q->best)
		q->best = v;
	return 0;
}

/* The latest rule of group covering atom a, or PIDX_NONE. */
static size_t
latest_cover(struct path_index *x, uint32_t group, const struct atom *a)
{
	struct cover_q q = { a, PIDX_NONE };
	unsigned kinds = 1u << ATOM_SUBPATH | 1u << ATOM_PREFIX;

	/* a literal covers only itself */
	if (a->kind == ATOM_LITERAL)
		kinds |= 1u << ATOM_LITERAL;
	pidx_above(x, group, a->s, a->len, kinds, cover_found, &q);
	return q.best;
}

static void
shadowed_report(struct lint_ctx *c, size_t i, size_t by_i)
{
	const struct policy_rule *r = &c->p->rules[i], *by = &c->p->rules[by_i];
	struct diag *d = diag_add(c->diags, DIAG_WARNING, r->loc,
				  "rule-shadowed", LINT_MSG_SHADOWED,
				  action_name(r->action), r->op,
				  action_name(by->action), line_of(by));

	if (d && by->loc.file)
		diag_add_related(d, by->loc, "the later rule");
}

/* A filtered rule each of whose atoms a later filtered rule of the
 * opposite action on the same operation covers. */
static void
lint_shadowed(struct lint_ctx *c, size_t natoms)
{
	const struct policy *p = c->p;
	struct path_index x;
	size_t *found = xmalloc((p->nrules ? p->nrules : 1) * sizeof(*found));

	pidx_init(&x, PIDX_KEEP_FIRST, natoms, c->ops.n * 2);
	for (size_t i = p->nrules; i-- > 0;) {
		const struct policy_rule *r = &p->rules[i];
		const struct atoms *at = &c->atoms[i];
		uint32_t op = c->ops.of_rule[i];
		size_t by = PIDX_NONE;

		if (at->nr && !at->unknown && !at->everything && r->loc.file) {
			uint32_t g = group_of(op, opposite(r->action));

			for (size_t k = 0; k < at->nr; k++) {
				by = latest_cover(&x, g, &at->v[k]);
				if (by == PIDX_NONE)
					break;
			}
		}
		found[i] = by;
		if (r->filter && !at->unknown)
			for (size_t k = 0; k < at->nr; k++)
				pidx_insert(&x, group_of(op, r->action),
					    &at->v[k], i, 0);
	}
	/* in the order of the rules, as a reader expects them */
	for (size_t i = 0; i < p->nrules; i++)
		if (found[i] != PIDX_NONE)
			shadowed_report(c, i, found[i]);
	free(found);
	c->work += x.work;
	pidx_release(&x);
}

/* child-op-precedence ------------------------------------------------- */

struct overlap_q {
	size_t best;   /* nearest later overlapping rule */
};

static int
overlap_found(void *ctx, enum atom_kind kind, size_t k, size_t v)
{
	struct overlap_q *q = ctx;

	(void)kind;
	(void)k;
	if (v < q->best)
		q->best = v;
	return 0;
}

/*
 * The nearest later rule of group with an atom overlapping a: one whose
 * string is a's or a prefix of it (above), or, for a subpath or prefix
 * a, one whose string lies under it (below).
 */
static size_t
nearest_overlap(struct path_index *x, uint32_t group, const struct atom *a,
		struct strbuf *buf)
{
	struct overlap_q q = { PIDX_NONE };
	size_t below = PIDX_NONE;

	pidx_above(x, group, a->s, a->len,
		   1u << ATOM_LITERAL | 1u << ATOM_SUBPATH | 1u << ATOM_PREFIX,
		   overlap_found, &q);
	if (a->kind == ATOM_PREFIX) {
		below = pidx_below_min(x, group, a->s, a->len);
	} else if (a->kind == ATOM_SUBPATH) {
		/* under a subpath: "dir/..."; under "/": everything absolute */
		strbuf_reset(buf);
		if (strcmp(a->s, "/"))
			strbuf_add(buf, a->s, a->len);
		strbuf_addch(buf, '/');
		below = pidx_below_min(x, group, buf->buf, buf->len);
	}
	return below < q.best ? below : q.best;
}

/* Operations above op in its fallback chain (not op, not default). */
static size_t
ancestors(const struct lint_ctx *c, const char *op, uint32_t *out)
{
	const struct vocab_op *o = vocab_op_find(c->p->vocab, op);
	size_t n = 0;

	for (int depth = 0; o && o->fallback && depth < 16; depth++) {
		uint32_t id;

		if (!strcmp(o->fallback, o->name))
			break;
		id = op_find(&c->ops, o->fallback);
		if (id != UINT32_MAX && strcmp(o->fallback, op) &&
		    strcmp(o->fallback, "default"))
			out[n++] = id;
		o = vocab_op_find(c->p->vocab, o->fallback);
	}
	return n;
}

struct child_state {
	struct path_index x;
	size_t *any_min;   /* per group: nearest later rule not unknown */
	size_t *unf_min;   /* per group: nearest later unfiltered rule */
	struct strbuf buf;
};

static size_t
nearest_parent_rule(struct lint_ctx *c, struct child_state *s, size_t i)
{
	const struct policy_rule *r = &c->p->rules[i];
	const struct atoms *at = &c->atoms[i];
	uint32_t anc[16];
	size_t nanc = ancestors(c, r->op, anc), best = PIDX_NONE;

	for (size_t a = 0; a < nanc; a++) {
		uint32_t g = group_of(anc[a], opposite(r->action));
		size_t v = at->everything ? s->any_min[g] : s->unf_min[g];

		for (size_t k = 0; !at->everything && k < at->nr; k++) {
			size_t w = nearest_overlap(&s->x, g, &at->v[k], &s->buf);

			v = w < v ? w : v;
		}
		best = v < best ? v : best;
	}
	return best;
}

static void
child_report(struct lint_ctx *c, size_t i, size_t j)
{
	const struct policy_rule *r = &c->p->rules[i], *q = &c->p->rules[j];
	struct diag *d = diag_add(c->diags, DIAG_WARNING, r->loc,
				  "child-op-precedence", LINT_MSG_CHILD_OP,
				  action_name(r->action), r->op,
				  action_name(q->action), q->op, line_of(q),
				  r->op);

	if (d && q->loc.file)
		diag_add_related(d, q->loc, "the parent-operation rule");
}

static void
child_insert(struct lint_ctx *c, struct child_state *s, size_t i)
{
	const struct atoms *at = &c->atoms[i];
	uint32_t g = group_of(c->ops.of_rule[i], c->p->rules[i].action);

	if (at->unknown)
		return;
	s->any_min[g] = i;
	if (at->everything)
		s->unf_min[g] = i;
	for (size_t k = 0; k < at->nr; k++)
		pidx_insert(&s->x, g, &at->v[k], i, at->first_id + k);
}

/* A rule on a child operation that overlaps a later rule of the
 * opposite action on one of its parent operations. */
static void
lint_child_op(struct lint_ctx *c, size_t natoms)
{
	const struct policy *p = c->p;
	size_t ngroups = c->ops.n * 2;
	size_t *found = xmalloc((p->nrules ? p->nrules : 1) * sizeof(*found));
	struct child_state s;

	pidx_init(&s.x, PIDX_KEEP_LAST, natoms, ngroups);
	s.any_min = xmalloc((ngroups ? ngroups : 1) * sizeof(size_t));
	s.unf_min = xmalloc((ngroups ? ngroups : 1) * sizeof(size_t));
	for (size_t g = 0; g < ngroups; g++)
		s.any_min[g] = s.unf_min[g] = PIDX_NONE;
	strbuf_init(&s.buf);
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t k = 0; k < c->atoms[i].nr; k++)
			pidx_announce(&s.x, group_of(c->ops.of_rule[i],
						     p->rules[i].action),
				      &c->atoms[i].v[k], c->atoms[i].first_id + k);
	pidx_prepare(&s.x);
	for (size_t i = p->nrules; i-- > 0;) {
		const struct policy_rule *r = &p->rules[i];

		found[i] = PIDX_NONE;
		if (r->loc.file && strcmp(r->op, "default") &&
		    !c->atoms[i].unknown)
			found[i] = nearest_parent_rule(c, &s, i);
		child_insert(c, &s, i);
	}
	for (size_t i = 0; i < p->nrules; i++)
		if (found[i] != PIDX_NONE)
			child_report(c, i, found[i]);
	free(found);
	c->work += s.x.work;
	strbuf_release(&s.buf);
	free(s.any_min);
	free(s.unf_min);
	pidx_release(&s.x);
}

/* unfiltered-fallback ------------------------------------------------- */

/* An unfiltered rule after a filtered rule of the opposite action on
 * the same operation: the first such filtered rule still decides. */
static void
lint_unfiltered(struct lint_ctx *c)
{
	const struct policy *p = c->p;
	size_t ngroups = c->ops.n * 2;
	size_t *first = xmalloc((ngroups ? ngroups : 1) * sizeof(*first));

	for (size_t g = 0; g < ngroups; g++)
		first[g] = PIDX_NONE;
	for (size_t j = 0; j < p->nrules; j++) {
		const struct policy_rule *q = &p->rules[j];
		uint32_t op = c->ops.of_rule[j];
		size_t i = first[group_of(op, opposite(q->action))];

		c->work++;
		if (q->filter) {
			if (first[group_of(op, q->action)] == PIDX_NONE)
				first[group_of(op, q->action)] = j;
			continue;
		}
		if (!q->loc.file || !strcmp(q->op, "default") || i == PIDX_NONE)
			continue;
		const struct policy_rule *r = &p->rules[i];
		struct diag *d = diag_add(c->diags, DIAG_NOTE, q->loc,
					  "unfiltered-fallback",
					  LINT_MSG_UNFILTERED,
					  action_name(q->action), q->op,
					  action_name(r->action), line_of(r));

		if (d && r->loc.file)
			diag_add_related(d, r->loc,
					 "still decides the paths it matches");
	}
	free(first);
}

unsigned long
sbpl_lint_decide(const struct policy *p, struct diag_list *diags)
{
	bool shadowed = !diag_is_disabled(diags, "rule-shadowed");
	bool child = p->vocab && !diag_is_disabled(diags, "child-op-precedence");
	bool unfiltered = !diag_is_disabled(diags, "unfiltered-fallback");
	struct lint_ctx c = { p, diags, NULL, { NULL, 0, NULL }, 0 };
	struct atom_list all = { NULL, 0, 0 };

	if (!shadowed && !child && !unfiltered)
		return 0;
	ops_build(p, &c.ops);
	c.atoms = xcalloc(p->nrules ? p->nrules : 1, sizeof(*c.atoms));
	for (size_t i = 0; (shadowed || child) && i < p->nrules; i++) {
		c.atoms[i].first_id = all.nr;
		if (p->rules[i].filter)
			atoms_collect(p->rules[i].filter, &c.atoms[i], &all);
		else
			c.atoms[i].everything = true;
	}
	/* the array has stopped moving: point each rule at its slice */
	for (size_t i = 0; i < p->nrules; i++)
		c.atoms[i].v = all.v ? all.v + c.atoms[i].first_id : NULL;
	if (shadowed)
		lint_shadowed(&c, all.nr);
	if (child)
		lint_child_op(&c, all.nr);
	if (unfiltered)
		lint_unfiltered(&c);
	free(all.v);
	free(c.atoms);
	free(c.ops.names);
	free(c.ops.of_rule);
	return c.work;
}
