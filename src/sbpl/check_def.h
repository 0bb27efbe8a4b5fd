/*
 * `sbox check DEFINITION`: validate a container definition, compile it
 * (sbpl/emit.h) and evaluate and lint the profile it compiles to, so a
 * definition gets the same findings a hand-written profile would.
 */
#ifndef SBOX_SBPL_CHECK_DEF_H
#define SBOX_SBPL_CHECK_DEF_H

#include "sbpl/sbpl.h"

/*
 * Variables come from opts->params (HOME, CONTAINER, PROJECT, TMPDIR),
 * else from the environment ($HOME, the current folder, $TMPDIR) or a
 * stand-in below $HOME for ${CONTAINER}. Findings on the profile are
 * located in an in-memory file named "<path> (compiled)". Returns as
 * sbpl_eval_file: 0 no error, 1 errors diagnosed, -1 unreadable.
 */
int sbpl_check_def(const char *path, const struct sbpl_opts *opts,
		   struct src_set *srcs, struct diag_list *diags);

#endif
