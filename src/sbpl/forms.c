/*
 * The special forms of the Scheme subset (SBPL-SEMANTICS.md §e):
 * quasiquote, define, set!, lambda, macro, the let family, cond, case and
 * defined?. eval.c dispatches to them; forms that continue in tail
 * position return the body for eval's loop instead of evaluating it.
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

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

/* ---- quasiquote ---- */


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

struct sval *
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

struct sval *
sf_define(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *target, *v;

	if (!is_pair(cdr(x)))
		return eval_bad_form(in, x, "define");
	target = car(cdr(x));
	if (is_pair(target)) {
		/* (define (f . params) body...) */
		struct sval *name = car(target);

		if (name->type != SV_SYMBOL || !eval_valid_params(cdr(target)))
			return eval_bad_form(in, x, "define");
		v = eval_make_closure(in, SV_CLOSURE, cdr(target), cdr(cdr(x)), env,
				 name->u.sym->name, x->loc);
		env_define(in, env, name->u.sym, v);
		return name;
	}
	if (target->type != SV_SYMBOL)
		return eval_bad_form(in, x, "define");
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

struct sval *
sf_set(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *sym, *v;
	struct binding *b;

	if (sv_list_len(x) != 3 || car(cdr(x))->type != SV_SYMBOL)
		return eval_bad_form(in, x, "set!");
	sym = car(cdr(x));
	v = eval(in, car(cdr(cdr(x))), env);
	if (in->failed)
		return NULL;
	b = env_find(env, sym->u.sym);
	if (b) {
		b->val = v;
		return &in->voidv;
	}
	if (!env_global(in, sym->u.sym))
		return eval_unbound(in, sym);
	sym->u.sym->global = v;
	return &in->voidv;
}

struct sval *
sf_lambda(struct interp *in, struct sval *x, struct env *env)
{
	if (!is_pair(cdr(x)) || !eval_valid_params(car(cdr(x))))
		return eval_bad_form(in, x, "lambda");
	return eval_make_closure(in, SV_CLOSURE, car(cdr(x)), cdr(cdr(x)), env,
			    NULL, x->loc);
}

struct sval *
sf_macro(struct interp *in, struct sval *x, struct env *env, bool defmacro)
{
	struct sval *spec, *m;

	if (!is_pair(cdr(x)) || !is_pair(car(cdr(x))))
		return eval_bad_form(in, x, "macro");
	spec = car(cdr(x));
	if (car(spec)->type != SV_SYMBOL || !eval_valid_params(cdr(spec)) ||
	    (!defmacro && sv_list_len(cdr(spec)) != 1))
		return eval_bad_form(in, x, "macro");
	m = eval_make_closure(in, SV_MACRO, cdr(spec), cdr(cdr(x)), env,
			 car(spec)->u.sym->name, x->loc);
	if (defmacro)
		m->flags |= SVF_DEFMACRO;
	env_define(in, env, car(spec)->u.sym, m);
	return car(spec);
}

struct sval *
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
			eval_bad_form(in, x, "let");
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
		eval_bad_form(in, x, "let");
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
		return eval_bad_form(in, x, "let");
	bindings = car(cdr(cdr(x)));
	for (struct sval *b = bindings; is_pair(b); b = cdr(b)) {
		if (!is_pair(car(b)) || car(car(b))->type != SV_SYMBOL)
			return eval_bad_form(in, x, "let");
		*pt = sv_cons(in, car(car(b)), &in->nil);
		pt = &(*pt)->u.pair.cdr;
	}
	clo = eval_make_closure(in, SV_CLOSURE, params, cdr(cdr(cdr(x))), loop_env,
			   name->u.sym->name, x->loc);
	env_define(in, loop_env, name->u.sym, clo);
	e = env_new(in, loop_env);
	if (!let_bindings(in, bindings, env, e, false, x))
		return NULL;
	*body_env = e;
	return cdr(cdr(cdr(x)));
}

/* Returns the body to evaluate; *body_env is set. */
struct sval *
sf_let(struct interp *in, struct sval *x, struct env *env, int kind,
       struct env **body_env)
{
	struct env *e;

	if (!is_pair(cdr(x)))
		return eval_bad_form(in, x, "let");
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
struct sval *
sf_cond(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	for (struct sval *c = cdr(x); is_pair(c); c = cdr(c)) {
		struct sval *clause = car(c), *test;

		if (!is_pair(clause))
			return eval_bad_form(in, x, "cond");
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
				return eval_bad_form(in, x, "cond");
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

struct sval *
sf_case(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	struct sval *key;

	if (!is_pair(cdr(x)))
		return eval_bad_form(in, x, "case");
	key = eval(in, car(cdr(x)), env);
	if (in->failed)
		return NULL;
	for (struct sval *c = cdr(cdr(x)); is_pair(c); c = cdr(c)) {
		struct sval *clause = car(c);

		if (!is_pair(clause))
			return eval_bad_form(in, x, "case");
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

struct sval *
sf_defined(struct interp *in, struct sval *x, struct env *env)
{
	struct sval *sym, *v;

	if (sv_list_len(x) != 2)
		return eval_bad_form(in, x, "defined?");
	sym = eval(in, car(cdr(x)), env);
	if (in->failed)
		return NULL;
	if (sym->type != SV_SYMBOL)
		return interp_error(in, car(cdr(x))->loc, "type",
				    "defined?: argument must be a symbol");
	return sv_bool(in, env_lookup(in, env, sym->u.sym, &v));
}

