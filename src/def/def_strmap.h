/*
 * A small string -> index hash map (open addressing, FNV-1a) so that
 * building and emitting definitions with 10,000 paths stays linear.
 * Keys are borrowed: they must outlive the map.
 */
#ifndef SBOX_DEF_DEF_STRMAP_H
#define SBOX_DEF_DEF_STRMAP_H

#include <stddef.h>

struct def_strmap_slot {
	const char *key;
	size_t value;
};

struct def_strmap {
	struct def_strmap_slot *slots;
	size_t nslots, nused;
};

void def_strmap_init(struct def_strmap *m);
void def_strmap_release(struct def_strmap *m);
/* Pointer to the value of key, or NULL. */
size_t *def_strmap_get(const struct def_strmap *m, const char *key);
/* Insert key (if absent) with value; returns the stored value's pointer. */
size_t *def_strmap_put(struct def_strmap *m, const char *key, size_t value);

#endif
