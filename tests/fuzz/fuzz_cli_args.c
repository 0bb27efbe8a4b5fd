/*
 * libFuzzer: the command-line parser (cli/opts.c) with the tables launch
 * uses (shared launch options, grants, --name), the duration parser, and
 * the grants document through def_load_doc. The input is split at NUL
 * bytes into argv words.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/grants.h"
#include "cli/launch_util.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cli_opt name_opt[] = {
	{ "name", 0, "NAME", cli_set_string, 0, "a name" },
	CLI_OPT_END,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = xmalloc(size + 1), **argv;
	size_t argc = 1;
	struct launch_opts opts = { 0, 0, NULL };
	struct cli_grants grants;
	const char *name = NULL;
	const struct cli_optgroup groups[] = {
		{ launch_common_opts, &opts },
		{ cli_grant_opts, &grants },
		{ name_opt, &name },
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
	if (!quiet)  /* the parser's messages: not the fuzzer's business */
		quiet = freopen("/dev/null", "w", stderr) != NULL;
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
