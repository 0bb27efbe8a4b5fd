#include "policy/policy.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void
policy_init(struct policy *p, const struct vocab *vocab)
{
	memset(p, 0, sizeof(*p));
	p->vocab = vocab;
}

void
policy_release(struct policy *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		struct policy_rule *r = &p->rules[i];

		free(r->op);
		policy_filter_free(r->filter);
		for (size_t j = 0; j < r->nmods; j++)
			policy_modifier_release(&r->mods[j]);
		free(r->mods);
	}
	free(p->rules);
	policy_init(p, p->vocab);
}

struct policy_rule *
policy_add_rule(struct policy *p, enum policy_action action, const char *op,
		struct policy_filter *filter, struct policy_modifier *mods,
		size_t nmods, struct src_loc loc)
{
	struct policy_rule *r;

	ALLOC_GROW(p->rules, p->nrules + 1, p->alloc);
	r = &p->rules[p->nrules++];
	r->action = action;
	r->op = xstrdup(op);
	r->filter = filter;
	r->mods = mods;
	r->nmods = nmods;
	r->loc = loc;
	return r;
}

struct policy_filter *
policy_filter_new(enum policy_filter_kind kind, const char *name,
		  struct src_loc loc)
{
	struct policy_filter *f = xcalloc(1, sizeof(*f));

	f->kind = kind;
	f->name = name ? xstrdup(name) : NULL;
	f->loc = loc;
	return f;
}

void
policy_filter_add_arg(struct policy_filter *f, struct policy_value v)
{
	f->args = xrealloc(f->args, (f->nargs + 1) * sizeof(*f->args));
	f->args[f->nargs++] = v;
}

void
policy_filter_add_kid(struct policy_filter *f, struct policy_filter *kid)
{
	f->kids = xrealloc(f->kids, (f->nkids + 1) * sizeof(*f->kids));
	f->kids[f->nkids++] = kid;
}

struct policy_filter *
policy_filter_clone(const struct policy_filter *f)
{
	struct policy_filter *c;

	if (!f)
		return NULL;
	c = policy_filter_new(f->kind, f->name, f->loc);
	for (size_t i = 0; i < f->nargs; i++)
		policy_filter_add_arg(c, policy_value_clone(&f->args[i]));
	for (size_t i = 0; i < f->nkids; i++)
		policy_filter_add_kid(c, policy_filter_clone(f->kids[i]));
	return c;
}

void
policy_filter_free(struct policy_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nargs; i++)
		policy_value_release(&f->args[i]);
	for (size_t i = 0; i < f->nkids; i++)
		policy_filter_free(f->kids[i]);
	free(f->args);
	free(f->kids);
	free(f->name);
	free(f);
}

struct policy_value
policy_value_str(enum policy_value_kind kind, const char *s)
{
	struct policy_value v = { kind, s ? xstrdup(s) : NULL, 0 };

	return v;
}

struct policy_value
policy_value_int(int64_t n)
{
	struct policy_value v = { PV_INT, NULL, n };

	return v;
}

struct policy_value
policy_value_clone(const struct policy_value *v)
{
	struct policy_value c = *v;

	c.str = v->str ? xstrdup(v->str) : NULL;
	return c;
}

void
policy_value_release(struct policy_value *v)
{
	free(v->str);
	v->str = NULL;
}

void
policy_modifier_release(struct policy_modifier *m)
{
	for (size_t i = 0; i < m->nargs; i++)
		policy_value_release(&m->args[i]);
	free(m->args);
	free(m->name);
}
