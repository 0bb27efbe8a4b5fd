/* Parameters and rule forms for the SBPL emitter. */
#include "sbpl/emit_int.h"
#include "policy/policy.h"
#include "policy/vocab.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Nix splits big allow lists at ~16 KiB to stay clear of the 64 KiB
 * pattern limit (NixOS/nix#4119): a form holds
 * filters until the bytes of their values reach this budget. */
#define RULE_BUDGET 16384
#define FILTER_OVERHEAD 32

static const struct {
	const char *spelling;
	const char *param;
} path_vars[] = {
	{ "~", "SBOX_HOME" },
	{ "${HOME}", "SBOX_HOME" },
	{ "${CONTAINER}", "SBOX_CONTAINER" },
	{ "${PROJECT}", "SBOX_PROJECT" },
	{ "${TMPDIR}", "SBOX_TMPDIR" },
};

void
emitter_init(struct emitter *em, const struct container_def *def,
	     struct strbuf *out, struct def_strlist *params, struct policy *ir)
{
	memset(em, 0, sizeof(*em));
	em->out = out;
	em->params = params;
	em->ir = ir;
	em->name = def->name ? def->name : "sbox";
}

void
emitter_release(struct emitter *em)
{
	(void)em;
}

int
def_strlist_push_unique(struct def_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], s))
			return 0;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
	return 1;
}

void
emit_path_expr(struct emitter *em, const char *path, struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(path_vars) / sizeof(path_vars[0]); i++) {
		size_t n = strlen(path_vars[i].spelling);

		if (strncmp(path, path_vars[i].spelling, n) ||
		    (path[n] && path[n] != '/'))
			continue;
		em->vars_used |= 1 << i;
		if (!path[n]) {
			strbuf_addf(out, "(param \"%s\")", path_vars[i].param);
		} else {
			strbuf_addf(out, "(string-append (param \"%s\") ",
				    path_vars[i].param);
			strbuf_add_quoted(out, path + n);
			strbuf_addch(out, ')');
		}
		return;
	}
	strbuf_add_quoted(out, path);
}

void
emit_message(struct emitter *em)
{
	struct strbuf tag = STRBUF_INIT;

	strbuf_addf(&tag, "sbox:%s", em->name);
	strbuf_addstr(em->out, " (with message ");
	strbuf_add_quoted(em->out, tag.buf);
	strbuf_addch(em->out, ')');
	strbuf_release(&tag);
}

/* The IR twin of what is written: one rule per filter (merging rules of
 * one form changes nothing: Apple's sbpl1.scm merges them itself). */
static void
ir_add(struct emitter *em, int allow, const char *op,
       struct policy_filter *filter, struct src_loc loc)
{
	struct policy_modifier *mods = NULL;
	size_t nmods = 0;

	if (!em->ir) {
		if (filter)
			policy_filter_free(filter);
		return;
	}
	if (!allow) {
		char *tag = xasprintf("sbox:%s", em->name);

		mods = xcalloc(1, sizeof(*mods));
		mods->name = xstrdup("message");
		mods->args = xcalloc(1, sizeof(*mods->args));
		mods->args[0] = policy_value_str(PV_STRING, tag);
		mods->nargs = 1;
		nmods = 1;
		free(tag);
	}
	/* the IR holds canonical operations, as evaluating the text gives
	 * (ipc-posix-sem is ipc-posix-sem*, sysctl-write is sysctl*) */
	{
		const struct vocab_op *vo = em->ir->vocab ?
					    vocab_op_find(em->ir->vocab, op) : NULL;

		if (vo)
			op = vo->name;
	}
	policy_add_rule(em->ir, allow ? POLICY_ALLOW : POLICY_DENY, op, filter,
			mods, nmods, loc);
}

static struct policy_filter *
ir_filter(const char *name, const char *sym, const char *str,
	  struct src_loc loc)
{
	struct policy_filter *f = policy_filter_new(PF_MATCH, name, loc);

	if (sym)
		policy_filter_add_arg(f, policy_value_str(PV_SYMBOL, sym));
	if (str)
		policy_filter_add_arg(f, policy_value_str(PV_STRING, str));
	return f;
}

/* The text of one filter: (filter [sym] ["str"]). */
static void
filter_form_add(struct strbuf *out, const char *filter, const char *sym,
		const char *str)
{
	strbuf_addf(out, "(%s", filter);
	if (sym)
		strbuf_addf(out, " %s", sym);
	if (str) {
		strbuf_addch(out, ' ');
		strbuf_add_quoted(out, str);
	}
	strbuf_addch(out, ')');
}

