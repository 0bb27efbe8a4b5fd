/*
 * allow/deny: classify a rule's arguments (operations, filters,
 * modifiers), check them against the vocabulary (SBPL-SEMANTICS.md §a.2,
 * §d; SBPL-LINTS.md A9, B7) and append policy rules; (with ...) and the
 * with-filter / with-modifier prelude macros.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs

static const char *const qualifier_filters[] = {
	"vnode-type", "file-mode", "extension", "target", "process-attribute",
	"system-attribute", NULL,
};

static bool
is_qualifier(const struct policy_filter *f)
{
	if (f->kind != PF_MATCH)
		return false;
	for (size_t i = 0; qualifier_filters[i]; i++)
		if (!strcmp(f->name, qualifier_filters[i]))
			return true;
	return false;
}

static bool
is_locator(struct interp *in, const struct policy_filter *f)
{
	struct vocab_filter vf;

	if (f->kind != PF_MATCH || !vocab_filter_find(in->vocab, f->name, &vf))
		return false;
	return !is_qualifier(f) && strcmp(vf.category, "process") &&
	       strcmp(vf.category, "system");
}

/* A leaf filter whose category the operation does not accept, or NULL. */
static const struct policy_filter *
inapplicable_leaf(struct interp *in, const struct vocab_op *op,
		  const struct policy_filter *f)
{
	struct vocab_filter vf;

	if (f->kind != PF_MATCH) {
		for (size_t i = 0; i < f->nkids; i++) {
			const struct policy_filter *bad = inapplicable_leaf(in, op, f->kids[i]);

			if (bad)
				return bad;
		}
		return NULL;
	}
	if (!vocab_filter_find(in->vocab, f->name, &vf))
		return NULL;
	return vocab_op_accepts_category(op, vf.category) ? NULL : f;
}

struct rule_parts {
	const struct sval *ops[64];
	struct src_loc op_locs[64];
	size_t nops;
	struct sval **filters;
	size_t nfilters, filters_alloc;
	struct sval **mods;
	size_t nmods, mods_alloc;
};

static bool
classify_arg(struct interp *in, struct rule_parts *rp, struct sval *v,
	     const struct src_loc *locs, size_t i, int depth)
{
	switch (v->type) {
	case SV_OP:
		if (rp->nops == sizeof(rp->ops) / sizeof(rp->ops[0])) {
			interp_error(in, sbpl_argloc(in, locs, i), "arity",
				     "too many operations in one rule");
			return false;
		}
		rp->op_locs[rp->nops] = sbpl_argloc(in, locs, i);
		rp->ops[rp->nops++] = v;
		return true;
	case SV_FILTER:
		ALLOC_GROW(rp->filters, rp->nfilters + 1, rp->filters_alloc);
		rp->filters[rp->nfilters++] = v;
		return true;
	case SV_MODIFIER:
		ALLOC_GROW(rp->mods, rp->nmods + 1, rp->mods_alloc);
		rp->mods[rp->nmods++] = v;
		return true;
	case SV_VOID:
	case SV_NIL:
		return true;
	case SV_PAIR:
		if (depth < 8 && sv_is_list(v)) {
			for (struct sval *l = v; l->type == SV_PAIR; l = l->u.pair.cdr)
				if (!classify_arg(in, rp, l->u.pair.car, locs, i, depth + 1))
					return false;
			return true;
		}
		/* fall through */
	default:
		sbpl_arg_type_error(in, locs, i, "illegal argument to allow/deny", v);
		return false;
	}
}

static bool
check_modifiers(struct interp *in, struct rule_parts *rp,
		enum policy_action action)
{
	for (size_t i = 0; i < rp->nmods; i++) {
		const struct vocab_modifier *m = vocab_modifier_find(rp->mods[i]->u.mod.name);
		const char *name = rp->mods[i]->u.mod.name;

		/* 10.10.5 sbpl1.scm "Modifiers": compile errors on macOS */
		if ((m->action == VOCAB_MOD_ALLOW_ONLY && action != POLICY_ALLOW) ||
		    (m->action == VOCAB_MOD_DENY_ONLY && action != POLICY_DENY)) {
			interp_error(in, rp->mods[i]->loc, "modifier-action",
				     "%s modifier does not apply to %s action", name,
				     action == POLICY_ALLOW ? "allow" : "deny");
			return false;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(rp->mods[j]->u.mod.name, name)) {
				interp_error(in, rp->mods[i]->loc, "modifier-repeated",
					     "%s modifier can only appear once per rule", name);
				return false;
			}
		for (size_t k = 0; k < rp->nops; k++) {
			const struct vocab_op *op = rp->ops[k]->u.op.op;

			if (op && !m->deprecated && strcmp(name, "termination") &&
			    !vocab_op_accepts_modifier(op, name)) {
				interp_warn(in, DIAG_WARNING, rp->mods[i]->loc,
					    "modifier-not-applicable",
					    "%s modifier does not apply to %s operation",
					    name, op->name);
				break;
			}
		}
	}
	return true;
}

