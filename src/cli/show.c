/* sbox show NAME: one container's metadata and where its parts are. */
#include "cli/cli.h"
#include "cli/container_out.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

const char cmd_show_usage[] =
	"usage: sbox show NAME [OPTIONS]\n"
	"\n"
	"Shows one container's metadata and where its parts are. --format json\n"
	"prints one object with \"version\": 1 and snake_case keys.\n"
	"\n"
	"The seal line says whether the stored definition is the one sbox\n"
	"sealed last (a launch by name and an export need that): sealed,\n"
	"not sealed (made by an older sbox), sealed with another key, sealed\n"
	"but not the version sealed last (an older one put back), sealed but\n"
	"not recorded (sealed by an older sbox, or the store moved), or does\n"
	"not verify (changed outside sbox).\n";

static const struct cli_opt show_opts[] = {
	{ "format", 0, "text|json", cli_set_string, 0, "output format" },
	CLI_OPT_END,
};

static const char *
seal_word(enum seal_state s)
{
	switch (s) {
	case SEAL_OK:
		return "sealed";
	case SEAL_NONE:
		return "not sealed (launch it once from its definition file)";
	case SEAL_OTHER_KEY:
		return "sealed with another key (launch it once from its "
		       "definition file)";
	case SEAL_NO_KEY:
		return "sealed, but this user has no seal key (is HOME the "
		       "one it was made with?)";
	case SEAL_STALE:
		return "sealed, but not the version sbox sealed last (launch "
		       "it from its definition file, or --recreate)";
	case SEAL_UNRECORDED:
		return "sealed, but not recorded (launch it once from its "
		       "definition file)";
	case SEAL_BAD:
		break;
	}
	return "does not verify: changed outside sbox (sbox rm, or "
	       "--recreate)";
}

static const char *
seal_json(enum seal_state s)
{
	switch (s) {
	case SEAL_OK:
		return "sealed";
	case SEAL_NONE:
		return "none";
	case SEAL_OTHER_KEY:
		return "other-key";
	case SEAL_NO_KEY:
		return "no-key";
	case SEAL_STALE:
		return "stale";
	case SEAL_UNRECORDED:
		return "unrecorded";
	case SEAL_BAD:
		break;
	}
	return "bad";
}

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
	const char *format = "text";
	const struct cli_optgroup groups[] = { { show_opts, &format },
					       { NULL, NULL } };
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	enum seal_state seal = SEAL_NONE;
	struct cli_args a;
	int json, rc;

	rc = cli_parse("show", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 1)
		rc = cli_usage_error("show", "expected one container name");
	if (rc != CLI_CONTINUE)
		goto out_args;
	json = cli_parse_format(format);
	if (json < 0) {
		rc = cli_usage_error("show", "--format: expected text or json, "
				     "not '%s'", format);
		goto out_args;
	}
	rc = container_out_open_store(&st);
	if (rc)
		goto out_args;
	if (container_lookup(&st, a.pos[0], &ci, &err) < 0 ||
	    container_seal_state(&st, a.pos[0], &seal, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	if (json) {
		json_t *v = json_pack("{s:i}", "version",
				      CONTAINER_JSON_VERSION);
		json_t *c = container_out_json(&ci);

		json_object_update(v, c);
		json_decref(c);
		json_object_set_new(v, "in_use",
				    json_boolean(container_in_use(&st, &ci)));
		json_object_set_new(v, "seal", json_string(seal_json(seal)));
		container_out_print_json(v);
		json_decref(v);
	} else {
		print_text(&ci);
		printf("%-13s %s\n", "in use:",
		       container_in_use(&st, &ci) ? "yes" : "no");
		printf("%-13s %s\n", "seal:", seal_word(seal));
	}
out:
	container_info_release(&ci);
	container_store_release(&st);
out_args:
	cli_args_release(&a);
	return rc;
}
