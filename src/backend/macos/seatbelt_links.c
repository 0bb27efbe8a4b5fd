/*
 * Resolve at launch what the kernel resolves. Seatbelt matches the path a
 * file really has: exec of /opt/homebrew/bin/git is checked on
 * /opt/homebrew/Cellar/git/<version>/bin/git (akitaonrails/ai-jail#120),
 * so a grant of a folder of links grants nothing. Here, on the host, just
 * before the profile is written:
 *   - every link directly inside a granted read or exec folder, and the
 *     program itself, is also granted at its resolved place, for the same
 *     rights;
 *   - a Python framework's bin/python3 starts
 *     Resources/Python.app/Contents/MacOS/Python, which is granted with it
 *     (python/cpython Mac/Tools/pythonw.c);
 *   - the developer folder xcode-select chose (/var/db/xcode_select_link,
 *     /var/select/developer_dir) or DEVELOPER_DIR names is granted read and
 *     exec where the definition lets the /usr/bin shims (cc, make, git)
 *     run, since they exec into it (anthropics/claude-code#87520).
 * Never granted: a target inside a denied path (deny wins), and links in
 * folders the program may write, which an earlier launch could have
 * planted.
 */
#include "backend/macos/seatbelt.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "def/def_access.h"
#include "util/xalloc.h"

/* Bound on the entries looked at per folder: /opt/homebrew/bin holds a
 * few hundred; a folder with more is not a folder of programs. */
#define MAX_ENTRIES 8192

static int
covered_by(const struct def_path_list *l, const char *path)
{
	for (size_t i = 0; i < l->nr; i++)
		if (def_path_covers(l->v[i].path, path))
			return 1;
	return 0;
}

static int
listed(const struct def_path_list *l, const char *path)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].path, path))
			return 1;
	return 0;
}

/* Add path (owned copy) to l with the location of the entry it came from. */
static void
grant(struct def_path_list *l, const char *path, struct src_loc loc)
{
	if (listed(l, path))
		return;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr].path = xstrdup(path);
	l->v[l->nr].loc = loc;
	l->nr++;
}

/* A resolved place may be granted unless a denial covers it. */
static int
may_grant(const struct container_def *def, const char *target)
{
	return target[0] == '/' && !covered_by(&def->fs_deny, target);
}

/*
 * .../Python.framework/Versions/X/... -> the app the stub execs:
 * .../Python.framework/Versions/X/Resources/Python.app; NULL otherwise.
 */
static char *
python_app_of(const char *path)
{
	static const char *const fws[] = { "/Python.framework/Versions/",
					   "/Python3.framework/Versions/" };

	for (size_t i = 0; i < sizeof(fws) / sizeof(fws[0]); i++) {
		const char *at = strstr(path, fws[i]);
		const char *ver, *end;

		if (!at)
			continue;
		ver = at + strlen(fws[i]);
		end = strchr(ver, '/');
		if (!end || end == ver)
			continue;
		return xasprintf("%.*s/Resources/Python.app",
				 (int)(end - path), path);
	}
	return NULL;
}

/* Grant target in l, and for exec the Python app of a framework stub. */
static void
grant_resolved(struct container_def *def, struct def_path_list *l,
	       const char *target, struct src_loc loc)
{
	char *app;

	if (!may_grant(def, target))
		return;
	grant(l, target, loc);
	if (l != &def->fs_exec)
		return;
	app = python_app_of(target);
	if (app && may_grant(def, app))
		grant(&def->fs_exec, app, loc);
	free(app);
}

/* The links directly inside folder dir, granted in l at their targets. */
static void
resolve_folder(const struct darwin_sys *sys, struct container_def *def,
	       struct def_path_list *l, const char *dir, struct src_loc loc)
{
	struct def_strlist names = { NULL, 0, 0 };

	if (covered_by(&def->fs_write, dir) || !sys->list_dir ||
	    sys->list_dir(sys->ctx, dir, &names) < 0)
		goto out;
	for (size_t i = 0; i < names.nr && i < MAX_ENTRIES; i++) {
		char *p = xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", names.v[i]);
		char *r = sys->realpath(sys->ctx, p);

		/* a link out of the folder: inside it, the grant covers it */
		if (r && !def_path_covers(dir, r))
			grant_resolved(def, l, r, loc);
		free(r);
		free(p);
	}
out:
	for (size_t i = 0; i < names.nr; i++)
		free(names.v[i]);
	free(names.v);
}

