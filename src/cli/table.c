/*
 * The command table: one line per subcommand, in the order `sbox help`
 * lists them. Usage strings live beside each command's code.
 */
#include "cli/cli.h"

#include <string.h>

extern const char cmd_check_usage[];
extern const char cmd_check_epilog[];
extern const char cmd_compile_usage[];
extern const char cmd_explain_usage[];
extern const char cmd_explain_epilog[];
extern const char cmd_create_usage[];
extern const char cmd_list_usage[];
extern const char cmd_show_usage[];
extern const char cmd_rm_usage[];
extern const char cmd_export_usage[];
extern const char cmd_import_usage[];
extern const char cmd_launch_usage[];
extern const char cmd_run_usage[];
extern const char cmd_prune_usage[];
extern const char cmd_ps_usage[];
extern const char cmd_learn_usage[];
extern const char cmd_learn_epilog[];
extern const char cmd_help_usage[];
extern const char cmd_version_usage[];

const struct cmd sbox_commands[] = {
	{ "check", cmd_check, "lint SBPL profiles and container definitions", cmd_check_usage, cmd_check_epilog },
	{ "compile", cmd_compile, "compile a definition to SBPL (macOS) or a launch plan (Linux)", cmd_compile_usage, NULL },
	{ "explain", cmd_explain, "show which rule decides an access", cmd_explain_usage, cmd_explain_epilog },
	{ "create", cmd_create, "create a container from a definition", cmd_create_usage, NULL },
	{ "list", cmd_list, "list containers", cmd_list_usage, NULL },
	{ "ps", cmd_ps, "list the programs running in containers", cmd_ps_usage, NULL },
	{ "show", cmd_show, "show one container", cmd_show_usage, NULL },
	{ "rm", cmd_rm, "remove containers", cmd_rm_usage, NULL },
	{ "export", cmd_export, "write a container to an archive", cmd_export_usage, NULL },
	{ "import", cmd_import, "create a container from an exported archive", cmd_import_usage, NULL },
	{ "launch", cmd_launch, "run a program in a container", cmd_launch_usage, NULL },
	{ "run", cmd_run, "run a program in a fresh, ephemeral container", cmd_run_usage, NULL },
	{ "learn", cmd_learn, "run a program observed and propose the grants it needs", cmd_learn_usage, cmd_learn_epilog },
	{ "prune", cmd_prune, "remove containers of finished runs and store leftovers", cmd_prune_usage, NULL },
	{ "help", cmd_help, "show help for sbox or a command", cmd_help_usage, NULL },
	{ "version", cmd_version, "print the version", cmd_version_usage, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cmd *
cli_find_command(const char *name)
{
	for (const struct cmd *c = sbox_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

size_t
cli_command_count(void)
{
	size_t n = 0;

	while (sbox_commands[n].name)
		n++;
	return n;
}
