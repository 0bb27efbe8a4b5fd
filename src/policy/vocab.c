/*
 * Lookups over the generated tables (vocab_data.c). Operation and filter
 * names are resolved per release; derived filter names (-prefix, -regex,
 * -subpath) and aliases follow SBPL-SEMANTICS.md §c, modifiers §d.
 * The tables are pointer-free (offsets into vocab_strings); the struct
 * vocab_op values the API hands out are built from them on first use.
 */
#include "policy/vocab.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "policy/vocab_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The small tables here hold char arrays rather than pointers, for the
 * reason vocab_data.h gives: no load-time relocations. */
struct vocab {
	char name[8];
	unsigned bit;
};

static const struct vocab releases[] = {
	{ "10.12", 1u << 0 },
	{ "10.13", 1u << 1 },
	{ "10.14", 1u << 2 },
	{ "10.15", 1u << 3 },
	{ "11", 1u << 4 },
	{ "12", 1u << 5 },
	{ "13", 1u << 6 },
	{ "14", 1u << 7 },
	{ "15", 1u << 8 },
	{ "latest", 1u << 9 },
};
#define NRELEASES (sizeof(releases) / sizeof(releases[0]))
#define LATEST (&releases[NRELEASES - 1])

const struct vocab *
vocab_latest(void)
{
	return LATEST;
}

const char *
vocab_release_name(const struct vocab *v)
{
	return v->name;
}

/* "10.15", "10.15.7", "11", "14.2", "latest"; codenames for the old ones. */
const struct vocab *
vocab_for_release(const char *release)
{
	static const char codenames[][12] = { "sierra", "high_sierra",
					      "mojave", "catalina" };
	char *end;
	long major, minor = 0;

	if (!release || !strcmp(release, "latest"))
		return LATEST;
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(release, codenames[i]))
			return &releases[i];
	if (release[0] < '0' || release[0] > '9')
		return NULL;
	major = strtol(release, &end, 10);
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return NULL;
		minor = strtol(end + 1, &end, 10);
		if (*end == '.')
			strtol(end + 1, &end, 10);
	}
	if (*end)
		return NULL;
	/* 11 .. 15 each have their table (tools/vocab-newer.tsv says what
	 * each added); later releases get everything known */
	if (major >= 11 && major <= 15)
		return &releases[4 + (major - 11)];
	if (major > 15 && major < 100)
		return LATEST;
	if (major == 10 && minor >= 16)
		return LATEST;
	if (major == 10 && minor >= 12 && minor <= 15)
		return &releases[minor - 12];
	return NULL;
}

/* vocab_ops[i] is the public form of vocab_op_rows[i]. */
static const struct vocab_op *
op_struct(size_t i)
{
	static bool built;

	if (!built) {
		for (size_t k = 0; k < vocab_op_rows_len; k++) {
			const struct vocab_op_row *r = &vocab_op_rows[k];

			vocab_ops[k].name = vocab_str(r->name);
			vocab_ops[k].fallback = vocab_str(r->fallback);
			vocab_ops[k].builtin = (enum vocab_builtin)r->builtin;
			vocab_ops[k].filter_categories =
				vocab_str(r->filter_categories);
			vocab_ops[k].modifiers = vocab_str(r->modifiers);
		}
		built = true;
	}
	return &vocab_ops[i];
}

/* Index of the row named name, or vocab_op_rows_len. */
static size_t
op_row_find(const char *name)
{
	size_t lo = 0, hi = vocab_op_rows_len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, vocab_strings + vocab_op_rows[mid].name);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return vocab_op_rows_len;
}

bool
vocab_op_alias(const struct vocab *v, const char *name, const char **target)
{
	/* The prelude rebinds these names after the table is loaded, so an
	 * alias wins over a table entry of the same name (sysctl-write). */
	for (size_t i = 0; i < vocab_alias_rows_len; i++) {
		const struct vocab_alias_row *a = &vocab_alias_rows[i];

		if ((a->releases & v->bit) &&
		    !strcmp(vocab_strings + a->alias, name)) {
			*target = vocab_str(a->target);
			return true;
		}
	}
	return false;
}

