/* sbox launch: run a program in a container, creating it on first use. */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/launch_def.h"
#include "cli/launch_util.h"
#include "cli/project.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_launch_usage[] =
	"usage: sbox launch [OPTIONS] NAME|DEFINITION [-- PROGRAM ARGS...]\n"
	"\n"
	"Runs PROGRAM (or the definition's \"program\") in the container NAME,\n"
	"or in the container of DEFINITION, created first if it does not exist.\n"
	"A DEFINITION runs as the file is now: when it changed since the\n"
	"container was made, the container's stored policy is updated (and\n"
	"sbox says so); a changed \"template\" or \"root\" needs --recreate.\n"
	"The program starts in the project folder, which is also ${PROJECT}:\n"
	"the current folder unless --project names one. A current folder of /,\n"
	"a home folder or a folder holding one is refused.\n"
	"The exit status is the program's (128+N when killed by signal N).\n"
	"\n"
	"  -C, --project DIR use DIR as the project (default: the current folder)\n"
	"  --name NAME       use (or create) the container NAME for DEFINITION\n"
	"                    instead of the definition's \"name\"\n"
	"  --recreate        remove DEFINITION's container and build it again\n"
	"                    (its Data/ is lost)\n"
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
	LAUNCH_SHARED_OPTIONS,
	LAUNCH_TRACE_OPTION,
	{ "pty", no_argument, NULL, LAUNCH_OPT_PTY },
	{ "no-pty", no_argument, NULL, LAUNCH_OPT_NO_PTY },
	{ "name", required_argument, NULL, 'N' },
	{ "recreate", no_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What is named: a definition file, or else a container's name. */
static int
names_definition(const char *what)
{
	return is_file(what) && (strchr(what, '/') || cli_is_definition(what));
}

static int
launch_file(const char *path, struct launch_opts *opts)
{
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def def;
	struct src_set srcs;
	int rc;

	src_set_init(&srcs);
	opts->def_path = path;   /* --trace records cite the user's file */
	rc = cli_def_load(path, &none, &srcs, &def);
	if (rc == 0) {
		rc = cli_launch_def(&def, opts);
		def_release(&def);
	}
	src_set_release(&srcs);
	return rc;
}

static int
launch_name(const char *name, struct launch_opts *opts)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	int rc;

	if (cli_store_open(&st, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = cli_load_container(&st, name, &ci, &def);
	if (rc)
		goto out;
	rc = cli_pick_project(&def, opts, "launch");
	if (rc == 0)
		rc = launch_in_container(&def, &st, &ci, opts, NULL);
	free(opts->project_buf);
	def_release(&def);
out:
	container_info_release(&ci);
	container_store_release(&st);
	return rc;
}

int
cmd_launch(int argc, char **argv)
{
	struct launch_opts opts;
	int c, rc = EXIT_OK;

	memset(&opts, 0, sizeof(opts));
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "+hC:", launch_options, NULL)) != -1) {
		if (launch_opt_parse(c, optarg, &opts, "launch", &rc)) {
			if (rc)
				return rc;
			continue;
		}
		if (c == 'N') {
			opts.name = optarg;
		} else if (c == 'R') {
			opts.recreate = 1;
		} else if (c == 'h') {
			fputs(cmd_launch_usage, stdout);
			return EXIT_OK;
		} else {
			return cli_usage_error("launch", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("launch", "expected NAME or DEFINITION");
	if (optind + 1 < argc) {
		if (strcmp(argv[optind + 1], "--"))
			return cli_usage_error("launch", "put '--' before the "
					       "program and its arguments");
		opts.argv = argv + optind + 2;
	}
	if (!names_definition(argv[optind]) && (opts.name || opts.recreate))
		return cli_usage_error("launch", "--name and --recreate go "
				       "with a DEFINITION file, not a "
				       "container's name");
	if (names_definition(argv[optind]))
		return launch_file(argv[optind], &opts);
	return launch_name(argv[optind], &opts);
}
