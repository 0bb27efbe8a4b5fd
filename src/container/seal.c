/*
 * The seal of a container's stored definition: an HMAC-SHA256, under a
 * key only the user's sbox can read, of the container's name and its
 * definition.json, kept next to it in "definition.seal":
 *
 *	hmac-sha256:<key id>:<64 hex>\n
 *
 * The plain digest in metadata.plist tells a damaged file from a good
 * one, but anyone who can write the store can recompute it. A program
 * in a container whose grants reach a store (one used earlier with
 * another SBOX_HOME, so not the one this launch denies) could write
 * itself a new policy. It cannot forge a seal: the key's folder is
 * denied in every container (cli/launch_util.c), whatever the grants.
 *
 * The name is sealed so a definition cannot be moved to another
 * container of the same store. The key id (the first 8 hex digits of the
 * key's SHA-256) tells "sealed with another key" (another user's store,
 * or a key that was deleted and made again) from tampering.
 *
 * A launch by name reads only definition.json, definition.seal and the
 * key: never metadata.plist, whose parse is the costliest step of a
 * launch.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/random.h>
#endif

#include "util/hmac.h"
#include "util/xalloc.h"

#define KEY_FILE "key"
#define SEAL_PREFIX "hmac-sha256:"
/* what the MAC covers starts with this, so it means one thing only */
#define SEAL_CONTEXT "sbox definition seal 1"

char *
container_seal_dir(const struct container_store *st)
{
	const char *env;

	if (!st->user_home)
		return NULL;
#ifdef __APPLE__
	(void)env;
	return xasprintf("%s/Library/Application Support/sbox/Seal",
			 st->user_home);
#else
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/')
		return xasprintf("%s/sbox/seal", env);
	return xasprintf("%s/.local/share/sbox/seal", st->user_home);
#endif
}

/* The user's own, private: anything else may have been planted. */
static int
check_private(int fd, const struct container_store *st, const char *what,
	      const char *path, struct sbox_err *err)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return err_sys(err, "cannot stat %s '%s'", what, path);
	if (sb.st_uid != st->uid || (sb.st_mode & 077))
		return err_set(err, SBOX_E_IO, "%s '%s' must belong to uid %ld "
			       "and be private (it is uid %ld, mode %03o); "
			       "remove it and sbox makes a new one (every "
			       "container then needs one launch from its "
			       "definition file)", what, path, (long)st->uid,
			       (long)sb.st_uid, (unsigned)(sb.st_mode & 0777));
	return 0;
}

static int
random_bytes(unsigned char *buf, size_t len)
{
#ifdef __linux__
	size_t got = 0;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);

		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			got += (size_t)n;
	}
	return 0;
#else
	arc4random_buf(buf, len);
	return 0;
#endif
}

/*
 * A new key: written under a name of its own, then linked into place,
 * which fails when another sbox made one first (then that one is used).
 */
static int
make_key(const struct container_store *st, int dfd, const char *dir,
	 struct sbox_err *err)
{
	unsigned char key[SEAL_KEY_LEN];
	char tmp[64];
	int fd, rc = -1;

	snprintf(tmp, sizeof(tmp), ".key-%ld", (long)getpid());
	(void)unlinkat(dfd, tmp, 0);
	if (random_bytes(key, sizeof(key)) < 0)
		return err_sys(err, "cannot get random bytes for the seal key");
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd < 0) {
		err_env(err, "cannot create the seal key in %s", dir);
		goto out;
	}
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) < 0 ||
	    (st->chown_to_user && fchown(fd, st->uid, st->gid) < 0)) {
		err_env(err, "cannot write the seal key in %s", dir);
		goto out;
	}
	if (linkat(dfd, tmp, dfd, KEY_FILE, 0) < 0 && errno != EEXIST) {
		err_env(err, "cannot create the seal key in %s", dir);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	(void)unlinkat(dfd, tmp, 0);
	memset(key, 0, sizeof(key));
	return rc;
}

static int
read_key(const struct container_store *st, int dfd, const char *dir,
	 struct seal_key *k, struct sbox_err *err)
{
	char hex[SHA256_HEX_LEN + 1];
	unsigned char buf[SEAL_KEY_LEN + 1];  /* one more: a longer file */
	ssize_t n;
	int fd = openat(dfd, KEY_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
			O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(err, SBOX_E_NOTFOUND, "there is no seal "
				       "key in '%s'", dir);
		return err_env(err, "cannot read the seal key in %s", dir);
	}
	if (check_private(fd, st, "seal key in", dir, err) < 0) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	memcpy(k->key, buf, sizeof(k->key));
	memset(buf, 0, sizeof(buf));
	if (n != (ssize_t)sizeof(k->key))
		return err_set(err, SBOX_E_IO, "the seal key in '%s' is damaged "
			       "(not %d bytes); remove it and sbox makes a new "
			       "one", dir, SEAL_KEY_LEN);
	sha256_hex(k->key, sizeof(k->key), hex);
	memcpy(k->id, hex, SEAL_KEY_ID_LEN);
	k->id[SEAL_KEY_ID_LEN] = '\0';
	return 0;
}

