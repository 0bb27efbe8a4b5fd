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

/*
 * A bare template name (no '/') must be a shipped template or a file next
 * to the definition, as container creation will look for it: an error
 * with the closest shipped name otherwise, found now rather than at create.
 */
int def_template_check(const char *name, struct src_loc loc,
		       struct diag_list *diags);
/* " (did you mean 'x'?)" for the closest preset to name, or "". */
void def_preset_hint(const char *name, char *out, size_t outlen);

/* Keep the first occurrence of every path. */
void def_pathlist_dedupe(struct def_path_list *l);

#endif
