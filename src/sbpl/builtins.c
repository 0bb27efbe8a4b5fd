/*
 * Generic Scheme procedures profiles call (SBPL-SEMANTICS.md §e
 * "Predicates", "Strings/lists"). A value derived from a missing (param)
 * stays unknown through string operations; comparisons against it are
 * false, so guards like (if (string=? (param "X") "TRUE") ...) take the
 * conservative branch instead of failing.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs

struct sval *
builtin_type_error(struct interp *in, const struct src_loc *locs, size_t i,
	   const char *fn, const char *want, const struct sval *got)
{
	struct strbuf sb = STRBUF_INIT;

	sv_print(got, &sb, 0);
	interp_error(in, sbpl_argloc(in, locs, i), "type",
		     "%s: argument %zu must be %s, got %s", fn, i + 1, want,
		     sb.buf);
	strbuf_release(&sb);
	return NULL;
}

struct sval *
builtin_first_unknown(struct sval **a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i]->type == SV_UNKNOWN)
			return a[i];
	return NULL;
}

#define NEED(i, T, want, fn)                                              \
	do {                                                              \
		if (a[i]->type != (T))                                    \
			return builtin_type_error(in, locs, i, fn, want, a[i]);   \
	} while (0)

/* ---- pairs and lists ---- */

static struct sval *
bi_car(ARGS)
{
	(void)n;
	NEED(0, SV_PAIR, "a pair", "car");
	return a[0]->u.pair.car;
}

static struct sval *
bi_cdr(ARGS)
{
	(void)n;
	NEED(0, SV_PAIR, "a pair", "cdr");
	return a[0]->u.pair.cdr;
}

/* c[ad]+r from its name, applied right to left */
static struct sval *
cxr(struct interp *in, struct sval *v, const char *name,
    const struct src_loc *locs)
{
	size_t len = strlen(name);

	for (size_t i = len - 2; i >= 1; i--) {
		if (v->type != SV_PAIR)
			return builtin_type_error(in, locs, 0, name, "a pair", v);
		v = name[i] == 'a' ? v->u.pair.car : v->u.pair.cdr;
	}
	return v;
}

#define CXR(fname, s)                                                     \
	static struct sval *fname(ARGS)                                   \
	{                                                                 \
		(void)n;                                                  \
		return cxr(in, a[0], s, locs);                            \
	}
CXR(bi_caar, "caar")
CXR(bi_cadr, "cadr")
CXR(bi_cdar, "cdar")
CXR(bi_cddr, "cddr")
CXR(bi_caddr, "caddr")
CXR(bi_cdddr, "cdddr")
CXR(bi_cadar, "cadar")
CXR(bi_cddar, "cddar")
CXR(bi_caadr, "caadr")
CXR(bi_cdadr, "cdadr")
CXR(bi_cadddr, "cadddr")

static struct sval *
bi_cons(ARGS)
{
	(void)n;
	(void)locs;
	return sv_cons(in, a[0], a[1]);
}

struct sval *
bi_list(ARGS)
{
	struct sval *r = &in->nil;

	(void)locs;
	for (size_t i = n; i > 0; i--)
		r = sv_cons(in, a[i - 1], r);
	return r;
}

static struct sval *
bi_length(ARGS)
{
	(void)n;
	if (!sv_is_list(a[0]))
		return builtin_type_error(in, locs, 0, "length", "a list", a[0]);
	return sv_int(in, (long long)sv_list_len(a[0]));
}

static struct sval *
bi_append(ARGS)
{
	struct sval *head = &in->nil, **tail = &head;

	for (size_t i = 0; i < n; i++) {
		struct sval *l = a[i];

		if (i == n - 1) {
			*tail = l;
			break;
		}
		if (!sv_is_list(l))
			return builtin_type_error(in, locs, i, "append", "a list", l);
		for (; l->type == SV_PAIR; l = l->u.pair.cdr) {
			*tail = sv_cons(in, l->u.pair.car, &in->nil);
			tail = &(*tail)->u.pair.cdr;
		}
	}
	return head;
}

static struct sval *
bi_reverse(ARGS)
{
	struct sval *r = &in->nil;

	(void)n;
	if (!sv_is_list(a[0]))
		return builtin_type_error(in, locs, 0, "reverse", "a list", a[0]);
	for (struct sval *l = a[0]; l->type == SV_PAIR; l = l->u.pair.cdr)
		r = sv_cons(in, l->u.pair.car, r);
	return r;
}

