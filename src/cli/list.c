/*
 * sbox list: every complete container, sorted by name, as aligned
 * columns or as JSON ({"version":1,"containers":[...]}).
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

const char cmd_list_usage[] =
	"usage: sbox list [OPTIONS]\n"
	"\n"
	"Lists every container: name, identifier, creation time, whether it has\n"
	"a root filesystem, whether a program runs in it now (IN USE), and its\n"
	"definition's digest; \"no containers in STORE\" when there are none.\n"
	"--format json prints {\"version\": 1, \"containers\": [...]} with the\n"
	"keys of 'sbox show --format json'; -q only the names (nothing when\n"
	"there are none).\n";

struct list_own {
	unsigned quiet;
	const char *format;
};

static const struct cli_opt list_opts[] = {
	{ "format", 0, "text|json", cli_set_string,
	  offsetof(struct list_own, format), "output format" },
	{ "quiet", 'q', NULL, cli_set_flag, 1, "print only the names" },
	CLI_OPT_END,
};

enum { COL_NAME, COL_ID, COL_CREATED, COL_ROOT, COL_INUSE, COL_DIGEST, NCOLS };

static const char *const headers[NCOLS] = {
	"NAME", "IDENTIFIER", "CREATED", "ROOT", "IN USE", "DIGEST",
};

static void
row_cells(const struct container_info *ci, int in_use, char created[32],
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
	cells[COL_INUSE] = in_use ? "yes" : "no";
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

/* An empty store says so, and which store it looked in (SBOX_HOME?). */
static void
print_table(const struct container_store *st, const struct container_list *l,
	    const int *in_use)
{
	size_t width[NCOLS];
	const char *cells[NCOLS];
	char created[32], digest[20];

	for (int c = 0; c < NCOLS; c++)
		width[c] = strlen(headers[c]);
	for (size_t i = 0; i < l->nr; i++) {
		row_cells(&l->v[i], in_use[i], created, digest, cells);
		for (int c = 0; c < NCOLS; c++)
			if (strlen(cells[c]) > width[c])
				width[c] = strlen(cells[c]);
	}
	if (!l->nr) {
		printf("no containers in %s\n", st->path);
		return;
	}
	print_row(headers, width);
	for (size_t i = 0; i < l->nr; i++) {
		row_cells(&l->v[i], in_use[i], created, digest, cells);
		print_row(cells, width);
	}
}

static void
print_json(const struct container_list *l, const int *in_use)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < l->nr; i++) {
		json_t *c = container_out_json(&l->v[i]);

		json_object_set_new(c, "in_use", json_boolean(in_use[i]));
		json_array_append_new(arr, c);
	}
	json_t *top = json_pack("{s:i, s:o}", "version", CONTAINER_JSON_VERSION,
				"containers", arr);
	container_out_print_json(top);
	json_decref(top);
}

int
cmd_list(int argc, char **argv)
{
	struct list_own own = { 0, "text" };
	const struct cli_optgroup groups[] = { { list_opts, &own },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_list l = { 0 };
	int json, rc, *in_use = NULL;

	rc = cli_parse_options_only("list", argc, argv, groups);
	if (rc != CLI_CONTINUE)
		return rc;
	json = cli_parse_format(own.format);
	if (json < 0)
		return cli_usage_error("list", "--format: expected text or "
				       "json, not '%s'", own.format);
	rc = container_out_list_all(&st, &l);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.ndamaged; i++)
		cli_warn("'%s' in the store is not a readable container "
			 "(see 'sbox show %s')", l.damaged[i], l.damaged[i]);
	in_use = xcalloc(l.nr + 1, sizeof(*in_use));
	for (size_t i = 0; i < l.nr; i++)
		in_use[i] = container_in_use(&st, &l.v[i]);
	if (own.quiet)
		for (size_t i = 0; i < l.nr; i++)
			puts(l.v[i].name);
	else if (json)
		print_json(&l, in_use);
	else
		print_table(&st, &l, in_use);
	free(in_use);
	container_list_release(&l);
	container_store_release(&st);
	return rc;
}
