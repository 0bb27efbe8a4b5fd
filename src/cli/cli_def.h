/* Helpers shared by the commands that take a definition (compile, explain, check). */
#ifndef SBOX_CLI_CLI_DEF_H
#define SBOX_CLI_CLI_DEF_H

#include "def/def.h"
#include "util/diag.h"

#include <stdio.h>

/* Colour for out: a terminal, NO_COLOR unset or empty, TERM not dumb. */
int cli_use_colour(FILE *out);
/* Write every diagnostic, in list order, to out as file:line:col text
 * (coloured as GCC does when cli_use_colour(out)). */
void cli_write_diags(const struct diag_list *diags, FILE *out);
/* Print every diagnostic (sorted) to stderr as file:line:col text. */
void cli_print_diags(struct diag_list *diags);

/*
 * Load a definition, print its diagnostics, and apply -D values
 * (HOME, CONTAINER, PROJECT, TMPDIR; unset ones stay variables).
 * Returns 0, or the exit code to use (EXIT_USAGE).
 */
int cli_def_load(const char *path, const struct def_vars *vars,
		 struct src_set *srcs, struct container_def *out);

/* Parse one -D KEY=VALUE for a definition into vars; -1 if KEY is unknown. */
int cli_def_var(const char *kv, struct def_vars *vars);

/* Does the file look like a definition (.json, .plist) rather than SBPL? */
int cli_is_definition(const char *path);

#endif
