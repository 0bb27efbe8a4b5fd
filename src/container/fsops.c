/*
 * Tree operations relative to directory fds, never following symlinks.
 * Copies recurse, one fd per level, FS_MAX_DEPTH bounding them; removal
 * handles any depth (remove_contents).
 */
#include "container/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/xalloc.h"

#define KEEP_PLACEHOLDER ".sbox-keep"

int
fs_flock(int fd, int op)
{
	int rc;

	do
		rc = flock(fd, op);
	while (rc < 0 && errno == EINTR);
	return rc;
}

int
fs_open_dir(int dirfd, const char *name, struct sbox_err *err)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return err_sys(err, "cannot open folder '%s'", name);
	return fd;
}

int
fs_open_regular(int dirfd, const char *name, struct stat *st)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
			O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP ? (errno = EFTYPE_SBOX, -1) : -1;
	if (fstat(fd, st) < 0) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		errno = EFTYPE_SBOX;
		return -1;
	}
	return fd;
}

/*
 * Names in a folder, read up front so the walk does not keep a DIR
 * stream open while it changes the folder.
 */
struct name_list {
	char **v;
	size_t nr, alloc;
};

static void
name_list_release(struct name_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

static int
read_names(int dirfd, struct name_list *out, struct sbox_err *err)
{
	int fd = dup(dirfd);
	DIR *d;
	struct dirent *de;

	if (fd < 0)
		return err_sys(err, "cannot read folder");
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return err_sys(err, "cannot read folder");
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = xstrdup(de->d_name);
	}
	if (errno) {
		err_sys(err, "cannot read folder");
		closedir(d);
		return -1;
	}
	closedir(d);
	return 0;
}

/*
 * Open the folder name of dirfd to empty it, whatever its mode: a program
 * may leave a folder at 000 (its owner can still chmod it, through an
 * O_PATH descriptor so that nothing swapped in is followed), and as
 * read-only folders it must be writable for its entries to go.
 */
static int
rm_open_dir(int dirfd, const char *name, struct stat *st)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, flags);

	if (fd < 0 && errno == EACCES) {
		int path = openat(dirfd, name, O_PATH | O_DIRECTORY |
				  O_NOFOLLOW | O_CLOEXEC);
		char proc[64];

		if (path < 0)
			return -1;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path);
		(void)chmod(proc, 0700);
		close(path);
		fd = openat(dirfd, name, flags);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		close(fd);
		return -1;
	}
	(void)fchmod(fd, 0700);
	return fd;
}

/* A folder on the way down: its name in its parent, who it is, and the
 * entries still to remove. */
struct rm_level {
	char *name;
	dev_t dev;
	ino_t ino;
	struct name_list names;
	size_t next;
};

static int
rm_push(struct rm_level **v, size_t *nr, size_t *alloc, int fd,
	const char *name, const struct stat *st, struct sbox_err *err)
{
	struct rm_level *l;

	ALLOC_GROW(*v, *nr + 1, *alloc);
	l = &(*v)[(*nr)++];
	memset(l, 0, sizeof(*l));
	l->name = name ? xstrdup(name) : NULL;
	l->dev = st->st_dev;
	l->ino = st->st_ino;
	return read_names(fd, &l->names, err);
}

static void
rm_pop(struct rm_level *v, size_t *nr)
{
	struct rm_level *l = &v[--*nr];

	free(l->name);
	name_list_release(&l->names);
}

