/*
 * The parent's half of the macOS launch, before fork: everything the child
 * needs is computed here so the child only makes system calls.
 * DESIGN.md "Launch order": canonical paths -> profile text (imports
 * resolved) -> the chroot decision -> the user to drop to -> HOME,
 * CFFIXED_USER_HOME, TMPDIR.
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "def/def_access.h"
#include "util/xalloc.h"

/* Where libsandbox looks for Apple's own profiles (MACOS.md §1.7, §2). */
static const char *const system_profile_dirs[] = {
	"/System/Library/Sandbox/Profiles",
	"/usr/share/sandbox",
};

void
seatbelt_plan_init(struct seatbelt_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

static void
strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void
seatbelt_plan_release(struct seatbelt_plan *plan)
{
	free(plan->profile);
	strv_free(plan->params);
	free(plan->chroot_dir);
	free(plan->workdir);
	strv_free(plan->argv);
	strv_free(plan->envp);
	seatbelt_plan_init(plan);
}

/* Strict decimal id (no sign, no spaces); -1 when malformed. */
static int
parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out >= 0xffffffffUL)
		return -1;
	return 0;
}

/*
 * The user the program runs as. As root via sudo: SUDO_UID/SUDO_GID. As
 * a set-uid root binary: the real ids. Otherwise there is nothing to drop.
 */
static int
plan_target_user(const struct darwin_sys *sys, const struct launch_request *req,
		 struct seatbelt_plan *plan, struct sbox_err *err)
{
	const char *su = seatbelt_env_get(req->envp, "SUDO_UID");
	const char *sg = seatbelt_env_get(req->envp, "SUDO_GID");
	unsigned long uid, gid;

	plan->drop = 0;
	if (sys->geteuid(sys->ctx) != 0)
		return 0;
	if (sys->getuid(sys->ctx) != 0) {
		plan->uid = sys->getuid(sys->ctx);
		plan->gid = sys->getgid(sys->ctx);
		plan->drop = 1;
		return 0;
	}
	if (!su)
		return 0;
	if (parse_id(su, &uid) < 0 || parse_id(sg, &gid) < 0)
		return err_set(err, SBOX_E_INVALID,
			       "SUDO_UID='%s' SUDO_GID='%s': cannot tell which "
			       "user to run the program as", su,
			       sg ? sg : "(unset)");
	plan->uid = (uid_t)uid;
	plan->gid = (gid_t)gid;
	plan->drop = uid != 0;
	return 0;
}

/* path as seen inside root, or NULL when it is outside root. */
static char *
path_in_root(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (!strcmp(root, "/"))
		return xstrdup(path);
	if (strncmp(path, root, n) || (path[n] != '/' && path[n] != '\0'))
		return NULL;
	return xstrdup(path[n] ? path + n : "/");
}

static void
pathlist_copy(struct def_path_list *dst, const struct def_path_list *src)
{
	dst->v = xcalloc(src->nr ? src->nr : 1, sizeof(*dst->v));
	dst->nr = dst->alloc = src->nr;
	for (size_t i = 0; i < src->nr; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].path = xstrdup(src->v[i].path);
	}
}

static void
pathlist_free(struct def_path_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i].path);
	free(l->v);
}

static int
pathlist_canon(const struct darwin_sys *sys, struct def_path_list *l,
	       struct sbox_err *err)
{
	for (size_t i = 0; i < l->nr; i++) {
		char *c = seatbelt_canon_path(sys, l->v[i].path, err);

		if (!c)
			return -1;
		free(l->v[i].path);
		l->v[i].path = c;
	}
	return 0;
}

/* The launch's canonical variable values (DESIGN.md "Definitions"). */
struct canon_vars {
	char *home, *data, *project, *tmpdir;
};

static void
canon_vars_release(struct canon_vars *cv)
{
	free(cv->home);
	free(cv->data);
	free(cv->project);
	free(cv->tmpdir);
}

static int
canon_vars_build(const struct darwin_sys *sys,
		 const struct launch_request *req, struct canon_vars *cv,
		 struct sbox_err *err)
{
	cv->home = seatbelt_canon_path(sys, req->real_home, err);
	if (!cv->home)
		return -1;
	cv->data = seatbelt_canon_path(sys, req->data_dir, err);
	if (!cv->data)
		return -1;
	cv->project = seatbelt_canon_path(sys, req->project_dir, err);
	if (!cv->project)
		return -1;
	cv->tmpdir = xasprintf("%s/tmp", cv->data);
	return 0;
}

/*
 * A shallow copy of the definition with its own path lists and root (what
 * def_resolve rewrites), variables expanded and every path canonical;
 * only those belong to it.
 */
