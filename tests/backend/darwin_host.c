/*
 * A host for the real macOS launcher on Linux: tests/backend/
 * t0501-darwin-host.sh links src/backend/launch_darwin.c (compiled against
 * tests/shim) with this file, which stands in for libsandbox and for the
 * definition steps, so the darwin file's own system calls -- fork, chroot,
 * the privilege drop, descriptor closing, sigwait, execve -- run for real.
 *
 *   darwin_host -- PROGRAM ARGS...
 *
 * Environment: HOST_DATA (the container's Data/, required), HOST_ROOT
 * (a root to chroot into), HOST_DEFDIR (folder of the definition, for
 * imports), HOST_TIMEOUT (wall-clock seconds), HOST_RECORD (file the
 * libsandbox stand-in writes the profile and parameters to),
 * HOST_SANDBOXED (sandbox_check says yes), HOST_INIT_FAIL (sandbox_init
 * fails with an Apple-style message).
 */
#include <fcntl.h>
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
#include "sbpl/emit.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

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

static void
record(const char *profile, uint64_t flags, const char *const params[])
{
	const char *path = getenv("HOST_RECORD");
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	dprintf(fd, "flags=%llu\n%s\n", (unsigned long long)flags, profile);
	for (size_t i = 0; params[i]; i += 2)
		dprintf(fd, "param %s=%s\n", params[i],
			params[i + 1] ? params[i + 1] : "(NULL!)");
	close(fd);
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

/* ---- the definition steps, stood in -------------------------------- */

static void
expand(struct def_path_list *l, const char *var, const char *value)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (!strcmp(l->v[i].path, var)) {
			free(l->v[i].path);
			l->v[i].path = xstrdup(value);
		}
	}
}

int
def_resolve(struct container_def *def, const struct def_vars *vars,
	    struct sbox_err *err)
{
	(void)err;
	expand(&def->fs_read, "${PROJECT}", vars->project);
	expand(&def->fs_write, "${CONTAINER}", vars->container);
	return 0;
}

int
sbpl_emit_def(const struct container_def *def, struct strbuf *out,
	      struct def_strlist *params, struct sbox_err *err)
{
	(void)err;
	strbuf_addstr(out, "(version 1)\n(allow default)\n"
		      "(import \"host-extra.sb\")\n");
	ALLOC_GROW(params->v, params->nr + 4, params->alloc);
	params->v[params->nr++] = xstrdup("READ_0");
	params->v[params->nr++] = xstrdup(def->fs_read.v[0].path);
	params->v[params->nr++] = xstrdup("WRITE_0");
	params->v[params->nr++] = xstrdup(def->fs_write.v[0].path);
	return 0;
}

/* ---- main ---------------------------------------------------------- */

static void
host_warn(const char *msg)
{
	fprintf(stderr, "darwin_host: warning: %s\n", msg);
}

static void
path_list_one(struct def_path_list *l, const char *p)
{
	l->v = xcalloc(1, sizeof(*l->v));
	l->v[0].path = xstrdup(p);
	l->nr = l->alloc = 1;
}

int
main(int argc, char **argv)
{
	static char name[] = "host", inherit_path[] = "PATH",
		    inherit_lang[] = "LANG", ci[] = "CI", one[] = "1";
	static char *inherit[] = { inherit_path, inherit_lang };
	struct def_env_set set = { ci, one };
	struct container_def def;
	struct launch_request req;
	struct sbox_err err = SBOX_ERR_INIT;
	char cwd[PATH_MAX], source[PATH_MAX];
	int status = 0, rc;

	if (argc < 3 || strcmp(argv[1], "--") || !getenv("HOST_DATA")) {
		fprintf(stderr, "usage: HOST_DATA=DIR darwin_host -- PROGRAM "
			"ARGS...\n");
		return 2;
	}
	memset(&def, 0, sizeof(def));
	memset(&req, 0, sizeof(req));
	snprintf(source, sizeof(source), "%s/host.json",
		 getenv("HOST_DEFDIR") ? getenv("HOST_DEFDIR") : ".");
	def.name = name;
	def.source = source;
	def.env_inherit.v = inherit;
	def.env_inherit.nr = 2;
	def.env_set = &set;
	def.nenv_set = 1;
	def.limits.wall_seconds = getenv("HOST_TIMEOUT") ?
				  strtoull(getenv("HOST_TIMEOUT"), NULL, 10) : 0;
	path_list_one(&def.fs_read, "${PROJECT}");
	path_list_one(&def.fs_write, "${CONTAINER}");
	req.def = &def;
	req.data_dir = getenv("HOST_DATA");
	req.root_dir = getenv("HOST_ROOT");
	req.project_dir = getcwd(cwd, sizeof(cwd));
	req.real_home = getenv("HOME") ? getenv("HOME") : "/";
	req.argv = argv + 2;
	req.envp = environ;
	req.warn = host_warn;
	rc = backend_launch(&req, &status, &err);
	free(def.fs_read.v[0].path);
	free(def.fs_read.v);
	free(def.fs_write.v[0].path);
	free(def.fs_write.v);
	if (rc < 0) {
		fprintf(stderr, "darwin_host: %s\n", err.msg);
		return err.code == SBOX_E_UNSUPPORTED ? 3 : 125;
	}
	return status;
}