static struct sval *
bi_list_tail(ARGS)
{
	struct sval *l = a[0];

	(void)n;
	NEED(1, SV_INT, "an integer", "list-tail");
	for (long long k = a[1]->u.i; k > 0; k--) {
		if (l->type != SV_PAIR)
			return builtin_type_error(in, locs, 0, "list-tail", "a long enough list", a[0]);
		l = l->u.pair.cdr;
	}
	return l;
}

static struct sval *
bi_list_ref(ARGS)
{
	struct sval *l = bi_list_tail(in, a, n, locs);

	if (!l)
		return NULL;
	if (l->type != SV_PAIR)
		return builtin_type_error(in, locs, 0, "list-ref", "a long enough list", a[0]);
	return l->u.pair.car;
}

enum cmp_kind { CMP_EQ, CMP_EQV, CMP_EQUAL };

static bool
compare(const struct sval *x, const struct sval *y, enum cmp_kind k)
{
	if (x->type == SV_UNKNOWN || y->type == SV_UNKNOWN)
		return false;
	if (k == CMP_EQUAL)
		return sv_equal(x, y);
	if (k == CMP_EQ && x->type == SV_STRING)
		return x == y;
	return sv_eqv(x, y);
}

static struct sval *
member_of(struct interp *in, struct sval **a, const struct src_loc *locs,
	  enum cmp_kind k, const char *fn)
{
	struct sval *l = a[1];

	for (; l->type == SV_PAIR; l = l->u.pair.cdr)
		if (compare(a[0], l->u.pair.car, k))
			return l;
	if (l->type != SV_NIL)
		return builtin_type_error(in, locs, 1, fn, "a list", a[1]);
	return &in->f;
}

static struct sval *
assoc_of(struct interp *in, struct sval **a, const struct src_loc *locs,
	 enum cmp_kind k, const char *fn)
{
	struct sval *l = a[1];

	for (; l->type == SV_PAIR; l = l->u.pair.cdr) {
		struct sval *e = l->u.pair.car;

		if (e->type != SV_PAIR)
			return builtin_type_error(in, locs, 1, fn, "a list of pairs", a[1]);
		if (compare(a[0], e->u.pair.car, k))
			return e;
	}
	if (l->type != SV_NIL)
		return builtin_type_error(in, locs, 1, fn, "a list", a[1]);
	return &in->f;
}

static struct sval *bi_member(ARGS) { (void)n; return member_of(in, a, locs, CMP_EQUAL, "member"); }
static struct sval *bi_memv(ARGS) { (void)n; return member_of(in, a, locs, CMP_EQV, "memv"); }
static struct sval *bi_memq(ARGS) { (void)n; return member_of(in, a, locs, CMP_EQ, "memq"); }
static struct sval *bi_assoc(ARGS) { (void)n; return assoc_of(in, a, locs, CMP_EQUAL, "assoc"); }
static struct sval *bi_assv(ARGS) { (void)n; return assoc_of(in, a, locs, CMP_EQV, "assv"); }
static struct sval *bi_assq(ARGS) { (void)n; return assoc_of(in, a, locs, CMP_EQ, "assq"); }

/* (map f l1 l2 ...) and for-each */
static struct sval *
map_lists(struct interp *in, struct sval **a, size_t n,
	  const struct src_loc *locs, bool collect, const char *fn)
{
	struct sval *head = &in->nil, **tail = &head;
	struct sval **lists = xcalloc(n, sizeof(*lists));
	struct sval **args = xcalloc(n, sizeof(*args));
	struct sval *result = NULL;

	for (size_t i = 1; i < n; i++) {
		if (!sv_is_list(a[i])) {
			builtin_type_error(in, locs, i, fn, "a list", a[i]);
			goto out;
		}
		lists[i] = a[i];
	}
	for (;;) {
		struct sval *v;

		for (size_t i = 1; i < n; i++) {
			if (lists[i]->type != SV_PAIR)
				goto done;
			args[i - 1] = lists[i]->u.pair.car;
			lists[i] = lists[i]->u.pair.cdr;
		}
		v = apply_proc(in, a[0], args, n - 1, NULL, in->cur);
		if (in->failed)
			goto out;
		if (collect) {
			*tail = sv_cons(in, v, &in->nil);
			tail = &(*tail)->u.pair.cdr;
		}
	}
done:
	result = collect ? head : &in->voidv;
out:
	free(lists);
	free(args);
	return result;
}

static struct sval *bi_map(ARGS) { return map_lists(in, a, n, locs, true, "map"); }
static struct sval *bi_for_each(ARGS) { return map_lists(in, a, n, locs, false, "for-each"); }

