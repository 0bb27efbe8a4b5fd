/*
 * Landlock for one launch (STYLE.md §5, the kernel's sandboxer sample as
 * the model): probe the ABI, handle every right the running kernel knows,
 * add path and port rules, then restrict the calling thread.
 */
#ifndef SBOX_BACKEND_LANDLOCK_LINUX_H
#define SBOX_BACKEND_LANDLOCK_LINUX_H

#include <stdint.h>

#include "backend/linux/linux_plan.h"
#include "util/err.h"

struct ll_ruleset {
	int fd;
	int abi;
	uint64_t handled_fs;
};

/* Extra right for device nodes (/dev/tty ioctls); plan rights otherwise. */
#define LL_DEVICE_IOCTL (1u << 8)

/* The running kernel's Landlock ABI version, 0 when Landlock is off. */
int landlock_abi(void);
/* Plan needs the ABI cannot meet (enum lplan_need bits), 0 if none. */
unsigned landlock_missing(const struct linux_plan *plan, int abi);

int landlock_ruleset_open(struct ll_ruleset *rs, int abi,
			  const struct linux_plan *plan, struct sbox_err *err);
/* Allow LP_* rights (plus LL_DEVICE_IOCTL) beneath the object of fd;
 * is_dir 1 or 0 when known, -1 to look. */
int landlock_allow_fd(struct ll_ruleset *rs, int fd, unsigned access,
		      int is_dir, struct sbox_err *err);
int landlock_allow_ports(struct ll_ruleset *rs, const struct linux_plan *plan,
			 struct sbox_err *err);
/* Restrict the calling thread (no_new_privs must be set) and close. */
int landlock_enforce(struct ll_ruleset *rs, struct sbox_err *err);
void landlock_ruleset_close(struct ll_ruleset *rs);

#endif
