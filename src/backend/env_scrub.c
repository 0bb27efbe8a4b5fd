#include "backend/env_scrub.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

struct envv {
	char **v;
	size_t nr, alloc;
};

static int
name_matches(const char *pattern, const char *name, size_t len)
{
	size_t plen = strlen(pattern);

	if (plen && pattern[plen - 1] == '*')
		return len >= plen - 1 && !strncmp(pattern, name, plen - 1);
	return plen == len && !strncmp(pattern, name, len);
}

static int
inherited(const struct container_def *def, const char *var, size_t len)
{
	for (size_t i = 0; i < def->env_inherit.nr; i++)
		if (name_matches(def->env_inherit.v[i], var, len))
			return 1;
	return 0;
}

/* Set key=value, replacing an existing entry. Takes ownership of kv. */
static void
envv_put(struct envv *e, char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (size_t i = 0; i < e->nr; i++)
		if (!strncmp(e->v[i], kv, klen) && e->v[i][klen] == '=') {
			free(e->v[i]);
			e->v[i] = kv;
			return;
		}
	ALLOC_GROW(e->v, e->nr + 2, e->alloc);
	e->v[e->nr++] = kv;
	e->v[e->nr] = NULL;
}

const char *
env_get(char *const *env, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], key, klen) && env[i][klen] == '=')
			return env[i] + klen + 1;
	return NULL;
}

char **
env_scrub(const struct container_def *def, char *const *envp,
	  const char *home, const char *tmpdir)
{
	struct envv e = { NULL, 0, 0 };

	ALLOC_GROW(e.v, 1, e.alloc);
	e.v[0] = NULL;
	for (size_t i = 0; envp && envp[i]; i++) {
		const char *eq = strchr(envp[i], '=');

		if (eq && inherited(def, envp[i], (size_t)(eq - envp[i])))
			envv_put(&e, xstrdup(envp[i]));
	}
	for (size_t i = 0; i < def->nenv_set; i++)
		envv_put(&e, xasprintf("%s=%s", def->env_set[i].key,
				       def->env_set[i].value));
	if (home)
		envv_put(&e, xasprintf("HOME=%s", home));
	if (tmpdir)
		envv_put(&e, xasprintf("TMPDIR=%s", tmpdir));
	if (!env_get(e.v, "PATH"))
		envv_put(&e, xstrdup("PATH=" DEFAULT_PATH));
	return e.v;
}

void
env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}
