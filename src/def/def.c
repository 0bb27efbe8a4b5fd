#include "def/def.h"

#include <stdlib.h>
#include <string.h>

void
def_init(struct container_def *d)
{
	memset(d, 0, sizeof(*d));
}

static void
strlist_release(struct def_strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
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
	strlist_release(&d->extends);
	strlist_release(&d->program);
	free(d->template_name);
	free(d->root);
	pathlist_release(&d->fs_read);
	pathlist_release(&d->fs_write);
	pathlist_release(&d->fs_exec);
	pathlist_release(&d->fs_deny);
	free(d->net_outbound.v);
	free(d->net_bind.v);
	strlist_release(&d->env_inherit);
	for (size_t i = 0; i < d->nenv_set; i++) {
		free(d->env_set[i].key);
		free(d->env_set[i].value);
	}
	free(d->env_set);
	strlist_release(&d->mach_lookup);
	free(d->macos_min_version);
	strlist_release(&d->sbpl_import);
	free(d->sbpl_raw);
	def_init(d);
}
