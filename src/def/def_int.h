/* Internals shared by the files of src/def. */
#ifndef SBOX_DEF_DEF_INT_H
#define SBOX_DEF_DEF_INT_H

#include <stddef.h>

#include "def/def.h"
#include "def/def_node.h"

/* Node tree -> definition; every problem is added to diags. */
int def_from_node(const struct def_node *root, struct diag_list *diags,
		  struct container_def *out);

/*
 * Is p a path a definition may hold: absolute, or starting with ~ or one
 * of the variables ${HOME} ${CONTAINER} ${PROJECT} ${TMPDIR}; no . or ..
 * components, no other $. On failure writes the reason to why.
 */
int def_path_check(const char *p, char *why, size_t whylen);

/* Append what base holds and child does not override into child. */
void def_merge(struct container_def *child, const struct container_def *base);

/* Checks on the merged definition (impossible combinations). */
int def_validate(const struct container_def *d, struct diag_list *diags);

void def_strlist_add(struct def_strlist *l, const char *s);
int def_strlist_has(const struct def_strlist *l, const char *s);
void def_pathlist_add(struct def_path_list *l, const char *p,
		      struct src_loc loc);
/* Keep the first occurrence of every path. */
void def_pathlist_dedupe(struct def_path_list *l);

#endif
