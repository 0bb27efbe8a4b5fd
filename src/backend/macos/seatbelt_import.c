/*
 * Resolving SBPL (import "NAME") forms in the launcher. libsandbox reads
 * imported files in user space when the profile is compiled, from the
 * current root (MACOS.md §1.7, §6.2 pitfall 2); sandbox_init_with_parameters
 * compiles in the child after chroot, so every import that would be
 * unreachable there is inlined here first.
 *
 * The scanner knows just enough SBPL lexing to find top-level forms:
 * strings "..." and regexes #"..." with backslash escapes, ; line comments
 * and #| |# block comments.
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"

#define IMPORT_MAX_DEPTH 8
/* A file imported many times, each importing it again, would grow
 * exponentially before the depth limit stops it. */
#define IMPORT_MAX_TOTAL 256

struct import_ctx {
	const struct darwin_sys *sys;
	const char *const *dirs;
	int keep_unfound;
	struct sbox_err *err;
	const char *open[IMPORT_MAX_DEPTH]; /* files being inlined: cycles */
	size_t total;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_symbol_char(char c)
{
	return c && !is_space(c) && c != '(' && c != ')' && c != '"' &&
	       c != ';';
}

/* Index just past the string or regex body that starts after the quote. */
static size_t
skip_string_body(const char *s, size_t i)
{
	while (s[i] && s[i] != '"') {
		if (s[i] == '\\' && s[i + 1])
			i++;
		i++;
	}
	return s[i] ? i + 1 : i;
}

static size_t
skip_line_comment(const char *s, size_t i)
{
	while (s[i] && s[i] != '\n')
		i++;
	return i;
}

static size_t
skip_block_comment(const char *s, size_t i)
{
	const char *end = strstr(s + i + 2, "|#");

	return end ? (size_t)(end - s) + 2 : strlen(s);
}

static size_t
skip_space(const char *s, size_t i)
{
	while (is_space(s[i]))
		i++;
	return i;
}

/*
 * At s[i] == '(' on the top level: if the form is (HEAD ...) with a
 * symbol head, store the head's span. Returns the index after the head.
 */
static size_t
form_head(const char *s, size_t i, size_t *hb, size_t *he)
{
	i = skip_space(s, i + 1);
	*hb = i;
	while (is_symbol_char(s[i]))
		i++;
	*he = i;
	return i;
}

static int
head_is(const char *s, size_t hb, size_t he, const char *word)
{
	return he - hb == strlen(word) && !strncmp(s + hb, word, he - hb);
}

/*
 * Parse the rest of (import "NAME"): s[i] is after the head. On success
 * returns the index after ')' and the unescaped name; else 0.
 */
static size_t
parse_import(const char *s, size_t i, struct strbuf *name)
{
	i = skip_space(s, i);
	if (s[i] != '"')
		return 0;
	for (i++; s[i] && s[i] != '"'; i++) {
		if (s[i] == '\\' && s[i + 1])
			i++;
		strbuf_addch(name, s[i]);
	}
	if (s[i] != '"')
		return 0;
	i = skip_space(s, i + 1);
	return s[i] == ')' ? i + 1 : 0;
}

/* Index after the ')' closing the flat form (version N) at s[i]. */
static size_t
skip_flat_form(const char *s, size_t i)
{
	const char *end = strchr(s + i, ')');

	return end ? (size_t)(end - s) + 1 : strlen(s);
}

static int
resolve_text(struct import_ctx *ic, const char *text, int depth,
			struct strbuf *out);

/* Read NAME from the first directory that has it; 1 found, 0 not, -1 error. */
static int
import_read(struct import_ctx *ic, const char *name,
		       struct strbuf *body, struct strbuf *where)
{
	if (name[0] == '/') {
		strbuf_addstr(where, name);
		if (ic->sys->read_file(ic->sys->ctx, name, body) == 0)
			return 1;
		return errno == ENOENT ? 0 : -1;
	}
	for (size_t d = 0; ic->dirs && ic->dirs[d]; d++) {
		strbuf_reset(where);
		strbuf_addf(where, "%s/%s", ic->dirs[d], name);
		strbuf_reset(body);
		if (ic->sys->read_file(ic->sys->ctx, where->buf, body) == 0)
			return 1;
		if (errno != ENOENT)
			return -1;
	}
	return 0;
}

static int
inline_import(struct import_ctx *ic, const char *name, int depth,
			 struct strbuf *out, int *kept)
{
	struct strbuf body = STRBUF_INIT, where = STRBUF_INIT;
	int rc = -1, found;

