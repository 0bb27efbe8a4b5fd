#include "cli/cli.h"

const char cmd_rm_usage[] =
	"usage: sbox rm NAME...\n";

int
cmd_rm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'rm' is not available in this build yet");
	return EXIT_USAGE;
}
