#include "def/def_node.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct def_node *
def_node_add(struct def_node *parent)
{
	struct def_node *n;

	ALLOC_GROW(parent->kids, parent->nkids + 1, parent->alloc);
	n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof(*n));
	return n;
}

void
def_node_release(struct def_node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		def_node_release(&n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n->str);
	memset(n, 0, sizeof(*n));
}

const char *
def_node_kind_name(enum def_node_kind kind)
{
	switch (kind) {
	case DN_NULL:
		return "null";
	case DN_BOOL:
		return "boolean";
	case DN_INT:
		return "integer";
	case DN_REAL:
		return "real number";
	case DN_STRING:
		return "string";
	case DN_ARRAY:
		return "array";
	case DN_OBJECT:
		return "object";
	}
	return "value";
}
