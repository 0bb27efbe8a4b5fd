/*
 * Unpacking archives without trusting them: templates, root filesystems
 * and imports all come through here. libarchive only parses; every file
 * is written by this code relative to the target tree's fd:
 *
 *   - no absolute paths and no "..": each path is split and checked;
 *   - no writing through symlinks: every folder on the way is opened
 *     with O_NOFOLLOW|O_DIRECTORY, every file is created O_EXCL|O_NOFOLLOW
 *     after unlinking whatever was there (never opened for writing);
 *   - hard links only to regular files already unpacked in the same tree,
 *     found the same way;
 *   - devices, FIFOs and sockets: refused in strict mode (import),
 *     skipped otherwise; setuid/setgid: refused in strict mode, dropped
 *     otherwise;
 *   - limits on the number of entries and on total file bytes.
 *
 * This is the property bsdtar gets from ARCHIVE_EXTRACT_SECURE_SYMLINKS |
 * _SECURE_NODOTDOT | _SECURE_NOABSOLUTEPATHS (STYLE.md §7), done with
 * fds so it holds even while something else changes the tree.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_MAX_ENTRIES 2000000ULL
#define DEFAULT_MAX_BYTES (64ULL << 30)
#define COMPONENT_MAX 255

struct unpack_dir {
	char *path;
	mode_t mode;
	int has_mtime;
	struct timespec mtime;
};

/* A checked relative path split into components (pointing into buf). */
struct upath {
	char *buf;
	const char *comp[FS_MAX_DEPTH];
	size_t n;
};

void
unpacker_init(struct unpacker *u, int dirfd, const char *label,
	      const struct container_limits *limits)
{
	memset(u, 0, sizeof(*u));
	u->dirfd = dirfd;
	u->label = xstrdup(label);
	u->max_entries = limits && limits->max_entries ? limits->max_entries :
			 DEFAULT_MAX_ENTRIES;
	u->max_bytes = limits && limits->max_bytes ? limits->max_bytes :
		       DEFAULT_MAX_BYTES;
}

void
unpacker_release(struct unpacker *u)
{
	for (size_t i = 0; i < u->ndirs; i++)
		free(u->dirs[i].path);
	free(u->dirs);
	free(u->label);
	memset(u, 0, sizeof(*u));
	u->dirfd = -1;
}

static int
refuse(struct unpacker *u, const char *path, struct sbox_err *err,
       const char *why)
{
	return err_set(err, SBOX_E_INVALID, "refusing '%s': entry '%s' %s",
		       u->label, path ? path : "(no name)", why);
}

static int
upath_parse(struct unpacker *u, const char *raw, struct upath *p,
	    struct sbox_err *err)
{
	char *save = NULL, *c;

	p->buf = NULL;
	p->n = 0;
	if (!raw || !*raw)
		return refuse(u, raw, err, "has no name");
	if (raw[0] == '/')
		return refuse(u, raw, err, "has an absolute path");
	if (strlen(raw) >= PATH_MAX)
		return refuse(u, raw, err, "has a path that is too long");
	p->buf = xstrdup(raw);
	for (c = strtok_r(p->buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, ".."))
			return refuse(u, raw, err, "contains '..'");
		if (strlen(c) > COMPONENT_MAX)
			return refuse(u, raw, err, "has a name that is too long");
		if (p->n == FS_MAX_DEPTH)
			return refuse(u, raw, err, "is nested too deeply");
		p->comp[p->n++] = c;
	}
	if (u->tops && p->n > 0) {
		size_t i;

		for (i = 0; u->tops[i]; i++)
			if (!strcmp(u->tops[i], p->comp[0]))
				break;
		if (!u->tops[i])
			return refuse(u, raw, err,
				      "is outside Data/ and root/");
	}
	return 0;
}

/*
 * Open the folder holding the last component, creating missing folders
 * (mode 0700 until unpacker_finish) when create is set.
 */
