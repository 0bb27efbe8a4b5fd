/*
 * sbox create DEFINITION [--name NAME]: a container in the store with
 * the normalised definition, a home tree from its template, and root/
 * when it names a root filesystem.
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/container_out.h"
#include "cli/project.h"
#include "cli/worker.h"

#include <stddef.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_create_usage[] =
	"usage: sbox create DEFINITION [--name NAME] [-C DIR] [--quiet]\n"
	"\n"
	"Builds Data/ from the definition's \"template\" (default:\n"
	"templates/default) and root/ from its \"root\", in a temporary\n"
	"folder of the store that is renamed into place when complete.\n";

struct create_job {
	const char *name;       /* --name */
	unsigned quiet;
	struct container_store *st;
	const char *file;
	struct container_info ci;
	struct sbox_err err;
	struct src_set srcs;
	struct diag_list diags;
	const char *project_arg; /* --project */
	char *project;          /* ${PROJECT} for "template" and "root" */
	struct container_def def;
	int loaded;
};

static int
set_quiet(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	(void)o;
	(void)val;
	(void)cmd;
	((struct create_job *)ctx)->quiet = 1;
	return CLI_CONTINUE;
}

static const struct cli_opt create_opts[] = {
	{ "name", 0, "NAME", cli_set_string, offsetof(struct create_job, name),
	  "the container's name (default: the definition's \"name\")" },
	{ "project", 'C', "DIR", cli_set_string,
	  offsetof(struct create_job, project_arg),
	  "${PROJECT} in \"template\" and \"root\" (default: the current"
	  " folder)" },
	{ "quiet", 'q', NULL, set_quiet, 0,
	  "no progress line (there is none when standard error is not a"
	  " terminal)" },
	CLI_OPT_END,
};

static int
create_work(void *arg)
{
	struct create_job *j = arg;

	struct container_use_opts uo = { j->name, j->project, 0, 0 };

	return container_create_with(j->st, &j->def, &uo, &j->ci,
				     &j->err) < 0 ? -1 : EXIT_OK;
}

static int
create_finish(void *arg, int rc)
{
	struct create_job *j = arg;

	cli_print_diags(&j->diags);
	if (rc == EXIT_OK) {
		printf("created container '%s' at %s\n", j->ci.name, j->ci.dir);
		return EXIT_OK;
	}
	rc = cli_report(&j->err);
	if (j->err.code == SBOX_E_EXISTS)
		fprintf(stderr, "hint: give another name with --name NAME, or "
			"remove the existing one with 'sbox rm'\n");
	return rc;
}

/* the half-made container: opening the store again clears it */
static void
create_cleanup(void *arg, pid_t child)
{
	(void)child;
	cli_store_reopen(((struct create_job *)arg)->st);
}

/* Templates and roots unpack at their own pace: say how long so far. */
static int
create_progress(void *arg, pid_t child, double secs, char *line, size_t len)
{
	struct create_job *j = arg;

	(void)child;
	if (secs < 1)
		return 0;
	snprintf(line, len, "creating from %s: unpacking its template and "
		 "root (%.0f s)", j->file, secs);
	return 1;
}

int
cmd_create(int argc, char **argv)
{
	struct create_job job;
	const struct cli_optgroup groups[] = { { create_opts, &job },
					       { NULL, NULL } };
	struct cli_worker worker = { create_work, create_finish, &job,
				     create_cleanup, create_progress, NULL, 0 };
	struct container_store st = CONTAINER_STORE_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct container_def *def = &job.def;
	struct cli_args a;
	int rc;

	memset(&job, 0, sizeof(job));
	job.ci = (struct container_info)CONTAINER_INFO_INIT;
	src_set_init(&job.srcs);
	diag_list_init(&job.diags);
	rc = cli_parse("create", argc, argv, groups, &a);
	if (rc == CLI_CONTINUE && a.npos != 1)
		rc = cli_usage_error("create", "expected one DEFINITION");
	if (rc != CLI_CONTINUE)
		goto out;
	job.file = a.pos[0];
	/* read with the invoking user's rights under sudo (cli_def_load) */
	rc = cli_def_load(job.file, &none, &job.srcs, def);
	if (rc)
		goto out;
	job.loaded = 1;
	/* only "template" and "root" can use ${PROJECT} at creation */
	if (job.project_arg || (def->template_name &&
				strstr(def->template_name, "${PROJECT}")) ||
	    (def->root && strstr(def->root, "${PROJECT}"))) {
		job.project = cli_project_for(def, job.project_arg, "create");
		if (!job.project) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	rc = container_out_open_store(&st);
	if (rc)
		goto out;
	job.st = &st;
	worker.show_progress = cli_progress_wanted((int)job.quiet);
	rc = cli_worker_run(&worker);
	container_store_release(&st);
out:
	if (job.loaded)
		def_release(&job.def);
	free(job.project);
	container_info_release(&job.ci);
	diag_list_release(&job.diags);
	src_set_release(&job.srcs);
	cli_args_release(&a);
	return rc;
}