/* Back up to the parent folder, which must still be the one we came from. */
static int
rm_up(int *cur, const struct rm_level *parent, struct sbox_err *err)
{
	int up = openat(*cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (up < 0 || fstat(up, &st) < 0 || st.st_dev != parent->dev ||
	    st.st_ino != parent->ino) {
		if (up >= 0)
			close(up);
		return err_set(err, SBOX_E_IO, "a folder was moved while "
			       "it was being removed");
	}
	close(*cur);
	*cur = up;
	return 0;
}

/*
 * Empty the folder top, depth-first without recursion or one descriptor
 * per level: a tree of any depth a program could make goes (fts(3) goes
 * back up the same way, through ".." checked against what it was).
 */
static int
remove_contents(int top, struct sbox_err *err)
{
	struct rm_level *v = NULL;
	size_t nr = 0, alloc = 0;
	struct stat st;
	int cur = fcntl(top, F_DUPFD_CLOEXEC, 0), rc = -1;

	if (cur < 0 || fstat(cur, &st) < 0) {
		err_sys(err, "cannot remove folder");
		goto out;
	}
	(void)fchmod(cur, 0700);
	if (rm_push(&v, &nr, &alloc, cur, NULL, &st, err) < 0)
		goto out;
	while (nr) {
		struct rm_level *l = &v[nr - 1];
		const char *n;
		int sub;

		if (l->next == l->names.nr) {
			if (nr == 1)
				break;
			if (rm_up(&cur, &v[nr - 2], err) < 0)
				goto out;
			if (unlinkat(cur, l->name, AT_REMOVEDIR) < 0 &&
			    errno != ENOENT) {
				err_sys(err, "cannot remove '%s'", l->name);
				goto out;
			}
			rm_pop(v, &nr);
			continue;
		}
		n = l->names.v[l->next++];
		if (unlinkat(cur, n, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR && errno != EPERM && errno != ENOTEMPTY) {
			err_sys(err, "cannot remove '%s'", n);
			goto out;
		}
		sub = rm_open_dir(cur, n, &st);
		if (sub < 0) {
			err_sys(err, "cannot remove '%s'", n);
			goto out;
		}
		close(cur);
		cur = sub;
		if (rm_push(&v, &nr, &alloc, cur, n, &st, err) < 0)
			goto out;
	}
	rc = 0;
out:
	while (nr)
		rm_pop(v, &nr);
	free(v);
	if (cur >= 0)
		close(cur);
	return rc;
}

int
fs_remove_tree(int dirfd, const char *name, struct sbox_err *err)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 :
		       err_sys(err, "cannot remove '%s'", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0)
			return err_sys(err, "cannot remove '%s'", name);
		return 0;
	}
	fd = rm_open_dir(dirfd, name, &st);
	if (fd < 0)
		return err_sys(err, "cannot remove '%s'", name);
	rc = remove_contents(fd, err);
	close(fd);
	if (rc < 0)
		return -1;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return err_sys(err, "cannot remove '%s'", name);
	return 0;
}

static int
copy_times(int fd, const char *name, const struct stat *st, int flags)
{
	struct timespec ts[2];

#ifdef __APPLE__
	ts[0] = st->st_atimespec;
	ts[1] = st->st_mtimespec;
#else
	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
#endif
	if (name)
		return utimensat(fd, name, ts, flags);
	return futimens(fd, ts);
}

static int
copy_file_data(int in, int out, const char *name, struct sbox_err *err)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, "cannot read '%s'", name);
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0) {
				if (errno == EINTR)
					continue;
				return err_sys(err, "cannot write '%s'", name);
			}
			off += w;
		}
	}
	return 0;
}

/* Copy the permission bits (setuid/setgid dropped) and times of st to fd. */
static int
copy_mode_times(int fd, const char *name, const struct stat *st,
		struct sbox_err *err)
{
	if (fchmod(fd, st->st_mode & 01777) < 0 || copy_times(fd, NULL, st, 0) < 0)
		return err_sys(err, "cannot set mode or times of '%s'", name);
	return 0;
}

