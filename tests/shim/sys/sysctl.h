/*
 * Declaration shim for Apple's <sys/sysctl.h> (glibc no longer has the
 * header): sysctlbyname as the macOS SDK declares it, for
 * src/backend/macos/launch_darwin.c on Linux. tests/backend/darwin_host.c
 * stands in for it (kern.osproductversion, kern.osrelease).
 */
#ifndef SBOX_TESTS_SHIM_SYS_SYSCTL_H
#define SBOX_TESTS_SHIM_SYS_SYSCTL_H

#include <stddef.h>

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp,
		 size_t newlen);

#endif
