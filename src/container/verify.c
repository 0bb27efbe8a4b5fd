/*
 * A container's stored definition is what a launch by name runs, so its
 * seal (seal.c: an HMAC under the user's key) is checked before every
 * use: a definition.json changed behind sbox's back is refused, never
 * run, even when the changer also fixed up the plain digest in
 * metadata.plist. The seal must also be the one sbox recorded last for
 * the container (record.c), or an older sealed pair put back would run.
 * A launch by name reads definition.json, its seal, the key and the
 * record, and not metadata.plist.
 *
 * Updating the files cannot be one rename. The record is written first,
 * then the new metadata.plist and
 * seal as ".metadata.plist.new" and ".definition.seal.
 * new", then definition.json is renamed into place, then the seal, then
 * the metadata. A reader that finds a definition its seal does not match
 * finishes the update only when the pending seal verifies (only sbox can
 * make one) and is not other than the record; any other mismatch is
 * tampering.
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
#define NEW_SEAL "." CONTAINER_SEAL ".new"

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

/* The pending metadata of an update, put in place when it fits. */
static void
finish_meta(int cfd, const char *json, size_t len)
{
	struct container_meta next = { 0 };
	struct sbox_err ignored = SBOX_ERR_INIT;

	if (read_meta(cfd, NEW_METADATA, &next, &ignored) == 0 &&
	    digest_matches(&next, json, len))
		(void)renameat(cfd, NEW_METADATA, cfd, CONTAINER_METADATA);
	container_meta_release(&next);
}

/*
 * An update stopped between its renames: finish it if sbox sealed it and
 * it is the one recorded (a pending seal replayed from an older update
 * verifies too). No record: finished, and refused by name as unrecorded.
 */
static int
finish_update(const struct container_store *st, const struct seal_key *k,
	      int cfd, const char *name, const char *json, size_t len)
{
	struct sbox_err ignored = SBOX_ERR_INIT;
	enum seal_state pending, rec = SEAL_STALE;
	char *line;

	if (seal_check_file(k, cfd, NEW_SEAL, name, json, len, &pending,
			    &ignored) < 0 || pending != SEAL_OK)
		return -1;
	line = seal_line(k, name, json, len);
	if (seal_record_check(st, line, name, &rec, &ignored) < 0)
		rec = SEAL_STALE;
	free(line);
	if (rec == SEAL_STALE ||
	    renameat(cfd, NEW_SEAL, cfd, CONTAINER_SEAL) < 0)
		return -1;
	finish_meta(cfd, json, len);
	return 0;
}

static int
refuse(const struct container_store *st, const char *name,
       enum seal_state s, struct sbox_err *err)
{
	if (s == SEAL_NO_KEY) {
		char *dir = container_seal_dir(st);

		err_set(err, SBOX_E_INVALID, "container '%s' is sealed, but "
			"there is no seal key in '%s' to check it with: sbox "
			"needs the HOME it had when the container was made "
			"(HOME is '%s'), and a HOME it can write",
			name, dir ? dir : "(no HOME)",
			getenv("HOME") ? getenv("HOME") : "unset");
		free(dir);
		return -1;
	}
	if (s == SEAL_NONE)
		return err_set(err, SBOX_E_INVALID, "container '%s' has no "
			       "seal (it was made by an older sbox, or its "
			       "seal was removed), so sbox neither runs it by "
			       "name nor exports it: "
			       "launch it once from its definition file "
			       "(sbox launch FILE --name %s), which seals it, "
			       "or rebuild it with --recreate", name, name);
	if (s == SEAL_OTHER_KEY)
		return err_set(err, SBOX_E_INVALID, "container '%s' was sealed "
			       "with another key than yours (another user's, "
			       "or a seal key that was removed since), so sbox "
			       "neither runs it by name nor exports it: launch it once from its "
			       "definition file (sbox launch FILE --name %s), "
			       "which seals it again, or remove it (sbox rm %s)",
			       name, name, name);
	if (s == SEAL_STALE)
		return err_set(err, SBOX_E_INVALID, "container '%s' is not "
			       "the version sbox sealed last (an older "
			       "definition was put back, it was copied from "
			       "another store, or an update stopped half-way), "
			       "so it is not run by name or exported: launch it "
			       "from its definition file (sbox launch FILE "
			       "--name %s), which brings it up to date, or "
			       "rebuild it with --recreate", name, name);
	if (s == SEAL_UNRECORDED)
		return err_set(err, SBOX_E_INVALID, "sbox has no record of "
			       "the seal container '%s' should have (it was "
			       "sealed by an older sbox, or its store moved), "
			       "so it is not run by name or exported: launch "
			       "it once from its definition file (sbox launch "
			       "FILE --name %s), which records it, or rebuild "
			       "it with --recreate", name, name);
	return err_set(err, SBOX_E_INVALID, "container '%s' was changed "
		       "outside sbox: its definition.json does not match its "
		       "seal, so it is not run or exported; remove it (sbox rm %s) or "
		       "rebuild it from its definition file with --recreate",
		       name, name);
}

