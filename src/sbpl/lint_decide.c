#include "sbpl/lint_decide.h"
#include "policy/vocab.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum atom_kind { ATOM_LITERAL, ATOM_SUBPATH, ATOM_PREFIX };

struct atom {
	enum atom_kind kind;
	const char *s;
};

/* The paths a rule matches, as a union of atoms; unknown when the
 * filter is not a plain path filter (or an OR of them). */
struct atoms {
	struct atom *v;
	size_t nr, alloc;
	bool unknown;
	bool everything;   /* unfiltered */
};

static void
atoms_collect(const struct policy_filter *f, struct atoms *out)
{
	enum atom_kind kind;

	if (f->kind == PF_REQUIRE_ANY) {
		for (size_t i = 0; i < f->nkids; i++)
			atoms_collect(f->kids[i], out);
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
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr].kind = kind;
		out->v[out->nr++].s = f->args[i].str;
	}
}

static void
atoms_of(const struct policy_rule *r, struct atoms *out)
{
	memset(out, 0, sizeof(*out));
	if (!r->filter)
		out->everything = true;
	else
		atoms_collect(r->filter, out);
}

static bool
starts_with(const char *s, const char *pre)
{
	return !strncmp(s, pre, strlen(pre));
}

/* s is base or below it */
static bool
under(const char *s, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return s[0] == '/';
	return !strncmp(s, base, n) && (s[n] == '/' || !s[n]);
}

static bool
atom_matches(const struct atom *a, const char *path)
{
	switch (a->kind) {
	case ATOM_LITERAL:
		return !strcmp(a->s, path);
	case ATOM_SUBPATH:
		return under(path, a->s);
	case ATOM_PREFIX:
		return starts_with(path, a->s);
	}
	return false;
}

/* Every path matching a also matches b. */
static bool
atom_covers(const struct atom *b, const struct atom *a)
{
	if (a->kind == ATOM_LITERAL)
		return atom_matches(b, a->s);
	switch (b->kind) {
	case ATOM_LITERAL:
		return false;
	case ATOM_SUBPATH:
		if (a->kind == ATOM_SUBPATH)
			return under(a->s, b->s);
		/* a prefix stays below b only once it is past "b/" */
		return !strcmp(b->s, "/") ? a->s[0] == '/' :
		       (starts_with(a->s, b->s) && a->s[strlen(b->s)] == '/');
	case ATOM_PREFIX:
		return starts_with(a->s, b->s);
	}
	return false;
}

static bool
atom_overlaps(const struct atom *a, const struct atom *b)
{
	if (a->kind == ATOM_LITERAL)
		return atom_matches(b, a->s);
	if (b->kind == ATOM_LITERAL)
		return atom_matches(a, b->s);
	return atom_covers(a, b) || atom_covers(b, a) ||
	       (a->kind == ATOM_SUBPATH && b->kind == ATOM_PREFIX && starts_with(a->s, b->s)) ||
	       (b->kind == ATOM_SUBPATH && a->kind == ATOM_PREFIX && starts_with(b->s, a->s));
}

static bool
atoms_overlap(const struct atoms *x, const struct atoms *y)
{
	if (x->unknown || y->unknown)
		return false;
	if (x->everything || y->everything)
		return true;
	for (size_t i = 0; i < x->nr; i++)
		for (size_t j = 0; j < y->nr; j++)
			if (atom_overlaps(&x->v[i], &y->v[j]))
				return true;
	return false;
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

/* C1: rule i is dead when each of its atoms is covered by a later
 * filtered rule of the opposite action on the same operation. */
static void
lint_shadowed(const struct policy *p, struct atoms *all, struct diag_list *diags)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		const struct policy_rule *by = NULL;
		bool all_covered = all[i].nr > 0 && !all[i].unknown && !all[i].everything;

		for (size_t a = 0; all_covered && a < all[i].nr; a++) {
			bool covered = false;

			for (size_t j = p->nrules; !covered && j-- > i + 1;) {
				const struct policy_rule *q = &p->rules[j];

				if (!q->filter || q->action == r->action ||
				    strcmp(q->op, r->op) || all[j].unknown)
					continue;
				for (size_t b = 0; b < all[j].nr && !covered; b++)
					if (atom_covers(&all[j].v[b], &all[i].v[a])) {
						covered = true;
						by = q;
					}
			}
			all_covered = covered;
		}
		if (!all_covered || !r->loc.file)
			continue;
		struct diag *d = diag_add(diags, DIAG_WARNING, r->loc, "rule-shadowed",
			"this (%s %s ...) never takes effect: every path it matches is decided by a later %s rule (line %u); the last matching filtered rule wins (libsandbox sbpl1.scm, github.com/knightsc/sandbox_profiles)",
			action_name(r->action), r->op, action_name(by->action), line_of(by));
		if (d && by->loc.file)
			diag_add_related(d, by->loc, "the later rule");
	}
}

