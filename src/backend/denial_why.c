/*
 * Reasons for denial records, from the definition's decision model (see
 * denial_why.h): the IR `sbox explain` builds from a definition.
 */
#include "backend/denial_why.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "def/def_access.h"
#include "policy/decide.h"
#include "policy/vocab.h"
#include "sbpl/emit.h"
#include "util/xalloc.h"

/* What the definition says of the network, where, and the smallest
 * setting with the IP sockets the seccomp program refuses under it. */
static void
network_rule(struct denial_why *w, const struct container_def *def)
{
	static const char *const modes[] = {
		[DEF_NET_NONE] = "\"none\"", [DEF_NET_LOCALHOST] = "\"localhost\"",
		[DEF_NET_OUTBOUND] = "\"outbound\"", [DEF_NET_ALL] = "\"all\"",
		[DEF_NET_PORTS] = "{ ports }",
	};
	const struct src_loc *loc = &def->network_loc;

	w->net_rule = xasprintf("network %s%s", modes[def->network],
				def->has_network ? "" : " (not set: the default)");
	w->net_where = NULL;
	if (def->has_network && loc->file) {
		unsigned line, col;

		src_linecol(loc->file, loc->start, &line, &col);
		w->net_where = xasprintf("%s:%u:%u", loc->file->name, line, col);
	}
	w->net_grant = xstrdup(def->network == DEF_NET_NONE ?
		"network \"localhost\" (the smallest setting with IP sockets)" :
		"network \"all\" or \"localhost\" (port rules see TCP only)");
}

int
denial_why_init(struct denial_why *w, const struct container_def *def,
		struct sbox_err *err)
{
	struct strbuf text = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	int rc;

	w->defpath = NULL;  /* the caller names it after, when it has one */
	policy_init(&w->ir, vocab_latest());
	rc = sbpl_emit_def_ir(def, &text, &params, &w->ir, err);
	for (size_t i = 0; i < params.nr; i++)
		free(params.v[i]);
	free(params.v);
	strbuf_release(&text);
	w->ready = rc == 0;
	network_rule(w, def);
	return rc;
}

void
denial_why_release(struct denial_why *w)
{
	policy_release(&w->ir);
	w->ready = 0;
	free(w->net_rule);
	free(w->net_where);
	free(w->net_grant);
	w->net_rule = w->net_where = w->net_grant = NULL;
}

const char *
denial_sbpl_op(enum denial_op op)
{
	static const char *const ops[DENY_OP_COUNT] = {
		"file-read-data", "file-write-data", "process-exec",
		"network-outbound", "network-bind", "network-outbound",
		"default", "default", "default", "default", "default",
	};

	return (unsigned)op < DENY_OP_COUNT ? ops[op] : "default";
}

/* The key a grant goes under, and its value. */
static char *
smallest_grant(enum denial_op op, const char *target)
{
	const char *colon = strrchr(target, ':');
	const char *port = colon ? colon + 1 : "";

	switch (op) {
	case DENY_READ:
		return xasprintf("filesystem.read \"%s\"", target);
	case DENY_WRITE:
		return xasprintf("filesystem.write \"%s\"", target);
	case DENY_EXEC:
		return xasprintf("filesystem.exec \"%s\"", target);
	case DENY_CONNECT:
		if (target[0] == '/')
			return xasprintf("filesystem.write \"%s\"", target);
		if (!strncmp(target, "127.", 4) || !strncmp(target, "[::1]", 5) ||
		    !strncmp(target, "localhost:", 10))
			return xasprintf("network \"localhost\" (or network.outbound [%s])",
					 port);
		return xasprintf("network.outbound [%s]", port);
	case DENY_BIND:
		return xasprintf("network.bind [%s]", port);
	default:
		return xstrdup("?");
	}
}

/* deny "~/.ssh": the word as written at the rule's location. */
static char *
rule_words(const struct policy_rule *r)
{
	const struct src_file *f = r->loc.file;
	size_t n = r->loc.end - r->loc.start;

	if (n > 200)
		n = 200;
	return xasprintf("%s %.*s", r->action == POLICY_ALLOW ? "allow" : "deny",
			 (int)n, f->text + r->loc.start);
}

/* The seccomp program's refusals: sbox's, or the network setting's. */
static void
seccomp_reason(const struct denial_why *w, enum denial_op op,
	       const char *target, struct denial_reason *out)
{
	out->never = denial_never_reason(op, target);
	if (out->never)
		return;
	out->decided_by_rule = 1;
	out->rule = xstrdup(w->net_rule ? w->net_rule : "network");
	out->where = w->net_where ? xstrdup(w->net_where) : NULL;
	out->grant = w->net_grant ? xstrdup(w->net_grant) : NULL;
}

void
denial_why_explain(const struct denial_why *w, enum denial_op op,
		   const char *target, struct denial_reason *out)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct decision d;
	char *arg;

	memset(out, 0, sizeof(*out));
	if (DENY_IS_SECCOMP(op)) {
		seccomp_reason(w, op, target, out);
		return;
	}
	arg = target[0] == '/' ? def_path_canonical(target) : xstrdup(target);
	if (w->ready && policy_decide(&w->ir, denial_sbpl_op(op), arg, &d,
				      &err) == 0 && d.rule && d.rule->loc.file) {
		unsigned line, col;

		src_linecol(d.rule->loc.file, d.rule->loc.start, &line, &col);
		out->where = xasprintf("%s:%u:%u", d.rule->loc.file->name, line,
				       col);
		out->rule = rule_words(d.rule);
		out->allowed = d.action == POLICY_ALLOW;
		out->decided_by_rule = !out->allowed;
	}
	if (!out->decided_by_rule && !out->allowed)
		out->grant = smallest_grant(op, target);
	free(arg);
}

