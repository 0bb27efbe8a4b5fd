/*
 * The SBPL layer over the Scheme core: operations, filters and modifiers
 * as values, allow/deny building policy rules, and Apple's builtins
 * (param, import, version, regex-quote, path-ancestors, ...).
 * SBPL-SEMANTICS.md §a.2 (filters OR), §b (operations), §c (filters),
 * §d (modifiers), §e (directives), §f (parameters).
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs
#define FILTER_MAX_DEPTH 64

static struct src_loc
argloc(struct interp *in, const struct src_loc *locs, size_t i)
{
	return locs ? locs[i] : in->cur;
}

static struct sval *
arg_type_error(struct interp *in, const struct src_loc *locs, size_t i,
	       const char *what, const struct sval *got)
{
	struct strbuf sb = STRBUF_INIT;

	sv_print(got, &sb, 0);
	interp_error(in, argloc(in, locs, i), "type", "%s, got %s", what, sb.buf);
	strbuf_release(&sb);
	return NULL;
}

/* ---- filters ---- */

static struct policy_value
to_policy_value(const struct sval *v, bool regex)
{
	struct policy_value pv = { PV_UNKNOWN, NULL, 0 };

	switch (v->type) {
	case SV_STRING:
		pv = policy_value_str(regex ? PV_REGEX : PV_STRING, v->u.str.s);
		break;
	case SV_INT:
		pv = policy_value_int(v->u.i);
		break;
	case SV_CONST:
		pv = policy_value_str(PV_SYMBOL, v->u.cnst.name);
		pv.num = v->u.cnst.value;
		break;
	case SV_SYMBOL:
		pv = policy_value_str(PV_SYMBOL, v->u.sym->name);
		break;
	case SV_BOOL:
		pv.kind = PV_BOOL;
		pv.num = v->u.b;
		break;
	case SV_UNKNOWN:
		pv = policy_value_str(PV_UNKNOWN, v->u.str.s);
		break;
	default:
		break;
	}
	return pv;
}

/* AppleMatch regexes are close to POSIX extended ones; what regcomp
 * rejects (unbalanced brackets or parentheses) macOS rejects too. */
static void
check_regex(struct interp *in, const char *re, struct src_loc loc)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char msg[160];

		regerror(rc, &rx, msg, sizeof(msg));
		interp_warn(in, DIAG_ERROR, loc, "regex-invalid",
			    "invalid regular expression: %s", msg);
	} else {
		regfree(&rx);
	}
}

static bool
check_pattern_arg(struct interp *in, const struct vocab_filter *vf,
		  const struct sval *v, struct src_loc loc)
{
	if (v->type == SV_UNKNOWN)
		return true;
	if (v->type != SV_STRING) {
		struct strbuf sb = STRBUF_INIT;

		/* libsandbox's wording (simbple interface.c l.132) */
		sv_print(v, &sb, 0);
		interp_error(in, loc, "type",
			     "%s: argument to filter expecting string like "
			     "object is not a string: %s", vf->canonical, sb.buf);
		strbuf_release(&sb);
		return false;
	}
	in->string_bytes += v->u.str.len;
	if (vf->match == VOCAB_MATCH_REGEX)
		check_regex(in, v->u.str.s, loc);
	if (!strcmp(vf->category, "path"))
		lint_path_arg(in, vf->canonical, vf->match, v, loc);
	return true;
}

static bool
check_named_arg(struct interp *in, const struct vocab_filter *vf,
		const struct sval *v, struct src_loc loc)
{
	switch (v->type) {
	case SV_UNKNOWN:
	case SV_INT:
		return true;
	case SV_STRING:
		if (vf->type == VOCAB_ARG_STRING || vf->type == VOCAB_ARG_NETWORK)
			return true;
		break;
	case SV_BOOL:
		if (vf->type == VOCAB_ARG_BOOL)
			return true;
		break;
	case SV_CONST:
		if (!vf->named_table ||
		    vocab_named_arg_find(vf->named_table, v->u.cnst.name, NULL))
			return true;
		interp_error(in, loc, "type", "%s is not a valid argument of the %s filter",
			     v->u.cnst.name, vf->canonical);
		return false;
	default:
		break;
	}
	{
		struct strbuf sb = STRBUF_INIT;

		sv_print(v, &sb, 0);
		interp_error(in, loc, "type", "%s: invalid filter argument %s",
			     vf->canonical, sb.buf);
		strbuf_release(&sb);
	}
	return false;
}

