/*
 * The seal each container is supposed to have now, kept where no
 * container reaches: the key's folder (denied in every launch), one file
 * per container,
 *
 *	<key folder>/current/<hex SHA-256 of canonical store path "\0" name>
 *
 * holding that container's seal line. A seal proves sbox made a
 * definition for a name with the user's key, not that it is the latest
 * one: a program that can write a store could save a sealed pair and put
 * it back after the user tightened the definition, or copy a same-named
 * container's pair from another store (a replay). A reader that trusts
 * the stored definition also wants its seal to equal this record.
 *
 * Every seal write records first, then changes the container; a crash in
 * between leaves a record the container does not match, which is
 * refused by name like any mismatch (fail closed) and repaired by a
 * launch of the definition file. A record without a container (rm that
 * could not remove it, a crash before a build's rename) does no harm
 * while no store at that path has a container of that name whose seal
 * the record names.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sha256.h"
#include "util/xalloc.h"

#define RECORD_DIR "current"
/* a seal line is 86 bytes; anything much longer is not a record */
#define RECORD_MAX 256

/*
 * The record's file name. The store is named by its canonical path, so
 * two spellings of one store share records; a store moved elsewhere has
 * none (its containers need one launch from their files).
 */
static void
record_file(const struct container_store *st, const char *name,
	    char hex[SHA256_HEX_LEN + 1])
{
	char *real = realpath(st->path, NULL);
	const char *p = real ? real : st->path;
	unsigned char d[SHA256_DIGEST_LEN];
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, p, strlen(p) + 1);  /* with its NUL: the "\0" */
	sha256_update(&s, name, strlen(name));
	sha256_final(&s, d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	free(real);
}

static char *
record_dir(const struct container_store *st)
{
	char *dir = container_seal_dir(st), *r;

	if (!dir)
		return NULL;
	r = xasprintf("%s/" RECORD_DIR, dir);
	free(dir);
	return r;
}

int
seal_record_read(const struct container_store *st, const char *name,
		 char **line, struct sbox_err *err)
{
	char hex[SHA256_HEX_LEN + 1], *dir = record_dir(st), *path;
	size_t len;
	int rc = 0;

	*line = NULL;
	if (!dir)
		return 0;
	record_file(st, name, hex);
	path = xasprintf("%s/%s", dir, hex);
	if (fs_read_file(AT_FDCWD, path, RECORD_MAX, line, &len, err) < 0) {
		if (err->code == SBOX_E_IO && err->sys_errno == ENOENT)
			err_clear(err);
		else
			rc = -1;
		*line = NULL;
	}
	free(path);
	free(dir);
	return rc;
}

/* Write tmp in dfd (dir), synced and the user's, then rename it to hex. */
static int
record_put(const struct container_store *st, int dfd, const char *dir,
	   const char *hex, const char *line, struct sbox_err *err)
{
	char tmp[SHA256_HEX_LEN + 32];
	int fd, rc = -1;

	snprintf(tmp, sizeof(tmp), ".%s.%ld", hex, (long)getpid());
	(void)unlinkat(dfd, tmp, 0);
	if (fs_write_file(dfd, tmp, line, strlen(line), 0600, err) < 0) {
		errno = err->sys_errno;
		return err_env(err, "cannot write the seal records %s", dir);
	}
	fd = openat(dfd, tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0 ||
	    (st->chown_to_user && fchown(fd, st->uid, st->gid) < 0) ||
	    renameat(dfd, tmp, dfd, hex) < 0)
		err_env(err, "cannot write the seal records %s", dir);
	else
		rc = 0;
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		(void)unlinkat(dfd, tmp, 0);
	return rc;
}

int
seal_record_write(const struct container_store *st, const char *name,
		  const char *line, struct sbox_err *err)
{
	char hex[SHA256_HEX_LEN + 1], *dir = record_dir(st);
	int dfd, rc = -1;

	if (!dir)
		return err_set(err, SBOX_E_UNSUPPORTED, "cannot tell where "
			       "your home is, which holds the seal records "
			       "(set HOME)");
	dfd = store_make_path(st, dir, "the seal record folder", err);
	if (dfd >= 0) {
		record_file(st, name, hex);
		rc = record_put(st, dfd, dir, hex, line, err);
		close(dfd);
	}
	free(dir);
	return rc;
}

void
seal_record_remove(const struct container_store *st, const char *name)
{
	char hex[SHA256_HEX_LEN + 1], *dir = record_dir(st), *path;

	if (!dir)
		return;
	record_file(st, name, hex);
	path = xasprintf("%s/%s", dir, hex);
	(void)unlink(path);
	free(path);
	free(dir);
}

int
seal_record_check(const struct container_store *st, const char *line,
		  const char *name, enum seal_state *s, struct sbox_err *err)
{
	char *rec = NULL;

	if (seal_record_read(st, name, &rec, err) < 0) {
		err_wrap(err, "cannot read the seal record of container '%s'",
			 name);
		return -1;
	}
	if (!rec)
		*s = SEAL_UNRECORDED;
	else
		*s = strcmp(rec, line) ? SEAL_STALE : SEAL_OK;
	free(rec);
	return 0;
}
