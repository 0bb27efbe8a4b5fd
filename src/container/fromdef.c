/*
 * Creating a container from a definition: the only part of the store
 * that needs the definition loader. It turns a loaded definition into a
 * struct container_spec (normalised JSON, template, root, home links).
 */
#include "container/internal.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "def/def.h"
#include "util/xalloc.h"

int
container_create_from_def(struct container_store *st,
			  const struct container_def *def, const char *name,
			  struct container_info *out, struct sbox_err *err)
{
	struct container_spec spec = { 0 };
	char *json = def_to_json(def);
	char *src = def->source ? xstrdup(def->source) : NULL;
	const char **links = container_home_links_for(def);
	int rc;

	spec.name = name ? name : def->name;
	if (!spec.name) {
		rc = err_set(err, SBOX_E_INVALID, "the definition has no "
			     "\"name\"; give one with --name");
		goto out;
	}
	spec.identifier = def->identifier;
	spec.definition_json = json;
	spec.template_name = def->template_name;
	spec.root = def->root;
	/* Relative template and root paths are the definition's. */
	spec.base_dir = src ? dirname(src) : NULL;
	spec.home_links = links;
	rc = container_create(st, &spec, out, err);
out:
	free(links);
	free(src);
	free(json);
	return rc;
}

int
container_create_from_file(struct container_store *st, const char *def_path,
			   const char *name, struct src_set *srcs,
			   struct diag_list *diags,
			   struct container_info *out, struct sbox_err *err)
{
	struct container_def def;
	int rc;

	def_init(&def);
	if (def_load(def_path, srcs, diags, &def) < 0)
		return err_set(err, SBOX_E_INVALID,
			       "definition '%s' has errors", def_path);
	if (!def.source)
		def.source = xstrdup(def_path);
	rc = container_create_from_def(st, &def, name, out, err);
	def_release(&def);
	return rc;
}