static int
open_parent(struct unpacker *u, const struct upath *p, const char *raw,
	    int create, struct sbox_err *err)
{
	int cur = dup(u->dirfd);

	if (cur < 0)
		return err_sys(err, "cannot open the target folder");
	for (size_t i = 0; i + 1 < p->n; i++) {
		int fd = openat(cur, p->comp[i], O_RDONLY | O_DIRECTORY |
				O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0 && errno == ENOENT && create &&
		    (mkdirat(cur, p->comp[i], 0700) == 0 || errno == EEXIST))
			fd = openat(cur, p->comp[i], O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;

			close(cur);
			if (e == ELOOP || e == ENOTDIR)
				return refuse(u, raw, err, "would go through "
					      "a symlink or a file");
			errno = e;
			return err_sys(err, "cannot open folder for '%s'", raw);
		}
		close(cur);
		cur = fd;
	}
	return cur;
}

/*
 * Make room for the last component. Anything but a folder is unlinked
 * (never written through); returns 1 when a folder is there and
 * want_dir is set.
 */
static int
clear_slot(struct unpacker *u, int pfd, const char *base, const char *raw,
	   int want_dir, struct sbox_err *err)
{
	struct stat st;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : err_sys(err, "cannot stat '%s'", raw);
	if (S_ISDIR(st.st_mode)) {
		if (want_dir)
			return 1;
		return refuse(u, raw, err, "would replace a folder");
	}
	if (unlinkat(pfd, base, 0) < 0)
		return err_sys(err, "cannot replace '%s'", raw);
	return 0;
}

static void
entry_times(struct archive_entry *e, struct timespec ts[2])
{
	ts[1].tv_sec = archive_entry_mtime(e);
	ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = archive_entry_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	} else {
		ts[0] = ts[1];
	}
	if (!archive_entry_mtime_is_set(e)) {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	}
}

static int
write_all_at(int fd, const char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int
account_bytes(struct unpacker *u, const char *raw, uint64_t n,
	      struct sbox_err *err)
{
	if (n > u->max_bytes - u->bytes)
		return refuse(u, raw, err, "takes the archive past its size "
			      "limit (SBOX_IMPORT_MAX_BYTES)");
	u->bytes += n;
	return 0;
}

static int
copy_entry_data(struct unpacker *u, struct archive *a, int fd,
		const char *raw, uint64_t *end, struct sbox_err *err)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	*end = 0;
	while ((r = archive_read_data_block(a, &buf, &size, &off)) !=
	       ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			err_set(err, SBOX_E_INVALID, "refusing '%s': entry '%s' "
				"is damaged: %s", u->label, raw,
				archive_error_string(a) ?
				archive_error_string(a) : "unreadable");
			return -1;
		}
		if (off < 0 || (uint64_t)off < *end)
			return refuse(u, raw, err, "has bad data offsets");
		if (account_bytes(u, raw, (uint64_t)off - *end + size, err) < 0)
			return -1;
		if (write_all_at(fd, buf, size, (off_t)off) < 0)
			return err_sys(err, "cannot write '%s'", raw);
		*end = (uint64_t)off + size;
	}
	return 0;
}

static int
make_file(struct unpacker *u, struct archive *a, struct archive_entry *e,
	  int pfd, const char *base, const char *raw, mode_t mode,
	  struct sbox_err *err)
{
	struct timespec ts[2];
	uint64_t end = 0;
	int fd, rc = -1;

