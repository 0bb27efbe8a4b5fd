/*
 * The bounded store of denial records: a vector in first-seen order and
 * an open-addressing index on (operation, target).
 */
#include "backend/denials.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *const op_names[DENY_OP_COUNT] = {
	"read", "write", "exec", "connect", "bind", "socket", "mount", "ioctl",
	"chmod-setuid", "exec-memfd", "syscall",
};

const char *
denial_op_name(enum denial_op op)
{
	return (unsigned)op < DENY_OP_COUNT ? op_names[op] : "?";
}

int
denial_op_parse(const char *name, enum denial_op *op)
{
	for (int i = 0; i < DENY_OP_COUNT; i++)
		if (!strcmp(name, op_names[i])) {
			*op = (enum denial_op)i;
			return 0;
		}
	return -1;
}

void
denials_init(struct denials *d)
{
	memset(d, 0, sizeof(*d));
}

void
denials_release(struct denials *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		free(d->v[i].target);
		free(d->v[i].program);
	}
	free(d->v);
	free(d->slots);
	denials_init(d);
}

/* FNV-1a of the operation and the target. */
static size_t
key_hash(enum denial_op op, const char *target)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)op;

	for (const unsigned char *p = (const unsigned char *)target; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

/* The slot holding (op, target), or the empty one where it would go. */
static size_t *
slot_of(const struct denials *d, enum denial_op op, const char *target)
{
	size_t i = key_hash(op, target) & (d->nslots - 1);

	for (;; i = (i + 1) & (d->nslots - 1)) {
		const struct denial *e;

		if (!d->slots[i])
			return &d->slots[i];
		e = &d->v[d->slots[i] - 1];
		if (e->op == op && !strcmp(e->target, target))
			return &d->slots[i];
	}
}

struct denial *
denials_find(const struct denials *d, enum denial_op op, const char *target)
{
	size_t *s;

	if (!d->nslots)
		return NULL;
	s = slot_of(d, op, target);
	return *s ? &d->v[*s - 1] : NULL;
}

static void
index_grow(struct denials *d)
{
	free(d->slots);
	d->nslots = d->nslots ? d->nslots * 2 : 64;
	d->slots = xcalloc(d->nslots, sizeof(*d->slots));
	for (size_t i = 0; i < d->nr; i++)
		*slot_of(d, d->v[i].op, d->v[i].target) = i + 1;
}

struct denial *
denials_add(struct denials *d, enum denial_op op, const char *target,
	    const char *program, pid_t pid, double when, const char *how)
{
	struct denial *e = denials_find(d, op, target);

	d->total++;
	if (e) {
		e->count++;
		return e;
	}
	if (d->nr == DENIALS_MAX_DISTINCT) {
		d->dropped++;
		return NULL;
	}
	if (2 * (d->nr + 1) > d->nslots)
		index_grow(d);
	if (d->nr == d->alloc)
		d->v = xrealloc(d->v, (d->alloc = d->alloc ? 2 * d->alloc : 16) *
				sizeof(*d->v));
	e = &d->v[d->nr++];
	e->op = op;
	e->target = xstrdup(target);
	e->program = xstrdup(program ? program : "?");
	e->pid = pid;
	e->first = when;
	e->count = 1;
	e->how = how;
	e->err = 0;
	*slot_of(d, op, target) = d->nr;
	return e;
}
