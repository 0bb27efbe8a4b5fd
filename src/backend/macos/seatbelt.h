/*
 * The macOS launch sequence (DESIGN.md "Launch order", MACOS.md §6) as
 * pure logic. Every Apple call and every system call it makes goes through
 * struct darwin_sys, so the same code runs against the real system
 * (backend/macos/launch_darwin.c, the only file that sees Apple declarations)
 * and against a recording fake in tests/unit/test_darwin_launch.c, which
 * checks the exact order and arguments on Linux where nobody can run
 * macOS.
 *
 * Parent: refuse inside a sandbox -> canonical paths -> profile text with
 * imports resolved -> can a chroot start the program here? -> compile the
 * profile -> fork -> forward signals, wait, return the status.
 * Child: setsid -> chroot (root only) -> drop to the invoking user,
 * verified -> chdir -> limits -> sandbox_apply of the compiled profile
 * (sandbox_init_with_parameters where libsandbox cannot compile) ->
 * posix_spawn SETEXEC|CLOEXEC_DEFAULT, which closes every descriptor
 * but 0-2 as it execs.
 */
#ifndef SBOX_BACKEND_SEATBELT_H
#define SBOX_BACKEND_SEATBELT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/backend.h"
#include "backend/macos/macho.h"
#include "backend/pty_relay.h"
#include "def/def.h"
#include "util/err.h"
#include "util/strbuf.h"

/* Resource numbers for darwin_sys.setrlimit, mapped to RLIMIT_* there. */
enum seatbelt_limit {
	SEATBELT_LIMIT_CPU,
	SEATBELT_LIMIT_NOFILE,
	SEATBELT_LIMIT_NPROC,
	SEATBELT_LIMIT_AS,
	SEATBELT_LIMIT_FSIZE,
};

/* System Integrity Protection's filesystem protection (csr_check). */
enum seatbelt_sip {
	SEATBELT_SIP_UNKNOWN = -1,  /* csr_check unavailable */
	SEATBELT_SIP_FS_OFF = 0,    /* csr_check(CSR_ALLOW_UNRESTRICTED_FS) == 0 */
	SEATBELT_SIP_FS_ON = 1,
};

/* Flags for darwin_sys.spawn, mapped to Apple's POSIX_SPAWN_* there. */
enum seatbelt_spawn_flags {
	SEATBELT_SPAWN_SETEXEC = 1 << 0,         /* exec in place */
	SEATBELT_SPAWN_CLOEXEC_DEFAULT = 1 << 1, /* close all not inherited */
};

/* What darwin_sys.pty_relay is asked to do (backend/pty_relay.h). */
enum seatbelt_pty_op {
	SEATBELT_PTY_START,     /* raw mode and the copying thread */
	SEATBELT_PTY_WINCH,     /* pass the new window size on */
	SEATBELT_PTY_STOP_SELF, /* terminal back, stop sbox (relay may be NULL) */
	SEATBELT_PTY_RESUME,    /* raw mode again after SIGCONT */
	SEATBELT_PTY_FINISH,    /* copy what is left, restore, close */
};

/*
 * The outside world. ctx is passed back to every call; the calls return
 * what their namesakes return and set errno the same way.
 */
struct darwin_sys {
	void *ctx;

	/* Apple: MACOS.md §1.3 prototypes, §1.5 error conventions. */
	int (*sandbox_check)(void *ctx, pid_t pid); /* 1 = sandboxed */
	int (*sandbox_init_with_parameters)(void *ctx, const char *profile,
					    uint64_t flags,
					    const char *const params[],
					    char **errorbuf);
	void (*sandbox_free_error)(void *ctx, char *errorbuf);
	/*
	 * Compile in the parent, apply in the child (Chromium's
	 * sandbox/mac/seatbelt.cc): private SPI resolved at run time.
	 * compile_api says whether libsandbox has all six; the handles are
	 * libsandbox's sandbox_params_t * and sandbox_profile_t *.
	 */
	int (*compile_api)(void *ctx);
	void *(*sandbox_create_params)(void *ctx);
	int (*sandbox_set_param)(void *ctx, void *params, const char *key,
				 const char *value);
	void *(*sandbox_compile_string)(void *ctx, const char *profile,
					void *params, char **error);
	void (*sandbox_free_params)(void *ctx, void *params);
	int (*sandbox_apply)(void *ctx, void *compiled); /* errno on failure */
	void (*sandbox_free_profile)(void *ctx, void *compiled);

