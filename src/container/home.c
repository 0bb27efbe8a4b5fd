/*
 * Home trees (Data/) from templates, shaped like the App Sandbox's
 * container Data/ (MACOS.md §3.1): a template is a folder or an archive,
 * named ("default", "minimal": <datadir>/templates/<name>) or given as a
 * path. Links back to the real home are made only for folders the
 * definition grants; the profile, not the link, decides access.
 */
#include "container/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "def/def.h"
#include "util/datadir.h"
#include "util/input.h"
#include "util/xalloc.h"

/* The real-home folders App Sandbox containers link to (MACOS.md §3.1). */
static const char *const home_link_names[] = {
	"Desktop", "Downloads", "Movies", "Music", "Pictures", NULL,
};

static int
exists(const char *path, int want_dir)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* <datadir>/templates/<name> as a folder, or as <name>.tar* archive. */
static char *
shipped_template(const char *name)
{
	static const char *const exts[] = { ".tar", ".tar.gz", ".tar.zst",
					    ".zip", NULL };
	char *p = xasprintf("%s/templates/%s", sbox_datadir(), name);

	if (exists(p, 1))
		return p;
	for (size_t i = 0; exts[i]; i++) {
		char *a = xasprintf("%s%s", p, exts[i]);

		if (exists(a, 0)) {
			free(p);
			return a;
		}
		free(a);
	}
	free(p);
	return NULL;
}

char *
home_template_path(const char *name, const char *base_dir,
		   struct sbox_err *err)
{
	char *p;

	if (!name || !*name)
		name = "default";
	/* A bare name is a shipped template first. */
	if (!strchr(name, '/') && (p = shipped_template(name)))
		return p;
	if (name[0] == '/' || !base_dir)
		p = xstrdup(name);
	else
		p = xasprintf("%s/%s", base_dir, name);
	/* any kind: home_fill_from says what is wrong with a FIFO or device */
	if (access(p, F_OK) == 0)
		return p;
	err_set(err, SBOX_E_NOTFOUND, "template '%s' not found (looked in "
		"'%s/templates' and at '%s')", name, sbox_datadir(), p);
	free(p);
	return NULL;
}

/*
 * Templates and roots are named by the definition: opened once, without
 * blocking (a FIFO or a device is refused), and used through that fd.
 * The archive limits (container_limits) bound what an archive gives.
 */
int
home_fill_from(const char *path, int dirfd, struct sbox_err *err)
{
	struct stat st;
	int src, rc;

	src = input_open(path, INPUT_FILE | INPUT_DIR, &st, err);
	if (src < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		rc = fs_copy_tree(src, dirfd, err);
		if (rc < 0)
			err_wrap(err, "copying '%s'", path);
	} else {
		rc = unpack_archive_fd(src, path, dirfd, err);
	}
	close(src);
	return rc;
}

int
home_make_links(int datafd, const char *home, const char *const *names,
		struct sbox_err *err)
{
	struct stat st;

	if (!names)
		return 0;
	if (!home)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "cannot link to the real home: it is unknown");
	for (size_t i = 0; names[i]; i++) {
		char *target;
		int r;

		/* The template's own entry of that name wins. */
		if (fstatat(datafd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		target = xasprintf("%s/%s", home, names[i]);
		r = symlinkat(target, datafd, names[i]);
		free(target);
		if (r < 0)
			return err_sys(err, "cannot link '%s'", names[i]);
	}
	return 0;
}

/*
 * How specifically path speaks about ~/name: 1 for the whole home, 2 for
 * ~/name itself, 3 for something inside it, 0 for nothing.
 */
static int
path_rank(const char *path, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(path, "~") || !strcmp(path, "~/"))
		return 1;
	if (strncmp(path, "~/", 2) || strncmp(path + 2, name, n))
		return 0;
	if (path[2 + n] == '\0' || (path[2 + n] == '/' && !path[3 + n]))
		return 2;
	return path[2 + n] == '/' ? 3 : 0;
}

static int
list_rank(const struct def_path_list *l, const char *name, int max)
{
	int best = 0;

	for (size_t i = 0; i < l->nr; i++) {
		int r = path_rank(l->v[i].path, name);

		if (r > best && r <= max)
			best = r;
	}
	return best;
}

/*
 * The definition's own rule: the most specific path wins and deny beats
 * allow at equal specificity (DESIGN.md "Definitions"). A deny inside
 * the folder does not take the whole folder away, so it is not counted.
 */
static int
def_grants_home_folder(const struct container_def *def, const char *name)
{
	int grant = list_rank(&def->fs_read, name, 3);
	int deny = list_rank(&def->fs_deny, name, 2);

	if (list_rank(&def->fs_write, name, 3) > grant)
		grant = list_rank(&def->fs_write, name, 3);
	if (list_rank(&def->fs_exec, name, 3) > grant)
		grant = list_rank(&def->fs_exec, name, 3);
	return grant > deny;
}

const char **
container_home_links_for(const struct container_def *def)
{
	size_t n = 0;
	const char **out = xcalloc(sizeof(home_link_names) /
				   sizeof(home_link_names[0]), sizeof(*out));

	for (size_t i = 0; home_link_names[i]; i++) {
		const char *name = home_link_names[i];

		if (def_grants_home_folder(def, name))
			out[n++] = name;
	}
	out[n] = NULL;
	return out;
}