static struct sval *
bi_apply(ARGS)
{
	struct sval *last = a[n - 1], **args, *r;
	size_t total, k = 0;

	if (!sv_is_list(last))
		return builtin_type_error(in, locs, n - 1, "apply", "a list", last);
	total = n - 2 + sv_list_len(last);
	args = xcalloc(total ? total : 1, sizeof(*args));
	for (size_t i = 1; i + 1 < n; i++)
		args[k++] = a[i];
	for (; last->type == SV_PAIR; last = last->u.pair.cdr)
		args[k++] = last->u.pair.car;
	r = apply_proc(in, a[0], args, total, NULL, in->cur);
	free(args);
	return r;
}

/* ---- predicates ---- */

#define PRED(fname, expr)                                                 \
	static struct sval *fname(ARGS)                                   \
	{                                                                 \
		struct sval *x = a[0];                                    \
		(void)n;                                                  \
		(void)locs;                                               \
		return sv_bool(in, (expr));                               \
	}
PRED(bi_null_p, x->type == SV_NIL)
PRED(bi_pair_p, x->type == SV_PAIR)
PRED(bi_list_p, sv_is_list(x))
PRED(bi_atom_p, x->type != SV_PAIR)
PRED(bi_string_p, x->type == SV_STRING || x->type == SV_UNKNOWN)
PRED(bi_symbol_p, x->type == SV_SYMBOL)
PRED(bi_number_p, x->type == SV_INT)
PRED(bi_boolean_p, x->type == SV_BOOL)
PRED(bi_char_p, x->type == SV_CHAR)
PRED(bi_procedure_p, x->type == SV_CLOSURE || x->type == SV_BUILTIN)
PRED(bi_not, x->type == SV_BOOL && !x->u.b)

static struct sval *bi_eq(ARGS) { (void)n; (void)locs; return sv_bool(in, compare(a[0], a[1], CMP_EQ)); }
static struct sval *bi_eqv(ARGS) { (void)n; (void)locs; return sv_bool(in, compare(a[0], a[1], CMP_EQV)); }
static struct sval *bi_equal(ARGS) { (void)n; (void)locs; return sv_bool(in, compare(a[0], a[1], CMP_EQUAL)); }

/* ---- numbers ---- */

static bool
check_ints(struct interp *in, struct sval **a, size_t n,
	   const struct src_loc *locs, const char *fn, bool *unknown)
{
	*unknown = false;
	for (size_t i = 0; i < n; i++) {
		if (a[i]->type == SV_UNKNOWN) {
			*unknown = true;
			continue;
		}
		if (a[i]->type != SV_INT) {
			builtin_type_error(in, locs, i, fn, "a number", a[i]);
			return false;
		}
	}
	return true;
}

enum arith { AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_REM, AR_MOD, AR_MIN, AR_MAX };

static struct sval *
arith(struct interp *in, struct sval **a, size_t n,
      const struct src_loc *locs, enum arith op, const char *fn)
{
	bool unknown;
	unsigned long long acc;

	if (!check_ints(in, a, n, locs, fn, &unknown))
		return NULL;
	if (unknown)
		return builtin_first_unknown(a, n);
	if (n == 0)
		return sv_int(in, op == AR_MUL ? 1 : 0);
	acc = (unsigned long long)a[0]->u.i;
	if (n == 1 && op == AR_SUB)
		return sv_int(in, (long long)(0ULL - acc));
	for (size_t i = 1; i < n; i++) {
		long long x = (long long)acc, y = a[i]->u.i;

		switch (op) {
		case AR_ADD: acc += (unsigned long long)y; break;
		case AR_SUB: acc -= (unsigned long long)y; break;
		case AR_MUL: acc *= (unsigned long long)y; break;
		case AR_MIN: acc = (unsigned long long)(x < y ? x : y); break;
		case AR_MAX: acc = (unsigned long long)(x > y ? x : y); break;
		case AR_DIV:
		case AR_REM:
		case AR_MOD:
			if (y == 0 || (y == -1 && x == (long long)(1ULL << 63)))
				return interp_error(in, sbpl_argloc(in, locs, i), "type",
						    "%s: division by zero", fn);
			if (op == AR_DIV)
				acc = (unsigned long long)(x / y);
			else if (op == AR_REM)
				acc = (unsigned long long)(x % y);
			else
				acc = (unsigned long long)(((x % y) + y) % y);
			break;
		}
	}
	return sv_int(in, (long long)acc);
}

