#include "cli/grants.h"
#include "cli/cli.h"
#include "cli/cli_def.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/datadir.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The list each path option appends to, by offset in struct cli_grants. */
#define GRANT_LIST(field) offsetof(struct cli_grants, field)

/*
 * A relative path ("." or "src/x") is taken relative to the current
 * folder, as every command-line tool does, and written absolute: the
 * document must not depend on where it is loaded from later.
 */
static char *
absolute_path(const char *p)
{
	struct strbuf sb = STRBUF_INIT;
	char *cwd;
	const char *s;

	if (p[0] == '/' || p[0] == '~' || p[0] == '$')
		return xstrdup(p);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	strbuf_addstr(&sb, strcmp(cwd, "/") ? cwd : "");
	free(cwd);
	/* lexical: "." and ".." components, as `realpath -s` would */
	for (s = p; *s;) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = sb.len ? strrchr(sb.buf, '/') : NULL;

			if (slash) {
				sb.len = (size_t)(slash - sb.buf);
				sb.buf[sb.len] = '\0';
			}
		} else {
			strbuf_addch(&sb, '/');
			strbuf_add(&sb, s, n);
		}
		s += n;
		while (*s == '/')
			s++;
	}
	if (!sb.len)
		strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}

static int
set_path(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct cli_grants *g = ctx;
	struct def_strlist *l = (struct def_strlist *)(void *)
		((char *)g + o->value);
	char *abs;

	if (!*val)
		return cli_opt_error(cmd, o, "expected a path");
	abs = absolute_path(val);
	if (!abs)
		return cli_opt_error(cmd, o, "cannot read the current folder: "
				     "%s", strerror(errno));
	def_strlist_add(l, abs);
	free(abs);
	g->given = 1;
	return CLI_CONTINUE;
}

static int
set_preset(void *ctx, const struct cli_opt *o, const char *val,
	   const char *cmd)
{
	struct cli_grants *g = ctx;
	struct def_strlist names;
	const char *near;
	int rc = CLI_CONTINUE;

	def_preset_names(&names);
	if (!def_strlist_has(&names, val)) {
		near = suggest_closest(val, (const char *const *)names.v,
				       names.nr);
		if (near)
			rc = cli_opt_error(cmd, o, "unknown preset '%s' (did "
					   "you mean '%s'?)", val, near);
		else if (!names.nr)
			rc = cli_opt_error(cmd, o, "unknown preset '%s': "
					   "sbox's data folder '%s' has no "
					   "presets (set SBOX_DATADIR to the "
					   "folder holding profiles/, or run "
					   "'make install')", val,
					   sbox_datadir());
		else
			rc = cli_opt_error(cmd, o, "unknown preset '%s' "
					   "(see 'sbox help presets')", val);
	} else {
		def_strlist_add(&g->presets, val);
		g->given = 1;
	}
	def_strlist_release(&names);
	return rc;
}

static int
set_net(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	static const char *const modes[] = { "none", "localhost", "outbound",
					     "all" };
	struct cli_grants *g = ctx;
	const char *near;

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(val, modes[i])) {
			g->net = modes[i];
			g->given = 1;
			return CLI_CONTINUE;
		}
	}
	near = suggest_closest(val, modes, sizeof(modes) / sizeof(modes[0]));
	return cli_opt_error(cmd, o, "unknown mode '%s'%s%s%s (none, "
			     "localhost, outbound or all)", val,
			     near ? " (did you mean '" : "", near ? near : "",
			     near ? "'?)" : "");
}

static int
set_env(void *ctx, const struct cli_opt *o, const char *val, const char *cmd)
{
	struct cli_grants *g = ctx;

	if (!*val || *val == '=')
		return cli_opt_error(cmd, o, "expected NAME or NAME=VALUE, "
				     "not '%s'", val);
	def_strlist_add(&g->env, val);
	g->given = 1;
	return CLI_CONTINUE;
}

const struct cli_opt cli_grant_opts[] = {
	{ "preset", 0, "PRESET", set_preset, 0,
	  "start from this preset (repeatable; default base)" },
	{ "read", 0, "PATH", set_path, GRANT_LIST(read),
	  "allow reading PATH (relative: to the current folder)" },
	{ "write", 0, "PATH", set_path, GRANT_LIST(write),
	  "allow reading and writing PATH" },
	{ "exec", 0, "PATH", set_path, GRANT_LIST(exec),
	  "allow running programs under PATH" },
	{ "deny", 0, "PATH", set_path, GRANT_LIST(deny),
	  "deny PATH, even inside a granted folder" },
	{ "net", 0, "MODE", set_net, 0,
	  "network: none, localhost, outbound or all" },
	{ "env", 0, "NAME[=VAL]", set_env, 0,
	  "pass NAME from the environment, or set it to VAL" },
	CLI_OPT_END,
};

