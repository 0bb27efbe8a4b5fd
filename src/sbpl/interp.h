/*
 * Internals of the SBPL evaluator: values, the arena they live in,
 * environments and the interpreter state. Not used outside src/sbpl.
 *
 * Every value is allocated from one arena per evaluation and freed with
 * it: profiles run once, at compile time, so there is no garbage
 * collector; the step limit bounds how much a profile can allocate.
 * What one top-level form allocates is given back after it ran, unless
 * it stored a value where later forms can reach it (a global binding):
 * a profile of 200,000 rules then holds one form at a time, not all.
 * Symbols live in a second, permanent arena.
 */
#ifndef SBOX_SBPL_INTERP_H
#define SBOX_SBPL_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "policy/vocab.h"
#include "sbpl/sbpl.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* ---- arena ---- */

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used, cap;
	size_t total;
};

/* Where an arena stood; rolling back frees everything allocated since. */
struct arena_mark {
	struct arena_chunk *head;
	size_t used, cap, total;
};

void arena_init(struct arena *a);
struct arena_mark arena_mark(const struct arena *a);
void arena_rollback(struct arena *a, const struct arena_mark *m);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* ---- values ---- */

enum sv_type {
	SV_NIL,       /* the empty list */
	SV_BOOL,
	SV_INT,
	SV_CHAR,
	SV_STRING,
	SV_SYMBOL,
	SV_PAIR,
	SV_CLOSURE,
	SV_MACRO,
	SV_BUILTIN,
	SV_OP,        /* an SBPL operation */
	SV_FILTER,    /* an SBPL filter (policy_filter tree) */
	SV_MODIFIER,  /* (with ...) */
	SV_CONST,     /* a symbolic filter argument: AF_INET, DIRECTORY */
	SV_UNKNOWN,   /* derived from a (param) that was not supplied */
	SV_VOID,      /* unspecified result */
};

#define SVF_RAW 1u      /* string written as #"..." */
#define SVF_DEFMACRO 2u /* define-macro: arguments destructured */

struct sval;
struct interp;
struct env;

struct ssym {
	const char *name;
	struct sval *global;   /* global binding, NULL when unbound */
	struct ssym *next;     /* intern hash chain */
	struct sval *self;     /* the symbol value */
	uint8_t special;       /* enum special_form, 0 for none */
	/* the name as a (param "NAME"): its -D value, or noted missing */
	bool param_missing;
	const char *param;
};

/* Builtin procedure: args already evaluated; locs[i] is where args[i]
 * was written (the call's location when not known). */
typedef struct sval *(*builtin_fn)(struct interp *in, struct sval **args,
				   size_t n, const struct src_loc *locs);

struct builtin {
	const char *name;
	builtin_fn fn;
	int min_args, max_args;   /* max -1: variadic */
};

/* cnst.value of a name from a kernel table (MIG routine, Mach trap, fcntl
 * command) that sbox does not carry: see apple.c kernel_identifier. */
#define SBPL_KERNEL_IDENT (-0x7fffffffffffffffLL)

struct sval {
	uint8_t type;
	uint8_t flags;
	struct src_loc loc;
	union {
		int b;
		long long i;
		int ch;
		struct {
			const char *s;
			size_t len;
		} str;                      /* SV_STRING; SV_UNKNOWN: param name */
		struct ssym *sym;
		struct {
			struct sval *car, *cdr;
		} pair;
		struct {
			struct sval *params;
			struct sval *body;  /* list of expressions */
			struct env *env;
			const char *name;
		} clo;                      /* SV_CLOSURE, SV_MACRO */
		const struct builtin *bi;
		struct {
			const struct vocab_op *op; /* NULL: no-op alias */
			const char *written;
		} op;
		struct {
			struct policy_filter *f;
			bool has_unknown;
			unsigned depth;     /* require-* nesting */
		} filter;
		struct {
			const char *name;   /* canonical */
			struct sval *args;  /* list */
		} mod;
		struct {
			const char *name;
			long long value; /* SBPL_KERNEL_IDENT: a kernel name */
		} cnst;
	} u;
};

/* ---- environments ---- */

struct binding {
	struct ssym *sym;
	struct sval *val;
	struct binding *next;
};

/* A local frame; the global environment is NULL (bindings live in the
 * symbols themselves). */
struct env {
	struct env *parent;
	struct binding *vars;
};

/* ---- interpreter ---- */

struct sbpl_file_state {
	const struct src_file *file;
	unsigned forms;           /* top-level forms evaluated so far */
};

