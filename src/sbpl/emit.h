/*
 * SBPL emission: a container definition -> canonical SBPL text for macOS.
 * Paths are not inlined: each becomes (param "KEY") and its value is
 * appended to params as a KEY, VALUE pair, so one compiled profile serves
 * every user (DESIGN.md "Definitions"); the darwin backend hands params to
 * sandbox_init_with_parameters and `sbox check -D` accepts them.
 */
#ifndef SBOX_SBPL_EMIT_H
#define SBOX_SBPL_EMIT_H

#include "def/def.h"
#include "util/err.h"
#include "util/strbuf.h"

/*
 * Append the profile to out and the parameters (flat KEY, VALUE, ...) to
 * params. def should already be resolved (def_resolve) for a launch; for
 * `sbox compile` unresolved variables become parameters of their own.
 */
int sbpl_emit_def(const struct container_def *def, struct strbuf *out,
		  struct def_strlist *params, struct sbox_err *err);

struct policy;

/*
 * The same, also appending to ir (policy_init'ed by the caller) the rules
 * written, in the same order, with path filters holding the paths
 * themselves and locations pointing into the definition: what
 * `sbox explain DEFINITION` decides on. sbpl.import and sbpl.raw are
 * written to out but not added to ir.
 */
int sbpl_emit_def_ir(const struct container_def *def, struct strbuf *out,
		     struct def_strlist *params, struct policy *ir,
		     struct sbox_err *err);

#endif
