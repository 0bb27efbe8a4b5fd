/*
 * Diagnostics with source locations, collected rather than stopping at the
 * first problem (jq locfile, doas parse_errors). Parsers and the linter
 * append to a struct diag_list; only the CLI renders it.
 *
 * A struct src_file owns the text of one input (profile, definition) and
 * its name; locations are byte offsets into it, and line/col are computed
 * on demand (1-based, col counts bytes). Files are reference-free: keep the
 * src_file alive as long as any diag or policy rule points at it (the
 * src_set below owns them all for one run).
 */
#ifndef SBOX_UTIL_DIAG_H
#define SBOX_UTIL_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strbuf;

struct src_file {
	char *name;      /* as given on the command line or import path */
	char *text;      /* NUL-terminated contents */
	size_t len;
	size_t *lines;   /* byte offset of each line start, built lazily */
	size_t nlines;
};

struct src_loc {
	const struct src_file *file; /* NULL: no location */
	uint32_t start;              /* byte offset */
	uint32_t end;                /* one past the last byte, >= start */
};

/* Owner of every src_file read during one run. */
struct src_set {
	struct src_file **v;
	size_t nr, alloc;
};

void src_set_init(struct src_set *set);
void src_set_release(struct src_set *set);
/* Take ownership of text (heap, NUL-terminated, len bytes). */
struct src_file *src_set_add(struct src_set *set, const char *name,
			     char *text, size_t len);
/* 1-based line and column of a byte offset. */
void src_linecol(const struct src_file *f, size_t off, unsigned *line,
		 unsigned *col);
/* Copy of the text of line `line` (1-based), without newline. */
void src_line_text(const struct src_file *f, unsigned line,
		   struct strbuf *out);

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
};

struct diag {
	enum diag_level level;
	struct src_loc loc;
	const char *id;   /* check identifier, e.g. "unbound-variable"; static */
	char *msg;        /* heap */
	struct diag *related; /* optional secondary note, e.g. "opened here" */
};

struct diag_list {
	struct diag *v;
	size_t nr, alloc;
	size_t nerrors, nwarnings;
	const char *const *disabled; /* NULL-terminated IDs to drop, or NULL */
};

void diag_list_init(struct diag_list *dl);
void diag_list_release(struct diag_list *dl);
/* 1 when diagnostics with this id are dropped (--disable): skip the work. */
int diag_is_disabled(const struct diag_list *dl, const char *id);
/* Returns the added diag, or NULL when its id is disabled. */
struct diag *diag_add(struct diag_list *dl, enum diag_level level,
		      struct src_loc loc, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Attach a secondary note (e.g. where an unclosed form opened). */
void diag_add_related(struct diag *d, struct src_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Stable order: by file name, then offset, then insertion. */
void diag_list_sort(struct diag_list *dl);

const char *diag_level_name(enum diag_level level);
/* "file:line:col: level: msg [id]" + source line + caret. */
void diag_render_text(const struct diag *d, struct strbuf *out);

#endif
