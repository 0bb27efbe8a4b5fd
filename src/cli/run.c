#include "cli/cli.h"

const char cmd_run_usage[] =
	"usage: sbox run DEFINITION [--keep] [--report FILE] -- PROGRAM ARGS...\n";

int
cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'run' is not available in this build yet");
	return EXIT_USAGE;
}
