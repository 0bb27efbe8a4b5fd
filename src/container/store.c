/*
 * The store folder: where it is, who owns it, its lock, and building,
 * committing and clearing containers so that `list` never sees a
 * half-made one (DESIGN.md "Where containers live").
 *
 * Locks (flock): the store's ".lock" file serialises name changes
 * (commit, remove, clearing leftovers). A build holds an exclusive lock on
 * its own ".tmp-*" folder and a removal on its ".rm-*" folder for their
 * whole life, so a leftover whose lock can be taken belongs to a process
 * that died and may be cleared. A launch holds a shared lock on the
 * container folder (container_hold), which makes removal refuse.
 */
#include "container/internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define LOCK_FILE ".lock"
#define TMP_PREFIX ".tmp-"
#define RM_PREFIX ".rm-"

int
container_name_check(const char *name, struct sbox_err *err)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > CONTAINER_NAME_MAX || !isalnum((unsigned char)name[0]))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			goto bad;
	}
	return 0;
bad:
	return err_set(err, SBOX_E_INVALID,
		       "invalid container name '%s' (use 1 to %d letters, "
		       "digits, '.', '_' or '-', starting with a letter or "
		       "digit)", name ? name : "", CONTAINER_NAME_MAX);
}

/* Root running through sudo acts for the user who ran sudo. */
static void
store_pick_user(struct container_store *st)
{
	const char *sudo_uid = getenv("SUDO_UID");
	const char *sudo_gid = getenv("SUDO_GID");
	struct passwd *pw;
	char *end;

	st->uid = geteuid();
	st->gid = getegid();
	if (st->uid == 0 && sudo_uid && *sudo_uid) {
		unsigned long u = strtoul(sudo_uid, &end, 10);

		if (!*end && u != 0) {
			st->uid = (uid_t)u;
			st->chown_to_user = 1;
			pw = getpwuid(st->uid);
			st->gid = pw ? pw->pw_gid : (gid_t)u;
			if (sudo_gid && *sudo_gid) {
				unsigned long g = strtoul(sudo_gid, &end, 10);

				if (!*end)
					st->gid = (gid_t)g;
			}
		}
	}
	if (!st->chown_to_user && getenv("HOME") && *getenv("HOME")) {
		st->user_home = xstrdup(getenv("HOME"));
		return;
	}
	/* only now: the user database can be slow (NSS, a directory) */
	pw = getpwuid(st->uid);
	if (pw && pw->pw_dir)
		st->user_home = xstrdup(pw->pw_dir);
}

char *
container_store_usual_path(const struct container_store *st)
{
	const char *env;

	if (!st->user_home)
		return NULL;
#ifdef __APPLE__
	(void)env;
	return xasprintf("%s/Library/Application Support/sbox/Containers",
			 st->user_home);
#else
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/')
		return xasprintf("%s/sbox/containers", env);
	return xasprintf("%s/.local/share/sbox/containers", st->user_home);
#endif
}

static char *
store_default_path(const struct container_store *st, struct sbox_err *err)
{
	const char *env = getenv("SBOX_HOME");
	char *p;

	if (env && *env)
		return xstrdup(env);
	p = container_store_usual_path(st);
	if (!p)
		err_set(err, SBOX_E_UNSUPPORTED,
			"cannot tell where your home is (set HOME or SBOX_HOME)");
	return p;
}

/*
 * mkdir -p by fds, returning an fd on the last folder. Folders it makes
 * are 0700, reopened with O_NOFOLLOW and chowned through that fd: as root
 * acting for a user, a folder swapped for a symlink after mkdir must not
 * make us chown (or build in) whatever the link names.
 */
int
store_make_path(const struct container_store *st, const char *path,
		const char *what, struct sbox_err *err)
{
	char *p = xstrdup(path), *save = NULL;
	int cur = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	for (char *c = strtok_r(p, "/", &save); c && cur >= 0;
	     c = strtok_r(NULL, "/", &save)) {
		int made = 0, fd;

		fd = openat(cur, c, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(cur, c, 0700) == 0)
				made = 1;
			else if (errno != EEXIST) {
				/* never hand back the folder above */
				int e = errno;

				close(cur);
				cur = -1;
				errno = e;
				break;
			}
			fd = openat(cur, c, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd >= 0 && made && st->chown_to_user &&
		    fchown(fd, st->uid, st->gid) < 0) {
			close(fd);
			fd = -1;
		}
		close(cur);
		cur = fd;
	}
	if (cur < 0)
		err_env(err, "cannot create %s %s", what, path);
	free(p);
	return cur;
}

