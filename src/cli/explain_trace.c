/*
 * sbox explain --from-trace FILE [DEFINITION]: every denial record of a
 * `--trace=FILE` (launch, run, learn) explained again, against the
 * definition the record names or the one given.
 */
#include "cli/explain.h"
#include "cli/trace_out.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/denial_why.h"
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "def/def_access.h"
#include "policy/vocab.h"
#include "util/xalloc.h"

/* The IR of the definition path (kept while records name the same). */
static int
trace_ir(const char *path, struct explain_opts *o, struct src_set *srcs,
	 struct policy *ir, char **loaded)
{
	int rc;

	if (*loaded && !strcmp(*loaded, path))
		return 0;
	free(*loaded);
	*loaded = NULL;
	policy_release(ir);
	policy_init(ir, o->release ? vocab_for_release(o->release) : vocab_latest());
	rc = explain_load_definition(path, o, srcs, ir);
	if (!rc)
		*loaded = xstrdup(path);
	return rc;
}

static void
record_head(json_t *rec, const char *opname, const char *target,
	    const char *where)
{
	const char *prog = json_string_value(json_object_get(rec, "program"));
	json_int_t count = json_integer_value(json_object_get(rec, "count"));

	printf("%s: %s %s by %s (%lld time%s)\n", where, opname, target,
	       prog ? prog : "?", (long long)count, count == 1 ? "" : "s");
}

/* --format json for a seccomp refusal: its decision, reason or rule. */
static void
print_seccomp_json(const char *opname, const char *target, const char *reason,
		   const struct denial_reason *r)
{
	json_t *o = json_object();
	char *text;

	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "target", json_string("linux-seccomp"));
	json_object_set_new(o, "decision", json_string("deny"));
	json_object_set_new(o, "operation", json_string(opname));
	json_object_set_new(o, "argument", json_string(target));
	json_object_set_new(o, "how", json_string(reason ? "never allowed in a "
		"container" : "the definition's network setting"));
	if (reason)
		json_object_set_new(o, "reason", json_string(reason));
	if (r && r->rule)
		json_object_set_new(o, "rule", json_pack("{s:s, s:s?}", "text",
				    r->rule, "at", r->where));
	if (r && r->grant)
		json_object_set_new(o, "grant", json_string(r->grant));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(o);
}

/* A call the container's seccomp program refuses whatever the
 * definition says: the reason is sbox's, not a rule's. */
static int
explain_never(json_t *rec, enum denial_op op, const char *target,
	      const char *where, const struct explain_opts *o)
{
	const char *err = json_string_value(json_object_get(rec, "errno"));

	record_head(rec, denial_op_name(op), target, where);
	if (!strcmp(o->format, "json")) {
		print_seccomp_json(denial_op_name(op), target,
				   denial_never_reason(op, target), NULL);
		return EXIT_FINDINGS;
	}
	printf("  refused by: seccomp%s%s%s\n", err ? " (" : "", err ? err : "",
	       err ? ")" : "");
	printf("  decision:   never allowed in a container\n");
	printf("  because:    %s\n", denial_never_reason(op, target));
	return EXIT_FINDINGS;
}

static void
print_network_text(const struct denial_reason *r)
{
	printf("  refused by: seccomp, under the definition's network setting\n");
	printf("  decided by: %s%s%s\n", r->rule, r->where ? " at " : "",
	       r->where ? r->where : "");
	if (r->grant)
		printf("  grant:      %s\n", r->grant);
}

/* An IP socket the seccomp program refuses under the definition's
 * network setting: that setting, where it is, and what would allow it. */
