#include "cli/cli.h"

const char cmd_compile_usage[] =
	"usage: sbox compile DEFINITION [-o FILE] [-D KEY=VALUE] [--target macos|linux]\n";

int
cmd_compile(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'compile' is not available in this build yet");
	return EXIT_USAGE;
}
