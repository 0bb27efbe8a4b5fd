/*
 * sbox check [options] FILE...: lint SBPL profiles (and, later,
 * container definitions). Diagnostics go to stdout as
 * "file:line:col: level: message [ID]" with the source line and a caret,
 * or as one JSON document with --format json.
 *
 * Exit: 0 no errors, 1 errors found, 2 bad usage or unreadable input.
 */
#include "cli/cli.h"
#include "cli/project.h"
#include "cli/cli_def.h"
#include "sbpl/check_def.h"
#include "policy/policy.h"
#include "policy/vocab.h"
#include "sbpl/sbpl.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/xalloc.h"

/* of the --format json documents of check (diagnostics, --list-checks) */
#define CHECK_JSON_VERSION 1

#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char cmd_check_usage[] =
	"usage: sbox check [OPTIONS] FILE...\n"
	"\n"
	"Lints SBPL profiles and container definitions (.json, .plist); FILE\n"
	"\"-\" reads a profile from standard input. Diagnostics are\n"
	"file:line:col: level: message [ID], coloured on a terminal (NO_COLOR\n"
	"turns that off).\n";

const char cmd_check_epilog[] =
	"Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.\n";

struct strvec {
	const char **v;
	size_t nr, alloc;
};

static void
strvec_push(struct strvec *sv, const char *s)
{
	ALLOC_GROW(sv->v, sv->nr + 2, sv->alloc);
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
}

struct check_opts {
	struct strvec includes, params, prepend, disabled;
	const struct vocab *vocab;
	bool strict_params;
	bool json;
	bool list_checks;
	struct strvec files;
	char *project;               /* -C, real path */
	const char *project_problem; /* the current folder cannot be one */
};

static void
check_opts_release(struct check_opts *o)
{
	free(o->includes.v);
	free(o->params.v);
	free(o->prepend.v);
	free(o->disabled.v);
	free(o->files.v);
	free(o->project);
}

static int
opt_include(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	(void)o;
	(void)cmd;
	strvec_push(&((struct check_opts *)ctx)->includes, val);
	return CLI_CONTINUE;
}

/* -D KEY=VALUE: split in place (argv strings are ours to modify). */
static int
opt_define(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct check_opts *c = ctx;
	char *eq = strchr(val, '=');

	if (!eq || eq == val)
		return cli_opt_error(cmd, o, "expected KEY=VALUE, not '%s'", val);
	*eq = '\0';
	strvec_push(&c->params, val);
	strvec_push(&c->params, eq + 1);
	return CLI_CONTINUE;
}

static int
opt_prepend(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	(void)o;
	(void)cmd;
	strvec_push(&((struct check_opts *)ctx)->prepend, val);
	return CLI_CONTINUE;
}

static int
opt_macos(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct check_opts *c = ctx;

	c->vocab = vocab_for_release(val);
	if (!c->vocab)
		return cli_opt_error(cmd, o, "unknown macOS release '%s' (10.12 "
				     ".. 10.15, 11 and later, latest)", val);
	return CLI_CONTINUE;
}

static int
opt_bool(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct check_opts *c = ctx;

	(void)val;
	(void)cmd;
	if (o->value)
		c->list_checks = true;
	else
		c->strict_params = true;
	return CLI_CONTINUE;
}

static size_t
check_count(void)
{
	size_t n = 0;

	while (sbpl_checks[n].id)
		n++;
	return n;
}

static int
opt_disable(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	const char *near;

	if (sbpl_check_find(val)) {
		strvec_push(&((struct check_opts *)ctx)->disabled, val);
		return CLI_CONTINUE;
	}
	near = suggest_closest_in(val, sbpl_checks, check_count(),
				  sizeof(*sbpl_checks));
	if (near)
		return cli_opt_error(cmd, o, "unknown check ID '%s' (did you "
				     "mean '%s'?)", val, near);
	return cli_opt_error(cmd, o, "unknown check ID '%s' (see sbox check "
			     "--list-checks)", val);
}

