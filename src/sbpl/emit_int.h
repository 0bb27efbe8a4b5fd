/* Internals of the SBPL emitter (emit.c, emit_rule.c, emit_parts.c). */
#ifndef SBOX_SBPL_EMIT_INT_H
#define SBOX_SBPL_EMIT_INT_H

#include <stddef.h>

#include "def/def.h"
#include "def/def_strmap.h"
#include "util/strbuf.h"

struct policy;

struct emitter {
	struct strbuf *out;
	struct policy *ir;            /* optional: the same rules as IR */
	struct def_strlist *params;   /* KEY, VALUE pairs (none today: paths
				       * are literals, open variables are
				       * named in the text) */
	const char *name;             /* container name for the message tag */
	int vars_used;                /* bit i: variable i appears in a path */
};

/* One (allow|deny OP filter...) form being written; runs of filters with
 * the same action share a form until the size budget is spent. */
struct emit_rule {
	const char *op;
	int fixed;      /* -1: action per filter, else 0 deny / 1 allow */
	int open;       /* -1 none, else the action of the open form */
	size_t cost;
};

void emitter_init(struct emitter *em, const struct container_def *def,
		  struct strbuf *out, struct def_strlist *params,
		  struct policy *ir);
void emitter_release(struct emitter *em);

/* SBPL expression for a path: an escaped string literal, or a variable's
 * (param "SBOX_VAR") / string-append of it and a constant tail. */
void emit_path_expr(struct emitter *em, const char *path, struct strbuf *out);
void emit_message(struct emitter *em);

void emit_rule_begin(struct emitter *em, struct emit_rule *r, int fixed,
		     const char *op);
void emit_rule_filter_path(struct emitter *em, struct emit_rule *r, int allow,
			   const char *filter, const char *path,
			   struct src_loc loc);
/* A non-path filter: (filter [sym] ["str"]). */
void emit_rule_filter(struct emitter *em, struct emit_rule *r, int allow,
		      const char *filter, const char *sym, const char *str);
/* One rule on one line: (allow|deny op [(filter [sym] ["str"])]). */
void emit_single(struct emitter *em, int allow, const char *op,
		 const char *filter, const char *sym, const char *str);
void emit_rule_end(struct emitter *em, struct emit_rule *r);

void emit_startup(struct emitter *em);
void emit_system_sockets(struct emitter *em);
void emit_network(struct emitter *em, const struct container_def *def);
void emit_mach(struct emitter *em, const struct container_def *def);
void emit_escape_hatch(struct emitter *em, const struct container_def *def);
void emit_param_list(struct emitter *em);

/* Push s unless present; 1 when added. */
int def_strlist_push_unique(struct def_strlist *l, const char *s);

#endif
