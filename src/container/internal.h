/*
 * Private helpers of src/container/. Every file operation here works
 * relative to a directory fd and never follows a symlink (O_NOFOLLOW,
 * AT_SYMLINK_NOFOLLOW): a container's trees may hold links to anywhere,
 * and sbox itself must never write through one (STYLE.md "File and fd
 * hygiene", LINUX-SECURITY.md #5).
 */
#ifndef SBOX_CONTAINER_INTERNAL_H
#define SBOX_CONTAINER_INTERNAL_H

#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container/container.h"
#include "util/err.h"

struct archive;
struct archive_entry;

#define CONTAINER_METADATA "metadata.plist"
#define CONTAINER_DEFINITION "definition.json"
#define CONTAINER_SEAL "definition.seal"
#define CONTAINER_DATA "Data"
#define CONTAINER_ROOT "root"
#define CONTAINER_FORMAT 1
/* Deepest tree sbox builds or copies (one fd per level while walking). */
#define FS_MAX_DEPTH 256
/* metadata.plist and definition.json are small; refuse anything larger. */
#define CONTAINER_SMALL_FILE_MAX (1024 * 1024)

/* ---- fsops.c ---- */
/* Open the folder name under dirfd; fails on a symlink. */
int fs_open_dir(int dirfd, const char *name, struct sbox_err *err);
/*
 * Open a regular file of a tree a running program may change: never
 * blocks (a FIFO swapped in) or follows a link, and checks the opened
 * descriptor, not the name. st gets its fstat. -1 with errno EFTYPE_SBOX
 * when the name is no longer a regular file.
 */
#define EFTYPE_SBOX EMEDIUMTYPE
int fs_open_regular(int dirfd, const char *name, struct stat *st);

/* runlock.c: the run lock of an ephemeral container being built (cfd),
 * and removing the ones whose run has ended (at every store opening). */
int store_run_mark(int cfd, struct sbox_err *err);
void store_reap_runs(struct container_store *st);
/* Remove name under dirfd and everything below it; "" is not allowed. */
int fs_remove_tree(int dirfd, const char *name, struct sbox_err *err);
/*
 * Copy the contents of folder srcfd into folder dstfd: files, folders
 * and symlinks (as links) with their modes (setuid/setgid dropped) and
 * times. Other file types, and files named ".sbox-keep" (placeholders
 * that let git keep empty template folders), are skipped.
 */
int fs_copy_tree(int srcfd, int dstfd, struct sbox_err *err);
/* chown dirfd and everything below it, links themselves included. */
int fs_chown_tree(int dirfd, uid_t uid, gid_t gid, struct sbox_err *err);
/* Create name (must not exist) holding buf; mode as given. */
int fs_write_file(int dirfd, const char *name, const void *buf, size_t len,
		  mode_t mode, struct sbox_err *err);
/* Read name (a regular file of at most max bytes), NUL-terminated. */
/* ephemeral containers are named NAME-run-ID (container_create_run) */
#define RUN_INFIX "-run-"

int fs_read_file(int dirfd, const char *name, size_t max, char **out,
		 size_t *len, struct sbox_err *err);
/* Make a fresh folder "<prefix><unique>" under dirfd; returns its name. */
char *fs_make_unique_dir(int dirfd, const char *prefix, mode_t mode,
			 struct sbox_err *err);
/* flock(2) that retries on EINTR; returns 0 or -1 with errno. */
int fs_flock(int fd, int op);

/* ---- metadata.c ---- */
struct container_meta {
	char *name;
	char *identifier;
	char *digest;
	int64_t created;
	int64_t owner_uid;
	char *sbox_version;
	char *template_name;
	char *source;    /* DefinitionSource: the file it was made from */
	int has_root;
	int64_t format;
};

void container_meta_release(struct container_meta *m);
/* The plist text (Apple DOCTYPE), heap string. */
char *container_meta_to_plist(const struct container_meta *m, size_t *len);
/* Parse plist text; src names it in messages. */
int container_meta_parse(const char *text, size_t len, const char *src,
			 struct container_meta *out, struct sbox_err *err);
/* "2026-11-27T19:18:53Z" */
void container_time_format(int64_t t, char buf[32]);
char *container_digest_of(const char *text, size_t len);

/* ---- store.c ---- */
/* Exclusive store lock (the .lock file); returns its fd or -1. */
int store_lock(const struct container_store *st, struct sbox_err *err);
void store_unlock(int lockfd);
/*
 * Start building: a locked ".tmp-<name>-*" folder. Returns its fd; *tmp
 * gets its name. Leftovers of a killed build are cleared by the next
 * container_store_open.
 */