/*
 * The file a program name runs: itself when it has a slash, else the first
 * PATH entry holding it, as the child's exec searches (resolved, so that
 * a link is followed); NULL when there is none.
 */
static char *
program_path(const struct darwin_sys *sys, const char *program,
	     char *const *envp, char **resolved)
{
	const char *path = seatbelt_env_get(envp, "PATH");

	*resolved = NULL;
	if (strchr(program, '/')) {
		*resolved = sys->realpath(sys->ctx, program);
		return program[0] == '/' ? xstrdup(program) : NULL;
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");
		char *cand = xasprintf("%.*s/%s", (int)n, path, program);

		if (cand[0] == '/' && (*resolved = sys->realpath(sys->ctx, cand)))
			return cand;
		free(cand);
		path += n + (path[n] == ':');
	}
	return NULL;
}

/* The program, when the definition lets it run under the name given. */
static void
resolve_program(const struct darwin_sys *sys, struct container_def *def,
		const char *program, char *const *envp)
{
	struct src_loc none = { NULL, 0, 0 };
	char *r = NULL, *named = program ? program_path(sys, program, envp, &r) : NULL;

	if (named && r && strcmp(r, named)) {
		char *spelled = def_path_canonical(named);

		if (def_access_decide(def, DEF_ACC_EXEC, spelled))
			grant_resolved(def, &def->fs_exec, r, none);
		free(spelled);
	}
	free(named);
	free(r);
}

void
seatbelt_links_grant(const struct darwin_sys *sys, struct container_def *def,
		     const char *program, char *const *envp)
{
	/* only the entries the definition wrote, not those added here */
	size_t nexec = def->fs_exec.nr, nread = def->fs_read.nr;

	for (size_t i = 0; i < nexec; i++) {
		char *dir = xstrdup(def->fs_exec.v[i].path);
		struct src_loc loc = def->fs_exec.v[i].loc;
		char *app = python_app_of(dir);

		resolve_folder(sys, def, &def->fs_exec, dir, loc);
		if (app && may_grant(def, app))
			grant(&def->fs_exec, app, loc);
		free(app);
		free(dir);
	}
	for (size_t i = 0; i < nread; i++) {
		char *dir = xstrdup(def->fs_read.v[i].path);

		resolve_folder(sys, def, &def->fs_read, dir, def->fs_read.v[i].loc);
		free(dir);
	}
	resolve_program(sys, def, program, envp);
}

/* Where the xcode-select shims look, in order (xcode-select(1)). */
static const char *const select_links[] = {
	"/private/var/db/xcode_select_link",
	"/private/var/select/developer_dir",
};

char *
seatbelt_devdir_find(const struct darwin_sys *sys, char *const *envp)
{
	const char *env = seatbelt_env_get(envp, "DEVELOPER_DIR");

	if (env && env[0] == '/')
		return sys->realpath(sys->ctx, env);
	for (size_t i = 0; i < sizeof(select_links) / sizeof(select_links[0]); i++) {
		char *r = sys->realpath(sys->ctx, select_links[i]);

		if (r && strcmp(r, select_links[i]))
			return r;
		free(r);
	}
	return NULL;
}

void
seatbelt_devdir_grant(const struct darwin_sys *sys, struct container_def *def,
		      char *const *envp)
{
	struct src_loc none = { NULL, 0, 0 };
	char *dir, *app;

	/* the shims live in /usr/bin: where they may not run, nothing
	 * reaches the developer folder through them */
	if (!def_access_decide(def, DEF_ACC_EXEC, "/usr/bin/xcrun"))
		return;
	dir = seatbelt_devdir_find(sys, envp);
	if (!dir || !may_grant(def, dir))
		goto out;
	grant(&def->fs_exec, dir, none);
	/* xcrun and xcodebuild read the bundle's Info.plist and version */
	app = strstr(dir, ".app/");
	if (app) {
		char *bundle = xstrndup(dir, (size_t)(app - dir) + 4);

		if (may_grant(def, bundle))
			grant(&def->fs_read, bundle, none);
		free(bundle);
	}
out:
	free(dir);
}

int
seatbelt_list_dir(void *ctx, const char *path, struct def_strlist *names)
{
	DIR *d = opendir(path);
	struct dirent *e;

	(void)ctx;
	if (!d)
		return -1;
	errno = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ALLOC_GROW(names->v, names->nr + 1, names->alloc);
		names->v[names->nr++] = xstrdup(e->d_name);
	}
	closedir(d);
	return 0;
}