void
cli_grants_release(struct cli_grants *g)
{
	def_strlist_release(&g->presets);
	def_strlist_release(&g->read);
	def_strlist_release(&g->write);
	def_strlist_release(&g->exec);
	def_strlist_release(&g->deny);
	def_strlist_release(&g->env);
}

static json_t *
json_strlist(const struct def_strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static void
put_list(json_t *obj, const char *key, const struct def_strlist *l)
{
	if (l->nr)
		json_object_set_new(obj, key, json_strlist(l));
}

static json_t *
environment_json(const struct def_strlist *env)
{
	json_t *e = json_object(), *inherit = json_array(), *set = json_object();

	for (size_t i = 0; i < env->nr; i++) {
		const char *eq = strchr(env->v[i], '=');

		if (!eq) {
			json_array_append_new(inherit, json_string(env->v[i]));
		} else {
			char *key = xstrndup(env->v[i],
					     (size_t)(eq - env->v[i]));

			json_object_set_new(set, key, json_string(eq + 1));
			free(key);
		}
	}
	if (json_array_size(inherit))
		json_object_set(e, "inherit", inherit);
	if (json_object_size(set))
		json_object_set(e, "set", set);
	json_decref(inherit);
	json_decref(set);
	return e;
}

char *
cli_grants_document(const struct cli_grants *g, const char *base,
		    const char *name)
{
	json_t *doc = json_object(), *ext = json_array(), *fs = json_object();
	char *text;

	if (name)
		json_object_set_new(doc, "name", json_string(name));
	/* later bases win: the definition, then the presets named on top */
	if (base)
		json_array_append_new(ext, json_string(base));
	for (size_t i = 0; i < g->presets.nr; i++)
		json_array_append_new(ext, json_string(g->presets.v[i]));
	if (!json_array_size(ext))
		json_array_append_new(ext, json_string("base"));
	json_object_set_new(doc, "extends", ext);
	put_list(fs, "read", &g->read);
	put_list(fs, "write", &g->write);
	put_list(fs, "exec", &g->exec);
	put_list(fs, "deny", &g->deny);
	if (json_object_size(fs))
		json_object_set(doc, "filesystem", fs);
	json_decref(fs);
	if (g->net)
		json_object_set_new(doc, "network", json_string(g->net));
	if (g->env.nr)
		json_object_set_new(doc, "environment",
				    environment_json(&g->env));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text;
}

/* The "name" a definition file gives itself, or NULL (heap). */
static char *
definition_name(const char *path)
{
	struct src_set srcs;
	struct diag_list diags;
	struct container_def def;
	char *name = NULL;

	src_set_init(&srcs);
	diag_list_init(&diags);
	if (def_load(path, &srcs, &diags, &def) == 0) {
		name = def.name ? xstrdup(def.name) : NULL;
		def_release(&def);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	return name;
}

int
cli_def_load_grants(const char *base, const struct cli_grants *g,
		    const char *name_override, const struct def_vars *vars,
		    struct src_set *srcs, struct container_def *out)
{
	char real[PATH_MAX], *name = NULL, *doc;
	struct diag_list diags;
	struct sbox_err err = SBOX_ERR_INIT;
	int rc;

	if (!g->given && !name_override && base)
		return cli_def_load(base, vars, srcs, out);
	if (base && !realpath(base, real)) {
		cli_error("cannot read '%s': %s", base, strerror(errno));
		return EXIT_USAGE;
	}
	if (!name_override && base)
		name = definition_name(real);
	doc = cli_grants_document(g, base ? real : NULL,
				  name_override ? name_override : name);
	free(name);
	diag_list_init(&diags);
	rc = def_load_doc(CLI_GRANTS_SOURCE, doc, srcs, &diags, out);
	free(doc);
	cli_print_diags(&diags);
	if (rc < 0 && !diags.nerrors)
		cli_error("the definition from the command line is invalid");
	diag_list_release(&diags);
	if (rc < 0)
		return EXIT_USAGE;
	/* relative sbpl.import and template resolve next to the definition
	 * named, as they do when it is used alone */
	if (base) {
		free(out->source);
		out->source = xstrdup(real);
	}
	if (def_resolve_partial(out, vars, &err) < 0) {
		def_release(out);
		return cli_report(&err);
	}
	return 0;
}
