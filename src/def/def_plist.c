/*
 * XML property-list definitions (libxml2). The parser never touches the
 * network (XML_PARSE_NONET), loads no external DTD, and substitutes no
 * entities (no XML_PARSE_NOENT / DTDLOAD): an entity reference is an
 * error. libxml2 gives each element's line; the column is found by
 * scanning the text forward for the element's start tag, in document
 * order, so repeated tags on one line still get their own column.
 */
#include "def/def_node.h"
#include "util/xalloc.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

struct plist_walk {
	const struct src_file *f;
	struct diag_list *diags;
	size_t cursor;  /* where the previous start tag was found */
	int failed;
};

static size_t
line_offset(const struct src_file *f, long line)
{
	size_t off = 0;

	for (long cur = 1; cur < line && off < f->len; off++)
		if (f->text[off] == '\n')
			cur++;
	return off;
}

static struct src_loc
node_loc(struct plist_walk *w, xmlNode *n)
{
	const struct src_file *f = w->f;
	size_t from = line_offset(f, xmlGetLineNo(n));
	size_t namelen = strlen((const char *)n->name);
	struct src_loc loc;

	if (from < w->cursor)
		from = w->cursor;
	for (size_t i = from; i + namelen < f->len; i++) {
		if (f->text[i] == '<' &&
		    !strncmp(f->text + i + 1, (const char *)n->name, namelen) &&
		    strchr(" \t\r\n/>", f->text[i + 1 + namelen])) {
			w->cursor = i + 1;
			loc = (struct src_loc){ f, (uint32_t)i,
						(uint32_t)(i + 1 + namelen) };
			return loc;
		}
	}
	loc = (struct src_loc){ f, (uint32_t)from, (uint32_t)from };
	return loc;
}

static void
fail(struct plist_walk *w, struct src_loc loc, const char *id, const char *msg,
     const char *arg)
{
	diag_add(w->diags, DIAG_ERROR, loc, id, msg, arg);
	w->failed = 1;
}

static int
is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

/* Next element sibling from n (inclusive), complaining about stray text. */
static xmlNode *
next_element(struct plist_walk *w, xmlNode *n, xmlNode *parent)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (n->type == XML_ENTITY_REF_NODE)
			fail(w, node_loc(w, parent), "def-syntax",
			     "entity references are not allowed in a definition%s", "");
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    !is_blank(n->content))
			fail(w, node_loc(w, parent), "def-syntax",
			     "unexpected text inside <%s>", (const char *)parent->name);
	}
	return NULL;
}

/* Text of a leaf element; entity references are refused. */
static char *
leaf_text(struct plist_walk *w, xmlNode *el, struct src_loc loc)
{
	size_t len = 0;
	char *out = xstrdup("");

	for (xmlNode *k = el->children; k; k = k->next) {
		size_t add;

		if (k->type == XML_ENTITY_REF_NODE) {
			fail(w, loc, "def-syntax",
			     "entity references are not allowed in a definition%s", "");
			continue;
		}
		if (k->type == XML_ELEMENT_NODE) {
			fail(w, loc, "def-syntax", "<%s> cannot contain elements",
			     (const char *)el->name);
			continue;
		}
		if (k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE)
			continue;
		add = strlen((const char *)k->content);
		out = xrealloc(out, len + add + 1);
		memcpy(out + len, k->content, add + 1);
		len += add;
	}
	return out;
}

static void convert(struct plist_walk *w, xmlNode *el, struct def_node *out);

static void
convert_dict(struct plist_walk *w, xmlNode *el, struct def_node *out)
{
	xmlNode *k = next_element(w, el->children, el);

	out->kind = DN_OBJECT;
	while (k) {
		struct src_loc kloc = node_loc(w, k);
		xmlNode *v;
		char *key;

		if (strcmp((const char *)k->name, "key")) {
			fail(w, kloc, "def-syntax",
			     "expected <key> in <dict>, found <%s>", (const char *)k->name);
			return;
		}
		key = leaf_text(w, k, kloc);
		v = next_element(w, k->next, el);
		if (!v) {
			fail(w, kloc, "def-syntax", "key '%s' has no value", key);
			free(key);
			return;
		}
		for (size_t i = 0; i < out->nkids; i++) {
			if (!strcmp(out->kids[i].key, key)) {
				fail(w, kloc, "def-syntax", "duplicate key '%s'", key);
				break;
			}
		}
		struct def_node *kid = def_node_add(out);

		kid->key = key;
		kid->key_loc = kloc;
		convert(w, v, kid);
		k = next_element(w, v->next, el);
	}
}