void
emit_single(struct emitter *em, int allow, const char *op, const char *filter,
	    const char *sym, const char *str)
{
	struct src_loc none = { NULL, 0, 0 };

	strbuf_addf(em->out, "(%s %s", allow ? "allow" : "deny", op);
	if (filter) {
		strbuf_addch(em->out, ' ');
		filter_form_add(em->out, filter, sym, str);
	}
	if (!allow)
		emit_message(em);
	strbuf_addstr(em->out, ")\n");
	ir_add(em, allow, op, filter ? ir_filter(filter, sym, str, none) : NULL,
	       none);
}

void
emit_rule_begin(struct emitter *em, struct emit_rule *r, int fixed,
		const char *op)
{
	(void)em;
	r->op = op;
	r->fixed = fixed;
	r->open = -1;
	r->cost = 0;
}

void
emit_rule_end(struct emitter *em, struct emit_rule *r)
{
	if (r->open < 0)
		return;
	/* denials carry the container's tag so logs can be filtered */
	if (r->open == 0) {
		strbuf_addstr(em->out, "\n   ");
		emit_message(em);
	}
	strbuf_addstr(em->out, ")\n");
	r->open = -1;
	r->cost = 0;
}

static void
rule_prepare(struct emitter *em, struct emit_rule *r, int allow, size_t cost)
{
	if (r->fixed >= 0)
		allow = r->fixed;
	if (r->open >= 0 && (r->open != allow || r->cost + cost > RULE_BUDGET))
		emit_rule_end(em, r);
	if (r->open < 0) {
		strbuf_addf(em->out, "(%s %s", allow ? "allow" : "deny", r->op);
		r->open = allow;
	}
	r->cost += cost;
	strbuf_addstr(em->out, "\n    ");
}

void
emit_rule_filter_path(struct emitter *em, struct emit_rule *r, int allow,
		      const char *filter, const char *path, struct src_loc loc)
{
	/* the value counts for the compiled pattern and in the text */
	rule_prepare(em, r, allow, 2 * strlen(path) + 2 * FILTER_OVERHEAD);
	strbuf_addf(em->out, "(%s ", filter);
	emit_path_expr(em, path, em->out);
	strbuf_addch(em->out, ')');
	ir_add(em, r->open, r->op, ir_filter(filter, NULL, path, loc), loc);
}

void
emit_rule_filter(struct emitter *em, struct emit_rule *r, int allow,
		 const char *filter, const char *sym, const char *str)
{
	struct src_loc none = { NULL, 0, 0 };

	rule_prepare(em, r, allow, (str ? strlen(str) : 0) + FILTER_OVERHEAD);
	filter_form_add(em->out, filter, sym, str);
	ir_add(em, r->open, r->op, ir_filter(filter, sym, str, none), none);
}

void
emit_param_list(struct emitter *em)
{
	static const char *const var_names[] = { "~", "${HOME}", "${CONTAINER}",
						 "${PROJECT}", "${TMPDIR}" };

	if (!em->vars_used)
		return;
	strbuf_addstr(em->out,
		      "\n;; Variables left open: pass them as parameters\n"
		      ";; (sandbox-exec -D KEY=VALUE, sandbox_init_with_parameters):\n");
	for (size_t i = 0; i < sizeof(path_vars) / sizeof(path_vars[0]); i++)
		if (em->vars_used & (1 << i))
			strbuf_addf(em->out, ";;   %s = the value of %s\n",
				    path_vars[i].param, var_names[i]);
}

/* (allow system-socket (require-all (socket-domain AF_SYSTEM)
 * (socket-protocol 2)) (socket-domain AF_ROUTE)): SYSPROTO_CONTROL and
 * routing sockets for DNS and network changes (chromium network.sb). */
void
emit_system_sockets(struct emitter *em)
{
	struct src_loc none = { NULL, 0, 0 };
	struct policy_filter *all;

	strbuf_addstr(em->out,
		      "(allow system-socket\n"
		      "    (require-all (socket-domain AF_SYSTEM) (socket-protocol 2))\n"
		      "    (socket-domain AF_ROUTE))\n");
	all = policy_filter_new(PF_REQUIRE_ALL, NULL, none);
	policy_filter_add_kid(all, ir_filter("socket-domain", "AF_SYSTEM", NULL, none));
	{
		struct policy_filter *proto = policy_filter_new(PF_MATCH, "socket-protocol", none);

		policy_filter_add_arg(proto, policy_value_int(2));
		policy_filter_add_kid(all, proto);
	}
	ir_add(em, 1, "system-socket", all, none);
	ir_add(em, 1, "system-socket", ir_filter("socket-domain", "AF_ROUTE", NULL, none), none);
}
