/* sbox export NAME FILE: one archive with everything a container is. */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <getopt.h>
#include <stdio.h>

const char cmd_export_usage[] =
	"usage: sbox export NAME FILE\n"
	"\n"
	"Writes a tar archive (FILE ending in .tar.gz/.tgz, .tar.zst or\n"
	".tar.xz is compressed) with metadata.plist, definition.json, Data/\n"
	"and root/, keeping modes, times, symlinks and hard links.\n";

int
cmd_export(int argc, char **argv)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	int c, rc;

	while ((c = getopt(argc, argv, "+")) != -1)
		return cli_usage_error("export", "unknown option '%s'",
				       argv[optind - 1]);
	if (argc - optind != 2)
		return cli_usage_error("export", "expected NAME and FILE");
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	if (container_export(&st, argv[optind], argv[optind + 1], &err) < 0)
		rc = cli_report(&err);
	else
		printf("exported '%s' to %s\n", argv[optind], argv[optind + 1]);
	container_store_release(&st);
	return rc;
}
