/*
 * sbox explain PROFILE|DEFINITION OPERATION [ARGUMENT]: which rule decides
 * one access, and the operations walked to find it (policy/decide.h).
 */
#include "cli/cli.h"
#include "cli/project.h"
#include "cli/cli_def.h"
#include "cli/explain_linux.h"
#include "cli/explain.h"
#include "def/def_access.h"
#include "policy/decide.h"
#include "policy/vocab.h"
#include "sbpl/emit.h"
#include "sbpl/sbpl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_explain_usage[] =
	"usage: sbox explain [OPTIONS] PROFILE|DEFINITION OPERATION [ARGUMENT]\n"
	"       sbox explain [OPTIONS] --from-trace FILE [DEFINITION]\n"
	"\n"
	"Says which rule decides one access: ARGUMENT is a path, host:port, or a\n"
	"name (mach service, sysctl, ...).\n";

const char cmd_explain_epilog[] =
	"Exit status: 0 allow, 1 deny, 2 bad input.\n";

/* The text of a rule: its source line for profiles, SBPL for the rest. */
static void
rule_text(const struct policy_rule *r, struct strbuf *out)
{
	const struct policy_filter *f = r->filter;

	strbuf_addf(out, "(%s %s", r->action == POLICY_ALLOW ? "allow" : "deny",
		    r->op);
	if (f && f->kind == PF_MATCH) {
		strbuf_addf(out, " (%s", f->name);
		for (size_t i = 0; i < f->nargs; i++) {
			strbuf_addch(out, ' ');
			if (f->args[i].kind == PV_STRING || f->args[i].kind == PV_REGEX)
				strbuf_add_quoted(out, f->args[i].str);
			else if (f->args[i].str)
				strbuf_addstr(out, f->args[i].str);
			else
				strbuf_addf(out, "%lld", (long long)f->args[i].num);
		}
		strbuf_addch(out, ')');
	} else if (f) {
		strbuf_addstr(out, " ...");
	}
	strbuf_addch(out, ')');
}

static void
rule_where(const struct policy_rule *r, struct strbuf *out)
{
	unsigned line, col;

	if (!r->loc.file) {
		/* (deny default), start-up rules: sbox wrote them */
		strbuf_addstr(out, "the compiled profile");
		return;
	}
	src_linecol(r->loc.file, r->loc.start, &line, &col);
	strbuf_addf(out, "%s:%u:%u", r->loc.file->name, line, col);
}

static const char *
how_name(enum decide_how how)
{
	static const char *const names[] = { "filtered", "unfiltered", "builtin", "default" };

	return names[how];
}

void
explain_print_text(const struct decision *d, const char *op, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;

	printf("%s %s%s%s\n", d->action == POLICY_ALLOW ? "allow" : "deny", op,
	       arg ? " " : "", arg ? arg : "");
	switch (d->how) {
	case DECIDE_FILTERED:
	case DECIDE_UNFILTERED:
		rule_where(d->rule, &sb);
		strbuf_addstr(&sb, ": ");
		rule_text(d->rule, &sb);
		printf("  decided by: %s\n", sb.buf);
		printf("  because:    %s rule of %s%s\n",
		       d->how == DECIDE_FILTERED ? "the last matching filtered"
						 : "no filtered rule matched; the unfiltered",
		       d->op,
		       d->how == DECIDE_UNFILTERED ? " (the operation's fallback)" : "");
		break;
	case DECIDE_BUILTIN:
		printf("  decided by: the built-in action of %s (%s even under (deny default); see chromium sandbox/policy/mac/renderer.sb: \"These operations are allowed by default\")\n",
		       d->op, d->action == POLICY_ALLOW ? "allowed" : "denied");
		break;
	case DECIDE_ROOT:
		printf("  decided by: no rule; default denies\n");
		break;
	}
	printf("  chain:      ");
	for (size_t i = 0; i < d->nchain; i++)
		printf("%s%s", i ? " -> " : "", d->chain[i]);
	printf("\n");
	if (d->uncertain) {
		strbuf_reset(&sb);
		rule_where(d->uncertain, &sb);
		strbuf_addstr(&sb, ": ");
		rule_text(d->uncertain, &sb);
		printf("  note:       %s has a filter that cannot be evaluated for this request; treated as not matching\n",
		       sb.buf);
	}
	strbuf_release(&sb);
}

static json_t *
rule_json(const struct policy_rule *r)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object();

	rule_text(r, &sb);
	json_object_set_new(o, "text", json_string(sb.buf));
	if (r->loc.file) {
		unsigned line, col;

		src_linecol(r->loc.file, r->loc.start, &line, &col);
		json_object_set_new(o, "file", json_string(r->loc.file->name));
		json_object_set_new(o, "line", json_integer(line));
		json_object_set_new(o, "column", json_integer(col));
	} else {
		json_object_set_new(o, "file", json_null());
	}
	json_object_set_new(o, "operation", json_string(r->op));
	strbuf_release(&sb);
	return o;
}

