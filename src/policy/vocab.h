/*
 * The SBPL vocabulary of one macOS release: operations (with aliases,
 * fallback operation and built-in action), filters (argument types and the
 * categories they belong to) and modifiers. Built from ../shared/sbpl-data
 * (simbple's dump of libsandbox's tables, 10.12–10.15) plus the newer
 * operations of SBPL-SEMANTICS.md §b.
 *
 * Owned by the sbpl work; the decision engine (policy/decide) only needs
 * vocab_op_find() and the fields of struct vocab_op documented here.
 */
#ifndef SBOX_POLICY_VOCAB_H
#define SBOX_POLICY_VOCAB_H

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
};

/*
 * The vocabulary for a release such as "10.15", "14" or "latest"; NULL for
 * an unknown release. The returned table is static: never freed.
 */
const struct vocab *vocab_for_release(const char *release);
/* Canonical operation for a name or alias, or NULL. */
const struct vocab_op *vocab_op_find(const struct vocab *v, const char *name);

#endif
