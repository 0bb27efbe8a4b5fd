#include "cli/cli.h"

const char cmd_list_usage[] =
	"usage: sbox list [--format text|json]\n";

int
cmd_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'list' is not available in this build yet");
	return EXIT_USAGE;
}