const struct vocab_op *
vocab_op_find(const struct vocab *v, const char *name)
{
	const char *target;
	size_t i;

	if (!v || !name)
		return NULL;
	if (vocab_op_alias(v, name, &target)) {
		if (!target)
			return NULL;
		name = target;
	}
	i = op_row_find(name);
	if (i == vocab_op_rows_len || !(vocab_op_rows[i].releases & v->bit))
		return NULL;
	return op_struct(i);
}

size_t
vocab_op_count(const struct vocab *v)
{
	size_t n = 0;

	for (size_t i = 0; i < vocab_op_rows_len; i++)
		if (vocab_op_rows[i].releases & v->bit)
			n++;
	return n;
}

const struct vocab_op *
vocab_op_at(const struct vocab *v, size_t i)
{
	for (size_t k = 0; k < vocab_op_rows_len; k++) {
		if (!(vocab_op_rows[k].releases & v->bit))
			continue;
		if (i-- == 0)
			return op_struct(k);
	}
	return NULL;
}

/* Is word an element of the comma-separated list? */
static bool
list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);

		if (len == n && !strncmp(list, word, n))
			return true;
		list = comma ? comma + 1 : NULL;
	}
	return false;
}

bool
vocab_op_accepts_category(const struct vocab_op *op, const char *cat)
{
	/* "any": a filter newer than the tables, category unknown */
	if (!op->filter_categories || !strcmp(cat, "any"))
		return true;
	return list_has(op->filter_categories, cat);
}

bool
vocab_op_accepts_modifier(const struct vocab_op *op, const char *mod)
{
	return list_has(op->modifiers, mod);
}

/* strcmp of the first len bytes of key (no NUL among them) with s. */
static int
prefix_cmp(const char *key, size_t len, const char *s)
{
	int c = strncmp(key, s, len);

	if (c)
		return c;
	return s[len] ? -1 : 0;
}