struct interp {
	struct arena arena;
	struct arena perm;           /* symbols, parameter names */
	/* set when the form being evaluated stored a value in a global
	 * binding: its allocations must then outlive it */
	bool escaped;
	struct ssym **symtab;
	size_t symtab_size, nsyms;
	const struct sbpl_opts *opts;
	const struct vocab *vocab;
	struct src_set *srcs;
	struct diag_list *diags;
	struct policy *policy;

	struct sval nil, t, f, voidv;

	/* failure state: set by interp_error, unwinds evaluation of one
	 * top-level form */
	bool failed;
	unsigned long steps, max_steps;
	unsigned depth, max_depth;
	unsigned import_depth;

	struct src_loc cur;          /* innermost call being evaluated */
	const struct builtin *calling; /* builtin being called */
	struct src_loc action_loc;   /* innermost (allow ...)/(deny ...) form */
	const struct src_file *main_file;
	struct src_loc first_form;   /* first form of the main file */
	struct sbpl_file_state *file_state;

	/* (version 1) of the evaluated profile */
	struct src_loc version_loc;
	bool version_seen;

	/* with-filter / with-modifier stacks */
	struct sval *extra_filters;  /* list of SV_FILTER */
	struct sval *extra_mods;     /* list of SV_MODIFIER */

	/* every policy_filter created, freed at the end */
	struct policy_filter **filters;
	size_t nfilters, filters_alloc;

	/* missing parameters, in order of first use */
	const char **missing;
	size_t nmissing, missing_alloc;
	struct src_loc missing_loc;

	bool traced;                 /* (trace ...) seen */
};

/* interp lifecycle (sbpl.c) */
void interp_init(struct interp *in, const struct sbpl_opts *opts,
		 struct src_set *srcs, struct diag_list *diags,
		 struct policy *out);
void interp_release(struct interp *in);
void interp_forget(struct interp *in, const struct arena_mark *mark,
		   size_t nfilters);

/* values (values.c) */
struct ssym *sym_intern(struct interp *in, const char *name, size_t len);
struct sval *sv_new(struct interp *in, enum sv_type t, struct src_loc loc);
struct sval *sv_int(struct interp *in, long long i);
struct sval *sv_bool(struct interp *in, bool b);
struct sval *sv_string(struct interp *in, const char *s, size_t len,
		       struct src_loc loc);
struct sval *sv_symbol(struct interp *in, const char *name);
struct sval *sv_cons(struct interp *in, struct sval *car, struct sval *cdr);
struct sval *sv_filter(struct interp *in, struct policy_filter *f,
		       bool has_unknown, struct src_loc loc);
struct sval *sv_unknown(struct interp *in, const char *param);
bool sv_truthy(const struct sval *v);
bool sv_is_list(const struct sval *v);

/* Pair access for the evaluator and the special forms. */
static inline struct sval *
sv_car(struct sval *x)
{
	return x->u.pair.car;
}

static inline struct sval *
sv_cdr(struct sval *x)
{
	return x->u.pair.cdr;
}

static inline bool
sv_is_pair(const struct sval *x)
{
	return x->type == SV_PAIR;
}

size_t sv_list_len(const struct sval *v);
bool sv_eqv(const struct sval *a, const struct sval *b);
bool sv_equal(const struct sval *a, const struct sval *b);
const char *sv_type_name(const struct sval *v);
/* Short printed form for messages ("#f", "\"abc\"", "(a b)"). */
void sv_print(const struct sval *v, struct strbuf *out, int depth);

/* reader (reader.c): one top-level datum at a time */
struct sbpl_reader {
	struct interp *in;
	const struct src_file *f;
	const char *s;
	size_t len, pos;
	unsigned depth;
	bool failed;     /* a syntax error was found */
	bool stop;       /* unrecoverable: stop reading */
	bool quiet;      /* second reading: errors were already reported */
};

void sbpl_reader_init(struct sbpl_reader *r, struct interp *in,
		      const struct src_file *f, bool quiet);
/* The next top-level datum, or NULL at the end (or when r->stop). */
struct sval *sbpl_read_next(struct sbpl_reader *r);

/* special forms, recognised by the head symbol (ssym.special) */
enum special_form {
	SF_NONE, SF_QUOTE, SF_QUASIQUOTE, SF_UNQUOTE, SF_UNQUOTE_SPLICING,
	SF_IF, SF_DEFINE, SF_SET, SF_LAMBDA, SF_LET, SF_LETSTAR, SF_LETREC,
	SF_BEGIN, SF_COND, SF_CASE, SF_WHEN, SF_UNLESS, SF_AND, SF_OR,
	SF_MACRO, SF_DEFINE_MACRO, SF_DEFINED, SF_WITH, SF_WITH_FILTER,
	SF_WITH_MODIFIER, SF_ALLOW_DENY, SF_DEBUG,
};

