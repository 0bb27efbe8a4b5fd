/*
 * Export: one pax tar with metadata.plist first (import recognises an
 * sbox archive by it), definition.json, then Data/ and root/, keeping
 * modes, times, symlinks and hard links. Written next to the target and
 * renamed, so a failed export leaves no partial file.
 */
#include "container/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

struct exporter {
	struct archive *a;
	struct archive_entry_linkresolver *links;
	const char *label;
	/* definition.json as its seal was verified: what goes in the
	 * archive, whatever the file holds by the time it is written */
	const char *def;
	size_t def_len;
};

static int
archive_fail(struct exporter *x, struct sbox_err *err)
{
	return err_set(err, SBOX_E_IO, "cannot write '%s': %s", x->label,
		       archive_error_string(x->a));
}

static int
write_data(struct exporter *x, int fd, const char *path,
	   struct sbox_err *err)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, "cannot read '%s'", path);
		if (archive_write_data(x->a, buf, (size_t)n) < 0)
			return archive_fail(x, err);
	}
	return 0;
}

/* Write one entry; for a regular file fd is open on it (else -1). */
static int
write_entry(struct exporter *x, const char *path, const struct stat *st,
	    int fd, const char *link_target, struct sbox_err *err)
{
	struct archive_entry *e = archive_entry_new(), *sparse = NULL;
	struct archive_entry *orig = e;
	int rc = -1;

	archive_entry_copy_pathname(e, path);
	archive_entry_copy_stat(e, st);
	if (link_target)
		archive_entry_copy_symlink(e, link_target);
	if (S_ISREG(st->st_mode))
		archive_entry_linkify(x->links, &e, &sparse);
	if (e && archive_write_header(x->a, e) < ARCHIVE_WARN) {
		archive_fail(x, err);
		goto out;
	}
	/* A later name of a hard-linked file carries no data. */
	if (e == orig && fd >= 0 && !archive_entry_hardlink(e) &&
	    archive_entry_size(e) > 0 && write_data(x, fd, path, err) < 0)
		goto out;
	rc = 0;
out:
	archive_entry_free(orig);
	return rc;
}

static int export_tree(struct exporter *x, int dirfd, struct strbuf *path,
		       unsigned depth, struct sbox_err *err);

static int
export_one(struct exporter *x, int dirfd, const char *name,
	   struct strbuf *path, unsigned depth, struct sbox_err *err)
{
	struct stat st;
	char target[4096];
	int fd = -1, rc = -1;
	ssize_t n;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		/* removed by a running program since the listing */
		return errno == ENOENT ? 0 :
		       err_sys(err, "cannot stat '%s'", path->buf);
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n < 0 && (errno == EINVAL || errno == ENOENT))
			return 0;   /* no longer a link */
		if (n < 0)
			return err_sys(err, "cannot read link '%s'", path->buf);
		target[n] = '\0';
		return write_entry(x, path->buf, &st, -1, target, err);
	}
	if (S_ISDIR(st.st_mode)) {
		fd = fs_open_dir(dirfd, name, err);
		if (fd < 0)
			return -1;
		/* what was opened, not what the name was a moment ago */
		if (fstat(fd, &st) < 0)
			rc = err_sys(err, "cannot stat '%s'", path->buf);
		else
			rc = write_entry(x, path->buf, &st, -1, NULL, err);
		if (rc == 0)
			rc = export_tree(x, fd, path, depth + 1, err);
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode))
		return 0;   /* sockets, FIFOs: nothing import would accept */
	/* a running program may have swapped in a FIFO or a link since */
	fd = fs_open_regular(dirfd, name, &st);
	if (fd < 0 && errno == EFTYPE_SBOX)
		return 0;
	if (fd < 0)
		return err_sys(err, "cannot open '%s'", path->buf);
	rc = write_entry(x, path->buf, &st, fd, NULL, err);
	close(fd);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries in name order, so two exports of one tree are alike. */
