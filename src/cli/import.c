#include "cli/cli.h"

const char cmd_import_usage[] =
	"usage: sbox import FILE [--name NAME]\n";

int
cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'import' is not available in this build yet");
	return EXIT_USAGE;
}
