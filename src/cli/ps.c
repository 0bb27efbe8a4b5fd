/*
 * sbox ps: what runs in which container now: the container, the pid of
 * the sbox that launched it, since when, and the command line.
 */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char cmd_ps_usage[] =
	"usage: sbox ps [--format text|json]\n"
	"\n"
	"Lists the programs running in containers: CONTAINER, PID (of the\n"
	"sbox that launched it; signals sent to it reach the program), STARTED\n"
	"(UTC) and COMMAND; \"nothing runs in the containers of STORE\" when\n"
	"nothing does. --format json prints {\"version\": 1, \"running\":\n"
	"[{\"container\", \"pid\", \"started\", \"command\"}]}.\n";

static const struct cli_opt ps_opts[] = {
	{ "format", 0, "text|json", cli_set_string, 0, "output format" },
	CLI_OPT_END,
};

static void
when(long long t, char out[32], const char *fmt)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, fmt, &tm);
}

static void
print_text(const struct container_store *st, const struct container_run_list *l)
{
	int w = (int)strlen("CONTAINER");
	char started[32];

	for (size_t i = 0; i < l->nr; i++)
		if ((int)strlen(l->v[i].name) > w)
			w = (int)strlen(l->v[i].name);
	if (!l->nr) {
		printf("nothing runs in the containers of %s\n", st->path);
		return;
	}
	printf("%-*s  %-7s  %-20s  %s\n", w, "CONTAINER", "PID", "STARTED",
	       "COMMAND");
	for (size_t i = 0; i < l->nr; i++) {
		when(l->v[i].started, started, "%Y-%m-%d %H:%M:%SZ");
		printf("%-*s  %-7ld  %-20s  %s\n", w, l->v[i].name, l->v[i].pid,
		       started, l->v[i].command);
	}
}

static void
print_json(const struct container_run_list *l)
{
	json_t *arr = json_array(), *top;
	char started[32];

	for (size_t i = 0; i < l->nr; i++) {
		when(l->v[i].started, started, "%Y-%m-%dT%H:%M:%SZ");
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s}",
			"container", l->v[i].name, "pid", (json_int_t)l->v[i].pid,
			"started", started, "command", l->v[i].command));
	}
	top = json_pack("{s:i, s:o}", "version", CONTAINER_JSON_VERSION,
			"running", arr);
	container_out_print_json(top);
	json_decref(top);
}

int
cmd_ps(int argc, char **argv)
{
	const char *format = "text";
	const struct cli_optgroup groups[] = { { ps_opts, &format },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_run_list l;
	struct sbox_err err = SBOX_ERR_INIT;
	int json, rc;

	rc = cli_parse_options_only("ps", argc, argv, groups);
	if (rc != CLI_CONTINUE)
		return rc;
	json = cli_parse_format(format);
	if (json < 0)
		return cli_usage_error("ps", "--format: expected text or json, "
				       "not '%s'", format);
	rc = container_out_open_store(&st);
	if (rc)
		return rc;
	if (container_running_list(&st, &l, &err) < 0) {
		rc = cli_report(&err);
	} else {
		if (json)
			print_json(&l);
		else
			print_text(&st, &l);
		container_run_list_release(&l);
	}
	container_store_release(&st);
	return rc;
}
