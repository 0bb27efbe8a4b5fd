/*
 * The macOS launch sequence (DESIGN.md "Launch order", MACOS.md §6) as
 * pure logic. Every Apple call and every system call it makes goes through
 * struct darwin_sys, so the same code runs against the real system
 * (backend/launch_darwin.c, the only file that sees Apple declarations)
 * and against a recording fake in tests/unit/test_darwin_launch.c, which
 * checks the exact order and arguments on Linux where nobody can run
 * macOS.
 *
 * Parent: refuse inside a sandbox -> canonical paths -> profile text with
 * imports resolved -> fork -> forward signals, wait, return the status.
 * Child: setsid -> chroot (root only) -> drop to the invoking user,
 * verified -> chdir -> limits -> close descriptors ->
 * sandbox_init_with_parameters -> execve.
 */
#ifndef SBOX_BACKEND_SEATBELT_H
#define SBOX_BACKEND_SEATBELT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/backend.h"
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
	/* Close every descriptor >= lowfd except keepfd. */
	int (*close_fds)(void *ctx, int lowfd, int keepfd);
	int (*execve)(void *ctx, const char *path, char *const argv[],
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
	 * The program's terminal (backend/seatbelt_pty.c). pty_open decides
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
 * Resolve at launch what the kernel resolves (backend/seatbelt_links.c):
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
