/*
 * Import: an archive written by container_export becomes a new container.
 * Nothing in it is trusted. It must be a tar whose first entry is
 * metadata.plist and second definition.json (whose digest must match);
 * everything else must lie under Data/ or root/ and goes through the
 * strict unpacker (unpack.c). It is built in a ".tmp-*" folder of the
 * store like any creation, so a refused import leaves nothing behind.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "def/def.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "version.h"

static const char *const import_tops[] = { CONTAINER_DATA, CONTAINER_ROOT,
					   NULL };

static int
not_sbox(const char *label, struct sbox_err *err, const char *why)
{
	return err_set(err, SBOX_E_INVALID, "'%s' is not an sbox container "
		       "archive: %s", label, why);
}

static const char *
strip_dot_slash(const char *p)
{
	while (p && p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

/* The next entry must be the small regular file `want`; read it. */
static int
read_small(struct archive *a, const char *want, const char *label,
	   char **out, size_t *len, struct sbox_err *err)
{
	struct archive_entry *e;
	const char *name;
	la_int64_t size;
	char *buf = NULL;
	la_ssize_t n;
	int r = archive_read_next_header(a, &e);

	if (r == ARCHIVE_EOF)
		return not_sbox(label, err, want[0] == 'm' ? "it is empty" :
				"it ends early");
	if (r < ARCHIVE_WARN)
		return not_sbox(label, err, archive_error_string(a) ?
				archive_error_string(a) : "unreadable");
	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_TAR)
		return err_set(err, SBOX_E_INVALID, "'%s' is a %s archive, not "
			       "an sbox export (a tar)", label,
			       archive_format_name(a));
	name = strip_dot_slash(archive_entry_pathname(e));
	size = archive_entry_size(e);
	if (!name || strcmp(name, want) ||
	    archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
		return not_sbox(label, err, want[0] == 'm' ?
				"its first entry is not metadata.plist" :
				"its second entry is not definition.json");
	if (size < 0 || size > CONTAINER_SMALL_FILE_MAX)
		return not_sbox(label, err, "its metadata is too large");
	buf = xmalloc((size_t)size + 1);
	n = archive_read_data(a, buf, (size_t)size);
	if (n != size) {
		free(buf);
		return not_sbox(label, err, n < 0 && archive_error_string(a) ?
				archive_error_string(a) : "it is truncated");
	}
	buf[size] = '\0';
	*out = buf;
	*len = (size_t)size;
	return 0;
}

/*
 * The definition must be one sbox can load: a repeated key or an unknown
 * one is refused now, not at the first launch. *identifier gets its
 * "identifier" (heap), NULL when it has none.
 */
static int
check_definition(const char *label, const char *def, size_t len,
		 char **identifier, struct sbox_err *err)
{
	struct src_set srcs;
	struct diag_list diags;
	struct container_def d;
	int rc = 0;

	src_set_init(&srcs);
	diag_list_init(&diags);
	if (def_load_text(CONTAINER_DEFINITION, def, len, &srcs, &diags,
			  &d) < 0) {
		const struct diag *first = NULL;
		unsigned line = 0, col = 0;

		for (size_t i = 0; i < diags.nr && !first; i++)
			if (diags.v[i].level == DIAG_ERROR)
				first = &diags.v[i];
		if (first && first->loc.file)
			src_linecol(first->loc.file, first->loc.start, &line,
				    &col);
		err_set(err, SBOX_E_INVALID, "refusing '%s': %s:%u:%u: %s",
			label, CONTAINER_DEFINITION, line, col,
			first ? first->msg : "invalid definition");
		rc = -1;
	} else {
		*identifier = d.identifier ? xstrdup(d.identifier) : NULL;
		def_release(&d);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	return rc;
}

/*
 * metadata.plist and definition.json, checked against each other;
 * *def_id: the definition's "identifier" (heap) or NULL.
 */
static int
read_head(struct archive *a, const char *label, struct container_meta *m,
	  char **def, size_t *deflen, char **def_id, struct sbox_err *err)
{
	char *text = NULL, *digest = NULL;
	size_t len;
	int rc = -1;

	if (read_small(a, CONTAINER_METADATA, label, &text, &len, err) < 0)
		goto out;
	if (container_meta_parse(text, len, CONTAINER_METADATA, m, err) < 0) {
		err_wrap(err, "'%s' is not an sbox container archive", label);
		goto out;
	}
	if (read_small(a, CONTAINER_DEFINITION, label, def, deflen, err) < 0)
		goto out;
	digest = container_digest_of(*def, *deflen);
	if (strcmp(digest, m->digest)) {
		err_set(err, SBOX_E_INVALID, "refusing '%s': definition.json "
			"does not match the digest in metadata.plist", label);
		goto out;
	}
	if (check_definition(label, *def, *deflen, def_id, err) < 0)
		goto out;
	rc = 0;
out:
	free(text);
	free(digest);
	return rc;
}

static int
unpack_rest(struct archive *a, int cfd, const char *label,
	    const struct container_limits *limits, struct sbox_err *err)
{
	struct archive_entry *e;
	struct unpacker u;
	int r, rc = -1;

	unpacker_init(&u, cfd, label, limits);
	u.strict = 1;
	u.tops = import_tops;
	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			err_set(err, SBOX_E_INVALID, "refusing '%s': %s", label,
				archive_error_string(a) ?
				archive_error_string(a) : "unreadable");
			goto out;
		}
		if (unpacker_entry(&u, a, e, err) < 0)
			goto out;
	}
	rc = unpacker_finish(&u, err);
