/*
 * sbox create DEFINITION [--name NAME]: a container in the store with
 * the normalised definition, a home tree from its template, and root/
 * when it names a root filesystem.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/container_out.h"
#include "cli/project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_create_usage[] =
	"usage: sbox create DEFINITION [--name NAME] [-C DIR]\n"
	"\n"
	"    --name NAME   the container's name (default: the definition's\n"
	"                  \"name\")\n"
	"    -C, --project DIR  ${PROJECT} in \"template\" and \"root\" (default:\n"
	"                  the current folder)\n"
	"\n"
	"Builds Data/ from the definition's \"template\" (default:\n"
	"templates/default) and root/ from its \"root\", in a temporary\n"
	"folder of the store that is renamed into place when complete.\n";

int
cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "project", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_use_opts uo = { NULL, NULL, 0 };
	struct container_def def;
	struct src_set srcs;
	const char *project_arg = NULL;
	char *project = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:C:", opts, NULL)) != -1) {
		if (c == 'n')
			uo.name = optarg;
		else if (c == 'C')
			project_arg = optarg;
		else
			return cli_usage_error("create", "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("create", "expected one DEFINITION");
	src_set_init(&srcs);
	/* read with the invoking user's rights under sudo (cli_def_load) */
	rc = cli_def_load(argv[optind], &none, &srcs, &def);
	if (rc)
		goto out_srcs;
	/* only "template" and "root" can use ${PROJECT} at creation */
	if (project_arg || (def.template_name &&
			    strstr(def.template_name, "${PROJECT}")) ||
	    (def.root && strstr(def.root, "${PROJECT}"))) {
		project = cli_project_for(&def, project_arg, "create");
		if (!project) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	uo.project = project;
	rc = container_out_open_store(&st);
	if (rc)
		goto out;
	if (container_create_with(&st, &def, &uo, &ci, &err) < 0)
		rc = cli_report(&err);
	else
		printf("created container '%s' at %s\n", ci.name, ci.dir);
out:
	def_release(&def);
out_srcs:
	src_set_release(&srcs);
	free(project);
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}
