/*
 * The definition schema (DESIGN.md "Definitions"), applied to the located
 * value tree of either format. Every key has one handler; unknown keys,
 * wrong types, relative paths and bad variables are errors at the
 * offending key or value, and checking continues so all are reported.
 */
#include "def/def_int.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_TYPE "def-type"
#define DIAG_KEY "def-unknown-key"
#define DIAG_VALUE "def-value"
#define DIAG_PATH "def-path"

static const char *
article(enum def_node_kind kind)
{
	return strchr("aeiou", def_node_kind_name(kind)[0]) ? "an" : "a";
}

static int
want_kind(const struct def_node *n, enum def_node_kind kind, const char *what,
	  struct diag_list *diags)
{
	if (n->kind == kind)
		return 0;
	diag_add(diags, DIAG_ERROR, n->loc, DIAG_TYPE, "%s must be %s %s, not %s %s",
		 what, article(kind), def_node_kind_name(kind), article(n->kind),
		 def_node_kind_name(n->kind));
	return -1;
}

static int
take_string(const struct def_node *n, const char *what, struct diag_list *diags,
	    char **out)
{
	if (want_kind(n, DN_STRING, what, diags) < 0)
		return -1;
	if (!n->str[0]) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "%s must not be empty", what);
		return -1;
	}
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

static int
take_strlist(const struct def_node *n, const char *what,
	     struct diag_list *diags, struct def_strlist *out)
{
	int rc = 0;

	if (want_kind(n, DN_ARRAY, what, diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		char *s = NULL;

		if (take_string(&n->kids[i], what, diags, &s) < 0) {
			rc = -1;
			continue;
		}
		if (!def_strlist_has(out, s))
			def_strlist_add(out, s);
		free(s);
	}
	return rc;
}

static int
take_paths(const struct def_node *n, const char *what, struct diag_list *diags,
	   struct def_path_list *out)
{
	char why[256];
	int rc = 0;

	if (want_kind(n, DN_ARRAY, what, diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *p = &n->kids[i];

		if (want_kind(p, DN_STRING, what, diags) < 0) {
			rc = -1;
			continue;
		}
		if (def_path_check(p->str, why, sizeof(why)) < 0) {
			diag_add(diags, DIAG_ERROR, p->loc, DIAG_PATH, "%s: %s",
				 what, why);
			rc = -1;
			continue;
		}
		def_pathlist_add(out, p->str, p->loc);
	}
	return rc;
}

static int
unknown_key(const struct def_node *kid, const char *where,
	    struct diag_list *diags)
{
	diag_add(diags, DIAG_ERROR, kid->key_loc, DIAG_KEY,
		 "unknown key '%s'%s%s", kid->key, where ? " in " : "",
		 where ? where : "");
	return -1;
}

/* name: what `sbox list` shows and what tags denials, a file-name-safe word */
static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return 1;
}

/* identifier: reverse DNS, at least two labels */
static int
valid_identifier(const char *s)
{
	int labels = 0;
	size_t len = 0;

	for (const char *p = s;; p++) {
		if (*p == '.' || !*p) {
			if (len == 0)
				return 0;
			labels++;
			len = 0;
			if (!*p)
				break;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
		len++;
	}
	return labels >= 2;
}

static int
valid_env_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int
valid_version(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			digits++;
		} else if (*s == '.' && digits) {
			digits = 0;
		} else {
			return 0;
		}
	}
	return digits > 0;
}

static int
key_name(const struct def_node *n, struct diag_list *diags,
	 struct container_def *d)
{
	if (take_string(n, "name", diags, &d->name) < 0)
		return -1;
	d->name_loc = n->loc;
	if (!valid_name(d->name)) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "name '%s' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
			 d->name);
		return -1;
	}
	return 0;
}