int store_build_begin(struct container_store *st, const char *name,
		      char **tmp, struct sbox_err *err);
/*
 * Chown (sudo) and rename tmp into place as name; SBOX_E_EXISTS if taken.
 * unique_id non-NULL: also SBOX_E_ID_TAKEN when a container already has
 * that identifier, checked under the same lock as the name.
 */
int store_build_commit(struct container_store *st, int tmpfd,
		       const char *tmp, const char *name,
		       const char *unique_id, struct sbox_err *err);
/*
 * SBOX_E_ID_TAKEN, naming it, when a container of the store has the
 * identifier id (damaged ones, which have none that can be read, are not
 * counted); else 0. Only an answer given under the store lock holds.
 */
int store_identifier_free(struct container_store *st, const char *id,
			  struct sbox_err *err);
/* Throw away a build that failed (keeps err as it is). */
void store_build_abort(struct container_store *st, int tmpfd,
		       const char *tmp);
/*
 * mkdir -p path (new folders 0700, the user's); an fd on the last one.
 * what names it in errors ("the store"); a folder the environment keeps
 * sbox from making (permissions, read-only, full) is SBOX_E_UNSUPPORTED.
 */
int store_make_path(const struct container_store *st, const char *path,
		    const char *what, struct sbox_err *err);
/*
 * The container's folder name, never through a symlink planted in the
 * store; SBOX_E_NOTFOUND when there is none.
 */
int store_open_container(const struct container_store *st, const char *name,
			 struct sbox_err *err);
/*
 * Under the store lock (*lockfd, released and set to -1 here), with the
 * container's folder locked exclusively by the caller: rename it out of
 * the way, forget its seal record, then remove the tree.
 */
int store_remove_locked(struct container_store *st, const char *name,
			int *lockfd, struct sbox_err *err);
/* Write metadata.plist into the container folder dirfd. */
int store_write_metadata(int dirfd, const struct container_meta *m,
			 struct sbox_err *err);

/* ---- fresh.c (a container a launch just made: see there) ---- */
#define CONTAINER_NEW_MARK ".sbox-new"
/* 1 when the container folder cfd has the new mark. */
int store_is_fresh(int cfd);
/*
 * For container_hold, with cfd the folder it opened as name: 1 when cfd
 * is a fresh container that is no longer name (its maker removed it).
 * Checked under the store lock, which a removal holds until the name is
 * gone; 0 at once for a container that is not fresh.
 */
int store_fresh_gone(const struct container_store *st, int cfd,
		     const char *name);

/* ---- verify.c ---- */
/*
 * Read definition.json of the container folder cfd and check its seal
 * (finishing an update that was interrupted between its renames); m, when
 * not NULL, gets metadata.plist too. unsealed_ok: a container without a
 * seal, or sealed with another key, passes when its plain digest matches
 * (an update from its own file is about to seal it). *found, when not
 * NULL, gets the seal state as it was found (SEAL_OK only when sealed and
 * recorded). Any out may be NULL.
 */
int store_read_verified(const struct container_store *st, int cfd,
			const char *name, int unsealed_ok,
			enum seal_state *found, struct container_meta *m,
			char **json, size_t *len, struct sbox_err *err);
/* How the seal of name's definition json (container cfd) stands. */
int store_seal_state(const struct container_store *st, int cfd,
		     const char *name, const char *json, size_t len,
		     enum seal_state *s, struct sbox_err *err);
/*
 * Replace definition.json, its seal and metadata.plist of container cfd
 * (each by rename; metadata last, see verify.c). Call under the store lock.
 */
int store_replace_definition(const struct container_store *st, int cfd,
			     const char *name, const char *json,
			     const struct container_meta *m,
			     struct sbox_err *err);
/*
 * Write file (replacing it) in container cfd with text, synced to disk and
 * given to the store's user: ready to be renamed into place.
 */
int store_write_new(const struct container_store *st, int cfd,
		    const char *file, const char *text, size_t len,
		    struct sbox_err *err);
/*
 * Seal the definition json of container name (cfd) with the user's key,
 * made on first need: the record first (record.c), then definition.seal,
 * written and renamed into place. Call under the store lock.
 */
int store_seal(const struct container_store *st, int cfd, const char *name,
	       const char *json, size_t len, struct sbox_err *err);
/*
 * The same for a container being built (cfd its .tmp-* folder): no
 * record yet; store_build_commit records the seal before the rename.
 */
