/*
 * A host for the real macOS launcher on Linux: tests/backend/t050[12]-*.sh
 * link src/backend/macos/launch_darwin.c (compiled against tests/shim) with this
 * file, which stands in for libsandbox, so the darwin file's own system
 * calls -- fork, chroot, the privilege drop, descriptor closing, sigwait,
 * execve -- run for real.
 *
 *   darwin_host -- PROGRAM ARGS...
 *
 * Environment: HOST_DATA (the container's Data/, required), HOST_ROOT
 * (a root to chroot into), HOST_DEFDIR (folder of the definition, for
 * imports), HOST_DEF (the definition, darwin_host_load.c), HOST_TIMEOUT
 * (wall-clock seconds), HOST_RECORD (prefix of files the libsandbox and
 * posix_spawn stand-ins write what they got to),
 * HOST_SANDBOXED (sandbox_check says yes), HOST_INIT_FAIL (the profile is
 * rejected with an Apple-style message: by sandbox_compile_string, or by
 * sandbox_init_with_parameters in the fallback), HOST_OSVERSION and
 * HOST_OSRELEASE (kern.osproductversion, kern.osrelease; unset: absent),
 * HOST_SIP (on or off: what csr_check says).
 *
 * Built with -rdynamic, so launch_darwin.c's dlsym(RTLD_DEFAULT, ...)
 * finds the compile/apply SPI and csr_check stand-ins below; built with
 * -DHOST_NO_SPI they do not exist, as on a libsandbox without them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
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

/* Appends a line to HOST_RECORD.SUFFIX. */
static void
record_line(const char *suffix, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
record_line(const char *suffix, const char *fmt, ...)
{
	const char *prefix = getenv("HOST_RECORD");
	char path[PATH_MAX];
	va_list ap;
	int fd;

	if (!prefix)
		return;
	snprintf(path, sizeof(path), "%s.%s", prefix, suffix);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	va_start(ap, fmt);
	vdprintf(fd, fmt, ap);
	va_end(ap);
	close(fd);
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
	record_line("how", "init pid=%d\n", (int)getpid());
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

#ifndef HOST_NO_SPI
/*
 * The compile/apply SPI (Chromium's declarations, MACOS.md §1.3). Like
 * libsandbox, set_param keeps the pointers it is given, and the compiled
 * form is a copy of the text with the parameters bound; apply records
 * which process applied it.
 */
struct sandbox_params {
	const char *kv[512];
	size_t n;
};

struct sandbox_profile {
	char *builtin;
	const unsigned char *data;
	size_t size;
};

struct sandbox_params *sandbox_create_params(void);
int sandbox_set_param(struct sandbox_params *p, const char *key,
		      const char *value);
void sandbox_free_params(struct sandbox_params *p);
struct sandbox_profile *sandbox_compile_string(const char *data,
					       struct sandbox_params *p,
					       char **error);
int sandbox_apply(struct sandbox_profile *prof);
void sandbox_free_profile(struct sandbox_profile *prof);
int csr_check(uint32_t mask);

struct sandbox_params *
sandbox_create_params(void)
{
	return xcalloc(1, sizeof(struct sandbox_params));
}

int
sandbox_set_param(struct sandbox_params *p, const char *key, const char *value)
{
	if (p->n + 3 > sizeof(p->kv) / sizeof(p->kv[0]))
		return -1;
	for (size_t i = 0; i < p->n; i += 2)
		if (!strcmp(p->kv[i], key))
			return -1;   /* duplicate keys are not permitted */
	p->kv[p->n++] = key;
	p->kv[p->n++] = value;
	return 0;
}

void
sandbox_free_params(struct sandbox_params *p)
{
	free(p);
}

struct sandbox_profile *
sandbox_compile_string(const char *data, struct sandbox_params *p,
		       char **error)
{
	struct sandbox_profile *prof;

	record_line("how", "compile pid=%d\n", (int)getpid());
	p->kv[p->n] = NULL;
	record(data, 0, p->kv);
	if (getenv("HOST_INIT_FAIL")) {
		*error = xstrdup("<input string>:3:1: unbound variable READ_9 "
				 "(host stand-in)");
		return NULL;
	}
	*error = NULL;
	prof = xcalloc(1, sizeof(*prof));
	prof->data = (const unsigned char *)xstrdup(data);
	prof->size = strlen(data);
	return prof;
}

int
sandbox_apply(struct sandbox_profile *prof)
{
	record_line("how", "apply pid=%d size=%zu\n", (int)getpid(),
		    prof->size);
	return 0;
}

void
sandbox_free_profile(struct sandbox_profile *prof)
{
	free((void *)prof->data);
	free(prof);
}

/* SIP, as HOST_SIP says; only CSR_ALLOW_UNRESTRICTED_FS is asked. */
int
csr_check(uint32_t mask)
{
	const char *sip = getenv("HOST_SIP");

	if (mask != (1u << 1))
		return EINVAL;
	return sip && !strcmp(sip, "off") ? 0 : EPERM;
}
#endif

/* ---- sysctl, stood in by HOST_OSVERSION / HOST_OSRELEASE ------------- */

int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp,
	     size_t newlen)
{
	const char *v = !strcmp(name, "kern.osproductversion") ?
			getenv("HOST_OSVERSION") :
			!strcmp(name, "kern.osrelease") ?
			getenv("HOST_OSRELEASE") : NULL;
	size_t n;

	if (newp || newlen || !v) {
		errno = ENOENT;
		return -1;
	}
	n = strlen(v) + 1;
	if (n > *oldlenp) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(oldp, v, n);
	*oldlenp = n;
	return 0;
}

/*
 * ---- posix_spawn with Apple's semantics, on Linux ------------------
 * POSIX_SPAWN_SETEXEC: an execve of this process (posix_spawnattr_
 * setflags(3)); POSIX_SPAWN_CLOEXEC_DEFAULT: every descriptor the file
 * actions do not mark with posix_spawn_file_actions_addinherit_np is
 * closed at the exec. Only what launch_darwin.c uses.
 */
struct host_attr {
	short flags;
};

struct host_actions {
	int inherit[16];
	size_t n;
	int dup2[8][2];      /* adddup2: from, to (in order) */
	size_t ndup2;
};

int
posix_spawnattr_init(posix_spawnattr_t *attr)
{
	*attr = xcalloc(1, sizeof(struct host_attr));
	return 0;
}

int
posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
	free(*attr);
	return 0;
}