static int
opt_format(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	int f = cli_parse_format(val);

	if (f < 0)
		return cli_opt_error(cmd, o, "expected text or json, not '%s'",
				     val);
	((struct check_opts *)ctx)->json = f == 1;
	return CLI_CONTINUE;
}

static const struct cli_opt check_opts_table[] = {
	{ "include", 'I', "DIR", opt_include, 0,
	  "search DIR for (import \"x.sb\"); repeatable, in order" },
	{ "define", 'D', "KEY=VALUE", opt_define, 0,
	  "supply (param \"KEY\"); repeatable" },
	{ "project", 'C', "DIR", cli_set_project,
	  offsetof(struct check_opts, project),
	  "the project of definitions (${PROJECT}); default: the current"
	  " folder, an error when it is /, a home folder or holds one and a"
	  " definition uses ${PROJECT}" },
	{ "prepend", 0, "FILE", opt_prepend, 0,
	  "evaluate FILE first (a fragment's base profile)" },
	{ "macos", 0, "VERSION", opt_macos, 0,
	  "check against this release's vocabulary (10.12 .. 10.15, 11 .. 15,"
	  " or latest: everything known, also for 16 and later; default"
	  " latest)" },
	{ "strict-params", 0, NULL, opt_bool, 0,
	  "a missing (param) is #f, as on macOS" },
	{ "disable", 0, "ID", opt_disable, 0,
	  "drop diagnostics with this ID; repeatable" },
	{ "format", 0, "text|json", opt_format, 0, "output format" },
	{ "list-checks", 0, NULL, opt_bool, 1,
	  "print the check catalogue and exit" },
	CLI_OPT_END,
};

static int
parse_args(int argc, char **argv, struct check_opts *o)
{
	const struct cli_optgroup groups[] = {
		{ check_opts_table, o },
		{ NULL, NULL },
	};
	struct cli_args a;
	int rc = cli_parse("check", argc, argv, groups, &a);

	if (rc != CLI_CONTINUE) {
		cli_args_release(&a);
		return rc;
	}
	for (size_t i = 0; i < a.npos; i++)
		strvec_push(&o->files, a.pos[i]);
	for (size_t i = 0; a.rest && a.rest[i]; i++)
		strvec_push(&o->files, a.rest[i]);
	cli_args_release(&a);
	if (!o->files.nr && !o->list_checks)
		return cli_usage_error("check", "no input files");
	return CLI_CONTINUE;
}

static int
list_checks(bool json)
{
	json_t *root, *arr;
	char *s;

	if (!json) {
		for (const struct sbpl_check *c = sbpl_checks; c->id; c++)
			printf("%-24s %-8s %s\n", c->id,
			       diag_level_name(c->level), c->reason);
		return EXIT_OK;
	}
	arr = json_array();
	for (const struct sbpl_check *c = sbpl_checks; c->id; c++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "id",
			c->id, "severity", diag_level_name(c->level),
			"reason", c->reason));
	root = json_pack("{s:i, s:o}", "version", CHECK_JSON_VERSION,
			 "checks", arr);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(root);
	return EXIT_OK;
}

/* Standard input as a string ("sbox check -"), or NULL. */
static char *
read_stdin(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(stdin)) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/*
 * Check one file. This is where other kinds of input are dispatched:
 * container definitions (.json, .plist) go to the definitions checker
 * once it exists; everything else is SBPL.
 */
static int
check_one(const char *path, const struct check_opts *o, struct src_set *srcs,
	  struct diag_list *diags)
{
	struct sbpl_opts so = SBPL_OPTS_INIT;
	struct policy pol;
	int rc;

