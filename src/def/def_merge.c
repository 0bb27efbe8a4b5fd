/*
 * Lists, path checks, `extends` merging and the checks that need the
 * whole merged definition.
 */
#include "def/def_int.h"
#include "def/def_strmap.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
def_strlist_add(struct def_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

int
def_strlist_has(const struct def_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

/* Duplicates are dropped once, at the end of def_load (def_pathlist_dedupe). */
void
def_pathlist_add(struct def_path_list *l, const char *p, struct src_loc loc)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr].path = xstrdup(p);
	l->v[l->nr++].loc = loc;
}

void
def_pathlist_append(struct def_path_list *l, const char *p)
{
	struct src_loc none = { NULL, 0, 0 };

	def_pathlist_add(l, p, none);
}

void
def_pathlist_dedupe(struct def_path_list *l)
{
	struct def_strmap seen;
	size_t w = 0;

	def_strmap_init(&seen);
	for (size_t i = 0; i < l->nr; i++) {
		if (def_strmap_get(&seen, l->v[i].path)) {
			free(l->v[i].path);
			continue;
		}
		l->v[w] = l->v[i];
		def_strmap_put(&seen, l->v[w].path, w);
		w++;
	}
	l->nr = w;
	def_strmap_release(&seen);
}

static const char *const path_vars[] = { "HOME", "CONTAINER", "PROJECT", "TMPDIR" };

/* Length of a leading ${VAR} naming a known variable, else 0. */
static size_t
known_var_len(const char *p)
{
	for (size_t i = 0; i < sizeof(path_vars) / sizeof(path_vars[0]); i++) {
		size_t n = strlen(path_vars[i]);

		if (!strncmp(p + 2, path_vars[i], n) && p[2 + n] == '}')
			return n + 3;
	}
	return 0;
}

static int
check_components(const char *p, char *why, size_t whylen)
{
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");

		if ((n == 1 && c[0] == '.') || (n == 2 && !strncmp(c, "..", 2))) {
			snprintf(why, whylen, "'%s' has a '%.*s' component (write the path it means)",
				 p, (int)n, c);
			return -1;
		}
		c += n;
		while (*c == '/')
			c++;
	}
	return 0;
}

int
def_path_check(const char *p, char *why, size_t whylen)
{
	const char *rest = p;

	if (!*p) {
		snprintf(why, whylen, "empty path");
		return -1;
	}
	for (const char *c = p; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(why, whylen, "path holds a control character (0x%02x)",
				 (unsigned char)*c);
			return -1;
		}
	}
	if (p[0] == '~') {
		if (p[1] && p[1] != '/') {
			snprintf(why, whylen, "'%s': only ~ and ~/... are supported, not ~user", p);
			return -1;
		}
		rest = p + 1;
	} else if (p[0] == '$') {
		size_t n = p[1] == '{' ? known_var_len(p) : 0;

		if (!n) {
			snprintf(why, whylen,
				 "'%s': unknown variable (use ~, ${HOME}, ${CONTAINER}, ${PROJECT} or ${TMPDIR})",
				 p);
			return -1;
		}
		if (p[n] && p[n] != '/') {
			snprintf(why, whylen, "'%s': a variable must be followed by '/'", p);
			return -1;
		}
		rest = p + n;
	} else if (p[0] != '/') {
		snprintf(why, whylen,
			 "'%s' is a relative path (paths start with /, ~ or ${VAR})", p);
		return -1;
	}
	if (strchr(rest, '$')) {
		snprintf(why, whylen,
			 "'%s': variables may only start a path", p);
		return -1;
	}
	return check_components(p, why, whylen);
}

static void
merge_strlist(struct def_strlist *child, const struct def_strlist *base)
{
	for (size_t i = 0; i < base->nr; i++)
		if (!def_strlist_has(child, base->v[i]))
			def_strlist_add(child, base->v[i]);
}

static void
merge_paths(struct def_path_list *child, const struct def_path_list *base)
{
	for (size_t i = 0; i < base->nr; i++)
		def_pathlist_add(child, base->v[i].path, base->v[i].loc);
}

static void
merge_ports(struct def_ports *child, const struct def_ports *base)
{
	for (size_t i = 0; i < base->nr; i++) {
		size_t j;

		for (j = 0; j < child->nr && child->v[j] != base->v[i]; j++)
			;
		if (j < child->nr)
			continue;
		ALLOC_GROW(child->v, child->nr + 1, child->alloc);
		child->v[child->nr++] = base->v[i];
	}
}

static void
merge_str(char **child, const char *base)
{
	if (!*child && base)
		*child = xstrdup(base);
}

static void
merge_env(struct container_def *child, const struct container_def *base)
{
	for (size_t i = 0; i < base->nenv_set; i++) {
		size_t j;

		for (j = 0; j < child->nenv_set; j++)
			if (!strcmp(child->env_set[j].key, base->env_set[i].key))
				break;
		if (j < child->nenv_set)
			continue;
		ALLOC_GROW(child->env_set, child->nenv_set + 1, child->env_set_alloc);
		child->env_set[child->nenv_set].key = xstrdup(base->env_set[i].key);
		child->env_set[child->nenv_set++].value = xstrdup(base->env_set[i].value);
	}
}

