/*
 * Landlock through raw system calls (glibc has no wrappers). The UAPI
 * values are defined here so that older kernel headers do not matter; the
 * ABI probed at run time decides which of them are used.
 */
#include "backend/linux/landlock_linux.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1u << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2

#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_REMOVE_DIR (1ull << 4)
#define LL_FS_REMOVE_FILE (1ull << 5)
#define LL_FS_MAKE_CHAR (1ull << 6)
#define LL_FS_MAKE_DIR (1ull << 7)
#define LL_FS_MAKE_REG (1ull << 8)
#define LL_FS_MAKE_SOCK (1ull << 9)
#define LL_FS_MAKE_FIFO (1ull << 10)
#define LL_FS_MAKE_BLOCK (1ull << 11)
#define LL_FS_MAKE_SYM (1ull << 12)
#define LL_FS_REFER (1ull << 13)        /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14)     /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15)    /* ABI 5 */
#define LL_FS_RESOLVE_UNIX (1ull << 16) /* ABI 9: LINUX-SECURITY.md #19 */
#define LL_NET_BIND_TCP (1ull << 0)     /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ull << 1)

/* Rights that make sense on a file that is not a directory. */
#define LL_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | \
			LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_WRITE_RIGHTS (LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR |            \
			 LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | \
			 LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM |  \
			 LL_FS_REFER | LL_FS_TRUNCATE)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

int
landlock_abi(void)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
			   LL_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

unsigned
landlock_missing(const struct linux_plan *plan, int abi)
{
	unsigned missing = 0;

	if ((plan->needs & LPN_LANDLOCK_FS) && abi < 1)
		missing |= LPN_LANDLOCK_FS;
	if ((plan->needs & LPN_LANDLOCK_TCP) && abi < 4)
		missing |= LPN_LANDLOCK_TCP;
	if ((plan->needs & LPN_LANDLOCK_SCOPE) && abi < 6)
		missing |= LPN_LANDLOCK_SCOPE;
	return missing;
}

/*
 * Every filesystem right of this ABI. Older ABIs lose rights the way the
 * kernel's sandboxer sample describes: without REFER (ABI < 2) any
 * cross-directory rename or link fails with EXDEV (less access, fine);
 * without TRUNCATE (ABI < 3) truncation is only stopped by read-only
 * mounts; without IOCTL_DEV (ABI < 5) device ioctls are not mediated.
 */
static uint64_t
fs_rights_of_abi(int abi)
{
	uint64_t r = (LL_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	if (abi >= 9)
		r |= LL_FS_RESOLVE_UNIX;
	return r;
}

int
landlock_ruleset_open(struct ll_ruleset *rs, int abi,
		      const struct linux_plan *plan, struct sbox_err *err)
{
	struct ll_ruleset_attr attr;
	size_t size = sizeof(attr.handled_access_fs);

	memset(&attr, 0, sizeof(attr));
	rs->fd = -1;
	rs->abi = abi;
	rs->handled_fs = attr.handled_access_fs = fs_rights_of_abi(abi);
	if (abi >= 4) {
		if (plan->tcp_bind_handled)
			attr.handled_access_net |= LL_NET_BIND_TCP;
		if (plan->tcp_connect_handled)
			attr.handled_access_net |= LL_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	rs->fd = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	if (rs->fd < 0)
		return err_sys(err, "landlock_create_ruleset (ABI %d)", abi);
	return 0;
}

static uint64_t
rights_of(const struct ll_ruleset *rs, unsigned access)
{
	uint64_t r = 0;

	if (access & LP_READ)
		r |= LL_FS_READ_FILE | LL_FS_READ_DIR;
	if (access & LP_WRITE)
		r |= LL_WRITE_RIGHTS;
	if (access & LP_EXEC)
		r |= LL_FS_EXECUTE;
	if (access & LL_DEVICE_IOCTL)
		r |= LL_FS_IOCTL_DEV;
	return r & rs->handled_fs;
}

int
landlock_allow_fd(struct ll_ruleset *rs, int fd, unsigned access,
		  int is_dir, struct sbox_err *err)
{
	struct ll_path_beneath_attr pb;
	struct stat st;

	pb.parent_fd = fd;
	pb.allowed_access = rights_of(rs, access);
	if (!pb.allowed_access)
		return 0;
	if (is_dir < 0) {
		if (fstat(fd, &st) < 0)
			return err_sys(err, "fstat");
		is_dir = S_ISDIR(st.st_mode);
	}
	/* directory rights on a file make landlock_add_rule fail */
	if (!is_dir)
		pb.allowed_access &= LL_FILE_RIGHTS;
	if (syscall(__NR_landlock_add_rule, rs->fd, LL_RULE_PATH_BENEATH,
		    &pb, 0) < 0)
		return err_sys(err, "landlock_add_rule");
	return 0;
}

static int
allow_port_list(struct ll_ruleset *rs, const struct def_ports *ports,
		uint64_t right, struct sbox_err *err)
{
	for (size_t i = 0; i < ports->nr; i++) {
		struct ll_net_port_attr np = { right, ports->v[i] };

		if (syscall(__NR_landlock_add_rule, rs->fd, LL_RULE_NET_PORT,
			    &np, 0) < 0)
			return err_sys(err, "landlock_add_rule (port %u)",
				       (unsigned)ports->v[i]);
	}
	return 0;
}

int
landlock_allow_ports(struct ll_ruleset *rs, const struct linux_plan *plan,
		     struct sbox_err *err)
{
	if (rs->abi < 4)
		return 0;
	if (plan->tcp_connect_handled &&
	    allow_port_list(rs, &plan->tcp_connect, LL_NET_CONNECT_TCP, err) < 0)
		return -1;
	if (plan->tcp_bind_handled &&
	    allow_port_list(rs, &plan->tcp_bind, LL_NET_BIND_TCP, err) < 0)
		return -1;
	return 0;
}

int
landlock_enforce(struct ll_ruleset *rs, struct sbox_err *err)
{
	int ret = 0;

	if (syscall(__NR_landlock_restrict_self, rs->fd, 0) < 0)
		ret = err_sys(err, "landlock_restrict_self");
	landlock_ruleset_close(rs);
	return ret;
}

void
landlock_ruleset_close(struct ll_ruleset *rs)
{
	if (rs->fd >= 0)
		close(rs->fd);
	rs->fd = -1;
}