int
seal_key_get(const struct container_store *st, int create,
	     struct seal_key *k, struct sbox_err *err)
{
	char *dir = container_seal_dir(st);
	int dfd = -1, rc = -1;

	if (!dir)
		return err_set(err, SBOX_E_UNSUPPORTED, "cannot tell where your "
			       "home is, which holds the key that seals "
			       "containers (set HOME)");
	if (create) {
		dfd = store_make_path(st, dir, "the seal key folder", err);
	} else if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		err_env(err, "cannot open the seal key folder %s", dir);
		if (err->sys_errno == ENOENT)
			err->code = SBOX_E_NOTFOUND;
	}
	if (dfd < 0) {
		err_wrap(err, "sbox seals containers with a key kept in your "
			 "home and needs a home it can write (HOME)");
		goto out;
	}
	if (check_private(dfd, st, "seal key folder", dir, err) < 0)
		goto out;
	rc = read_key(st, dfd, dir, k, err);
	if (rc < 0 && create && err->code == SBOX_E_NOTFOUND) {
		err_clear(err);
		rc = make_key(st, dfd, dir, err) < 0 ? -1 :
		     read_key(st, dfd, dir, k, err);
	}
out:
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return rc;
}

void
seal_key_wipe(struct seal_key *k)
{
	memset(k, 0, sizeof(*k));
}

/* Each part as its 8-byte big-endian length, then its bytes. */
static void
mac_part(struct hmac_sha256 *h, const void *p, size_t len)
{
	unsigned char n[8];
	uint64_t v = (uint64_t)len;

	for (int i = 7; i >= 0; i--, v >>= 8)
		n[i] = (unsigned char)(v & 0xff);
	hmac_sha256_update(h, n, sizeof(n));
	hmac_sha256_update(h, p, len);
}

static void
seal_mac(const struct seal_key *k, const char *name, const char *json,
	 size_t len, unsigned char mac[SHA256_DIGEST_LEN])
{
	struct hmac_sha256 h;

	hmac_sha256_init(&h, k->key, sizeof(k->key));
	mac_part(&h, SEAL_CONTEXT, strlen(SEAL_CONTEXT));
	mac_part(&h, name, strlen(name));
	mac_part(&h, json, len);
	hmac_sha256_final(&h, mac);
}

char *
seal_line(const struct seal_key *k, const char *name, const char *json,
	  size_t len)
{
	unsigned char mac[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 1];

	seal_mac(k, name, json, len, mac);
	for (size_t i = 0; i < sizeof(mac); i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	return xasprintf(SEAL_PREFIX "%s:%s\n", k->id, hex);
}

enum seal_state
seal_check_text(const struct seal_key *k, const char *text, size_t tlen,
		const char *name, const char *json, size_t len)
{
	char *want = seal_line(k, name, json, len);
	size_t plen = strlen(SEAL_PREFIX), wlen = strlen(want);
	enum seal_state s;

	if (tlen < plen + SEAL_KEY_ID_LEN + 1 || memcmp(text, SEAL_PREFIX, plen))
		s = SEAL_BAD;
	else if (memcmp(text + plen, k->id, SEAL_KEY_ID_LEN))
		s = SEAL_OTHER_KEY;
	else if (tlen == wlen && hmac_equal(text, want, wlen))
		s = SEAL_OK;
	else
		s = SEAL_BAD;
	free(want);
	return s;
}

int
seal_check_file(const struct seal_key *k, int cfd, const char *file,
		const char *name, const char *json, size_t len,
		enum seal_state *state, struct sbox_err *err)
{
	char *text = NULL;
	size_t tlen = 0;

	if (fs_read_file(cfd, file, 256, &text, &tlen, err) < 0) {
		if (err->sys_errno != ENOENT)
			return -1;
		err_clear(err);
		*state = SEAL_NONE;
		return 0;
	}
	*state = seal_check_text(k, text, tlen, name, json, len);
	free(text);
	return 0;
}

int
seal_vouches_for_build(enum seal_state s)
{
	return s == SEAL_OK || s == SEAL_STALE || s == SEAL_UNRECORDED;
}

int
seal_write(const struct container_store *st, const struct seal_key *k,
	   int cfd, const char *file, const char *name, const char *json,
	   size_t len, struct sbox_err *err)
{
	char *line = seal_line(k, name, json, len);
	int rc = store_write_new(st, cfd, file, line, strlen(line), err);

	free(line);
	return rc;
}

char *
container_seal_dir_ready(const struct container_store *st,
			 struct sbox_err *err)
{
	struct seal_key k;
	char *dir = container_seal_dir(st);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	int rc;

	/* the common case, cheaply: a launch has just used the key */
	if (fd >= 0) {
		close(fd);
		return dir;
	}
	free(dir);
	rc = seal_key_get(st, 1, &k, err);
	seal_key_wipe(&k);
	return rc < 0 ? NULL : container_seal_dir(st);
}