int
store_seal_state(const struct container_store *st, int cfd, const char *name,
		 const char *json, size_t len, enum seal_state *s,
		 struct sbox_err *err)
{
	struct seal_key k;
	struct stat sb;
	int rc = 0;

	if (seal_key_get(st, 0, &k, err) < 0) {
		if (err->code != SBOX_E_NOTFOUND)
			return -1;
		/* no key: nothing this user has can be sealed, but say
		 * "not sealed" rather than "another key" when it is not */
		err_clear(err);
		*s = fstatat(cfd, CONTAINER_SEAL, &sb,
			     AT_SYMLINK_NOFOLLOW) == 0 ? SEAL_NO_KEY :
			     SEAL_NONE;
		return 0;
	}
	if (seal_check_file(&k, cfd, CONTAINER_SEAL, name, json, len, s,
			    err) < 0)
		rc = -1;
	else if (*s != SEAL_OK &&
		 finish_update(st, &k, cfd, name, json, len) == 0)
		*s = SEAL_OK;
	if (rc == 0 && *s == SEAL_OK) {
		/* it verifies: is it the one sbox gave it last? */
		char *line = seal_line(&k, name, json, len);

		rc = seal_record_check(st, line, name, s, err);
		free(line);
	}
	seal_key_wipe(&k);
	return rc;
}

/* metadata.plist; an update's pending one is put in place first. */
static int
read_meta_for(int cfd, const char *name, struct container_meta *m,
	      const char *json, size_t len, struct sbox_err *err)
{
	if (read_meta(cfd, CONTAINER_METADATA, m, err) < 0) {
		err_wrap(err, "container '%s' is damaged", name);
		return -1;
	}
	if (digest_matches(m, json, len))
		return 0;
	finish_meta(cfd, json, len);
	container_meta_release(m);
	if (read_meta(cfd, CONTAINER_METADATA, m, err) < 0) {
		err_wrap(err, "container '%s' is damaged", name);
		return -1;
	}
	return digest_matches(m, json, len) ? 0 : 1;
}

/* definition.json of container cfd (*text, heap) and its seal state. */
static int
read_with_state(const struct container_store *st, int cfd, const char *name,
		char **text, size_t *n, enum seal_state *s,
		struct sbox_err *err)
{
	if (fs_read_file(cfd, CONTAINER_DEFINITION, CONTAINER_SMALL_FILE_MAX,
			 text, n, err) < 0) {
		err_wrap(err, "container '%s' is damaged", name);
		return -1;
	}
	if (store_seal_state(st, cfd, name, *text, *n, s, err) < 0) {
		err_wrap(err, "cannot check the seal of container '%s'", name);
		return -1;
	}
	return 0;
}

int
store_read_verified(const struct container_store *st, int cfd,
		    const char *name, int unsealed_ok, enum seal_state *found,
		    struct container_meta *m, char **json, size_t *len,
		    struct sbox_err *err)
{
	struct container_meta local = { 0 };
	enum seal_state s;
	char *text = NULL;
	size_t n = 0;
	int rc = -1, stale = 0;