static void
close_pair(int a, int b)
{
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

static int
copy_file(int srcfd, int dstfd, const char *name, const struct stat *st,
	  struct sbox_err *err)
{
	int in = -1, out = -1, rc = -1;

	struct stat now;

	in = fs_open_regular(srcfd, name, &now);
	if (in < 0 && errno == EFTYPE_SBOX)
		return 0;   /* swapped for something else: not a file to copy */
	if (in < 0) {
		err_sys(err, "cannot open '%s'", name);
		goto out;
	}
	st = &now;
	out = openat(dstfd, name,
		     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     0600);
	if (out < 0) {
		err_sys(err, "cannot create '%s'", name);
		goto out;
	}
	if (copy_file_data(in, out, name, err) < 0)
		goto out;
	rc = copy_mode_times(out, name, st, err);
out:
	close_pair(in, out);
	return rc;
}

static int
copy_symlink(int srcfd, int dstfd, const char *name, const struct stat *st,
	     struct sbox_err *err)
{
	char target[4096];
	ssize_t n = readlinkat(srcfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return err_sys(err, "cannot read link '%s'", name);
	target[n] = '\0';
	if (symlinkat(target, dstfd, name) < 0)
		return err_sys(err, "cannot create link '%s'", name);
	copy_times(dstfd, name, st, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int copy_contents(int srcfd, int dstfd, unsigned depth,
			 struct sbox_err *err);

static int
copy_dir(int srcfd, int dstfd, const char *name, const struct stat *st,
	 unsigned depth, struct sbox_err *err)
{
	int in = -1, out = -1, rc = -1;

	if (mkdirat(dstfd, name, 0700) < 0 && errno != EEXIST) {
		err_sys(err, "cannot create folder '%s'", name);
		goto out;
	}
	in = fs_open_dir(srcfd, name, err);
	if (in < 0)
		goto out;
	out = fs_open_dir(dstfd, name, err);
	if (out < 0)
		goto out;
	if (copy_contents(in, out, depth + 1, err) < 0) {
		err_wrap(err, "%s", name);
		goto out;
	}
	/* Mode and times last: the folder may be read-only. */
	rc = copy_mode_times(out, name, st, err);
out:
	close_pair(in, out);
	return rc;
}

static int
copy_contents(int srcfd, int dstfd, unsigned depth, struct sbox_err *err)
{
	struct name_list names = { 0 };
	struct stat st;
	int rc = -1;

	if (depth > FS_MAX_DEPTH) {
		err_set(err, SBOX_E_INVALID, "folder tree deeper than %d levels",
			FS_MAX_DEPTH);
		goto out;
	}
	if (read_names(srcfd, &names, err) < 0)
		goto out;
	for (size_t i = 0; i < names.nr; i++) {
		const char *n = names.v[i];
		int r = 0;

		if (!strcmp(n, KEEP_PLACEHOLDER))
			continue;
		if (fstatat(srcfd, n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err_sys(err, "cannot stat '%s'", n);
			goto out;
		}
		if (S_ISREG(st.st_mode))
			r = copy_file(srcfd, dstfd, n, &st, err);
		else if (S_ISDIR(st.st_mode))
			r = copy_dir(srcfd, dstfd, n, &st, depth, err);
		else if (S_ISLNK(st.st_mode))
			r = copy_symlink(srcfd, dstfd, n, &st, err);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	name_list_release(&names);
	return rc;
}

int
fs_copy_tree(int srcfd, int dstfd, struct sbox_err *err)
{
	return copy_contents(srcfd, dstfd, 0, err);
}

static int
chown_contents(int dirfd, uid_t uid, gid_t gid, unsigned depth,
	       struct sbox_err *err)
{
	struct name_list names = { 0 };
	struct stat st;
	int rc = -1;

	if (depth > FS_MAX_DEPTH) {
		err_set(err, SBOX_E_IO, "folder tree deeper than %d levels",
			FS_MAX_DEPTH);
		goto out;
	}
	if (read_names(dirfd, &names, err) < 0)
		goto out;
	for (size_t i = 0; i < names.nr; i++) {
		const char *n = names.v[i];
		int sub, r;

		if (fchownat(dirfd, n, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
			err_sys(err, "cannot chown '%s'", n);
			goto out;
		}
		if (fstatat(dirfd, n, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		sub = fs_open_dir(dirfd, n, err);
		if (sub < 0)
			goto out;
		r = chown_contents(sub, uid, gid, depth + 1, err);
		close(sub);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	name_list_release(&names);
	return rc;
}

int
fs_chown_tree(int dirfd, uid_t uid, gid_t gid, struct sbox_err *err)
{
	if (fchown(dirfd, uid, gid) < 0)
		return err_sys(err, "cannot chown folder");
	return chown_contents(dirfd, uid, gid, 0, err);
}

int
fs_write_file(int dirfd, const char *name, const void *buf, size_t len,
	      mode_t mode, struct sbox_err *err)
{
	const char *p = buf;
	int fd = openat(dirfd, name,
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			mode);

	if (fd < 0)
		return err_sys(err, "cannot create '%s'", name);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_sys(err, "cannot write '%s'", name);
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		return err_sys(err, "cannot write '%s'", name);
	return 0;
}

int
fs_read_file(int dirfd, const char *name, size_t max, char **out,
	     size_t *len, struct sbox_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t have = 0;
	int fd = -1, rc = -1;

	fd = fs_open_regular(dirfd, name, &st);
	if (fd < 0 && errno != EFTYPE_SBOX) {
		err_sys(err, "cannot open '%s'", name);
		goto out;
	}
	if (fd < 0 || (uint64_t)st.st_size > max) {
		err_set(err, SBOX_E_INVALID,
			"'%s' is not a regular file of at most %zu bytes",
			name, max);
		goto out;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (have < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + have, (size_t)st.st_size - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_sys(err, "cannot read '%s'", name);
			goto out;
		}
		have += (size_t)n;
	}
	buf[have] = '\0';
	*out = buf;
	buf = NULL;
	if (len)
		*len = have;
	rc = 0;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

char *
fs_make_unique_dir(int dirfd, const char *prefix, mode_t mode,
		   struct sbox_err *err)
{
	static unsigned counter;

	for (int tries = 0; tries < 100; tries++) {
		struct timespec ts;
		char *name;

		clock_gettime(CLOCK_REALTIME, &ts);
		name = xasprintf("%s%ld-%lx-%u", prefix, (long)getpid(),
				 (unsigned long)ts.tv_nsec, counter++);
		if (mkdirat(dirfd, name, mode) == 0)
			return name;
		free(name);
		if (errno != EEXIST) {
			err_sys(err, "cannot create a folder in the store");
			return NULL;
		}
	}
	err_set(err, SBOX_E_IO, "cannot find a free temporary name");
	return NULL;
}
