/*
 * Canonical paths for Seatbelt. The kernel matches profile paths against
 * resolved vnode paths, so /tmp must appear as /private/tmp, /var as
 * /private/var, and subpath filters break on trailing slashes
 * (MACOS.md §1.8 items 4 and 10, §6.2 pitfall 4). Paths that do not exist
 * yet (a build folder a test will create) still need a canonical form:
 * their existing ancestor is resolved and the rest appended.
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/*
 * Append component c (len n) to the path in sb: "." and empty ones go;
 * ".." removes the last component only when fold_dotdot is set.
 */
static void
path_push(struct strbuf *sb, const char *c, size_t n, int fold_dotdot)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return;
	if (fold_dotdot && n == 2 && c[0] == '.' && c[1] == '.') {
		char *slash = strrchr(sb->buf, '/');

		if (slash) {
			sb->len = (size_t)(slash - sb->buf);
			sb->buf[sb->len] = '\0';
		}
		return;
	}
	strbuf_addch(sb, '/');
	strbuf_add(sb, c, n);
}

/*
 * Fold a path into sb ("" stands for "/"). ".." is only folded where the
 * path does not exist: before a symlink it must be left to realpath,
 * since /tmp/.. is /private, not /.
 */
static void
path_fold(struct strbuf *sb, const char *path, int fold_dotdot)
{
	const char *p = path;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		path_push(sb, p, n, fold_dotdot);
		p += n;
		if (*p == '/')
			p++;
	}
}

/*
 * Resolve the longest existing prefix of the lexically folded path with
 * realpath; components after it are appended as written.
 */
static char *
canon_existing_prefix(const struct darwin_sys *sys, const char *folded,
		      struct sbox_err *err)
{
	struct strbuf head = STRBUF_INIT, out = STRBUF_INIT;
	char *real;
	size_t cut = strlen(folded);

	for (;;) {
		strbuf_reset(&head);
		strbuf_add(&head, folded, cut);
		real = sys->realpath(sys->ctx, cut ? head.buf : "/");
		if (real)
			break;
		if ((errno != ENOENT && errno != ENOTDIR) || cut == 0) {
			err_sys(err, "cannot resolve '%s'",
				cut ? head.buf : "/");
			goto out;
		}
		do
			cut--;
		while (cut > 0 && folded[cut] != '/');
	}
	path_fold(&out, real, 1);
	path_fold(&out, folded + cut, 1);
	if (out.len == 0)
		strbuf_addch(&out, '/');
	free(real);
out:
	strbuf_release(&head);
	return out.len ? strbuf_detach(&out) : NULL;
}

char *
seatbelt_canon_path(const struct darwin_sys *sys, const char *path,
		    struct sbox_err *err)
{
	struct strbuf folded = STRBUF_INIT;
	char *res = NULL;

	if (!path || path[0] != '/') {
		err_set(err, SBOX_E_INVALID,
			"path '%s' is not absolute after variable expansion",
			path ? path : "(null)");
		goto out;
	}
	path_fold(&folded, path, 0);
	res = canon_existing_prefix(sys, folded.buf, err);
out:
	strbuf_release(&folded);
	return res;
}