	/* Host facts for the chroot decision; sysctl_string: -1 when absent. */
	int (*sysctl_string)(void *ctx, const char *name, char *buf, size_t n);
	enum seatbelt_sip (*sip_fs)(void *ctx);
	/* pread of a file by path: bytes read, or -1 with errno. */
	ssize_t (*pread_file)(void *ctx, const char *path, void *buf, size_t n,
			      uint64_t off);

	/* Process identity. */
	pid_t (*getpid)(void *ctx);
	uid_t (*getuid)(void *ctx);
	uid_t (*geteuid)(void *ctx);
	gid_t (*getgid)(void *ctx);
	gid_t (*getegid)(void *ctx);

	/* Files. realpath returns a heap string or NULL with errno. */
	char *(*realpath)(void *ctx, const char *path);
	int (*read_file)(void *ctx, const char *path, struct strbuf *out);
	/* The names in a folder (no . and ..), appended as heap strings;
	 * -1 with errno. May be NULL: no link resolution then. */
	int (*list_dir)(void *ctx, const char *path, struct def_strlist *names);

	/* The child's setup. */
	int (*pipe_cloexec)(void *ctx, int fds[2]);
	pid_t (*fork)(void *ctx);
	pid_t (*setsid)(void *ctx);
	int (*chroot)(void *ctx, const char *path);
	int (*chdir)(void *ctx, const char *path);
	int (*setgroups)(void *ctx, int n, const gid_t *groups);
	int (*setgid)(void *ctx, gid_t gid);
	int (*setuid)(void *ctx, uid_t uid);
	int (*setrlimit)(void *ctx, enum seatbelt_limit which, uint64_t value);
	/*
	 * posix_spawn of path with flags (enum seatbelt_spawn_flags) and
	 * file actions that inherit exactly inherit[0..ninherit): with
	 * SETEXEC it returns only on failure, an error number like
	 * posix_spawn's.
	 */
	int (*spawn)(void *ctx, const char *path, unsigned flags,
		     const int *inherit, size_t ninherit, char *const argv[],
		     char *const envp[]);
	void (*exit)(void *ctx, int code); /* _exit: never returns for real */

	/* The parent's wait. */
	ssize_t (*read)(void *ctx, int fd, void *buf, size_t n);
	ssize_t (*write)(void *ctx, int fd, const void *buf, size_t n);
	int (*close)(void *ctx, int fd);
	int (*sigprocmask)(void *ctx, int how, const sigset_t *set,
			   sigset_t *old);
	int (*sigwait)(void *ctx, const sigset_t *set, int *sig);
	/* on: a handler that does nothing; off: SIG_DFL. */
	int (*sigcatch)(void *ctx, int sig, int on);
	unsigned (*alarm)(void *ctx, unsigned seconds);
	pid_t (*waitpid)(void *ctx, pid_t pid, int *status, int options);
	int (*kill)(void *ctx, pid_t pid, int sig);
	double (*now)(void *ctx); /* monotonic seconds */

	/*
	 * The program's terminal (backend/macos/seatbelt_pty.c). pty_open decides
	 * (pty_relay_plan) and opens one with openpty(3), owned by uid:gid
	 * when the child drops to them: 1 with the slave and its name, 0
	 * for none, -1 with errno. pty_attach runs in the child after
	 * setsid (TIOCSCTTY, the slave on 0-2).
	 */
	int (*pty_open)(void *ctx, struct pty_relay *r, enum pty_mode mode,
			const uid_t *owner, const gid_t *group, int *slave,
			char *name, size_t namelen);
	int (*pty_attach)(void *ctx, const struct pty_relay *r, int slave);
	int (*pty_relay)(void *ctx, struct pty_relay *r, enum seatbelt_pty_op op);

	/*
	 * sbox's own steps, as hooks so the sequence can be tested without
	 * them: def_resolve and sbpl_emit_def in the real build.
	 */
	int (*resolve)(struct container_def *def, const struct def_vars *vars,
		       struct sbox_err *err);
	int (*emit)(const struct container_def *def, struct strbuf *out,
		    struct def_strlist *params, struct sbox_err *err);
};

