/*
 * sbox create DEFINITION [--name NAME]: a container in the store with
 * the normalised definition, a home tree from its template, and root/
 * when it names a root filesystem.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/container_out.h"

#include <getopt.h>
#include <stdio.h>

const char cmd_create_usage[] =
	"usage: sbox create DEFINITION [--name NAME]\n"
	"\n"
	"    --name NAME   the container's name (default: the definition's\n"
	"                  \"name\")\n"
	"\n"
	"Builds Data/ from the definition's \"template\" (default:\n"
	"templates/default) and root/ from its \"root\", in a temporary\n"
	"folder of the store that is renamed into place when complete.\n";

int
cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct src_set srcs;
	struct diag_list diags;
	const char *name = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage_error("create", "unknown option '%s'",
					       argv[optind - 1]);
		name = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error("create", "expected one DEFINITION");
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	src_set_init(&srcs);
	diag_list_init(&diags);
	if (container_create_from_file(&st, argv[optind], name, &srcs, &diags,
				       &ci, &err) < 0) {
		cli_print_diags(&diags);
		rc = cli_report(&err);
	} else {
		printf("created container '%s' at %s\n", ci.name, ci.dir);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}
