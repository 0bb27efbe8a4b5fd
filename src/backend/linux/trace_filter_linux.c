/*
 * The calls `--trace` watches, and loading the observing filter with a
 * listener (seccomp_unotify(2)). Only path, exec and socket-address calls:
 * read(2), write(2) and the rest of a program's work never stop.
 */
#include "backend/linux/trace_filter_linux.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/xalloc.h"

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
trace_filter_join(const struct seccomp_bpf *enforcing,
		  const struct seccomp_bpf *observing, struct seccomp_bpf *out)
{
	size_t n = enforcing->len + observing->len;
	struct sock_filter *v;

	if (n > BPF_MAXINSNS)
		return -1;
	v = xcalloc(n, sizeof(*v));
	memcpy(v, enforcing->insns, enforcing->len * sizeof(*v));
	memcpy(v + enforcing->len, observing->insns, observing->len * sizeof(*v));
	for (size_t i = 0; i < enforcing->len; i++) {
		if (BPF_CLASS(v[i].code) != BPF_RET)
			continue;
		if (BPF_RVAL(v[i].code) != BPF_K) {
			free(v);
			return -1;  /* a computed answer: cannot tell allow */
		}
		if (v[i].k != SECCOMP_RET_ALLOW)
			continue;
		/* jump to the observing part, which loads all it reads */
		v[i].code = BPF_JMP | BPF_JA;
		v[i].jt = v[i].jf = 0;
		v[i].k = (uint32_t)(enforcing->len - i - 1);
	}
	out->insns = v;
	out->len = n;
	return 0;
}
