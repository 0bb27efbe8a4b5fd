/*
 * sbox entry point: global options, command dispatch, and the final
 * stdout check (a full disk must not look like success).
 */
#include "cli/cli.h"
#include "version.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int
finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			cli_error("cannot write to standard output: %s",
				  strerror(errno));
		return rc ? rc : EXIT_USAGE;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		cmd_help(1, argv);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return finish(cmd_version(1, argv + 1));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return finish(cmd_help(argc - 1, argv + 1));
	if (argv[1][0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", argv[1]);
	c = cli_find_command(argv[1]);
	if (!c)
		return cli_unknown_command(argv[1]);
	cli_getopt_reset();
	return finish(c->fn(argc - 1, argv + 1));
}