static int
store_check_owner(const struct container_store *st, struct sbox_err *err)
{
	struct stat sb;

	if (fstat(st->dirfd, &sb) < 0)
		return err_sys(err, "cannot stat store '%s'", st->path);
	if (sb.st_uid != st->uid)
		return err_set(err, SBOX_E_IO, "store '%s' belongs to uid %ld, "
			       "not %ld", st->path, (long)sb.st_uid,
			       (long)st->uid);
	if (sb.st_mode & 022)
		return err_set(err, SBOX_E_IO, "store '%s' is writable by "
			       "others (mode %03o); it must be private",
			       st->path, (unsigned)(sb.st_mode & 0777));
	return 0;
}

int
store_lock(const struct container_store *st, struct sbox_err *err)
{
	int fd = openat(st->dirfd, LOCK_FILE,
			O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_env(err, "cannot open the store lock %s/" LOCK_FILE,
			       st->path);
	if (st->chown_to_user)
		(void)fchown(fd, st->uid, st->gid);
	if (fs_flock(fd, LOCK_EX) < 0) {
		err_env(err, "cannot lock the store %s", st->path);
		close(fd);
		return -1;
	}
	return fd;
}

void
store_unlock(int lockfd)
{
	if (lockfd >= 0)
		close(lockfd);
}

struct leftover {
	char *name;
	int fd;   /* holds the leftover's lock while it is removed */
};

/* Under the store lock: take every unowned leftover's lock. */
static size_t
collect_leftovers(struct container_store *st, struct leftover **out)
{
	struct leftover *v = NULL;
	size_t nr = 0, alloc = 0;
	int dfd = dup(st->dirfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		*out = NULL;
		return 0;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		int fd;

		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) &&
		    strncmp(de->d_name, RM_PREFIX, strlen(RM_PREFIX)))
			continue;
		fd = openat(st->dirfd, de->d_name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fs_flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd);  /* a live build or removal */
			continue;
		}
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr].name = xstrdup(de->d_name);
		v[nr++].fd = fd;
	}
	closedir(d);
	*out = v;
	return nr;
}

/* Clear what killed creates, imports and removals left behind. */
static int
store_clear_leftovers(struct container_store *st, struct sbox_err *err)
{
	struct leftover *v;
	size_t nr;
	int lockfd = store_lock(st, err);

	if (lockfd < 0)
		return -1;
	nr = collect_leftovers(st, &v);
	store_unlock(lockfd);
	for (size_t i = 0; i < nr; i++) {
		struct sbox_err ignored = SBOX_ERR_INIT;

		/* Best effort: the next command tries again. */
		fs_remove_tree(st->dirfd, v[i].name, &ignored);
		close(v[i].fd);
		free(v[i].name);
	}
	free(v);
	return 0;
}

/*
 * One look at the store's names says whether anything needs tidying; most
 * commands find nothing and so take no lock and read the folder once.
 * Whatever shows up after the look belongs to a command still running.
 */
static void
store_tidy_needs(struct container_store *st, int *leftovers, int *runs)
{
	int dfd = dup(st->dirfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	*leftovers = *runs = 1;  /* cannot look: do both, as before */
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	*leftovers = *runs = 0;
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (!strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) ||
		    !strncmp(de->d_name, RM_PREFIX, strlen(RM_PREFIX)))
			*leftovers = 1;
		else if (de->d_name[0] != '.' && strstr(de->d_name, RUN_INFIX))
			*runs = 1;
	}
	closedir(d);
}

int
container_store_open_path(struct container_store *st, const char *path,
			  struct sbox_err *err)
{
	int leftovers, runs;

	if (!st->user_home)
		store_pick_user(st);
	if (path[0] != '/')
		return err_set(err, SBOX_E_INVALID,
			       "store path '%s' is not absolute", path);
	st->path = xstrdup(path);
	st->dirfd = store_make_path(st, path, "the store", err);
	if (st->dirfd < 0)
		goto fail;
	if (store_check_owner(st, err) < 0)
		goto fail;
	store_tidy_needs(st, &leftovers, &runs);
	if (leftovers && store_clear_leftovers(st, err) < 0)
		goto fail;
	if (runs)
		store_reap_runs(st);
	return 0;
fail:
	container_store_release(st);
	return -1;
}

