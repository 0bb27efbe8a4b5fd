/*
 * The arena, symbol interning and value constructors / predicates of the
 * SBPL evaluator.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t cap;
	max_align_t data[];
};

#define ARENA_CHUNK (64 * 1024)

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	arena_init(a);
}

struct arena_mark
arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->used, a->cap, a->total };

	return m;
}

void
arena_rollback(struct arena *a, const struct arena_mark *m)
{
	while (a->head != m->head) {
		struct arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
	a->used = m->used;
	a->cap = m->cap;
	a->total = m->total;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!a->head || a->used + n > a->cap) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct arena_chunk *c = xmalloc(sizeof(*c) + cap);

		c->next = a->head;
		c->cap = cap;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static size_t
hash_name(const char *s, size_t len)
{
	size_t h = 5381;

	for (size_t i = 0; i < len; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

/* Double the table when it holds as many symbols as buckets: a profile
 * may name hundreds of thousands of parameters. */
static void
symtab_grow(struct interp *in)
{
	size_t size = in->symtab_size * 2 + 1;
	struct ssym **tab = xcalloc(size, sizeof(*tab));

	for (size_t i = 0; i < in->symtab_size; i++) {
		struct ssym *s = in->symtab[i], *next;

		for (; s; s = next) {
			size_t h = hash_name(s->name, strlen(s->name)) % size;

			next = s->next;
			s->next = tab[h];
			tab[h] = s;
		}
	}
	free(in->symtab);
	in->symtab = tab;
	in->symtab_size = size;
}

struct ssym *
sym_intern(struct interp *in, const char *name, size_t len)
{
	size_t h = hash_name(name, len) % in->symtab_size;
	struct ssym *s;

	for (s = in->symtab[h]; s; s = s->next)
		if (!strncmp(s->name, name, len) && s->name[len] == '\0')
			return s;
	if (in->nsyms >= in->symtab_size) {
		symtab_grow(in);
		h = hash_name(name, len) % in->symtab_size;
	}
	in->nsyms++;
	/* symbols outlive every form: the permanent arena */
	s = arena_alloc(&in->perm, sizeof(*s));
	s->name = arena_strndup(&in->perm, name, len);
	s->next = in->symtab[h];
	in->symtab[h] = s;
	s->self = arena_alloc(&in->perm, sizeof(struct sval));
	s->self->type = SV_SYMBOL;
	s->self->u.sym = s;
	return s;
}

struct sval *
sv_new(struct interp *in, enum sv_type t, struct src_loc loc)
{
	struct sval *v = arena_alloc(&in->arena, sizeof(*v));

	v->type = (uint8_t)t;
	v->loc = loc;
	return v;
}

struct sval *
sv_int(struct interp *in, long long i)
{
	struct sval *v = sv_new(in, SV_INT, in->cur);

	v->u.i = i;
	return v;
}

struct sval *
sv_bool(struct interp *in, bool b)
{
	return b ? &in->t : &in->f;
}

struct sval *
sv_string(struct interp *in, const char *s, size_t len, struct src_loc loc)
{
	struct sval *v = sv_new(in, SV_STRING, loc);

	v->u.str.s = arena_strndup(&in->arena, s, len);
	v->u.str.len = len;
	return v;
}

struct sval *
sv_symbol(struct interp *in, const char *name)
{
	return sym_intern(in, name, strlen(name))->self;
}

struct sval *
sv_cons(struct interp *in, struct sval *car, struct sval *cdr)
{
	struct sval *v = sv_new(in, SV_PAIR, in->cur);

	v->u.pair.car = car;
	v->u.pair.cdr = cdr;
	return v;
}

struct sval *
sv_filter(struct interp *in, struct policy_filter *f, bool has_unknown,
	  struct src_loc loc)
{
	struct sval *v = sv_new(in, SV_FILTER, loc);

	ALLOC_GROW(in->filters, in->nfilters + 1, in->filters_alloc);
	in->filters[in->nfilters++] = f;
	v->u.filter.f = f;
	v->u.filter.has_unknown = has_unknown;
	return v;
}

struct sval *
sv_unknown(struct interp *in, const char *param)
{
	struct sval *v = sv_new(in, SV_UNKNOWN, in->cur);

	v->u.str.s = param;
	v->u.str.len = strlen(param);
	return v;
}

bool
sv_truthy(const struct sval *v)
{
	return !(v->type == SV_BOOL && !v->u.b);
}

bool
sv_is_list(const struct sval *v)
{
	size_t guard = 0;

	while (v->type == SV_PAIR) {
		v = v->u.pair.cdr;
		if (++guard > 10000000)
			return false;
	}
	return v->type == SV_NIL;
}