int store_seal_build(const struct container_store *st, int cfd,
		     const char *name, const char *json, size_t len,
		     struct sbox_err *err);

/* ---- seal.c (what a seal is: see there) ---- */
#define SEAL_KEY_LEN 32
#define SEAL_KEY_ID_LEN 8

struct seal_key {
	unsigned char key[SEAL_KEY_LEN];
	char id[SEAL_KEY_ID_LEN + 1];  /* hex, names the key in seals */
};

/*
 * The user's seal key. create: make the folder and the key when missing;
 * else SBOX_E_NOTFOUND when there is none.
 */
int seal_key_get(const struct container_store *st, int create,
		 struct seal_key *k, struct sbox_err *err);
void seal_key_wipe(struct seal_key *k);
/* The seal file's text for name and json (heap). */
char *seal_line(const struct seal_key *k, const char *name, const char *json,
		size_t len);
enum seal_state seal_check_text(const struct seal_key *k, const char *text,
				size_t tlen, const char *name,
				const char *json, size_t len);
/* Check the seal file (SEAL_NONE when absent); -1 when unreadable. */
int seal_check_file(const struct seal_key *k, int cfd, const char *file,
		    const char *name, const char *json, size_t len,
		    enum seal_state *state, struct sbox_err *err);
/*
 * Whether a stored definition in seal state s was written by sbox, with
 * this user's key, for this name: then its "template" and "root" are
 * ones a container of that name was built from (SEAL_OK, and the
 * replays SEAL_STALE and SEAL_UNRECORDED, which sbox sealed too). Not
 * so without a seal or under another key (anyone who could write the
 * store could have written it): an update from a definition file then
 * has nothing to compare the file's template and root with.
 */
int seal_vouches_for_build(enum seal_state s);
/* store_write_new of the seal of name and json to file. */
int seal_write(const struct container_store *st, const struct seal_key *k,
	       int cfd, const char *file, const char *name, const char *json,
	       size_t len, struct sbox_err *err);

/* ---- record.c (the seal each container should have now: see there) ---- */
/* The record of container name: *line (heap), or NULL when none. */
int seal_record_read(const struct container_store *st, const char *name,
		     char **line, struct sbox_err *err);
/* Make line the record of name (temp + rename, the user's). */
int seal_record_write(const struct container_store *st, const char *name,
		      const char *line, struct sbox_err *err);
/* Forget name's record (best effort: a stale record is harmless). */
void seal_record_remove(const struct container_store *st, const char *name);
/* *s: SEAL_OK when name's record is line, else SEAL_STALE or
 * SEAL_UNRECORDED; -1 when the record cannot be read. */
int seal_record_check(const struct container_store *st, const char *line,
		      const char *name, enum seal_state *s,
		      struct sbox_err *err);

/* ---- unpack.c ---- */
struct unpacker {
	int dirfd;                /* tree the entries land in */
	int strict;               /* import: refuse devices and setuid bits
				   * instead of skipping/stripping them */
	const char *const *tops;  /* allowed first path components, or NULL */
	uint64_t max_entries, max_bytes;
	uint64_t entries, bytes;
	char *label;              /* archive name for messages */
	struct unpack_dir *dirs;  /* folders whose mode/times are set last */
	size_t ndirs, dirs_alloc;
};

void unpacker_init(struct unpacker *u, int dirfd, const char *label,
		   const struct container_limits *limits);
void unpacker_release(struct unpacker *u);
/* Write one entry (its data read from a); refuses anything unsafe. */
int unpacker_entry(struct unpacker *u, struct archive *a,
		   struct archive_entry *e, struct sbox_err *err);
/* Apply folder modes and times; call after the last entry. */
int unpacker_finish(struct unpacker *u, struct sbox_err *err);
/* A reader for every format and filter libarchive knows. */
struct archive *unpack_reader_new(void);
/* Unpack a whole archive (template, root) read from fd into dirfd; path
 * names it in messages. */
int unpack_archive_fd(int fd, const char *path, int dirfd,
		      struct sbox_err *err);
/* True when path names a file whose name says it is an archive. */
int unpack_is_archive_name(const char *path);

/* ---- home.c ---- */
/* Fill dirfd from a folder or archive at path. */
int home_fill_from(const char *path, int dirfd, struct sbox_err *err);
/* Resolve a template name to a folder or archive path (heap). */
char *home_template_path(const char *template_name, const char *base_dir,
			 struct sbox_err *err);
/* Make Data/<name> -> <home>/<name> for each granted name. */
int home_make_links(int datafd, const char *home,
		    const char *const *names, struct sbox_err *err);

#endif
