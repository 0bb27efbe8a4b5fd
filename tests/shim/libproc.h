/*
 * Declaration shim for <libproc.h> (with the part of <sys/proc_info.h> it
 * brings in), so src/backend/launch_darwin.c compiles on Linux. As the
 * public headers declare them (apple-oss-distributions/xnu:
 * libsyscall/wrappers/libproc/libproc.h, bsd/sys/proc_info.h): the
 * PROC_PIDLISTFDS flavour of proc_pidinfo fills an array of struct
 * proc_fdinfo and returns the bytes used.
 */
#ifndef SBOX_TESTS_SHIM_LIBPROC_H
#define SBOX_TESTS_SHIM_LIBPROC_H

#include <stdint.h>

struct proc_fdinfo {
	int32_t proc_fd;
	uint32_t proc_fdtype;
};

#define PROC_PIDLISTFDS 1
#define PROC_PIDLISTFD_SIZE (sizeof(struct proc_fdinfo))

int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer,
		 int buffersize);

#endif
