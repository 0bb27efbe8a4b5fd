/*
 * The calls `--trace` watches, and loading the observing filter with a
 * listener (seccomp_unotify(2)). Only path, exec and socket-address calls:
 * read(2), write(2) and the rest of a program's work never stop.
 */
#include "backend/trace_filter_linux.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const trace_filter_calls[] = {
	"open", "openat", "openat2", "creat", "execve", "execveat",
	"stat", "lstat", "newfstatat", "statx", "access", "faccessat",
	"faccessat2", "readlink", "readlinkat", "mkdir", "mkdirat", "mknod",
	"mknodat", "unlink", "unlinkat", "rmdir", "rename", "renameat",
	"renameat2", "link", "linkat", "symlink", "symlinkat", "truncate",
	"chmod", "fchmodat", "chown", "lchown", "fchownat", "utimes",
	"utimensat", "chdir", "connect", "bind", NULL,
};

int
trace_filter_load(const struct seccomp_bpf *bpf, struct sbox_err *err)
{
	struct sock_fprog prog = {
		(unsigned short)bpf->len,
		(struct sock_filter *)(uintptr_t)bpf->insns,
	};
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	if (fd < 0)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "cannot load the trace filter: %s (--trace needs "
			       "seccomp user notification, Linux 5.0)",
			       strerror(errno));
	return (int)fd;
}
