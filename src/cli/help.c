#include "cli/cli.h"
#include "def/def.h"
#include "util/suggest.h"
#include "util/datadir.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

const char cmd_help_usage[] =
	"usage: sbox help [COMMAND | presets | templates]\n"
	"\n"
	"Without COMMAND, lists the commands; 'sbox help COMMAND' is 'sbox\n"
	"COMMAND --help'. 'presets' and 'templates' list what definitions can\n"
	"extend and name. The manual pages sbox(1) and sbox-definition(5)\n"
	"(installed by 'make install') describe everything in full.\n";
const char cmd_version_usage[] = "usage: sbox version | sbox --version\n";

struct help_own {
	unsigned commands;    /* --commands: names one a line (completion) */
};

static const struct cli_opt help_opts[] = {
	{ "commands", 0, NULL, cli_set_flag, 1, NULL /* hidden */ },
	CLI_OPT_END,
};

static void
print_overview(FILE *out)
{
	fputs("usage: sbox [--version] [--help] COMMAND [ARGS...]\n\n"
	      "Seatbelt-style containers for macOS, enforced the same way on "
	      "Linux.\n\ncommands:\n", out);
	for (const struct cmd *c = sbox_commands; c->name; c++)
		fprintf(out, "   %-9s %s\n", c->name, c->summary);
	fputs("\nexit codes: 0 ok; 1 check found errors or explain says deny;"
	      " 2 bad usage or\ninvalid input; 3 the environment cannot do it;"
	      " 125 sbox failed before the\nprogram started; otherwise the "
	      "program's own status (128+N for signal N).\n\n"
	      "See 'sbox help COMMAND' or 'sbox COMMAND --help' for one "
	      "command,\nand the manual pages sbox(1) and sbox-definition(5).\n",
	      out);
}

/* The shipped presets or templates; none at all is an install problem. */
static int
print_list(void (*fill)(struct def_strlist *), const char *what)
{
	struct def_strlist l;
	int rc = EXIT_OK;

	fill(&l);
	for (size_t i = 0; i < l.nr; i++)
		puts(l.v[i]);
	if (!l.nr) {
		cli_error("no %s in sbox's data folder '%s': set SBOX_DATADIR "
			  "to the folder holding profiles/ and templates/, or "
			  "run 'make install'", what, sbox_datadir());
		rc = EXIT_UNSUPPORTED;
	}
	def_strlist_release(&l);
	return rc;
}

int
cli_unknown_command(const char *name)
{
	const char *near = suggest_closest_in(name, sbox_commands,
					      cli_command_count(),
					      sizeof(*sbox_commands));

	if (near)
		return cli_usage_error(NULL, "'%s' is not an sbox command (did "
				       "you mean '%s'?)", name, near);
	return cli_usage_error(NULL, "'%s' is not an sbox command", name);
}

int
cmd_help(int argc, char **argv)
{
	struct help_own own = { 0 };
	const struct cli_optgroup groups[] = { { help_opts, &own },
					       { NULL, NULL } };
	const struct cmd *c;
	struct cli_args a;
	int rc = cli_parse("help", argc, argv, groups, &a);

	if (rc == CLI_CONTINUE && a.npos > 1)
		rc = cli_usage_error("help", "unexpected '%s': expected one "
				     "COMMAND", a.pos[1]);
	if (rc != CLI_CONTINUE)
		goto out;
	rc = EXIT_OK;
	if (own.commands) {
		for (c = sbox_commands; c->name; c++)
			puts(c->name);
	} else if (!a.npos) {
		print_overview(stdout);
	} else if (!strcmp(a.pos[0], "presets")) {
		rc = print_list(def_preset_names, "presets");
	} else if (!strcmp(a.pos[0], "templates")) {
		rc = print_list(def_template_names, "templates");
	} else if (!(c = cli_find_command(a.pos[0]))) {
		rc = cli_unknown_command(a.pos[0]);
	} else {
		char *hargv[] = { (char *)c->name, (char *)"--help", NULL };

		rc = c->fn(2, hargv);
	}
out:
	cli_args_release(&a);
	return rc;
}

int
cmd_version(int argc, char **argv)
{
	static const struct cli_opt none[] = { CLI_OPT_END };
	const struct cli_optgroup groups[] = { { none, NULL }, { NULL, NULL } };
	int rc = cli_parse_options_only("version", argc, argv, groups);

	if (rc != CLI_CONTINUE)
		return rc;
	printf("sbox %s\n", SBOX_VERSION);
	return EXIT_OK;
}
