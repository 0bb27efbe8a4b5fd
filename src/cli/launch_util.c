#include "cli/launch_util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/denials.h"
#include "cli/cli.h"
#include "cli/project.h"
#include "cli/trace_out.h"
#include "util/xalloc.h"

extern char **environ;

static void
launch_warn(const char *msg)
{
	cli_warn("%s", msg);
}

static int
set_timeout(void *ctx, const struct cli_opt *o, const char *val,
	    const char *cmd)
{
	struct launch_opts *opts = ctx;

	opts->timeout = cli_parse_duration(val);
	if (opts->timeout <= 0)
		return cli_opt_error(cmd, o, "expected a duration such as 30, "
				     "1.5, 2s, 5m or 1h, not '%s'", val);
	return CLI_CONTINUE;
}

static int
set_trace(void *ctx, const struct cli_opt *o, const char *val,
	  const char *cmd)
{
	struct launch_opts *opts = ctx;

	(void)o;
	(void)cmd;
	opts->trace = 1;
	opts->trace_file = val;
	return CLI_CONTINUE;
}

static int
set_pty(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	(void)val;
	(void)cmd;
	((struct launch_opts *)ctx)->pty = (enum pty_mode)o->value;
	return CLI_CONTINUE;
}

const struct cli_opt launch_common_opts[] = {
	{ "allow-weaker", 0, NULL, cli_set_flag, LAUNCH_ALLOW_WEAKER,
	  "run even when the kernel cannot enforce everything (warns);"
	  " otherwise such a launch exits with 3" },
	{ "project", 'C', "DIR", cli_set_string,
	  offsetof(struct launch_opts, project_arg),
	  "use DIR as the project, ${PROJECT} and the working folder"
	  " (default: the current folder)" },
	{ "timeout", 0, "DURATION", set_timeout, 0,
	  "kill the program after DURATION: 30, 1.5, 2s, 5m, 1h" },
	{ "pty", 0, NULL, set_pty, PTY_ON,
	  "run the program on a terminal of its own (the default when stdin,"
	  " stdout or stderr is one)" },
	{ "no-pty", 0, NULL, set_pty, PTY_OFF,
	  "pass the standard descriptors through as they are" },
	{ "trace", 0, "=FILE", set_trace, 0,
	  "record what the definition refuses (on Linux also what sbox's"
	  " seccomp filter refuses in every container): a summary on stderr"
	  " at exit, one JSON line per access in FILE" },
	CLI_OPT_END,
};

/* What ended the program, when sbox's limits did: said like an error. */
static void
report_limit(const struct container_def *def, const struct launch_opts *opts,
	     const struct launch_result *res)
{
	if (res->timed_out)
		cli_error("the program ran out of time (%g s) and was killed",
			  opts->timeout > 0 ? opts->timeout
					    : (double)def->limits.wall_seconds);
	else if (res->signal == SIGXCPU && def->limits.cpu_seconds)
		cli_error("the program used up its CPU time (cpu-seconds %llu) "
			  "and was killed",
			  (unsigned long long)def->limits.cpu_seconds);
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

/*
 * Deny path (by its real path) and drop the grants below it (by both).
 * A folder that does not exist is denied only when it must be.
 */
static void
deny_fully(struct container_def *def, const char *path, const char *keep,
	   int must)
{
	char *real = realpath(path, NULL);

	if (real || must)
		def_deny_path(def, real ? real : path);
	def_ungrant_under(def, path, keep);
	if (real && strcmp(real, path))
		def_ungrant_under(def, real, keep);
	free(real);
}

/*
 * No container may reach a store or the seal key, whatever its grants
 * say (a program that could edit a stored definition and seal it would
 * choose its next policy): the store in use, the default one when
 * SBOX_HOME points elsewhere, and the key's folder. A grant inside them
 * is dropped, or it would be more specific than the deny; the
 * container's own Data/ stays granted. Stores used earlier with another
 * SBOX_HOME are not known here: the seal is what protects those.
 */
static int
deny_stores(struct container_def *def, const struct container_store *st,
	    const struct container_info *ci, struct sbox_err *err)
{
	char *usual = container_store_usual_path(st), *key;
	char *data = realpath(ci->data_dir, NULL);

	deny_fully(def, st->path, data ? data : ci->data_dir, 1);
	if (data && strcmp(data, ci->data_dir))
		def_ungrant_under(def, st->path, ci->data_dir);
	if (usual && strcmp(usual, st->path))
		deny_fully(def, usual, NULL, 0);
	free(usual);
	free(data);
	key = container_seal_dir_ready(st, err);
	if (!key)
		return -1;
	deny_fully(def, key, NULL, 1);
	free(key);
	return 0;
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
	const char *cwd = opts->project;
	char *picked = NULL;
	char *tmpdir = xasprintf("%s/tmp", ci->data_dir);
	int status = EXIT_LAUNCH_FAILED, rc;
	char **prog = NULL;

	memset(&req, 0, sizeof(req));
	denials_init(&denials);
	memset(&local, 0, sizeof(local));
	if (!res)
		res = &local;
	res->started = 0;
	vars.home = st->user_home;
	vars.container = ci->data_dir;
	vars.project = cwd;
	vars.tmpdir = tmpdir;
	/* a caller that did not pick the project: the rule of cli/project.c */
	if (!cwd) {
		picked = cli_project_for(def, opts->project_arg, "launch");
		if (!picked) {
			status = EXIT_USAGE;
			goto out;
		}
		cwd = picked;
		vars.project = cwd;
	}
	if (def_resolve(def, &vars, &err) < 0 || (opts->trace_model &&
	    def_resolve(opts->trace_model, &vars, &err) < 0)) {
		status = cli_report(&err);
		goto out;
	}
	if (deny_stores(def, st, ci, &err) < 0) {
		status = cli_report(&err);
		goto out;
	}
	if (opts->timeout > 0) {
		/* whole seconds in the plan; the request has the exact value */
		def->limits.wall_seconds = (uint64_t)ceil(opts->timeout);
		req.timeout = opts->timeout;
	}
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
	/* for `sbox ps`; a launch does not depend on it */
	if (container_running_add(st, ci->name, req.argv, &err) < 0)
		memset(&err, 0, sizeof(err));
	rc = backend_launch(&req, &status, &err);
	container_running_remove(st, ci->name);
	if (rc == 0) {
		res->started = 1;
		container_ran(st, ci);
	}
	if (rc < 0) {
		status = cli_report(&err);
		/* DESIGN.md "Exit codes": a set-up that failed for any other
		 * reason than bad input or a missing kernel feature is 125 */
		if (status == EXIT_USAGE && err.code != SBOX_E_INVALID)
			status = EXIT_LAUNCH_FAILED;
		goto out;
	}
	report_limit(def, opts, res);
out:
	/* also when the program could not start: its execve may be why */
	/* grants only: the container's copy goes with a run; cite the
	 * command line, and the presets' lines for their rules */
	if (req.denials == &denials && opts->def_cli)
		trace_out(TRACE_COMMAND_LINE, def, &vars, &denials,
			  opts->trace_file, 1, opts->trace_json);
	else if (req.denials == &denials)
		trace_out(opts->def_path ? opts->def_path : ci->definition_path,
			  NULL, &vars, &denials, opts->trace_file, 1,
			  opts->trace_json);
	denials_release(&denials);
	free(prog);
	free(tmpdir);
	free(picked);
	return status;
}
