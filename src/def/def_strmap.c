#include "def/def_strmap.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
def_strmap_init(struct def_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
def_strmap_release(struct def_strmap *m)
{
	free(m->slots);
	def_strmap_init(m);
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t
find_slot(const struct def_strmap_slot *slots, size_t n, const char *key)
{
	size_t j = hash_str(key) & (n - 1);

	while (slots[j].key && strcmp(slots[j].key, key))
		j = (j + 1) & (n - 1);
	return j;
}

static void
grow(struct def_strmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64;
	struct def_strmap_slot *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < m->nslots; i++)
		if (m->slots[i].key)
			slots[find_slot(slots, n, m->slots[i].key)] = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
}

size_t *
def_strmap_get(const struct def_strmap *m, const char *key)
{
	size_t j;

	if (!m->nslots)
		return NULL;
	j = find_slot(m->slots, m->nslots, key);
	return m->slots[j].key ? &m->slots[j].value : NULL;
}

size_t *
def_strmap_put(struct def_strmap *m, const char *key, size_t value)
{
	size_t j;

	if ((m->nused + 1) * 2 > m->nslots)
		grow(m);
	j = find_slot(m->slots, m->nslots, key);
	if (!m->slots[j].key) {
		m->slots[j].key = key;
		m->slots[j].value = value;
		m->nused++;
	}
	return &m->slots[j].value;
}