size_t
sv_list_len(const struct sval *v)
{
	size_t n = 0;

	while (v->type == SV_PAIR) {
		n++;
		v = v->u.pair.cdr;
	}
	return n;
}

bool
sv_eqv(const struct sval *a, const struct sval *b)
{
	if (a == b)
		return true;
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case SV_NIL:
	case SV_VOID:
		return true;
	case SV_BOOL:
		return a->u.b == b->u.b;
	case SV_INT:
		return a->u.i == b->u.i;
	case SV_CHAR:
		return a->u.ch == b->u.ch;
	case SV_SYMBOL:
		return a->u.sym == b->u.sym;
	case SV_OP:
		return a->u.op.op == b->u.op.op;
	case SV_CONST:
		return !strcmp(a->u.cnst.name, b->u.cnst.name);
	default:
		return false;
	}
}

/* Structures built at run time can nest deeper than the reader allows;
 * past this depth they compare unequal rather than overflow the stack. */
#define EQUAL_MAX_DEPTH 2000

static bool
equal_depth(const struct sval *a, const struct sval *b, unsigned depth)
{
	if (depth > EQUAL_MAX_DEPTH)
		return false;
	while (a->type == SV_PAIR && b->type == SV_PAIR) {
		if (!equal_depth(a->u.pair.car, b->u.pair.car, depth + 1))
			return false;
		a = a->u.pair.cdr;
		b = b->u.pair.cdr;
	}
	if (a->type == SV_STRING && b->type == SV_STRING)
		return a->u.str.len == b->u.str.len &&
		       !memcmp(a->u.str.s, b->u.str.s, a->u.str.len);
	return sv_eqv(a, b);
}

bool
sv_equal(const struct sval *a, const struct sval *b)
{
	return equal_depth(a, b, 0);
}

const char *
sv_type_name(const struct sval *v)
{
	static const char *const names[] = {
		[SV_NIL] = "empty list", [SV_BOOL] = "boolean",
		[SV_INT] = "integer", [SV_CHAR] = "character",
		[SV_STRING] = "string", [SV_SYMBOL] = "symbol",
		[SV_PAIR] = "list", [SV_CLOSURE] = "procedure",
		[SV_MACRO] = "macro", [SV_BUILTIN] = "procedure",
		[SV_OP] = "operation", [SV_FILTER] = "filter",
		[SV_MODIFIER] = "modifier", [SV_CONST] = "constant",
		[SV_UNKNOWN] = "unknown parameter value",
		[SV_VOID] = "unspecified value",
	};
	return names[v->type];
}

void
sv_print(const struct sval *v, struct strbuf *out, int depth)
{
	if (depth > 4 || out->len > 200) {
		strbuf_addstr(out, "...");
		return;
	}
	switch (v->type) {
	case SV_NIL: strbuf_addstr(out, "()"); break;
	case SV_BOOL: strbuf_addstr(out, v->u.b ? "#t" : "#f"); break;
	case SV_INT: strbuf_addf(out, "%lld", v->u.i); break;
	case SV_CHAR: strbuf_addf(out, "#\\%c", v->u.ch); break;
	case SV_STRING: strbuf_add_quoted(out, v->u.str.s); break;
	case SV_SYMBOL: strbuf_addstr(out, v->u.sym->name); break;
	case SV_PAIR:
		strbuf_addch(out, '(');
		for (;;) {
			sv_print(v->u.pair.car, out, depth + 1);
			v = v->u.pair.cdr;
			if (v->type != SV_PAIR)
				break;
			strbuf_addch(out, ' ');
			if (out->len > 200) {
				strbuf_addstr(out, "...");
				v = NULL;
				break;
			}
		}
		if (v && v->type != SV_NIL) {
			strbuf_addstr(out, " . ");
			sv_print(v, out, depth + 1);
		}
		strbuf_addch(out, ')');
		break;
	case SV_CLOSURE:
		strbuf_addf(out, "#<procedure %s>", v->u.clo.name ? v->u.clo.name : "lambda");
		break;
	case SV_MACRO: strbuf_addf(out, "#<macro %s>", v->u.clo.name ? v->u.clo.name : ""); break;
	case SV_BUILTIN: strbuf_addf(out, "#<procedure %s>", v->u.bi->name); break;
	case SV_OP: strbuf_addstr(out, v->u.op.written); break;
	case SV_FILTER: strbuf_addf(out, "#<filter %s>", v->u.filter.f->name ? v->u.filter.f->name : "require"); break;
	case SV_MODIFIER: strbuf_addf(out, "#<modifier %s>", v->u.mod.name); break;
	case SV_CONST: strbuf_addstr(out, v->u.cnst.name); break;
	case SV_UNKNOWN: strbuf_addf(out, "(param \"%s\")", v->u.str.s); break;
	case SV_VOID: strbuf_addstr(out, "#<unspecified>"); break;
	}
}
