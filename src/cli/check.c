#include "cli/cli.h"

const char cmd_check_usage[] =
	"usage: sbox check [-I DIR] [-D KEY=VALUE] [--prepend FILE] [--macos VERSION]\n           [--strict-params] [--disable ID] [--format text|json] FILE...\n";

int
cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'check' is not available in this build yet");
	return EXIT_USAGE;
}
