/*
 * sbox create DEFINITION [--name NAME]: a container in the store with
 * the normalised definition, a home tree from its template, and root/
 * when it names a root filesystem.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/container_out.h"

#include <stdio.h>

const char cmd_create_usage[] =
	"usage: sbox create DEFINITION [--name NAME]\n"
	"\n"
	"Builds Data/ from the definition's \"template\" (default:\n"
	"templates/default) and root/ from its \"root\", in a temporary\n"
	"folder of the store that is renamed into place when complete.\n";

static const struct cli_opt create_opts[] = {
	{ "name", 0, "NAME", cli_set_string, 0,
	  "the container's name (default: the definition's \"name\")" },
	CLI_OPT_END,
};

int
cmd_create(int argc, char **argv)
{
	const char *name = NULL;
	const struct cli_optgroup groups[] = { { create_opts, &name },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct src_set srcs;
	struct diag_list diags;
	struct cli_args a;
	int rc;

	rc = cli_parse("create", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 1)
		rc = cli_usage_error("create", "expected one DEFINITION");
	if (rc != CLI_CONTINUE) {
		cli_args_release(&a);
		return rc;
	}
	rc = container_out_open_store(&st);
	if (rc) {
		cli_args_release(&a);
		return rc;
	}
	src_set_init(&srcs);
	diag_list_init(&diags);
	if (container_create_from_file(&st, a.pos[0], name, &srcs, &diags,
				       &ci, &err) < 0) {
		cli_print_diags(&diags);
		rc = cli_report(&err);
		if (err.code == SBOX_E_EXISTS)
			fprintf(stderr, "hint: give another name with --name "
				"NAME, or remove the existing one with 'sbox "
				"rm'\n");
	} else {
		printf("created container '%s' at %s\n", ci.name, ci.dir);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	container_info_release(&ci);
	container_store_release(&st);
	cli_args_release(&a);
	return rc;
}
