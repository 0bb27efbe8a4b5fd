/* sbox rm NAME...: remove containers; every name is tried. */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <getopt.h>

const char cmd_rm_usage[] =
	"usage: sbox rm NAME...\n"
	"\n"
	"Removes each container. A container a program is running in is\n"
	"refused (\"in use\").\n";

int
cmd_rm(int argc, char **argv)
{
	struct container_store st = CONTAINER_STORE_INIT;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "+")) != -1)
		return cli_usage_error("rm", "unknown option '%s'",
				       argv[optind - 1]);
	if (optind >= argc)
		return cli_usage_error("rm", "expected container names");
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	for (int i = optind; i < argc; i++) {
		struct sbox_err err = SBOX_ERR_INIT;

		if (container_remove(&st, argv[i], &err) < 0)
			rc = cli_report(&err);
	}
	container_store_release(&st);
	return rc;
}
