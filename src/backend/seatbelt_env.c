/*
 * The program's environment on macOS: scrubbed to what the definition
 * inherits and sets, then pointed at the container. Cocoa and
 * CoreFoundation ignore HOME and read CFFIXED_USER_HOME first, so both are
 * set, as the App Sandbox does (MACOS.md §3.3); TMPDIR is set explicitly
 * because dirhelper cannot be relied on inside the profile.
 */
#include "backend/seatbelt.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define DEFAULT_PATH "/usr/bin:/bin:/usr/sbin:/sbin"

struct env_list {
	char **v;
	size_t nr, alloc;
};

static size_t
env_name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? (size_t)(eq - entry) : strlen(entry);
}

/* Set key=value, replacing an earlier value of key. */
static void
env_put(struct env_list *l, const char *key, const char *value)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < l->nr; i++) {
		if (env_name_len(l->v[i]) == n && !strncmp(l->v[i], key, n)) {
			free(l->v[i]);
			l->v[i] = xasprintf("%s=%s", key, value);
			return;
		}
	}
	ALLOC_GROW(l->v, l->nr + 2, l->alloc);
	l->v[l->nr++] = xasprintf("%s=%s", key, value);
	l->v[l->nr] = NULL;
}

/* NAME matches exactly; PREFIX* matches every name starting with PREFIX. */
static int
env_pattern_match(const char *pat, const char *name, size_t n)
{
	size_t plen = strlen(pat);

	if (plen && pat[plen - 1] == '*')
		return n >= plen - 1 && !strncmp(name, pat, plen - 1);
	return plen == n && !strncmp(name, pat, n);
}

/*
 * DYLD_* never comes through: dyld would load what they name into the
 * program before its first instruction (MACOS.md §6.1).
 */
static int
env_inherited(const struct container_def *def, const char *entry, size_t n)
{
	if (n >= 5 && !strncmp(entry, "DYLD_", 5))
		return 0;
	for (size_t i = 0; i < def->env_inherit.nr; i++)
		if (env_pattern_match(def->env_inherit.v[i], entry, n))
			return 1;
	return 0;
}

const char *
seatbelt_env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], name, n) && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

void
seatbelt_env_build(const struct launch_request *req, const char *home,
		   const char *cf_home, const char *tmpdir,
		   struct seatbelt_plan *plan)
{
	const struct container_def *def = req->def;
	struct env_list l = { NULL, 0, 0 };

	for (size_t i = 0; req->envp && req->envp[i]; i++) {
		const char *e = req->envp[i];
		size_t n = env_name_len(e);
		char *key;

		if (!e[n] || !env_inherited(def, e, n))
			continue;
		key = xstrndup(e, n);
		env_put(&l, key, e + n + 1);
		free(key);
	}
	for (size_t i = 0; i < def->nenv_set; i++)
		env_put(&l, def->env_set[i].key, def->env_set[i].value);
	env_put(&l, "HOME", home);
	if (cf_home)
		env_put(&l, "CFFIXED_USER_HOME", cf_home);
	env_put(&l, "TMPDIR", tmpdir);
	if (def->name)
		env_put(&l, "SBOX_CONTAINER", def->name);
	if (!seatbelt_env_get(l.v, "PATH"))
		env_put(&l, "PATH", DEFAULT_PATH);
	plan->envp = l.v;
	plan->nenv = l.nr;
}