static int
key_identifier(const struct def_node *n, struct diag_list *diags,
	       struct container_def *d)
{
	if (take_string(n, "identifier", diags, &d->identifier) < 0)
		return -1;
	if (!valid_identifier(d->identifier)) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "identifier '%s' must be reverse DNS such as org.example.tool",
			 d->identifier);
		return -1;
	}
	return 0;
}

static int
key_extends(const struct def_node *n, struct diag_list *diags,
	    struct container_def *d)
{
	if (n->kind == DN_STRING) {
		char *s = NULL;

		if (take_string(n, "extends", diags, &s) < 0)
			return -1;
		def_strlist_add(&d->extends, s);
		free(s);
		return 0;
	}
	return take_strlist(n, "extends", diags, &d->extends);
}

static int
key_program(const struct def_node *n, struct diag_list *diags,
	    struct container_def *d)
{
	if (want_kind(n, DN_ARRAY, "program", diags) < 0)
		return -1;
	if (!n->nkids) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "program must name at least the program to run");
		return -1;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *a = &n->kids[i];

		if (want_kind(a, DN_STRING, "program argument", diags) < 0)
			return -1;
		if (i == 0 && (!a->str[0] || (a->str[0] != '/' && strchr(a->str, '/')))) {
			diag_add(diags, DIAG_ERROR, a->loc, DIAG_PATH,
				 "program '%s' must be an absolute path or a name looked up in PATH",
				 a->str);
			return -1;
		}
		def_strlist_add(&d->program, a->str);
	}
	d->program_loc = n->kids[0].loc;
	return 0;
}

static int
key_home(const struct def_node *n, struct diag_list *diags,
	 struct container_def *d)
{
	if (want_kind(n, DN_STRING, "home", diags) < 0)
		return -1;
	if (!strcmp(n->str, "container")) {
		d->home = DEF_HOME_CONTAINER;
	} else if (!strcmp(n->str, "real")) {
		d->home = DEF_HOME_REAL;
	} else {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "home must be \"container\" or \"real\", not \"%s\"",
			 n->str);
		return -1;
	}
	d->has_home = 1;
	d->home_loc = n->loc;
	return 0;
}

static int
key_template(const struct def_node *n, struct diag_list *diags,
	     struct container_def *d)
{
	if (take_string(n, "template", diags, &d->template_name) < 0)
		return -1;
	return def_template_check(d->template_name, n->loc, diags);
}

static int
key_root(const struct def_node *n, struct diag_list *diags,
	 struct container_def *d)
{
	char why[256];

	if (n->kind == DN_NULL)
		return 0;
	if (take_string(n, "root", diags, &d->root) < 0)
		return -1;
	if (def_path_check(d->root, why, sizeof(why)) < 0) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_PATH, "root: %s", why);
		return -1;
	}
	return 0;
}

static int
key_filesystem(const struct def_node *n, struct diag_list *diags,
	       struct container_def *d)
{
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "filesystem", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];
		struct def_path_list *l;

		if (!strcmp(k->key, "read"))
			l = &d->fs_read;
		else if (!strcmp(k->key, "write"))
			l = &d->fs_write;
		else if (!strcmp(k->key, "exec"))
			l = &d->fs_exec;
		else if (!strcmp(k->key, "deny"))
			l = &d->fs_deny;
		else {
			rc = unknown_key(k, "filesystem (read, write, exec, deny)", diags);
			continue;
		}
		if (take_paths(k, k->key, diags, l) < 0)
			rc = -1;
	}
	return rc;
}

static int
take_ports(const struct def_node *n, const char *what, struct diag_list *diags,
	   struct def_ports *out)
{
	int rc = 0;

	if (want_kind(n, DN_ARRAY, what, diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *p = &n->kids[i];

		if (want_kind(p, DN_INT, "a port", diags) < 0) {
			rc = -1;
			continue;
		}
		if (p->num < 1 || p->num > 65535) {
			diag_add(diags, DIAG_ERROR, p->loc, DIAG_VALUE,
				 "port %lld is outside 1-65535",
				 (long long)p->num);
			rc = -1;
			continue;
		}
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = (uint16_t)p->num;
	}
	return rc;
}

static int
network_ports(const struct def_node *n, struct diag_list *diags,
	      struct container_def *d)
{
	int rc = 0;

	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];