	if (clear_slot(u, pfd, base, raw, 0, err) < 0)
		return -1;
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd < 0)
		return err_sys(err, "cannot create '%s'", raw);
	if (copy_entry_data(u, a, fd, raw, &end, err) < 0)
		goto out;
	/* A sparse tail: the declared size counts against the limit too. */
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
	    (uint64_t)archive_entry_size(e) > end) {
		uint64_t size = (uint64_t)archive_entry_size(e);

		if (account_bytes(u, raw, size - end, err) < 0)
			goto out;
		if (ftruncate(fd, (off_t)size) < 0) {
			err_sys(err, "cannot size '%s'", raw);
			goto out;
		}
	}
	entry_times(e, ts);
	if (fchmod(fd, mode & 0777) < 0 || futimens(fd, ts) < 0) {
		err_sys(err, "cannot set mode or times of '%s'", raw);
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static int
make_dir(struct unpacker *u, struct archive_entry *e, int pfd,
	 const char *base, const char *raw, mode_t mode, struct sbox_err *err)
{
	struct unpack_dir *d;
	int r = clear_slot(u, pfd, base, raw, 1, err);

	if (r < 0)
		return -1;
	if (r == 0 && mkdirat(pfd, base, 0700) < 0)
		return err_sys(err, "cannot create folder '%s'", raw);
	/* Mode and times at the end, once nothing more goes inside. */
	ALLOC_GROW(u->dirs, u->ndirs + 1, u->dirs_alloc);
	d = &u->dirs[u->ndirs++];
	d->path = xstrdup(raw);
	d->mode = mode & 01777;
	d->has_mtime = archive_entry_mtime_is_set(e);
	d->mtime.tv_sec = archive_entry_mtime(e);
	d->mtime.tv_nsec = archive_entry_mtime_nsec(e);
	return 0;
}

static int
make_symlink(struct unpacker *u, struct archive_entry *e, int pfd,
	     const char *base, const char *raw, struct sbox_err *err)
{
	const char *target = archive_entry_symlink(e);
	struct timespec ts[2];

	if (!target || !*target || strlen(target) >= PATH_MAX)
		return refuse(u, raw, err, "is a symlink without a target");
	if (clear_slot(u, pfd, base, raw, 0, err) < 0)
		return -1;
	if (symlinkat(target, pfd, base) < 0)
		return err_sys(err, "cannot create link '%s'", raw);
	entry_times(e, ts);
	utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int
make_hardlink(struct unpacker *u, const char *target, int pfd,
	      const char *base, const char *raw, struct sbox_err *err)
{
	struct upath tp;
	struct stat st;
	int tfd = -1, rc = -1;

	if (upath_parse(u, target, &tp, err) < 0) {
		err_set(err, SBOX_E_INVALID, "refusing '%s': entry '%s' is a "
			"hard link to '%s', outside the container", u->label,
			raw, target);
		goto out;
	}
	if (tp.n == 0) {
		refuse(u, raw, err, "is a hard link to the top folder");
		goto out;
	}
	tfd = open_parent(u, &tp, target, 0, err);
	if (tfd < 0)
		goto out;
	if (fstatat(tfd, tp.comp[tp.n - 1], &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode)) {
		refuse(u, raw, err, "is a hard link to something that is not "
		       "a file unpacked before it");
		goto out;
	}
	if (clear_slot(u, pfd, base, raw, 0, err) < 0)
		goto out;
	/* flags 0: linkat does not follow a symlink target. */
	if (linkat(tfd, tp.comp[tp.n - 1], pfd, base, 0) < 0) {
		err_sys(err, "cannot link '%s'", raw);
		goto out;
	}
	rc = 0;
out:
	if (tfd >= 0)
		close(tfd);
	free(tp.buf);
	return rc;
}

/* Check type and mode; 1 means "skip this entry". */
static int
entry_allowed(struct unpacker *u, struct archive_entry *e, const char *raw,
	      const struct upath *p, mode_t *mode, struct sbox_err *err)
{
	mode_t type = archive_entry_filetype(e);
	int is_link = archive_entry_hardlink(e) != NULL;

	*mode = archive_entry_perm(e);
	if (!is_link && type != AE_IFREG && type != AE_IFDIR &&
	    type != AE_IFLNK) {
		if (u->strict)
			return refuse(u, raw, err, "is a device node, FIFO or "
				      "socket");
		return 1;
	}
	if (type != AE_IFDIR && (*mode & (S_ISUID | S_ISGID))) {
		if (u->strict)
			return refuse(u, raw, err, "has a setuid or setgid bit");
		*mode &= ~(mode_t)(S_ISUID | S_ISGID);
	}
	if (type == AE_IFDIR)
		*mode &= ~(mode_t)(S_ISUID | S_ISGID);
	if (p->n == 0)
		return type == AE_IFDIR && !is_link ? 1 :
		       refuse(u, raw, err, "replaces the top folder");
	/* Data/ and root/ themselves must be real folders. */
	if (u->tops && p->n == 1 && (type != AE_IFDIR || is_link))
		return refuse(u, raw, err, "must be a folder");
	return 0;
}

int
unpacker_entry(struct unpacker *u, struct archive *a,
	       struct archive_entry *e, struct sbox_err *err)
{
	const char *raw = archive_entry_pathname(e);
	const char *hard = archive_entry_hardlink(e);
	struct upath p = { 0 };
	mode_t mode;
	int pfd = -1, rc = -1, r;

	if (++u->entries > u->max_entries) {
		err_set(err, SBOX_E_INVALID, "refusing '%s': more than %llu "
			"entries (SBOX_IMPORT_MAX_ENTRIES)", u->label,
			(unsigned long long)u->max_entries);
		goto out;
	}
	if (upath_parse(u, raw, &p, err) < 0)
		goto out;
	r = entry_allowed(u, e, raw, &p, &mode, err);
	if (r != 0) {
		rc = r > 0 ? 0 : -1;
		goto out;
	}
	pfd = open_parent(u, &p, raw, 1, err);
	if (pfd < 0)
		goto out;
	if (hard)
		rc = make_hardlink(u, hard, pfd, p.comp[p.n - 1], raw, err);
	else if (archive_entry_filetype(e) == AE_IFDIR)
		rc = make_dir(u, e, pfd, p.comp[p.n - 1], raw, mode, err);
	else if (archive_entry_filetype(e) == AE_IFLNK)
		rc = make_symlink(u, e, pfd, p.comp[p.n - 1], raw, err);
	else
		rc = make_file(u, a, e, pfd, p.comp[p.n - 1], raw, mode, err);
out:
	if (pfd >= 0)
		close(pfd);
	free(p.buf);
	return rc;
}

static int
finish_dir(struct unpacker *u, const struct unpack_dir *d,
	   struct sbox_err *err)
{
	struct upath p;
	struct timespec ts[2];
	int pfd = -1, fd = -1, rc = -1;

	if (upath_parse(u, d->path, &p, err) < 0)
		goto out;
	pfd = open_parent(u, &p, d->path, 0, err);
	if (pfd < 0)
		goto out;
	fd = openat(pfd, p.comp[p.n - 1], O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* Replaced by a later entry: that entry won. */
		rc = 0;
		goto out;
	}
	ts[0] = ts[1] = d->mtime;
	if (!d->has_mtime)
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	if (fchmod(fd, d->mode) < 0 || futimens(fd, ts) < 0) {
		err_sys(err, "cannot set mode or times of '%s'", d->path);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	free(p.buf);
	return rc;
}

int
unpacker_finish(struct unpacker *u, struct sbox_err *err)
{
	/* Deepest last-written first, so a parent's mtime is set after. */
	for (size_t i = u->ndirs; i > 0; i--)
		if (finish_dir(u, &u->dirs[i - 1], err) < 0)
			return -1;
	return 0;
}

struct archive *
unpack_reader_new(void)
{
	struct archive *a = archive_read_new();

	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	return a;
}

int
unpack_is_archive_name(const char *path)
{
	static const char *const suffixes[] = {
		".tar", ".tar.gz", ".tgz", ".tar.zst", ".tzst", ".tar.xz",
		".txz", ".tar.bz2", ".tbz2", ".zip", NULL,
	};
	size_t n = strlen(path);

	for (size_t i = 0; suffixes[i]; i++) {
		size_t s = strlen(suffixes[i]);

		if (n > s && !strcmp(path + n - s, suffixes[i]))
			return 1;
	}
	return 0;
}

int
unpack_archive_fd(int fd, const char *path, int dirfd, struct sbox_err *err)
{
	struct archive *a = unpack_reader_new();
	struct archive_entry *e;
	struct unpacker u;
	int r, rc = -1;

	unpacker_init(&u, dirfd, path, NULL);
	if (archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		err_set(err, SBOX_E_INVALID, "cannot read archive '%s': %s",
			path, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			err_set(err, SBOX_E_INVALID, "cannot read archive "
				"'%s': %s", path, archive_error_string(a));
			goto out;
		}
		if (unpacker_entry(&u, a, e, err) < 0)
			goto out;
	}
	rc = unpacker_finish(&u, err);
out:
	unpacker_release(&u);
	archive_read_free(a);
	return rc;
}
