/* sbox compile: a definition -> SBPL (macOS) or a launch plan (Linux). */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/grants.h"
#include "cli/project.h"
#include "backend/linux/linux_plan.h"
#include "sbpl/emit.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_compile_usage[] =
	"usage: sbox compile [DEFINITION] [OPTIONS]\n"
	"\n"
	"Compiles DEFINITION to a canonical SBPL profile (--target macos, for\n"
	"sandbox_init or sandbox-exec) or to the Linux launch plan as JSON\n"
	"(--target linux). Grants (--preset, --read, --write ...) add to it as\n"
	"they do for launch and run; --format json prints the merged definition,\n"
	"a file that means the same as the command line:\n"
	"\n"
	"    sbox compile --preset build-tools --write . --format json >my.json\n";

struct compile_own {
	const char *output;
	const char *target;
	const char *format;
	struct def_vars vars;
	char *project;          /* -C DIR, checked; vars.project points here */
};

static int
set_project(void *ctx, const struct cli_opt *o, const char *val,
	    const char *cmd)
{
	struct compile_own *c = ctx;
	int rc = cli_set_project(ctx, o, val, cmd);

	/* after -D PROJECT= or before it: the last one given counts */
	if (rc == CLI_CONTINUE)
		c->vars.project = c->project;
	return rc;
}

static int
set_var(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct compile_own *c = ctx;

	if (cli_def_var(val, &c->vars) < 0)
		return cli_opt_error(cmd, o, "expected HOME, CONTAINER, PROJECT "
				     "or TMPDIR=VALUE, not '%s'", val);
	return CLI_CONTINUE;
}

static const struct cli_opt compile_own_opts[] = {
	{ "output", 'o', "FILE", cli_set_string,
	  offsetof(struct compile_own, output),
	  "write the result to FILE instead of standard output" },
	{ "project", 'C', "DIR", set_project,
	  offsetof(struct compile_own, project),
	  "${PROJECT} is DIR (as sbox launch -C DIR)" },
	{ "define", 'D', "KEY=VALUE", set_var, 0,
	  "value of a path variable: HOME, CONTAINER, PROJECT, TMPDIR"
	  " (TMPDIR defaults to CONTAINER/tmp; variables left unset become"
	  " profile parameters, paths are string literals)" },
	{ "target", 0, "macos|linux", cli_set_string,
	  offsetof(struct compile_own, target),
	  "SBPL for macOS (default) or the Linux launch plan (JSON)" },
	{ "format", 0, "sbpl|json", cli_set_string,
	  offsetof(struct compile_own, format),
	  "json: the merged definition instead of the compiled result" },
	CLI_OPT_END,
};

