/*
 * What runs is what the user named: launching a definition file uses the
 * container of that name only when it was made from that file, and
 * brings its stored policy up to date first (container.h,
 * container_use_def). Parts that shaped the container when it was built
 * (its template, its root) cannot change without building it again.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "def/def.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int
container_read_definition(struct container_store *st, const char *name,
			  char **json, size_t *len, struct sbox_err *err)
{
	int cfd, rc;

	if (container_name_check(name, err) < 0)
		return -1;
	cfd = store_open_container(st, name, err);
	if (cfd < 0)
		return -1;
	rc = store_read_verified(st, cfd, name, 0, NULL, NULL, json, len, err);
	close(cfd);
	return rc;
}

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* What the stored definition says about template and root (as written). */
static int
stored_build_parts(const char *json, size_t len, char **tpl, char **root)
{
	struct container_def d;
	struct diag_list diags;
	struct src_set srcs;
	int rc;

	src_set_init(&srcs);
	diag_list_init(&diags);
	rc = def_load_text(CONTAINER_DEFINITION, json, len, &srcs, &diags, &d);
	if (rc == 0) {
		*tpl = d.template_name ? xstrdup(d.template_name) : NULL;
		*root = d.root ? xstrdup(d.root) : NULL;
		def_release(&d);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	return rc;
}

static int
refuse_rebuild(const char *name, const char *what, const char *was,
	       const char *now, struct sbox_err *err)
{
	return err_set(err, SBOX_E_EXISTS, "container '%s' was built with "
		       "%s '%s'; the definition now says '%s', which needs a "
		       "new container: launch with --recreate (its Data/ is "
		       "lost) or remove it first (sbox rm %s)", name, what,
		       was ? was : "(none)", now ? now : "(none)", name);
}

static int
refuse_other_file(const char *name, const char *had, const char *source,
		  struct sbox_err *err)
{
	if (!had)
		return err_set(err, SBOX_E_EXISTS, "a container named '%s' "
			       "already exists with another definition (it "
			       "was imported or not made from '%s'); give "
			       "this one its own container with --name NAME, "
			       "or replace it with --recreate (or sbox rm %s)",
			       name, source ? source : "this definition",
			       name);
	return err_set(err, SBOX_E_EXISTS, "container '%s' belongs to "
		       "another definition file, '%s', not '%s'; give this one "
		       "its own container with --name NAME, or replace it "
		       "with --recreate (or sbox rm %s)", name, had,
		       source ? source : "this definition", name);
}

/* path as one shell word: as it is when nothing in it is special */
static char *
shell_word(const char *path)
{
	struct strbuf b;

	if (!path[strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
			 "UVWXYZ0123456789/._-+,:@%=")])
		return xstrdup(path);
	strbuf_init(&b);
	strbuf_addch(&b, '\'');
	for (const char *p = path; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(&b, "'\\''");
		else
			strbuf_addch(&b, *p);
	}
	strbuf_addch(&b, '\'');
	return strbuf_detach(&b);
}

/*
 * The stored definition differs from the user's file and nothing says
 * sbox wrote it (seal_vouches_for_build): its template and root, which
 * an update keeps, may be anyone's. Only a rebuild from the file is
 * sure to be what the file says.
 */
static int
refuse_unvouched(const char *name, enum seal_state s, const char *source,
		 struct sbox_err *err)
{
	char *file = shell_word(source ? source : "FILE");
	const char *why, *also = "";

	switch (s) {
	case SEAL_NONE:
		why = "has no seal (it was made by an older sbox, or its seal "
		      "was removed)";
		break;
	case SEAL_OTHER_KEY:
		why = "was sealed with another key than yours (another "
		      "user's, or a seal key that was removed since)";
		break;
	case SEAL_NO_KEY:
		why = "is sealed, but there is no seal key in this HOME to "
		      "check it with (it was sealed under another HOME)";
		also = ", or launch it under the HOME it was sealed in";
		break;
	default:
		why = "does not match its seal";
		break;
	}
	err_set(err, SBOX_E_INVALID, "container '%s' %s, and its stored "
		"definition is not the file you named: nothing proves which "
		"template and root it was built from (anyone who could write "
		"the store could have changed them), so sbox neither updates "
		"nor runs it: rebuild it from the file (sbox launch %s --name "
		"%s --recreate; its Data/ is lost)%s, or remove it (sbox rm "
		"%s)", name, why, file, name, also, name);
	free(file);
	return -1;
}

