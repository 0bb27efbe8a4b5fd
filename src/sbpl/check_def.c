#include "sbpl/check_def.h"
#include "def/def_access.h"
#include "sbpl/emit.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
param_value(const char *const *params, const char *key)
{
	for (size_t i = 0; params && params[i] && params[i + 1]; i += 2)
		if (!strcmp(params[i], key))
			return params[i + 1];
	return NULL;
}

/* Values for the path variables: -D first, then the environment. */
static void
check_vars(const struct sbpl_opts *opts, const struct container_def *d,
	   struct def_vars *v, char *cwd, size_t cwdlen, char **container)
{
	const char *home = getenv("HOME");

	v->home = param_value(opts->params, "HOME");
	if (!v->home)
		v->home = home && home[0] == '/' ? home : "/Users/sbox";
	v->project = param_value(opts->params, "PROJECT");
	if (!v->project)
		v->project = getcwd(cwd, cwdlen) ? cwd : "/";
	v->tmpdir = param_value(opts->params, "TMPDIR");
	if (!v->tmpdir)
		v->tmpdir = "/private/tmp";
	v->container = param_value(opts->params, "CONTAINER");
	if (!v->container) {
		/* where the store puts it on macOS (DESIGN.md "Where containers live") */
		*container = xasprintf("%s/Library/Application Support/sbox/Containers/%s/Data",
				       v->home, d->name ? d->name : "check");
		v->container = *container;
	}
}

/* The folder of path, then dirs (NULL-terminated heap copy). */
static const char **
include_dirs_with(const char *path, const char *const *dirs, char **dir)
{
	const char *slash = strrchr(path, '/');
	size_t n = 0;
	const char **v;

	while (dirs && dirs[n])
		n++;
	v = xcalloc(n + 2, sizeof(*v));
	*dir = !slash ? xstrdup(".") : slash == path ? xstrdup("/") :
	       xstrndup(path, (size_t)(slash - path));
	v[0] = *dir;
	for (size_t i = 0; i < n; i++)
		v[i + 1] = dirs[i];
	return v;
}

/*
 * A diagnostic in the definition's sbpl escape hatch, as compiled, also
 * points at the "sbpl.import" or "sbpl.raw" of the definition it came
 * from: that is the line the user can change.
 */
static void
point_back(const struct container_def *d, const char *name, const char *text,
	   struct diag_list *diags, size_t first)
{
	const char *hatch = strstr(text, ";; sbpl escape hatch from the definition");
	size_t start = hatch ? (size_t)(hatch - text) : (size_t)-1;

	for (size_t i = first; i < diags->nr; i++) {
		struct diag *g = &diags->v[i];
		const char *line;
		int is_import;

		if (!g->loc.file || strcmp(g->loc.file->name, name) ||
		    g->loc.start < start || g->related)
			continue;
		line = g->loc.file->text + g->loc.start;
		while (line > g->loc.file->text && line[-1] != '\n')
			line--;
		is_import = !strncmp(line, "(import ", 8);
		if (is_import && d->sbpl_import_loc.file)
			diag_add_related(g, d->sbpl_import_loc,
					 "from the definition's sbpl.import");
		else if (!is_import && d->sbpl_raw_loc.file)
			diag_add_related(g, d->sbpl_raw_loc,
					 "from the definition's sbpl.raw");
	}
}

static int
lint_compiled(const char *path, const struct container_def *d,
	      const struct sbpl_opts *opts, struct src_set *srcs,
	      struct diag_list *diags)
{
	struct strbuf text = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	struct sbpl_opts so = *opts;
	struct policy pol;
	const char **pv, **dirs = NULL;
	size_t first;
	char *name = xasprintf("%s (compiled)", path), *dir = NULL;
	int rc;

	if (sbpl_emit_def(d, &text, &params, &err) < 0) {
		struct src_loc none = { NULL, 0, 0 };

		diag_add(diags, DIAG_ERROR, none, "def-compile", "%s: %s", path, err.msg);
		rc = 1;
		goto out;
	}
	pv = xcalloc(params.nr + 1, sizeof(*pv));
	for (size_t i = 0; i < params.nr; i++)
		pv[i] = params.v[i];
	so.params = pv;
	/* sbpl.import resolves next to the definition first, as the launch
	 * does (backend/macos/seatbelt_plan.c), then in the -I folders */
	dirs = include_dirs_with(path, opts->include_dirs, &dir);
	so.include_dirs = dirs;
	so.prepend = NULL;
	policy_init(&pol, opts->vocab ? opts->vocab : vocab_latest());
	first = diags->nr;
	rc = sbpl_eval_string(name, text.buf, &so, srcs, diags, &pol);
	point_back(d, name, text.buf, diags, first);
	policy_release(&pol);
	free(pv);
	free(dirs);
	free(dir);
out:
	def_strlist_release(&params);
	strbuf_release(&text);
	free(name);
	return rc;
}