static int
explain_network_socket(json_t *rec, const char *defpath,
		       struct explain_opts *o, const char *target,
		       const char *where)
{
	struct container_def def;
	struct denial_why why;
	struct denial_reason r;
	struct src_set srcs;
	struct sbox_err err = SBOX_ERR_INIT;
	int rc;

	src_set_init(&srcs);
	memset(&why, 0, sizeof(why));
	if (cli_def_load(defpath, &o->vars, &srcs, &def) < 0) {
		src_set_release(&srcs);
		return EXIT_USAGE;
	}
	rc = denial_why_init(&why, &def, &err);
	record_head(rec, "socket", target, where);
	if (rc == 0) {
		denial_why_explain(&why, DENY_SOCKET, target, &r);
		if (!strcmp(o->format, "json"))
			print_seccomp_json("socket", target, NULL, &r);
		else
			print_network_text(&r);
		denial_reason_release(&r);
		rc = EXIT_FINDINGS;
	} else {
		rc = cli_report(&err);
	}
	denial_why_release(&why);
	def_release(&def);
	src_set_release(&srcs);
	return rc;
}
/* One record: "record N (program, xCOUNT)" and the decision of its access. */
static int
explain_record(json_t *rec, const char *defpath, struct explain_opts *o,
	       struct src_set *srcs, struct policy *ir, char **loaded,
	       const char *where)
{
	const char *opname = json_string_value(json_object_get(rec, "operation"));
	const char *target = json_string_value(json_object_get(rec, "path"));
	const char *def = defpath, *grant;
	struct sbox_err err = SBOX_ERR_INIT;
	enum denial_op op;
	struct decision d;
	char *arg;
	int rc;

	if (!target)
		target = json_string_value(json_object_get(rec, "address"));
	if (!target)
		target = json_string_value(json_object_get(rec, "target"));
	if (!def)
		def = json_string_value(json_object_get(rec, "definition"));
	if (!opname || !target || denial_op_parse(opname, &op) < 0) {
		cli_error("%s: not a denial record (operation, path or address)", where);
		return EXIT_USAGE;
	}
	if (DENY_IS_SECCOMP(op) && denial_never_reason(op, target))
		return explain_never(rec, op, target, where, o);
	if (!def) {
		cli_error("%s: the record names no definition; give one", where);
		return EXIT_USAGE;
	}
	if (!strcmp(def, TRACE_COMMAND_LINE)) {
		cli_error("%s: the record comes from grants on the command line "
			  "(its \"why\" says which rule refused it); to explain "
			  "it again, give a definition: sbox explain "
			  "--from-trace FILE DEFINITION", where);
		return EXIT_USAGE;
	}
	if (DENY_IS_SECCOMP(op))
		return explain_network_socket(rec, def, o, target, where);
	rc = trace_ir(def, o, srcs, ir, loaded);
	if (rc)
		return rc;
	printf("%s: %s %s by %s (%lld time%s)\n", where, opname, target,
	       json_string_value(json_object_get(rec, "program")) ?
	       json_string_value(json_object_get(rec, "program")) : "?",
	       json_integer_value(json_object_get(rec, "count")),
	       json_integer_value(json_object_get(rec, "count")) == 1 ? "" : "s");
	arg = target[0] == '/' ? def_path_canonical(target) : xstrdup(target);
	rc = policy_decide(ir, denial_sbpl_op(op), arg, &d, &err);
	if (rc < 0)
		rc = cli_report(&err);
	else if (!strcmp(o->format, "json"))
		explain_print_json(&d, denial_sbpl_op(op), arg);
	else
		explain_print_text(&d, denial_sbpl_op(op), arg);
	grant = json_string_value(json_object_get(json_object_get(rec, "why"),
						  "grant"));
	if (rc >= 0 && d.action != POLICY_ALLOW && grant &&
	    !(d.rule && d.rule->loc.file) && strcmp(o->format, "json"))
		printf("  grant:      %s\n", grant);
	if (rc >= 0)
		rc = d.action == POLICY_ALLOW ? EXIT_OK : EXIT_FINDINGS;
	free(arg);
	return rc;
}

int
explain_trace(struct explain_opts *o, const char *defpath)
{
	FILE *f = fopen(o->from_trace, "r");
	struct src_set srcs;
	struct policy ir;
	char *line = NULL, *loaded = NULL, where[4200];
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = EXIT_OK;

	if (!f) {
		cli_error("%s: %s", o->from_trace, strerror(errno));
		return EXIT_USAGE;
	}
	src_set_init(&srcs);
	policy_init(&ir, vocab_latest());
	while (getline(&line, &cap, f) > 0) {
		json_error_t jerr;
		json_t *rec;
		int r;

		lineno++;
		snprintf(where, sizeof(where), "%s:%u", o->from_trace, lineno);
		rec = json_loads(line, 0, &jerr);
		if (!rec || !json_is_object(rec)) {
			cli_error("%s:%d: %s", where, jerr.column, rec ? "not an object" : jerr.text);
			json_decref(rec);
			rc = EXIT_USAGE;
			break;
		}
		/* the closing count of records past the bound */
		r = json_object_get(rec, "operation") ? explain_record(rec, defpath,
			o, &srcs, &ir, &loaded, where) : EXIT_OK;
		json_decref(rec);
		if (r == EXIT_USAGE) {
			rc = r;
			break;
		}
		if (r > rc)
			rc = r;
	}
	free(line);
	free(loaded);
	fclose(f);
	policy_release(&ir);
	src_set_release(&srcs);
	return rc;
}