void
explain_print_json(const struct decision *d, const char *op, const char *arg)
{
	json_t *o = json_object(), *chain = json_array();
	char *text;

	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "target", json_string("macos"));
	json_object_set_new(o, "decision", json_string(
		d->action == POLICY_ALLOW ? "allow" : "deny"));
	json_object_set_new(o, "operation", json_string(op));
	json_object_set_new(o, "argument", arg ? json_string(arg) : json_null());
	json_object_set_new(o, "how", json_string(how_name(d->how)));
	json_object_set_new(o, "decided_by_operation", json_string(d->op));
	json_object_set_new(o, "rule", d->rule ? rule_json(d->rule) : json_null());
	for (size_t i = 0; i < d->nchain; i++)
		json_array_append_new(chain, json_string(d->chain[i]));
	json_object_set_new(o, "chain", chain);
	json_object_set_new(o, "uncertain",
			    d->uncertain ? rule_json(d->uncertain) : json_null());
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(o);
}

/*
 * The definition's sbpl escape hatch (imports, raw), evaluated after the
 * emitted rules exactly where the compiled profile has it: at the end.
 */
static int
append_escape_hatch(const char *path, const struct container_def *def,
		    struct explain_opts *o, struct src_set *srcs,
		    struct policy *ir)
{
	struct sbpl_opts so = SBPL_OPTS_INIT;
	struct strbuf text = STRBUF_INIT;
	struct diag_list diags;
	char *name = xasprintf("%s (sbpl)", path), *dir;
	const char *slash = strrchr(path, '/');
	const char *dirs[EXPLAIN_MAX_PARAMS + 2] = { NULL };
	int rc;

	strbuf_addstr(&text, "(version 1)\n");
	for (size_t i = 0; i < def->sbpl_import.nr; i++) {
		strbuf_addstr(&text, "(import ");
		strbuf_add_quoted(&text, def->sbpl_import.v[i]);
		strbuf_addstr(&text, ")\n");
	}
	if (def->sbpl_raw)
		strbuf_addstr(&text, def->sbpl_raw);
	so.vocab = ir->vocab;
	so.params = o->params;
	/* imports resolve next to the definition first, as at launch */
	dirs[0] = dir = slash ? xstrndup(path, (size_t)(slash - path))
			      : xstrdup(".");
	for (size_t i = 0; i < o->nincludes; i++)
		dirs[i + 1] = o->includes[i];
	so.include_dirs = dirs;
	diag_list_init(&diags);
	rc = cli_as_user();
	if (rc == 0) {
		rc = sbpl_eval_string(name, text.buf, &so, srcs, &diags, ir);
		cli_as_root();
	}
	free(dir);
	if (rc != 0)
		cli_print_diags(&diags);
	diag_list_release(&diags);
	strbuf_release(&text);
	free(name);
	return rc == 0 ? 0 : EXIT_USAGE;
}

/* The IR of a definition: the emitter's rules, located in the definition. */
/* Load the definition at path, with ${PROJECT} as launch picks it
 * (cli/project.c) unless -D PROJECT= gave it; 0 or the exit status. */
static int
load_def(const char *path, struct explain_opts *o, struct src_set *srcs,
	 struct container_def *def)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int rc = cli_def_load(path, &o->vars, srcs, def);

	if (rc || o->vars.project)
		return rc;
	o->project_buf = cli_project_for(def, NULL, "explain");
	o->vars.project = o->project_buf;
	if (o->project_buf && def_resolve_partial(def, &o->vars, &err) == 0)
		return 0;
	rc = o->project_buf ? cli_report(&err) : EXIT_USAGE;
	def_release(def);
	return rc;
}

int
explain_load_definition(const char *path, struct explain_opts *o, struct src_set *srcs,
		struct policy *ir)
{
	struct container_def def;
	struct strbuf text = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	int rc = load_def(path, o, srcs, &def);

	if (rc)
		return rc;
	if (sbpl_emit_def_ir(&def, &text, &params, ir, &err) < 0)
		rc = cli_report(&err);
	else if (def.sbpl_raw || def.sbpl_import.nr)
		rc = append_escape_hatch(path, &def, o, srcs, ir);
	def_strlist_release(&params);
	strbuf_release(&text);
	def_release(&def);
	return rc;
}

static int
load_profile(const char *path, struct explain_opts *o, struct src_set *srcs,
	     struct policy *ir)
{
	struct sbpl_opts so = SBPL_OPTS_INIT;
	struct diag_list diags;
	int rc;

