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

/* ---- quasiquote ---- */

static bool
is_tagged(struct interp *in, struct sval *x, const char *tag)
{
	return sv_is_pair(x) && sv_car(x)->type == SV_SYMBOL &&
	       sv_car(x)->u.sym == sv_symbol(in, tag)->u.sym &&
	       sv_is_pair(sv_cdr(x));
}

static struct sval *
qq_list(struct interp *in, struct sval *x, struct env *env, int level)
{
	struct sval *head = &in->nil, **tail = &head;

	while (sv_is_pair(x)) {
		struct sval *item = sv_car(x);

		if (is_tagged(in, x, "unquote") && level == 1) {
			/* `(a . ,b) */
			*tail = eval(in, sv_car(sv_cdr(x)), env);
			return in->failed ? NULL : head;
		}
		if (is_tagged(in, item, "unquote-splicing") && level == 1) {
			struct sval *spliced = eval(in, sv_car(sv_cdr(item)), env);

			if (in->failed)
				return NULL;
			if (!sv_is_list(spliced))
				return interp_error(in, item->loc, "type",
						    "unquote-splicing: not a list");
			for (; sv_is_pair(spliced); spliced = sv_cdr(spliced)) {
				*tail = sv_cons(in, sv_car(spliced), &in->nil);
				(*tail)->loc = sv_car(spliced)->loc;
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
		x = sv_cdr(x);
	}
	*tail = x;
	return head;
}

struct sval *
qq_expand(struct interp *in, struct sval *x, struct env *env, int level)
{
	if (!sv_is_pair(x))
		return x;
	if (is_tagged(in, x, "unquote")) {
		if (level == 1)
			return eval(in, sv_car(sv_cdr(x)), env);
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

	if (!sv_is_pair(sv_cdr(x)))
		return eval_bad_form(in, x, "define");
	target = sv_car(sv_cdr(x));
	if (sv_is_pair(target)) {
		/* (define (f . params) body...) */
		struct sval *name = sv_car(target);

		if (name->type != SV_SYMBOL || !eval_valid_params(sv_cdr(target)))
			return eval_bad_form(in, x, "define");
		v = eval_make_closure(in, SV_CLOSURE, sv_cdr(target), sv_cdr(sv_cdr(x)), env,
				 name->u.sym->name, x->loc);
		env_define(in, env, name->u.sym, v);
		return name;
	}
	if (target->type != SV_SYMBOL)
		return eval_bad_form(in, x, "define");
	if (!sv_is_pair(sv_cdr(sv_cdr(x)))) {
		v = &in->voidv;
	} else {
		if (sv_is_pair(sv_cdr(sv_cdr(sv_cdr(x)))))
			interp_warn(in, DIAG_WARNING, sv_car(sv_cdr(sv_cdr(sv_cdr(x))))->loc,
				    "ignored-expression",
				    "define takes one value: the expressions "
				    "after the first are ignored");
		v = eval(in, sv_car(sv_cdr(sv_cdr(x))), env);
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

	if (sv_list_len(x) != 3 || sv_car(sv_cdr(x))->type != SV_SYMBOL)
		return eval_bad_form(in, x, "set!");
	sym = sv_car(sv_cdr(x));
	v = eval(in, sv_car(sv_cdr(sv_cdr(x))), env);
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
	in->escaped = true;
	return &in->voidv;
}

struct sval *
sf_lambda(struct interp *in, struct sval *x, struct env *env)
{
	if (!sv_is_pair(sv_cdr(x)) || !eval_valid_params(sv_car(sv_cdr(x))))
		return eval_bad_form(in, x, "lambda");
	return eval_make_closure(in, SV_CLOSURE, sv_car(sv_cdr(x)), sv_cdr(sv_cdr(x)), env,
			    NULL, x->loc);
}

struct sval *
sf_macro(struct interp *in, struct sval *x, struct env *env, bool defmacro)
{
	struct sval *spec, *m;

	if (!sv_is_pair(sv_cdr(x)) || !sv_is_pair(sv_car(sv_cdr(x))))
		return eval_bad_form(in, x, "macro");
	spec = sv_car(sv_cdr(x));
	if (sv_car(spec)->type != SV_SYMBOL || !eval_valid_params(sv_cdr(spec)) ||
	    (!defmacro && sv_list_len(sv_cdr(spec)) != 1))
		return eval_bad_form(in, x, "macro");
	m = eval_make_closure(in, SV_MACRO, sv_cdr(spec), sv_cdr(sv_cdr(x)), env,
			 sv_car(spec)->u.sym->name, x->loc);
	if (defmacro)
		m->flags |= SVF_DEFMACRO;
	env_define(in, env, sv_car(spec)->u.sym, m);
	return sv_car(spec);
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
		n = sv_list_len(sv_cdr(x));
		args = xcalloc(n ? n : 1, sizeof(*args));
		n = 0;
		for (struct sval *a = sv_cdr(x); sv_is_pair(a); a = sv_cdr(a))
			args[n++] = sv_car(a);
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
	for (; sv_is_pair(bindings); bindings = sv_cdr(bindings)) {
		struct sval *b = sv_car(bindings), *v;

		if (b->type == SV_SYMBOL) {
			env_define(in, target, b->u.sym, &in->voidv);
			continue;
		}
		if (!sv_is_pair(b) || sv_car(b)->type != SV_SYMBOL) {
			eval_bad_form(in, x, "let");
			return NULL;
		}
		if (sv_is_pair(sv_cdr(b)) && sv_is_pair(sv_cdr(sv_cdr(b))))
			interp_warn(in, DIAG_WARNING, sv_car(sv_cdr(sv_cdr(b)))->loc,
				    "ignored-expression",
				    "a let binding takes one value: the "
				    "expressions after the first are ignored");
		v = sv_is_pair(sv_cdr(b)) ? eval(in, sv_car(sv_cdr(b)), sequential ? target : env)
				    : &in->voidv;
		if (in->failed)
			return NULL;
		if (v->type == SV_CLOSURE && !v->u.clo.name)
			v->u.clo.name = sv_car(b)->u.sym->name;
		env_define(in, target, sv_car(b)->u.sym, v);
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
	struct sval *name = sv_car(sv_cdr(x)), *bindings, *params = &in->nil, **pt = &params;
	struct env *loop_env = env_new(in, env), *e;
	struct sval *clo;

	if (!sv_is_pair(sv_cdr(sv_cdr(x))))
		return eval_bad_form(in, x, "let");
	bindings = sv_car(sv_cdr(sv_cdr(x)));
	for (struct sval *b = bindings; sv_is_pair(b); b = sv_cdr(b)) {
		if (!sv_is_pair(sv_car(b)) || sv_car(sv_car(b))->type != SV_SYMBOL)
			return eval_bad_form(in, x, "let");
		*pt = sv_cons(in, sv_car(sv_car(b)), &in->nil);
		pt = &(*pt)->u.pair.cdr;
	}
	clo = eval_make_closure(in, SV_CLOSURE, params, sv_cdr(sv_cdr(sv_cdr(x))), loop_env,
			   name->u.sym->name, x->loc);
	env_define(in, loop_env, name->u.sym, clo);
	e = env_new(in, loop_env);
	if (!let_bindings(in, bindings, env, e, false, x))
		return NULL;
	*body_env = e;
	return sv_cdr(sv_cdr(sv_cdr(x)));
}

/* Returns the body to evaluate; *body_env is set. */
struct sval *
sf_let(struct interp *in, struct sval *x, struct env *env, int kind,
       struct env **body_env)
{
	struct env *e;

	if (!sv_is_pair(sv_cdr(x)))
		return eval_bad_form(in, x, "let");
	if (kind == SF_LET && sv_car(sv_cdr(x))->type == SV_SYMBOL)
		return named_let(in, x, env, body_env);
	e = env_new(in, env);
	if (kind == SF_LETREC) {
		for (struct sval *b = sv_car(sv_cdr(x)); sv_is_pair(b); b = sv_cdr(b))
			if (sv_is_pair(sv_car(b)) && sv_car(sv_car(b))->type == SV_SYMBOL)
				env_define(in, e, sv_car(sv_car(b))->u.sym, &in->voidv);
	}
	if (!let_bindings(in, sv_car(sv_cdr(x)), kind == SF_LETREC ? e : env, e,
			  kind != SF_LET, x))
		return NULL;
	*body_env = e;
	return sv_cdr(sv_cdr(x));
}

/* cond: returns the expression to evaluate in tail position, or a value
 * via *value when a clause has no body. */
struct sval *
sf_cond(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	for (struct sval *c = sv_cdr(x); sv_is_pair(c); c = sv_cdr(c)) {
		struct sval *clause = sv_car(c), *test;

		if (!sv_is_pair(clause))
			return eval_bad_form(in, x, "cond");
		if (sv_car(clause)->type == SV_SYMBOL &&
		    !strcmp(sv_car(clause)->u.sym->name, "else")) {
			test = &in->t;
		} else {
			test = eval(in, sv_car(clause), env);
			if (in->failed)
				return NULL;
		}
		if (!sv_truthy(test))
			continue;
		if (!sv_is_pair(sv_cdr(clause))) {
			*value = test;
			return NULL;
		}
		if (sv_car(sv_cdr(clause))->type == SV_SYMBOL &&
		    !strcmp(sv_car(sv_cdr(clause))->u.sym->name, "=>")) {
			struct sval *f;

			if (!sv_is_pair(sv_cdr(sv_cdr(clause))))
				return eval_bad_form(in, x, "cond");
			f = eval(in, sv_car(sv_cdr(sv_cdr(clause))), env);
			if (in->failed)
				return NULL;
			*value = apply_proc(in, f, &test, 1, NULL, clause->loc);
			return NULL;
		}
		return sv_cdr(clause);
	}
	*value = &in->nil;   /* no clause: () in TinyScheme */
	return NULL;
}

struct sval *
sf_case(struct interp *in, struct sval *x, struct env *env,
	struct sval **value)
{
	struct sval *key;

	if (!sv_is_pair(sv_cdr(x)))
		return eval_bad_form(in, x, "case");
	key = eval(in, sv_car(sv_cdr(x)), env);
	if (in->failed)
		return NULL;
	for (struct sval *c = sv_cdr(sv_cdr(x)); sv_is_pair(c); c = sv_cdr(c)) {
		struct sval *clause = sv_car(c);

		if (!sv_is_pair(clause))
			return eval_bad_form(in, x, "case");
		if (sv_car(clause)->type == SV_SYMBOL &&
		    !strcmp(sv_car(clause)->u.sym->name, "else"))
			return sv_cdr(clause);
		for (struct sval *d = sv_car(clause); sv_is_pair(d); d = sv_cdr(d))
			if (sv_eqv(sv_car(d), key))
				return sv_cdr(clause);
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
	sym = eval(in, sv_car(sv_cdr(x)), env);
	if (in->failed)
		return NULL;
	if (sym->type != SV_SYMBOL)
		return interp_error(in, sv_car(sv_cdr(x))->loc, "type",
				    "defined?: argument must be a symbol");
	return sv_bool(in, env_lookup(in, env, sym->u.sym, &v));
}

