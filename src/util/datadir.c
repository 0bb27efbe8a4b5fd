#include "util/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#ifndef SBOX_DATADIR
#define SBOX_DATADIR "/usr/local/share/sbox"
#endif

static int
exe_path(char *buf, size_t size)
{
#ifdef __APPLE__
	uint32_t n = (uint32_t)size;

	return _NSGetExecutablePath(buf, &n) == 0 ? 0 : -1;
#else
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
#endif
}

/* build/sbox (or build-asan/sbox) inside a source tree with profiles/. */
static int
tree_next_to_binary(char *out, size_t size)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	struct stat st;
	char *slash;

	if (exe_path(exe, sizeof(exe)) < 0)
		return -1;
	for (int up = 0; up < 2; up++) {
		slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/profiles", exe);
		if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(out, size, "%s", exe);
			return 0;
		}
	}
	return -1;
}

const char *
sbox_datadir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SBOX_DATADIR");

	if (env && *env)
		return env;
	if (!dir[0] && tree_next_to_binary(dir, sizeof(dir)) < 0)
		snprintf(dir, sizeof(dir), "%s", SBOX_DATADIR);
	return dir;
}