int
container_store_open(struct container_store *st, struct sbox_err *err)
{
	char *path;
	int rc;

	store_pick_user(st);
	path = store_default_path(st, err);
	if (!path) {
		container_store_release(st);
		return -1;
	}
	rc = container_store_open_path(st, path, err);
	free(path);
	return rc;
}

void
container_store_release(struct container_store *st)
{
	if (st->dirfd >= 0)
		close(st->dirfd);
	free(st->path);
	free(st->user_home);
	st->path = st->user_home = NULL;
	st->dirfd = -1;
	st->chown_to_user = 0;
}

void
container_info_release(struct container_info *ci)
{
	free(ci->name);
	free(ci->identifier);
	free(ci->digest);
	free(ci->sbox_version);
	free(ci->template_name);
	free(ci->source);
	free(ci->dir);
	free(ci->data_dir);
	free(ci->root_dir);
	free(ci->definition_path);
	free(ci->metadata_path);
	if (ci->hold_fd >= 0)
		close(ci->hold_fd);
	memset(ci, 0, sizeof(*ci));
	ci->owner_uid = -1;
	ci->hold_fd = -1;
}

/* The name and the paths of container name (has_root already set). */
static void
info_paths(struct container_info *ci, const struct container_store *st,
	   const char *name)
{
	ci->name = xstrdup(name);
	ci->dir = xasprintf("%s/%s", st->path, name);
	ci->data_dir = xasprintf("%s/" CONTAINER_DATA, ci->dir);
	ci->root_dir = ci->has_root ?
		       xasprintf("%s/" CONTAINER_ROOT, ci->dir) : NULL;
	ci->definition_path = xasprintf("%s/" CONTAINER_DEFINITION, ci->dir);
	ci->metadata_path = xasprintf("%s/" CONTAINER_METADATA, ci->dir);
}

static void
info_from_meta(struct container_info *ci, const struct container_store *st,
	       const char *name, struct container_meta *m)
{
	ci->identifier = m->identifier;
	ci->digest = m->digest;
	ci->sbox_version = m->sbox_version ? m->sbox_version :
			   xstrdup("unknown");
	ci->template_name = m->template_name ? m->template_name : xstrdup("");
	ci->source = m->source;
	m->identifier = m->digest = m->sbox_version = m->template_name = NULL;
	m->source = NULL;
	ci->created = m->created;
	ci->owner_uid = m->owner_uid;
	ci->has_root = m->has_root;
	info_paths(ci, st, name);
}

int
store_open_container(const struct container_store *st, const char *name,
		   struct sbox_err *err)
{
	int fd = openat(st->dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return err_set(err, SBOX_E_NOTFOUND, "no container named '%s'",
			       name);
	return err_sys(err, "cannot open container '%s'", name);
}

int
container_lookup(struct container_store *st, const char *name,
		 struct container_info *out, struct sbox_err *err)
{
	struct container_meta m = { 0 };
	char *text = NULL;
	size_t len = 0;
	int fd = -1, rc = -1;

	if (container_name_check(name, err) < 0)
		return -1;
	fd = store_open_container(st, name, err);
	if (fd < 0)
		goto out;
	if (fs_read_file(fd, CONTAINER_METADATA, CONTAINER_SMALL_FILE_MAX,
			 &text, &len, err) < 0 ||
	    container_meta_parse(text, len, CONTAINER_METADATA, &m, err) < 0) {
		err_wrap(err, "container '%s' is damaged", name);
		goto out;
	}
	info_from_meta(out, st, name, &m);
	rc = 0;
out:
	container_meta_release(&m);
	free(text);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
container_find(struct container_store *st, const char *name,
	       struct container_info *out, struct sbox_err *err)
{
	struct stat def, data, root;
	int fd, rc = -1;

