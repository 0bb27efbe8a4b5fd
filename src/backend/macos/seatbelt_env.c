/*
 * The program's environment on macOS: the shared scrub (backend/
 * env_scrub.h: what the definition inherits and sets, HOME, TMPDIR,
 * PATH), then the macOS parts. Cocoa and CoreFoundation ignore HOME and
 * read CFFIXED_USER_HOME first, so both are set, as the App Sandbox does
 * (MACOS.md §3.3); TMPDIR is set explicitly because dirhelper cannot be
 * relied on inside the profile.
 */
#include "backend/macos/seatbelt.h"

#include <stdlib.h>
#include <string.h>

#include "backend/env_scrub.h"
#include "util/xalloc.h"

const char *
seatbelt_env_get(char *const *envp, const char *name)
{
	return env_get(envp, name);
}

/*
 * DYLD_* never comes through, inherited or set: dyld would load what they
 * name into the program before its first instruction (MACOS.md §6.1).
 */
static int
env_is_dyld(const char *entry)
{
	return !strncmp(entry, "DYLD_", 5);
}

/*
 * The user's own temporary and cache folders (confstr
 * _CS_DARWIN_USER_TEMP_DIR / _CS_DARWIN_USER_CACHE_DIR, under
 * /private/var/folders) are shared by every app of the user: a container
 * does not get them (openai/codex#191 shows what then fails: xcrun's and
 * clang's caches). It gets its own instead: TMPDIR (env_scrub), and the
 * variables that move the caches compilers and package tools keep there
 * into the container's Library/Caches, where the definition did not set
 * them itself.
 */
#define CACHE_VARS 3

static size_t
add_cache_vars(char **envp, size_t n, const char *home)
{
	static const struct {
		const char *name, *under;
	} vars[CACHE_VARS] = {
		{ "XDG_CACHE_HOME", "" },
		{ "CLANG_MODULE_CACHE_PATH", "/clang/ModuleCache" },
		{ "SWIFTPM_MODULECACHE_OVERRIDE", "/org.swift.swiftpm/ModuleCache" },
	};

	for (size_t i = 0; i < CACHE_VARS; i++) {
		size_t len = strlen(vars[i].name);
		int set = 0;

		for (size_t k = 0; k < n; k++)
			if (!strncmp(envp[k], vars[i].name, len) && envp[k][len] == '=')
				set = 1;
		if (!set)
			envp[n++] = xasprintf("%s=%s/Library/Caches%s", vars[i].name,
					      home, vars[i].under);
	}
	return n;
}

void
seatbelt_env_build(const struct launch_request *req, const char *home,
		   const char *cf_home, const char *tmpdir,
		   struct seatbelt_plan *plan)
{
	char **scrubbed = env_scrub(req->def, req->envp, home, tmpdir);
	size_t n = 0, out = 0;

	while (scrubbed[n])
		n++;
	plan->envp = xcalloc(n + 3 + CACHE_VARS, sizeof(*plan->envp));
	for (size_t i = 0; i < n; i++) {
		if (env_is_dyld(scrubbed[i]) ||
		    !strncmp(scrubbed[i], "CFFIXED_USER_HOME=", 18) ||
		    !strncmp(scrubbed[i], "SBOX_CONTAINER=", 15))
			free(scrubbed[i]);
		else
			plan->envp[out++] = scrubbed[i];
	}
	free(scrubbed);
	if (cf_home) {
		plan->envp[out++] = xasprintf("CFFIXED_USER_HOME=%s", cf_home);
		out = add_cache_vars(plan->envp, out, cf_home);
	}
	if (req->def->name)
		plan->envp[out++] = xasprintf("SBOX_CONTAINER=%s",
					      req->def->name);
	plan->nenv = out;
}
