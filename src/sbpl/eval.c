/*
 * The evaluator: the Scheme subset real profiles use (SBPL-SEMANTICS.md
 * §e), with proper tail calls for loops written as named let, and step
 * and depth limits that turn runaway recursion into a diagnostic.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum special_form {
	SF_NONE, SF_QUOTE, SF_QUASIQUOTE, SF_UNQUOTE, SF_UNQUOTE_SPLICING,
	SF_IF, SF_DEFINE, SF_SET, SF_LAMBDA, SF_LET, SF_LETSTAR, SF_LETREC,
	SF_BEGIN, SF_COND, SF_CASE, SF_WHEN, SF_UNLESS, SF_AND, SF_OR,
	SF_MACRO, SF_DEFINE_MACRO, SF_DEFINED, SF_WITH, SF_WITH_FILTER,
	SF_WITH_MODIFIER, SF_ALLOW_DENY, SF_DEBUG,
};

static const struct {
	const char *name;
	enum special_form sf;
} special_names[] = {
	{ "quote", SF_QUOTE }, { "quasiquote", SF_QUASIQUOTE },
	{ "unquote", SF_UNQUOTE }, { "unquote-splicing", SF_UNQUOTE_SPLICING },
	{ "if", SF_IF }, { "define", SF_DEFINE }, { "set!", SF_SET },
	{ "lambda", SF_LAMBDA }, { "let", SF_LET }, { "let*", SF_LETSTAR },
	{ "letrec", SF_LETREC }, { "letrec*", SF_LETREC },
	{ "begin", SF_BEGIN }, { "cond", SF_COND }, { "case", SF_CASE },
	{ "when", SF_WHEN }, { "unless", SF_UNLESS }, { "and", SF_AND },
	{ "or", SF_OR }, { "macro", SF_MACRO },
	{ "define-macro", SF_DEFINE_MACRO }, { "defined?", SF_DEFINED },
	{ "with", SF_WITH }, { "with-filter", SF_WITH_FILTER },
	{ "with-modifier", SF_WITH_MODIFIER },
	/* a no-op macro in the 10.13-10.15 prelude (sbpl_v1.scm l.308) */
	{ "debug", SF_DEBUG },
	/* not special: marks the form whose location a rule gets */
	{ "allow", SF_ALLOW_DENY }, { "deny", SF_ALLOW_DENY },
};

void eval_register_specials(struct interp *in);

void
eval_register_specials(struct interp *in)
{
	for (size_t i = 0; i < sizeof(special_names) / sizeof(special_names[0]); i++)
		sv_symbol(in, special_names[i].name)->u.sym->special =
			(uint8_t)special_names[i].sf;
}

struct sval *
interp_error(struct interp *in, struct src_loc loc, const char *id,
	     const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	if (in->failed)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	in->failed = true;
	diag_add(in->diags, DIAG_ERROR, loc, id, "%s", msg);
	return NULL;
}

struct diag *
interp_warn(struct interp *in, enum diag_level lvl, struct src_loc loc,
	    const char *id, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return diag_add(in->diags, lvl, loc, id, "%s", msg);
}

static struct binding *
frame_find(struct env *env, struct ssym *s)
{
	for (; env; env = env->parent)
		for (struct binding *b = env->vars; b; b = b->next)
			if (b->sym == s)
				return b;
	return NULL;
}

/* Global names the profile did not bind come from the vocabulary and the
 * builtin procedures; cache them so set! and defined? see them. */
static struct sval *
global_resolve(struct interp *in, struct ssym *s)
{
	struct sval *v;

	if (s->global)
		return s->global;
	v = apple_lookup(in, s);
	if (!v)
		v = builtin_lookup(in, s);
	if (v)
		s->global = v;
	return v;
}

bool
env_lookup(struct interp *in, struct env *env, struct ssym *s,
	   struct sval **out)
{
	struct binding *b = frame_find(env, s);

	if (b) {
		*out = b->val;
		return true;
	}
	*out = global_resolve(in, s);
	return *out != NULL;
}

static void
env_define(struct interp *in, struct env *env, struct ssym *s, struct sval *v)
{
	struct binding *b;

	if (!env) {
		s->global = v;
		return;
	}
	for (b = env->vars; b; b = b->next)
		if (b->sym == s) {
			b->val = v;
			return;
		}
	b = arena_alloc(&in->arena, sizeof(*b));
	b->sym = s;
	b->val = v;
	b->next = env->vars;
	env->vars = b;
}

