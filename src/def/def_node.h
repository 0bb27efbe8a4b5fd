/*
 * A located value tree: what the JSON and plist readers both produce and
 * the schema walker (def_schema.c) consumes, so the two formats share one
 * set of checks and one set of messages. Internal to src/def.
 */
#ifndef SBOX_DEF_DEF_NODE_H
#define SBOX_DEF_DEF_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

enum def_node_kind {
	DN_NULL,
	DN_BOOL,
	DN_INT,
	DN_REAL,
	DN_STRING,
	DN_ARRAY,
	DN_OBJECT,
};

struct def_node {
	enum def_node_kind kind;
	struct src_loc loc;      /* the value */
	char *key;               /* member of an object: its key, else NULL */
	struct src_loc key_loc;
	char *str;               /* DN_STRING */
	int64_t num;             /* DN_INT, DN_BOOL */
	struct def_node *kids;   /* DN_ARRAY elements, DN_OBJECT members */
	size_t nkids, alloc;
};

/* Append a zeroed child and return it (pointer valid until the next add). */
struct def_node *def_node_add(struct def_node *parent);
void def_node_release(struct def_node *n);
const char *def_node_kind_name(enum def_node_kind kind);

/* Readers: 0 on success, -1 after adding diagnostics. */
int def_json_read(const struct src_file *f, struct diag_list *diags,
		  struct def_node *out);
int def_plist_read(const struct src_file *f, struct diag_list *diags,
		   struct def_node *out);

#endif
