/*
 * An index of path atoms (literal, subpath, prefix strings) by group
 * (an operation and an action), answering "which rule's atom relates to
 * this path" without comparing it with every rule: the decision-model
 * lints (lint_decide.c) run in time linear in the profile's size instead
 * of quadratic.
 *
 * Two kinds of question:
 *   - above: atoms whose string is the path itself or one of its
 *     prefixes (a subpath that contains the path, a prefix it starts
 *     with). Answered by hash look-ups of the path's prefixes, each
 *     prefix hashed incrementally, so a path of n bytes costs O(n).
 *   - below: atoms whose string starts with a given string (what lies
 *     under a subpath or prefix). Every atom is known in advance, so
 *     they are sorted once and a range of that order is one question to
 *     a segment tree of the values inserted so far.
 *
 * Each atom carries a value, a rule index. PIDX_KEEP_FIRST keeps the
 * first value inserted for a key, PIDX_KEEP_LAST the last; a lint that
 * walks rules backwards gets the latest or the nearest later rule.
 */
#ifndef SBOX_SBPL_PATH_INDEX_H
#define SBOX_SBPL_PATH_INDEX_H

#include <stddef.h>
#include <stdint.h>

enum atom_kind { ATOM_LITERAL, ATOM_SUBPATH, ATOM_PREFIX, ATOM_KINDS };

struct atom {
	enum atom_kind kind;
	const char *s;
	size_t len;
};

#define PIDX_NONE SIZE_MAX

enum pidx_keep { PIDX_KEEP_FIRST, PIDX_KEEP_LAST };

struct pidx_slot;

struct path_index {
	enum pidx_keep keep;
	struct pidx_slot *slots;   /* open addressing, power of two */
	size_t mask;
	size_t *kinds;             /* per group and kind: atoms inserted */
	size_t ngroups;
	/* below: every atom that may be inserted, sorted by group, string */
	struct pidx_sorted *sorted;
	size_t nsorted, sorted_alloc;
	size_t *place;             /* announced id -> place in sorted */
	size_t *tree;              /* segment tree of minimum values */
	unsigned long work;        /* look-ups made (tests read it) */
};

/*
 * capacity: the most atoms that will be inserted; ngroups: group ids are
 * below it. With below (min values only) every atom that will be
 * inserted must be announced first with pidx_announce, then
 * pidx_prepare called once.
 */
void pidx_init(struct path_index *x, enum pidx_keep keep, size_t capacity,
	       size_t ngroups);
void pidx_release(struct path_index *x);
void pidx_announce(struct path_index *x, uint32_t group, const struct atom *a,
		   size_t id);
void pidx_prepare(struct path_index *x);

/* Insert atom a of group with value v; id as announced (or 0). */
void pidx_insert(struct path_index *x, uint32_t group, const struct atom *a,
		 size_t v, size_t id);

/* Does the group hold an atom of this kind? */
int pidx_has_kind(const struct path_index *x, uint32_t group,
		  enum atom_kind kind);

/*
 * Callback for pidx_above: for the prefix path[0..k) (k == len: the
 * whole path) of kind found with value v. Return nonzero to stop.
 */
typedef int (*pidx_found_fn)(void *ctx, enum atom_kind kind, size_t k,
			     size_t v);
/*
 * Visit every inserted atom of group whose string is path[0..k) for some
 * k, for the kinds in kinds_mask (1 << ATOM_*). Literals are only looked
 * for at k == len, subpaths where path[k] is '/' or k == len, and "/"
 * whenever the path starts with '/', prefixes at every k.
 */
void pidx_above(struct path_index *x, uint32_t group, const char *path,
		size_t len, unsigned kinds_mask, pidx_found_fn fn, void *ctx);

/*
 * Smallest value among inserted atoms of group (any kind) whose string
 * starts with pre[0..n); PIDX_NONE when none.
 */
size_t pidx_below_min(struct path_index *x, uint32_t group, const char *pre,
		      size_t n);

#endif
