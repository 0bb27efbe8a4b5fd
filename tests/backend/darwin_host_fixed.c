/*
 * darwin_host's fixed definition (tests/backend/darwin_host.c), with
 * stand-ins for def_resolve and sbpl_emit_def: reads ${PROJECT}, writes
 * ${CONTAINER}, inherits PATH and LANG, sets CI=1, imports host-extra.sb.
 */
#include <stdlib.h>
#include <string.h>

#include "def/def.h"
#include "sbpl/emit.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int host_def_load(struct container_def *def);
void host_def_release(struct container_def *def);

static void
expand(struct def_path_list *l, const char *var, const char *value)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (!strcmp(l->v[i].path, var)) {
			free(l->v[i].path);
			l->v[i].path = xstrdup(value);
		}
	}
}

int
def_resolve(struct container_def *def, const struct def_vars *vars,
	    struct sbox_err *err)
{
	(void)err;
	expand(&def->fs_read, "${PROJECT}", vars->project);
	expand(&def->fs_write, "${CONTAINER}", vars->container);
	return 0;
}

int
sbpl_emit_def(const struct container_def *def, struct strbuf *out,
	      struct def_strlist *params, struct sbox_err *err)
{
	(void)err;
	strbuf_addstr(out, "(version 1)\n(allow default)\n"
		      "(import \"host-extra.sb\")\n");
	ALLOC_GROW(params->v, params->nr + 4, params->alloc);
	params->v[params->nr++] = xstrdup("READ_0");
	params->v[params->nr++] = xstrdup(def->fs_read.v[0].path);
	params->v[params->nr++] = xstrdup("WRITE_0");
	params->v[params->nr++] = xstrdup(def->fs_write.v[0].path);
	return 0;
}

static void
path_list_one(struct def_path_list *l, const char *p)
{
	l->v = xcalloc(1, sizeof(*l->v));
	l->v[0].path = xstrdup(p);
	l->nr = l->alloc = 1;
}

static void
strlist_add(struct def_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

int
host_def_load(struct container_def *def)
{
	const char *dir = getenv("HOST_DEFDIR");

	memset(def, 0, sizeof(*def));
	def->name = xstrdup("host");
	def->source = xasprintf("%s/host.json", dir ? dir : ".");
	strlist_add(&def->env_inherit, "PATH");
	strlist_add(&def->env_inherit, "LANG");
	def->env_set = xcalloc(1, sizeof(*def->env_set));
	def->env_set[0].key = xstrdup("CI");
	def->env_set[0].value = xstrdup("1");
	def->nenv_set = def->env_set_alloc = 1;
	path_list_one(&def->fs_read, "${PROJECT}");
	path_list_one(&def->fs_write, "${CONTAINER}");
	return 0;
}

/* Not def_release: this file links without def.o, whose def_resolve is
 * the real one. */
void
host_def_release(struct container_def *def)
{
	free(def->name);
	free(def->source);
	for (size_t i = 0; i < def->env_inherit.nr; i++)
		free(def->env_inherit.v[i]);
	free(def->env_inherit.v);
	free(def->env_set[0].key);
	free(def->env_set[0].value);
	free(def->env_set);
	free(def->fs_read.v[0].path);
	free(def->fs_read.v);
	free(def->fs_write.v[0].path);
	free(def->fs_write.v);
}