static struct env *
env_new(struct interp *in, struct env *parent)
{
	struct env *e = arena_alloc(&in->arena, sizeof(*e));

	e->parent = parent;
	return e;
}

static struct sval *
unbound(struct interp *in, struct sval *sym)
{
	const char *why = apple_unavailable(in, sym->u.sym->name);

	if (why)
		return interp_error(in, sym->loc, "op-unavailable",
				    "unbound variable: %s (%s; guard it with "
				    "(if (defined? '%s) ...))",
				    sym->u.sym->name, why, sym->u.sym->name);
	return interp_error(in, sym->loc, "unbound-variable",
			    "unbound variable: %s", sym->u.sym->name);
}

static struct sval *
syntax_error(struct interp *in, struct sval *x, const char *what)
{
	return interp_error(in, x->loc, "bad-form", "bad %s form", what);
}

/* ---- helpers over lists ---- */

static struct sval *
car(struct sval *x)
{
	return x->u.pair.car;
}

static struct sval *
cdr(struct sval *x)
{
	return x->u.pair.cdr;
}

static bool
is_pair(const struct sval *x)
{
	return x->type == SV_PAIR;
}

/* Evaluate a body (list of expressions) but the last; returns the last
 * expression for the caller to evaluate in tail position, NULL on error,
 * or &in->voidv for an empty body. */
static struct sval *
eval_body_but_last(struct interp *in, struct sval *body, struct env *env)
{
	if (!is_pair(body))
		return &in->voidv;
	while (is_pair(cdr(body))) {
		eval(in, car(body), env);
		if (in->failed)
			return NULL;
		body = cdr(body);
	}
	return car(body);
}

/* ---- closures ---- */

static struct sval *
make_closure(struct interp *in, enum sv_type t, struct sval *params,
	     struct sval *body, struct env *env, const char *name,
	     struct src_loc loc)
{
	struct sval *c = sv_new(in, t, loc);

	c->u.clo.params = params;
	c->u.clo.body = body;
	c->u.clo.env = env;
	c->u.clo.name = name;
	return c;
}

static bool
valid_params(struct sval *p)
{
	while (is_pair(p)) {
		if (car(p)->type != SV_SYMBOL)
			return false;
		p = cdr(p);
	}
	return p->type == SV_NIL || p->type == SV_SYMBOL;
}

static struct env *
bind_params(struct interp *in, struct sval *clo, struct sval **args,
	    size_t n, struct src_loc loc)
{
	struct env *e = env_new(in, clo->u.clo.env);
	struct sval *p = clo->u.clo.params;
	size_t i = 0, want = 0;

	for (; is_pair(p); p = cdr(p), i++, want++) {
		if (i >= n)
			goto arity;
		env_define(in, e, car(p)->u.sym, args[i]);
	}
	if (p->type == SV_SYMBOL) {
		struct sval *rest = &in->nil;

		for (size_t k = n; k > i; k--)
			rest = sv_cons(in, args[k - 1], rest);
		env_define(in, e, p->u.sym, rest);
		return e;
	}
	if (i != n)
		goto arity;
	return e;
arity:
	interp_error(in, loc, "arity",
		     "wrong number of arguments to %s: expected %s%zu, got %zu",
		     clo->u.clo.name ? clo->u.clo.name : "procedure",
		     p->type == SV_SYMBOL ? "at least " : "", want +
		     (p->type == SV_PAIR ? sv_list_len(p) : 0), n);
	return NULL;
}

static struct sval *
call_builtin(struct interp *in, struct sval *f, struct sval **args, size_t n,
	     const struct src_loc *locs, struct src_loc loc)
{
	const struct builtin *bi = f->u.bi;
	struct src_loc saved = in->cur;
	struct sval *r;

	if ((int)n < bi->min_args || (bi->max_args >= 0 && (int)n > bi->max_args))
		return interp_error(in, loc, "arity",
				    "wrong number of arguments to %s: expected %s%d, got %zu",
				    bi->name,
				    bi->max_args < 0 ? "at least " :
				    bi->min_args != bi->max_args ? "at most " : "",
				    bi->max_args < 0 || bi->min_args == bi->max_args
					    ? bi->min_args : bi->max_args, n);
	const struct builtin *saved_bi = in->calling;

	in->cur = loc;
	in->calling = bi;
	r = bi->fn(in, args, n, locs);
	in->cur = saved;
	in->calling = saved_bi;
	return in->failed ? NULL : r;
}