	if (container_name_check(name, err) < 0)
		return -1;
	fd = store_open_container(st, name, err);
	if (fd < 0)
		return -1;
	if (fstatat(fd, CONTAINER_DEFINITION, &def, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(def.st_mode) ||
	    fstatat(fd, CONTAINER_DATA, &data, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(data.st_mode)) {
		err_set(err, SBOX_E_IO, "container '%s' is damaged (no "
			"definition.json or Data/)", name);
		goto out;
	}
	out->has_root = fstatat(fd, CONTAINER_ROOT, &root,
				AT_SYMLINK_NOFOLLOW) == 0 &&
			S_ISDIR(root.st_mode);
	info_paths(out, st, name);
	rc = 0;
out:
	close(fd);
	return rc;
}

int
container_hold(struct container_store *st, struct container_info *ci,
	       struct sbox_err *err)
{
	int fd;

	if (ci->hold_fd >= 0)
		return 0;
	fd = openat(st->dirfd, ci->name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return err_set(err, SBOX_E_NOTFOUND, "container '%s' was "
			       "removed just now", ci->name);
	if (fd < 0)
		return err_sys(err, "cannot open container '%s'", ci->name);
	if (fs_flock(fd, LOCK_SH | LOCK_NB) < 0) {
		/* the launch that made it removing it: NOTFOUND, made anew */
		int gone = store_fresh_gone(st, fd, ci->name);

		close(fd);
		if (gone)
			return err_set(err, SBOX_E_NOTFOUND, "container '%s' "
				       "was removed by the launch that made "
				       "it", ci->name);
		return err_set(err, SBOX_E_EXISTS,
			       "container '%s' is being removed", ci->name);
	}
	if (store_fresh_gone(st, fd, ci->name)) {
		close(fd);
		return err_set(err, SBOX_E_NOTFOUND, "container '%s' was "
			       "removed by the launch that made it", ci->name);
	}
	ci->hold_fd = fd;
	return 0;
}

static int
info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct container_info *)a)->name,
		      ((const struct container_info *)b)->name);
}

void
container_list_release(struct container_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		container_info_release(&l->v[i]);
	for (size_t i = 0; i < l->ndamaged; i++)
		free(l->damaged[i]);
	free(l->damaged);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
container_list_all(struct container_store *st, struct container_list *out,
		   struct sbox_err *err)
{
	int dfd = dup(st->dirfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return err_sys(err, "cannot read store '%s'", st->path);
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		struct container_info ci = CONTAINER_INFO_INIT;
		struct sbox_err ignored = SBOX_ERR_INIT;

		/* Dot entries are the store's own (locks, builds). */
		if (de->d_name[0] == '.')
			continue;
		if (container_lookup(st, de->d_name, &ci, &ignored) < 0) {
			ALLOC_GROW(out->damaged, out->ndamaged + 1,
				   out->damaged_alloc);
			out->damaged[out->ndamaged++] = xstrdup(de->d_name);
			continue;
		}
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = ci;
	}
	closedir(d);
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(out->v[0]), info_cmp);
	return 0;
}

/* A write in the store that failed (err): "cannot write the store PATH". */
static int
store_write_failed(const struct container_store *st, struct sbox_err *err)
{
	if (!err->sys_errno)
		return -1;
	errno = err->sys_errno;
	return err_env(err, "cannot write the store %s", st->path);
}

int
store_build_begin(struct container_store *st, const char *name, char **tmp,
		  struct sbox_err *err)
{
	char *prefix = xasprintf(TMP_PREFIX "%s-", name);
	int lockfd, fd = -1;

	*tmp = NULL;
	/* Made and locked under the store lock so no cleaner sees it bare. */
	lockfd = store_lock(st, err);
	if (lockfd < 0)
		goto out;
	*tmp = fs_make_unique_dir(st->dirfd, prefix, 0700, err);
	if (!*tmp) {
		store_write_failed(st, err);
		goto out;
	}
	fd = fs_open_dir(st->dirfd, *tmp, err);
	if (fd >= 0 && fs_flock(fd, LOCK_EX) < 0) {
		err_sys(err, "cannot lock '%s'", *tmp);
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		unlinkat(st->dirfd, *tmp, AT_REMOVEDIR);
		free(*tmp);
		*tmp = NULL;
	}
out:
	store_unlock(lockfd);
	free(prefix);
	return fd;
}

/*
 * The seal of a built container becomes its record before the container
 * gets its name (record.c): under the store lock, once the name is known
 * to be free, so a build that loses the name changes no one's record.
 */
static int
record_built(const struct container_store *st, int tmpfd, const char *name,
	     struct sbox_err *err)
{
	char *line = NULL;
	size_t len;
	int rc;

	if (fs_read_file(tmpfd, CONTAINER_SEAL, 256, &line, &len, err) < 0)
		return -1;
	rc = seal_record_write(st, name, line, err);
	free(line);
	return rc;
}

char *
container_identifier_for(const char *name, const char *def_identifier)
{
	return def_identifier ? xstrdup(def_identifier) :
	       xasprintf("sbox.%s", name);
}

int
store_identifier_free(struct container_store *st, const char *id,
		      struct sbox_err *err)
{
	struct container_list l = { 0 };
	int rc = 0;