	*kept = 0;
	if (depth >= IMPORT_MAX_DEPTH || ic->total >= IMPORT_MAX_TOTAL) {
		err_set(ic->err, SBOX_E_INVALID,
			"SBPL import \"%s\": more than %d nested or %d in all",
			name, IMPORT_MAX_DEPTH, IMPORT_MAX_TOTAL);
		goto out;
	}
	for (int d = 0; d < depth; d++) {
		if (!strcmp(ic->open[d], name)) {
			err_set(ic->err, SBOX_E_INVALID,
				"SBPL import \"%s\" imports itself", name);
			goto out;
		}
	}
	found = import_read(ic, name, &body, &where);
	if (found < 0) {
		err_sys(ic->err, "cannot read SBPL import '%s'", where.buf);
		goto out;
	}
	if (!found) {
		if (ic->keep_unfound) {
			*kept = 1;
			rc = 0;
		} else {
			err_set(ic->err, SBOX_E_UNSUPPORTED,
				"SBPL import \"%s\" not found; it must be "
				"readable before chroot", name);
		}
		goto out;
	}
	strbuf_addf(out, "\n; sbox: begin import \"%s\" (%s)\n", name,
		    where.buf);
	ic->total++;
	ic->open[depth] = name;
	if (resolve_text(ic, body.buf, depth + 1, out) < 0)
		goto out;
	strbuf_addstr(out, "\n; sbox: end import\n");
	rc = 0;
out:
	strbuf_release(&body);
	strbuf_release(&where);
	return rc;
}

/*
 * A top-level form at s[*i] == '(': imports are inlined, (version N) of an
 * imported file dropped (the outer profile has its own, and SBPL wants it
 * first). Returns 1 when handled (s[*i] moved past it), 0 to copy it as
 * text, -1 on error.
 */
static int
top_form(struct import_ctx *ic, const char *s, size_t *i,
		    int depth, struct strbuf *out)
{
	struct strbuf name = STRBUF_INIT;
	size_t hb, he, after, end;
	int rc = 0, kept;

	after = form_head(s, *i, &hb, &he);
	if (depth > 0 && head_is(s, hb, he, "version")) {
		*i = skip_flat_form(s, after);
		return 1;
	}
	if (!head_is(s, hb, he, "import"))
		return 0;
	end = parse_import(s, after, &name);
	if (!end)
		goto out;
	if (inline_import(ic, name.buf, depth, out, &kept) < 0) {
		rc = -1;
		goto out;
	}
	if (kept)
		strbuf_add(out, s + *i, end - *i);
	*i = end;
	rc = 1;
out:
	strbuf_release(&name);
	return rc;
}

static int
resolve_text(struct import_ctx *ic, const char *s, int depth,
			struct strbuf *out)
{
	size_t i = 0, start, level = 0;

	while (s[i]) {
		start = i;
		if (s[i] == '(' && level == 0) {
			int r = top_form(ic, s, &i, depth, out);

			if (r < 0)
				return -1;
			if (r > 0)
				continue;
		}
		if (s[i] == '"')
			i = skip_string_body(s, i + 1);
		else if (s[i] == '#' && s[i + 1] == '"')
			i = skip_string_body(s, i + 2);
		else if (s[i] == '#' && s[i + 1] == '|')
			i = skip_block_comment(s, i);
		else if (s[i] == ';')
			i = skip_line_comment(s, i);
		else {
			if (s[i] == '(')
				level++;
			else if (s[i] == ')' && level > 0)
				level--;
			i++;
		}
		strbuf_add(out, s + start, i - start);
	}
	return 0;
}

int
seatbelt_imports_resolve(const struct darwin_sys *sys, const char *profile,
			 const char *const *dirs, int keep_unfound,
			 struct strbuf *out, struct sbox_err *err)
{
	struct import_ctx ic;

	memset(&ic, 0, sizeof(ic));
	ic.sys = sys;
	ic.dirs = dirs;
	ic.keep_unfound = keep_unfound;
	ic.err = err;

	return resolve_text(&ic, profile, 0, out);
}
