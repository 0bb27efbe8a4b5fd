/*
 * metadata.plist: a real XML property list with Apple's DOCTYPE (so
 * `plutil -lint` accepts it), written with libxml2's xmlTextWriter and
 * read back with a non-validating, no-network parse (STYLE.md
 * "Dependency boundaries": no NOENT, no DTDLOAD). MACOS.md §3.2: sbox
 * keeps its own small equivalent of containermanagerd's metadata.
 */
#include "container/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "util/sha256.h"
#include "util/xalloc.h"

void
container_meta_release(struct container_meta *m)
{
	free(m->name);
	free(m->identifier);
	free(m->digest);
	free(m->sbox_version);
	free(m->template_name);
	free(m->source);
	memset(m, 0, sizeof(*m));
}

void
container_time_format(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *
container_digest_of(const char *text, size_t len)
{
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(text, len, hex);
	return xasprintf("sha256:%s", hex);
}

static void
write_key(xmlTextWriterPtr w, const char *key, const char *type,
	  const char *value)
{
	xmlTextWriterWriteString(w, BAD_CAST "\n\t");
	xmlTextWriterWriteElement(w, BAD_CAST "key", BAD_CAST key);
	xmlTextWriterWriteString(w, BAD_CAST "\n\t");
	if (value)
		xmlTextWriterWriteElement(w, BAD_CAST type, BAD_CAST value);
	else
		xmlTextWriterWriteElement(w, BAD_CAST type, NULL);
}

char *
container_meta_to_plist(const struct container_meta *m, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	char date[32], num[32], fmt[32];
	char *out;

	container_time_format(m->created, date);
	snprintf(num, sizeof(num), "%" PRId64, m->owner_uid);
	snprintf(fmt, sizeof(fmt), "%d", CONTAINER_FORMAT);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterWriteDTD(w, BAD_CAST "plist",
			      BAD_CAST "-//Apple//DTD PLIST 1.0//EN",
			      BAD_CAST "http://www.apple.com/DTDs/PropertyList-1.0.dtd",
			      NULL);
	xmlTextWriterWriteString(w, BAD_CAST "\n");
	xmlTextWriterStartElement(w, BAD_CAST "plist");
	xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.0");
	xmlTextWriterWriteString(w, BAD_CAST "\n");
	xmlTextWriterStartElement(w, BAD_CAST "dict");
	write_key(w, "Name", "string", m->name);
	write_key(w, "Identifier", "string", m->identifier);
	write_key(w, "DefinitionDigest", "string", m->digest);
	write_key(w, "Created", "date", date);
	write_key(w, "OwnerUID", "integer", num);
	write_key(w, "SboxVersion", "string", m->sbox_version);
	write_key(w, "Template", "string",
		  m->template_name ? m->template_name : "");
	write_key(w, "HasRoot", m->has_root ? "true" : "false", NULL);
	if (m->source)
		write_key(w, "DefinitionSource", "string", m->source);
	write_key(w, "SboxContainerFormat", "integer", fmt);
	xmlTextWriterWriteString(w, BAD_CAST "\n");
	xmlTextWriterEndElement(w);
	xmlTextWriterWriteString(w, BAD_CAST "\n");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	out = xstrdup((const char *)xmlBufferContent(buf));
	*len = strlen(out);
	xmlBufferFree(buf);
	return out;
}

static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	char z = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
	    z != 'Z')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int
parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static xmlNodePtr
next_element(xmlNodePtr n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

static int
node_is(xmlNodePtr n, const char *name)
{
	return n && !strcmp((const char *)n->name, name);
}

/* Store one key's value; unknown keys are ignored (newer sbox). */
static int
meta_set(struct container_meta *m, const char *key, xmlNodePtr val,
	 const char *text)
{
	if (!strcmp(key, "Name") && node_is(val, "string"))
		m->name = xstrdup(text);
	else if (!strcmp(key, "Identifier") && node_is(val, "string"))
		m->identifier = xstrdup(text);
	else if (!strcmp(key, "DefinitionDigest") && node_is(val, "string"))
		m->digest = xstrdup(text);
	else if (!strcmp(key, "SboxVersion") && node_is(val, "string"))
		m->sbox_version = xstrdup(text);
	else if (!strcmp(key, "Template") && node_is(val, "string"))
		m->template_name = xstrdup(text);
	else if (!strcmp(key, "DefinitionSource") && node_is(val, "string"))
		m->source = xstrdup(text);
	else if (!strcmp(key, "Created"))
		return node_is(val, "date") ? parse_date(text, &m->created) : -1;
	else if (!strcmp(key, "OwnerUID"))
		return node_is(val, "integer") ? parse_int(text, &m->owner_uid) :
		       -1;
	else if (!strcmp(key, "SboxContainerFormat"))
		return node_is(val, "integer") ? parse_int(text, &m->format) :
		       -1;
	else if (!strcmp(key, "HasRoot"))
		m->has_root = node_is(val, "true");
	return 0;
}

/* Control characters would reach terminals through `list` and `show`. */
static int
printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/*
 * A key written twice means different things to different readers
 * (CoreFoundation, plistlib and sbox need not keep the same value), and
 * an imported metadata.plist comes from an untrusted archive: refuse it,
 * as the definition readers do. libxml2's hash table keeps it linear.
 */
static int
meta_key_repeated(xmlHashTablePtr seen, const xmlChar *key)
{
	return xmlHashAddEntry(seen, key, (void *)1) != 0;
}

static int
meta_keys_read(xmlNodePtr dict, struct container_meta *m, const char **bad,
	       char **dup)
{
	xmlHashTablePtr seen = xmlHashCreate(16);
	int rc = -1;

	for (xmlNodePtr k = next_element(dict->children); k;
	     k = next_element(k->next)) {
		xmlNodePtr v = next_element(k->next);
		xmlChar *key, *text;
		int r;

		if (!node_is(k, "key") || !v) {
			*bad = "a <key> followed by its value";
			goto out;
		}
		key = xmlNodeGetContent(k);
		if (!key || meta_key_repeated(seen, key)) {
			*dup = xstrdup(key ? (const char *)key : "");
			xmlFree(key);
			goto out;
		}
		text = xmlNodeGetContent(v);
		r = meta_set(m, (const char *)key, v,
			     text ? (const char *)text : "");
		xmlFree(key);
		xmlFree(text);
		if (r < 0) {
			*bad = "a well-formed value for every key";
			goto out;
		}
		k = v;
	}
	rc = 0;
out:
	xmlHashFree(seen, NULL);
	return rc;
}

static int
meta_from_dict(xmlNodePtr dict, struct container_meta *m, const char **bad,
	       char **dup)
{
	if (meta_keys_read(dict, m, bad, dup) < 0)
		return -1;
	if (!printable(m->name) || !printable(m->identifier) ||
	    !printable(m->digest) || !printable(m->sbox_version) ||
	    !printable(m->template_name) || !printable(m->source)) {
		*bad = "values without control characters";
		return -1;
	}
	if (!m->name || !m->identifier || !m->digest || m->created <= 0 ||
	    m->format != CONTAINER_FORMAT) {
		*bad = "Name, Identifier, DefinitionDigest, Created and "
		       "SboxContainerFormat 1";
		return -1;
	}
	return 0;
}

int
container_meta_parse(const char *text, size_t len, const char *src,
		     struct container_meta *out, struct sbox_err *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, dict;
	const char *bad = "a <plist> holding a <dict>";
	char *dup = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > CONTAINER_SMALL_FILE_MAX || len > INT32_MAX)
		goto invalid;
	doc = xmlReadMemory(text, (int)len, src, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc) {
		bad = "well-formed XML";
		goto invalid;
	}
	/*
	 * An internal DTD subset could declare entities that
	 * xmlNodeGetContent would expand without limit (billion laughs);
	 * sbox's plists never have one.
	 */
	if (doc->intSubset && doc->intSubset->children) {
		bad = "a plist without DTD declarations";
		goto invalid;
	}
	root = xmlDocGetRootElement(doc);
	dict = root ? next_element(root->children) : NULL;
	if (!node_is(root, "plist") || !node_is(dict, "dict"))
		goto invalid;
	if (meta_from_dict(dict, out, &bad, &dup) < 0)
		goto invalid;
	rc = 0;
	goto out;
invalid:
	container_meta_release(out);
	if (dup)
		err_set(err, SBOX_E_INVALID, "'%s' is not sbox container "
			"metadata (key '%s' is repeated)", src, dup);
	else
		err_set(err, SBOX_E_INVALID, "'%s' is not sbox container "
			"metadata (expected %s)", src, bad);
	free(dup);
out:
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}
