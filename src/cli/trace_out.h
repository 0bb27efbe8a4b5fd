/*
 * What `--trace` shows after a launch (trace_out.c): the records as JSON
 * lines in the trace file, the one-glance summary on stderr, and the
 * records as a JSON array for `sbox run --report`.
 */
#ifndef SBOX_CLI_TRACE_OUT_H
#define SBOX_CLI_TRACE_OUT_H

#include "backend/denials.h"
#include "def/def.h"
#include "util/strbuf.h"

/* The label a record's "definition" carries when the definition was
 * only grants on the command line (a run without a definition file). */
#define TRACE_COMMAND_LINE "(command line)"

/* defpath: the definition the records cite, loaded again with vars so
 * that its rules keep their file:line; or, with model, the label they
 * cite and the definition already loaded (whose rules carry their
 * presets' file:line). json_array, when given, receives "[ {...}, ... ]".
 * Returns 0, or -1 when the file cannot be written. */
int trace_out(const char *defpath, const struct container_def *model,
	      const struct def_vars *vars, const struct denials *d,
	      const char *file, int summary, struct strbuf *json_array);

#endif
