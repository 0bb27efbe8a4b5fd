/*
 * The environment a contained program gets (LINUX-SECURITY.md #34): only
 * the variables the definition inherits (exact names, or a prefix ending
 * in '*'), then the ones it sets, then HOME and TMPDIR of the container.
 * Pure, shared by both backends.
 */
#ifndef SBOX_BACKEND_ENV_SCRUB_H
#define SBOX_BACKEND_ENV_SCRUB_H

#include "def/def.h"

/* NULL-terminated heap array of heap "KEY=VALUE" strings. home/tmpdir may
 * be NULL (left as inherited or set). PATH gets a default if absent. */
char **env_scrub(const struct container_def *def, char *const *envp,
		 const char *home, const char *tmpdir);
void env_free(char **env);
/* The value of key in env, or NULL. */
const char *env_get(char *const *env, const char *key);

#endif
