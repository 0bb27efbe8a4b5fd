/* sbox show NAME: one container's metadata and where its parts are. */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

const char cmd_show_usage[] =
	"usage: sbox show NAME [--format text|json]\n"
	"\n"
	"    --format json   machine-readable output\n";

static void
print_text(const struct container_info *ci)
{
	time_t t = (time_t)ci->created;
	char created[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%-13s %s\n", "name:", ci->name);
	printf("%-13s %s\n", "identifier:", ci->identifier);
	printf("%-13s %s\n", "digest:", ci->digest);
	printf("%-13s %s\n", "created:", created);
	printf("%-13s %" PRId64 "\n", "owner uid:", ci->owner_uid);
	printf("%-13s %s\n", "sbox version:", ci->sbox_version);
	printf("%-13s %s\n", "template:", ci->template_name);
	printf("%-13s %s\n", "path:", ci->dir);
	printf("%-13s %s\n", "data:", ci->data_dir);
	printf("%-13s %s\n", "root:", ci->root_dir ? ci->root_dir : "-");
	printf("%-13s %s\n", "definition:", ci->definition_path);
}

int
cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage_error("show", "unknown option '%s'",
					       argv[optind - 1]);
		json = container_out_format(optarg);
		if (json < 0)
			return cli_usage_error("show", "unknown format '%s' "
					       "(use text or json)", optarg);
	}
	if (argc - optind != 1)
		return cli_usage_error("show", "expected one container name");
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	if (container_lookup(&st, argv[optind], &ci, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	if (json) {
		json_t *v = container_out_json(&ci);

		container_out_print_json(v);
		json_decref(v);
	} else {
		print_text(&ci);
	}
out:
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}
