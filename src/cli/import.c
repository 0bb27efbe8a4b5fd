/*
 * sbox import FILE [--name NAME]: a container from an exported archive,
 * which is checked entry by entry and trusted in nothing.
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

const char cmd_import_usage[] =
	"usage: sbox import FILE [--name NAME]\n"
	"\n"
	"    --name NAME   name the new container (default: the archived name)\n"
	"\n"
	"Refuses absolute paths, '..', writes through symlinks, hard links\n"
	"out of the tree, device nodes, setuid/setgid bits, and archives over\n"
	"SBOX_IMPORT_MAX_ENTRIES entries (2000000) or SBOX_IMPORT_MAX_BYTES\n"
	"bytes of data (64 GiB).\n";

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
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct container_limits limits;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *name = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage_error("import", "unknown option '%s'",
					       argv[optind - 1]);
		name = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error("import", "expected one FILE");
	if (env_limit("SBOX_IMPORT_MAX_ENTRIES", &limits.max_entries) < 0 ||
	    env_limit("SBOX_IMPORT_MAX_BYTES", &limits.max_bytes) < 0)
		return EXIT_USAGE;
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	if (container_import(&st, argv[optind], name, &limits, &ci, &err) < 0)
		rc = cli_report(&err);
	else
		printf("imported '%s' at %s\n", ci.name, ci.dir);
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}