		if (!strcmp(k->key, "outbound"))
			rc |= take_ports(k, "network.outbound", diags, &d->net_outbound);
		else if (!strcmp(k->key, "bind"))
			rc |= take_ports(k, "network.bind", diags, &d->net_bind);
		else
			rc = unknown_key(k, "network (outbound, bind)", diags);
	}
	if (!rc && !d->net_outbound.nr && !d->net_bind.nr) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
			 "a network object needs at least one port in \"outbound\" or \"bind\" (use \"none\" for no network)");
		rc = -1;
	}
	return rc ? -1 : 0;
}

static int
key_network(const struct def_node *n, struct diag_list *diags,
	    struct container_def *d)
{
	static const char *const names[] = { "none", "localhost", "outbound", "all" };

	d->has_network = 1;
	d->network_loc = n->loc;
	if (n->kind == DN_OBJECT) {
		d->network = DEF_NET_PORTS;
		return network_ports(n, diags, d);
	}
	if (n->kind != DN_STRING) {
		diag_add(diags, DIAG_ERROR, n->loc, DIAG_TYPE,
			 "network must be a string or an object, not %s",
			 def_node_kind_name(n->kind));
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(n->str, names[i])) {
			d->network = (enum def_network)i;
			return 0;
		}
	}
	diag_add(diags, DIAG_ERROR, n->loc, DIAG_VALUE,
		 "network must be \"none\", \"localhost\", \"outbound\", \"all\" or an object, not \"%s\"",
		 n->str);
	return -1;
}

static int
env_set(const struct def_node *n, struct diag_list *diags,
	struct container_def *d)
{
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "environment.set", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];

		if (!valid_env_name(k->key)) {
			diag_add(diags, DIAG_ERROR, k->key_loc, DIAG_VALUE,
				 "'%s' is not a valid environment variable name",
				 k->key);
			rc = -1;
			continue;
		}
		if (want_kind(k, DN_STRING, "an environment value", diags) < 0) {
			rc = -1;
			continue;
		}
		ALLOC_GROW(d->env_set, d->nenv_set + 1, d->env_set_alloc);
		d->env_set[d->nenv_set].key = xstrdup(k->key);
		d->env_set[d->nenv_set++].value = xstrdup(k->str);
	}
	return rc;
}

static int
key_environment(const struct def_node *n, struct diag_list *diags,
		struct container_def *d)
{
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "environment", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];

		if (!strcmp(k->key, "inherit")) {
			if (take_strlist(k, "environment.inherit", diags,
					 &d->env_inherit) < 0) {
				rc = -1;
				continue;
			}
			for (size_t j = 0; j < k->nkids; j++) {
				if (!valid_env_name(k->kids[j].str)) {
					diag_add(diags, DIAG_ERROR, k->kids[j].loc, DIAG_VALUE,
						 "'%s' is not a valid environment variable name",
						 k->kids[j].str);
					rc = -1;
				}
			}
		} else if (!strcmp(k->key, "set")) {
			rc |= env_set(k, diags, d);
		} else {
			rc = unknown_key(k, "environment (inherit, set)", diags);
		}
	}
	return rc ? -1 : 0;
}

