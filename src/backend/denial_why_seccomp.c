/*
 * Why the container's seccomp program refused a call (denial_why.h):
 * those refusals are sbox's, not the definition's, and only the IP
 * socket families depend on it (its network setting). The reasons are
 * those of the rules (src/backend/linux/seccomp_*_linux.c, LINUX-SECURITY.md).
 */
#include "backend/denial_why.h"

#include <string.h>

static const char *
socket_reason(const char *target)
{
	if (!strncmp(target, "AF_VSOCK", 8) || strstr(target, " AF_VSOCK"))
		return "vsock reaches the host and its virtual machines past "
		       "the container's network namespace";
	if (!strncmp(target, "AF_NETLINK", 10))
		return "netlink other than NETLINK_ROUTE talks to kernel "
		       "subsystems no network mode needs";
	return "a socket family no network mode needs: kernel surface a "
	       "contained program has no use for";
}

static const char *
ioctl_reason(const char *target)
{
	if (!strcmp(target, "TIOCSTI") || !strcmp(target, "TIOCLINUX"))
		return "it types into the terminal: the input would run as "
		       "commands outside the container";
	return "the terminal would stay locked or changed after the program "
	       "exits";
}

static const char *
syscall_reason(const char *target)
{
	if (target[0] >= '0' && target[0] <= '9')
		return "a system call newer than this build of sbox: it "
		       "answers ENOSYS, as an older kernel would";
	if (strstr(target, "CLONE_NEWUSER"))
		return "a nested user namespace opens kernel interfaces meant "
		       "for root";
	return "kernel surface a contained program has no business with "
	       "(sbox's deny list)";
}

int
denial_ip_socket(const char *target)
{
	return !strncmp(target, "AF_INET ", 8) || !strncmp(target, "AF_INET6 ", 9) ||
	       !strcmp(target, "setsockopt TCP_ULP");
}

const char *
denial_never_reason(enum denial_op op, const char *target)
{
	switch (op) {
	case DENY_SOCKET:
		return denial_ip_socket(target) ? NULL : socket_reason(target);
	case DENY_MOUNT:
		return "the container's mounts are set at launch: a mount could "
		       "uncover what the definition hides";
	case DENY_IOCTL:
		return ioctl_reason(target);
	case DENY_SETUID:
		return "setuid or setgid bits could escape to the host: a set-id "
		       "file left outside runs with its owner's rights";
	case DENY_MEMFD_EXEC:
		return "an anonymous file is beneath no exec rule: code run from "
		       "it would escape the definition's exec rights";
	case DENY_SYSCALL:
		return syscall_reason(target);
	default:
		return NULL;
	}
}

const char *
denial_errno_name(int err)
{
	static const struct { int n; const char *name; } names[] = {
		{ 1, "EPERM" }, { 13, "EACCES" }, { 38, "ENOSYS" },
		{ 93, "EPROTONOSUPPORT" }, { 97, "EAFNOSUPPORT" },
	};

	/* Linux's numbers: the records come from Linux (explain reads
	 * them anywhere) */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].n == err)
			return names[i].name;
	return NULL;
}
