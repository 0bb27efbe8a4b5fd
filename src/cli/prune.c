/*
 * sbox prune: remove what runs leave behind: containers of `sbox run
 * --keep` and of runs that were killed (NAME-run-<12 hex digits>). One a
 * program still runs in is skipped. Half-made or half-removed containers
 * (the store's .tmp-* and .rm-* folders) are cleared whenever the store
 * is opened, so prune clears them too.
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <stdio.h>
#include <string.h>

const char cmd_prune_usage[] =
	"usage: sbox prune [OPTIONS]\n"
	"\n"
	"Removes the containers of finished runs (NAME-run-XXXXXXXXXXXX, left by\n"
	"'sbox run --keep' or a killed run) that no program runs in, and the\n"
	"store's leftovers of interrupted creates, imports and removals.\n";

struct prune_own {
	unsigned dry_run;
};

static const struct cli_opt prune_opts[] = {
	{ "dry-run", 'n', NULL, cli_set_flag, 1,
	  "only print what would be removed" },
	CLI_OPT_END,
};

/* "<name>-run-" and 12 lowercase hex digits at the end, as run names them */
static int
is_run_name(const char *name)
{
	size_t len = strlen(name);
	const char *tail;

	if (len < 18)
		return 0;
	tail = name + len - 17;
	if (strncmp(tail, "-run-", 5))
		return 0;
	return strspn(tail + 5, "0123456789abcdef") == 12;
}

int
cmd_prune(int argc, char **argv)
{
	struct prune_own own = { 0 };
	const struct cli_optgroup groups[] = { { prune_opts, &own },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_list l = { 0 };
	size_t removed = 0;
	int rc;

	rc = cli_parse_options_only("prune", argc, argv, groups);
	if (rc != CLI_CONTINUE)
		return rc;
	/* opening the store clears its leftovers */
	rc = container_out_list_all(&st, &l);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.nr; i++) {
		const char *name = l.v[i].name;
		struct sbox_err e = SBOX_ERR_INIT;

		if (!is_run_name(name))
			continue;
		if (container_in_use(&st, &l.v[i])) {
			printf("skipped %s (in use)\n", name);
		} else if (own.dry_run) {
			printf("would remove %s\n", name);
		} else if (container_remove(&st, name, &e) < 0) {
			rc = cli_report(&e);
		} else {
			printf("removed %s\n", name);
			removed++;
		}
	}
	if (!own.dry_run)
		printf("%zu container%s removed\n", removed,
		       removed == 1 ? "" : "s");
	container_list_release(&l);
	container_store_release(&st);
	return rc;
}
