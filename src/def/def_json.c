/*
 * JSON definitions. jansson parses and decodes (escapes, UTF-8, numbers,
 * duplicate keys) but records no positions for values, so a second, light
 * pass walks the same text in step with jansson's tree and notes where
 * each key and value starts. jansson keeps object members in insertion
 * order and duplicates are rejected, so document order and tree order
 * agree.
 */
#include "def/def_node.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <string.h>

struct locator {
	const struct src_file *f;
	size_t pos;
};

static void
loc_skip_ws(struct locator *l)
{
	while (l->pos < l->f->len && strchr(" \t\r\n", l->f->text[l->pos]))
		l->pos++;
}

static struct src_loc
loc_span(const struct locator *l, size_t start)
{
	struct src_loc loc = { l->f, (uint32_t)start, (uint32_t)l->pos };

	return loc;
}

/* Skip one string token; the text is known to be valid JSON. */
static void
loc_skip_string(struct locator *l)
{
	l->pos++;
	while (l->pos < l->f->len && l->f->text[l->pos] != '"') {
		if (l->f->text[l->pos] == '\\')
			l->pos++;
		l->pos++;
	}
	l->pos++;
}

static void
loc_skip_scalar(struct locator *l)
{
	while (l->pos < l->f->len &&
	       !strchr(",]} \t\r\n", l->f->text[l->pos]))
		l->pos++;
}

/* Skip the separator after a member or element: ',' or the closer. */
static void
loc_skip_punct(struct locator *l)
{
	loc_skip_ws(l);
	if (l->pos < l->f->len)
		l->pos++;
	loc_skip_ws(l);
}

static void build(json_t *v, struct locator *l, struct def_node *out);

static void
build_object(json_t *v, struct locator *l, struct def_node *out)
{
	const char *key;
	json_t *val;

	out->kind = DN_OBJECT;
	loc_skip_punct(l); /* '{' */
	json_object_foreach(v, key, val) {
		struct def_node *kid = def_node_add(out);
		size_t kstart = l->pos;

		loc_skip_string(l);
		kid->key = xstrdup(key);
		kid->key_loc = loc_span(l, kstart);
		loc_skip_punct(l); /* ':' */
		build(val, l, kid);
		loc_skip_punct(l); /* ',' or '}' */
	}
	if (!json_object_size(v))
		loc_skip_punct(l);
}

static void
build_array(json_t *v, struct locator *l, struct def_node *out)
{
	size_t i;
	json_t *val;

	out->kind = DN_ARRAY;
	loc_skip_punct(l); /* '[' */
	json_array_foreach(v, i, val) {
		build(val, l, def_node_add(out));
		loc_skip_punct(l);
	}
	if (!json_array_size(v))
		loc_skip_punct(l);
}

static void
build(json_t *v, struct locator *l, struct def_node *out)
{
	size_t start;

	loc_skip_ws(l);
	start = l->pos;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		build_object(v, l, out);
		break;
	case JSON_ARRAY:
		build_array(v, l, out);
		break;
	case JSON_STRING:
		out->kind = DN_STRING;
		out->str = xstrndup(json_string_value(v), json_string_length(v));
		loc_skip_string(l);
		break;
	case JSON_INTEGER:
		out->kind = DN_INT;
		out->num = (int64_t)json_integer_value(v);
		loc_skip_scalar(l);
		break;
	case JSON_REAL:
		out->kind = DN_REAL;
		loc_skip_scalar(l);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		out->kind = DN_BOOL;
		out->num = json_is_true(v);
		loc_skip_scalar(l);
		break;
	case JSON_NULL:
		out->kind = DN_NULL;
		loc_skip_scalar(l);
		break;
	}
	/* Containers: point at the opening bracket only. */
	if (out->kind == DN_OBJECT || out->kind == DN_ARRAY)
		out->loc = (struct src_loc){ l->f, (uint32_t)start,
					     (uint32_t)start + 1 };
	else
		out->loc = loc_span(l, start);
}

/* Offset of jansson's 1-based line/column (column counts characters). */
static uint32_t
offset_of(const struct src_file *f, int line, int col)
{
	size_t off = 0;
	int cur = 1;

	if (line < 1)
		return (uint32_t)f->len;
	while (cur < line && off < f->len) {
		if (f->text[off++] == '\n')
			cur++;
	}
	for (int c = 1; c < col && off < f->len && f->text[off] != '\n'; c++) {
		off++;
		/* skip UTF-8 continuation bytes: one column per character */
		while (off < f->len && ((unsigned char)f->text[off] & 0xC0) == 0x80)
			off++;
	}
	return (uint32_t)off;
}

int
def_json_read(const struct src_file *f, struct diag_list *diags,
	      struct def_node *out)
{
	json_error_t jerr;
	json_t *root;
	struct locator l = { f, 0 };

	memset(out, 0, sizeof(*out));
	root = json_loadb(f->text, f->len,
			  JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		uint32_t off = offset_of(f, jerr.line, jerr.column);
		struct src_loc loc = { f, off, off };

		/* jansson points one past the offending character */
		if (jerr.column > 0 && off > 0 && f->text[off - 1] != '\n')
			loc.start = loc.end = off - 1;
		diag_add(diags, DIAG_ERROR, loc, "def-syntax", "%s", jerr.text);
		return -1;
	}
	build(root, &l, out);
	json_decref(root);
	return 0;
}
