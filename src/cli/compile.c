/* sbox compile: a definition -> SBPL (macOS) or a launch plan (Linux). */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "backend/linux_plan.h"
#include "sbpl/emit.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_compile_usage[] =
	"usage: sbox compile DEFINITION [-o FILE] [-D KEY=VALUE] [--target macos|linux]\n"
	"\n"
	"  -o, --output FILE   write the result to FILE instead of standard output\n"
	"  -D KEY=VALUE        value of a path variable: HOME, CONTAINER, PROJECT, TMPDIR\n"
	"                      (TMPDIR defaults to CONTAINER/tmp; variables left unset\n"
	"                      become profile parameters, paths are string literals)\n"
	"  --target macos      canonical SBPL for sandbox_init / sandbox-exec (default)\n"
	"  --target linux      the Linux launch plan as JSON\n";

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
 * The Linux launch plan (backend/linux_plan.h) as JSON, with the list of
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

int
cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "target", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct def_vars vars = { NULL, NULL, NULL, NULL };
	const char *output = NULL, *target = "macos";
	struct container_def def;
	struct src_set srcs;
	const char *defpath = NULL;
	char *tmpdir = NULL;
	int c, rc;

	/* options may follow the definition: take positionals as they come */
	while (optind < argc) {
		if (argv[optind][0] != '-' || !argv[optind][1]) {
			if (defpath)
				return cli_usage_error("compile", "expected one DEFINITION");
			defpath = argv[optind++];
			continue;
		}
		c = getopt_long(argc, argv, "+o:D:h", opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'D':
			if (cli_def_var(optarg, &vars) < 0)
				return cli_usage_error("compile",
						       "-D wants HOME, CONTAINER, PROJECT or TMPDIR=VALUE, not '%s'",
						       optarg);
			break;
		case 't':
			target = optarg;
			break;
		case 'h':
			fputs(cmd_compile_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("compile", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc && !defpath)
		defpath = argv[optind++];
	if (!defpath || optind < argc)
		return cli_usage_error("compile", "expected one DEFINITION");
	if (strcmp(target, "macos") && strcmp(target, "linux"))
		return cli_usage_error("compile", "unknown target '%s' (macos or linux)",
				       target);
	/* a launch puts TMPDIR in the container's Data/tmp: so does compile,
	 * so that fixing CONTAINER fixes every path */
	if (vars.container && !vars.tmpdir) {
		tmpdir = xasprintf("%s/tmp", vars.container);
		vars.tmpdir = tmpdir;
	}
	src_set_init(&srcs);
	rc = cli_def_load(defpath, &vars, &srcs, &def);
	if (rc)
		goto out;
	if (!strcmp(target, "linux")) {
		rc = compile_linux(&def, &vars, output);
	} else {
		rc = compile_macos(&def, output);
	}
	def_release(&def);
out:
	src_set_release(&srcs);
	free(tmpdir);
	return rc;
}