/* (local ip "localhost:*"), (remote unix-socket (path-literal "/x")) */
static struct sval *
network_filter(struct interp *in, const struct vocab_filter *vf,
	       struct sval **a, size_t n, const struct src_loc *locs)
{
	struct policy_filter *f;

	if (n >= 1 && a[0]->type == SV_CONST &&
	    !strcmp(a[0]->u.cnst.name, "unix-socket")) {
		if (n == 2 && a[1]->type == SV_FILTER) {
			/* sbpl_v1.scm l.370-376: old syntax for a socket path */
			interp_warn(in, DIAG_NOTE, in->cur, "old-syntax",
				    "(%s unix-socket (path-literal ...)) is old "
				    "syntax: write the path filter on the "
				    "network operation directly", vf->canonical);
			return a[1];
		}
		if (n > 1)
			return arg_type_error(in, locs, 1,
					      "unix-socket takes a path filter", a[1]);
	} else {
		if (n < 1)
			return interp_error(in, in->cur, "arity",
					    "%s: expected a protocol and optional "
					    "\"host:port\" strings", vf->canonical);
		if (a[0]->type != SV_CONST ||
		    !vocab_named_arg_find(vf->named_table, a[0]->u.cnst.name, NULL))
			return arg_type_error(in, locs, 0,
					      "expected a protocol (ip, tcp, udp, ...)", a[0]);
		for (size_t i = 1; i < n; i++)
			if (a[i]->type != SV_STRING && a[i]->type != SV_UNKNOWN)
				return arg_type_error(in, locs, i,
						      "expected a \"host:port\" string", a[i]);
	}
	f = policy_filter_new(PF_MATCH, vf->canonical, in->cur);
	for (size_t i = 0; i < n; i++)
		policy_filter_add_arg(f, to_policy_value(a[i], false));
	return sv_filter(in, f, false, in->cur);
}

static struct sval *
bi_filter(ARGS)
{
	struct vocab_filter vf;
	struct policy_filter *f;
	bool unknown = false, pattern;

	if (!vocab_filter_find(in->vocab, in->calling->name, &vf))
		return interp_error(in, in->cur, "unbound-variable",
				    "unbound variable: %s", in->calling->name);
	if (vf.type == VOCAB_ARG_REGEX)
		return network_filter(in, &vf, a, n, locs);
	if (n == 0 && vf.type == VOCAB_ARG_BOOL) {
		/* (extension-path-ancestor): a flag filter */
		f = policy_filter_new(PF_MATCH, vf.canonical, in->cur);
		policy_filter_add_arg(f, policy_value_int(1));
		f->args[0].kind = PV_BOOL;
		return sv_filter(in, f, false, in->cur);
	}
	if (n == 0)
		return interp_error(in, in->cur, "arity",
				    "%s: filter needs at least one argument",
				    in->calling->name);
	pattern = vf.type == VOCAB_ARG_PATTERN_LITERAL ||
		  vf.type == VOCAB_ARG_PATTERN_PREFIX ||
		  vf.type == VOCAB_ARG_PATTERN_SUBPATH ||
		  vf.type == VOCAB_ARG_PATTERN_REGEX;
	for (size_t i = 0; i < n; i++) {
		bool ok = pattern ? check_pattern_arg(in, &vf, a[i], argloc(in, locs, i))
				  : check_named_arg(in, &vf, a[i], argloc(in, locs, i));

		if (!ok)
			return NULL;
		unknown |= a[i]->type == SV_UNKNOWN;
	}
	f = policy_filter_new(PF_MATCH, vf.canonical, in->cur);
	for (size_t i = 0; i < n; i++)
		policy_filter_add_arg(f, to_policy_value(a[i], vf.match == VOCAB_MATCH_REGEX));
	return sv_filter(in, f, unknown, in->cur);
}

static struct sval *
combine_filters(struct interp *in, enum policy_filter_kind kind,
		struct sval **a, size_t n, const struct src_loc *locs,
		const char *name)
{
	struct policy_filter *f = policy_filter_new(kind, NULL, in->cur);
	unsigned depth = 0;
	bool unknown = false;
	struct sval *v;

	for (size_t i = 0; i < n; i++) {
		if (a[i]->type != SV_FILTER) {
			policy_filter_free(f);
			return arg_type_error(in, locs, i,
					      kind == PF_REQUIRE_NOT
					      ? "require-not: argument must be a filter"
					      : "require-all/require-any: arguments must be filters",
					      a[i]);
		}
		if (a[i]->u.filter.depth + 1 > depth)
			depth = a[i]->u.filter.depth + 1;
		unknown |= a[i]->u.filter.has_unknown;
		policy_filter_add_kid(f, policy_filter_clone(a[i]->u.filter.f));
	}
	if (depth > FILTER_MAX_DEPTH) {
		policy_filter_free(f);
		return interp_error(in, in->cur, "eval-limit",
				    "%s: filters nested more than %d deep",
				    name, FILTER_MAX_DEPTH);
	}
	v = sv_filter(in, f, unknown, in->cur);
	v->u.filter.depth = depth;
	return v;
}

