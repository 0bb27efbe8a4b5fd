/* The verdict memo of `--trace` (trace_verdicts.h). */
#include "backend/trace_verdicts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* twice the entries: probes stay short at the fullest */
#define NSLOTS (2 * TRACE_VERDICTS_MAX)

static uint64_t
hash_of(enum trace_need need, const char *base, size_t blen, const char *raw,
	size_t rlen)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)need;  /* FNV-1a */

	for (size_t i = 0; i < blen; i++)
		h = (h ^ (unsigned char)base[i]) * 1099511628211ULL;
	h = (h ^ 0xffu) * 1099511628211ULL;  /* base "a" + "b" != "ab" + "" */
	for (size_t i = 0; i < rlen; i++)
		h = (h ^ (unsigned char)raw[i]) * 1099511628211ULL;
	return h;
}

void
trace_verdicts_init(struct trace_verdicts *v)
{
	memset(v, 0, sizeof(*v));
}

static void
free_entries(struct trace_verdicts *v)
{
	for (size_t i = 0; i < v->nslots; i++) {
		struct trace_verdict *e = v->slots[i];

		if (!e)
			continue;
		free(e->key);
		free(e->path);
		free(e);
		v->slots[i] = NULL;
	}
	v->nr = v->bytes = 0;
}

void
trace_verdicts_release(struct trace_verdicts *v)
{
	free_entries(v);
	free(v->slots);
	trace_verdicts_init(v);
}

static int
same_key(const struct trace_verdict *e, enum trace_need need,
	 const char *base, size_t blen, const char *raw, size_t rlen)
{
	return e->need == need && e->base_len == blen && e->raw_len == rlen &&
	       !memcmp(e->key, base, blen) &&
	       !memcmp(e->key + blen + 1, raw, rlen);
}

/* The slot of the key, or of the empty slot where it would go. */
static size_t
slot_of(const struct trace_verdicts *v, enum trace_need need,
	const char *base, size_t blen, const char *raw, size_t rlen)
{
	size_t i = (size_t)(hash_of(need, base, blen, raw, rlen) % v->nslots);

	while (v->slots[i] &&
	       !same_key(v->slots[i], need, base, blen, raw, rlen))
		i = (i + 1) % v->nslots;
	return i;
}

struct trace_verdict *
trace_verdicts_find(const struct trace_verdicts *v, enum trace_need need,
		    const char *base, const char *raw)
{
	if (!v->nslots)
		return NULL;
	return v->slots[slot_of(v, need, base, strlen(base), raw, strlen(raw))];
}

struct trace_verdict *
trace_verdicts_add(struct trace_verdicts *v, enum trace_need need,
		   const char *base, const char *raw, char *path,
		   const char *plan_how)
{
	size_t blen = strlen(base), rlen = strlen(raw);
	size_t size = blen + rlen + 2 + (path ? strlen(path) + 1 : 0);
	struct trace_verdict *e;
	size_t i;

	if (!v->slots) {
		v->slots = xcalloc(NSLOTS, sizeof(*v->slots));
		v->nslots = NSLOTS;
	}
	/* full: start over rather than grow (a program naming a million
	 * paths costs the same memory as one naming four thousand) */
	if (v->nr == TRACE_VERDICTS_MAX || v->bytes + size > TRACE_VERDICTS_BYTES) {
		free_entries(v);
		v->starts_over++;
	}
	i = slot_of(v, need, base, blen, raw, rlen);
	if (v->slots[i]) {  /* already there: the newer answer wins */
		free(v->slots[i]->path);
		v->slots[i]->path = path;
		v->slots[i]->plan_how = plan_how;
		v->slots[i]->host_known = 0;
		return v->slots[i];
	}
	e = xcalloc(1, sizeof(*e));
	e->need = need;
	e->key = xmalloc(blen + rlen + 2);
	memcpy(e->key, base, blen + 1);
	memcpy(e->key + blen + 1, raw, rlen + 1);
	e->base_len = blen;
	e->raw_len = rlen;
	e->path = path;
	e->plan_how = plan_how;
	v->slots[i] = e;
	v->nr++;
	v->bytes += size;
	return e;
}