static int
def_canonical(const struct darwin_sys *sys, const struct container_def *src,
	      const struct canon_vars *cv, struct container_def *out,
	      struct sbox_err *err)
{
	struct def_vars vars = { cv->home, cv->data, cv->project, cv->tmpdir };

	*out = *src;
	out->root = src->root ? xstrdup(src->root) : NULL;
	pathlist_copy(&out->fs_read, &src->fs_read);
	pathlist_copy(&out->fs_write, &src->fs_write);
	pathlist_copy(&out->fs_exec, &src->fs_exec);
	pathlist_copy(&out->fs_deny, &src->fs_deny);
	if (sys->resolve(out, &vars, err) < 0)
		return -1;
	if (pathlist_canon(sys, &out->fs_read, err) < 0 ||
	    pathlist_canon(sys, &out->fs_write, err) < 0 ||
	    pathlist_canon(sys, &out->fs_exec, err) < 0 ||
	    pathlist_canon(sys, &out->fs_deny, err) < 0)
		return -1;
	return 0;
}

/*
 * What the kernel will resolve, resolved now on the host: links in
 * granted folders, the program, the developer folder. Not when chrooting:
 * the host's links say nothing about the root's.
 */
static void
def_resolve_links(const struct darwin_sys *sys, const struct launch_request *req,
		  struct container_def *canon)
{
	if (req->root_dir)
		return;
	seatbelt_links_grant(sys, canon, req->argv[0], req->envp);
	seatbelt_devdir_grant(sys, canon, req->envp);
}

static void
def_canonical_release(struct container_def *d)
{
	pathlist_free(&d->fs_read);
	pathlist_free(&d->fs_write);
	pathlist_free(&d->fs_exec);
	pathlist_free(&d->fs_deny);
	free(d->root);
}

/* The emitter's flat KEY, VALUE list as a NULL-terminated array. */
static int
plan_take_params(struct seatbelt_plan *plan, struct def_strlist *params,
		 struct sbox_err *err)
{
	if (params->nr % 2)
		return err_set(err, SBOX_E_INTERNAL,
			       "SBPL parameters: %zu strings, not KEY, VALUE "
			       "pairs", params->nr);
	plan->params = xcalloc(params->nr + 1, sizeof(*plan->params));
	for (size_t i = 0; i < params->nr; i++)
		plan->params[i] = params->v[i];
	plan->nparams = params->nr;
	params->nr = 0;
	return 0;
}

/* Directory of the definition file, for its relative sbpl.import names. */
static char *
def_dir(const struct container_def *def)
{
	const char *slash = def->source ? strrchr(def->source, '/') : NULL;

	if (!slash)
		return xstrdup(".");
	return slash == def->source ? xstrdup("/") :
	       xstrndup(def->source, (size_t)(slash - def->source));
}

/*
 * Profile text for the canonical definition. Imports next to the
 * definition are always inlined; Apple's own (system.sb, bsd.sb) only when
 * chrooting, since libsandbox finds them itself otherwise.
 */
static int
plan_profile(const struct darwin_sys *sys, const struct container_def *def,
	     struct seatbelt_plan *plan, struct sbox_err *err)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	char *dir = def_dir(def);
	const char *dirs[4] = { dir, NULL, NULL, NULL };
	int rc = -1;

	if (plan->chroot_dir) {
		dirs[1] = system_profile_dirs[0];
		dirs[2] = system_profile_dirs[1];
	}
	if (sys->emit(def, &raw, &params, err) < 0)
		goto out;
	if (seatbelt_imports_resolve(sys, raw.buf, dirs, !plan->chroot_dir,
				     &out, err) < 0)
		goto out;
	if (plan_take_params(plan, &params, err) < 0)
		goto out;
	plan->profile = strbuf_detach(&out);
	rc = 0;
out:
	for (size_t i = 0; i < params.nr; i++)
		free(params.v[i]);
	free(params.v);
	free(dir);
	strbuf_release(&raw);
	strbuf_release(&out);
	return rc;
}

/* The chroot decision: only with a root, and only as root (MACOS.md §4.1). */
static int
plan_chroot(const struct darwin_sys *sys, const struct launch_request *req,
	    struct seatbelt_plan *plan, struct sbox_err *err)
{
	if (!req->root_dir)
		return 0;
	if (sys->geteuid(sys->ctx) != 0)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "container '%s' has a root filesystem: chroot "
			       "on macOS needs root (run sbox with sudo)",
			       req->def->name ? req->def->name : "?");
	plan->chroot_dir = seatbelt_canon_path(sys, req->root_dir, err);
	return plan->chroot_dir ? 0 : -1;
}

