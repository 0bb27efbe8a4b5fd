#include "cli/cli.h"

const char cmd_show_usage[] =
	"usage: sbox show NAME [--format text|json]\n";

int
cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'show' is not available in this build yet");
	return EXIT_USAGE;
}
