/* sbox rm NAME...: remove containers; every name is tried. */
#include "cli/cli.h"
#include "cli/container_out.h"

const char cmd_rm_usage[] =
	"usage: sbox rm NAME...\n"
	"\n"
	"Removes each container. A container a program is running in is\n"
	"refused (\"in use\").\n";

static const struct cli_opt rm_opts[] = { CLI_OPT_END };

int
cmd_rm(int argc, char **argv)
{
	const struct cli_optgroup groups[] = { { rm_opts, NULL },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct cli_args a;
	int rc;

	rc = cli_parse("rm", argc, argv, groups, &a);
	/* "sbox rm -- -odd-name" removes names that start with '-' */
	for (size_t i = 0; rc == CLI_CONTINUE && a.rest && a.rest[i]; i++)
		a.pos[a.npos++] = a.rest[i];
	if (rc == CLI_CONTINUE && !a.npos)
		rc = cli_usage_error("rm", "expected container names");
	if (rc != CLI_CONTINUE)
		goto out;
	rc = container_out_open_store(&st);
	if (rc)
		goto out;
	for (size_t i = 0; i < a.npos; i++) {
		struct sbox_err err = SBOX_ERR_INIT;

		if (container_remove(&st, a.pos[i], &err) < 0)
			rc = cli_report(&err);
	}
	container_store_release(&st);
out:
	cli_args_release(&a);
	return rc;
}
