/*
 * Declaration shim for Apple's <spawn.h> (with the Darwin flags of
 * <sys/spawn.h>), so src/backend/macos/launch_darwin.c compiles on Linux against
 * what the macOS SDK declares, not glibc's header: the attribute and file
 * action objects are opaque pointers, POSIX_SPAWN_SETEXEC (0x0040) and
 * POSIX_SPAWN_CLOEXEC_DEFAULT (0x4000) are Apple extensions, and
 * posix_spawn_file_actions_addinherit_np is Apple's (apple-oss-
 * distributions/xnu bsd/sys/spawn.h, libsyscall/wrappers/spawn/spawn.h;
 * posix_spawnattr_setflags(3), posix_spawn_file_actions_addinherit_np(3)).
 * tests/backend/darwin_host.c implements them with Apple's semantics.
 */
#ifndef SBOX_TESTS_SHIM_SPAWN_H
#define SBOX_TESTS_SHIM_SPAWN_H

#include <signal.h>
#include <sys/types.h>

typedef void *posix_spawnattr_t;
typedef void *posix_spawn_file_actions_t;

#define POSIX_SPAWN_RESETIDS 0x0001
#define POSIX_SPAWN_SETPGROUP 0x0002
#define POSIX_SPAWN_SETSIGDEF 0x0004
#define POSIX_SPAWN_SETSIGMASK 0x0008
#define POSIX_SPAWN_SETEXEC 0x0040
#define POSIX_SPAWN_START_SUSPENDED 0x0080
#define POSIX_SPAWN_CLOEXEC_DEFAULT 0x4000

int posix_spawn(pid_t *__restrict pid, const char *__restrict path,
		const posix_spawn_file_actions_t *file_actions,
		const posix_spawnattr_t *__restrict attrp,
		char *const argv[__restrict], char *const envp[__restrict]);
int posix_spawnp(pid_t *__restrict pid, const char *__restrict file,
		 const posix_spawn_file_actions_t *file_actions,
		 const posix_spawnattr_t *__restrict attrp,
		 char *const argv[__restrict], char *const envp[__restrict]);
int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr,
			     short *__restrict flags);
int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict attr,
			       const sigset_t *__restrict sigmask);
int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr,
				  const sigset_t *__restrict sigdefault);
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa,
				      int filedes);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa,
				     int filedes, int newfiledes);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa,
				     int filedes, const char *__restrict path,
				     int oflag, mode_t mode);
int posix_spawn_file_actions_addinherit_np(posix_spawn_file_actions_t *fa,
					   int filedes);

#endif