	so.vocab = ir->vocab;
	so.params = o->params;
	so.include_dirs = o->includes;
	diag_list_init(&diags);
	rc = cli_as_user();
	if (rc == 0) {
		rc = sbpl_eval_file(path, &so, srcs, &diags, ir);
		cli_as_root();
	}
	/* a profile that does not evaluate cannot be explained; lint
	 * findings of one that does are `sbox check`'s business */
	if (rc != 0)
		cli_print_diags(&diags);
	diag_list_release(&diags);
	return rc == 0 ? 0 : EXIT_USAGE;
}

static int
parse_define(struct explain_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv || o->nparams == EXPLAIN_MAX_PARAMS)
		return -1;
	/* the same -D serves both kinds of input */
	cli_def_var(kv, &o->vars);
	o->params[2 * o->nparams] = xstrndup(kv, (size_t)(eq - kv));
	o->params[2 * o->nparams + 1] = eq + 1;
	o->nparams++;
	o->params[2 * o->nparams] = NULL;
	return 0;
}

static int
opt_define(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	if (parse_define(ctx, val) < 0)
		return cli_opt_error(cmd, o, "expected KEY=VALUE, not '%s'", val);
	return CLI_CONTINUE;
}

static int
opt_include(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct explain_opts *e = ctx;

	if (e->nincludes == EXPLAIN_MAX_PARAMS)
		return cli_opt_error(cmd, o, "more than %d folders",
				     EXPLAIN_MAX_PARAMS);
	e->includes[e->nincludes++] = val;
	return CLI_CONTINUE;
}

static int
opt_format(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	if (cli_parse_format(val) < 0)
		return cli_opt_error(cmd, o, "expected text or json, not '%s'",
				     val);
	((struct explain_opts *)ctx)->format = val;
	return CLI_CONTINUE;
}

static const struct cli_opt explain_opts_table[] = {
	{ "format", 0, "text|json", opt_format, 0, "output format (default text)" },
	{ "define", 'D', "KEY=VALUE", opt_define, 0,
	  "profile parameter; for a definition: HOME, CONTAINER, PROJECT or"
	  " TMPDIR (default: $HOME, the current folder, $TMPDIR)" },
	{ "project", 'C', "DIR", cli_set_string,
	  offsetof(struct explain_opts, project_arg),
	  "the project (${PROJECT}) of a definition; default: the current"
	  " folder, refused when it is /, a home folder or holds one (as sbox"
	  " launch does)" },
	{ "include", 'I', "DIR", opt_include, 0,
	  "folder searched by (import \"x.sb\") in profiles" },
	{ "target", 0, "macos|linux", cli_set_string,
	  offsetof(struct explain_opts, target),
	  "answer with the SBPL profile or with the Linux launch plan (a"
	  " DEFINITION and a file operation); default: for a DEFINITION the"
	  " system sbox runs on (" SBOX_HOST_TARGET "), for a PROFILE.sb,"
	  " --macos VERSION and --from-trace macos" },
	{ "macos", 0, "VERSION", cli_set_string,
	  offsetof(struct explain_opts, release),
	  "the macOS release whose operation table applies: 10.12 .. 10.15,"
	  " 11 .. 15, or latest (default; also for 16 and later); implies"
	  " --target macos" },
	{ "from-trace", 0, "FILE", cli_set_string,
	  offsetof(struct explain_opts, from_trace),
	  "explain each record of --trace=FILE (launch, run, learn), against"
	  " DEFINITION or the definition the record names" },
	CLI_OPT_END,
};

static int
parse_options(int argc, char **argv, struct explain_opts *o, char **pos,
	      int *npos)
{
	const struct cli_optgroup groups[] = {
		{ explain_opts_table, o },
		{ NULL, NULL },
	};
	struct cli_args a;
	int rc = cli_parse("explain", argc, argv, groups, &a);

	if (rc == CLI_CONTINUE && o->from_trace && a.npos > 1)
		rc = cli_usage_error("explain", "--from-trace takes at most a "
				     "DEFINITION");
	else if (rc == CLI_CONTINUE && (a.npos > 3 || a.dashdash))
		rc = cli_usage_error("explain", "unexpected '%s': expected "
				     "PROFILE|DEFINITION OPERATION [ARGUMENT]",
				     a.npos > 3 ? a.pos[3] : "--");
	else if (rc == CLI_CONTINUE && a.npos < 2 && !o->from_trace)
		rc = cli_usage_error("explain", "expected PROFILE|DEFINITION "
				     "OPERATION [ARGUMENT]");
	for (size_t i = 0; rc == CLI_CONTINUE && i < a.npos; i++)
		pos[(*npos)++] = a.pos[i];
	cli_args_release(&a);
	return rc;
}

