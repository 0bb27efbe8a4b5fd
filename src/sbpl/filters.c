/*
 * SBPL filters as values: type-checked constructors for every filter of
 * the release's table (SBPL-SEMANTICS.md §c) and the require-* and
 * path-ancestors combinators.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs
#define FILTER_MAX_DEPTH 64

struct policy_value
sbpl_policy_value(const struct sval *v, bool regex)
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
	if (vf->match == VOCAB_MATCH_REGEX)
		check_regex(in, v->u.str.s, loc);
	if (!strcmp(vf->category, "path"))
		lint_path_arg(in, vf->canonical, vf->match, v, loc);
	return true;
}

/* Filters whose arguments are names from kernel tables (apple.c). */
static bool
kernel_name_filter(const char *name)
{
	return !strcmp(name, "kernel-mig-routine") ||
	       !strcmp(name, "machtrap-number") || !strcmp(name, "fcntl-command");
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
		if (v->u.cnst.value == SBPL_KERNEL_IDENT) {
			if (kernel_name_filter(vf->canonical))
				return true;
			interp_error(in, loc, "unbound-variable",
				     "unbound variable: %s", v->u.cnst.name);
			return false;
		}
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
			return sbpl_arg_type_error(in, locs, 1,
					      "unix-socket takes a path filter", a[1]);
	} else {
		if (n < 1)
			return interp_error(in, in->cur, "arity",
					    "%s: expected a protocol and optional "
					    "\"host:port\" strings", vf->canonical);
		if (a[0]->type != SV_CONST ||
		    !vocab_named_arg_find(vf->named_table, a[0]->u.cnst.name, NULL))
			return sbpl_arg_type_error(in, locs, 0,
					      "expected a protocol (ip, tcp, udp, ...)", a[0]);
		for (size_t i = 1; i < n; i++)
			if (a[i]->type != SV_STRING && a[i]->type != SV_UNKNOWN)
				return sbpl_arg_type_error(in, locs, i,
						      "expected a \"host:port\" string", a[i]);
	}
	f = policy_filter_new(PF_MATCH, vf->canonical, in->cur);
	for (size_t i = 0; i < n; i++)
		policy_filter_add_arg(f, sbpl_policy_value(a[i], false));
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
		bool ok = pattern ? check_pattern_arg(in, &vf, a[i], sbpl_argloc(in, locs, i))
				  : check_named_arg(in, &vf, a[i], sbpl_argloc(in, locs, i));

		if (!ok)
			return NULL;
		unknown |= a[i]->type == SV_UNKNOWN;
	}
	f = policy_filter_new(PF_MATCH, vf.canonical, in->cur);
	for (size_t i = 0; i < n; i++)
		policy_filter_add_arg(f, sbpl_policy_value(a[i], vf.match == VOCAB_MATCH_REGEX));
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
			return sbpl_arg_type_error(in, locs, i,
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
			return sbpl_arg_type_error(in, locs, i, "path-ancestors: expected a path", a[i]);
		}
		p = a[i]->u.str.s;
		if (p[0] != '/' && strncmp(p, "${", 2)) {
			policy_filter_free(f);
			return interp_error(in, sbpl_argloc(in, locs, i), "relative-path",
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
			policy_filter_add_arg(f, sbpl_policy_value(a[i], false));
		}
	}
	(void)locs;
	return sv_filter(in, all ? all : f, false, in->cur);
}

static const struct builtin filter_builtins[] = {
	{ "require-all", bi_require_all, 0, -1 },
	{ "require-any", bi_require_any, 0, -1 },
	{ "require-not", bi_require_not, 1, 1 },
	{ "path-ancestors", bi_path_ancestors, 1, -1 },
	{ "require-entitlement", bi_entitlement_filter, 1, -1 },
	{ "entitlement-value", bi_entitlement_filter, 1, -1 },
};

/* Filter constructors: the combinators above and every filter of the
 * release's table, whose name the shared bi_filter reads back. */
const struct builtin *
filters_lookup(struct interp *in, const char *name)
{
	struct vocab_filter vf;
	struct builtin *bi;

	for (size_t i = 0; i < sizeof(filter_builtins) / sizeof(filter_builtins[0]); i++)
		if (!strcmp(filter_builtins[i].name, name))
			return &filter_builtins[i];
	if (!vocab_filter_find(in->vocab, name, &vf))
		return NULL;
	bi = arena_alloc(&in->arena, sizeof(*bi));
	bi->name = name;
	bi->fn = bi_filter;
	bi->min_args = 0;
	bi->max_args = -1;
	return bi;
}
