#include "cli/launch_def.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/project.h"

static void
say_how(const char *name, const char *source, enum container_use_how how)
{
	switch (how) {
	case CONTAINER_USED:
	case CONTAINER_CREATED:
		break;
	case CONTAINER_UPDATED:
		cli_note("container '%s': the definition changed since the "
			 "last launch; its stored policy is now that of '%s'",
			 name, source ? source : "the definition");
		break;
	case CONTAINER_RECREATED:
		cli_note("container '%s' was built again from '%s'", name,
			 source ? source : "the definition");
		break;
	case CONTAINER_RESEALED:
		cli_note("container '%s' was not sealed with your key (made "
			 "by an older sbox, under another HOME, or the key "
			 "changed): sealed now with the key of this HOME, as "
			 "its definition file is the one you named", name);
		break;
	}
}

/*
 * The definition's container, held. A fresh one that the launch which
 * made it removed as this one found it (fresh.c) is made again.
 */
static int
use_and_hold(struct container_store *st, const struct container_def *def,
	     const struct container_use_opts *uo, struct container_info *ci,
	     enum container_use_how *how, struct sbox_err *err)
{
	for (int round = 0;; round++) {
		if (container_use_def(st, def, uo, ci, how, err) < 0)
			return -1;
		if (container_hold(st, ci, err) == 0)
			return 0;
		if (err->code != SBOX_E_NOTFOUND || round == 3)
			return -1;
		container_info_release(ci);
		err_clear(err);
	}
}

/*
 * A launch that made its container and failed before the program
 * started leaves nothing behind: the container goes again, unless
 * another launch uses it or ran in it meanwhile (fresh.c).
 */
static void
settle_made(struct container_store *st, struct container_info *ci,
	    enum container_use_how how, const struct launch_result *res)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int made = how == CONTAINER_CREATED || how == CONTAINER_RECREATED;
	int rc;

	if (container_settle_decide(made, res->started, 1, 0) !=
	    CONTAINER_SETTLE_DISCARD)
		return;
	rc = container_discard_new(st, ci, &err);
	if (rc > 0)
		fprintf(stderr, "sbox: removed container %s made by this "
			"launch: it never ran\n", ci->name);
	else if (rc < 0)
		cli_warn("could not remove container %s made by this launch "
			 "(it never ran): %s", ci->name, err.msg);
}

int
cli_launch_def(struct container_def *def, struct launch_opts *opts)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_use_opts uo = { opts->name, opts->project,
					 opts->recreate, 1 };
	enum container_use_how how = CONTAINER_USED;
	struct launch_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = cli_pick_project(def, opts, "launch");
	if (rc)
		return rc;
	if (cli_store_open(&st, &err) < 0 ||
	    use_and_hold(&st, def, &uo, &ci, &how, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	say_how(ci.name, def->source, how);
	rc = launch_in_container(def, &st, &ci, opts, &res);
	settle_made(&st, &ci, how, &res);
out:
	container_info_release(&ci);
	container_store_release(&st);
	free(opts->project_buf);
	opts->project_buf = NULL;
	return rc;
}

int
cli_pick_project(const struct container_def *def, struct launch_opts *opts,
		 const char *cmd)
{
	opts->project_buf = cli_project_for(def, opts->project_arg, cmd);
	opts->project = opts->project_buf;
	return opts->project ? 0 : EXIT_USAGE;
}

int
cli_load_container(struct container_store *st, const char *name,
		   struct container_info *ci, struct container_def *def)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct diag_list diags;
	struct src_set srcs;
	char *json = NULL;
	size_t len = 0;
	int rc;

	if (container_find(st, name, ci, &err) < 0 ||
	    container_hold(st, ci, &err) < 0 ||
	    container_read_definition(st, name, &json, &len, &err) < 0)
		return cli_report(&err);
	src_set_init(&srcs);
	diag_list_init(&diags);
	rc = def_load_text(ci->definition_path, json, len, &srcs, &diags, def);
	cli_print_diags(&diags);
	diag_list_release(&diags);
	src_set_release(&srcs);
	free(json);
	if (rc < 0) {
		cli_error("container '%s' has an invalid stored definition",
			  name);
		return EXIT_USAGE;
	}
	return 0;
}