out:
	unpacker_release(&u);
	return rc;
}

/* Data/ always exists and is private; root/ is there or not. */
static int
settle_tree(int cfd, struct container_meta *m, struct sbox_err *err)
{
	struct stat sb;

	if (mkdirat(cfd, CONTAINER_DATA, 0700) < 0 && errno != EEXIST)
		return err_sys(err, "cannot create Data/");
	if (fchmodat(cfd, CONTAINER_DATA, 0700, 0) < 0)
		return err_sys(err, "cannot set the mode of Data/");
	m->has_root = fstatat(cfd, CONTAINER_ROOT, &sb,
			      AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
	return 0;
}

static int
import_archive(struct container_store *st, struct archive *a,
	       const char *label, const char *name,
	       const struct container_limits *limits,
	       struct container_info *out, struct sbox_err *err)
{
	struct container_meta m = { 0 };
	char *def = NULL, *def_id = NULL, *tmp = NULL;
	size_t deflen = 0;
	struct stat sb;
	int cfd = -1, rc = -1;

	if (read_head(a, label, &m, &def, &deflen, &def_id, err) < 0)
		goto out;
	if (name) {
		free(m.name);
		m.name = xstrdup(name);
	}
	if (container_name_check(m.name, err) < 0)
		goto out;
	if (fstatat(st->dirfd, m.name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		err_set(err, SBOX_E_EXISTS, "container '%s' already exists",
			m.name);
		goto out;
	}
	/* as create names it: the archive's Identifier is not trusted, and
	 * under --name the archived one may be "sbox.<old name>" */
	free(m.identifier);
	m.identifier = container_identifier_for(m.name, def_id);
	/* Fail before unpacking; the commit checks again under the lock. */
	if (store_identifier_free(st, m.identifier, err) < 0)
		goto refused;
	cfd = store_build_begin(st, m.name, &tmp, err);
	if (cfd < 0)
		goto out;
	m.created = (int64_t)time(NULL);
	m.owner_uid = (int64_t)st->uid;
	free(m.sbox_version);
	m.sbox_version = xstrdup(SBOX_VERSION);
	/* a path on the exporting machine: no file here made this one */
	free(m.source);
	m.source = NULL;
	/* sealed with the importing user's key: the archive's digest said
	 * the definition is whole, and the user chose to import it */
	if (fs_write_file(cfd, CONTAINER_DEFINITION, def, deflen, 0644,
			  err) < 0 ||
	    store_seal_build(st, cfd, m.name, def, deflen, err) < 0 ||
	    unpack_rest(a, cfd, label, limits, err) < 0 ||
	    settle_tree(cfd, &m, err) < 0 ||
	    store_write_metadata(cfd, &m, err) < 0 ||
	    store_build_commit(st, cfd, tmp, m.name, m.identifier, err) < 0) {
		store_build_abort(st, cfd, tmp);
		cfd = -1;
		goto refused;
	}
	rc = out ? container_lookup(st, m.name, out, err) : 0;
	goto out;
refused:
	if (err && err->code == SBOX_E_ID_TAKEN)
		err_wrap(err, "cannot import '%s' as container '%s'", label,
			 m.name);
out:
	if (cfd >= 0)
		close(cfd);
	container_meta_release(&m);
	free(def);
	free(def_id);
	free(tmp);
	return rc;
}

int
container_import(struct container_store *st, const char *path,
		 const char *name, const struct container_limits *limits,
		 struct container_info *out, struct sbox_err *err)
{
	struct archive *a = unpack_reader_new();
	int rc = -1;

	/* "-" (NULL to libarchive): standard input */
	if (archive_read_open_filename(a, strcmp(path, "-") ? path : NULL,
				       65536) != ARCHIVE_OK) {
		if (archive_errno(a) == ENOENT || archive_errno(a) == EACCES)
			err_set(err, SBOX_E_IO, "cannot read '%s': %s", path,
				archive_error_string(a));
		else
			not_sbox(path, err, archive_error_string(a) ?
				 archive_error_string(a) : "unreadable");
		goto out;
	}
	rc = import_archive(st, a, path, name, limits, out, err);
out:
	archive_read_free(a);
	return rc;
}

int
container_import_fd(struct container_store *st, int fd, const char *label,
		    const char *name, const struct container_limits *limits,
		    struct container_info *out, struct sbox_err *err)
{
	struct archive *a = unpack_reader_new();
	int rc = -1;

	if (archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK)
		not_sbox(label, err, archive_error_string(a) ?
			 archive_error_string(a) : "unreadable");
	else
		rc = import_archive(st, a, label, name, limits, out, err);
	archive_read_free(a);
	return rc;
}

int
container_import_memory(struct container_store *st, const void *buf,
			size_t len, const char *name,
			const struct container_limits *limits,
			struct container_info *out, struct sbox_err *err)
{
	struct archive *a = unpack_reader_new();
	int rc = -1;

	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		not_sbox("(memory)", err, archive_error_string(a) ?
			 archive_error_string(a) : "unreadable");
		goto out;
	}
	rc = import_archive(st, a, "(memory)", name, limits, out, err);
out:
	archive_read_free(a);
	return rc;
}