/* Is anc a strict ancestor of op in the fallback chain? */
static bool
is_parent_op(const struct vocab *v, const char *op, const char *anc)
{
	const struct vocab_op *o = vocab_op_find(v, op);

	for (int depth = 0; o && o->fallback && depth < 16; depth++) {
		if (!strcmp(o->fallback, o->name))
			break;
		if (!strcmp(o->fallback, anc))
			return true;
		o = vocab_op_find(v, o->fallback);
	}
	return false;
}

/* C3 (§a.3): a child-op rule beats a later parent-op rule it overlaps. */
static void
lint_child_op(const struct policy *p, struct atoms *all, struct diag_list *diags)
{
	if (!p->vocab)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!r->loc.file || !strcmp(r->op, "default"))
			continue;
		for (size_t j = i + 1; j < p->nrules; j++) {
			const struct policy_rule *q = &p->rules[j];
			struct diag *d;

			if (q->action == r->action || !strcmp(q->op, r->op) ||
			    !strcmp(q->op, "default") ||
			    !is_parent_op(p->vocab, r->op, q->op) ||
			    !atoms_overlap(&all[i], &all[j]))
				continue;
			d = diag_add(diags, DIAG_WARNING, r->loc, "child-op-precedence",
				"this (%s %s ...) wins over the later (%s %s ...) on line %u for %s: an operation's own rules come before its parent's, whatever the order (libsandbox sbpl1.scm, github.com/knightsc/sandbox_profiles); write both on the same operation",
				action_name(r->action), r->op, action_name(q->action), q->op,
				line_of(q), r->op);
			if (d && q->loc.file)
				diag_add_related(d, q->loc, "the parent-operation rule");
			break;
		}
	}
}

/* C2: a later unfiltered rule does not override earlier filtered ones. */
static void
lint_unfiltered(const struct policy *p, struct diag_list *diags)
{
	for (size_t j = 0; j < p->nrules; j++) {
		const struct policy_rule *q = &p->rules[j];

		if (q->filter || !q->loc.file || !strcmp(q->op, "default"))
			continue;
		for (size_t i = 0; i < j; i++) {
			const struct policy_rule *r = &p->rules[i];
			struct diag *d;

			if (!r->filter || r->action == q->action || strcmp(r->op, q->op))
				continue;
			d = diag_add(diags, DIAG_NOTE, q->loc, "unfiltered-fallback",
				"this unfiltered (%s %s) does not override the earlier filtered %s on line %u: without a filter it is only the operation's fallback (libsandbox sbpl1.scm, github.com/knightsc/sandbox_profiles)",
				action_name(q->action), q->op, action_name(r->action), line_of(r));
			if (d && r->loc.file)
				diag_add_related(d, r->loc, "still decides the paths it matches");
			break;
		}
	}
}

void
sbpl_lint_decide(const struct policy *p, struct diag_list *diags)
{
	struct atoms *all = xcalloc(p->nrules ? p->nrules : 1, sizeof(*all));

	for (size_t i = 0; i < p->nrules; i++)
		atoms_of(&p->rules[i], &all[i]);
	lint_shadowed(p, all, diags);
	lint_child_op(p, all, diags);
	lint_unfiltered(p, diags);
	for (size_t i = 0; i < p->nrules; i++)
		free(all[i].v);
	free(all);
}