	if (container_list_all(st, &l, err) < 0)
		return -1;
	for (size_t i = 0; i < l.nr && rc == 0; i++)
		if (!strcmp(l.v[i].identifier, id))
			rc = err_set(err, SBOX_E_ID_TAKEN, "identifier '%s' "
				     "is already used by container '%s'", id,
				     l.v[i].name);
	container_list_release(&l);
	return rc;
}

int
store_build_commit(struct container_store *st, int tmpfd, const char *tmp,
		   const char *name, const char *unique_id,
		   struct sbox_err *err)
{
	struct stat sb;
	int lockfd, rc = -1;

	if (st->chown_to_user &&
	    fs_chown_tree(tmpfd, st->uid, st->gid, err) < 0)
		return -1;
	lockfd = store_lock(st, err);
	if (lockfd < 0)
		return -1;
	if (fstatat(st->dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT) {
		err_set(err, SBOX_E_EXISTS, "container '%s' already exists",
			name);
		goto out;
	}
	if (unique_id && store_identifier_free(st, unique_id, err) < 0)
		goto out;
	if (record_built(st, tmpfd, name, err) < 0)
		goto out;
	/*
	 * Unlocked under the store lock (cleaners take it first), so that
	 * once the name is visible a launch can hold the container at once.
	 */
	(void)fs_flock(tmpfd, LOCK_UN);
	if (renameat(st->dirfd, tmp, st->dirfd, name) < 0) {
		err_env(err, "cannot move container '%s' into place in the "
			"store %s", name, st->path);
		(void)fs_flock(tmpfd, LOCK_EX);
		goto out;
	}
	rc = 0;
out:
	store_unlock(lockfd);
	return rc;
}

void
store_build_abort(struct container_store *st, int tmpfd, const char *tmp)
{
	struct sbox_err ignored = SBOX_ERR_INIT;

	if (tmp)
		fs_remove_tree(st->dirfd, tmp, &ignored);
	if (tmpfd >= 0)
		close(tmpfd);
}

int
store_write_metadata(int dirfd, const struct container_meta *m,
		     struct sbox_err *err)
{
	size_t len;
	char *text = container_meta_to_plist(m, &len);
	int rc;

	rc = fs_write_file(dirfd, CONTAINER_METADATA, text, len, 0644, err);
	free(text);
	return rc;
}

int
store_remove_locked(struct container_store *st, const char *name,
		    int *lockfd, struct sbox_err *err)
{
	char *prefix = xasprintf(RM_PREFIX "%s-", name), *gone = NULL;
	int rc = -1;

	/* Renamed first: from here on it is a leftover, never half-listed. */
	for (int tries = 0; tries < 100 && !gone; tries++) {
		gone = xasprintf("%s%ld-%d", prefix, (long)getpid(), tries);
		if (renameat(st->dirfd, name, st->dirfd, gone) == 0)
			break;
		free(gone);
		gone = NULL;
		if (errno != EEXIST && errno != ENOTEMPTY) {
			err_env(err, "cannot remove container '%s' from the "
				"store %s", name, st->path);
			goto out;
		}
	}
	if (gone)
		seal_record_remove(st, name);
	store_unlock(*lockfd);
	*lockfd = -1;
	if (!gone) {
		err_set(err, SBOX_E_IO, "cannot remove container '%s'", name);
		goto out;
	}
	rc = fs_remove_tree(st->dirfd, gone, err);
out:
	free(prefix);
	free(gone);
	return rc;
}

int
container_remove(struct container_store *st, const char *name,
		 struct sbox_err *err)
{
	int lockfd = -1, fd = -1, rc = -1;

	if (container_name_check(name, err) < 0)
		return -1;
	lockfd = store_lock(st, err);
	if (lockfd < 0)
		goto out;
	fd = store_open_container(st, name, err);
	if (fd < 0)
		goto out;
	if (fs_flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err_set(err, SBOX_E_EXISTS, "container '%s' is in use", name);
		goto out;
	}
	rc = store_remove_locked(st, name, &lockfd, err);
out:
	store_unlock(lockfd);
	if (fd >= 0)
		close(fd);
	return rc;
}
