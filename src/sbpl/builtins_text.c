/*
 * String and character procedures of the Scheme subset. A string derived
 * from a missing (param) is unknown: operations on it give an unknown
 * result, comparisons with it are false (see builtins.c).
 */
#include "sbpl/interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No profile needs strings this long; doubling loops hit it quickly. */
#define STRING_MAX (1 << 20)

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs

#define NEED(i, T, want, fn)                                              \
	do {                                                              \
		if (a[i]->type != (T))                                    \
			return builtin_type_error(in, locs, i, fn, want, a[i]); \
	} while (0)

/* ---- strings and characters ---- */

#define NEED_STR(i, fn)                                                   \
	do {                                                              \
		if (a[i]->type == SV_UNKNOWN)                             \
			return a[i];                                      \
		NEED(i, SV_STRING, "a string", fn);                       \
	} while (0)

static struct sval *
bi_string_append(ARGS)
{
	struct strbuf sb = STRBUF_INIT;
	struct sval *u = NULL, *r;

	for (size_t i = 0; i < n; i++) {
		if (a[i]->type == SV_UNKNOWN) {
			u = u ? u : a[i];
			continue;
		}
		if (a[i]->type != SV_STRING) {
			strbuf_release(&sb);
			return builtin_type_error(in, locs, i, "string-append", "a string", a[i]);
		}
		if (sb.len + a[i]->u.str.len > STRING_MAX) {
			strbuf_release(&sb);
			return interp_error(in, in->cur, "eval-limit",
					    "string-append: result longer than %d bytes",
					    STRING_MAX);
		}
		strbuf_add(&sb, a[i]->u.str.s, a[i]->u.str.len);
	}
	r = u ? u : sv_string(in, sb.buf, sb.len, in->cur);
	strbuf_release(&sb);
	return r;
}

static struct sval *
bi_string_length(ARGS)
{
	(void)n;
	NEED_STR(0, "string-length");
	return sv_int(in, (long long)a[0]->u.str.len);
}

static struct sval *
bi_string_ref(ARGS)
{
	struct sval *c;

	(void)n;
	NEED_STR(0, "string-ref");
	if (a[1]->type == SV_UNKNOWN)
		return a[1];
	NEED(1, SV_INT, "an integer", "string-ref");
	if (a[1]->u.i < 0 || (size_t)a[1]->u.i >= a[0]->u.str.len)
		return interp_error(in, sbpl_argloc(in, locs, 1), "type",
				    "string-ref: index %lld out of range", a[1]->u.i);
	c = sv_new(in, SV_CHAR, in->cur);
	c->u.ch = (unsigned char)a[0]->u.str.s[a[1]->u.i];
	return c;
}

static struct sval *
bi_substring(ARGS)
{
	long long from, to;

	NEED_STR(0, "substring");
	for (size_t i = 1; i < n; i++) {
		if (a[i]->type == SV_UNKNOWN)
			return a[i];
		NEED(i, SV_INT, "an integer", "substring");
	}
	from = a[1]->u.i;
	to = n > 2 ? a[2]->u.i : (long long)a[0]->u.str.len;
	if (from < 0 || to < from || (size_t)to > a[0]->u.str.len)
		return interp_error(in, in->cur, "type",
				    "substring: range %lld..%lld out of bounds", from, to);
	return sv_string(in, a[0]->u.str.s + from, (size_t)(to - from), in->cur);
}

static struct sval *
str_compare(struct interp *in, struct sval **a, size_t n,
	    const struct src_loc *locs, int mode, const char *fn)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i]->type == SV_UNKNOWN)
			return &in->f;
		NEED(i, SV_STRING, "a string", fn);
	}
	for (size_t i = 0; i + 1 < n; i++) {
		const struct sval *x = a[i], *y = a[i + 1];
		int c;

		switch (mode) {
		case 0: /* = */
			if (x->u.str.len != y->u.str.len ||
			    memcmp(x->u.str.s, y->u.str.s, x->u.str.len))
				return &in->f;
			break;
		case 1: /* < */
			c = strcmp(x->u.str.s, y->u.str.s);
			if (c >= 0)
				return &in->f;
			break;
		case 2: /* prefix? a b: a is a prefix of b */
			if (x->u.str.len > y->u.str.len ||
			    memcmp(x->u.str.s, y->u.str.s, x->u.str.len))
				return &in->f;
			break;
		default: /* suffix? */
			if (x->u.str.len > y->u.str.len ||
			    memcmp(x->u.str.s, y->u.str.s + y->u.str.len - x->u.str.len,
				   x->u.str.len))
				return &in->f;
		}
	}
	return &in->t;
}

static struct sval *bi_string_eq(ARGS) { return str_compare(in, a, n, locs, 0, "string=?"); }
static struct sval *bi_string_lt(ARGS) { return str_compare(in, a, n, locs, 1, "string<?"); }
static struct sval *bi_string_prefix(ARGS) { return str_compare(in, a, n, locs, 2, "string-prefix?"); }
static struct sval *bi_string_suffix(ARGS) { return str_compare(in, a, n, locs, 3, "string-suffix?"); }

