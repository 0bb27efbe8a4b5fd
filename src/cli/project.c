/*
 * The project: what ${PROJECT} means and where the program starts. It is
 * the folder given with --project (-C) or else the current folder. A
 * current folder of "/", a home folder or an ancestor of one is refused:
 * a definition granting ${PROJECT} would then grant the whole disk or
 * home, most likely because the command was typed in the wrong place.
 * Naming such a folder with --project says it is meant.
 */
#include "cli/project.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "def/def.h"
#include "def/def_access.h"
#include "util/xalloc.h"

static int
covers_home(const char *dir, const char *home)
{
	char real[PATH_MAX];

	if (!home || home[0] != '/')
		return 0;
	if (realpath(home, real))
		home = real;
	return def_path_covers(dir, home);
}

/*
 * The homes of the invoking user: $HOME (else the user database, which
 * can be slow: NSS), and under sudo the invoking user's.
 */
const char *
cli_project_home_of(const char *dir)
{
	static char found[PATH_MAX];
	const char *homes[3] = { getenv("HOME"), NULL, NULL };
	const char *sudo_uid = getenv("SUDO_UID");
	struct passwd *pw = NULL;

	if (!homes[0] || homes[0][0] != '/')
		pw = getpwuid(getuid());
	homes[1] = pw && pw->pw_dir ? xstrdup(pw->pw_dir) : NULL;
	if (getuid() == 0 && sudo_uid && *sudo_uid) {
		pw = getpwuid((uid_t)strtoul(sudo_uid, NULL, 10));
		homes[2] = pw && pw->pw_dir ? pw->pw_dir : NULL;
	}
	found[0] = '\0';
	for (size_t i = 0; i < 3 && !found[0]; i++)
		if (covers_home(dir, homes[i]))
			snprintf(found, sizeof(found), "%s", homes[i]);
	free((char *)homes[1]);
	return found[0] ? found : NULL;
}

int
cli_set_project(void *ctx, const struct cli_opt *o, const char *val,
		const char *cmd)
{
	char **slot = (char **)(void *)((char *)ctx + o->value);

	free(*slot);
	*slot = cli_project(val, cmd);
	return *slot ? CLI_CONTINUE : EXIT_USAGE;
}

const char *
cli_project_problem(const char *real)
{
	static char why[PATH_MAX + 64];
	const char *home;

	if (!strcmp(real, "/")) {
		snprintf(why, sizeof(why), "'/' (the current folder), the "
			 "whole disk");
		return why;
	}
	home = cli_project_home_of(real);
	if (!home)
		return NULL;
	snprintf(why, sizeof(why), "'%s' (the current folder), %s", real,
		 def_path_covers(home, real) ? "a home folder" :
		 "a folder holding a home folder");
	return why;
}

char *
cli_project(const char *given, const char *cmd)
{
	return cli_project_for(NULL, given, cmd);
}

char *
cli_project_for(const struct container_def *def, const char *given,
		const char *cmd)
{
	char *real = realpath(given ? given : ".", NULL);
	const char *why;

	if (!real) {
		if (given)
			cli_error("%s: --project '%s': %s", cmd, given,
				  strerror(errno));
		else
			cli_error("%s: cannot read the working directory: %s",
				  cmd, strerror(errno));
		return NULL;
	}
	/* only where it matters: a definition whose paths use ${PROJECT} */
	if (given || (def && !def_uses_project(def)))
		return real;
	why = cli_project_problem(real);
	if (why) {
		cli_error("%s: the project would be %s: a definition's "
			  "${PROJECT} grants would cover all of it. Run sbox "
			  "from the project's folder, or name the folder with "
			  "--project DIR (-C DIR) if you mean it", cmd, why);
		free(real);
		return NULL;
	}
	return real;
}
