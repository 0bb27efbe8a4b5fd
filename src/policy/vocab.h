/*
 * The SBPL vocabulary of one macOS release: operations (with aliases,
 * fallback operation and built-in action), filters (argument types and the
 * categories they belong to) and modifiers. Built from ../shared/sbpl-data
 * (simbple's dump of libsandbox's tables, 10.12–10.15) plus the newer
 * vocabulary of tools/vocab-newer.tsv, each row with its release and source.
 *
 * Owned by the sbpl work; the decision engine (policy/decide) only needs
 * vocab_op_find() and the fields of struct vocab_op documented here.
 *
 * Releases: "10.12" .. "10.15" (simbple's tables), "11" .. "15" (10.15's
 * tables plus what tools/vocab-newer.tsv says each release added), and
 * "latest" (everything known). "15.2" is 15; "16" or later ("26") and
 * "10.16" map to latest.
 */
#ifndef SBOX_POLICY_VOCAB_H
#define SBOX_POLICY_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

struct vocab;

enum vocab_builtin {
	VOCAB_BUILTIN_NONE = -1, /* falls back to its parent operation */
	VOCAB_BUILTIN_DENY = 0,
	VOCAB_BUILTIN_ALLOW = 1, /* allowed even under (deny default), §a.4 */
};

struct vocab_op {
	const char *name;        /* canonical name */
	const char *fallback;    /* parent operation; NULL for "default" */
	enum vocab_builtin builtin;
	/* Added for the linter (comma-separated lists, SBPL-SEMANTICS §d):
	 * filter categories the operation accepts (NULL: unknown, accept
	 * all) and modifiers it accepts. */
	const char *filter_categories;
	const char *modifiers;
};

/*
 * The vocabulary for a release such as "10.15", "14" or "latest"; NULL for
 * an unknown release. The returned table is static: never freed.
 */
const struct vocab *vocab_for_release(const char *release);
/* Canonical operation for a name or alias, or NULL. */
const struct vocab_op *vocab_op_find(const struct vocab *v, const char *name);

/* "10.15", "latest", ... */
const char *vocab_release_name(const struct vocab *v);
/* The default release: latest. */
const struct vocab *vocab_latest(void);

/*
 * Alias lookup: true when name is an operation alias in v; *target is the
 * canonical operation, or NULL when the alias is a no-op in this release
 * (rules using it are dropped, SBPL-SEMANTICS §b).
 */
bool vocab_op_alias(const struct vocab *v, const char *name,
		    const char **target);
/* Whether op accepts filters of category cat / modifier mod. */
bool vocab_op_accepts_category(const struct vocab_op *op, const char *cat);
bool vocab_op_accepts_modifier(const struct vocab_op *op, const char *mod);
/* Number of operations in v and the i-th one (for listings). */
size_t vocab_op_count(const struct vocab *v);
/* The closest operation name to a mistyped one ("file-reed*"), or NULL. */
const char *vocab_op_suggest(const struct vocab *v, const char *name);
const struct vocab_op *vocab_op_at(const struct vocab *v, size_t i);

/* Argument types of filters (simbple SB_VALUE_TYPE_*). */
enum vocab_argtype {
	VOCAB_ARG_BOOL,
	VOCAB_ARG_BITFIELD,
	VOCAB_ARG_INTEGER,
	VOCAB_ARG_STRING,
	VOCAB_ARG_PATTERN_LITERAL,
	VOCAB_ARG_PATTERN_PREFIX,
	VOCAB_ARG_PATTERN_SUBPATH,
	VOCAB_ARG_PATTERN_REGEX,
	VOCAB_ARG_REGEX,
	VOCAB_ARG_NETWORK,
};

/* How a filter name matches its argument (derived names, §c). */
enum vocab_match {
	VOCAB_MATCH_PLAIN,   /* the base filter: literal match or value */
	VOCAB_MATCH_PREFIX,
	VOCAB_MATCH_SUBPATH,
	VOCAB_MATCH_REGEX,
};

struct vocab_filter {
	const char *canonical;   /* IR name: "literal", "subpath", "global-name-regex" */
	const char *base;        /* table name: "path", "global-name" */
	const char *category;    /* "path", "mach", ... */
	enum vocab_argtype type;
	enum vocab_match match;
	const char *named_table; /* symbolic argument table, or NULL */
};

/*
 * Resolve a filter name (base, derived -prefix/-regex/-subpath variant or
 * alias such as literal/prefix/regex/from/to) for release v. Fills *out and
 * returns true, or returns false for an unknown name. canonical points
 * into static storage or into a buffer owned by the vocab module.
 */
bool vocab_filter_find(const struct vocab *v, const char *name,
		       struct vocab_filter *out);

/* Symbolic filter arguments (AF_INET, DIRECTORY, self, SYS_read, ...). */
bool vocab_named_arg_find(const char *table, const char *name, long long *value);
/* Any table holds name? */
bool vocab_named_arg_known(const char *name);

enum vocab_mod_action {
	VOCAB_MOD_ANY,
	VOCAB_MOD_ALLOW_ONLY,
	VOCAB_MOD_DENY_ONLY,
};

struct vocab_modifier {
	const char *name;        /* canonical */
	enum vocab_mod_action action;
	int min_args, max_args;
	bool deprecated;
};

/* Modifier by name or alias (no-log = no-report, no-profile = no-sandbox). */
const struct vocab_modifier *vocab_modifier_find(const char *name);

#endif
