/*
 * Creating a container from a definition: the only part of the store
 * that needs the definition loader. It turns a loaded definition into a
 * struct container_spec (normalised JSON, template, root, home links).
 */
#include "container/internal.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "def/def.h"
#include "util/xalloc.h"

/*
 * "root" (and a template path) may start with ~ (the user's real home)
 * or ${PROJECT} (the current folder, as at launch); the other variables
 * name things that do not exist before the container does.
 */
static char *
expand_source(const struct container_store *st, const char *what,
	      const char *p, const char *proj, struct sbox_err *err)
{
	static const char project[] = "${PROJECT}";
	char cwd[PATH_MAX];

	if (!p)
		return NULL;
	if (p[0] == '~' && (p[1] == '/' || !p[1]) && st->user_home)
		return xasprintf("%s%s", st->user_home, p + 1);
	if (!proj)
		proj = getcwd(cwd, sizeof(cwd));
	if (!strncmp(p, project, strlen(project)) && proj)
		return xasprintf("%s%s", proj, p + strlen(project));
	if (strstr(p, "${")) {
		err_set(err, SBOX_E_INVALID, "%s '%s': only ~ and ${PROJECT} "
			"can be used here", what, p);
		return NULL;
	}
	return xstrdup(p);
}

char *
container_source_of(const struct container_def *def)
{
	char *real;

	if (!def->source)
		return NULL;
	real = realpath(def->source, NULL);
	return real ? real : xstrdup(def->source);
}

static int
create_from_def(struct container_store *st, const struct container_def *def,
		const struct container_use_opts *o, int *run_lock_fd,
		struct container_info *out, struct sbox_err *err)
{
	struct container_spec spec = { 0 };
	char *json = def_to_json(def);
	char *src = def->source ? xstrdup(def->source) : NULL;
	const char **links = container_home_links_for(def);
	char *root = NULL, *tpl = NULL, *source = container_source_of(def);
	int rc;

	spec.name = o->name ? o->name : def->name;
	if (!spec.name) {
		rc = err_set(err, SBOX_E_INVALID, "the definition has no "
			     "\"name\"; give one with --name");
		goto out;
	}
	spec.identifier = def->identifier;
	spec.definition_json = json;
	spec.source = source;
	root = expand_source(st, "root", def->root, o->project, err);
	tpl = expand_source(st, "template", def->template_name, o->project,
			    err);
	if ((def->root && !root) || (def->template_name && !tpl)) {
		rc = -1;
		goto out;
	}
	spec.template_name = tpl;
	spec.root = root;
	/* Relative template and root paths are the definition's. */
	spec.base_dir = src ? dirname(src) : NULL;
	spec.home_links = links;
	spec.run_lock_fd = run_lock_fd;
	spec.fresh = o->fresh;
	rc = container_create(st, &spec, out, err);
out:
	free(root);
	free(tpl);
	free(links);
	free(src);
	free(source);
	free(json);
	return rc;
}

int
container_create_from_def(struct container_store *st,
			  const struct container_def *def, const char *name,
			  struct container_info *out, struct sbox_err *err)
{
	struct container_use_opts o = { name, NULL, 0, 0 };

	return create_from_def(st, def, &o, NULL, out, err);
}

int
container_create_with(struct container_store *st,
		      const struct container_def *def,
		      const struct container_use_opts *o,
		      struct container_info *out, struct sbox_err *err)
{
	return create_from_def(st, def, o, NULL, out, err);
}

int
container_create_run(struct container_store *st,
		     const struct container_def *def,
		     const struct container_use_opts *o, int *run_lock_fd,
		     struct container_info *out, struct sbox_err *err)
{
	*run_lock_fd = -1;
	return create_from_def(st, def, o, run_lock_fd, out, err);
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