static int
export_tree(struct exporter *x, int dirfd, struct strbuf *path,
	    unsigned depth, struct sbox_err *err)
{
	char **names = NULL;
	size_t nr = 0, alloc = 0, base = path->len;
	int dfd = dup(dirfd), rc = -1;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return err_sys(err, "cannot read '%s'", path->buf);
	}
	if (depth > FS_MAX_DEPTH) {
		err_set(err, SBOX_E_IO, "'%s' is nested too deeply", path->buf);
		goto out;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	if (nr > 1)
		qsort(names, nr, sizeof(*names), name_cmp);
	for (size_t i = 0; i < nr; i++) {
		strbuf_addf(path, "/%s", names[i]);
		if (export_one(x, dirfd, names[i], path, depth, err) < 0)
			goto out;
		path->len = base;
		path->buf[base] = '\0';
	}
	rc = 0;
out:
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/*
 * The definition is written from the bytes whose seal was checked, not
 * read again: a program that can write the store could otherwise swap in
 * another definition (with a recomputed plain digest) between the check
 * and the copy, and the importer would seal it as its own.
 */
static int
export_definition(struct exporter *x, int cfd, struct sbox_err *err)
{
	struct archive_entry *e;
	struct stat st;
	int rc = 0;

	if (fstatat(cfd, CONTAINER_DEFINITION, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return err_sys(err, "cannot stat '%s'", CONTAINER_DEFINITION);
	e = archive_entry_new();
	archive_entry_copy_pathname(e, CONTAINER_DEFINITION);
	archive_entry_copy_stat(e, &st);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_nlink(e, 1);
	archive_entry_set_size(e, (la_int64_t)x->def_len);
	if (archive_write_header(x->a, e) < ARCHIVE_WARN ||
	    archive_write_data(x->a, x->def, x->def_len) < 0)
		rc = archive_fail(x, err);
	archive_entry_free(e);
	return rc;
}

static int
export_container(struct exporter *x, int cfd, int has_root,
		 struct sbox_err *err)
{
	static const char *const tops[] = { CONTAINER_METADATA,
					    CONTAINER_DEFINITION,
					    CONTAINER_DATA, CONTAINER_ROOT };
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < 4 && rc == 0; i++) {
		if (i == 3 && !has_root)
			break;
		strbuf_reset(&path);
		strbuf_addstr(&path, tops[i]);
		rc = i == 1 ? export_definition(x, cfd, err) :
			      export_one(x, cfd, tops[i], &path, 0, err);
	}
	strbuf_release(&path);
	return rc;
}

static void
set_filter(struct archive *a, const char *path)
{
	size_t n = strlen(path);

#define ENDS(s) (n > strlen(s) && !strcmp(path + n - strlen(s), s))
	if (ENDS(".tar.gz") || ENDS(".tgz"))
		archive_write_add_filter_gzip(a);
	else if (ENDS(".tar.zst") || ENDS(".tzst"))
		archive_write_add_filter_zstd(a);
	else if (ENDS(".tar.xz") || ENDS(".txz"))
		archive_write_add_filter_xz(a);
#undef ENDS
}

static int
export_to_fd(const struct container_info *ci, int cfd, const char *def,
	     size_t def_len, int fd, const char *path, struct sbox_err *err)
{
	struct exporter x = { archive_write_new(), NULL, path, def, def_len };
	int rc = -1;

	archive_write_set_format_pax_restricted(x.a);
	set_filter(x.a, path);
	x.links = archive_entry_linkresolver_new();
	archive_entry_linkresolver_set_strategy(x.links, archive_format(x.a));
	if (archive_write_open_fd(x.a, fd) != ARCHIVE_OK) {
		archive_fail(&x, err);
		goto out;
	}
	if (export_container(&x, cfd, ci->has_root, err) < 0)
		goto out;
	if (archive_write_close(x.a) != ARCHIVE_OK) {
		archive_fail(&x, err);
		goto out;
	}
	rc = 0;
out:
	archive_entry_linkresolver_free(x.links);
	archive_write_free(x.a);
	return rc;
}

/*
 * The archive is written to an unnamed file (O_TMPFILE) in the target's
 * folder and given its name only when complete, so an export killed at
 * any point (even by SIGKILL) leaves nothing behind. Where the file
 * system has no O_TMPFILE, a named temporary file is used and removed on
 * failure.
 */
struct out_file {
	int fd;
	char *tmp;    /* the named fallback, NULL with O_TMPFILE */
};

static int
out_open(const char *path, struct out_file *o, struct sbox_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) :
			    xstrdup(".");

	o->tmp = NULL;
	o->fd = open(*dir ? dir : "/", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dir);
	if (o->fd >= 0)
		return 0;
	o->tmp = container_export_tmp_path(path, (long)getpid());
	o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		     O_CLOEXEC, 0600);
	if (o->fd < 0)
		return err_sys(err, "cannot create '%s'", path);
	return 0;
}