/* HOME, TMPDIR and the working directory, as the program will see them. */
struct places {
	char *home, *tmpdir;
};

static char *
place_in_root(const struct seatbelt_plan *plan, const char *path,
	      struct sbox_err *err)
{
	char *p;

	if (!plan->chroot_dir)
		return xstrdup(path);
	p = path_in_root(plan->chroot_dir, path);
	if (!p)
		err_set(err, SBOX_E_UNSUPPORTED,
			"'%s' is outside the root '%s' and cannot be reached "
			"after chroot", path, plan->chroot_dir);
	return p;
}

/*
 * The working directory: the project when the definition lets the program
 * read it, else the program's home. A program must never start in a
 * folder it cannot read (getcwd, shells and relative paths fail there,
 * codex platform defaults); granting the project to every definition
 * would hand it to presets that deliberately leave it out (base).
 */
static const char *
plan_workdir(const struct launch_request *req, const struct container_def *canon,
	     const struct canon_vars *cv)
{
	/* in the spelling def_access compares (macOS's: /private/tmp) */
	char *spelled = def_path_canonical(cv->project);
	int readable = def_access_decide(canon, DEF_ACC_READ, spelled);

	free(spelled);
	if (readable)
		return cv->project;
	if (req->warn)
		req->warn("the definition does not let the program read the "
			  "project folder; it starts in its home instead");
	return NULL;
}

static int
plan_places(const struct launch_request *req, const struct canon_vars *cv,
	    const char *workdir, struct seatbelt_plan *plan, struct places *pl,
	    struct sbox_err *err)
{
	const char *host_home = req->def->home == DEF_HOME_REAL ?
				cv->home : cv->data;
	char *tmp = NULL;

	pl->home = place_in_root(plan, host_home, err);
	if (!pl->home)
		return -1;
	tmp = place_in_root(plan, cv->tmpdir, err);
	if (!tmp)
		return -1;
	/* A trailing slash, as the system's own TMPDIR has. */
	pl->tmpdir = xasprintf("%s/", tmp);
	free(tmp);
	if (!workdir)
		plan->workdir = NULL;
	else if (plan->chroot_dir)
		plan->workdir = path_in_root(plan->chroot_dir, workdir);
	else
		plan->workdir = xstrdup(workdir);
	if (!plan->workdir)
		plan->workdir = xstrdup(pl->home);
	return 0;
}

static void
plan_argv(const struct launch_request *req, struct seatbelt_plan *plan)
{
	size_t n = 0;

	while (req->argv[n])
		n++;
	plan->argv = xcalloc(n + 1, sizeof(*plan->argv));
	for (size_t i = 0; i < n; i++)
		plan->argv[i] = xstrdup(req->argv[i]);
}

int
seatbelt_plan_build(const struct darwin_sys *sys,
		    const struct launch_request *req,
		    struct seatbelt_plan *plan, struct sbox_err *err)
{
	struct canon_vars cv = { NULL, NULL, NULL, NULL };
	struct container_def canon;
	struct places pl = { NULL, NULL };
	int rc = -1, have_canon = 0;

	if (!req->def || !req->argv || !req->argv[0]) {
		err_set(err, SBOX_E_INVALID, "no program to run");
		goto out;
	}
	if (canon_vars_build(sys, req, &cv, err) < 0)
		goto out;
	have_canon = 1;
	if (def_canonical(sys, req->def, &cv, &canon, err) < 0)
		goto out;
	def_resolve_links(sys, req, &canon);
	if (plan_chroot(sys, req, plan, err) < 0 ||
	    plan_profile(sys, &canon, plan, err) < 0 ||
	    plan_target_user(sys, req, plan, err) < 0 ||
	    plan_places(req, &cv, plan_workdir(req, &canon, &cv), plan, &pl,
			err) < 0)
		goto out;
	/* chroot(2): "There are ways for a root process to escape" (§4.1). */
	if (plan->chroot_dir && !plan->drop && req->warn)
		req->warn("the program runs as root inside its root filesystem, "
			  "which root can leave; start sbox with sudo so it "
			  "can drop to your user");
	plan_argv(req, plan);
	seatbelt_env_build(req, pl.home, req->def->home == DEF_HOME_REAL ?
			   NULL : pl.home, pl.tmpdir, plan);
	plan->limits = req->def->limits;
	rc = 0;
out:
	if (have_canon)
		def_canonical_release(&canon);
	canon_vars_release(&cv);
	free(pl.home);
	free(pl.tmpdir);
	return rc;
}
