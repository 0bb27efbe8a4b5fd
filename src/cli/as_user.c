/*
 * Root through sudo reads every file a definition names (the definition,
 * its extends, SBPL imports) with the invoking user's rights and groups
 * (util/user_rights.h), so a definition cannot show its author, through
 * sbox's messages, a file they cannot read themselves.
 */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

#include "util/user_rights.h"

static struct user_rights rights;
static int rights_known;

int
cli_as_user(void)
{
	if (!rights_known) {
		user_rights_for_sudo(&rights);
		rights_known = 1;
	}
	if (user_rights_enter(&rights) < 0) {
		cli_error("cannot take the rights of uid %ld to read what it "
			  "named: %s", (long)rights.uid, strerror(errno));
		return EXIT_LAUNCH_FAILED;
	}
	return 0;
}

void
cli_as_root(void)
{
	user_rights_leave(&rights);
}