const char *
explain_pick_target(const char *given, int has_release, int profile,
		    int from_trace)
{
	if (given)
		return given;
	/* only the macOS model reads SBPL, knows releases, and finds the
	 * rule a trace record cites in the definition */
	if (profile || has_release || from_trace)
		return "macos";
	return SBOX_HOST_TARGET;
}

static int
explain_definition_linux(struct explain_opts *o, char **pos)
{
	struct container_def def;
	struct src_set srcs;
	int rc;

	if (o->from_trace)
		return cli_usage_error("explain", "--from-trace finds the rule "
				       "of the definition that decides each "
				       "record, which only --target macos (its "
				       "default) does; on Linux each record's "
				       "\"why\" already holds the launch "
				       "plan's answer");
	if (!cli_is_definition(pos[0]))
		return cli_usage_error("explain", "--target linux explains a "
				       "DEFINITION, not a profile");
	src_set_init(&srcs);
	rc = load_def(pos[0], o, &srcs, &def);
	if (rc == 0) {
		rc = explain_linux(&def, &o->vars, pos[1], pos[2],
				   !strcmp(o->format, "json"));
		def_release(&def);
	}
	src_set_release(&srcs);
	return rc;
}

/* The project as launch picks it (cli/project.c); 0 or an exit status. */
static int
default_vars(struct explain_opts *o, int definition, char **project)
{
	struct def_vars *v = &o->vars;

	if (!v->home)
		v->home = getenv("HOME");
	if (!v->tmpdir)
		v->tmpdir = getenv("TMPDIR");
	if (v->project && !o->project_arg)
		return 0;   /* -D PROJECT= */
	if (definition && !o->project_arg)
		return 0;   /* load_definition picks it, as launch does */
	*project = cli_project(o->project_arg, "explain");
	if (!*project)
		return EXIT_USAGE;
	v->project = *project;
	return 0;
}

int
cmd_explain(int argc, char **argv)
{
	struct explain_opts o;
	char *pos[3] = { NULL, NULL, NULL }, *arg = NULL, *project = NULL;
	int npos = 0, rc;
	const struct vocab *vocab;
	struct src_set srcs;
	struct policy ir;
	struct decision d;
	struct sbox_err err = SBOX_ERR_INIT;

	memset(&o, 0, sizeof(o));
	o.format = "text";
	rc = parse_options(argc, argv, &o, pos, &npos);
	if (rc != CLI_CONTINUE)
		return rc;
	if (o.release && o.target && !strcmp(o.target, "linux"))
		return cli_usage_error("explain", "--macos VERSION is for "
				       "--target macos, not linux");
	o.target = explain_pick_target(o.target, o.release != NULL,
				       pos[0] && !cli_is_definition(pos[0]),
				       o.from_trace != NULL);
	vocab = o.release ? vocab_for_release(o.release) : vocab_latest();
	if (!vocab)
		return cli_usage_error("explain", "unknown macOS release '%s'", o.release);
	/* --from-trace loads its definition through explain_load_definition */
	rc = default_vars(&o, o.from_trace || cli_is_definition(pos[0]),
			  &project);
	if (rc)
		goto out_params;
	if (strcmp(o.target, "macos") && strcmp(o.target, "linux")) {
		rc = cli_usage_error("explain", "--target: unknown target '%s' "
				     "(macos or linux)", o.target);
		goto out_params;
	}
	if (!strcmp(o.target, "linux")) {
		rc = explain_definition_linux(&o, pos);
		goto out_params;
	}
	if (o.from_trace) {
		rc = explain_trace(&o, pos[0]);
		goto out_params;
	}
	src_set_init(&srcs);
	policy_init(&ir, vocab);
	rc = cli_is_definition(pos[0]) ? explain_load_definition(pos[0], &o, &srcs, &ir)
				       : load_profile(pos[0], &o, &srcs, &ir);
	if (rc)
		goto out;
	/* the kernel resolves /tmp, /var, /etc before matching (SBPL-SEMANTICS.md §a.5) */
	if (pos[2])
		arg = pos[2][0] == '/' ? def_path_canonical(pos[2]) : xstrdup(pos[2]);
	if (policy_decide(&ir, pos[1], arg, &d, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	if (!strcmp(o.format, "json"))
		explain_print_json(&d, pos[1], arg);
	else
		explain_print_text(&d, pos[1], arg);
	rc = d.action == POLICY_ALLOW ? EXIT_OK : EXIT_FINDINGS;
out:
	free(arg);
	policy_release(&ir);
	src_set_release(&srcs);
out_params:
	free(project);
	free(o.project_buf);
	for (size_t i = 0; i < o.nparams; i++)
		free((char *)o.params[2 * i]);
	return rc;
}
