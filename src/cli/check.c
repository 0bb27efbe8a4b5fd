/*
 * sbox check [options] FILE...: lint SBPL profiles (and, later,
 * container definitions). Diagnostics go to stdout as
 * "file:line:col: level: message [ID]" with the source line and a caret,
 * or as one JSON document with --format json.
 *
 * Exit: 0 no errors, 1 errors found, 2 bad usage or unreadable input.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "sbpl/check_def.h"
#include "policy/policy.h"
#include "policy/vocab.h"
#include "sbpl/sbpl.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char cmd_check_usage[] =
	"usage: sbox check [-I DIR] [-D KEY=VALUE] [--prepend FILE] [--macos VERSION]\n"
	"           [--strict-params] [--disable ID] [--format text|json] FILE...\n"
	"\n"
	"  -I DIR             search DIR for (import \"x.sb\"); repeatable, in order\n"
	"  -D KEY=VALUE       supply (param \"KEY\"); repeatable\n"
	"  --prepend FILE     evaluate FILE first (a fragment's base profile)\n"
	"  --macos VERSION    check against this release's vocabulary\n"
	"                     (10.12 .. 10.15, 11 .. 15, or latest:\n"
	"                     everything known, also for 16 and later; default latest)\n"
	"  --strict-params    a missing (param) is #f, as on macOS\n"
	"  --disable ID       drop diagnostics with this ID; repeatable\n"
	"  --format FMT       text (default) or json\n"
	"  --list-checks      print the check catalogue and exit\n"
	"\n"
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
};

static void
check_opts_release(struct check_opts *o)
{
	free(o->includes.v);
	free(o->params.v);
	free(o->prepend.v);
	free(o->disabled.v);
	free(o->files.v);
}

/* -D KEY=VALUE: split in place (argv strings are ours to modify). */
static int
add_param(struct check_opts *o, char *kv)
{
	char *eq = strchr(kv, '=');

	if (!eq || eq == kv)
		return cli_usage_error("check", "-D needs KEY=VALUE, got '%s'", kv);
	*eq = '\0';
	strvec_push(&o->params, kv);
	strvec_push(&o->params, eq + 1);
	return 0;
}

static int
parse_args(int argc, char **argv, struct check_opts *o)
{
	enum { OPT_PREPEND = 256, OPT_MACOS, OPT_STRICT, OPT_DISABLE, OPT_FORMAT,
	       OPT_LIST };
	static const struct option longopts[] = {
		{ "prepend", required_argument, NULL, OPT_PREPEND },
		{ "macos", required_argument, NULL, OPT_MACOS },
		{ "strict-params", no_argument, NULL, OPT_STRICT },
		{ "disable", required_argument, NULL, OPT_DISABLE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "list-checks", no_argument, NULL, OPT_LIST },
		{ "include", required_argument, NULL, 'I' },
		{ "define", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "I:D:", longopts, NULL)) != -1) {
		switch (c) {
		case 'I':
			strvec_push(&o->includes, optarg);
			break;
		case 'D':
			if (add_param(o, optarg))
				return EXIT_USAGE;
			break;
		case OPT_PREPEND:
			strvec_push(&o->prepend, optarg);
			break;
		case OPT_MACOS:
			o->vocab = vocab_for_release(optarg);
			if (!o->vocab)
				return cli_usage_error("check", "unknown macOS release '%s' "
						       "(10.12 .. 10.15, 11 and later, latest)",
						       optarg);
			break;
		case OPT_STRICT:
			o->strict_params = true;
			break;
		case OPT_DISABLE:
			if (!sbpl_check_find(optarg))
				return cli_usage_error("check", "unknown check ID '%s' "
						       "(see sbox check --list-checks)", optarg);
			strvec_push(&o->disabled, optarg);
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o->json = true;
			else if (strcmp(optarg, "text"))
				return cli_usage_error("check", "--format must be text or json");
			break;
		case OPT_LIST:
			o->list_checks = true;
			break;
		default:
			if (optopt && optopt < 256)
				return cli_usage_error("check", "option '-%c' %s", optopt,
						       strchr("ID", optopt) ? "needs an argument"
									    : "is unknown");
			return cli_usage_error("check", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		strvec_push(&o->files, argv[i]);
	if (!o->files.nr && !o->list_checks)
		return cli_usage_error("check", "no input files");
	return 0;
}

static void
list_checks(void)
{
	for (const struct sbpl_check *c = sbpl_checks; c->id; c++)
		printf("%-24s %-8s %s\n", c->id, diag_level_name(c->level), c->reason);
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
	if (cli_is_definition(path))
		return sbpl_check_def(path, &so, srcs, diags);
	policy_init(&pol, o->vocab ? o->vocab : vocab_latest());
	rc = sbpl_eval_file(path, &so, srcs, diags, &pol);
	policy_release(&pol);
	return rc;
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
	if (rc || o.list_checks) {
		if (!rc)
			list_checks();
		check_opts_release(&o);
		return rc;
	}
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
