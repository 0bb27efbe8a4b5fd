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

struct binding *
env_find(struct env *env, struct ssym *s)
{
	for (; env; env = env->parent)
		for (struct binding *b = env->vars; b; b = b->next)
			if (b->sym == s)
				return b;
	return NULL;
}

/* Global names the profile did not bind come from the vocabulary and the
 * builtin procedures; cache them so set! and defined? see them. */
struct sval *
env_global(struct interp *in, struct ssym *s)
{
	struct sval *v;

	if (s->global)
		return s->global;
	v = apple_lookup(in, s);
	if (!v)
		v = builtin_lookup(in, s);
	if (v) {
		s->global = v;
		in->escaped = true;
	}
	return v;
}

bool
env_lookup(struct interp *in, struct env *env, struct ssym *s,
	   struct sval **out)
{
	struct binding *b = env_find(env, s);

	if (b) {
		*out = b->val;
		return true;
	}
	*out = env_global(in, s);
	return *out != NULL;
}

void
env_define(struct interp *in, struct env *env, struct ssym *s, struct sval *v)
{
	struct binding *b;

	if (!env) {
		s->global = v;
		in->escaped = true;
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

struct env *
env_new(struct interp *in, struct env *parent)
{
	struct env *e = arena_alloc(&in->arena, sizeof(*e));

	e->parent = parent;
	return e;
}

struct sval *
eval_unbound(struct interp *in, struct sval *sym)
{
	const char *why = apple_unavailable(in, sym->u.sym->name);

	if (why)
		return interp_error(in, sym->loc, "op-unavailable",
				    "unbound variable: %s (%s; guard it with "
				    "(if (defined? '%s) ...))",
				    sym->u.sym->name, why, sym->u.sym->name);
	why = vocab_op_suggest(in->vocab, sym->u.sym->name);
	if (why)
		return interp_error(in, sym->loc, "unbound-variable",
				    "unbound variable: %s (did you mean the "
				    "operation %s?)", sym->u.sym->name, why);
	return interp_error(in, sym->loc, "unbound-variable",
			    "unbound variable: %s", sym->u.sym->name);
}

struct sval *
eval_bad_form(struct interp *in, struct sval *x, const char *what)
{
	return interp_error(in, x->loc, "bad-form", "bad %s form", what);
}

/* ---- helpers over lists ---- */

/* Evaluate a body (list of expressions) but the last; returns the last
 * expression for the caller to evaluate in tail position, NULL on error,
 * or &in->voidv for an empty body. */
struct sval *
eval_body_but_last(struct interp *in, struct sval *body, struct env *env)
{
	if (!sv_is_pair(body))
		return &in->voidv;
	while (sv_is_pair(sv_cdr(body))) {
		eval(in, sv_car(body), env);
		if (in->failed)
			return NULL;
		body = sv_cdr(body);
	}
	return sv_car(body);
}

/* ---- closures ---- */

struct sval *
eval_make_closure(struct interp *in, enum sv_type t, struct sval *params,
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

bool
eval_valid_params(struct sval *p)
{
	while (sv_is_pair(p)) {
		if (sv_car(p)->type != SV_SYMBOL)
			return false;
		p = sv_cdr(p);
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

	for (; sv_is_pair(p); p = sv_cdr(p), i++, want++) {
		if (i >= n)
			goto arity;
		env_define(in, e, sv_car(p)->u.sym, args[i]);
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

/* ---- application ---- */

#define ARGBUF 16

static struct sval *
eval_application(struct interp *in, struct sval *x, struct env *env,
		 struct sval *f, struct sval **tail_x, struct env **tail_env)
{
	struct sval *argbuf[ARGBUF], **args = argbuf, *r = NULL;
	struct src_loc locbuf[ARGBUF], *locs = locbuf;
	size_t n = sv_list_len(sv_cdr(x)), i = 0;

	if (n > ARGBUF) {
		args = xcalloc(n, sizeof(*args));
		locs = xcalloc(n, sizeof(*locs));
	}
	for (struct sval *a = sv_cdr(x); sv_is_pair(a); a = sv_cdr(a), i++) {
		args[i] = eval(in, sv_car(a), env);
		if (in->failed)
			goto out;
		locs[i] = sv_car(a)->loc;
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
				return eval_unbound(in, x);
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

/* (if c a [b]): the chosen branch goes to *tail_x. */
static struct sval *
eval_if(struct interp *in, struct sval *x, struct env *env,
	struct sval **tail_x)
{
	size_t n = sv_list_len(x);
	struct sval *v;

	if (n < 2 || n > 4)
		return eval_bad_form(in, x, "if");
	v = eval(in, sv_car(sv_cdr(x)), env);
	if (in->failed)
		return NULL;
	/* TinyScheme: a missing branch evaluates to () */
	if (sv_truthy(v) && n >= 3)
		*tail_x = sv_car(sv_cdr(sv_cdr(x)));
	else if (!sv_truthy(v) && n == 4)
		*tail_x = sv_car(sv_cdr(sv_cdr(sv_cdr(x))));
	else
		return &in->nil;
	return NULL;
}

/* (and ...) / (or ...): the last operand goes to *tail_x. */
static struct sval *
eval_and_or(struct interp *in, struct sval *x, struct env *env, bool is_and,
	    struct sval **tail_x)
{
	struct sval *a = sv_cdr(x), *v;

	if (!sv_is_pair(a))
		return sv_bool(in, is_and);
	for (; sv_is_pair(sv_cdr(a)); a = sv_cdr(a)) {
		v = eval(in, sv_car(a), env);
		if (in->failed)
			return NULL;
		if (sv_truthy(v) != is_and)
			return v;
	}
	*tail_x = sv_car(a);
	return NULL;
}

/* A call of a procedure or macro (x is a proper list). */
static struct sval *
eval_call(struct interp *in, struct sval *x, bool allow_deny,
	  struct env **envp, struct sval **tail_x)
{
	struct env *env = *envp;
	struct sval *head = sv_car(x), *f, *v;

	if (head->type == SV_SYMBOL) {
		if (!env_lookup(in, env, head->u.sym, &f))
			return eval_unbound(in, head);
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
	if (allow_deny) {
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
}

/* Sets *tail_x (and *envp) to continue in tail position, else returns the
 * value. */
static struct sval *
eval_pair(struct interp *in, struct sval *x, struct env **envp,
	  struct sval **tail_x)
{
	struct env *env = *envp, *body_env = NULL;
	struct sval *head = sv_car(x), *v = NULL, *body;
	int sf = head->type == SV_SYMBOL ? head->u.sym->special : SF_NONE;

	if (sf != SF_NONE && sf != SF_ALLOW_DENY && env_find(env, head->u.sym))
		sf = SF_NONE;   /* a local variable shadows the keyword */
	if (!sv_is_list(x))
		return eval_bad_form(in, x, "call");
	switch (sf) {
	case SF_QUOTE:
		if (sv_list_len(x) != 2)
			return eval_bad_form(in, x, "quote");
		return sv_car(sv_cdr(x));
	case SF_QUASIQUOTE:
		if (sv_list_len(x) != 2)
			return eval_bad_form(in, x, "quasiquote");
		return qq_expand(in, sv_car(sv_cdr(x)), env, 1);
	case SF_UNQUOTE:
	case SF_UNQUOTE_SPLICING:
		return interp_error(in, x->loc, "bad-form",
				    "unquote outside of quasiquote");
	case SF_IF:
		return eval_if(in, x, env, tail_x);
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
		if (env_find(env, head->u.sym) || head->u.sym->global)
			break;  /* the profile defined its own (application.sb) */
		return apple_with_filter(in, x, env, sf == SF_WITH_MODIFIER);
	case SF_LET:
	case SF_LETSTAR:
	case SF_LETREC:
		body = sf_let(in, x, env, sf, &body_env);
		goto body;
	case SF_BEGIN:
		body = sv_cdr(x);
		body_env = env;
		goto body;
	case SF_WHEN:
	case SF_UNLESS:
		if (!sv_is_pair(sv_cdr(x)))
			return eval_bad_form(in, x, sf == SF_WHEN ? "when" : "unless");
		v = eval(in, sv_car(sv_cdr(x)), env);
		if (in->failed)
			return NULL;
		if (sv_truthy(v) != (sf == SF_WHEN))
			return &in->nil;
		body = sv_cdr(sv_cdr(x));
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
	case SF_OR:
		return eval_and_or(in, x, env, sf == SF_AND, tail_x);
	default:
		break;
	}

	return eval_call(in, x, sf == SF_ALLOW_DENY, envp, tail_x);

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
eval_toplevel(struct interp *in, struct sbpl_reader *r,
	      struct src_loc *first_form)
{
	struct sbpl_file_state st = { r->f, 0 }, *saved = in->file_state;
	unsigned saved_depth = in->depth;
	struct src_loc saved_cur = in->cur;
	bool escaped = in->escaped;

	in->file_state = &st;
	for (;;) {
		struct arena_mark mark = arena_mark(&in->arena);
		size_t nfilters = in->nfilters;
		struct sval *x = sbpl_read_next(r), *v;

		if (!x)
			break;
		if (first_form && !st.forms)
			*first_form = x->loc;
		in->failed = false;
		in->escaped = false;
		in->depth = saved_depth;
		in->cur = x->loc;
		v = eval(in, x, NULL);
		st.forms++;
		if (v && v->type == SV_FILTER)
			interp_warn(in, DIAG_WARNING, x->loc, "toplevel-filter",
				    "filter at top level has no effect: was the "
				    "rule before it closed too early?");
		if (!in->escaped)
			interp_forget(in, &mark, nfilters);
		escaped = escaped || in->escaped;
	}
	in->escaped = escaped;
	in->failed = false;
	in->file_state = saved;
	in->depth = saved_depth;
	in->cur = saved_cur;
}