static struct sval *bi_require_all(ARGS) { return combine_filters(in, PF_REQUIRE_ALL, a, n, locs, "require-all"); }
static struct sval *bi_require_any(ARGS) { return combine_filters(in, PF_REQUIRE_ANY, a, n, locs, "require-any"); }
static struct sval *bi_require_not(ARGS) { return combine_filters(in, PF_REQUIRE_NOT, a, n, locs, "require-not"); }

/* (path-ancestors "/a/b") = (require-any (literal "/") (literal "/a")
 * (literal "/a/b")); sbpl_v1.scm l.186-225 */
static struct sval *
bi_path_ancestors(ARGS)
{
	struct policy_filter *f = policy_filter_new(PF_REQUIRE_ANY, NULL, in->cur);

	for (size_t i = 0; i < n; i++) {
		const char *p;
		size_t len;

		if (a[i]->type == SV_UNKNOWN)
			continue;
		if (a[i]->type != SV_STRING) {
			policy_filter_free(f);
			return arg_type_error(in, locs, i, "path-ancestors: expected a path", a[i]);
		}
		p = a[i]->u.str.s;
		if (p[0] != '/' && strncmp(p, "${", 2)) {
			policy_filter_free(f);
			return interp_error(in, argloc(in, locs, i), "relative-path",
					    "path-ancestors: path must start with a /");
		}
		len = strlen(p);
		for (size_t k = 1; k <= len; k++) {
			if (k < len && p[k] != '/')
				continue;
			{
				struct policy_filter *lit =
					policy_filter_new(PF_MATCH, "literal", in->cur);
				char *prefix = xstrndup(p, k == 1 && p[0] == '/' && len > 1 ? 1 : k);

				policy_filter_add_arg(lit, policy_value_str(PV_STRING, prefix));
				free(prefix);
				policy_filter_add_kid(f, lit);
			}
		}
	}
	return sv_filter(in, f, false, in->cur);
}

/* Filters Apple's prelude builds from entitlements; we cannot know the
 * signer's entitlements, so they are kept as opaque matches. */
static struct sval *
bi_entitlement_filter(ARGS)
{
	struct policy_filter *f = policy_filter_new(PF_MATCH, in->calling->name, in->cur);
	struct policy_filter *all = NULL;

	for (size_t i = 0; i < n; i++) {
		if (a[i]->type == SV_FILTER) {
			if (!all) {
				all = policy_filter_new(PF_REQUIRE_ALL, NULL, in->cur);
				policy_filter_add_kid(all, f);
			}
			policy_filter_add_kid(all, policy_filter_clone(a[i]->u.filter.f));
		} else {
			policy_filter_add_arg(f, to_policy_value(a[i], false));
		}
	}
	(void)locs;
	return sv_filter(in, all ? all : f, false, in->cur);
}

/* ---- rules ---- */

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
			interp_error(in, argloc(in, locs, i), "arity",
				     "too many operations in one rule");
			return false;
		}
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
		arg_type_error(in, locs, i, "illegal argument to allow/deny", v);
		return false;
	}
}

