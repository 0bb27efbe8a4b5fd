/* sbox explain --target linux (explain_linux.c). */
#ifndef SBOX_CLI_EXPLAIN_LINUX_H
#define SBOX_CLI_EXPLAIN_LINUX_H

#include "def/def.h"

/* Print the plan's decision; returns 0 allow, 1 deny, 2 bad input. */
int explain_linux(const struct container_def *def, const struct def_vars *vars,
		  const char *op, const char *arg, int json);

#endif