	if (read_with_state(st, cfd, name, &text, &n, &s, err) < 0)
		goto out;
	/* an update under way (it holds the store lock) records first, so
	 * a reader without the lock may see the old pair and the new
	 * record: look again once the update is over, not to refuse it */
	if (s == SEAL_STALE && !unsealed_ok) {
		int lockfd = store_lock(st, err);

		free(text);
		text = NULL;
		rc = lockfd < 0 ? -1 :
		     read_with_state(st, cfd, name, &text, &n, &s, err);
		store_unlock(lockfd);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	/* an unsealed container (or one sealed with another key) being
	 * updated from its own file, which the user named: the plain digest
	 * still tells a damaged one, and the update seals it */
	if (s != SEAL_OK && s != SEAL_BAD && unsealed_ok && !m)
		m = &local;
	if (m && (stale = read_meta_for(cfd, name, m, text, n, err)) < 0)
		goto out;
	if (found)
		*found = s;
	/* sealed by sbox but not recorded as current (an older version put
	 * back): the file the user named decides, as for an unsealed one;
	 * its metadata may be the newer one's */
	if (unsealed_ok && (s == SEAL_STALE || s == SEAL_UNRECORDED))
		s = SEAL_OK;
	if (s != SEAL_OK && !(s != SEAL_BAD && unsealed_ok && !stale)) {
		refuse(st, name, s, err);
		goto out;
	}
	if (stale) {
		/* sealed, so the metadata is what is out of date */
		free(m->digest);
		m->digest = container_digest_of(text, n);
	}
	if (json) {
		*json = text;
		*len = n;
		text = NULL;
	}
	rc = 0;
out:
	if (rc < 0 && m && m != &local)
		container_meta_release(m);
	container_meta_release(&local);
	free(text);
	return rc;
}

int
store_write_new(const struct container_store *st, int cfd, const char *file,
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

/* The seal of name and json, recorded as the one it should have. */
static int
record(const struct container_store *st, const struct seal_key *k,
       const char *name, const char *json, size_t len, struct sbox_err *err)
{
	char *line = seal_line(k, name, json, len);
	int rc = seal_record_write(st, name, line, err);

	free(line);
	return rc;
}

static int
seal_into(const struct container_store *st, int cfd, const char *name,
	  const char *json, size_t len, int recorded, struct sbox_err *err)
{
	struct seal_key k;
	int rc = -1;

	if (seal_key_get(st, 1, &k, err) < 0)
		return -1;
	if ((recorded || record(st, &k, name, json, len, err) == 0) &&
	    seal_write(st, &k, cfd, NEW_SEAL, name, json, len, err) == 0) {
		if (renameat(cfd, NEW_SEAL, cfd, CONTAINER_SEAL) < 0)
			err_sys(err, "cannot seal container '%s'", name);
		else
			rc = 0;
	}
	seal_key_wipe(&k);
	return rc;
}

int
store_seal(const struct container_store *st, int cfd, const char *name,
	   const char *json, size_t len, struct sbox_err *err)
{
	return seal_into(st, cfd, name, json, len, 0, err);
}

int
store_seal_build(const struct container_store *st, int cfd, const char *name,
		 const char *json, size_t len, struct sbox_err *err)
{
	return seal_into(st, cfd, name, json, len, 1, err);
}

int
store_replace_definition(const struct container_store *st, int cfd,
			 const char *name, const char *json,
			 const struct container_meta *m, struct sbox_err *err)
{
	size_t mlen, len = strlen(json);
	char *meta = container_meta_to_plist(m, &mlen);
	struct seal_key k;
	int rc = -1;

	if (seal_key_get(st, 1, &k, err) < 0)
		goto out;
	if (record(st, &k, name, json, len, err) < 0 ||
	    store_write_new(st, cfd, NEW_METADATA, meta, mlen, err) < 0 ||
	    seal_write(st, &k, cfd, NEW_SEAL, name, json, len, err) < 0 ||
	    store_write_new(st, cfd, NEW_DEFINITION, json, len, err) < 0)
		goto out;
	if (renameat(cfd, NEW_DEFINITION, cfd, CONTAINER_DEFINITION) < 0 ||
	    renameat(cfd, NEW_SEAL, cfd, CONTAINER_SEAL) < 0 ||
	    renameat(cfd, NEW_METADATA, cfd, CONTAINER_METADATA) < 0) {
		err_sys(err, "cannot replace the stored definition");
		goto out;
	}
	rc = 0;
out:
	seal_key_wipe(&k);
	free(meta);
	return rc;
}

int
container_seal_state(struct container_store *st, const char *name,
		     enum seal_state *state, struct sbox_err *err)
{
	char *text = NULL;
	size_t n = 0;
	int cfd, rc = -1;

	if (container_name_check(name, err) < 0)
		return -1;
	cfd = store_open_container(st, name, err);
	if (cfd < 0)
		return -1;
	if (fs_read_file(cfd, CONTAINER_DEFINITION, CONTAINER_SMALL_FILE_MAX,
			 &text, &n, err) == 0)
		rc = store_seal_state(st, cfd, name, text, n, state, err);
	close(cfd);
	free(text);
	return rc;
}
