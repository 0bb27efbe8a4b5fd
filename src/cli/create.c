#include "cli/cli.h"

const char cmd_create_usage[] =
	"usage: sbox create DEFINITION [--name NAME]\n";

int
cmd_create(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'create' is not available in this build yet");
	return EXIT_USAGE;
}