/* Everything the child needs, computed in the parent before fork. */
struct seatbelt_plan {
	char *profile;       /* SBPL text, imports resolved when needed */
	char **params;       /* KEY, VALUE, ..., NULL */
	size_t nparams;      /* entries before the NULL */
	char *chroot_dir;    /* canonical root/, or NULL: no chroot */
	char *workdir;       /* chdir here (in-root path when chrooted) */
	int drop;            /* switch to uid/gid */
	uid_t uid;
	gid_t gid;
	char **argv;         /* copy of the request's argv */
	char **envp;         /* scrubbed environment, NULL-terminated */
	size_t nenv;
	struct def_limits limits;
	struct seatbelt_pty *pty; /* the program's terminal, or NULL */
};

void seatbelt_plan_init(struct seatbelt_plan *plan);
void seatbelt_plan_release(struct seatbelt_plan *plan);

/*
 * Canonical form of an absolute path (MACOS.md §1.8 item 10): symlinks
 * resolved with sys->realpath (/tmp -> /private/tmp), trailing slashes
 * gone; a missing tail is appended to its canonical existing ancestor
 * with "." and ".." folded there. Heap string, or NULL with err.
 */
char *seatbelt_canon_path(const struct darwin_sys *sys, const char *path,
			  struct sbox_err *err);

/* Value of NAME in a NULL-terminated environment, or NULL. */
const char *seatbelt_env_get(char *const *envp, const char *name);

/*
 * Replace (import "NAME") forms in profile with the files they name, read
 * now, before any chroot makes them unreachable (MACOS.md §1.7). Names
 * are looked up in dirs in order (absolute names as they are); a name
 * found in none of dirs is kept as written when keep_unfound is set
 * (libsandbox resolves Apple's own profiles itself), else it is an error.
 */
int seatbelt_imports_resolve(const struct darwin_sys *sys, const char *profile,
			     const char *const *dirs, int keep_unfound,
			     struct strbuf *out, struct sbox_err *err);

/*
 * The program's environment: backend/env_scrub.h's (the definition's
 * inherited and set variables, HOME, TMPDIR, a PATH), without DYLD_*,
 * plus CFFIXED_USER_HOME when cf_home is not NULL (MACOS.md §3.3) and
 * SBOX_CONTAINER. Fills plan->envp and plan->nenv.
 */
void seatbelt_env_build(const struct launch_request *req, const char *home,
			const char *cf_home, const char *tmpdir,
			struct seatbelt_plan *plan);

/*
 * Resolve at launch what the kernel resolves (backend/macos/seatbelt_links.c):
 * on a canonical definition, grant the resolved places of the links
 * directly inside its read and exec folders and of the program (a bare
 * name looked up in envp's PATH), for the same rights, with a Python
 * framework stub's Python.app; never inside a
 * denied path, never from folders the program may write.
 */
void seatbelt_links_grant(const struct darwin_sys *sys, struct container_def *def,
			  const char *program, char *const *envp);
/* darwin_sys.list_dir over opendir/readdir (POSIX, also used by tests). */
int seatbelt_list_dir(void *ctx, const char *path, struct def_strlist *names);
/* The developer folder: DEVELOPER_DIR, else xcode-select's link, resolved;
 * NULL when there is none. */
char *seatbelt_devdir_find(const struct darwin_sys *sys, char *const *envp);
/* Grant it read and exec where the definition lets /usr/bin's shims run. */
void seatbelt_devdir_grant(const struct darwin_sys *sys, struct container_def *def,
			   char *const *envp);

/* Build the plan for one launch request (the parent's work before fork). */
int seatbelt_plan_build(const struct darwin_sys *sys,
			const struct launch_request *req,
			struct seatbelt_plan *plan, struct sbox_err *err);

/* ---- the chroot decision (backend/macos/seatbelt_chroot.c) ---- */

struct seatbelt_chroot_facts {
	int macos_major;          /* kern.osproductversion; 0 unknown */
	int darwin_major;         /* kern.osrelease; 0 unknown */
	enum seatbelt_sip sip;
	enum macho_link link;     /* the program in the root (after #!) */
};