/* The new metadata: the old one with this definition's digest and ids. */
static void
next_meta(struct container_meta *m, const struct container_def *def,
	  const char *name, const char *json, const char *source)
{
	free(m->digest);
	m->digest = container_digest_of(json, strlen(json));
	free(m->identifier);
	m->identifier = container_identifier_for(name, def->identifier);
	free(m->source);
	m->source = source ? xstrdup(source) : NULL;
}

/* Links for home folders the new policy grants (never removes any). */
static int
add_home_links(struct container_store *st, int cfd,
	       const struct container_def *def, struct sbox_err *err)
{
	const char **links = container_home_links_for(def);
	int dfd = fs_open_dir(cfd, CONTAINER_DATA, err), rc = -1;

	if (dfd >= 0) {
		rc = home_make_links(dfd, st->user_home, links, err);
		close(dfd);
	}
	free(links);
	return rc;
}

/*
 * Under the store lock: check the container against def and update its
 * policy. Returns 1 when it was already this definition, 0 when updated.
 */
static int
sync_locked(struct container_store *st, int cfd, const char *name,
	    const struct container_def *def, const char *json,
	    const char *source, struct sbox_err *err)
{
	struct container_meta m = { 0 };
	char *stored = NULL, *tpl = NULL, *root = NULL, *digest;
	enum seal_state found = SEAL_NONE;
	size_t len;
	int rc = -1;

	if (store_read_verified(st, cfd, name, 1, &found, &m, &stored, &len, err) < 0)
		return -1;
	digest = container_digest_of(json, strlen(json));
	if (!strcmp(digest, m.digest)) {
		/* the very policy: whichever file it came from (sealed now
		 * if it was not: the user named this file) */
		rc = store_seal(st, cfd, name, json, strlen(json), err) < 0 ?
		     -1 : 1;
		goto out;
	}
	if (!seal_vouches_for_build(found)) {
		refuse_unvouched(name, found, source, err);
		goto out;
	}
	if (!m.source || !source || strcmp(m.source, source)) {
		refuse_other_file(name, m.source, source, err);
		goto out;
	}
	if (stored_build_parts(stored, len, &tpl, &root) < 0) {
		err_set(err, SBOX_E_INVALID, "container '%s' is damaged: its "
			"definition.json cannot be read", name);
		goto out;
	}
	if (!same_str(tpl, def->template_name)) {
		refuse_rebuild(name, "template", tpl ? tpl : "default",
			       def->template_name ? def->template_name :
			       "default", err);
		goto out;
	}
	if (!same_str(root, def->root)) {
		refuse_rebuild(name, "root", root, def->root, err);
		goto out;
	}
	next_meta(&m, def, name, json, source);
	if (add_home_links(st, cfd, def, err) < 0 ||
	    store_replace_definition(st, cfd, name, json, &m, err) < 0) {
		err_wrap(err, "cannot update container '%s'", name);
		goto out;
	}
	rc = 0;
out:
	container_meta_release(&m);
	free(digest);
	free(stored);
	free(tpl);
	free(root);
	return rc;
}

static int
sync_existing(struct container_store *st, const char *name,
	      const struct container_def *def, enum container_use_how *how,
	      struct sbox_err *err)
{
	char *json = def_to_json(def), *source = container_source_of(def);
	int lockfd = -1, cfd, rc = -1;

	cfd = store_open_container(st, name, err);
	if (cfd < 0)
		goto out;
	lockfd = store_lock(st, err);
	if (lockfd < 0)
		goto out;
	rc = sync_locked(st, cfd, name, def, json, source, err);
	if (rc >= 0) {
		*how = rc ? CONTAINER_USED : CONTAINER_UPDATED;
		rc = 0;
	}
out:
	store_unlock(lockfd);
	if (cfd >= 0)
		close(cfd);
	free(source);
	free(json);
	return rc;
}

/*
 * A container whose stored copy is the user's file but whose seal does
 * not say so (made before seals, sealed with a key since removed): the
 * user named the file, which is authority enough to seal it. 2 when
 * sealed, 0 when the stored copy changed meanwhile, -1 on error.
 */
