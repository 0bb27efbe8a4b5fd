#include "sbpl/path_index.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Strings are hashed as a polynomial over their bytes, so the hash of
 * path[0..k+1) follows from that of path[0..k) in one step; a slot keeps
 * the string and every hit is confirmed by comparing it, so a collision
 * costs a comparison, never a wrong answer.
 */
#define HASH_BASE 0x100000001b3ull

struct pidx_slot {
	uint64_t hash;     /* 0: empty */
	const char *s;
	size_t len;
	uint32_t group;
	uint32_t kind;
	size_t value;
};

struct pidx_sorted {
	uint32_t group;
	const char *s;
	size_t len;
	size_t id;
};

static uint64_t
mix(uint64_t h)
{
	/* splitmix64's finaliser: spreads the bits over the whole word */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h | 1;   /* never 0, the empty-slot mark */
}

static uint64_t
key_hash(uint64_t strhash, size_t len, uint32_t group, enum atom_kind kind)
{
	return mix(strhash ^ ((uint64_t)len << 40) ^
		   (((uint64_t)group << 2 | (uint64_t)kind) *
		    0x9e3779b97f4a7c15ull));
}

static uint64_t
str_hash(const char *s, size_t len)
{
	uint64_t h = 0;

	for (size_t i = 0; i < len; i++)
		h = h * HASH_BASE + (unsigned char)s[i];
	return h;
}

void
pidx_init(struct path_index *x, enum pidx_keep keep, size_t capacity,
	  size_t ngroups)
{
	size_t n = 16;

	memset(x, 0, sizeof(*x));
	while (n < 2 * capacity)
		n <<= 1;
	x->keep = keep;
	x->slots = xcalloc(n, sizeof(*x->slots));
	x->mask = n - 1;
	x->ngroups = ngroups;
	x->kinds = xcalloc(ngroups ? ngroups * ATOM_KINDS : 1,
			   sizeof(*x->kinds));
}

void
pidx_release(struct path_index *x)
{
	free(x->slots);
	free(x->kinds);
	free(x->sorted);
	free(x->tree);
	free(x->place);
	memset(x, 0, sizeof(*x));
}

static struct pidx_slot *
slot_find(struct path_index *x, uint64_t h, uint32_t group,
	  enum atom_kind kind, const char *s, size_t len)
{
	for (size_t i = h & x->mask;; i = (i + 1) & x->mask) {
		struct pidx_slot *sl = &x->slots[i];

		if (!sl->hash || (sl->hash == h && sl->group == group &&
				  sl->kind == (uint32_t)kind && sl->len == len &&
				  !memcmp(sl->s, s, len)))
			return sl;
	}
}

int
pidx_has_kind(const struct path_index *x, uint32_t group, enum atom_kind kind)
{
	return group < x->ngroups && x->kinds[group * ATOM_KINDS + kind] > 0;
}

static void
tree_set(struct path_index *x, size_t pos, size_t v)
{
	size_t i = pos + x->nsorted;

	x->tree[i] = v;
	for (i >>= 1; i >= 1; i >>= 1) {
		size_t l = x->tree[2 * i], r = x->tree[2 * i + 1];

		x->tree[i] = l < r ? l : r;
	}
}

void
pidx_insert(struct path_index *x, uint32_t group, const struct atom *a,
	    size_t v, size_t id)
{
	uint64_t h = key_hash(str_hash(a->s, a->len), a->len, group, a->kind);
	struct pidx_slot *sl = slot_find(x, h, group, a->kind, a->s, a->len);

	if (!sl->hash) {
		*sl = (struct pidx_slot){ h, a->s, a->len, group,
					  (uint32_t)a->kind, v };
		x->kinds[group * ATOM_KINDS + a->kind]++;
	} else if (x->keep == PIDX_KEEP_LAST) {
		sl->value = v;
	}
	if (x->tree)
		tree_set(x, x->place[id], v);
}

