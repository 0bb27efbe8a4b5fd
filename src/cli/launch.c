/* sbox launch: run a program in a container, creating it on first use. */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/grants.h"
#include "cli/launch_def.h"
#include "cli/launch_util.h"
#include "cli/project.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

const char cmd_launch_usage[] =
	"usage: sbox launch [OPTIONS] [NAME|DEFINITION] [-- PROGRAM ARGS...]\n"
	"\n"
	"Runs PROGRAM (or the definition's \"program\") in the container NAME,\n"
	"or in the container of DEFINITION, created first if it does not exist\n"
	"(and removed again when the launch fails before PROGRAM starts).\n"
	"Options may come before or after NAME; \"--\" ends them. The exit\n"
	"status is the program's (128+N when killed by signal N).\n"
	"\n"
	"Grants (--preset, --read, --write, --exec, --deny, --net, --env) add to\n"
	"the definition for this launch, as a definition file that extends it\n"
	"would. With grants and no NAME or DEFINITION the container is named\n"
	"after the last --preset (\"base\" when none), or --name NAME; its home\n"
	"(Data/) is kept between launches like any container's. Relative paths\n"
	"are relative to the current folder.\n"
	"\n"
	"A DEFINITION runs as the file is now: when it changed since the\n"
	"container was made, the container's stored policy is updated (and\n"
	"sbox says so); a changed \"template\" or \"root\" needs --recreate.\n"
	"A container NAME runs its stored definition only when that is sealed\n"
	"by sbox with your key and is the version sbox sealed last (README\n"
	"\"Stored definitions are sealed\"); one made by an older sbox, or an\n"
	"older version put back, is sealed by one launch of its DEFINITION.\n"
	"The program starts in the project folder, which is also ${PROJECT}:\n"
	"the current folder unless --project names one. A current folder of /,\n"
	"a home folder or a folder holding one is refused.\n"
	"\n"
	"With a terminal, the program runs on a new pseudo-terminal of its own\n"
	"(its controlling terminal: job control, Ctrl-C, Ctrl-Z, /dev/tty and\n"
	"full-screen programs work; window size changes are passed on). sbox\n"
	"puts your terminal in raw mode, copies both ways and restores it when\n"
	"the launch ends; the program never holds your terminal itself. Only\n"
	"the standard descriptors that are terminals go on the pty: files and\n"
	"pipes pass straight through. Without a terminal nothing changes.\n";

static int
set_recreate(void *ctx, const struct cli_opt *o, const char *val,
	     const char *cmd)
{
	(void)o;
	(void)val;
	(void)cmd;
	((struct launch_opts *)ctx)->recreate = 1;
	return CLI_CONTINUE;
}

static const struct cli_opt launch_own_opts[] = {
	{ "name", 0, "NAME", cli_set_string, offsetof(struct launch_opts, name),
	  "use (or create) the container NAME for DEFINITION or grants instead"
	  " of the definition's \"name\" (default with grants alone: the"
	  " last --preset's)" },
	{ "recreate", 0, NULL, set_recreate, 0,
	  "remove DEFINITION's container and build it again (its Data/ is"
	  " lost)" },
	CLI_OPT_END,
};

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What is named: a definition file, or else a container's name. */
static int
names_definition(const char *what)
{
	return is_file(what) && (strchr(what, '/') || cli_is_definition(what));
}

static int
launch_file(const char *path, struct launch_opts *opts)
{
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	int rc;

	src_set_init(&srcs);
	opts->def_path = path;   /* --trace records cite the user's file */
	rc = cli_def_load(path, &none, &srcs, &def);
	if (rc == 0) {
		rc = cli_launch_def(&def, opts);
		def_release(&def);
	}
	src_set_release(&srcs);
	return rc;
}

