/*
 * sbox run: a fresh container per run, uniquely named so that many runs
 * of one definition never share anything, removed afterwards unless
 * --keep; --report writes what happened as JSON.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/grants.h"
#include "cli/launch_util.h"
#include "cli/launch_def.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

const char cmd_run_usage[] =
	"usage: sbox run [DEFINITION] [OPTIONS] -- PROGRAM ARGS...\n"
	"\n"
	"Creates a new container from DEFINITION, runs PROGRAM in it, and\n"
	"removes the container. Exits with the program's status. Grants\n"
	"(--preset, --read, --write ...) add to DEFINITION as a definition that\n"
	"extends it would. Without a DEFINITION, give at least one grant; they\n"
	"start from the preset \"base\" (--preset base alone runs base as is):\n"
	"\n"
	"    sbox run --preset build-tools --write . --net none -- make test\n";

struct run_own {
	unsigned keep;          /* first, for cli_set_flag */
	const char *report;
};

static const struct cli_opt run_own_opts[] = {
	{ "keep", 0, NULL, cli_set_flag, 1,
	  "keep the container afterwards (its name is printed); one whose"
	  " program never started is removed all the same" },
	{ "report", 0, "FILE", cli_set_string, offsetof(struct run_own, report),
	  "write a JSON report: container, exit status, signal, duration"
	  " (with --trace: the denial records too)" },
	CLI_OPT_END,
};

/* "<definition name>-run-<12 random hex digits>", at most 64 characters. */
static char *
run_name(const struct container_def *def)
{
	unsigned char rnd[6];
	const char *base = def->name ? def->name : "sbox";

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return NULL;
	return xasprintf("%.46s-run-%02x%02x%02x%02x%02x%02x", base, rnd[0],
			 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
}

static int
write_report(const char *path, const char *name, int kept, int status,
	     const struct launch_result *res, const struct strbuf *denials)
{
	struct strbuf sb = STRBUF_INIT;
	int fd, ret = -1;

	strbuf_addstr(&sb, "{\n  \"version\": 1,\n  \"container\": ");
	strbuf_add_quoted(&sb, name);
	strbuf_addf(&sb, ",\n  \"kept\": %s,\n  \"exit_status\": %d,\n",
		    kept ? "true" : "false", status);
	if (res->exited)
		strbuf_addf(&sb, "  \"exit_code\": %d,\n  \"signal\": null,\n",
			    res->exit_code);
	else if (res->signal)
		strbuf_addf(&sb, "  \"exit_code\": null,\n  \"signal\": %d,\n",
			    res->signal);
	else	/* the program never started */
		strbuf_addstr(&sb, "  \"exit_code\": null,\n  \"signal\": null,\n");
	strbuf_addf(&sb, "  \"timed_out\": %s,\n  \"duration_seconds\": %.6f",
		    res->timed_out ? "true" : "false", res->seconds);
	if (denials)
		strbuf_addf(&sb, ",\n  \"denials\": %s", denials->buf);
	strbuf_addstr(&sb, "\n}\n");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, sb.buf, sb.len) == (ssize_t)sb.len)
		ret = 0;
	if (fd >= 0 && close(fd) < 0)
		ret = -1;
	strbuf_release(&sb);
	return ret;
}

struct run_args {
	const char *defpath;
	struct run_own own;
	struct launch_opts opts;
	struct cli_grants grants;
	struct cli_args args;
};

static int
parse_run_args(int argc, char **argv, struct run_args *a)
{
	const struct cli_optgroup groups[] = {
		{ run_own_opts, &a->own },
		{ launch_common_opts, &a->opts },
		{ cli_grant_opts, &a->grants },
		{ NULL, NULL },
	};
	int rc = cli_parse_before_program("run", argc, argv, groups,
					  &a->args);

	if (rc != CLI_CONTINUE)
		return rc;
	a->defpath = a->args.npos ? a->args.pos[0] : NULL;
	if (!a->defpath && !a->grants.given)
		return cli_usage_error("run", "expected a DEFINITION or grants "
				       "such as --preset");
	a->opts.argv = a->args.rest;
	if (!a->opts.argv || !a->opts.argv[0])
		return cli_usage_error("run", "expected '--' and a PROGRAM");
	return CLI_CONTINUE;
}

static int
run_in_new_container(struct container_store *st, struct container_def *def,
		     const struct run_args *a)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	struct launch_result res;
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_use_opts uo = { NULL, NULL, 0, 0 };
	char *name = run_name(def);
	int rc, run_lock = -1, keep;

	memset(&res, 0, sizeof(res));
	if (!name) {
		cli_error("cannot pick a container name: %s", strerror(errno));
		return EXIT_LAUNCH_FAILED;
	}
	uo.name = name;
	uo.project = a->opts.project;
	/* the run lock makes the next sbox command remove the container if
	 * this process cannot (killed, interrupted during the set-up) */
	if (container_create_run(st, def, &uo, &run_lock, &ci, &err) < 0 ||
	    container_hold(st, &ci, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	struct launch_opts opts = a->opts;
	struct strbuf denials = STRBUF_INIT;

	opts.def_path = a->defpath;
	opts.def_cli = !a->defpath;
	if (opts.trace && a->own.report)
		opts.trace_json = &denials;
	rc = launch_in_container(def, st, &ci, &opts, &res);
	container_info_release(&ci);
	/* a container no program ran in is nothing worth keeping */
	keep = a->own.keep && res.started;
	if (keep && container_run_keep(st, name, &err) < 0)
		cli_warn("%s", err.msg);
	else if (keep)
		fprintf(stderr, "sbox: kept container %s\n", name);
	else if (container_remove(st, name, &err) < 0)
		cli_warn("could not remove container %s: %s", name, err.msg);
	else if (a->own.keep)
		fprintf(stderr, "sbox: container %s not kept: the program "
			"never started\n", name);
	if (a->own.report && write_report(a->own.report, name, keep, rc, &res,
					  opts.trace ? &denials : NULL) < 0)
		cli_warn("cannot write report '%s': %s", a->own.report,
			 strerror(errno));
	strbuf_release(&denials);
out:
	container_info_release(&ci);
	if (run_lock >= 0)
		close(run_lock);
	free(name);
	return rc;
}

int
cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct container_store st = CONTAINER_STORE_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	struct src_set srcs;
	int rc;

	memset(&a, 0, sizeof(a));
	src_set_init(&srcs);
	rc = parse_run_args(argc, argv, &a);
	if (rc != CLI_CONTINUE)
		goto out_srcs;
	/* without a definition, runs are named after the preset */
	rc = cli_def_load_grants(a.defpath, &a.grants, a.defpath ? NULL :
				 a.grants.presets.nr ?
				 a.grants.presets.v[a.grants.presets.nr - 1] :
				 "base", &none, &srcs, &def);
	if (rc)
		goto out_srcs;
	rc = cli_pick_project(&def, &a.opts, "run");
	if (rc == 0 && cli_store_open(&st, &err) < 0)
		rc = cli_report(&err);
	else if (rc == 0)
		rc = run_in_new_container(&st, &def, &a);
	container_store_release(&st);
	def_release(&def);
out_srcs:
	src_set_release(&srcs);
	cli_grants_release(&a.grants);
	cli_args_release(&a.args);
	free(a.opts.project_buf);
	return rc;
}
