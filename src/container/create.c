/*
 * Building a container: everything happens in a locked ".tmp-*" folder
 * inside the store, which is renamed to its name only when complete
 * (DESIGN.md "Where containers live": atomic creation).
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/user_rights.h"
#include "util/xalloc.h"
#include "version.h"

static char *
resolve_path(const char *path, const char *base_dir)
{
	if (path[0] == '/' || !base_dir)
		return xstrdup(path);
	return xasprintf("%s/%s", base_dir, path);
}

static int
fill_data(struct container_store *st, int cfd,
	  const struct container_spec *spec, struct sbox_err *err)
{
	char *tpl = NULL;
	int dfd = -1, rc = -1;

	tpl = home_template_path(spec->template_name, spec->base_dir, err);
	if (!tpl)
		goto out;
	if (mkdirat(cfd, CONTAINER_DATA, 0700) < 0) {
		err_sys(err, "cannot create Data/");
		goto out;
	}
	dfd = fs_open_dir(cfd, CONTAINER_DATA, err);
	if (dfd < 0 || home_fill_from(tpl, dfd, err) < 0)
		goto out;
	/* The top of the home stays private whatever the template says. */
	if (fchmod(dfd, 0700) < 0) {
		err_sys(err, "cannot set the mode of Data/");
		goto out;
	}
	if (home_make_links(dfd, st->user_home, spec->home_links, err) < 0)
		goto out;
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(tpl);
	return rc;
}

static int
fill_root(int cfd, const struct container_spec *spec, struct sbox_err *err)
{
	char *src = resolve_path(spec->root, spec->base_dir);
	int rfd = -1, rc = -1;

	if (mkdirat(cfd, CONTAINER_ROOT, 0755) < 0) {
		err_sys(err, "cannot create root/");
		goto out;
	}
	rfd = fs_open_dir(cfd, CONTAINER_ROOT, err);
	if (rfd < 0 || home_fill_from(src, rfd, err) < 0) {
		err_wrap(err, "root filesystem");
		goto out;
	}
	rc = 0;
out:
	if (rfd >= 0)
		close(rfd);
	free(src);
	return rc;
}

/*
 * Template and root are named by the definition: root acting for a user
 * (sudo) copies them with that user's rights and groups, into a folder
 * that user owns, so nothing the user cannot read reaches the container.
 */
static int
fill_as_user(struct container_store *st, int cfd,
	     const struct container_spec *spec, struct sbox_err *err)
{
	struct user_rights u;
	int rc = -1;

	memset(&u, 0, sizeof(u));
	if (st->chown_to_user) {
		if (fchown(cfd, st->uid, st->gid) < 0)
			return err_sys(err, "cannot give the new container to "
				       "uid %ld", (long)st->uid);
		user_rights_for(&u, st->uid, st->gid);
	}
	if (user_rights_enter(&u) < 0) {
		err_sys(err, "cannot take the rights of uid %ld", (long)u.uid);
		goto out;
	}
	rc = fill_data(st, cfd, spec, err);
	if (rc == 0 && spec->root)
		rc = fill_root(cfd, spec, err);
	user_rights_leave(&u);
out:
	user_rights_release(&u);
	return rc;
}

static int
build(struct container_store *st, int cfd, const struct container_spec *spec,
      struct sbox_err *err)
{
	const char *json = spec->definition_json;
	size_t len = strlen(json);
	struct container_meta m = { 0 };
	int rc = -1;

	if (fs_write_file(cfd, CONTAINER_DEFINITION, json, len, 0644, err) < 0 ||
	    store_seal_build(st, cfd, spec->name, json, len, err) < 0 ||
	    fill_as_user(st, cfd, spec, err) < 0)
		goto out;
	m.name = xstrdup(spec->name);
	m.identifier = container_identifier_for(spec->name, spec->identifier);
	m.digest = container_digest_of(json, len);
	m.created = (int64_t)time(NULL);
	m.owner_uid = (int64_t)st->uid;
	m.sbox_version = xstrdup(SBOX_VERSION);
	m.template_name = xstrdup(spec->template_name ? spec->template_name :
				  "default");
	m.has_root = spec->root != NULL;
	m.source = spec->source ? xstrdup(spec->source) : NULL;
	m.format = CONTAINER_FORMAT;
	rc = store_write_metadata(cfd, &m, err);
out:
	container_meta_release(&m);
	return rc;
}

/*
 * A build that the file system stopped (read-only, full, over quota) is
 * the environment's doing, not the definition's: exit 3, naming where.
 * Permission errors are left as they are: they come from reading what
 * the definition names (a template, a root), which is its input.
 */
static void
build_failed(const struct container_store *st, const char *tmp,
	     struct sbox_err *err)
{
	int e = err->sys_errno;

	if (err->code != SBOX_E_IO || !tmp ||
	    (e != EROFS && e != ENOSPC && e != EDQUOT))
		return;
	err_wrap(err, "cannot write the build folder %s/%s", st->path, tmp);
	err->code = SBOX_E_UNSUPPORTED;
}

int
container_create(struct container_store *st,
		 const struct container_spec *spec,
		 struct container_info *out, struct sbox_err *err)
{
	struct stat sb;
	char *tmp = NULL;
	int cfd = -1, rc = -1;

	if (container_name_check(spec->name, err) < 0)
		return -1;
	if (!spec->definition_json)
		return err_set(err, SBOX_E_INVALID, "no definition given");
	/* Fail early; the commit checks again under the lock. */
	if (fstatat(st->dirfd, spec->name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return err_set(err, SBOX_E_EXISTS,
			       "container '%s' already exists", spec->name);
	cfd = store_build_begin(st, spec->name, &tmp, err);
	if (cfd < 0)
		goto out;
	if (spec->run_lock_fd &&
	    (*spec->run_lock_fd = store_run_mark(cfd, err)) < 0)
		goto fail;
	if (spec->fresh &&
	    fs_write_file(cfd, CONTAINER_NEW_MARK, "", 0, 0600, err) < 0)
		goto fail;
	if (build(st, cfd, spec, err) < 0 ||
	    store_build_commit(st, cfd, tmp, spec->name, NULL, err) < 0)
		goto fail;
	/* the build's exclusive lock goes with it: a concurrent launch that
	 * finds the container must be able to hold it at once */
	close(cfd);
	cfd = -1;
	rc = out ? container_lookup(st, spec->name, out, err) : 0;
	goto out;
fail:
	build_failed(st, tmp, err);
	err_wrap(err, "cannot create container '%s'", spec->name);
	store_build_abort(st, cfd, tmp);
	cfd = -1;
	if (spec->run_lock_fd && *spec->run_lock_fd >= 0) {
		close(*spec->run_lock_fd);
		*spec->run_lock_fd = -1;
	}
out:
	if (cfd >= 0)
		close(cfd);
	free(tmp);
	return rc;
}
