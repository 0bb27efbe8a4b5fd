#include "cli/cli.h"

const char cmd_launch_usage[] =
	"usage: sbox launch NAME|DEFINITION [-- PROGRAM ARGS...]\n";

int
cmd_launch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'launch' is not available in this build yet");
	return EXIT_USAGE;
}