enum seatbelt_chroot_verdict {
	SEATBELT_CHROOT_OK_OLD_RELEASE, /* 10.15 and earlier */
	SEATBELT_CHROOT_OK_SIP_OFF,
	SEATBELT_CHROOT_OK_STATIC,
	SEATBELT_CHROOT_REFUSE,
};

/* Major macOS version of a product version string; "10.16" is 11+. */
int seatbelt_macos_major(const char *product_version);

/* Unknown release or SIP state count as the strict case. */
enum seatbelt_chroot_verdict
seatbelt_chroot_decide(const struct seatbelt_chroot_facts *f);

/*
 * With plan->chroot_dir: gather the facts (release, SIP, the program's
 * Mach-O in the root) and refuse with SBOX_E_UNSUPPORTED and the reason
 * when the chroot cannot start the program.
 */
int seatbelt_chroot_check(const struct darwin_sys *sys,
			  const struct launch_request *req,
			  const struct seatbelt_plan *plan,
			  struct sbox_err *err);

/* ---- compile before fork (backend/macos/seatbelt_compile.c) ---- */

/* libsandbox's compiled profile, or NULL: the child falls back. */
struct seatbelt_compiled {
	void *profile;
};

/*
 * Compile plan->profile with plan->params in the parent. Without the
 * compile API leaves out->profile NULL and returns 0; a profile libsandbox
 * rejects is an error with Apple's message, before any process exists.
 */
int seatbelt_profile_compile(const struct darwin_sys *sys,
			     const struct seatbelt_plan *plan,
			     struct seatbelt_compiled *out,
			     struct sbox_err *err);

/* In the child: sandbox_apply, or sandbox_init_with_parameters. */
int seatbelt_profile_apply(const struct darwin_sys *sys,
			   const struct seatbelt_plan *plan,
			   const struct seatbelt_compiled *comp,
			   struct sbox_err *err);

void seatbelt_profile_free(const struct darwin_sys *sys,
			   struct seatbelt_compiled *comp);

/*
 * The program's terminal on macOS (seatbelt_pty.c): openpty in sbox before
 * fork, the slave made the child's controlling terminal after setsid, and
 * a profile that allows that one terminal (its name as
 * a string literal) and ptys the program opens itself, no other terminal.
 */
struct seatbelt_pty {
	struct pty_relay relay;
	int slave;
	char name[128];
	int finished;        /* the relay's FINISH is done */
};

int seatbelt_pty_prepare(const struct darwin_sys *sys,
			 const struct launch_request *req,
			 struct seatbelt_plan *plan, struct sbox_err *err);
/* In the child, right after setsid. */
int seatbelt_pty_child(const struct darwin_sys *sys,
		       const struct seatbelt_plan *plan, struct sbox_err *err);
/* In the parent: after fork (close the slave), once the program runs. */
void seatbelt_pty_forked(const struct darwin_sys *sys,
			 const struct seatbelt_plan *plan);
int seatbelt_pty_start(const struct darwin_sys *sys,
		       const struct seatbelt_plan *plan, struct sbox_err *err);
/* SIGWINCH, SIGTSTP, SIGCONT while waiting: 1 when handled here. */
int seatbelt_pty_signal(const struct darwin_sys *sys,
			const struct seatbelt_plan *plan, pid_t pid, int sig);
/* The program ended: the user's terminal as it was. Then release. */
void seatbelt_pty_finish(const struct darwin_sys *sys,
			 const struct seatbelt_plan *plan);
void seatbelt_pty_release(const struct darwin_sys *sys,
			  struct seatbelt_plan *plan);
/* The real darwin_sys pty calls (pty_darwin.c, over pty_relay.c). */
int seatbelt_real_pty_open(void *ctx, struct pty_relay *r, enum pty_mode mode,
			   const uid_t *owner, const gid_t *group, int *slave,
			   char *name, size_t namelen);
int seatbelt_real_pty_attach(void *ctx, const struct pty_relay *r, int slave);
int seatbelt_real_pty_relay(void *ctx, struct pty_relay *r,
			    enum seatbelt_pty_op op);

/*
 * The whole launch: returns 0 with the CLI status in *status (the
 * program's code, 128+N for signal N) or -1 with err
 * (SBOX_E_UNSUPPORTED: exit 3; otherwise 125).
 */
int seatbelt_launch(const struct darwin_sys *sys,
		    const struct launch_request *req, int *status,
		    struct sbox_err *err);

#endif
