#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
src_set_init(struct src_set *set)
{
	memset(set, 0, sizeof(*set));
}

void
src_set_release(struct src_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		free(set->v[i]->name);
		free(set->v[i]->text);
		free(set->v[i]->lines);
		free(set->v[i]);
	}
	free(set->v);
	src_set_init(set);
}

struct src_file *
src_set_add(struct src_set *set, const char *name, char *text, size_t len)
{
	struct src_file *f = xcalloc(1, sizeof(*f));

	f->name = xstrdup(name);
	f->text = text;
	f->len = len;
	ALLOC_GROW(set->v, set->nr + 1, set->alloc);
	set->v[set->nr++] = f;
	return f;
}

static void
build_line_index(struct src_file *f)
{
	size_t alloc = 0;

	f->nlines = 0;
	ALLOC_GROW(f->lines, 1, alloc);
	f->lines[f->nlines++] = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->text[i] != '\n')
			continue;
		ALLOC_GROW(f->lines, f->nlines + 1, alloc);
		f->lines[f->nlines++] = i + 1;
	}
}

void
src_linecol(const struct src_file *cf, size_t off, unsigned *line,
	    unsigned *col)
{
	/* The index is a cache; building it does not change the file. */
	struct src_file *f = (struct src_file *)cf;
	size_t lo = 0, hi;

	if (!f->lines)
		build_line_index(f);
	if (off > f->len)
		off = f->len;
	hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = (unsigned)(off - f->lines[lo]) + 1;
}

void
src_line_text(const struct src_file *cf, unsigned line, struct strbuf *out)
{
	struct src_file *f = (struct src_file *)cf;
	size_t start, end;

	if (!f->lines)
		build_line_index(f);
	if (line == 0 || line > f->nlines)
		return;
	start = f->lines[line - 1];
	end = start;
	while (end < f->len && f->text[end] != '\n' && f->text[end] != '\r')
		end++;
	strbuf_add(out, f->text + start, end - start);
}

void
diag_list_init(struct diag_list *dl)
{
	memset(dl, 0, sizeof(*dl));
}

static void
diag_free_related(struct diag *r)
{
	while (r) {
		struct diag *next = r->related;

		free(r->msg);
		free(r);
		r = next;
	}
}

void
diag_list_release(struct diag_list *dl)
{
	const char *const *disabled = dl->disabled;

	for (size_t i = 0; i < dl->nr; i++) {
		free(dl->v[i].msg);
		diag_free_related(dl->v[i].related);
	}
	free(dl->v);
	diag_list_init(dl);
	dl->disabled = disabled;
}

int
diag_is_disabled(const struct diag_list *dl, const char *id)
{
	if (!dl->disabled || !id)
		return 0;
	for (const char *const *p = dl->disabled; *p; p++)
		if (!strcmp(*p, id))
			return 1;
	return 0;
}

struct diag *
diag_add(struct diag_list *dl, enum diag_level level, struct src_loc loc,
	 const char *id, const char *fmt, ...)
{
	struct diag *d;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *msg;
	int n;

	if (diag_is_disabled(dl, id))
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	strbuf_release(&sb);
	ALLOC_GROW(dl->v, dl->nr + 1, dl->alloc);
	d = &dl->v[dl->nr++];
	d->level = level;
	d->loc = loc;
	d->id = id;
	d->msg = msg;
	d->related = NULL;
	if (level == DIAG_ERROR)
		dl->nerrors++;
	else if (level == DIAG_WARNING)
		dl->nwarnings++;
	return d;
}

void
diag_add_related(struct diag *d, struct src_loc loc, const char *fmt, ...)
{
	struct diag *r, **tail;
	va_list ap;
	int n;

	if (!d)
		return;
	r = xcalloc(1, sizeof(*r));
	r->level = DIAG_NOTE;
	r->loc = loc;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	r->msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(r->msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	for (tail = &d->related; *tail; tail = &(*tail)->related)
		;
	*tail = r;
}

static int
diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	const char *na = a->loc.file ? a->loc.file->name : "";
	const char *nb = b->loc.file ? b->loc.file->name : "";
	int c = strcmp(na, nb);

	if (c)
		return c;
	if (a->loc.start != b->loc.start)
		return a->loc.start < b->loc.start ? -1 : 1;
	return a < b ? -1 : (a > b);
}

void
diag_list_sort(struct diag_list *dl)
{
	/* qsort is not stable; the address tie-break keeps insertion order. */
	if (dl->nr > 1)
		qsort(dl->v, dl->nr, sizeof(*dl->v), diag_cmp);
}

const char *
diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static void render_source(const struct diag *d, unsigned line, unsigned col,
			  struct strbuf *out);

static void
render_one(const struct diag *d, struct strbuf *out, int with_id)
{
	unsigned line = 0, col = 0;

	if (d->loc.file) {
		src_linecol(d->loc.file, d->loc.start, &line, &col);
		strbuf_addf(out, "%s:%u:%u: ", d->loc.file->name, line, col);
	}
	strbuf_addf(out, "%s: %s", diag_level_name(d->level), d->msg);
	if (with_id && d->id)
		strbuf_addf(out, " [%s]", d->id);
	strbuf_addch(out, '\n');
	if (!d->loc.file)
		return;
	render_source(d, line, col, out);
}

/*
 * Lines longer than this are shown as a window around the column, marked
 * with "...", as compilers do: a diagnostic on a 100,000-character line
 * (a generated profile) stays a few lines of output.
 */
#define SHOWN_LINE_MAX 160
#define SHOWN_BEFORE 60

static void
render_source(const struct diag *d, unsigned line, unsigned col,
	      struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT;
	size_t width = d->loc.end > d->loc.start ? d->loc.end - d->loc.start : 1;
	size_t at = col ? col - 1 : 0, from = 0, to;

	src_line_text(d->loc.file, line, &text);
	to = text.len;
	if (text.len > SHOWN_LINE_MAX) {
		from = at > SHOWN_BEFORE ? at - SHOWN_BEFORE : 0;
		to = from + SHOWN_LINE_MAX < text.len ? from + SHOWN_LINE_MAX :
							text.len;
	}
	strbuf_addf(out, "  %s%.*s%s\n  %s", from ? "..." : "",
		    (int)(to - from), text.buf + from, to < text.len ? "..." : "",
		    from ? "   " : "");
	for (size_t i = from; i < at && i < to; i++)
		strbuf_addch(out, text.buf[i] == '\t' ? '\t' : ' ');
	strbuf_addch(out, '^');
	/* Underline the rest of the span, but not past what is shown. */
	for (size_t i = 1; i < width && at + i < to; i++)
		strbuf_addch(out, '~');
	strbuf_addch(out, '\n');
	strbuf_release(&text);
}

void
diag_render_text(const struct diag *d, struct strbuf *out)
{
	render_one(d, out, 1);
	for (const struct diag *r = d->related; r; r = r->related)
		render_one(r, out, 0);
}