	so.vocab = o->vocab;
	so.include_dirs = o->includes.v;
	so.params = o->params.v;
	so.prepend = o->prepend.v;
	so.strict_params = o->strict_params;
	so.project_problem = o->project_problem;
	rc = cli_as_user();
	if (rc)
		return rc;
	if (cli_is_definition(path)) {
		rc = sbpl_check_def(path, &so, srcs, diags);
	} else if (!strcmp(path, "-")) {
		char *text = read_stdin();

		policy_init(&pol, o->vocab ? o->vocab : vocab_latest());
		rc = text ? sbpl_eval_string("<stdin>", text, &so, srcs, diags,
					     &pol) : -1;
		if (!text)
			cli_error("cannot read standard input: %s",
				  strerror(errno));
		free(text);
		policy_release(&pol);
	} else {
		policy_init(&pol, o->vocab ? o->vocab : vocab_latest());
		rc = sbpl_eval_file(path, &so, srcs, diags, &pol);
		policy_release(&pol);
	}
	cli_as_root();
	return rc;
}

/* ${PROJECT} of definitions: -C, else -D PROJECT=, else the current
 * folder under launch's rule (cli/project.c). */
static void
project_param(struct check_opts *o)
{
	char *cwd;

	for (size_t i = 0; i + 1 < o->params.nr; i += 2)
		if (!strcmp(o->params.v[i], "PROJECT"))
			return;
	if (o->project) {
		strvec_push(&o->params, "PROJECT");
		strvec_push(&o->params, o->project);
		return;
	}
	cwd = realpath(".", NULL);
	o->project_problem = cwd ? cli_project_problem(cwd) : NULL;
	free(cwd);
}

static json_t *
diag_to_json(const struct diag *d)
{
	json_t *j = json_object();
	unsigned line, col;

	json_object_set_new(j, "severity", json_string(diag_level_name(d->level)));
	json_object_set_new(j, "message", json_string(d->msg));
	if (d->id)
		json_object_set_new(j, "id", json_string(d->id));
	if (d->loc.file) {
		src_linecol(d->loc.file, d->loc.start, &line, &col);
		json_object_set_new(j, "file", json_string(d->loc.file->name));
		json_object_set_new(j, "line", json_integer(line));
		json_object_set_new(j, "column", json_integer(col));
		src_linecol(d->loc.file, d->loc.end, &line, &col);
		json_object_set_new(j, "end_line", json_integer(line));
		json_object_set_new(j, "end_column", json_integer(col));
	}
	if (d->related)
		json_object_set_new(j, "related", diag_to_json(d->related));
	return j;
}

static void
print_json(const struct diag_list *dl, size_t nfiles, int worst)
{
	json_t *root = json_object(), *arr = json_array();
	char *s;

	for (size_t i = 0; i < dl->nr; i++)
		json_array_append_new(arr, diag_to_json(&dl->v[i]));
	json_object_set_new(root, "version", json_integer(CHECK_JSON_VERSION));
	json_object_set_new(root, "files", json_integer((json_int_t)nfiles));
	json_object_set_new(root, "errors", json_integer((json_int_t)dl->nerrors));
	json_object_set_new(root, "warnings", json_integer((json_int_t)dl->nwarnings));
	json_object_set_new(root, "status", json_integer(worst));
	json_object_set_new(root, "diagnostics", arr);
	s = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (s)
		puts(s);
	free(s);
	json_decref(root);
}

int
cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct src_set srcs;
	struct diag_list diags;
	int worst = EXIT_OK, rc;

	memset(&o, 0, sizeof(o));
	rc = parse_args(argc, argv, &o);
	if (rc != CLI_CONTINUE || o.list_checks) {
		if (rc == CLI_CONTINUE)
			rc = list_checks(o.json);
		check_opts_release(&o);
		return rc;
	}
	project_param(&o);
	src_set_init(&srcs);
	diag_list_init(&diags);
	diags.disabled = o.disabled.v;
	for (size_t i = 0; i < o.files.nr; i++) {
		rc = check_one(o.files.v[i], &o, &srcs, &diags);
		if (rc < 0)
			worst = EXIT_USAGE;
		else if (rc > 0 && worst == EXIT_OK)
			worst = EXIT_FINDINGS;
	}
	if (o.json)
		print_json(&diags, o.files.nr, worst);
	else
		cli_write_diags(&diags, stdout);
	fflush(stdout);
	diag_list_release(&diags);
	src_set_release(&srcs);
	check_opts_release(&o);
	return worst;
}
