/*
 * def_to_json: the normalised form a container stores and digests. Keys
 * are sorted, lists of paths and names are sorted (their order carries no
 * meaning), unset keys are left out, `extends` is already merged and so
 * omitted: the output loads back with def_load into the same definition.
 */
#include "def/def.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *
sorted_strings(const char *const *v, size_t n)
{
	const char **copy = xcalloc(n ? n : 1, sizeof(*copy));
	json_t *arr = json_array();

	memcpy(copy, v, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_str);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(copy[i]));
	free(copy);
	return arr;
}

static void
put_strlist(json_t *obj, const char *key, const struct def_strlist *l)
{
	if (l->nr)
		json_object_set_new(obj, key,
				    sorted_strings((const char *const *)l->v, l->nr));
}

static void
put_paths(json_t *obj, const char *key, const struct def_path_list *l)
{
	const char **v;

	if (!l->nr)
		return;
	v = xcalloc(l->nr, sizeof(*v));
	for (size_t i = 0; i < l->nr; i++)
		v[i] = l->v[i].path;
	json_object_set_new(obj, key, sorted_strings(v, l->nr));
	free(v);
}

static void
put_str(json_t *obj, const char *key, const char *s)
{
	if (s)
		json_object_set_new(obj, key, json_string(s));
}

static void
put_int(json_t *obj, const char *key, uint64_t n)
{
	if (n)
		json_object_set_new(obj, key, json_integer((json_int_t)n));
}

static int
cmp_port(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static json_t *
ports_json(const struct def_ports *p)
{
	uint16_t *v = xcalloc(p->nr ? p->nr : 1, sizeof(*v));
	json_t *arr = json_array();

	memcpy(v, p->v, p->nr * sizeof(*v));
	qsort(v, p->nr, sizeof(*v), cmp_port);
	for (size_t i = 0; i < p->nr; i++)
		json_array_append_new(arr, json_integer(v[i]));
	free(v);
	return arr;
}

static json_t *
network_json(const struct container_def *d)
{
	static const char *const names[] = { "none", "localhost", "outbound", "all" };
	json_t *obj;

	if (d->network != DEF_NET_PORTS)
		return json_string(names[d->network]);
	obj = json_object();
	if (d->net_outbound.nr)
		json_object_set_new(obj, "outbound", ports_json(&d->net_outbound));
	if (d->net_bind.nr)
		json_object_set_new(obj, "bind", ports_json(&d->net_bind));
	return obj;
}

static void
put_object(json_t *parent, const char *key, json_t *obj)
{
	if (json_object_size(obj))
		json_object_set_new(parent, key, obj);
	else
		json_decref(obj);
}

static json_t *
program_json(const struct def_strlist *l)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(arr, json_string(l->v[i]));
	return arr;
}

static void
put_sections(json_t *root, const struct container_def *d)
{
	json_t *fs = json_object(), *env = json_object(), *set = json_object();
	json_t *lim = json_object(), *mac = json_object(), *sbpl = json_object();

	put_paths(fs, "read", &d->fs_read);
	put_paths(fs, "write", &d->fs_write);
	put_paths(fs, "exec", &d->fs_exec);
	put_paths(fs, "deny", &d->fs_deny);
	put_object(root, "filesystem", fs);
	put_strlist(env, "inherit", &d->env_inherit);
	for (size_t i = 0; i < d->nenv_set; i++)
		json_object_set_new(set, d->env_set[i].key,
				    json_string(d->env_set[i].value));
	put_object(env, "set", set);
	put_object(root, "environment", env);
	put_int(lim, "cpu-seconds", d->limits.cpu_seconds);
	put_int(lim, "open-files", d->limits.open_files);
	put_int(lim, "processes", d->limits.processes);
	put_int(lim, "memory-bytes", d->limits.memory_bytes);
	put_int(lim, "file-size-bytes", d->limits.file_size_bytes);
	put_int(lim, "wall-seconds", d->limits.wall_seconds);
	put_object(root, "limits", lim);
	put_strlist(mac, "mach-lookup", &d->mach_lookup);
	put_str(mac, "min-version", d->macos_min_version);
	put_object(root, "macos", mac);
	put_strlist(sbpl, "import", &d->sbpl_import);
	put_str(sbpl, "raw", d->sbpl_raw);
	put_object(root, "sbpl", sbpl);
}

char *
def_to_json(const struct container_def *d)
{
	json_t *root = json_object();
	char *text, *out;

	put_str(root, "name", d->name);
	put_str(root, "identifier", d->identifier);
	if (d->program.nr)
		json_object_set_new(root, "program", program_json(&d->program));
	if (d->has_home)
		json_object_set_new(root, "home", json_string(
			d->home == DEF_HOME_REAL ? "real" : "container"));
	put_str(root, "template", d->template_name);
	put_str(root, "root", d->root);
	if (d->has_network)
		json_object_set_new(root, "network", network_json(d));
	put_sections(root, d);
	text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(root);
	/* jansson's allocator is malloc: hand back an xalloc-owned copy */
	out = xasprintf("%s\n", text ? text : "{}");
	free(text);
	return out;
}
