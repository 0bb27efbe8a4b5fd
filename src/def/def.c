#include "def/def_int.h"
#include "util/xalloc.h"

#include <stddef.h>

#include <stdlib.h>
#include <string.h>

void
def_init(struct container_def *d)
{
	memset(d, 0, sizeof(*d));
}

void
def_strlist_release(struct def_strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

static void
pathlist_release(struct def_path_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i].path);
	free(l->v);
}

void
def_release(struct container_def *d)
{
	free(d->source);
	free(d->name);
	free(d->identifier);
	def_strlist_release(&d->extends);
	def_strlist_release(&d->program);
	free(d->template_name);
	free(d->root);
	pathlist_release(&d->fs_read);
	pathlist_release(&d->fs_write);
	pathlist_release(&d->fs_exec);
	pathlist_release(&d->fs_deny);
	free(d->net_outbound.v);
	free(d->net_bind.v);
	def_strlist_release(&d->env_inherit);
	for (size_t i = 0; i < d->nenv_set; i++) {
		free(d->env_set[i].key);
		free(d->env_set[i].value);
	}
	free(d->env_set);
	def_strlist_release(&d->mach_lookup);
	free(d->macos_min_version);
	def_strlist_release(&d->sbpl_import);
	free(d->sbpl_raw);
	def_init(d);
}

/* Value of the variable a path starts with; *skip = its length. */
static int
path_var(const char *p, const struct def_vars *vars, const char **value,
	 size_t *skip)
{
	static const struct {
		const char *spelling;
		size_t off;
	} map[] = {
		{ "~", offsetof(struct def_vars, home) },
		{ "${HOME}", offsetof(struct def_vars, home) },
		{ "${CONTAINER}", offsetof(struct def_vars, container) },
		{ "${PROJECT}", offsetof(struct def_vars, project) },
		{ "${TMPDIR}", offsetof(struct def_vars, tmpdir) },
	};

	*value = NULL;
	*skip = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].spelling);

		if (strncmp(p, map[i].spelling, n) || (p[n] && p[n] != '/'))
			continue;
		*value = *(const char *const *)((const char *)vars + map[i].off);
		*skip = n;
		return 1;
	}
	return 0;
}

/* Collapse repeated slashes and drop a trailing one ("/" stays). */
void
def_path_normalise(char *p)
{
	char *w = p;

	for (const char *r = p; *r; r++) {
		if (*r == '/' && w > p && w[-1] == '/')
			continue;
		*w++ = *r;
	}
	if (w > p + 1 && w[-1] == '/')
		w--;
	*w = '\0';
}

static int
resolve_one(char **path, const struct def_vars *vars, int partial,
	    struct sbox_err *err)
{
	const char *value;
	size_t skip;
	char *out;

	if (!path_var(*path, vars, &value, &skip)) {
		def_path_normalise(*path);
		return 0;
	}
	if (!value && partial) {
		def_path_normalise(*path);
		return 0;
	}
	if (!value || value[0] != '/')
		return err_set(err, SBOX_E_INVALID,
			       "'%s': %.*s has %s", *path, (int)skip, *path,
			       value ? "a relative value" : "no value for this launch");
	out = xasprintf("%s/%s", value, *path + skip);
	def_path_normalise(out);
	free(*path);
	*path = out;
	return 0;
}

static int
resolve_all(struct container_def *def, const struct def_vars *vars,
	    int partial, struct sbox_err *err)
{
	struct def_path_list *lists[] = { &def->fs_read, &def->fs_write,
					  &def->fs_exec, &def->fs_deny };

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (size_t i = 0; i < lists[l]->nr; i++)
			if (resolve_one(&lists[l]->v[i].path, vars, partial, err) < 0)
				return -1;
	if (def->root && resolve_one(&def->root, vars, partial, err) < 0)
		return -1;
	return 0;
}

int
def_resolve(struct container_def *def, const struct def_vars *vars,
	    struct sbox_err *err)
{
	return resolve_all(def, vars, 0, err);
}

int
def_resolve_partial(struct container_def *def, const struct def_vars *vars,
		    struct sbox_err *err)
{
	return resolve_all(def, vars, 1, err);
}

static int
list_uses_project(const struct def_path_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (strstr(l->v[i].path, "${PROJECT}"))
			return 1;
	return 0;
}

int
def_uses_project(const struct container_def *def)
{
	return list_uses_project(&def->fs_read) ||
	       list_uses_project(&def->fs_write) ||
	       list_uses_project(&def->fs_exec) ||
	       list_uses_project(&def->fs_deny) ||
	       (def->template_name && strstr(def->template_name, "${PROJECT}")) ||
	       (def->root && strstr(def->root, "${PROJECT}"));
}
