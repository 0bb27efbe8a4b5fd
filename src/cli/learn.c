/*
 * sbox learn DEFINITION|--preset P -- PROGRAM ARGS...: run the program in
 * a fresh container that lets it read (and run) what it asks for, record
 * what the starting definition would have refused, and propose the
 * smallest grants that allow it (backend/learn.h).
 */
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "cli/launch_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/learn.h"
#include "cli/trace_out.h"
#include "util/datadir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const char cmd_learn_usage[] =
	"usage: sbox learn DEFINITION|--preset P [OPTIONS] -- PROGRAM ARGS...\n"
	"\n"
	"Runs PROGRAM once in a fresh container, records every access the\n"
	"definition (or preset P) would refuse, and writes a proposed definition\n"
	"that extends it with the smallest grants that allow them: a folder\n"
	"where three or more refused paths share one, single files otherwise,\n"
	"exec only of what was executed, network only the ports used. It never\n"
	"grants what the definition denies, nor /, a whole home folder or the\n"
	"container store, and lists what it refused to grant and why.\n"
	"\n"
	"What a learning run may do: everything the definition allows, plus\n"
	"reading and running any file the definition does not deny. It may not\n"
	"write anywhere the definition does not let it write, nor use network\n"
	"the definition does not allow: those attempts fail and become proposals\n"
	"(network \"none\" runs with a private loopback that reaches nothing\n"
	"outside the container, so that connections can be seen).\n";

const char cmd_learn_epilog[] =
	"Exit status: 0 when a proposal was written (whatever the program's\n"
	"status), 2 bad usage (also: the proposal file exists; nothing is run),\n"
	"3 or 125 when the learning run could not start.\n";

struct learn_args {
	const char *preset, *output, *format;   /* first: the option table's */
	const char *defpath;
	char *preset_path;
	struct launch_opts opts;
	struct cli_args args;
};

static const struct cli_opt learn_opts[] = {
	{ "preset", 0, "PRESET", cli_set_string,
	  offsetof(struct learn_args, preset),
	  "start from the preset (base, build-tools, ...)" },
	{ "output", 'o', "FILE", cli_set_string,
	  offsetof(struct learn_args, output),
	  "write the proposal to FILE (default NAME.learned.json in the current"
	  " folder; an existing file is kept)" },
	{ "format", 0, "json", cli_set_string,
	  offsetof(struct learn_args, format),
	  "print the proposal on stdout instead" },
	CLI_OPT_END,
};

static int
parse_learn_args(int argc, char **argv, struct learn_args *a)
{
	const struct cli_optgroup groups[] = {
		{ learn_opts, a },
		{ launch_common_opts, &a->opts },
		{ NULL, NULL },
	};
	int rc = cli_parse_before_program("learn", argc, argv, groups,
					  &a->args);

	if (rc != CLI_CONTINUE)
		return rc;
	a->defpath = a->args.npos ? a->args.pos[0] : NULL;
	a->opts.argv = a->args.rest;
	if (a->format && strcmp(a->format, "json"))
		return cli_usage_error("learn", "--format: expected json, not "
				       "'%s'", a->format);
	if (!!a->defpath == !!a->preset)
		return cli_usage_error("learn", "expected a DEFINITION or --preset P");
	if (!a->opts.argv || !a->opts.argv[0])
		return cli_usage_error("learn", "expected '--' and a PROGRAM");
	if (a->preset) {
		struct stat st;

		if (strchr(a->preset, '/') || a->preset[0] == '.')
			return cli_usage_error("learn", "a preset is a name, not '%s'",
					       a->preset);
		a->preset_path = xasprintf("%s/profiles/%s.json", sbox_datadir(),
					   a->preset);
		if (stat(a->preset_path, &st) < 0)
			return cli_usage_error("learn", "no preset '%s'", a->preset);
		a->defpath = a->preset_path;
	}
	return CLI_CONTINUE;
}

/* The learning definition: the start, plus read and exec of everything
 * it does not deny, minus the store; "none" becomes a private loopback. */
static void
widen(struct container_def *def, const struct container_store *st,
      const char *name)
{
	def_pathlist_append(&def->fs_read, "/");
	def_pathlist_append(&def->fs_exec, "/");
	def_pathlist_append(&def->fs_deny, st->path);
	/* "none" refuses the socket itself (seccomp), before any address is
	 * known: a private loopback reaches nothing outside either, and lets
	 * the connect be seen */
	if (def->network == DEF_NET_NONE)
		def->network = DEF_NET_LOCALHOST;
	free(def->name);
	def->name = xstrdup(name);
}

static char *
learn_name(const struct container_def *def)
{
	unsigned char rnd[4];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return NULL;
	return xasprintf("%.40s-learn-%02x%02x%02x%02x", def->name ? def->name : "sbox",
			 rnd[0], rnd[1], rnd[2], rnd[3]);
}

static const char *
proposal_base(const struct learn_args *a, const struct container_def *start)
{
	return start->name ? start->name : a->preset ? a->preset : "sbox";
}

static char *
proposal_path(const struct learn_args *a, const char *base)
{
	return a->output ? xstrdup(a->output) : xasprintf("%s.learned.json", base);
}

/*
 * The proposal file is never written over: say so before the learning
 * run, not after the program has run with all its side effects.
 */