static int
sorted_cmp(const void *pa, const void *pb)
{
	const struct pidx_sorted *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

void
pidx_announce(struct path_index *x, uint32_t group, const struct atom *a,
	      size_t id)
{
	/* ids are 0, 1, 2, ... in order: the sorted array starts as a list */
	ALLOC_GROW(x->sorted, id + 1, x->sorted_alloc);
	x->sorted[id] = (struct pidx_sorted){ group, a->s, a->len, id };
	x->nsorted = id + 1;
}

void
pidx_prepare(struct path_index *x)
{
	size_t n = x->nsorted;

	if (n)
		qsort(x->sorted, n, sizeof(*x->sorted), sorted_cmp);
	/* an announced id's place in the order, so insert can find it */
	x->place = xcalloc(n ? n : 1, sizeof(*x->place));
	for (size_t i = 0; i < n; i++)
		x->place[x->sorted[i].id] = i;
	x->tree = xmalloc((2 * n + 1) * sizeof(*x->tree));
	for (size_t i = 0; i < 2 * n + 1; i++)
		x->tree[i] = PIDX_NONE;
}

void
pidx_above(struct path_index *x, uint32_t group, const char *path,
	   size_t len, unsigned kinds_mask, pidx_found_fn fn, void *ctx)
{
	int want_lit = (kinds_mask & (1u << ATOM_LITERAL)) &&
		       pidx_has_kind(x, group, ATOM_LITERAL);
	int want_sub = (kinds_mask & (1u << ATOM_SUBPATH)) &&
		       pidx_has_kind(x, group, ATOM_SUBPATH);
	int want_pre = (kinds_mask & (1u << ATOM_PREFIX)) &&
		       pidx_has_kind(x, group, ATOM_PREFIX);
	uint64_t h = 0;

	if (want_sub && len && path[0] == '/') {
		struct pidx_slot *sl;

		x->work++;
		sl = slot_find(x, key_hash(str_hash("/", 1), 1, group,
					   ATOM_SUBPATH), group, ATOM_SUBPATH,
			       "/", 1);
		if (sl->hash && fn(ctx, ATOM_SUBPATH, 1, sl->value))
			return;
	}
	for (size_t k = 0;; k++) {
		int end = k == len;
		enum atom_kind kinds[3];
		size_t nk = 0;

		if (want_pre)
			kinds[nk++] = ATOM_PREFIX;
		if (want_sub && (end || path[k] == '/'))
			kinds[nk++] = ATOM_SUBPATH;
		if (want_lit && end)
			kinds[nk++] = ATOM_LITERAL;
		for (size_t i = 0; i < nk; i++) {
			uint64_t kh = key_hash(h, k, group, kinds[i]);
			struct pidx_slot *sl;

			x->work++;
			sl = slot_find(x, kh, group, kinds[i], path, k);
			if (sl->hash && fn(ctx, kinds[i], k, sl->value))
				return;
		}
		if (end)
			return;
		h = h * HASH_BASE + (unsigned char)path[k];
	}
}

/* First place in the sorted order at or after (group, pre): past == 0;
 * or the first place past every string starting with pre: past == 1. */
static size_t
sorted_bound(const struct path_index *x, uint32_t group, const char *pre,
	     size_t n, int past)
{
	size_t lo = 0, hi = x->nsorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pidx_sorted *e = &x->sorted[mid];
		int c;

		if (e->group != group) {
			c = e->group < group ? -1 : 1;
		} else {
			size_t m = e->len < n ? e->len : n;

			c = memcmp(e->s, pre, m);
			if (!c && e->len < n)
				c = -1;   /* a proper prefix of pre sorts first */
		}
		if (c < 0 || (past && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
pidx_below_min(struct path_index *x, uint32_t group, const char *pre,
	       size_t n)
{
	size_t l = sorted_bound(x, group, pre, n, 0);
	size_t r = sorted_bound(x, group, pre, n, 1);
	size_t best = PIDX_NONE;

	x->work++;
	for (l += x->nsorted, r += x->nsorted; l < r; l >>= 1, r >>= 1) {
		if (l & 1) {
			size_t v = x->tree[l++];

			best = v < best ? v : best;
		}
		if (r & 1) {
			size_t v = x->tree[--r];

			best = v < best ? v : best;
		}
	}
	return best;
}