static bool
check_modifiers(struct interp *in, struct rule_parts *rp,
		enum policy_action action, struct src_loc loc)
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
	(void)loc;
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
			m[i].args[m[i].nargs++] = to_policy_value(l->u.pair.car, false);
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
			interp_warn(in, DIAG_NOTE, rp->ops[k]->loc, "noop-operation",
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
	if (!check_modifiers(in, &rp, action, loc))
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
			return arg_type_error(in, NULL, 0, "send-signal needs a signal", sig);
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
		return arg_type_error(in, NULL, 0, modifier ? "with-modifier needs a modifier"
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

/* ---- directives and Apple procedures ---- */

static struct sval *
bi_version(ARGS)
{
	const struct src_file *file = in->file_state ? in->file_state->file : NULL;

	(void)n;
	if (a[0]->type != SV_INT)
		return arg_type_error(in, locs, 0, "version: expected a number", a[0]);
	if (a[0]->u.i != 1)
		return interp_error(in, in->cur, "version-invalid",
				    "unsupported version %lld: only (version 1) exists",
				    a[0]->u.i);
	if (in->import_depth > 0) {
		/* an imported file (system.sb) carries its own (version 1);
		 * it does not stand in for the importing profile's */
		return &in->voidv;
	}
	if (in->version_seen) {
		/* imported files (system.sb) repeat (version 1): fine */
		if (in->version_loc.file == file)
			interp_warn(in, DIAG_WARNING, in->cur, "version-repeated",
				    "(version 1) is already specified");
		return &in->voidv;
	}
	in->version_seen = true;
	in->version = a[0]->u.i;
	in->version_loc = in->cur;
	if (in->file_state && in->file_state->forms > 0)
		interp_warn(in, DIAG_WARNING, in->cur, "version-not-first",
			    "(version 1) should be the first form of the profile");
	return &in->voidv;
}

static struct sval *
bi_import(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING)
		return arg_type_error(in, locs, 0, "import: expected a file name", a[0]);
	interp_load_file(in, a[0]->u.str.s, in->cur);
	return in->failed ? NULL : &in->voidv;
}

static void
note_missing_param(struct interp *in, const char *key)
{
	for (size_t i = 0; i < in->nmissing; i++)
		if (!strcmp(in->missing[i], key))
			return;
	if (!in->nmissing)
		in->missing_loc = in->cur;
	ALLOC_GROW(in->missing, in->nmissing + 1, in->missing_alloc);
	in->missing[in->nmissing++] = arena_strndup(&in->arena, key, strlen(key));
}

/* (param "KEY"): SBPL-SEMANTICS §f; getenv is an alias (sbpl_v1). */
static struct sval *
bi_param(ARGS)
{
	const char *const *p = in->opts->params;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	if (a[0]->type != SV_STRING)
		return arg_type_error(in, locs, 0, "param: expected a string", a[0]);
	for (; p && p[0] && p[1]; p += 2)
		if (!strcmp(p[0], a[0]->u.str.s))
			return sv_string(in, p[1], strlen(p[1]), in->cur);
	note_missing_param(in, a[0]->u.str.s);
	if (in->opts->strict_params)
		return &in->f;
	return sv_unknown(in, arena_strndup(&in->arena, a[0]->u.str.s, a[0]->u.str.len));
}

static struct sval *
bi_regex_quote(ARGS)
{
	struct strbuf sb = STRBUF_INIT;
	struct sval *r;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	if (a[0]->type != SV_STRING)
		return arg_type_error(in, locs, 0, "regex-quote: expected a string", a[0]);
	for (const char *s = a[0]->u.str.s; *s; s++) {
		if (strchr("\\^$.|?*+()[]{}", *s))
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, *s);
	}
	r = sv_string(in, sb.buf, sb.len, in->cur);
	strbuf_release(&sb);
	return r;
}

/* (_IO "h" 47): sbpl_v1.scm l.265, BSD's _IO(g, n) */
static struct sval *
bi_io(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING || a[0]->u.str.len != 1)
		return arg_type_error(in, locs, 0, "_IO: expected a one-character string", a[0]);
	if (a[1]->type != SV_INT)
		return arg_type_error(in, locs, 1, "_IO: expected a number", a[1]);
	return sv_int(in, 0x20000000LL | ((long long)(unsigned char)a[0]->u.str.s[0] << 8) |
			  (a[1]->u.i & 0xff));
}

static struct sval *
bi_trace(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING)
		return arg_type_error(in, locs, 0, "trace: expected a file name", a[0]);
	if (in->traced)
		return interp_error(in, in->cur, "bad-form",
				    "only one trace path may be specified");
	in->traced = true;
	interp_warn(in, DIAG_NOTE, in->cur, "obsolete",
		    "(trace ...) has no effect on current macOS releases");
	return &in->voidv;
}

/* (split-string "a:b" ":") -> ("a" "b"); an unknown string stays one
 * unknown piece */
