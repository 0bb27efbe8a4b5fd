#include "cli/container_out.h"

#include <stdio.h>
#include <time.h>

#include "cli/cli.h"

json_t *
container_out_json(const struct container_info *ci)
{
	char created[32];
	const time_t t = (time_t)ci->created;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:s, s:s, "
			 "s:o, s:s}",
			 "name", ci->name,
			 "identifier", ci->identifier,
			 "digest", ci->digest,
			 "created", created,
			 "owner_uid", (json_int_t)ci->owner_uid,
			 "sbox_version", ci->sbox_version,
			 "template", ci->template_name,
			 "has_root", ci->has_root,
			 "path", ci->dir,
			 "data", ci->data_dir,
			 "root", ci->root_dir ? json_string(ci->root_dir) :
				 json_null(),
			 "definition", ci->definition_path);
}

void
container_out_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

int
container_out_open_store(struct container_store *st)
{
	struct sbox_err err = SBOX_ERR_INIT;

	if (cli_store_open(st, &err) < 0)
		return cli_report(&err);
	return 0;
}

int
container_out_list_all(struct container_store *st, struct container_list *l)
{
	struct sbox_err err = SBOX_ERR_INIT;
	int rc = container_out_open_store(st);

	if (rc)
		return rc;
	if (container_list_all(st, l, &err) < 0) {
		rc = cli_report(&err);
		container_list_release(l);
		container_store_release(st);
	}
	return rc;
}
