#include "cli/cli.h"

const char cmd_export_usage[] =
	"usage: sbox export NAME FILE\n";

int
cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'export' is not available in this build yet");
	return EXIT_USAGE;
}