struct sval *
apply_proc(struct interp *in, struct sval *proc, struct sval **args,
	   size_t n, const struct src_loc *locs, struct src_loc loc)
{
	struct env *e;
	struct sval *last;

	if (in->failed)
		return NULL;
	switch (proc->type) {
	case SV_BUILTIN:
		return call_builtin(in, proc, args, n, locs, loc);
	case SV_CLOSURE:
		e = bind_params(in, proc, args, n, loc);
		if (!e)
			return NULL;
		last = eval_body_but_last(in, proc->u.clo.body, e);
		if (!last || last == &in->voidv)
			return last;
		return eval(in, last, e);
	default: {
		struct strbuf sb = STRBUF_INIT;

		sv_print(proc, &sb, 0);
		interp_error(in, loc, "not-a-procedure",
			     "illegal function: %s is not a procedure", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	}
}

/* ---- quasiquote ---- */

static struct sval *qq_expand(struct interp *in, struct sval *x,
			      struct env *env, int level);

static bool
is_tagged(struct interp *in, struct sval *x, const char *tag)
{
	return is_pair(x) && car(x)->type == SV_SYMBOL &&
	       car(x)->u.sym == sv_symbol(in, tag)->u.sym && is_pair(cdr(x));
}

static struct sval *
qq_list(struct interp *in, struct sval *x, struct env *env, int level)
{
	struct sval *head = &in->nil, **tail = &head;

	while (is_pair(x)) {
		struct sval *item = car(x);

		if (is_tagged(in, x, "unquote") && level == 1) {
			/* `(a . ,b) */
			*tail = eval(in, car(cdr(x)), env);
			return in->failed ? NULL : head;
		}
		if (is_tagged(in, item, "unquote-splicing") && level == 1) {
			struct sval *spliced = eval(in, car(cdr(item)), env);

			if (in->failed)
				return NULL;
			if (!sv_is_list(spliced))
				return interp_error(in, item->loc, "type",
						    "unquote-splicing: not a list");
			for (; is_pair(spliced); spliced = cdr(spliced)) {
				*tail = sv_cons(in, car(spliced), &in->nil);
				(*tail)->loc = car(spliced)->loc;
				tail = &(*tail)->u.pair.cdr;
			}
		} else {
			struct sval *e = qq_expand(in, item, env, level);

			if (in->failed)
				return NULL;
			*tail = sv_cons(in, e, &in->nil);
			(*tail)->loc = item->loc;
			tail = &(*tail)->u.pair.cdr;
		}
		x = cdr(x);
	}
	*tail = x;
	return head;
}

static struct sval *
qq_expand(struct interp *in, struct sval *x, struct env *env, int level)
{
	if (!is_pair(x))
		return x;
	if (is_tagged(in, x, "unquote")) {
		if (level == 1)
			return eval(in, car(cdr(x)), env);
		return qq_list(in, x, env, level - 1);
	}
	if (is_tagged(in, x, "quasiquote"))
		return qq_list(in, x, env, level + 1);
	return qq_list(in, x, env, level);
}

/* ---- special forms ---- */

static struct sval *
sf_define(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *target, *v;

	if (!is_pair(cdr(x)))
		return syntax_error(in, x, "define");
	target = car(cdr(x));
	if (is_pair(target)) {
		/* (define (f . params) body...) */
		struct sval *name = car(target);

		if (name->type != SV_SYMBOL || !valid_params(cdr(target)))
			return syntax_error(in, x, "define");
		v = make_closure(in, SV_CLOSURE, cdr(target), cdr(cdr(x)), env,
				 name->u.sym->name, x->loc);
		env_define(in, env, name->u.sym, v);
		return name;
	}
	if (target->type != SV_SYMBOL)
		return syntax_error(in, x, "define");
	if (!is_pair(cdr(cdr(x)))) {
		v = &in->voidv;
	} else {
		if (is_pair(cdr(cdr(cdr(x)))))
			interp_warn(in, DIAG_WARNING, car(cdr(cdr(cdr(x))))->loc,
				    "ignored-expression",
				    "define takes one value: the expressions "
				    "after the first are ignored");
		v = eval(in, car(cdr(cdr(x))), env);
		if (in->failed)
			return NULL;
		if (v->type == SV_CLOSURE && !v->u.clo.name)
			v->u.clo.name = target->u.sym->name;
	}
	env_define(in, env, target->u.sym, v);
	return target;
}

static struct sval *
sf_set(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *sym, *v;
	struct binding *b;

	if (sv_list_len(x) != 3 || car(cdr(x))->type != SV_SYMBOL)
		return syntax_error(in, x, "set!");
	sym = car(cdr(x));
	v = eval(in, car(cdr(cdr(x))), env);
	if (in->failed)
		return NULL;
	b = frame_find(env, sym->u.sym);
	if (b) {
		b->val = v;
		return &in->voidv;
	}
	if (!global_resolve(in, sym->u.sym))
		return unbound(in, sym);
	sym->u.sym->global = v;
	return &in->voidv;
}

static struct sval *
sf_lambda(struct interp *in, struct sval *x, struct env *env)
{
	if (!is_pair(cdr(x)) || !valid_params(car(cdr(x))))
		return syntax_error(in, x, "lambda");
	return make_closure(in, SV_CLOSURE, car(cdr(x)), cdr(cdr(x)), env,
			    NULL, x->loc);
}

static struct sval *
sf_macro(struct interp *in, struct sval *x, struct env *env, bool defmacro)
{
	struct sval *spec, *m;

	if (!is_pair(cdr(x)) || !is_pair(car(cdr(x))))
		return syntax_error(in, x, "macro");
	spec = car(cdr(x));
	if (car(spec)->type != SV_SYMBOL || !valid_params(cdr(spec)) ||
	    (!defmacro && sv_list_len(cdr(spec)) != 1))
		return syntax_error(in, x, "macro");
	m = make_closure(in, SV_MACRO, cdr(spec), cdr(cdr(x)), env,
			 car(spec)->u.sym->name, x->loc);
	if (defmacro)
		m->flags |= SVF_DEFMACRO;
	env_define(in, env, car(spec)->u.sym, m);
	return car(spec);
}

static struct sval *
macro_expand(struct interp *in, struct sval *m, struct sval *x)
{
	struct sval *clo = sv_new(in, SV_CLOSURE, m->loc);
	struct sval *one[1] = { x };
	struct sval **args = one;
	size_t n = 1;
	struct sval *r;

	*clo = *m;
	clo->type = SV_CLOSURE;
	if (m->flags & SVF_DEFMACRO) {
		n = sv_list_len(cdr(x));
		args = xcalloc(n ? n : 1, sizeof(*args));
		n = 0;
		for (struct sval *a = cdr(x); is_pair(a); a = cdr(a))
			args[n++] = car(a);
	}
	r = apply_proc(in, clo, args, n, NULL, x->loc);
	if (args != one)
		free(args);
	return r;
}

/* (let ((v e) ...) body) and named let; returns the env for the body. */
static struct env *
let_bindings(struct interp *in, struct sval *bindings, struct env *env,
	     struct env *target, bool sequential, struct sval *x)
{
	for (; is_pair(bindings); bindings = cdr(bindings)) {
		struct sval *b = car(bindings), *v;

		if (b->type == SV_SYMBOL) {
			env_define(in, target, b->u.sym, &in->voidv);
			continue;
		}
		if (!is_pair(b) || car(b)->type != SV_SYMBOL) {
			syntax_error(in, x, "let");
			return NULL;
		}
		if (is_pair(cdr(b)) && is_pair(cdr(cdr(b))))
			interp_warn(in, DIAG_WARNING, car(cdr(cdr(b)))->loc,
				    "ignored-expression",
				    "a let binding takes one value: the "
				    "expressions after the first are ignored");
		v = is_pair(cdr(b)) ? eval(in, car(cdr(b)), sequential ? target : env)
				    : &in->voidv;
		if (in->failed)
			return NULL;
		if (v->type == SV_CLOSURE && !v->u.clo.name)
			v->u.clo.name = car(b)->u.sym->name;
		env_define(in, target, car(b)->u.sym, v);
	}
	if (bindings->type != SV_NIL) {
		syntax_error(in, x, "let");
		return NULL;
	}
	return target;
}

static struct sval *
named_let(struct interp *in, struct sval *x, struct env *env,
	  struct env **body_env)
{
	struct sval *name = car(cdr(x)), *bindings, *params = &in->nil, **pt = &params;
	struct env *loop_env = env_new(in, env), *e;
	struct sval *clo;

	if (!is_pair(cdr(cdr(x))))
		return syntax_error(in, x, "let");
	bindings = car(cdr(cdr(x)));
	for (struct sval *b = bindings; is_pair(b); b = cdr(b)) {
		if (!is_pair(car(b)) || car(car(b))->type != SV_SYMBOL)
			return syntax_error(in, x, "let");
		*pt = sv_cons(in, car(car(b)), &in->nil);
		pt = &(*pt)->u.pair.cdr;
	}
	clo = make_closure(in, SV_CLOSURE, params, cdr(cdr(cdr(x))), loop_env,
			   name->u.sym->name, x->loc);
	env_define(in, loop_env, name->u.sym, clo);
	e = env_new(in, loop_env);
	if (!let_bindings(in, bindings, env, e, false, x))
		return NULL;
	*body_env = e;
	return cdr(cdr(cdr(x)));
}

/* Returns the body to evaluate; *body_env is set. */
static struct sval *
sf_let(struct interp *in, struct sval *x, struct env *env, int kind,
       struct env **body_env)
{
	struct env *e;

	if (!is_pair(cdr(x)))
		return syntax_error(in, x, "let");
	if (kind == SF_LET && car(cdr(x))->type == SV_SYMBOL)
		return named_let(in, x, env, body_env);
	e = env_new(in, env);
	if (kind == SF_LETREC) {
		for (struct sval *b = car(cdr(x)); is_pair(b); b = cdr(b))
			if (is_pair(car(b)) && car(car(b))->type == SV_SYMBOL)
				env_define(in, e, car(car(b))->u.sym, &in->voidv);
	}
	if (!let_bindings(in, car(cdr(x)), kind == SF_LETREC ? e : env, e,
			  kind != SF_LET, x))
		return NULL;
	*body_env = e;
	return cdr(cdr(x));
}

/* cond: returns the expression to evaluate in tail position, or a value
 * via *value when a clause has no body. */
static struct sval *
sf_cond(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	for (struct sval *c = cdr(x); is_pair(c); c = cdr(c)) {
		struct sval *clause = car(c), *test;

		if (!is_pair(clause))
			return syntax_error(in, x, "cond");
		if (car(clause)->type == SV_SYMBOL &&
		    !strcmp(car(clause)->u.sym->name, "else")) {
			test = &in->t;
		} else {
			test = eval(in, car(clause), env);
			if (in->failed)
				return NULL;
		}
		if (!sv_truthy(test))
			continue;
		if (!is_pair(cdr(clause))) {
			*value = test;
			return NULL;
		}
		if (car(cdr(clause))->type == SV_SYMBOL &&
		    !strcmp(car(cdr(clause))->u.sym->name, "=>")) {
			struct sval *f;

			if (!is_pair(cdr(cdr(clause))))
				return syntax_error(in, x, "cond");
			f = eval(in, car(cdr(cdr(clause))), env);
			if (in->failed)
				return NULL;
			*value = apply_proc(in, f, &test, 1, NULL, clause->loc);
			return NULL;
		}
		return cdr(clause);
	}
	*value = &in->nil;   /* no clause: () in TinyScheme */
	return NULL;
}

static struct sval *
sf_case(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	struct sval *key;

	if (!is_pair(cdr(x)))
		return syntax_error(in, x, "case");
	key = eval(in, car(cdr(x)), env);
	if (in->failed)
		return NULL;
	for (struct sval *c = cdr(cdr(x)); is_pair(c); c = cdr(c)) {
		struct sval *clause = car(c);

		if (!is_pair(clause))
			return syntax_error(in, x, "case");
		if (car(clause)->type == SV_SYMBOL &&
		    !strcmp(car(clause)->u.sym->name, "else"))
			return cdr(clause);
		for (struct sval *d = car(clause); is_pair(d); d = cdr(d))
			if (sv_eqv(car(d), key))
				return cdr(clause);
	}
	*value = &in->nil;
	return NULL;
}

static struct sval *
sf_defined(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *sym, *v;

	if (sv_list_len(x) != 2)
		return syntax_error(in, x, "defined?");
	sym = eval(in, car(cdr(x)), env);
	if (in->failed)
		return NULL;
	if (sym->type != SV_SYMBOL)
		return interp_error(in, car(cdr(x))->loc, "type",
				    "defined?: argument must be a symbol");
	return sv_bool(in, env_lookup(in, env, sym->u.sym, &v));
}

/* ---- application ---- */

#define ARGBUF 16

static struct sval *
eval_application(struct interp *in, struct sval *x, struct env *env,
		 struct sval *f, struct sval **tail_x, struct env **tail_env)
{
	struct sval *argbuf[ARGBUF], **args = argbuf, *r = NULL;
	struct src_loc locbuf[ARGBUF], *locs = locbuf;
	size_t n = sv_list_len(cdr(x)), i = 0;

	if (n > ARGBUF) {
		args = xcalloc(n, sizeof(*args));
		locs = xcalloc(n, sizeof(*locs));
	}
	for (struct sval *a = cdr(x); is_pair(a); a = cdr(a), i++) {
		args[i] = eval(in, car(a), env);
		if (in->failed)
			goto out;
		locs[i] = car(a)->loc;
	}
	if (f->type == SV_CLOSURE && tail_x) {
		struct env *e = bind_params(in, f, args, n, x->loc);
		struct sval *last;

		if (!e)
			goto out;
		last = eval_body_but_last(in, f->u.clo.body, e);
		if (last && last != &in->voidv) {
			*tail_x = last;
			*tail_env = e;
		}
		r = last;
	} else {
		r = apply_proc(in, f, args, n, locs, x->loc);
	}
out:
	if (args != argbuf) {
		free(args);
		free(locs);
	}
	return in->failed ? NULL : r;
}

static struct sval *
eval_pair(struct interp *in, struct sval *x, struct env **envp,
	  struct sval **tail_x);

static struct sval *
eval_inner(struct interp *in, struct sval *x, struct env *env)
{
	for (;;) {
		struct sval *tail = NULL, *v;

		if (in->failed)
			return NULL;
		if (++in->steps > in->max_steps)
			return interp_error(in, x->loc, "eval-limit",
					    "evaluation stopped after %lu steps "
					    "(runaway loop or recursion?)",
					    in->max_steps);
		if (in->arena.total > (size_t)512 << 20)
			return interp_error(in, x->loc, "eval-limit",
					    "evaluation stopped: profile uses "
					    "more than 512 MiB");
		if (x->type == SV_SYMBOL) {
			if (!env_lookup(in, env, x->u.sym, &v))
				return unbound(in, x);
			return v;
		}
		if (x->type != SV_PAIR)
			return x;
		v = eval_pair(in, x, &env, &tail);
		if (!tail || in->failed)
			return in->failed ? NULL : v;
		x = tail;
	}
}

struct sval *
eval(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *r;

	if (in->failed)
		return NULL;
	if (++in->depth > in->max_depth) {
		in->depth--;
		return interp_error(in, x->loc, "eval-limit",
				    "evaluation nested more than %u deep "
				    "(runaway recursion?)", in->max_depth);
	}
	r = eval_inner(in, x, env);
	in->depth--;
	return r;
}

/* Sets *tail_x (and *envp) to continue in tail position, else returns the
 * value. */
static struct sval *
eval_pair(struct interp *in, struct sval *x, struct env **envp,
	  struct sval **tail_x)
{
	struct env *env = *envp, *body_env = NULL;
	struct sval *head = car(x), *f, *v = NULL, *body;
	int sf = head->type == SV_SYMBOL ? head->u.sym->special : SF_NONE;

	if (sf != SF_NONE && sf != SF_ALLOW_DENY && frame_find(env, head->u.sym))
		sf = SF_NONE;   /* a local variable shadows the keyword */
	if (!sv_is_list(x))
		return syntax_error(in, x, "call");
	switch (sf) {
	case SF_QUOTE:
		if (sv_list_len(x) != 2)
			return syntax_error(in, x, "quote");
		return car(cdr(x));
	case SF_QUASIQUOTE:
		if (sv_list_len(x) != 2)
			return syntax_error(in, x, "quasiquote");
		return qq_expand(in, car(cdr(x)), env, 1);
	case SF_UNQUOTE:
	case SF_UNQUOTE_SPLICING:
		return interp_error(in, x->loc, "bad-form",
				    "unquote outside of quasiquote");
	case SF_IF: {
		size_t n = sv_list_len(x);

		if (n < 2 || n > 4)
			return syntax_error(in, x, "if");
		v = eval(in, car(cdr(x)), env);
		if (in->failed)
			return NULL;
		/* TinyScheme: a missing branch evaluates to () */
		if (sv_truthy(v) && n >= 3)
			*tail_x = car(cdr(cdr(x)));
		else if (!sv_truthy(v) && n == 4)
			*tail_x = car(cdr(cdr(cdr(x))));
		else
			return &in->nil;
		return NULL;
	}
	case SF_DEFINE:
		return sf_define(in, x, env);
	case SF_SET:
		return sf_set(in, x, env);
	case SF_LAMBDA:
		return sf_lambda(in, x, env);
	case SF_MACRO:
	case SF_DEFINE_MACRO:
		return sf_macro(in, x, env, sf == SF_DEFINE_MACRO);
	case SF_DEFINED:
		return sf_defined(in, x, env);
	case SF_DEBUG:
		return &in->voidv;
	case SF_WITH:
		return apple_with(in, x, env);
	case SF_WITH_FILTER:
	case SF_WITH_MODIFIER:
		if (frame_find(env, head->u.sym) || head->u.sym->global)
			break;  /* the profile defined its own (application.sb) */
		return apple_with_filter(in, x, env, sf == SF_WITH_MODIFIER);
	case SF_LET:
	case SF_LETSTAR:
	case SF_LETREC:
		body = sf_let(in, x, env, sf, &body_env);
		goto body;
	case SF_BEGIN:
		body = cdr(x);
		body_env = env;
		goto body;
	case SF_WHEN:
	case SF_UNLESS:
		if (!is_pair(cdr(x)))
			return syntax_error(in, x, sf == SF_WHEN ? "when" : "unless");
		v = eval(in, car(cdr(x)), env);
		if (in->failed)
			return NULL;
		if (sv_truthy(v) != (sf == SF_WHEN))
			return &in->nil;
		body = cdr(cdr(x));
		body_env = env;
		goto body;
	case SF_COND:
	case SF_CASE:
		body = sf == SF_COND ? sf_cond(in, x, env, &v)
				     : sf_case(in, x, env, &v);
		if (!body)
			return in->failed ? NULL : v;
		body_env = env;
		goto body;
	case SF_AND:
	case SF_OR: {
		struct sval *a = cdr(x);

		if (!is_pair(a))
			return sv_bool(in, sf == SF_AND);
		for (; is_pair(cdr(a)); a = cdr(a)) {
			v = eval(in, car(a), env);
			if (in->failed)
				return NULL;
			if (sv_truthy(v) != (sf == SF_AND))
				return v;
		}
		*tail_x = car(a);
		return NULL;
	}
	default:
		break;
	}

	/* application */
	if (head->type == SV_SYMBOL) {
		if (!env_lookup(in, env, head->u.sym, &f))
			return unbound(in, head);
	} else {
		f = eval(in, head, env);
		if (in->failed)
			return NULL;
	}
	if (f->type == SV_MACRO) {
		struct sval *expansion = macro_expand(in, f, x);

		if (in->failed)
			return NULL;
		*tail_x = expansion;
		return NULL;
	}
	if (sf == SF_ALLOW_DENY) {
		/* rules made by this call carry this form's location, even
		 * when allow/deny were rebound by a with-filter wrapper */
		struct src_loc saved = in->action_loc;

		in->action_loc = x->loc;
		v = eval_application(in, x, env, f, NULL, NULL);
		in->action_loc = saved;
		return v;
	}
	v = eval_application(in, x, env, f, tail_x, envp);
	if (*tail_x)
		return NULL;
	return v;

body:
	if (in->failed)
		return NULL;
	v = eval_body_but_last(in, body, body_env);
	if (!v || v == &in->voidv)
		return v;
	*tail_x = v;
	*envp = body_env;
	return NULL;
}

void
eval_toplevel(struct interp *in, const struct src_file *f, struct sval *forms)
{
	struct sbpl_file_state st = { f, 0 }, *saved = in->file_state;
	unsigned saved_depth = in->depth;
	struct src_loc saved_cur = in->cur;

	in->file_state = &st;
	for (; forms && is_pair(forms); forms = cdr(forms)) {
		struct sval *x = car(forms), *v;

		in->failed = false;
		in->depth = saved_depth;
		in->cur = x->loc;
		v = eval(in, x, NULL);
		st.forms++;
		if (v && v->type == SV_FILTER)
			interp_warn(in, DIAG_WARNING, x->loc, "toplevel-filter",
				    "filter at top level has no effect: was the "
				    "rule before it closed too early?");
	}
	in->failed = false;
	in->file_state = saved;
	in->depth = saved_depth;
	in->cur = saved_cur;
}
