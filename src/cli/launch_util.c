#include "cli/launch_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/denials.h"
#include "cli/cli.h"
#include "cli/trace_out.h"
#include "util/xalloc.h"

extern char **environ;

static void
launch_warn(const char *msg)
{
	cli_warn("%s", msg);
}

int
launch_opt_parse(int c, const char *arg, struct launch_opts *opts,
		 const char *cmd, int *rc)
{
	char *end;

	switch (c) {
	case 'W':
		opts->flags |= LAUNCH_ALLOW_WEAKER;
		return 1;
	case 'X':
		opts->trace = 1;
		opts->trace_file = arg;
		return 1;
	case LAUNCH_OPT_PTY:
		opts->pty = PTY_ON;
		return 1;
	case LAUNCH_OPT_NO_PTY:
		opts->pty = PTY_OFF;
		return 1;
	case 'T':
		errno = 0;
		opts->timeout = strtoull(arg, &end, 10);
		if (errno || *end || !*arg || opts->timeout == 0)
			*rc = cli_usage_error(cmd, "--timeout wants a number of "
					      "seconds, not '%s'", arg);
		return 1;
	}
	return 0;
}

/* The program after "--", else the definition's (NULL-terminated copy). */
static char *const *
program_argv(const struct container_def *def, const struct launch_opts *opts,
	     char ***copy)
{
	if (opts->argv && opts->argv[0])
		return opts->argv;
	if (!def->program.nr)
		return NULL;
	*copy = xcalloc(def->program.nr + 1, sizeof(**copy));
	memcpy(*copy, def->program.v, def->program.nr * sizeof(**copy));
	return *copy;
}

int
launch_in_container(struct container_def *def,
		    const struct container_store *st,
		    const struct container_info *ci,
		    const struct launch_opts *opts, struct launch_result *res)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct launch_request req;
	struct launch_result local;
	struct denials denials;
	struct def_vars vars;
	char *cwd = getcwd(NULL, 0);
	char *tmpdir = xasprintf("%s/tmp", ci->data_dir);
	int status = EXIT_LAUNCH_FAILED;
	char **prog = NULL;

	memset(&req, 0, sizeof(req));
	denials_init(&denials);
	memset(&local, 0, sizeof(local));
	if (!res)
		res = &local;
	vars.home = st->user_home;
	vars.container = ci->data_dir;
	vars.project = cwd;
	vars.tmpdir = tmpdir;
	if (!cwd) {
		cli_error("cannot read the working directory: %s",
			  strerror(errno));
		goto out;
	}
	if (def_resolve(def, &vars, &err) < 0 || (opts->trace_model &&
	    def_resolve(opts->trace_model, &vars, &err) < 0)) {
		status = cli_report(&err);
		goto out;
	}
	if (opts->timeout)
		def->limits.wall_seconds = opts->timeout;
	req.def = def;
	req.container_dir = ci->dir;
	req.data_dir = ci->data_dir;
	req.root_dir = ci->root_dir;
	req.project_dir = cwd;
	req.real_home = st->user_home;
	req.argv = program_argv(def, opts, &prog);
	req.envp = environ;
	req.flags = opts->flags;
	req.pty = opts->pty;
	req.warn = launch_warn;
	req.result = res;
	if (!req.argv) {
		cli_error("nothing to run: give a program after '--' or a "
			  "\"program\" in the definition");
		status = EXIT_USAGE;
		goto out;
	}
	if (opts->trace)
		req.denials = opts->denials ? opts->denials : &denials;
	req.trace_model = opts->trace_model;
	denials_init(&denials);
	if (backend_launch(&req, &status, &err) < 0) {
		status = cli_report(&err);
		/* DESIGN.md "Exit codes": a set-up that failed for any other
		 * reason than bad input or a missing kernel feature is 125 */
		if (status == EXIT_USAGE && err.code != SBOX_E_INVALID)
			status = EXIT_LAUNCH_FAILED;
		goto out;
	}
	if (res->timed_out)
		cli_error("the program ran out of time (%llu s) and was killed",
			  (unsigned long long)def->limits.wall_seconds);
out:
	/* also when the program could not start: its execve may be why */
	if (req.denials == &denials)
		trace_out(opts->def_path ? opts->def_path : ci->definition_path,
			  &vars, &denials, opts->trace_file, 1, opts->trace_json);
	denials_release(&denials);
	free(prog);
	free(tmpdir);
	free(cwd);
	return status;
}