static struct sval *
bi_string_to_symbol(ARGS)
{
	(void)n;
	NEED_STR(0, "string->symbol");
	return sym_intern(in, a[0]->u.str.s, a[0]->u.str.len)->self;
}

static struct sval *
bi_symbol_to_string(ARGS)
{
	(void)n;
	NEED(0, SV_SYMBOL, "a symbol", "symbol->string");
	return sv_string(in, a[0]->u.sym->name, strlen(a[0]->u.sym->name), in->cur);
}

static struct sval *
bi_string_to_list(ARGS)
{
	struct sval *r = &in->nil;

	(void)n;
	NEED_STR(0, "string->list");
	for (size_t i = a[0]->u.str.len; i > 0; i--) {
		struct sval *c = sv_new(in, SV_CHAR, in->cur);

		c->u.ch = (unsigned char)a[0]->u.str.s[i - 1];
		r = sv_cons(in, c, r);
	}
	return r;
}

static struct sval *
chars_to_string(struct interp *in, struct sval *l, const struct src_loc *locs,
		const char *fn)
{
	struct strbuf sb = STRBUF_INIT;
	struct sval *r;

	for (; l->type == SV_PAIR; l = l->u.pair.cdr) {
		if (l->u.pair.car->type != SV_CHAR) {
			strbuf_release(&sb);
			return builtin_type_error(in, locs, 0, fn, "a list of characters",
					  l->u.pair.car);
		}
		strbuf_addch(&sb, l->u.pair.car->u.ch);
	}
	r = sv_string(in, sb.buf, sb.len, in->cur);
	strbuf_release(&sb);
	return r;
}

static struct sval *
bi_list_to_string(ARGS)
{
	(void)n;
	if (!sv_is_list(a[0]))
		return builtin_type_error(in, locs, 0, "list->string", "a list", a[0]);
	return chars_to_string(in, a[0], locs, "list->string");
}

static struct sval *
bi_string(ARGS)
{
	return chars_to_string(in, bi_list(in, a, n, locs), locs, "string");
}

static struct sval *
bi_char_eq(ARGS)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i]->type == SV_UNKNOWN)
			return &in->f;
		NEED(i, SV_CHAR, "a character", "char=?");
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (a[i]->u.ch != a[i + 1]->u.ch)
			return &in->f;
	return &in->t;
}

static struct sval *
bi_char_to_integer(ARGS)
{
	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	NEED(0, SV_CHAR, "a character", "char->integer");
	return sv_int(in, a[0]->u.ch);
}

static struct sval *
bi_integer_to_char(ARGS)
{
	struct sval *c;

	(void)n;
	NEED(0, SV_INT, "an integer", "integer->char");
	c = sv_new(in, SV_CHAR, in->cur);
	c->u.ch = (int)(a[0]->u.i & 0xff);
	return c;
}

static struct sval *
bi_string_case(struct interp *in, struct sval **a, const struct src_loc *locs,
	       bool upper, const char *fn)
{
	struct sval *r;
	char *s;

	NEED_STR(0, fn);
	r = sv_string(in, a[0]->u.str.s, a[0]->u.str.len, in->cur);
	s = (char *)r->u.str.s;
	for (size_t i = 0; i < r->u.str.len; i++)
		if (upper && s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 32);
		else if (!upper && s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] + 32);
	return r;
}

static struct sval *bi_string_upcase(ARGS) { (void)n; return bi_string_case(in, a, locs, true, "string-upcase"); }
static struct sval *bi_string_downcase(ARGS) { (void)n; return bi_string_case(in, a, locs, false, "string-downcase"); }


static const struct builtin text_builtins[] = {
	{ "string-append", bi_string_append, 0, -1 },
	{ "string-length", bi_string_length, 1, 1 },
	{ "string-ref", bi_string_ref, 2, 2 },
	{ "substring", bi_substring, 2, 3 },
	{ "string=?", bi_string_eq, 1, -1 }, { "string<?", bi_string_lt, 1, -1 },
	{ "string-prefix?", bi_string_prefix, 2, 2 },
	{ "string-suffix?", bi_string_suffix, 2, 2 },
	{ "string->symbol", bi_string_to_symbol, 1, 1 },
	{ "symbol->string", bi_symbol_to_string, 1, 1 },
	{ "string->list", bi_string_to_list, 1, 1 },
	{ "list->string", bi_list_to_string, 1, 1 },
	{ "string", bi_string, 0, -1 },
	{ "string-upcase", bi_string_upcase, 1, 1 },
	{ "string-downcase", bi_string_downcase, 1, 1 },
	{ "char=?", bi_char_eq, 1, -1 },
	{ "char->integer", bi_char_to_integer, 1, 1 },
	{ "integer->char", bi_integer_to_char, 1, 1 },
};

const struct builtin *
builtin_text_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(text_builtins) / sizeof(text_builtins[0]); i++)
		if (!strcmp(text_builtins[i].name, name))
			return &text_builtins[i];
	return NULL;
}
