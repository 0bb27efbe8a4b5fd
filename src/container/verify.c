/*
 * A container's stored definition is what a launch by name runs, so it is
 * checked against the digest in metadata.plist before every use: a
 * definition.json changed behind sbox's back (say, by a program that could
 * reach the store) is refused, never run.
 *
 * Updating both files cannot be one rename. The new metadata.plist is
 * written first as ".metadata.plist.new", then definition.json is renamed
 * into place, then the metadata. A reader that finds a mismatch and a
 * ".metadata.plist.new" whose digest matches finishes the update; any
 * other mismatch is tampering.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#define NEW_DEFINITION "." CONTAINER_DEFINITION ".new"
#define NEW_METADATA "." CONTAINER_METADATA ".new"

static int
read_meta(int cfd, const char *file, struct container_meta *m,
	  struct sbox_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (fs_read_file(cfd, file, CONTAINER_SMALL_FILE_MAX, &text, &len,
			 err) == 0 &&
	    container_meta_parse(text, len, file, m, err) == 0)
		rc = 0;
	free(text);
	return rc;
}

static int
digest_matches(const struct container_meta *m, const char *json, size_t len)
{
	char *d = container_digest_of(json, len);
	int same = m->digest && !strcmp(d, m->digest);

	free(d);
	return same;
}

/* An update stopped between its renames: finish it if it fits. */
static int
finish_update(int cfd, struct container_meta *m, const char *json, size_t len)
{
	struct container_meta next = { 0 };
	struct sbox_err ignored = SBOX_ERR_INIT;
	int rc = -1;

	if (read_meta(cfd, NEW_METADATA, &next, &ignored) == 0 &&
	    digest_matches(&next, json, len) &&
	    renameat(cfd, NEW_METADATA, cfd, CONTAINER_METADATA) == 0) {
		container_meta_release(m);
		*m = next;
		memset(&next, 0, sizeof(next));
		rc = 0;
	}
	container_meta_release(&next);
	return rc;
}

int
store_read_verified(int cfd, const char *name, struct container_meta *m,
		    char **json, size_t *len, struct sbox_err *err)
{
	struct container_meta local = { 0 };
	char *text = NULL;
	size_t n = 0;
	int rc = -1;

	if (!m)
		m = &local;
	if (read_meta(cfd, CONTAINER_METADATA, m, err) < 0 ||
	    fs_read_file(cfd, CONTAINER_DEFINITION, CONTAINER_SMALL_FILE_MAX,
			 &text, &n, err) < 0) {
		err_wrap(err, "container '%s' is damaged", name);
		goto out;
	}
	if (!digest_matches(m, text, n) && finish_update(cfd, m, text, n) < 0) {
		err_set(err, SBOX_E_INVALID, "container '%s' was changed "
			"outside sbox: its definition.json does not match the "
			"digest in its metadata.plist, so it is not run; "
			"remove it (sbox rm %s) or rebuild it from its "
			"definition file with --recreate", name, name);
		goto out;
	}
	if (json) {
		*json = text;
		*len = n;
		text = NULL;
	}
	rc = 0;
out:
	if (rc < 0 && m != &local)
		container_meta_release(m);
	container_meta_release(&local);
	free(text);
	return rc;
}

static int
write_new(const struct container_store *st, int cfd, const char *file,
	  const char *text, size_t len, struct sbox_err *err)
{
	int fd;

	if (unlinkat(cfd, file, 0) < 0 && errno != ENOENT)
		return err_sys(err, "cannot remove '%s'", file);
	if (fs_write_file(cfd, file, text, len, 0644, err) < 0)
		return -1;
	/* on disk before the rename makes it the container's */
	fd = openat(cfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0 ||
	    (st->chown_to_user && fchown(fd, st->uid, st->gid) < 0)) {
		err_sys(err, "cannot give '%s' to its owner", file);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
store_replace_definition(const struct container_store *st, int cfd,
			 const char *json, const struct container_meta *m,
			 struct sbox_err *err)
{
	size_t mlen;
	char *meta = container_meta_to_plist(m, &mlen);
	int rc = -1;

	if (write_new(st, cfd, NEW_METADATA, meta, mlen, err) < 0 ||
	    write_new(st, cfd, NEW_DEFINITION, json, strlen(json), err) < 0)
		goto out;
	if (renameat(cfd, NEW_DEFINITION, cfd, CONTAINER_DEFINITION) < 0 ||
	    renameat(cfd, NEW_METADATA, cfd, CONTAINER_METADATA) < 0) {
		err_sys(err, "cannot replace the stored definition");
		goto out;
	}
	rc = 0;
out:
	free(meta);
	return rc;
}
