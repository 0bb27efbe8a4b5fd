/* sbox launch: run a program in a container, creating it on first use. */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/grants.h"
#include "cli/launch_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

const char cmd_launch_usage[] =
	"usage: sbox launch [OPTIONS] [NAME|DEFINITION] [-- PROGRAM ARGS...]\n"
	"\n"
	"Runs PROGRAM (or the definition's \"program\") in the container NAME,\n"
	"or in the container of DEFINITION, created first if it does not exist.\n"
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
	"With a terminal, the program runs on a new pseudo-terminal of its own\n"
	"(its controlling terminal: job control, Ctrl-C, Ctrl-Z, /dev/tty and\n"
	"full-screen programs work; window size changes are passed on). sbox\n"
	"puts your terminal in raw mode, copies both ways and restores it when\n"
	"the launch ends; the program never holds your terminal itself. Only\n"
	"the standard descriptors that are terminals go on the pty: files and\n"
	"pipes pass straight through. Without a terminal nothing changes.\n";

struct launch_own {
	const char *name;
};

static const struct cli_opt launch_own_opts[] = {
	{ "name", 0, "NAME", cli_set_string, offsetof(struct launch_own, name),
	  "the container to use for a launch with grants (default: the "
	  "definition's name, else the preset's)" },
	CLI_OPT_END,
};

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
names_definition(const char *what)
{
	return is_file(what) && (strchr(what, '/') || cli_is_definition(what));
}

/* The container `name`, created from def when it does not exist. */
static int
find_or_create(struct container_store *st, const char *name,
	       const struct container_def *def, struct container_info *ci,
	       struct sbox_err *err)
{
	struct sbox_err quiet = SBOX_ERR_INIT;

	if (name && container_find(st, name, ci, &quiet) == 0)
		return 0;
	return container_create_from_def(st, def, name, ci, err);
}

/* The definition file's container, created when missing. */
static int
open_definition(struct container_store *st, const char *path,
		struct container_info *ci, struct sbox_err *err)
{
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	int rc;

	src_set_init(&srcs);
	if (cli_def_load(path, &none, &srcs, &def)) {
		src_set_release(&srcs);
		return err_set(err, SBOX_E_INVALID, "definition '%s' has errors",
			       path);
	}
	rc = find_or_create(st, def.name, &def, ci, err);
	def_release(&def);
	src_set_release(&srcs);
	return rc;
}

static int
load_stored_definition(const struct container_info *ci,
		       struct container_def *def)
{
	struct src_set srcs;
	int rc;
	struct def_vars none = { NULL, NULL, NULL, NULL };

	src_set_init(&srcs);
	rc = cli_def_load(ci->definition_path, &none, &srcs, def);
	src_set_release(&srcs);
	return rc;
}

/* Without grants: the container NAME or DEFINITION names, as stored. */
static int
launch_plain(struct container_store *st, const char *what,
	     const struct launch_opts *opts)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	int rc;

	if ((names_definition(what) ? open_definition(st, what, &ci, &err)
				    : container_find(st, what, &ci, &err)) < 0 ||
	    container_hold(st, &ci, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = load_stored_definition(&ci, &def);
	if (rc)
		goto out;
	rc = launch_in_container(&def, st, &ci, opts, NULL);
	def_release(&def);
out:
	container_info_release(&ci);
	return rc;
}

/* The container's name for a launch with grants and no NAME. */
static const char *
grants_container_name(const struct cli_grants *g, const struct launch_own *o)
{
	if (o->name)
		return o->name;
	return g->presets.nr ? g->presets.v[g->presets.nr - 1] : "base";
}

/*
 * With grants: the policy is the document built from the command line
 * (on top of NAME's stored definition, or DEFINITION, or the presets);
 * the container is NAME, DEFINITION's (or --name), or the preset's.
 */
static int
launch_with_grants(struct container_store *st, const char *what,
		   const struct cli_grants *g, const struct launch_own *o,
		   const struct launch_opts *opts)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	char *base = NULL;
	const char *name = o->name;
	int rc;

	if (what && !names_definition(what)) {
		if (o->name)
			return cli_usage_error("launch", "--name is for a "
					       "DEFINITION or grants alone; "
					       "'%s' is a container", what);
		if (container_find(st, what, &ci, &err) < 0)
			return cli_report(&err);
		base = xstrdup(ci.definition_path);
		name = what;
		container_info_release(&ci);
	} else if (what) {
		base = xstrdup(what);
	} else {
		name = grants_container_name(g, o);
	}
	src_set_init(&srcs);
	rc = cli_def_load_grants(base, g, name, &none, &srcs, &def);
	free(base);
	if (rc)
		goto out_srcs;
	if (find_or_create(st, def.name, &def, &ci, &err) < 0 ||
	    container_hold(st, &ci, &err) < 0)
		rc = cli_report(&err);
	else
		rc = launch_in_container(&def, st, &ci, opts, NULL);
	def_release(&def);
	container_info_release(&ci);
out_srcs:
	src_set_release(&srcs);
	return rc;
}

int
cmd_launch(int argc, char **argv)
{
	struct launch_opts opts;
	struct cli_grants grants;
	struct launch_own own = { NULL };
	const struct cli_optgroup groups[] = {
		{ launch_common_opts, &opts },
		{ cli_grant_opts, &grants },
		{ launch_own_opts, &own },
		{ NULL, NULL },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
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
	if (!what && !grants.given && !own.name) {
		rc = cli_usage_error("launch", "expected NAME or DEFINITION "
				     "(or grants such as --preset, --write)");
		goto out;
	}
	if (container_store_open(&st, &err) < 0)
		rc = cli_report(&err);
	else if (grants.given || own.name)
		rc = launch_with_grants(&st, what, &grants, &own, &opts);
	else
		rc = launch_plain(&st, what, &opts);
	container_store_release(&st);
out:
	cli_grants_release(&grants);
	cli_args_release(&a);
	return rc;
}
