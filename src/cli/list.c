/*
 * sbox list: every complete container, sorted by name, as aligned
 * columns or as JSON ({"version":1,"containers":[...]}).
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char cmd_list_usage[] =
	"usage: sbox list [--format text|json]\n"
	"\n"
	"    --format json   machine-readable output\n";

enum { COL_NAME, COL_ID, COL_CREATED, COL_ROOT, COL_DIGEST, NCOLS };

static const char *const headers[NCOLS] = {
	"NAME", "IDENTIFIER", "CREATED", "ROOT", "DIGEST",
};

static void
row_cells(const struct container_info *ci, char created[32],
	  char digest[20], const char *cells[NCOLS])
{
	time_t t = (time_t)ci->created;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(created, 32, "%Y-%m-%d %H:%M:%SZ", &tm);
	/* "sha256:" and 12 hex digits: enough to tell definitions apart. */
	snprintf(digest, 20, "%.19s", ci->digest);
	cells[COL_NAME] = ci->name;
	cells[COL_ID] = ci->identifier;
	cells[COL_CREATED] = created;
	cells[COL_ROOT] = ci->has_root ? "yes" : "no";
	cells[COL_DIGEST] = digest;
}

static void
print_row(const char *const cells[NCOLS], const size_t width[NCOLS])
{
	for (int c = 0; c < NCOLS; c++) {
		if (c == NCOLS - 1)
			printf("%s\n", cells[c]);
		else
			printf("%-*s  ", (int)width[c], cells[c]);
	}
}

static void
print_table(const struct container_list *l)
{
	size_t width[NCOLS];
	const char *cells[NCOLS];
	char created[32], digest[20];

	for (int c = 0; c < NCOLS; c++)
		width[c] = strlen(headers[c]);
	for (size_t i = 0; i < l->nr; i++) {
		row_cells(&l->v[i], created, digest, cells);
		for (int c = 0; c < NCOLS; c++)
			if (strlen(cells[c]) > width[c])
				width[c] = strlen(cells[c]);
	}
	if (l->nr)
		print_row(headers, width);
	for (size_t i = 0; i < l->nr; i++) {
		row_cells(&l->v[i], created, digest, cells);
		print_row(cells, width);
	}
}

static void
print_json(const struct container_list *l)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(arr, container_out_json(&l->v[i]));
	json_t *top = json_pack("{s:i, s:o}", "version", CONTAINER_JSON_VERSION,
				"containers", arr);
	container_out_print_json(top);
	json_decref(top);
}

int
cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_list l = { 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage_error("list", "unknown option '%s'",
					       argv[optind - 1]);
		json = container_out_format(optarg);
		if (json < 0)
			return cli_usage_error("list", "unknown format '%s' "
					       "(use text or json)", optarg);
	}
	if (optind != argc)
		return cli_usage_error("list", "unexpected argument '%s'",
				       argv[optind]);
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	if (container_list_all(&st, &l, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	for (size_t i = 0; i < l.ndamaged; i++)
		cli_warn("'%s' in the store is not a readable container "
			 "(see 'sbox show %s')", l.damaged[i], l.damaged[i]);
	if (json)
		print_json(&l);
	else
		print_table(&l);
out:
	container_list_release(&l);
	container_store_release(&st);
	return rc;
}
