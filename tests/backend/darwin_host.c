/*
 * A host for the real macOS launcher on Linux: tests/backend/t050[12]-*.sh
 * link src/backend/launch_darwin.c (compiled against tests/shim) with this
 * file, which stands in for libsandbox, so the darwin file's own system
 * calls -- fork, chroot, the privilege drop, descriptor closing, sigwait,
 * execve -- run for real.
 *
 *   darwin_host -- PROGRAM ARGS...
 *
 * Environment: HOST_DATA (the container's Data/, required), HOST_ROOT
 * (a root to chroot into), HOST_DEFDIR (folder of the definition, for
 * imports), HOST_DEF (the definition, darwin_host_load.c), HOST_TIMEOUT
 * (wall-clock seconds), HOST_RECORD (prefix of files the libsandbox
 * stand-in writes the profile and parameters to),
 * HOST_SANDBOXED (sandbox_check says yes), HOST_INIT_FAIL (sandbox_init
 * fails with an Apple-style message).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libproc.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "backend/backend.h"
#include "def/def.h"
#include "util/xalloc.h"

/*
 * The definition: a fixed one with stand-in def_resolve and
 * sbpl_emit_def (darwin_host_fixed.c), or a real file through def_load
 * (darwin_host_load.c).
 */
int host_def_load(struct container_def *def);
void host_def_release(struct container_def *def);

/* ---- libsandbox, stood in (prototypes as MACOS.md §1.3) ------------ */

int sandbox_check(pid_t pid, const char *operation, int type, ...);
int sandbox_init_with_parameters(const char *profile, uint64_t flags,
				 const char *const parameters[],
				 char **errorbuf);
void sandbox_free_error(char *errorbuf);

int
sandbox_check(pid_t pid, const char *operation, int type, ...)
{
	return pid == getpid() && !operation && type == 0 &&
	       getenv("HOST_SANDBOXED") ? 1 : 0;
}

/* HOST_RECORD.sb gets the profile, .params one KEY=VALUE a line, .flags. */
static void
record(const char *profile, uint64_t flags, const char *const params[])
{
	const char *prefix = getenv("HOST_RECORD");
	char path[PATH_MAX];
	int fd;

	if (!prefix)
		return;
	snprintf(path, sizeof(path), "%s.sb", prefix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dprintf(fd, "%s", profile);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s.params", prefix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		for (size_t i = 0; params[i]; i += 2)
			dprintf(fd, "%s=%s\n", params[i],
				params[i + 1] ? params[i + 1] : "(NULL!)");
		close(fd);
	}
	snprintf(path, sizeof(path), "%s.flags", prefix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dprintf(fd, "%llu\n", (unsigned long long)flags);
		close(fd);
	}
}

int
sandbox_init_with_parameters(const char *profile, uint64_t flags,
			     const char *const parameters[], char **errorbuf)
{
	record(profile, flags, parameters);
	if (getenv("HOST_INIT_FAIL")) {
		*errorbuf = xstrdup("<input string>:3:1: unbound variable "
				    "READ_9 (host stand-in)");
		return -1;
	}
	*errorbuf = NULL;
	return 0;
}

void
sandbox_free_error(char *errorbuf)
{
	free(errorbuf);
}

/* ---- libproc, stood in with /proc (HOST_NO_LIBPROC: unavailable) ---- */

int
proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize)
{
	struct proc_fdinfo *out = buffer;
	size_t n = 0, max = (size_t)buffersize / sizeof(*out);
	struct dirent *e;
	DIR *d;

	(void)arg;
	if (getenv("HOST_NO_LIBPROC") || pid != getpid() ||
	    flavor != PROC_PIDLISTFDS || !(d = opendir("/proc/self/fd"))) {
		errno = ENOTSUP;
		return -1;
	}
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		out[n].proc_fd = atoi(e->d_name);
		out[n++].proc_fdtype = 0;
	}
	closedir(d);
	return (int)(n * sizeof(*out));
}

/* ---- main ---------------------------------------------------------- */

static void
host_warn(const char *msg)
{
	fprintf(stderr, "darwin_host: warning: %s\n", msg);
}

int
main(int argc, char **argv)
{
	struct container_def def;
	struct launch_request req;
	struct sbox_err err = SBOX_ERR_INIT;
	struct launch_result result;
	char cwd[PATH_MAX];
	int status = 0, rc;

	if (argc < 3 || strcmp(argv[1], "--") || !getenv("HOST_DATA")) {
		fprintf(stderr, "usage: HOST_DATA=DIR darwin_host -- PROGRAM "
			"ARGS...\n");
		return 2;
	}
	if (host_def_load(&def) < 0)
		return 2;
	def.limits.wall_seconds = getenv("HOST_TIMEOUT") ?
				  strtoull(getenv("HOST_TIMEOUT"), NULL, 10) : 0;
	memset(&req, 0, sizeof(req));
	req.def = &def;
	req.data_dir = getenv("HOST_DATA");
	req.root_dir = getenv("HOST_ROOT");
	req.project_dir = getcwd(cwd, sizeof(cwd));
	req.real_home = getenv("HOME") ? getenv("HOME") : "/";
	req.argv = argv + 2;
	req.envp = environ;
	/* HOST_PTY=on|off: sbox launch --pty / --no-pty */
	if (getenv("HOST_PTY"))
		req.pty = !strcmp(getenv("HOST_PTY"), "on") ? PTY_ON :
			  !strcmp(getenv("HOST_PTY"), "off") ? PTY_OFF : PTY_AUTO;
	req.warn = host_warn;
	req.result = &result;
	rc = backend_launch(&req, &status, &err);
	if (rc == 0)
		fprintf(stderr, "darwin_host: result exited=%d code=%d signal=%d "
			"timed_out=%d seconds=%.0f\n", result.exited,
			result.exit_code, result.signal, result.timed_out,
			result.seconds);
	host_def_release(&def);
	if (rc < 0) {
		fprintf(stderr, "darwin_host: %s\n", err.msg);
		return err.code == SBOX_E_UNSUPPORTED ? 3 : 125;
	}
	return status;
}