static int
launch_name(const char *name, struct launch_opts *opts)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	int rc;

	if (cli_store_open(&st, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = cli_load_container(&st, name, &ci, &def);
	if (rc)
		goto out;
	rc = cli_pick_project(&def, opts, "launch");
	if (rc == 0)
		rc = launch_in_container(&def, &st, &ci, opts, NULL);
	free(opts->project_buf);
	def_release(&def);
out:
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}

/*
 * Without grants: DEFINITION as the file is now (cli_launch_def: --name,
 * --recreate), or the container NAME as stored.
 */
static int
launch_plain(const char *what, struct launch_opts *opts)
{
	if (names_definition(what))
		return launch_file(what, opts);
	if (opts->name || opts->recreate)
		return cli_usage_error("launch", "--name and --recreate go "
				       "with a DEFINITION file or grants, not "
				       "a container's name");
	return launch_name(what, opts);
}

/* The container's name for a launch with grants and no NAME. */
static const char *
grants_container_name(const struct cli_grants *g,
		      const struct launch_opts *opts)
{
	if (opts->name)
		return opts->name;
	return g->presets.nr ? g->presets.v[g->presets.nr - 1] : "base";
}

/*
 * The stored definition the grants were put on top of is the one whose
 * seal was checked: it was read again by the loader, and a program that
 * can write the store could have swapped it in between.
 */
static int
loaded_is_verified(const struct src_set *srcs, const char *path,
		   const char *json, size_t len)
{
	char *real = realpath(path, NULL);
	int seen = 0, same = 1;

	for (size_t i = 0; i < srcs->nr; i++) {
		const struct src_file *f = srcs->v[i];

		if (strcmp(f->name, path) && (!real || strcmp(f->name, real)))
			continue;
		seen = 1;
		same = same && f->len == len && !memcmp(f->text, json, len);
	}
	free(real);
	return seen && same;
}

/* Grants on top of the container NAME's stored definition, in NAME. */
static int
launch_name_with_grants(const char *what, const struct cli_grants *g,
			struct launch_opts *opts)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	char *json = NULL;
	size_t len = 0;
	int rc;

	if (opts->name || opts->recreate)
		return cli_usage_error("launch", "--name and --recreate are for "
				       "a DEFINITION or grants alone; '%s' is "
				       "a container", what);
	src_set_init(&srcs);
	if (cli_store_open(&st, &err) < 0 ||
	    container_find(&st, what, &ci, &err) < 0 ||
	    container_read_definition(&st, what, &json, &len, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = cli_def_load_grants(ci.definition_path, g, what, &none, &srcs,
				 &def);
	if (rc)
		goto out;
	if (!loaded_is_verified(&srcs, ci.definition_path, json, len)) {
		cli_error("container '%s' changed while sbox was reading it; "
			  "it is not run", what);
		def_release(&def);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = cli_pick_project(&def, opts, "launch");
	if (rc == 0) {
		if (container_hold(&st, &ci, &err) < 0)
			rc = cli_report(&err);
		else
			rc = launch_in_container(&def, &st, &ci, opts, NULL);
	}
	free(opts->project_buf);
	opts->project_buf = NULL;
	def_release(&def);
out:
	free(json);
	src_set_release(&srcs);
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}

/*
 * With grants: the policy is the document built from the command line
 * (on top of NAME's stored definition, or DEFINITION, or the presets).
 * For DEFINITION or the presets, the container (DEFINITION's, --name's
 * or the preset's) follows the same rule as a DEFINITION alone
 * (cli_launch_def): created, or its stored policy updated to this one; a
 * changed "template" or "root" needs --recreate.
 */
static int
launch_with_grants(const char *what, const struct cli_grants *g,
		   struct launch_opts *opts)
{
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	const char *name = opts->name;
	int rc;

	if (what && !names_definition(what))
		return launch_name_with_grants(what, g, opts);
	if (!what)
		name = grants_container_name(g, opts);
	src_set_init(&srcs);
	rc = cli_def_load_grants(what, g, name, &none, &srcs, &def);
	if (rc == 0) {
		if (what)
			opts->def_path = what;
		rc = cli_launch_def(&def, opts);
		def_release(&def);
	}
	src_set_release(&srcs);
	return rc;
}

int
cmd_launch(int argc, char **argv)
{
	struct launch_opts opts;
	struct cli_grants grants;
	const struct cli_optgroup groups[] = {
		{ launch_common_opts, &opts },
		{ cli_grant_opts, &grants },
		{ launch_own_opts, &opts },
		{ NULL, NULL },
	};
	struct cli_args a;
	const char *what;
	int rc;

	memset(&opts, 0, sizeof(opts));
	memset(&grants, 0, sizeof(grants));
	rc = cli_parse("launch", argc, argv, groups, &a);
	if (rc != CLI_CONTINUE)
		goto out;
	opts.argv = a.rest;
	what = a.npos ? a.pos[0] : NULL;
	if (a.npos > 1) {
		rc = cli_usage_error("launch", "unexpected '%s': put '--' "
				     "before the program and its arguments "
				     "(sbox launch %s -- %s ...)", a.pos[1],
				     a.pos[0], a.pos[1]);
		goto out;
	}
	if (!what && !grants.given && !opts.name) {
		rc = cli_usage_error("launch", "expected NAME or DEFINITION "
				     "(or grants such as --preset, --write)");
		goto out;
	}
	if (grants.given || (!what && opts.name))
		rc = launch_with_grants(what, &grants, &opts);
	else
		rc = launch_plain(what, &opts);
out:
	cli_grants_release(&grants);
	cli_args_release(&a);
	return rc;
}