static int
key_limits(const struct def_node *n, struct diag_list *diags,
	   struct container_def *d)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "cpu-seconds", offsetof(struct def_limits, cpu_seconds) },
		{ "open-files", offsetof(struct def_limits, open_files) },
		{ "processes", offsetof(struct def_limits, processes) },
		{ "memory-bytes", offsetof(struct def_limits, memory_bytes) },
		{ "file-size-bytes", offsetof(struct def_limits, file_size_bytes) },
		{ "wall-seconds", offsetof(struct def_limits, wall_seconds) },
	};
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "limits", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];
		size_t f;

		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			if (!strcmp(k->key, fields[f].key))
				break;
		if (f == sizeof(fields) / sizeof(fields[0])) {
			rc = unknown_key(k, "limits (cpu-seconds, open-files, processes, memory-bytes, file-size-bytes, wall-seconds)", diags);
			continue;
		}
		if (want_kind(k, DN_INT, k->key, diags) < 0) {
			rc = -1;
			continue;
		}
		if (k->num < 1) {
			diag_add(diags, DIAG_ERROR, k->loc, DIAG_VALUE,
				 "%s must be a positive integer", k->key);
			rc = -1;
			continue;
		}
		*(uint64_t *)((char *)&d->limits + fields[f].off) = (uint64_t)k->num;
	}
	return rc;
}

static int
key_macos(const struct def_node *n, struct diag_list *diags,
	  struct container_def *d)
{
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "macos", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];

		if (!strcmp(k->key, "mach-lookup")) {
			rc |= take_strlist(k, "macos.mach-lookup", diags,
					   &d->mach_lookup);
		} else if (!strcmp(k->key, "min-version")) {
			if (take_string(k, "macos.min-version", diags,
					&d->macos_min_version) < 0) {
				rc = -1;
			} else if (!valid_version(d->macos_min_version)) {
				diag_add(diags, DIAG_ERROR, k->loc, DIAG_VALUE,
					 "macos.min-version '%s' must look like 12 or 10.15",
					 d->macos_min_version);
				rc = -1;
			}
		} else {
			rc = unknown_key(k, "macos (mach-lookup, min-version)", diags);
		}
	}
	return rc ? -1 : 0;
}

static int
key_sbpl(const struct def_node *n, struct diag_list *diags,
	 struct container_def *d)
{
	int rc = 0;

	if (want_kind(n, DN_OBJECT, "sbpl", diags) < 0)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct def_node *k = &n->kids[i];

		if (!strcmp(k->key, "import")) {
			rc |= take_strlist(k, "sbpl.import", diags, &d->sbpl_import);
			d->sbpl_import_loc = k->loc;
		} else if (!strcmp(k->key, "raw")) {
			rc |= take_string(k, "sbpl.raw", diags, &d->sbpl_raw);
			d->sbpl_raw_loc = k->loc;
		}
		else
			rc = unknown_key(k, "sbpl (import, raw)", diags);
	}
	return rc ? -1 : 0;
}

static const struct {
	const char *key;
	int (*fn)(const struct def_node *, struct diag_list *,
		  struct container_def *);
} top_keys[] = {
	{ "name", key_name },
	{ "identifier", key_identifier },
	{ "extends", key_extends },
	{ "program", key_program },
	{ "home", key_home },
	{ "template", key_template },
	{ "root", key_root },
	{ "filesystem", key_filesystem },
	{ "network", key_network },
	{ "environment", key_environment },
	{ "limits", key_limits },
	{ "macos", key_macos },
	{ "sbpl", key_sbpl },
};

int
def_from_node(const struct def_node *root, struct diag_list *diags,
	      struct container_def *out)
{
	int rc = 0;

	if (want_kind(root, DN_OBJECT, "a definition", diags) < 0)
		return -1;
	for (size_t i = 0; i < root->nkids; i++) {
		const struct def_node *k = &root->kids[i];
		size_t t;

		for (t = 0; t < sizeof(top_keys) / sizeof(top_keys[0]); t++)
			if (!strcmp(k->key, top_keys[t].key))
				break;
		if (t == sizeof(top_keys) / sizeof(top_keys[0])) {
			rc = unknown_key(k, NULL, diags);
			continue;
		}
		if (top_keys[t].fn(k, diags, out) < 0)
			rc = -1;
	}
	return rc;
}
