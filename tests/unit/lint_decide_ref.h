/*
 * The decision-model lints as first written: every rule compared with
 * every later one. Too slow for big profiles (quadratic), but plain
 * enough to trust: test_lint_decide.c checks that the indexed
 * implementation in src/sbpl/lint_decide.c finds exactly the same.
 * Messages must stay identical to the real ones.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "policy/vocab.h"
#include "util/diag.h"
#include "sbpl/lint_decide.h"
#include "util/xalloc.h"

enum ref_atom_kind { REF_ATOM_LITERAL, REF_ATOM_SUBPATH, REF_ATOM_PREFIX };

struct ref_atom {
	enum ref_atom_kind kind;
	const char *s;
};

/* The paths a rule matches, as a union of atoms; unknown when the
 * filter is not a plain path filter (or an OR of them). */
struct ref_atoms {
	struct ref_atom *v;
	size_t nr, alloc;
	bool unknown;
	bool everything;   /* unfiltered */
};

static void
ref_atoms_collect(const struct policy_filter *f, struct ref_atoms *out)
{
	enum ref_atom_kind kind;

	if (f->kind == PF_REQUIRE_ANY) {
		for (size_t i = 0; i < f->nkids; i++)
			ref_atoms_collect(f->kids[i], out);
		return;
	}
	if (f->kind != PF_MATCH) {
		out->unknown = true;
		return;
	}
	if (!strcmp(f->name, "literal") || !strcmp(f->name, "path"))
		kind = REF_ATOM_LITERAL;
	else if (!strcmp(f->name, "subpath"))
		kind = REF_ATOM_SUBPATH;
	else if (!strcmp(f->name, "prefix") || !strcmp(f->name, "path-prefix"))
		kind = REF_ATOM_PREFIX;
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
ref_atoms_of(const struct policy_rule *r, struct ref_atoms *out)
{
	memset(out, 0, sizeof(*out));
	if (!r->filter)
		out->everything = true;
	else
		ref_atoms_collect(r->filter, out);
}

static bool
ref_starts_with(const char *s, const char *pre)
{
	return !strncmp(s, pre, strlen(pre));
}

/* s is base or below it */
static bool
ref_under(const char *s, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return s[0] == '/';
	return !strncmp(s, base, n) && (s[n] == '/' || !s[n]);
}

static bool
ref_atom_matches(const struct ref_atom *a, const char *path)
{
	switch (a->kind) {
	case REF_ATOM_LITERAL:
		return !strcmp(a->s, path);
	case REF_ATOM_SUBPATH:
		return ref_under(path, a->s);
	case REF_ATOM_PREFIX:
		return ref_starts_with(path, a->s);
	}
	return false;
}

/* Every path matching a also matches b. */
static bool
ref_atom_covers(const struct ref_atom *b, const struct ref_atom *a)
{
	if (a->kind == REF_ATOM_LITERAL)
		return ref_atom_matches(b, a->s);
	switch (b->kind) {
	case REF_ATOM_LITERAL:
		return false;
	case REF_ATOM_SUBPATH:
		if (a->kind == REF_ATOM_SUBPATH)
			return ref_under(a->s, b->s);
		/* a prefix stays below b only once it is past "b/" */
		return !strcmp(b->s, "/") ? a->s[0] == '/' :
		       (ref_starts_with(a->s, b->s) && a->s[strlen(b->s)] == '/');
	case REF_ATOM_PREFIX:
		return ref_starts_with(a->s, b->s);
	}
	return false;
}

static bool
ref_atom_overlaps(const struct ref_atom *a, const struct ref_atom *b)
{
	if (a->kind == REF_ATOM_LITERAL)
		return ref_atom_matches(b, a->s);
	if (b->kind == REF_ATOM_LITERAL)
		return ref_atom_matches(a, b->s);
	return ref_atom_covers(a, b) || ref_atom_covers(b, a) ||
	       (a->kind == REF_ATOM_SUBPATH && b->kind == REF_ATOM_PREFIX && ref_starts_with(a->s, b->s)) ||
	       (b->kind == REF_ATOM_SUBPATH && a->kind == REF_ATOM_PREFIX && ref_starts_with(b->s, a->s));
}

static bool
ref_atoms_overlap(const struct ref_atoms *x, const struct ref_atoms *y)
{
	if (x->unknown || y->unknown)
		return false;
	if (x->everything || y->everything)
		return true;
	for (size_t i = 0; i < x->nr; i++)
		for (size_t j = 0; j < y->nr; j++)
			if (ref_atom_overlaps(&x->v[i], &y->v[j]))
				return true;
	return false;
}

static const char *
ref_action_name(enum policy_action a)
{
	return a == POLICY_ALLOW ? "allow" : "deny";
}

static unsigned
ref_line_of(const struct policy_rule *r)
{
	unsigned line = 0, col;

	if (r->loc.file)
		src_linecol(r->loc.file, r->loc.start, &line, &col);
	return line;
}

/* C1: rule i is dead when each of its atoms is covered by a later
 * filtered rule of the opposite action on the same operation. */
static void
ref_lint_shadowed(const struct policy *p, struct ref_atoms *all, struct diag_list *diags)
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
					if (ref_atom_covers(&all[j].v[b], &all[i].v[a])) {
						covered = true;
						by = q;
					}
			}
			all_covered = covered;
		}
		if (!all_covered || !r->loc.file)
			continue;
		struct diag *d = diag_add(diags, DIAG_WARNING, r->loc, "rule-shadowed",
			LINT_MSG_SHADOWED,
			ref_action_name(r->action), r->op, ref_action_name(by->action), ref_line_of(by));
		if (d && by->loc.file)
			diag_add_related(d, by->loc, "the later rule");
	}
}

/* Is anc a strict ancestor of op in the fallback chain? */
static bool
ref_is_parent_op(const struct vocab *v, const char *op, const char *anc)
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
ref_lint_child_op(const struct policy *p, struct ref_atoms *all, struct diag_list *diags)
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
			    !ref_is_parent_op(p->vocab, r->op, q->op) ||
			    !ref_atoms_overlap(&all[i], &all[j]))
				continue;
			d = diag_add(diags, DIAG_WARNING, r->loc, "child-op-precedence",
				LINT_MSG_CHILD_OP,
				ref_action_name(r->action), r->op, ref_action_name(q->action), q->op,
				ref_line_of(q), r->op);
			if (d && q->loc.file)
				diag_add_related(d, q->loc, "the parent-operation rule");
			break;
		}
	}
}

/* C2: a later unfiltered rule does not override earlier filtered ones. */
static void
ref_lint_unfiltered(const struct policy *p, struct diag_list *diags)
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
				LINT_MSG_UNFILTERED,
				ref_action_name(q->action), q->op, ref_action_name(r->action), ref_line_of(r));
			if (d && r->loc.file)
				diag_add_related(d, r->loc, "still decides the paths it matches");
			break;
		}
	}
}

static void
ref_lint_decide(const struct policy *p, struct diag_list *diags)
{
	struct ref_atoms *all = xcalloc(p->nrules ? p->nrules : 1, sizeof(*all));

	for (size_t i = 0; i < p->nrules; i++)
		ref_atoms_of(&p->rules[i], &all[i]);
	ref_lint_shadowed(p, all, diags);
	ref_lint_child_op(p, all, diags);
	ref_lint_unfiltered(p, diags);
	for (size_t i = 0; i < p->nrules; i++)
		free(all[i].v);
	free(all);
}
