/* sbox launch: run a program in a container, creating it on first use. */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/launch_util.h"

#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_launch_usage[] =
	"usage: sbox launch [OPTIONS] NAME|DEFINITION [-- PROGRAM ARGS...]\n"
	"\n"
	"Runs PROGRAM (or the definition's \"program\") in the container NAME,\n"
	"or in the container of DEFINITION, created first if it does not exist.\n"
	"The exit status is the program's (128+N when killed by signal N).\n"
	"\n"
	"  --allow-weaker    run even when the kernel cannot enforce everything\n"
	"                    (warns); otherwise such a launch exits with 3\n"
	"  --timeout SECS    kill the container after SECS seconds (wall clock)\n"
	LAUNCH_TRACE_HELP

	LAUNCH_PTY_USAGE
	"\n"
	"With a terminal, the program runs on a new pseudo-terminal of its own\n"
	"(its controlling terminal: job control, Ctrl-C, Ctrl-Z, /dev/tty and\n"
	"full-screen programs work; window size changes are passed on). sbox\n"
	"puts your terminal in raw mode, copies both ways and restores it when\n"
	"the launch ends; the program never holds your terminal itself. Only\n"
	"the standard descriptors that are terminals go on the pty: files and\n"
	"pipes pass straight through. Without a terminal nothing changes.\n";

static const struct option launch_options[] = {
	{ "allow-weaker", no_argument, NULL, 'W' },
	{ "timeout", required_argument, NULL, 'T' },
	LAUNCH_TRACE_OPTION,
	{ "pty", no_argument, NULL, LAUNCH_OPT_PTY },
	{ "no-pty", no_argument, NULL, LAUNCH_OPT_NO_PTY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The container NAME, or DEFINITION's container (created when missing). */
static int
open_container(struct container_store *st, const char *what,
	       struct container_info *ci, struct sbox_err *err)
{
	struct sbox_err quiet = SBOX_ERR_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	int rc;

	if (!is_file(what) || !(strchr(what, '/') || cli_is_definition(what)))
		return container_find(st, what, ci, err);
	src_set_init(&srcs);
	if (cli_def_load(what, &none, &srcs, &def)) {
		src_set_release(&srcs);
		return err_set(err, SBOX_E_INVALID, "definition '%s' has errors",
			       what);
	}
	rc = def.name ? container_find(st, def.name, ci, &quiet) : -1;
	if (rc < 0)
		rc = container_create_from_def(st, &def, NULL, ci, err);
	def_release(&def);
	src_set_release(&srcs);
	return rc;
}

static int
load_stored_definition(const struct container_info *ci,
		       struct container_def *def)
{
	struct src_set srcs;
	int rc;
	struct def_vars none = { NULL, NULL, NULL, NULL };

	src_set_init(&srcs);
	rc = cli_def_load(ci->definition_path, &none, &srcs, def);
	src_set_release(&srcs);
	return rc;
}

int
cmd_launch(int argc, char **argv)
{
	struct launch_opts opts;
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	int c, rc = EXIT_OK;

	memset(&opts, 0, sizeof(opts));
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "+h", launch_options, NULL)) != -1) {
		if (launch_opt_parse(c, optarg, &opts, "launch", &rc)) {
			if (rc)
				return rc;
			continue;
		}
		if (c == 'h') {
			fputs(cmd_launch_usage, stdout);
			return EXIT_OK;
		}
		return cli_usage_error("launch", "unknown option '%s'",
				       argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error("launch", "expected NAME or DEFINITION");
	if (optind + 1 < argc) {
		if (strcmp(argv[optind + 1], "--"))
			return cli_usage_error("launch", "put '--' before the "
					       "program and its arguments");
		opts.argv = argv + optind + 2;
	}
	if (container_store_open(&st, &err) < 0 ||
	    open_container(&st, argv[optind], &ci, &err) < 0 ||
	    container_hold(&st, &ci, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = load_stored_definition(&ci, &def);
	if (rc)
		goto out;
	rc = launch_in_container(&def, &st, &ci, &opts, NULL);
	def_release(&def);
out:
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}