static int
reseal(struct container_store *st, int cfd, const char *name,
       const char *json, struct sbox_err *err)
{
	int lockfd = store_lock(st, err), rc = -1;
	char *now = NULL;
	size_t len = 0;

	/* read again under the lock: an update may have come in between */
	if (lockfd >= 0 &&
	    fs_read_file(cfd, CONTAINER_DEFINITION, CONTAINER_SMALL_FILE_MAX,
			 &now, &len, err) == 0) {
		if (len != strlen(json) || memcmp(now, json, len))
			rc = 0;  /* no longer the user's file: the slow path */
		else if (store_seal(st, cfd, name, json, len, err) == 0)
			rc = 2;
	}
	free(now);
	store_unlock(lockfd);
	if (rc < 0)
		err_wrap(err, "cannot seal container '%s'", name);
	return rc;
}

/* The seal of json: 1 when it was there, or reseal's 2, 0 or -1. */
static int
sealed(struct container_store *st, int cfd, const char *name,
       const char *json, struct sbox_err *err)
{
	enum seal_state s;

	if (store_seal_state(st, cfd, name, json, strlen(json), &s, err) < 0)
		return -1;
	return s == SEAL_OK ? 1 : reseal(st, cfd, name, json, err);
}

/*
 * The common launch: the container exists and its stored definition is
 * byte for byte the one the user named now. Nothing needs updating, and
 * what runs is exactly that file, so neither metadata.plist nor its
 * digest is read: parsing the plist is the costliest step of a launch
 * (tools/bench/launch.sh). The seal is checked (a few small reads) so
 * that a container sealed before now is sealed once; a stored copy
 * changed behind sbox's back is harmless here (it equals the user's
 * file) and is refused by every launch by name. Returns 1 when used, 0
 * when the slow path must decide, -1 on error.
 */
static int
use_identical(struct container_store *st, const char *name,
	      const char *json, struct container_info *out,
	      struct sbox_err *err)
{
	char *stored = NULL;
	size_t len = 0;
	int cfd, rc;

	cfd = openat(st->dirfd, name,
		     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return 0;
	rc = fs_read_file(cfd, CONTAINER_DEFINITION, CONTAINER_SMALL_FILE_MAX,
			  &stored, &len, err) == 0 &&
	     len == strlen(json) && !memcmp(stored, json, len);
	err_clear(err);
	if (rc == 1)
		rc = sealed(st, cfd, name, json, err);
	if (rc >= 1 && container_find(st, name, out, err) < 0)
		rc = -1;
	close(cfd);
	free(stored);
	return rc;
}

int
container_use_def(struct container_store *st, const struct container_def *def,
		  const struct container_use_opts *o, struct container_info *out,
		  enum container_use_how *how, struct sbox_err *err)
{
	const char *name = o->name ? o->name : def->name;
	struct container_use_opts made = *o;
	int removed = 0;

	made.fresh = 1;

	if (!name)
		return err_set(err, SBOX_E_INVALID, "the definition has no "
			       "\"name\"; give one with --name");
	if (container_name_check(name, err) < 0)
		return -1;
	if (!o->recreate) {
		char *json = def_to_json(def);
		int used = use_identical(st, name, json, out, err);

		free(json);
		if (used) {
			*how = used == 2 ? CONTAINER_RESEALED : CONTAINER_USED;
			return used < 0 ? -1 : 0;
		}
	}
	/* a few rounds: a concurrent create or remove may win each step */
	for (int round = 0; round < 4; round++) {
		struct sbox_err e = SBOX_ERR_INIT;

		if (o->recreate && !removed) {
			if (container_remove(st, name, &e) < 0 &&
			    e.code != SBOX_E_NOTFOUND) {
				*err = e;
				return -1;
			}
			removed = 1;
		}
		if (container_create_with(st, def, &made, out, &e) == 0) {
			*how = o->recreate ? CONTAINER_RECREATED :
			       CONTAINER_CREATED;
			return 0;
		}
		/* EXISTS: it was there, or someone else made it first */
		if (e.code != SBOX_E_EXISTS) {
			*err = e;
			return -1;
		}
		err_clear(&e);
		if (sync_existing(st, name, def, how, &e) == 0)
			return container_lookup(st, name, out, err);
		if (e.code != SBOX_E_NOTFOUND) {
			*err = e;
			return -1;
		}
	}
	return err_set(err, SBOX_E_IO, "container '%s' keeps appearing and "
		       "disappearing; try again", name);
}