static void
merge_limit(uint64_t *child, uint64_t base)
{
	if (!*child)
		*child = base;
}

/*
 * Lists are unions (path semantics are order-independent anyway); a
 * scalar the child wrote wins over the base's.
 */
void
def_merge(struct container_def *child, const struct container_def *base)
{
	/* name and identifier belong to the definition itself, not its bases */
	if (!child->program.nr) {
		merge_strlist(&child->program, &base->program);
		child->program_loc = base->program_loc;
	}
	if (!child->has_home && base->has_home) {
		child->home = base->home;
		child->has_home = 1;
		child->home_loc = base->home_loc;
	}
	merge_str(&child->template_name, base->template_name);
	merge_str(&child->root, base->root);
	merge_paths(&child->fs_read, &base->fs_read);
	merge_paths(&child->fs_write, &base->fs_write);
	merge_paths(&child->fs_exec, &base->fs_exec);
	merge_paths(&child->fs_deny, &base->fs_deny);
	if (!child->has_network && base->has_network) {
		child->network = base->network;
		child->has_network = 1;
		child->network_loc = base->network_loc;
		merge_ports(&child->net_outbound, &base->net_outbound);
		merge_ports(&child->net_bind, &base->net_bind);
	}
	merge_strlist(&child->env_inherit, &base->env_inherit);
	merge_env(child, base);
	merge_limit(&child->limits.cpu_seconds, base->limits.cpu_seconds);
	merge_limit(&child->limits.open_files, base->limits.open_files);
	merge_limit(&child->limits.processes, base->limits.processes);
	merge_limit(&child->limits.memory_bytes, base->limits.memory_bytes);
	merge_limit(&child->limits.file_size_bytes, base->limits.file_size_bytes);
	merge_limit(&child->limits.wall_seconds, base->limits.wall_seconds);
	merge_strlist(&child->mach_lookup, &base->mach_lookup);
	merge_str(&child->macos_min_version, base->macos_min_version);
	merge_strlist(&child->sbpl_import, &base->sbpl_import);
	if (!child->sbpl_import_loc.file)
		child->sbpl_import_loc = base->sbpl_import_loc;
	if (!child->sbpl_raw)
		child->sbpl_raw_loc = base->sbpl_raw_loc;
	merge_str(&child->sbpl_raw, base->sbpl_raw);
}

/* Combinations no launch can honour. */
int
def_validate(const struct container_def *d, struct diag_list *diags)
{
	int rc = 0;

	if (d->has_home && d->home == DEF_HOME_REAL && d->template_name) {
		diag_add(diags, DIAG_ERROR, d->home_loc, "def-conflict",
			 "home \"real\" cannot be combined with template \"%s\" (a template fills the container home)",
			 d->template_name);
		rc = -1;
	}
	if (d->has_home && d->home == DEF_HOME_REAL && d->root) {
		diag_add(diags, DIAG_ERROR, d->home_loc, "def-conflict",
			 "home \"real\" cannot be combined with a root filesystem (the real home is outside it)");
		rc = -1;
	}
	for (size_t i = 0; i < d->fs_deny.nr; i++) {
		const char *p = d->fs_deny.v[i].path;

		if (!strcmp(p, "${CONTAINER}") || !strcmp(p, "${TMPDIR}")) {
			diag_add(diags, DIAG_ERROR, d->fs_deny.v[i].loc, "def-conflict",
				 "denying %s leaves the program without a home or temporary folder",
				 p);
			rc = -1;
		}
	}
	return rc;
}

void
def_deny_path(struct container_def *def, const char *path)
{
	struct src_loc none = { NULL, 0, 0 };

	def_pathlist_add(&def->fs_deny, path, none);
}

/* p is path or lies below it (both absolute, normalised). */
static int
path_at_or_below(const char *p, const char *path)
{
	size_t n = strlen(path);

	if (n == 1 && path[0] == '/')
		return 1;
	return !strncmp(p, path, n) && (p[n] == '\0' || p[n] == '/');
}

static void
ungrant_list(struct def_path_list *l, const char *path, const char *keep)
{
	size_t w = 0;

	for (size_t i = 0; i < l->nr; i++) {
		const char *p = l->v[i].path;

		if (path_at_or_below(p, path) &&
		    !(keep && path_at_or_below(p, keep))) {
			free(l->v[i].path);
			continue;
		}
		l->v[w++] = l->v[i];
	}
	l->nr = w;
}

void
def_ungrant_under(struct container_def *def, const char *path,
		  const char *keep)
{
	ungrant_list(&def->fs_read, path, keep);
	ungrant_list(&def->fs_write, path, keep);
	ungrant_list(&def->fs_exec, path, keep);
}
