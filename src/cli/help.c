#include "cli/cli.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

const char cmd_help_usage[] = "usage: sbox help [COMMAND]\n";
const char cmd_version_usage[] = "usage: sbox version | sbox --version\n";

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
	      "See 'sbox help COMMAND' for one command.\n", out);
}

int
cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	c = cli_find_command(argv[1]);
	if (!c)
		return cli_usage_error(NULL, "'%s' is not an sbox command",
				       argv[1]);
	printf("sbox %s: %s\n\n%s", c->name, c->summary, c->usage);
	return EXIT_OK;
}

int
cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error("version", "too many arguments");
	printf("sbox %s\n", SBOX_VERSION);
	return EXIT_OK;
}