static void
broad_list(const struct def_path_list *l, const char *what, const char *home,
	   struct diag_list *diags)
{
	for (size_t i = 0; i < l->nr; i++) {
		const char *p = l->v[i].path;

		if (!strcmp(p, "/"))
			diag_add(diags, DIAG_WARNING, l->v[i].loc, "def-broad-grant",
				 "%s of '/' covers the whole disk", what);
		else if (!strncmp(p, "/proc/", 6))
			/* /proc/self/root is "/" again: no launch follows it */
			diag_add(diags, DIAG_WARNING, l->v[i].loc, "def-broad-grant",
				 "%s of '%s' is in the host's /proc, whose links "
				 "name every process's files (/proc/self/root is "
				 "'/'): a launch on Linux never follows them",
				 what, p);
		else if (home && def_path_covers(p, home))
			diag_add(diags, DIAG_WARNING, l->v[i].loc, "def-broad-grant",
				 "%s of '%s' covers the whole home folder (%s)",
				 what, p, home);
	}
}

/* Grants of /, the home folder or a folder holding it (resolved paths). */
static void
lint_broad_grants(const struct container_def *d, const char *home,
		  struct diag_list *diags)
{
	broad_list(&d->fs_read, "read", home, diags);
	broad_list(&d->fs_write, "write", home, diags);
	broad_list(&d->fs_exec, "exec", home, diags);
}

/* A program the definition itself does not let run (exec needs exec). */
static void
lint_program(const struct container_def *d, struct diag_list *diags)
{
	char *path;

	if (!d->program.nr || d->program.v[0][0] != '/')
		return;
	path = def_path_canonical(d->program.v[0]);
	if (!def_access_decide(d, DEF_ACC_EXEC, path))
		diag_add(diags, DIAG_WARNING, d->program_loc, "def-program-not-executable",
			 "the program '%s' is not in an exec path of this definition: launching it will be denied",
			 d->program.v[0]);
	free(path);
}

/* Is p at or below dir? */
static int
below(const char *p, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	return n && !strncmp(p, dir, n) && (p[n] == '/' || !p[n]);
}

/*
 * Grants, written in this definition (not its presets), of paths that do
 * not exist here: often a typo, or a folder made later. The container's
 * own folders and TMPDIR are made at launch, so they are not reported.
 */
static void
lint_missing(const char *path, const struct container_def *d,
	     const struct def_vars *vars, struct diag_list *diags)
{
	const struct def_path_list *lists[] = { &d->fs_read, &d->fs_write,
						&d->fs_exec };
	struct stat st;

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		for (size_t i = 0; i < lists[l]->nr; i++) {
			const struct def_path *dp = &lists[l]->v[i];

			if (!dp->loc.file || strcmp(dp->loc.file->name, path) ||
			    below(dp->path, vars->container) ||
			    below(dp->path, vars->tmpdir) ||
			    lstat(dp->path, &st) == 0)
				continue;
			diag_add(diags, DIAG_NOTE, dp->loc, "def-path-missing",
				 "'%s' does not exist on this machine: the "
				 "grant has no effect until it does",
				 dp->path);
		}
	}
}

int
sbpl_check_def(const char *path, const struct sbpl_opts *opts,
	       struct src_set *srcs, struct diag_list *diags)
{
	static const struct sbpl_opts defaults = SBPL_OPTS_INIT;
	struct container_def d;
	struct def_vars vars;
	struct sbox_err err = SBOX_ERR_INIT;
	char cwd[PATH_MAX], *container = NULL;
	size_t errors_before = diags->nerrors;
	int rc;

	if (!opts)
		opts = &defaults;
	if (access(path, R_OK) < 0) {
		struct src_loc none = { NULL, 0, 0 };

		diag_add(diags, DIAG_ERROR, none, "io", "cannot read '%s'", path);
		return -1;
	}
	if (def_load(path, srcs, diags, &d) < 0)
		return 1;
	if (opts->project_problem && def_uses_project(&d)) {
		struct src_loc none = { NULL, 0, 0 };

		diag_add(diags, DIAG_ERROR, none, "def-project",
			 "%s: ${PROJECT} would be %s; launch refuses it unless "
			 "named with --project (-C)", path, opts->project_problem);
	}
	check_vars(opts, &d, &vars, cwd, sizeof(cwd), &container);
	if (def_resolve(&d, &vars, &err) < 0) {
		struct src_loc none = { NULL, 0, 0 };

		diag_add(diags, DIAG_ERROR, none, "def-variable", "%s: %s", path, err.msg);
		rc = 1;
	} else {
		lint_program(&d, diags);
		lint_missing(path, &d, &vars, diags);
		lint_broad_grants(&d, vars.home, diags);
		rc = lint_compiled(path, &d, opts, srcs, diags);
	}
	free(container);
	def_release(&d);
	/* errors of this file's own lints count too */
	return diags->nerrors > errors_before && !rc ? 1 : rc;
}
