/*
 * Grants on the command line (--preset, --read, --write, --exec, --deny,
 * --net, --env) for launch, run and compile. They do not patch a loaded
 * definition: they build a definition document that `extends` the
 * definition named (or the presets, or "base" when there is neither) and
 * adds the grants, and that document goes through def_load_doc(), the
 * loader and merger every definition file goes through. So a command line
 * means exactly what the equivalent file means, and `sbox compile --format
 * json` prints it as a file.
 */
#ifndef SBOX_CLI_GRANTS_H
#define SBOX_CLI_GRANTS_H

#include "cli/opts.h"
#include "def/def.h"

struct cli_grants {
	struct def_strlist presets;              /* in command-line order */
	struct def_strlist read, write, exec, deny; /* absolute or ~ / ${VAR} */
	struct def_strlist env;                  /* NAME or NAME=VALUE */
	const char *net;
	int given;                               /* any of the above */
};

/* The option table; the group's ctx is a struct cli_grants. */
extern const struct cli_opt cli_grant_opts[];

void cli_grants_release(struct cli_grants *g);

/*
 * The document for g on top of base (a definition file, or NULL), named
 * name (NULL: none). Heap JSON text.
 */
char *cli_grants_document(const struct cli_grants *g, const char *base,
			  const char *name);

/*
 * Load what the command line names: the definition file base as it is
 * when no grant was given, else the document above (whose name is
 * name_override, else base's own). Diagnostics are printed; -D vars
 * applied as cli_def_load does. Returns 0 or an exit status.
 */
int cli_def_load_grants(const char *base, const struct cli_grants *g,
			const char *name_override, const struct def_vars *vars,
			struct src_set *srcs, struct container_def *out);

/* The name the source of the document has in diagnostics. */
#define CLI_GRANTS_SOURCE "(command line)"

#endif
