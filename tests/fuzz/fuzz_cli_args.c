/*
 * libFuzzer: the command-line parser (cli/opts.c) with the grant options,
 * a duration option like --timeout and a string option like --name, and
 * the grants document through def_load_doc. The input is split at NUL
 * bytes into argv words. (The launch tables themselves would pull in the
 * whole backend; the parser is the same.)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/grants.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --help prints no usage here: the command table links every command */
const struct cmd *
cli_find_command(const char *name)
{
	(void)name;
	return NULL;
}

static int
set_timeout(void *ctx, const struct cli_opt *o, const char *val,
	    const char *cmd)
{
	*(double *)ctx = cli_parse_duration(val);
	return *(double *)ctx > 0 ? CLI_CONTINUE
				  : cli_opt_error(cmd, o, "bad duration");
}

static const struct cli_opt name_opt[] = {
	{ "name", 0, "NAME", cli_set_string, 0, "a name" },
	CLI_OPT_END,
};

static const struct cli_opt flag_opt[] = {
	{ "keep", 'k', NULL, cli_set_flag, 1, "a flag" },
	CLI_OPT_END,
};

static const struct cli_opt timeout_opt[] = {
	{ "timeout", 'T', "SECS", set_timeout, 0, "a duration" },
	CLI_OPT_END,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = xmalloc(size + 1), **argv;
	size_t argc = 1;
	double timeout = 0;
	const char *name = NULL;
	unsigned flags = 0;
	struct cli_grants grants;
	const struct cli_optgroup groups[] = {
		{ timeout_opt, &timeout },
		{ cli_grant_opts, &grants },
		{ name_opt, &name },
		{ flag_opt, &flags },
		{ NULL, NULL },
	};
	struct cli_args a;
	static int quiet;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i < size; i++)
		argc += buf[i] == '\0';
	argv = xcalloc(argc + 2, sizeof(*argv));
	argv[0] = (char *)"launch";
	argc = 1;
	for (char *p = buf; p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	memset(&grants, 0, sizeof(grants));
	/* --help output is not the fuzzer's business (it reports on stderr) */
	if (!quiet)
		quiet = freopen("/dev/null", "w", stdout) != NULL;
	if (cli_parse("launch", (int)argc, argv, groups, &a) == CLI_CONTINUE &&
	    grants.given) {
		char *doc = cli_grants_document(&grants, NULL, name);
		struct src_set srcs;
		struct diag_list diags;
		struct container_def def;

		src_set_init(&srcs);
		diag_list_init(&diags);
		if (def_load_doc("(command line)", doc, &srcs, &diags, &def) == 0)
			def_release(&def);
		diag_list_release(&diags);
		src_set_release(&srcs);
		free(doc);
	}
	(void)cli_parse_duration(buf);
	cli_args_release(&a);
	cli_grants_release(&grants);
	free(argv);
	free(buf);
	return 0;
}