static int
proposal_free(const struct learn_args *a, const struct container_def *start)
{
	char *path = proposal_path(a, proposal_base(a, start));
	struct stat st;
	int taken = !a->format && lstat(path, &st) == 0;

	if (taken)
		cli_error("the proposal file '%s' exists: remove it or give "
			  "-o FILE (nothing was run)", path);
	free(path);
	return !taken;
}

/* The proposal, created (never over an existing file) or printed. */
static int
write_proposal(const struct learn_args *a, const char *base, json_t *proposal)
{
	char *text = json_dumps(proposal, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *path = proposal_path(a, base);
	size_t n = strlen(text);
	int fd, ok;

	if (a->format) {
		printf("%s\n", text);
		free(text);
		free(path);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ok = fd >= 0 && write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
	if (fd >= 0 && close(fd) < 0)
		ok = 0;
	if (!ok) {
		cli_error("cannot write the proposal '%s': %s", path,
			  errno == EEXIST ? "it exists (give -o FILE)" : strerror(errno));
		if (fd >= 0)
			unlink(path);
	} else {
		fprintf(stderr, "sbox: proposal written to %s; try it with: sbox run "
			"%s -- ...\n", path, path);
	}
	free(text);
	free(path);
	return ok ? 0 : -1;
}

static int
propose(const struct learn_args *a, struct container_def *start,
	const struct container_store *st, const struct denials *d,
	double started)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct strbuf report = STRBUF_INIT;
	struct denial_why why;
	struct learn_ctx ctx;
	char *abs = realpath(a->defpath, NULL);
	const char *base = proposal_base(a, start);
	char *name = xasprintf("%s-learned", base);
	char *seal = container_seal_dir(st);
	json_t *proposal;
	int rc = EXIT_OK;

	memset(&why, 0, sizeof(why));
	if (denial_why_init(&why, start, &err) < 0)
		why.ready = 0;
	ctx.extends = a->preset ? a->preset : abs ? abs : a->defpath;
	ctx.name = name;
	ctx.start = start;
	ctx.home = st->user_home;
	ctx.store = st->path;
	ctx.seal = seal;
	ctx.started = started;
	proposal = learn_propose(d, &why, &ctx, &report);
	if (!d->total)
		fprintf(stderr, "sbox: the learning run made no access the "
			"definition refuses\n%s", report.buf);
	else
		fprintf(stderr, "sbox: the learning run made %lu access%s the "
			"definition refuses (%zu distinct)%s\n%s", d->total,
			d->total == 1 ? "" : "es", d->nr, report.len ? ":" : "",
			report.buf);
	if (write_proposal(a, base, proposal) < 0)
		rc = EXIT_LAUNCH_FAILED;
	json_decref(proposal);
	strbuf_release(&report);
	denial_why_release(&why);
	free(seal);
	free(name);
	free(abs);
	return rc;
}

static int
learn_run(const struct learn_args *a, struct container_store *st,
	  struct container_def *start, struct container_def *wide)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct launch_opts opts = a->opts;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct denials d;
	char *name = learn_name(start);
	struct timespec now;
	double started;
	int rc, saved;

	if (!name) {
		cli_error("cannot pick a container name: %s", strerror(errno));
		return EXIT_LAUNCH_FAILED;
	}
	denials_init(&d);
	widen(wide, st, name);
	opts.trace = 1;
	opts.trace_model = start;
	opts.denials = &d;
	opts.def_path = a->defpath;
	if (container_create_from_def(st, wide, name, &ci, &err) < 0 ||
	    container_hold(st, &ci, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	/* --format json: stdout is the proposal's, the program's goes to stderr */
	fflush(stdout);
	saved = a->format ? dup(STDOUT_FILENO) : -1;
	if (saved >= 0)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	clock_gettime(CLOCK_REALTIME, &now);
	started = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	rc = launch_in_container(wide, st, &ci, &opts, NULL);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	container_info_release(&ci);
	if (container_remove(st, name, &err) < 0)
		cli_warn("could not remove container %s: %s", name, err.msg);
	/* the program's own status is not learn's: did it run at all? */
	if (rc == EXIT_LAUNCH_FAILED || rc == EXIT_UNSUPPORTED)
		goto out;
	if (a->opts.trace_file)
		trace_out(a->defpath, NULL, &none, &d, a->opts.trace_file, 0,
			  NULL);
	rc = propose(a, start, st, &d, started);
out:
	container_info_release(&ci);
	denials_release(&d);
	free(name);
	return rc;
}

int
cmd_learn(int argc, char **argv)
{
	struct learn_args a;
	struct container_store st = CONTAINER_STORE_INIT;
	struct def_vars none = { NULL, NULL, NULL, NULL };
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def start, wide;
	struct src_set srcs;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = parse_learn_args(argc, argv, &a);
	if (rc != CLI_CONTINUE) {
		free(a.preset_path);
		cli_args_release(&a.args);
		return rc;
	}
	src_set_init(&srcs);
	rc = cli_def_load(a.defpath, &none, &srcs, &start);
	if (rc)
		goto out_srcs;
	rc = cli_def_load(a.defpath, &none, &srcs, &wide);
	if (rc)
		goto out_start;
	if (!proposal_free(&a, &start))
		rc = EXIT_USAGE;
	else if (container_store_open(&st, &err) < 0)
		rc = cli_report(&err);
	else
		rc = learn_run(&a, &st, &start, &wide);
	container_store_release(&st);
	def_release(&wide);
out_start:
	def_release(&start);
out_srcs:
	src_set_release(&srcs);
	free(a.preset_path);
	cli_args_release(&a.args);
	return rc;
}