static struct sval *
bi_split_string(ARGS)
{
	struct sval *head = &in->nil, **tail = &head;
	const char *s, *sep;
	size_t seplen;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return sv_cons(in, a[0], &in->nil);
	if (a[0]->type != SV_STRING)
		return arg_type_error(in, locs, 0, "split-string: expected a string", a[0]);
	if (a[1]->type != SV_STRING || !a[1]->u.str.len)
		return arg_type_error(in, locs, 1, "split-string: expected a separator", a[1]);
	s = a[0]->u.str.s;
	sep = a[1]->u.str.s;
	seplen = a[1]->u.str.len;
	for (;;) {
		const char *hit = strstr(s, sep);
		size_t len = hit ? (size_t)(hit - s) : strlen(s);

		*tail = sv_cons(in, sv_string(in, s, len, in->cur), &in->nil);
		tail = &(*tail)->u.pair.cdr;
		if (!hit)
			break;
		s = hit + seplen;
	}
	return head;
}

static struct sval *
bi_noop(ARGS)
{
	(void)a;
	(void)n;
	(void)locs;
	return &in->voidv;
}

static struct sval *
bi_filter_p(ARGS)
{
	(void)n;
	(void)locs;
	return sv_bool(in, a[0]->type == SV_FILTER);
}

static const struct builtin apple_builtins[] = {
	{ "allow", bi_rule, 0, -1 },
	{ "deny", bi_rule, 0, -1 },
	{ "version", bi_version, 1, 1 },
	{ "import", bi_import, 1, 1 },
	{ "param", bi_param, 1, 1 },
	{ "getenv", bi_param, 1, 1 },
	{ "regex-quote", bi_regex_quote, 1, 1 },
	{ "_IO", bi_io, 2, 2 },
	{ "trace", bi_trace, 1, 1 },
	{ "require-all", bi_require_all, 0, -1 },
	{ "require-any", bi_require_any, 0, -1 },
	{ "require-not", bi_require_not, 1, 1 },
	{ "path-ancestors", bi_path_ancestors, 1, -1 },
	{ "require-entitlement", bi_entitlement_filter, 1, -1 },
	{ "entitlement-value", bi_entitlement_filter, 1, -1 },
	{ "disable-full-symbolication", bi_noop, 0, 0 },
	{ "disable-callouts", bi_noop, 0, 0 },
	{ "sbpl-filter?", bi_filter_p, 1, 1 },
	{ "split-string", bi_split_string, 2, 2 },
};

static struct sval *
make_builtin(struct interp *in, const struct builtin *bi)
{
	struct sval *v = sv_new(in, SV_BUILTIN, in->cur);

	v->u.bi = bi;
	return v;
}

struct sval *
apple_lookup(struct interp *in, struct ssym *s)
{
	const struct vocab_op *op;
	const char *target;
	struct vocab_filter vf;
	long long value = 0;
	struct sval *v;

	for (size_t i = 0; i < sizeof(apple_builtins) / sizeof(apple_builtins[0]); i++)
		if (!strcmp(apple_builtins[i].name, s->name))
			return make_builtin(in, &apple_builtins[i]);
	if (!strcmp(s->name, "*entitlements*"))
		return &in->nil;   /* predefined by libsandbox (EXPECT.tsv) */
	op = vocab_op_find(in->vocab, s->name);
	if (op || (vocab_op_alias(in->vocab, s->name, &target) && !target)) {
		v = sv_new(in, SV_OP, in->cur);
		v->u.op.op = op;
		v->u.op.written = s->name;
		return v;
	}
	if (vocab_filter_find(in->vocab, s->name, &vf)) {
		struct builtin *bi = arena_alloc(&in->arena, sizeof(*bi));

		bi->name = s->name;
		bi->fn = bi_filter;
		bi->min_args = 0;
		bi->max_args = -1;
		return make_builtin(in, bi);
	}
	if (vocab_named_arg_known(s->name) || !strcmp(s->name, "unix-socket")) {
		static const char *const tables[] = {
			"vnode_type_args", "target_args", "local_args",
			"socket_domain_args", "signal_number_args", NULL,
		};
		for (size_t i = 0; tables[i]; i++)
			if (vocab_named_arg_find(tables[i], s->name, &value))
				break;
		v = sv_new(in, SV_CONST, in->cur);
		v->u.cnst.name = s->name;
		v->u.cnst.value = value;
		return v;
	}
	return NULL;
}

const char *
apple_unavailable(struct interp *in, const char *name)
{
	static char why[96];
	struct vocab_filter vf;
	const struct vocab *latest = vocab_latest();

	if (in->vocab == latest)
		return NULL;
	if (vocab_op_find(latest, name) || vocab_filter_find(latest, name, &vf)) {
		snprintf(why, sizeof(why), "not available on macOS %s",
			 vocab_release_name(in->vocab));
		return why;
	}
	return NULL;
}