int
posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	((struct host_attr *)*attr)->flags = flags;
	return 0;
}

int
posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	*fa = xcalloc(1, sizeof(struct host_actions));
	return 0;
}

int
posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	free(*fa);
	return 0;
}

int
posix_spawn_file_actions_addinherit_np(posix_spawn_file_actions_t *fa,
				       int filedes)
{
	struct host_actions *a = *fa;

	if (filedes < 0)
		return EBADF;
	if (a->n == sizeof(a->inherit) / sizeof(a->inherit[0]))
		return ENOMEM;
	a->inherit[a->n++] = filedes;
	return 0;
}

int
posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int filedes,
				 int newfiledes)
{
	struct host_actions *a = *fa;

	if (filedes < 0 || newfiledes < 0)
		return EBADF;
	if (a->ndup2 == sizeof(a->dup2) / sizeof(a->dup2[0]))
		return ENOMEM;
	a->dup2[a->ndup2][0] = filedes;
	a->dup2[a->ndup2++][1] = newfiledes;
	return 0;
}

static int
inherited(const struct host_actions *a, int fd)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->inherit[i] == fd)
			return 1;
	return 0;
}

/* Mark (or, on failure, unmark) close-on-exec every non-inherited fd. */
static void
cloexec_all_but(const struct host_actions *a, int on, int *was, size_t max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d) || inherited(a, fd) ||
		    fd >= (int)max)
			continue;
		if (on) {
			int fl = fcntl(fd, F_GETFD);

			was[fd] = fl;
			if (fl >= 0)
				fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
		} else if (was[fd] >= 0) {
			fcntl(fd, F_SETFD, was[fd]);
		}
	}
	if (d)
		closedir(d);
}

/* The exec itself: file actions, close-on-exec, execve; errno on failure. */
static int
spawn_exec(const char *path, const struct host_actions *a, short flags,
	   char *const argv[], char *const envp[])
{
	static int was[4096];

	for (size_t i = 0; a && i < a->ndup2; i++)
		if (dup2(a->dup2[i][0], a->dup2[i][1]) < 0)
			return errno;
	memset(was, 0xff, sizeof(was));
	if (flags & POSIX_SPAWN_CLOEXEC_DEFAULT)
		cloexec_all_but(a, 1, was, sizeof(was) / sizeof(was[0]));
	execve(path, argv, envp);
	{
		int e = errno;

		if (flags & POSIX_SPAWN_CLOEXEC_DEFAULT)
			cloexec_all_but(a, 0, was, sizeof(was) / sizeof(was[0]));
		return e;
	}
}

int
posix_spawn(pid_t *__restrict pid, const char *__restrict path,
	    const posix_spawn_file_actions_t *file_actions,
	    const posix_spawnattr_t *__restrict attrp,
	    char *const argv[__restrict], char *const envp[__restrict])
{
	const struct host_attr *attr = attrp ? *attrp : NULL;
	const struct host_actions *a = file_actions ? *file_actions : NULL;
	short flags = attr ? attr->flags : 0;
	char fds[128] = "";
	pid_t child;

	for (size_t i = 0; a && i < a->n; i++)
		snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d",
			 i ? "," : "", a->inherit[i]);
	record_line("spawn", "%s flags=%s%s inherit=%s\n", path,
		    flags & POSIX_SPAWN_SETEXEC ? "SETEXEC" : "",
		    flags & POSIX_SPAWN_CLOEXEC_DEFAULT ? "|CLOEXEC_DEFAULT" : "",
		    fds);
	if (flags & POSIX_SPAWN_SETEXEC)
		return spawn_exec(path, a, flags, argv, envp);
	/* The ordinary form: a child that execs, its pid to the caller. */
	child = fork();
	if (child < 0)
		return errno;
	if (child == 0)
		_exit(spawn_exec(path, a, flags, argv, envp) ? 127 : 0);
	if (pid)
		*pid = child;
	return 0;
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
	record_line("how", "main pid=%d\n", (int)getpid());
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
