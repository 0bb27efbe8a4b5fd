#include "cli/cli.h"

const char cmd_explain_usage[] =
	"usage: sbox explain [options] PROFILE|DEFINITION OPERATION [ARGUMENT]\n";

int
cmd_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'explain' is not available in this build yet");
	return EXIT_USAGE;
}