/* evaluator (eval.c) */
struct sval *eval(struct interp *in, struct sval *x, struct env *env);
struct sval *apply_proc(struct interp *in, struct sval *proc,
			struct sval **args, size_t n,
			const struct src_loc *locs, struct src_loc loc);
/* Evaluate every form r reads, forgetting each one's allocations when it
 * stored nothing for later forms; first_form (or NULL) gets where the
 * first one starts. */
void eval_toplevel(struct interp *in, struct sbpl_reader *r,
		   struct src_loc *first_form);
/* Record an error diagnostic and start unwinding; returns NULL. */
struct sval *interp_error(struct interp *in, struct src_loc loc,
			  const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
struct diag *interp_warn(struct interp *in, enum diag_level lvl,
			 struct src_loc loc, const char *id,
			 const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
bool env_lookup(struct interp *in, struct env *env, struct ssym *s,
		struct sval **out);
struct binding *env_find(struct env *env, struct ssym *s);
struct sval *env_global(struct interp *in, struct ssym *s);
void env_define(struct interp *in, struct env *env, struct ssym *s,
		struct sval *v);
struct env *env_new(struct interp *in, struct env *parent);
struct sval *eval_unbound(struct interp *in, struct sval *sym);
struct sval *eval_bad_form(struct interp *in, struct sval *x, const char *what);
struct sval *eval_body_but_last(struct interp *in, struct sval *body,
				struct env *env);
struct sval *eval_make_closure(struct interp *in, enum sv_type t,
			       struct sval *params, struct sval *body,
			       struct env *env, const char *name,
			       struct src_loc loc);
bool eval_valid_params(struct sval *p);

/* special forms (forms.c) */
struct sval *qq_expand(struct interp *in, struct sval *x, struct env *env,
		       int level);
struct sval *sf_define(struct interp *in, struct sval *x, struct env *env);
struct sval *sf_set(struct interp *in, struct sval *x, struct env *env);
struct sval *sf_lambda(struct interp *in, struct sval *x, struct env *env);
struct sval *sf_macro(struct interp *in, struct sval *x, struct env *env,
		      bool defmacro);
struct sval *macro_expand(struct interp *in, struct sval *m, struct sval *x);
struct sval *sf_let(struct interp *in, struct sval *x, struct env *env,
		    int kind, struct env **body_env);
struct sval *sf_cond(struct interp *in, struct sval *x, struct env *env,
		     struct sval **value);
struct sval *sf_case(struct interp *in, struct sval *x, struct env *env,
		     struct sval **value);
struct sval *sf_defined(struct interp *in, struct sval *x, struct env *env);

/* builtins: generic Scheme procedures (builtins.c), SBPL vocabulary
 * (apple.c). Return the value for a global name not bound by the
 * profile, or NULL. */
struct sval *builtin_lookup(struct interp *in, struct ssym *s);
const struct builtin *builtin_text_lookup(const char *name);
struct sval *builtin_type_error(struct interp *in, const struct src_loc *locs,
				size_t i, const char *fn, const char *want,
				const struct sval *got);
struct sval *builtin_first_unknown(struct sval **a, size_t n);
struct sval *bi_list(struct interp *in, struct sval **a, size_t n,
		     const struct src_loc *locs);
struct sval *apple_lookup(struct interp *in, struct ssym *s);
/* Why a name is unavailable in the chosen release, or NULL. */
const char *apple_unavailable(struct interp *in, const char *name);

/* helpers shared by the SBPL files (apple.c) */
struct src_loc sbpl_argloc(struct interp *in, const struct src_loc *locs,
			   size_t i);
struct sval *sbpl_arg_type_error(struct interp *in, const struct src_loc *locs,
				 size_t i, const char *what,
				 const struct sval *got);
/* filters.c, rules.c: builtins by name, or NULL */
struct policy_value sbpl_policy_value(const struct sval *v, bool regex);
const struct builtin *filters_lookup(struct interp *in, const char *name);
const struct builtin *rules_lookup(const char *name);

/* SBPL special forms (rules.c) */
struct sval *apple_with(struct interp *in, struct sval *x, struct env *env);
struct sval *apple_with_filter(struct interp *in, struct sval *x,
			       struct env *env, bool modifier);

/* lints (lint.c) */
void lint_prescan(struct interp *in, const struct src_file *f);
void lint_string_literal(struct interp *in, const struct sval *s);
void lint_path_arg(struct interp *in, const char *filter,
		   enum vocab_match match, const struct sval *arg,
		   struct src_loc loc);
void lint_policy(struct interp *in);

/* import resolution and loading (sbpl.c) */
int interp_load_file(struct interp *in, const char *path,
		     struct src_loc from);

#endif
