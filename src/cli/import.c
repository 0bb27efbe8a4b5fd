/*
 * sbox import FILE [--name NAME]: a container from an exported archive,
 * which is checked entry by entry and trusted in nothing.
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <stdio.h>
#include <stdlib.h>

const char cmd_import_usage[] =
	"usage: sbox import FILE|- [--name NAME]\n"
	"\n"
	"Creates a container from an archive written by 'sbox export' (\"-\":\n"
	"read it from standard input). Refuses absolute paths, '..', writes through symlinks, hard links\n"
	"out of the tree, device nodes, setuid/setgid bits, and archives over\n"
	"SBOX_IMPORT_MAX_ENTRIES entries (2000000) or SBOX_IMPORT_MAX_BYTES\n"
	"bytes of data (64 GiB).\n";

static const struct cli_opt import_opts[] = {
	{ "name", 0, "NAME", cli_set_string, 0,
	  "name the new container (default: the archived name)" },
	CLI_OPT_END,
};

static int
env_limit(const char *var, uint64_t *out)
{
	const char *v = getenv(var);
	char *end;
	unsigned long long n;

	*out = 0;
	if (!v || !*v)
		return 0;
	n = strtoull(v, &end, 10);
	if (*end || n == 0) {
		cli_error("%s must be a positive number, not '%s'", var, v);
		return -1;
	}
	*out = n;
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	const char *name = NULL;
	const struct cli_optgroup groups[] = { { import_opts, &name },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct container_limits limits;
	struct sbox_err err = SBOX_ERR_INIT;
	struct cli_args a;
	int rc;

	rc = cli_parse("import", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 1)
		rc = cli_usage_error("import", "expected one FILE (or - for "
				     "standard input)");
	if (rc != CLI_CONTINUE)
		goto out_args;
	if (env_limit("SBOX_IMPORT_MAX_ENTRIES", &limits.max_entries) < 0 ||
	    env_limit("SBOX_IMPORT_MAX_BYTES", &limits.max_bytes) < 0) {
		rc = EXIT_USAGE;
		goto out_args;
	}
	rc = container_out_open_store(&st);
	if (rc)
		goto out_args;
	if (container_import(&st, a.pos[0], name, &limits, &ci, &err) < 0) {
		rc = cli_report(&err);
		if (err.code == SBOX_E_EXISTS)
			fprintf(stderr, "hint: import it under another name "
				"with --name NAME, or remove the existing one "
				"with 'sbox rm'\n");
	} else {
		printf("imported '%s' at %s\n", ci.name, ci.dir);
	}
	container_info_release(&ci);
	container_store_release(&st);
out_args:
	cli_args_release(&a);
	return rc;
}
