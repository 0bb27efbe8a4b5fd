/*
 * What sbox ships under <datadir>: the presets a definition can extend
 * (profiles/<name>.json) and the templates it can name
 * (templates/<name>, <name>.tar, .tar.gz, .tar.zst, .zip). Mistyped names
 * are found when a definition is checked, with the closest shipped one.
 */
#include "def/def_int.h"
#include "util/datadir.h"
#include "util/suggest.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of <datadir>/<folder> with suffix cut off (NULL: any). */
static void
list_names(const char *folder, const char *const *suffixes,
	   struct def_strlist *out)
{
	char *dir = xasprintf("%s/%s", sbox_datadir(), folder);
	DIR *d = opendir(dir);
	struct dirent *e;

	memset(out, 0, sizeof(*out));
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		int keep = !suffixes;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		for (size_t i = 0; suffixes && suffixes[i]; i++) {
			size_t sl = strlen(suffixes[i]);

			if (len > sl && !strcmp(e->d_name + len - sl,
						suffixes[i])) {
				len -= sl;
				keep = 1;
				break;
			}
		}
		if (!keep)
			continue;
		e->d_name[len] = '\0';
		if (!def_strlist_has(out, e->d_name))
			def_strlist_add(out, e->d_name);
	}
	if (d)
		closedir(d);
	free(dir);
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), cmp_str);
}

void
def_preset_names(struct def_strlist *out)
{
	static const char *const json[] = { ".json", NULL };

	list_names("profiles", json, out);
}

void
def_template_names(struct def_strlist *out)
{
	/* the longest suffix first: "x.tar.gz" is "x", not "x.tar" */
	static const char *const archives[] = { ".tar.gz", ".tar.zst",
						".tar", ".zip", "", NULL };

	list_names("templates", archives, out);
}

int
def_preset_exists(const char *name)
{
	struct def_strlist l;
	int found;

	def_preset_names(&l);
	found = def_strlist_has(&l, name);
	def_strlist_release(&l);
	return found;
}

static void
hint_from(const struct def_strlist *l, const char *name, char *out,
	  size_t outlen)
{
	const char *near = suggest_closest(name, (const char *const *)l->v,
					   l->nr);

	if (near)
		snprintf(out, outlen, " (did you mean '%s'?)", near);
	else if (!l->nr)
		/* a copied or uninstalled binary looks in the wrong place */
		snprintf(out, outlen, " (sbox's data folder '%s' has none: "
			 "set SBOX_DATADIR to the folder holding profiles/ "
			 "and templates/, or run 'make install')",
			 sbox_datadir());
	else if (outlen)
		out[0] = '\0';
}

void
def_preset_hint(const char *name, char *out, size_t outlen)
{
	struct def_strlist l;

	def_preset_names(&l);
	hint_from(&l, name, out, outlen);
	def_strlist_release(&l);
}

/* Is there a file or folder `name` next to the definition file? */
static int
next_to(const struct src_loc *loc, const char *name)
{
	const char *file = loc->file ? loc->file->name : NULL;
	const char *slash = file ? strrchr(file, '/') : NULL;
	char *p;
	struct stat st;
	int found;

	p = slash ? xasprintf("%.*s/%s", (int)(slash - file), file, name)
		  : xstrdup(name);
	found = stat(p, &st) == 0;
	free(p);
	return found;
}

int
def_template_check(const char *name, struct src_loc loc,
		   struct diag_list *diags)
{
	struct def_strlist l;
	char hint[512];
	int rc = 0;

	if (!*name || strchr(name, '/'))
		return 0; /* a path: created from, or reported, at create */
	def_template_names(&l);
	if (!def_strlist_has(&l, name) && !next_to(&loc, name)) {
		hint_from(&l, name, hint, sizeof(hint));
		diag_add(diags, DIAG_ERROR, loc, "def-value",
			 "unknown template '%s'%s", name, hint);
		rc = -1;
	}
	def_strlist_release(&l);
	return rc;
}