/* The row of the filter named by the first len bytes of name, in v. */
static const struct vocab_filter_row *
filter_row_find(const struct vocab *v, const char *name, size_t len)
{
	size_t lo = 0, hi = vocab_filter_rows_len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct vocab_filter_row *r = &vocab_filter_rows[mid];
		int c = prefix_cmp(name, len, vocab_strings + r->name);

		if (!c)
			return (r->releases & v->bit) ? r : NULL;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
is_pattern(enum vocab_argtype t)
{
	return t == VOCAB_ARG_PATTERN_LITERAL || t == VOCAB_ARG_PATTERN_PREFIX ||
	       t == VOCAB_ARG_PATTERN_SUBPATH || t == VOCAB_ARG_PATTERN_REGEX;
}

/* Filter aliases of the prelude (SBPL-SEMANTICS §c, sbpl_v1.scm). */
static const struct {
	char alias[32], target[36];
} filter_aliases[] = {
	{ "literal", "path" },
	{ "path-literal", "path" },   /* old (remote unix-socket ...) syntax */
	{ "prefix", "path-prefix" },
	{ "regex", "path-regex" },
	{ "subpath", "path-subpath" },
	{ "from", "local" },
	{ "to", "remote" },
	{ "iokit-user-client-class", "iokit-registry-entry-class" },
	{ "iokit-user-client-class-regex", "iokit-registry-entry-class-regex" },
	{ "iokit-user-client-class-prefix", "iokit-registry-entry-class-prefix" },
	{ "mach-extension", "extension" },
	{ "granted-extensions", "extension" },
};

/* IR names of the path family: the names profiles write. */
static const char *
path_canonical(enum vocab_match m)
{
	switch (m) {
	case VOCAB_MATCH_PREFIX: return "prefix";
	case VOCAB_MATCH_SUBPATH: return "subpath";
	case VOCAB_MATCH_REGEX: return "regex";
	case VOCAB_MATCH_PLAIN: break;
	}
	return "literal";
}

static const char *
mount_relative_canonical(enum vocab_match m)
{
	switch (m) {
	case VOCAB_MATCH_PREFIX: return "mount-relative-prefix";
	case VOCAB_MATCH_SUBPATH: return "mount-relative-subpath";
	case VOCAB_MATCH_REGEX: return "mount-relative-regex";
	case VOCAB_MATCH_PLAIN: break;
	}
	return "mount-relative-literal";
}

/* Canonical names of derived filters, interned for the process lifetime. */
static const char *
intern_name(const char *base, const char *suffix)
{
	static struct {
		char name[80];
	} pool[512];
	static size_t npool;
	char buf[80];

	snprintf(buf, sizeof(buf), "%s%s", base, suffix);
	for (size_t i = 0; i < npool; i++)
		if (!strcmp(pool[i].name, buf))
			return pool[i].name;
	if (npool == sizeof(pool) / sizeof(pool[0]))
		return "filter";
	memcpy(pool[npool].name, buf, sizeof(buf));
	return pool[npool++].name;
}

static bool
fill_filter(const struct vocab_filter_row *e, enum vocab_match m,
	    struct vocab_filter *out)
{
	static const char suffixes[][9] = { "", "-prefix", "-subpath",
					    "-regex" };
	const char *name = vocab_strings + e->name;

	if (m != VOCAB_MATCH_PLAIN && !is_pattern(e->type))
		return false;
	/* Subpath variants only where the base accepts subpath patterns. */
	if (m == VOCAB_MATCH_SUBPATH && e->type != VOCAB_ARG_PATTERN_SUBPATH &&
	    e->type != VOCAB_ARG_PATTERN_REGEX)
		return false;
	out->base = name;
	out->category = vocab_str(e->category);
	out->type = (enum vocab_argtype)e->type;
	out->match = m;
	out->named_table = vocab_str(e->named_table);
	if (!strcmp(name, "path"))
		out->canonical = path_canonical(m);
	else if (!strcmp(name, "mount-relative-path"))
		out->canonical = mount_relative_canonical(m);
	else
		out->canonical = intern_name(name, suffixes[m]);
	return true;
}

bool
vocab_filter_find(const struct vocab *v, const char *name,
		  struct vocab_filter *out)
{
	static const struct {
		char suffix[9];
		enum vocab_match match;
	} variants[] = {
		{ "-prefix", VOCAB_MATCH_PREFIX },
		{ "-subpath", VOCAB_MATCH_SUBPATH },
		{ "-regex", VOCAB_MATCH_REGEX },
		{ "-literal", VOCAB_MATCH_PLAIN },
	};
	const struct vocab_filter_row *e;
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(filter_aliases) / sizeof(filter_aliases[0]); i++)
		if (!strcmp(name, filter_aliases[i].alias)) {
			name = filter_aliases[i].target;
			len = strlen(name);
			break;
		}
	e = filter_row_find(v, name, len);
	if (e)
		return fill_filter(e, VOCAB_MATCH_PLAIN, out);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		size_t sl = strlen(variants[i].suffix);
		char stem[80];

		if (len <= sl || strcmp(name + len - sl, variants[i].suffix))
			continue;
		e = filter_row_find(v, name, len - sl);
		if (!e && len - sl + 5 < sizeof(stem)) {
			/* mount-relative-regex: the stem drops "-path" */
			snprintf(stem, sizeof(stem), "%.*s-path",
				 (int)(len - sl), name);
			e = filter_row_find(v, stem, strlen(stem));
		}
		if (e && variants[i].match == VOCAB_MATCH_PLAIN &&
		    strcmp(vocab_strings + e->name, "mount-relative-path"))
			return false;
		if (e)
			return fill_filter(e, variants[i].match, out);
	}
	return false;
}

/* Order of vocab_named_arg_rows: by table, then name. */
static int
named_arg_cmp(const char *table, const char *name,
	      const struct vocab_named_arg_row *r)
{
	int c = strcmp(table, vocab_strings + r->table);

	return c ? c : strcmp(name, vocab_strings + r->name);
}