static struct sval *bi_add(ARGS) { return arith(in, a, n, locs, AR_ADD, "+"); }
static struct sval *bi_sub(ARGS) { return arith(in, a, n, locs, AR_SUB, "-"); }
static struct sval *bi_mul(ARGS) { return arith(in, a, n, locs, AR_MUL, "*"); }
static struct sval *bi_div(ARGS) { return arith(in, a, n, locs, AR_DIV, "quotient"); }
static struct sval *bi_rem(ARGS) { return arith(in, a, n, locs, AR_REM, "remainder"); }
static struct sval *bi_mod(ARGS) { return arith(in, a, n, locs, AR_MOD, "modulo"); }
static struct sval *bi_min(ARGS) { return arith(in, a, n, locs, AR_MIN, "min"); }
static struct sval *bi_max(ARGS) { return arith(in, a, n, locs, AR_MAX, "max"); }

enum numcmp { NC_EQ, NC_LT, NC_GT, NC_LE, NC_GE };

static struct sval *
numcmp(struct interp *in, struct sval **a, size_t n,
       const struct src_loc *locs, enum numcmp op, const char *fn)
{
	bool unknown;

	if (!check_ints(in, a, n, locs, fn, &unknown))
		return NULL;
	if (unknown)
		return &in->f;
	for (size_t i = 0; i + 1 < n; i++) {
		long long x = a[i]->u.i, y = a[i + 1]->u.i;
		bool ok = op == NC_EQ ? x == y : op == NC_LT ? x < y :
			  op == NC_GT ? x > y : op == NC_LE ? x <= y : x >= y;

		if (!ok)
			return &in->f;
	}
	return &in->t;
}

static struct sval *bi_num_eq(ARGS) { return numcmp(in, a, n, locs, NC_EQ, "="); }
static struct sval *bi_lt(ARGS) { return numcmp(in, a, n, locs, NC_LT, "<"); }
static struct sval *bi_gt(ARGS) { return numcmp(in, a, n, locs, NC_GT, ">"); }
static struct sval *bi_le(ARGS) { return numcmp(in, a, n, locs, NC_LE, "<="); }
static struct sval *bi_ge(ARGS) { return numcmp(in, a, n, locs, NC_GE, ">="); }

static struct sval *
num_pred(struct interp *in, struct sval **a, const struct src_loc *locs,
	 int which, const char *fn)
{
	long long x;

	if (a[0]->type == SV_UNKNOWN)
		return &in->f;
	NEED(0, SV_INT, "a number", fn);
	x = a[0]->u.i;
	switch (which) {
	case 0: return sv_bool(in, x == 0);
	case 1: return sv_bool(in, x > 0);
	case 2: return sv_bool(in, x < 0);
	case 3: return sv_bool(in, x % 2 == 0);
	default: return sv_bool(in, x % 2 != 0);
	}
}

static struct sval *bi_zero_p(ARGS) { (void)n; return num_pred(in, a, locs, 0, "zero?"); }
static struct sval *bi_positive_p(ARGS) { (void)n; return num_pred(in, a, locs, 1, "positive?"); }
static struct sval *bi_negative_p(ARGS) { (void)n; return num_pred(in, a, locs, 2, "negative?"); }
static struct sval *bi_even_p(ARGS) { (void)n; return num_pred(in, a, locs, 3, "even?"); }
static struct sval *bi_odd_p(ARGS) { (void)n; return num_pred(in, a, locs, 4, "odd?"); }

static struct sval *
bi_abs(ARGS)
{
	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	NEED(0, SV_INT, "a number", "abs");
	return sv_int(in, a[0]->u.i < 0 ? (long long)(0ULL - (unsigned long long)a[0]->u.i) : a[0]->u.i);
}

static struct sval *
bi_number_to_string(ARGS)
{
	char buf[32];

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	NEED(0, SV_INT, "a number", "number->string");
	snprintf(buf, sizeof(buf), "%lld", a[0]->u.i);
	return sv_string(in, buf, strlen(buf), in->cur);
}

static struct sval *
bi_string_to_number(ARGS)
{
	char *end;
	long long v;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	NEED(0, SV_STRING, "a string", "string->number");
	if (!a[0]->u.str.len)
		return &in->f;
	v = strtoll(a[0]->u.str.s, &end, 10);
	if (*end)
		return &in->f;
	return sv_int(in, v);
}

/* ---- misc ---- */

static struct sval *
bi_error(ARGS)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&sb, ' ');
		if (a[i]->type == SV_STRING)
			strbuf_addstr(&sb, a[i]->u.str.s);
		else
			sv_print(a[i], &sb, 0);
	}
	interp_error(in, sbpl_argloc(in, locs, 0), "user-error", "error: %s", sb.buf);
	strbuf_release(&sb);
	return NULL;
}