static void
check_filters(struct interp *in, struct rule_parts *rp, struct src_loc loc)
{
	bool locator = false, qualifier = false;

	for (size_t i = 0; i < rp->nfilters; i++) {
		const struct policy_filter *f = rp->filters[i]->u.filter.f;

		for (size_t k = 0; k < rp->nops; k++) {
			const struct vocab_op *op = rp->ops[k]->u.op.op;
			const struct policy_filter *bad = op ? inapplicable_leaf(in, op, f) : NULL;

			if (bad) {
				/* Apple ships profiles with such filters
				 * (EXPECT.tsv), so only a warning */
				interp_warn(in, DIAG_WARNING, bad->loc,
					    "filter-not-applicable",
					    "%s filter does not apply to %s operation",
					    bad->name, op->name);
				break;
			}
		}
		locator |= is_locator(in, f);
		qualifier |= is_qualifier(f);
	}
	if (locator && qualifier)
		interp_warn(in, DIAG_WARNING, loc, "filters-or",
			    "several filters in one rule match if ANY of them "
			    "does; use (require-all ...) if all must match");
}

static struct policy_filter *
rule_filter(struct interp *in, struct rule_parts *rp, struct src_loc loc)
{
	struct policy_filter *f = NULL;

	if (rp->nfilters == 1) {
		f = policy_filter_clone(rp->filters[0]->u.filter.f);
	} else if (rp->nfilters > 1) {
		f = policy_filter_new(PF_REQUIRE_ANY, NULL, loc);
		for (size_t i = 0; i < rp->nfilters; i++)
			policy_filter_add_kid(f, policy_filter_clone(rp->filters[i]->u.filter.f));
	}
	/* with-filter: (require-all (require-any filters...) extra...) */
	for (struct sval *x = in->extra_filters; x->type == SV_PAIR; x = x->u.pair.cdr) {
		struct policy_filter *all = policy_filter_new(PF_REQUIRE_ALL, NULL, loc);

		if (f)
			policy_filter_add_kid(all, f);
		policy_filter_add_kid(all, policy_filter_clone(x->u.pair.car->u.filter.f));
		f = all;
	}
	return f;
}

static struct policy_modifier *
rule_mods(struct rule_parts *rp)
{
	struct policy_modifier *m;

	if (!rp->nmods)
		return NULL;
	m = xcalloc(rp->nmods, sizeof(*m));
	for (size_t i = 0; i < rp->nmods; i++) {
		m[i].name = xstrdup(rp->mods[i]->u.mod.name);
		for (struct sval *l = rp->mods[i]->u.mod.args; l->type == SV_PAIR;
		     l = l->u.pair.cdr) {
			m[i].args = xrealloc(m[i].args, (m[i].nargs + 1) * sizeof(*m[i].args));
			m[i].args[m[i].nargs++] = sbpl_policy_value(l->u.pair.car, false);
		}
	}
	return m;
}

static void
add_rules(struct interp *in, struct rule_parts *rp, enum policy_action action,
	  struct src_loc loc)
{
	for (size_t k = 0; k < rp->nops; k++) {
		const struct vocab_op *op = rp->ops[k]->u.op.op;

		if (!op) {
			interp_warn(in, DIAG_NOTE, rp->op_locs[k], "noop-operation",
				    "%s is a no-op on macOS %s: this rule has no effect",
				    rp->ops[k]->u.op.written, vocab_release_name(in->vocab));
			continue;
		}
		policy_add_rule(in->policy, action, op->name, rule_filter(in, rp, loc),
				rule_mods(rp), rp->nmods, loc);
	}
}