void
denial_reason_release(struct denial_reason *r)
{
	free(r->where);
	free(r->rule);
	free(r->grant);
	memset(r, 0, sizeof(*r));
}

static json_t *
iso_time(double when)
{
	char buf[64];
	time_t s = (time_t)when;
	struct tm tm;
	int ms = (int)((when - (double)s) * 1000);

	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return json_sprintf("%s.%03dZ", buf, ms);
}

void
denial_json_line(const struct denial *d, const struct denial_reason *r,
		 const char *defpath, struct strbuf *out)
{
	json_t *o = json_object(), *why = json_object();
	char *text;

	json_object_set_new(o, "time", iso_time(d->first));
	json_object_set_new(o, "pid", json_integer(d->pid));
	json_object_set_new(o, "program", json_string(d->program));
	json_object_set_new(o, "operation", json_string(denial_op_name(d->op)));
	json_object_set_new(o, d->target[0] == '/' ? "path" :
			    DENY_IS_SECCOMP(d->op) ? "target" : "address",
			    json_string(d->target));
	json_object_set_new(o, "count", json_integer((json_int_t)d->count));
	json_object_set_new(o, "refused-by", json_string(d->how));
	if (d->err && denial_errno_name(d->err))
		json_object_set_new(o, "errno",
				    json_string(denial_errno_name(d->err)));
	else if (d->err)
		json_object_set_new(o, "errno", json_integer(d->err));
	if (r->never) {
		json_object_set_new(why, "decision",
				    json_string("never allowed in a container"));
		json_object_set_new(why, "reason", json_string(r->never));
	} else if (r->decided_by_rule)
		json_object_set_new(why, "decision", json_string("denied by rule"));
	else if (r->allowed)
		json_object_set_new(why, "decision",
				    json_string("allowed by the definition, "
						"refused by this system"));
	else
		json_object_set_new(why, "decision", json_string("not granted"));
	if (r->rule)
		json_object_set_new(why, "rule", json_string(r->rule));
	if (r->where)
		json_object_set_new(why, "at", json_string(r->where));
	if (r->grant)
		json_object_set_new(why, "grant", json_string(r->grant));
	json_object_set_new(o, "why", why);
	if (defpath)
		json_object_set_new(o, "definition", json_string(defpath));
	text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT |
			  JSON_ENSURE_ASCII);
	if (text) {
		strbuf_addstr(out, text);
		strbuf_addch(out, '\n');
	}
	free(text);
	json_decref(o);
}

void
denials_write_json(const struct denials *d, const struct denial_why *w,
		   struct strbuf *out)
{
	for (size_t i = 0; i < d->nr; i++) {
		struct denial_reason r;

		denial_why_explain(w, d->v[i].op, d->v[i].target, &r);
		denial_json_line(&d->v[i], &r, w->defpath, out);
		denial_reason_release(&r);
	}
	if (d->dropped)
		strbuf_addf(out, "{\"total\":%lu,\"distinct-not-recorded\":%lu}\n",
			    d->total, d->dropped);
}

/* Shown in full; the rest is counted. */
#define SUMMARY_ITEMS 5

void
denials_summary(const struct denials *d, const struct denial_why *w,
		struct strbuf *out)
{
	size_t shown = d->nr < SUMMARY_ITEMS ? d->nr : SUMMARY_ITEMS;

	if (!d->total)
		return;
	strbuf_addf(out, "%lu access%s %s denied", d->total,
		    d->total == 1 ? "" : "es", d->total == 1 ? "was" : "were");
	if (d->nr < d->total)
		strbuf_addf(out, " (%zu distinct%s)", d->nr + (d->dropped ? 1 : 0),
			    d->dropped ? "+" : "");
	strbuf_addch(out, ':');
	for (size_t i = 0; i < shown; i++) {
		const struct denial *e = &d->v[i];
		struct denial_reason r;

		denial_why_explain(w, e->op, e->target, &r);
		strbuf_addf(out, "%s %s %s", i ? "," : "", denial_op_name(e->op),
			    e->target);
		if (e->count > 1)
			strbuf_addf(out, " x%lu", e->count);
		if (r.never)
			strbuf_addf(out, " (never allowed in a container: %s)",
				    r.never);
		else if (r.decided_by_rule && r.where)
			strbuf_addf(out, " (%s at %s)", r.rule, r.where);
		else if (r.decided_by_rule)
			strbuf_addf(out, " (%s)", r.rule);
		else if (r.allowed)
			strbuf_addf(out, " (%s on this system)", e->how);
		else
			strbuf_addf(out, " (not granted: %s)", r.grant);
		denial_reason_release(&r);
	}
	if (d->nr > shown || d->dropped)
		strbuf_addf(out, ", and %zu more", d->nr - shown + (d->dropped ? 1 : 0));
	strbuf_addch(out, '\n');
}