static int
write_output(const char *path, const struct strbuf *sb)
{
	int fd;
	size_t off = 0;

	if (!path)
		return fwrite(sb->buf, 1, sb->len, stdout) == sb->len ? 0 : -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (off < sb->len) {
		ssize_t n = write(fd, sb->buf + off, sb->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* Write the result, reporting failure; an exit code. */
static int
write_output_reported(const char *path, const struct strbuf *sb)
{
	if (write_output(path, sb) == 0)
		return EXIT_OK;
	cli_error("cannot write '%s': %s", path ? path : "standard output",
		  strerror(errno));
	return EXIT_USAGE;
}

static void
free_params(struct def_strlist *params)
{
	for (size_t i = 0; i < params->nr; i++)
		free(params->v[i]);
	free(params->v);
}

static int
compile_macos(const struct container_def *def, const char *output)
{
	struct strbuf out = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	int rc = EXIT_OK;

	if (sbpl_emit_def(def, &out, &params, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	rc = write_output_reported(output, &out);
out:
	free_params(&params);
	strbuf_release(&out);
	return rc;
}

/*
 * The Linux launch plan (backend/linux/linux_plan.h) as JSON, with the list of
 * what Linux enforces only approximately. Unset variables stay in the
 * paths as ${NAME}.
 */
static int
compile_linux(const struct container_def *def, const struct def_vars *vars,
	      const char *output)
{
	struct strbuf out = STRBUF_INIT;
	struct linux_plan plan;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *data = vars->container ? vars->container : "${CONTAINER}";
	char *tmpdir = NULL;
	int rc = EXIT_OK;

	linux_plan_init(&plan);
	if (vars->tmpdir)
		tmpdir = strdup(vars->tmpdir);
	else if (asprintf(&tmpdir, "%s/tmp", data) < 0)
		tmpdir = NULL;
	if (linux_plan_build(&plan, def, data, tmpdir, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	linux_plan_to_json(&plan, &out);
	rc = write_output_reported(output, &out);
out:
	linux_plan_release(&plan);
	strbuf_release(&out);
	free(tmpdir);
	return rc;
}

static int
compile_definition_json(const struct container_def *def, const char *output)
{
	struct strbuf out = STRBUF_INIT;
	char *json = def_to_json(def);
	int rc;

	strbuf_addstr(&out, json);
	if (!out.len || out.buf[out.len - 1] != '\n')
		strbuf_addch(&out, '\n');
	rc = write_output_reported(output, &out);
	strbuf_release(&out);
	free(json);
	return rc;
}

static int
check_choices(const struct compile_own *c)
{
	if (strcmp(c->target, "macos") && strcmp(c->target, "linux"))
		return cli_usage_error("compile", "--target: unknown target "
				       "'%s' (macos or linux)", c->target);
	if (strcmp(c->format, "sbpl") && strcmp(c->format, "json"))
		return cli_usage_error("compile", "--format: unknown format "
				       "'%s' (sbpl or json)", c->format);
	return CLI_CONTINUE;
}

int
cmd_compile(int argc, char **argv)
{
	struct compile_own own = { NULL, "macos", "sbpl",
				   { NULL, NULL, NULL, NULL }, NULL };
	struct cli_grants grants;
	const struct cli_optgroup groups[] = {
		{ compile_own_opts, &own },
		{ cli_grant_opts, &grants },
		{ NULL, NULL },
	};
	struct container_def def;
	struct src_set srcs;
	struct cli_args a;
	char *tmpdir = NULL;
	int rc;

	memset(&grants, 0, sizeof(grants));
	src_set_init(&srcs);
	rc = cli_parse("compile", argc, argv, groups, &a);
	if (rc != CLI_CONTINUE)
		goto out;
	if (a.npos > 1 || a.dashdash) {
		rc = cli_usage_error("compile", "unexpected '%s': expected one "
				     "DEFINITION", a.npos > 1 ? a.pos[1] : "--");
		goto out;
	}
	if (!a.npos && !grants.given) {
		rc = cli_usage_error("compile", "expected a DEFINITION or grants "
				     "such as --preset");
		goto out;
	}
	rc = check_choices(&own);
	if (rc != CLI_CONTINUE)
		goto out;
	/* a launch puts TMPDIR in the container's Data/tmp: so does compile,
	 * so that fixing CONTAINER fixes every path */
	if (own.vars.container && !own.vars.tmpdir) {
		tmpdir = xasprintf("%s/tmp", own.vars.container);
		own.vars.tmpdir = tmpdir;
	}
	rc = cli_def_load_grants(a.npos ? a.pos[0] : NULL, &grants, NULL,
				 &own.vars, &srcs, &def);
	if (rc)
		goto out;
	if (!strcmp(own.format, "json"))
		rc = compile_definition_json(&def, own.output);
	else if (!strcmp(own.target, "linux"))
		rc = compile_linux(&def, &own.vars, own.output);
	else
		rc = compile_macos(&def, own.output);
	def_release(&def);
out:
	cli_args_release(&a);
	cli_grants_release(&grants);
	src_set_release(&srcs);
	free(own.project);
	free(tmpdir);
	return rc;
}