/* Output procedures do nothing: profiles are evaluated, not run. */
static struct sval *
bi_ignore(ARGS)
{
	(void)a;
	(void)n;
	(void)locs;
	return &in->voidv;
}

static const struct builtin builtins[] = {
	{ "car", bi_car, 1, 1 }, { "cdr", bi_cdr, 1, 1 },
	{ "caar", bi_caar, 1, 1 }, { "cadr", bi_cadr, 1, 1 },
	{ "cdar", bi_cdar, 1, 1 }, { "cddr", bi_cddr, 1, 1 },
	{ "caddr", bi_caddr, 1, 1 }, { "cdddr", bi_cdddr, 1, 1 },
	{ "cadar", bi_cadar, 1, 1 }, { "cddar", bi_cddar, 1, 1 },
	{ "caadr", bi_caadr, 1, 1 }, { "cdadr", bi_cdadr, 1, 1 },
	{ "cadddr", bi_cadddr, 1, 1 },
	{ "cons", bi_cons, 2, 2 }, { "list", bi_list, 0, -1 },
	{ "length", bi_length, 1, 1 }, { "append", bi_append, 0, -1 },
	{ "reverse", bi_reverse, 1, 1 }, { "list-tail", bi_list_tail, 2, 2 },
	{ "list-ref", bi_list_ref, 2, 2 },
	{ "member", bi_member, 2, 2 }, { "memv", bi_memv, 2, 2 },
	{ "memq", bi_memq, 2, 2 }, { "assoc", bi_assoc, 2, 2 },
	{ "assv", bi_assv, 2, 2 }, { "assq", bi_assq, 2, 2 },
	{ "map", bi_map, 2, -1 }, { "for-each", bi_for_each, 2, -1 },
	{ "apply", bi_apply, 2, -1 },
	{ "null?", bi_null_p, 1, 1 }, { "pair?", bi_pair_p, 1, 1 },
	{ "list?", bi_list_p, 1, 1 }, { "atom?", bi_atom_p, 1, 1 },
	{ "string?", bi_string_p, 1, 1 }, { "symbol?", bi_symbol_p, 1, 1 },
	{ "number?", bi_number_p, 1, 1 }, { "integer?", bi_number_p, 1, 1 },
	{ "boolean?", bi_boolean_p, 1, 1 }, { "char?", bi_char_p, 1, 1 },
	{ "procedure?", bi_procedure_p, 1, 1 }, { "not", bi_not, 1, 1 },
	{ "eq?", bi_eq, 2, 2 }, { "eqv?", bi_eqv, 2, 2 },
	{ "equal?", bi_equal, 2, 2 },
	{ "+", bi_add, 0, -1 }, { "-", bi_sub, 1, -1 }, { "*", bi_mul, 0, -1 },
	{ "quotient", bi_div, 2, 2 }, { "/", bi_div, 2, -1 },
	{ "remainder", bi_rem, 2, 2 }, { "modulo", bi_mod, 2, 2 },
	{ "min", bi_min, 1, -1 }, { "max", bi_max, 1, -1 },
	{ "abs", bi_abs, 1, 1 },
	{ "=", bi_num_eq, 1, -1 }, { "<", bi_lt, 1, -1 }, { ">", bi_gt, 1, -1 },
	{ "<=", bi_le, 1, -1 }, { ">=", bi_ge, 1, -1 },
	{ "zero?", bi_zero_p, 1, 1 }, { "positive?", bi_positive_p, 1, 1 },
	{ "negative?", bi_negative_p, 1, 1 }, { "even?", bi_even_p, 1, 1 },
	{ "odd?", bi_odd_p, 1, 1 },
	{ "number->string", bi_number_to_string, 1, 1 },
	{ "string->number", bi_string_to_number, 1, 1 },
	{ "error", bi_error, 0, -1 },
	{ "display", bi_ignore, 1, 2 }, { "write", bi_ignore, 1, 2 },
	{ "newline", bi_ignore, 0, 1 },
};

struct sval *
builtin_lookup(struct interp *in, struct ssym *s)
{
	const struct builtin *text = builtin_text_lookup(s->name);

	if (text) {
		struct sval *v = sv_new(in, SV_BUILTIN, in->cur);

		v->u.bi = text;
		return v;
	}
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, s->name)) {
			struct sval *v = sv_new(in, SV_BUILTIN, in->cur);

			v->u.bi = &builtins[i];
			return v;
		}
	return NULL;
}
