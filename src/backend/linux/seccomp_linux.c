/*
 * Loads the seccomp program into the container's first process. The
 * program itself was built at build time (see seccomp_linux.h for why):
 * loading it is one system call, with no allocation and no libseccomp.
 */
#include "backend/linux/seccomp_linux.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
seccomp_filter_load(const struct seccomp_bpf *bpf, struct sbox_err *err)
{
	/* the kernel copies the program and never writes to it */
	struct sock_fprog prog = {
		(unsigned short)bpf->len,
		(struct sock_filter *)(uintptr_t)bpf->insns,
	};

	/* a listener: memfd_create and listen() go to init (Linux 5.0) */
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	if (fd < 0)
		return err_set(err, SBOX_E_UNSUPPORTED,
			       "cannot load the seccomp filter: %s (Hint: the "
			       "kernel needs CONFIG_SECCOMP_FILTER and Linux "
			       "5.0 or later)", strerror(errno));
	return (int)fd;
}