static void
convert_int(struct plist_walk *w, xmlNode *el, struct def_node *out)
{
	char *text = leaf_text(w, el, out->loc), *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (!text[0] || *end || errno)
		fail(w, out->loc, "def-syntax", "<integer> '%s' is not a decimal integer",
		     text);
	out->kind = DN_INT;
	out->num = n;
	free(text);
}

static void
convert(struct plist_walk *w, xmlNode *el, struct def_node *out)
{
	const char *name = (const char *)el->name;

	out->loc = node_loc(w, el);
	if (!strcmp(name, "dict")) {
		convert_dict(w, el, out);
	} else if (!strcmp(name, "array")) {
		out->kind = DN_ARRAY;
		for (xmlNode *k = next_element(w, el->children, el); k;
		     k = next_element(w, k->next, el))
			convert(w, k, def_node_add(out));
	} else if (!strcmp(name, "string")) {
		out->kind = DN_STRING;
		out->str = leaf_text(w, el, out->loc);
	} else if (!strcmp(name, "integer")) {
		convert_int(w, el, out);
	} else if (!strcmp(name, "real")) {
		out->kind = DN_REAL;
	} else if (!strcmp(name, "true") || !strcmp(name, "false")) {
		out->kind = DN_BOOL;
		out->num = name[0] == 't';
	} else {
		/* <date>, <data> and anything else: no key of the schema takes them */
		out->kind = DN_NULL;
		fail(w, out->loc, "def-type", "<%s> is not a value a definition can hold", name);
	}
}

/* Parse errors, all of them (not only the last), with their position. */
struct xml_errors {
	const struct src_file *f;
	struct diag_list *diags;
	int count;
};

static void add_xml_error(const struct src_file *f, const xmlError *e,
			  struct diag_list *diags);

static void
on_xml_error(void *data, xmlError *e)
{
	xmlParserCtxt *ctxt = data;
	struct xml_errors *xe = ctxt->_private;

	if (e->level < XML_ERR_ERROR || xe->count >= 20)
		return;
	xe->count++;
	add_xml_error(xe->f, e, xe->diags);
}

static void
add_xml_error(const struct src_file *f, const xmlError *e,
	      struct diag_list *diags)
{
	size_t off = e ? line_offset(f, e->line) : 0;
	struct src_loc loc;
	char msg[512];
	size_t n;

	if (e && e->int2 > 1)
		off += (size_t)e->int2 - 1;
	if (off > f->len)
		off = f->len;
	loc = (struct src_loc){ f, (uint32_t)off, (uint32_t)off };
	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "not a well-formed XML plist");
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	diag_add(diags, DIAG_ERROR, loc, "def-syntax", "%s", msg);
}

static int
walk_document(const struct src_file *f, xmlDoc *doc, struct diag_list *diags,
	      struct def_node *out)
{
	struct plist_walk w = { f, diags, 0, 0 };
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *top;
	struct src_loc loc = { f, 0, 0 };

	if (!root || strcmp((const char *)root->name, "plist")) {
		if (root)
			loc = node_loc(&w, root);
		fail(&w, loc, "def-syntax", "the root element must be <plist>, not <%s>",
		     root ? (const char *)root->name : "nothing");
		return -1;
	}
	top = next_element(&w, root->children, root);
	if (!top) {
		fail(&w, node_loc(&w, root), "def-syntax", "<plist> is empty%s", "");
		return -1;
	}
	convert(&w, top, out);
	if (next_element(&w, top->next, root))
		fail(&w, node_loc(&w, top->next), "def-syntax",
		     "<plist> must hold exactly one value%s", "");
	return w.failed ? -1 : 0;
}

int
def_plist_read(const struct src_file *f, struct diag_list *diags,
	       struct def_node *out)
{
	/* No NOENT (no entity substitution), no DTDLOAD, no network. */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	xmlDoc *doc = NULL;
	struct xml_errors xe = { NULL, NULL, 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!ctxt) {
		add_xml_error(f, NULL, diags);
		return -1;
	}
	if (f->len > INT32_MAX)
		goto out;
	xe.f = f;
	xe.diags = diags;
	ctxt->_private = &xe;
	ctxt->sax->serror = on_xml_error;
	doc = xmlCtxtReadMemory(ctxt, f->text, (int)f->len, f->name, NULL, opts);
	if (!doc || !ctxt->wellFormed) {
		if (!xe.count)
			add_xml_error(f, xmlCtxtGetLastError(ctxt), diags);
		goto out;
	}
	rc = walk_document(f, doc, diags, out);
out:
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}