static void
out_discard(struct out_file *o)
{
	if (o->tmp && o->fd >= 0)
		unlink(o->tmp);
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	free(o->tmp);
	o->tmp = NULL;
}

/* Give the finished archive its name, replacing what was there. */
static int
out_commit(struct out_file *o, const char *path, struct sbox_err *err)
{
	char proc[64], *tmp;
	sigset_t all, old;
	int rc = 0;

	if (o->tmp) {
		if (rename(o->tmp, path) < 0)
			return err_sys(err, "cannot write '%s'", path);
		free(o->tmp);
		o->tmp = NULL;
		return 0;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != EEXIST)
		return err_sys(err, "cannot write '%s'", path);
	/* replacing a file: a name for a moment, with no signal to stop us
	 * between the link and the rename (only SIGKILL can) */
	tmp = xasprintf("%s.sbox-tmp-%ld", path, (long)getpid());
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	unlink(tmp);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0 ||
	    rename(tmp, path) < 0) {
		rc = err_sys(err, "cannot write '%s'", path);
		unlink(tmp);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(tmp);
	return rc;
}

char *
container_export_tmp_path(const char *path, long pid)
{
	return xasprintf("%s.sbox-tmp-%ld", path, pid);
}

/* "-": a plain tar to standard output (nothing to rename). */
static int
export_stdout(struct container_store *st, const char *name,
	      struct sbox_err *err)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	char *def = NULL;
	size_t len = 0;
	int cfd = -1, rc = -1;

	if (container_lookup(st, name, &ci, err) == 0 &&
	    container_hold(st, &ci, err) == 0 &&
	    (cfd = fs_open_dir(st->dirfd, name, err)) >= 0 &&
	    store_read_verified(st, cfd, name, 0, NULL, NULL, &def, &len, err) == 0)
		rc = export_to_fd(&ci, cfd, def, len, STDOUT_FILENO, "-", err);
	free(def);
	if (cfd >= 0)
		close(cfd);
	container_info_release(&ci);
	return rc;
}

int
container_export(struct container_store *st, const char *name,
		 const char *path, struct sbox_err *err)
{
	struct container_info ci = CONTAINER_INFO_INIT;
	struct out_file o = { -1, NULL };
	char *def = NULL;
	size_t len = 0;
	int cfd = -1, rc = -1;

	if (!strcmp(path, "-"))
		return export_stdout(st, name, err);
	if (container_lookup(st, name, &ci, err) < 0 ||
	    container_hold(st, &ci, err) < 0)
		goto out;
	cfd = fs_open_dir(st->dirfd, name, err);
	/* an archive carries only the plain digest, which anyone who could
	 * change the definition could recompute: only what sbox sealed
	 * leaves the store */
	if (cfd < 0 ||
	    store_read_verified(st, cfd, name, 0, NULL, NULL, &def, &len, err) < 0 ||
	    out_open(path, &o, err) < 0)
		goto out;
	/* Under sudo the archive is the user's, like the store. */
	if (st->chown_to_user && fchown(o.fd, st->uid, st->gid) < 0) {
		err_sys(err, "cannot chown '%s'", path);
		goto out;
	}
	if (export_to_fd(&ci, cfd, def, len, o.fd, path, err) < 0 ||
	    out_commit(&o, path, err) < 0)
		goto out;
	rc = 0;
out:
	out_discard(&o);
	free(def);
	if (cfd >= 0)
		close(cfd);
	container_info_release(&ci);
	return rc;
}