bool
vocab_named_arg_find(const char *table, const char *name, long long *value)
{
	size_t lo = 0, hi = vocab_named_arg_rows_len;

	if (!table)
		return false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct vocab_named_arg_row *r = &vocab_named_arg_rows[mid];
		int c = named_arg_cmp(table, name, r);

		if (!c) {
			if (value)
				*value = r->value;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool
vocab_named_arg_known(const char *name)
{
	for (size_t i = 0; i < vocab_named_arg_rows_len; i++)
		if (!strcmp(vocab_strings + vocab_named_arg_rows[i].name, name))
			return true;
	return false;
}

/* SBPL-SEMANTICS §d: action compatibility from 10.10.5 sbpl1.scm. */
static const struct {
	char name[24];
	enum vocab_mod_action action;
	signed char min_args, max_args;
	bool deprecated;
} modifier_rows[] = {
	{ "report", VOCAB_MOD_ALLOW_ONLY, 0, 0, false },
	{ "no-report", VOCAB_MOD_DENY_ONLY, 0, 0, false },
	{ "no-sandbox", VOCAB_MOD_ALLOW_ONLY, 0, 0, false },
	{ "default-sandbox", VOCAB_MOD_ALLOW_ONLY, 0, 0, false },
	{ "grant", VOCAB_MOD_ALLOW_ONLY, 0, 0, false },
	{ "rootless", VOCAB_MOD_DENY_ONLY, 0, 0, false },
	{ "send-signal", VOCAB_MOD_ANY, 1, 1, false },
	{ "message", VOCAB_MOD_ANY, 1, 1, false },
	{ "telemetry", VOCAB_MOD_ANY, 0, 1, false },
	{ "deprecated", VOCAB_MOD_ANY, 0, 1, false },
	{ "user-approval", VOCAB_MOD_ANY, 0, 1, false },
	{ "no-approval-prompt", VOCAB_MOD_ANY, 0, 0, false },
	{ "authority", VOCAB_MOD_ANY, 0, 1, false },
	{ "assign-storage-class", VOCAB_MOD_ANY, 1, 1, false },
	{ "no-times", VOCAB_MOD_ANY, 0, 0, false },
	{ "no-callout", VOCAB_MOD_ANY, 0, 0, true },
	{ "partial-symbolication", VOCAB_MOD_ANY, 0, 0, true },
	{ "termination", VOCAB_MOD_ANY, 0, 0, false },
	/* macOS 11+ (tools/vocab-newer.tsv): the errno a denial returns */
	{ "errno", VOCAB_MOD_DENY_ONLY, 1, 1, false },
};

#define NMODIFIERS (sizeof(modifier_rows) / sizeof(modifier_rows[0]))

/* The public form of modifier_rows[i], built on first use. */
static const struct vocab_modifier *
modifier_struct(size_t i)
{
	static struct vocab_modifier mods[NMODIFIERS];
	static bool built;

	if (!built) {
		for (size_t k = 0; k < NMODIFIERS; k++) {
			mods[k].name = modifier_rows[k].name;
			mods[k].action = modifier_rows[k].action;
			mods[k].min_args = modifier_rows[k].min_args;
			mods[k].max_args = modifier_rows[k].max_args;
			mods[k].deprecated = modifier_rows[k].deprecated;
		}
		built = true;
	}
	return &mods[i];
}

const struct vocab_modifier *
vocab_modifier_find(const char *name)
{
	/* sbpl_v1.scm l.323-324 */
	if (!strcmp(name, "no-log"))
		name = "no-report";
	else if (!strcmp(name, "no-profile"))
		name = "no-sandbox";
	for (size_t i = 0; i < NMODIFIERS; i++)
		if (!strcmp(modifier_rows[i].name, name))
			return modifier_struct(i);
	return NULL;
}

const char *
vocab_op_suggest(const struct vocab *v, const char *name)
{
	size_t n = vocab_op_count(v);
	const char **names = xcalloc(n + 1, sizeof(*names));
	const char *best;

	for (size_t i = 0; i < n; i++)
		names[i] = vocab_op_at(v, i)->name;
	best = suggest_closest(name, names, n);
	free(names);
	return best;
}