static struct sval *
bi_rule(ARGS)
{
	enum policy_action action = !strcmp(in->calling->name, "allow") ? POLICY_ALLOW
									: POLICY_DENY;
	struct src_loc loc = in->action_loc.file ? in->action_loc : in->cur;
	struct rule_parts rp;

	memset(&rp, 0, sizeof(rp));
	for (size_t i = 0; i < n; i++)
		if (!classify_arg(in, &rp, a[i], locs, i, 0))
			goto out;
	for (struct sval *x = in->extra_mods; x->type == SV_PAIR; x = x->u.pair.cdr) {
		ALLOC_GROW(rp.mods, rp.nmods + 1, rp.mods_alloc);
		rp.mods[rp.nmods++] = x->u.pair.car;
	}
	if (!rp.nops) {
		interp_error(in, loc, "arity", "at least one operation required");
		goto out;
	}
	if (!check_modifiers(in, &rp, action))
		goto out;
	check_filters(in, &rp, loc);
	add_rules(in, &rp, action, loc);
out:
	free(rp.filters);
	free(rp.mods);
	return in->failed ? NULL : &in->voidv;
}

/* (with NAME ARGS...): a modifier, SBPL-SEMANTICS §d */
struct sval *
apple_with(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *name, *args = &in->nil, **tail = &args, *m;
	const struct vocab_modifier *vm;
	size_t nargs = 0;

	if (sv_list_len(x) < 2 || x->u.pair.cdr->u.pair.car->type != SV_SYMBOL)
		return interp_error(in, x->loc, "bad-form", "bad with form: (with MODIFIER ARGS...)");
	name = x->u.pair.cdr->u.pair.car;
	vm = vocab_modifier_find(name->u.sym->name);
	if (!vm)
		return interp_error(in, name->loc, "unbound-variable",
				    "unbound variable: %s", name->u.sym->name);
	for (struct sval *l = x->u.pair.cdr->u.pair.cdr; l->type == SV_PAIR; l = l->u.pair.cdr) {
		struct sval *v = eval(in, l->u.pair.car, env);

		if (in->failed)
			return NULL;
		*tail = sv_cons(in, v, &in->nil);
		tail = &(*tail)->u.pair.cdr;
		nargs++;
	}
	if ((int)nargs < vm->min_args || (int)nargs > vm->max_args)
		return interp_error(in, x->loc, "arity",
				    "%s modifier takes %d argument%s, got %zu",
				    vm->name, vm->max_args, vm->max_args == 1 ? "" : "s", nargs);
	if (vm->deprecated)
		interp_warn(in, DIAG_NOTE, name->loc, "deprecated",
			    "(with %s) is deprecated; use (%s)", vm->name,
			    !strcmp(vm->name, "no-callout") ? "disable-callouts"
							    : "disable-full-symbolication");
	if (!strcmp(vm->name, "send-signal")) {
		struct sval *sig = args->u.pair.car;

		if (sig->type != SV_INT && sig->type != SV_UNKNOWN &&
		    !(sig->type == SV_CONST &&
		      vocab_named_arg_find("signal_number_args", sig->u.cnst.name, NULL)))
			return sbpl_arg_type_error(in, NULL, 0, "send-signal needs a signal", sig);
	}
	m = sv_new(in, SV_MODIFIER, x->loc);
	m->u.mod.name = vm->name;
	m->u.mod.args = args;
	return m;
}

/* (with-filter F rules...) / (with-modifier M rules...), prelude macros
 * (sbpl_v1.scm l.127, l.160) */
struct sval *
apple_with_filter(struct interp *in, struct sval *x, struct env *env,
		  bool modifier)
{
	struct sval *v, **stack = modifier ? &in->extra_mods : &in->extra_filters;
	struct sval *saved = *stack;

	if (sv_list_len(x) < 2)
		return interp_error(in, x->loc, "bad-form", "bad %s form",
				    modifier ? "with-modifier" : "with-filter");
	v = eval(in, x->u.pair.cdr->u.pair.car, env);
	if (in->failed)
		return NULL;
	if (v->type != (modifier ? SV_MODIFIER : SV_FILTER))
		return sbpl_arg_type_error(in, NULL, 0, modifier ? "with-modifier needs a modifier"
							    : "with-filter needs a filter", v);
	*stack = sv_cons(in, v, saved);
	for (struct sval *l = x->u.pair.cdr->u.pair.cdr; l->type == SV_PAIR; l = l->u.pair.cdr) {
		eval(in, l->u.pair.car, env);
		if (in->failed)
			break;
	}
	*stack = saved;
	return in->failed ? NULL : &in->voidv;
}

static const struct builtin rule_builtins[] = {
	{ "allow", bi_rule, 0, -1 },
	{ "deny", bi_rule, 0, -1 },
};

const struct builtin *
rules_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(rule_builtins) / sizeof(rule_builtins[0]); i++)
		if (!strcmp(rule_builtins[i].name, name))
			return &rule_builtins[i];
	return NULL;
}
