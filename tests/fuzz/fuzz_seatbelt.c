/*
 * libFuzzer: the launcher's own text and path handling on macOS -- SBPL
 * import resolution (every import names the input itself, so nesting and
 * the depth limit are exercised) and canonical paths over a fake realpath.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/macos/seatbelt.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_text;

static int
fz_read_file(void *ctx, const char *path, struct strbuf *out)
{
	(void)ctx;
	if (strstr(path, "missing")) {
		errno = ENOENT;
		return -1;
	}
	strbuf_addstr(out, fuzz_text);
	return 0;
}

/* Everything under /private exists; /tmp is a symlink to it. */
static char *
fz_realpath(void *ctx, const char *path)
{
	(void)ctx;
	if (!strncmp(path, "/tmp", 4) && (path[4] == '/' || !path[4]))
		return xasprintf("/private%s", path);
	if (!strcmp(path, "/") || !strncmp(path, "/private", 8))
		return xstrdup(path);
	errno = ENOENT;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "/defs", NULL };
	struct darwin_sys sys;
	struct strbuf out = STRBUF_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	char *text = xstrndup((const char *)data, size);
	char *canon;

	memset(&sys, 0, sizeof(sys));
	sys.read_file = fz_read_file;
	sys.realpath = fz_realpath;
	fuzz_text = text;
	seatbelt_imports_resolve(&sys, text, dirs, size % 2, &out, &err);
	strbuf_release(&out);
	canon = seatbelt_canon_path(&sys, text, &err);
	if (canon && (canon[0] != '/' || strstr(canon, "//") ||
		      (strlen(canon) > 1 && canon[strlen(canon) - 1] == '/')))
		abort();
	free(canon);
	free(text);
	return 0;
}
