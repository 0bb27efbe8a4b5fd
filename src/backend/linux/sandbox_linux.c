/*
 * Inside the new root, in DESIGN.md's order: working directory ->
 * capabilities dropped -> no_new_privs -> Landlock -> seccomp (last, so
 * the filter need not allow anything the setup did; STYLE.md §1). The
 * seccomp program is loaded by the program's own process right before
 * execve (launch_linux.c, program_exec): init stays outside it, to answer
 * the calls it hands over (supervise_linux.c).
 */
#include "backend/linux/launch_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <grp.h>
#include <unistd.h>

#include "backend/linux/landlock_linux.h"

#ifndef SECBIT_NOROOT
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_NO_SETUID_FIXUP (1 << 2)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1 << 3)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#define SECBIT_NO_CAP_AMBIENT_RAISE (1 << 6)
#define SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1 << 7)
#endif

/*
 * The program would otherwise be root of its user namespace with every
 * capability there (LINUX-SECURITY.md #25); securebits keep an uid-0
 * program from getting them back at execve.
 */
static int
caps_drop(const struct lx_launch *lx)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	/* EINVAL past the last capability this kernel knows */
	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno != EINVAL)
				return -1;
			break;
		}
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		  SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
		  SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
		  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0) < 0)
		return -1;
	/* still holding CAP_SETUID/SETGID; NO_SETUID_FIXUP keeps the rest */
	if (lx->run_uid != lx->uid &&
	    (setgroups(0, NULL) < 0 ||
	     setresgid(lx->run_gid, lx->run_gid, lx->run_gid) < 0 ||
	     setresuid(lx->run_uid, lx->run_uid, lx->run_uid) < 0))
		return -1;
	/* init keeps CAP_SYS_PTRACE, over the container's own user
	 * namespace only, to take a socket from (or read a memfd's name in)
	 * a program that made itself non-dumpable (supervise_linux.c); the
	 * program's process drops it before execve (sandbox_drop_init_caps) */
	memset(data, 0, sizeof(data));
	data[0].permitted = data[0].effective = 1u << CAP_SYS_PTRACE;
	return (int)syscall(SYS_capset, &hdr, data);
}

int
sandbox_drop_init_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	return (int)syscall(SYS_capset, &hdr, data);
}

/* network localhost: bring up the namespace's own loopback. */
static int
loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return ret;
}

static int
allow_inside(struct ll_ruleset *rs, const char *path, unsigned access,
	     struct sbox_err *err)
{
	int fd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW), ret;

	if (fd < 0)
		return 0;
	ret = landlock_allow_fd(rs, fd, access, -1, err);
	close(fd);
	return ret;
}

/* Rules for what the launcher mounted itself: /tmp, /proc, /dev. */
static int
allow_special(struct ll_ruleset *rs, const struct lplan_path *p,
	      struct sbox_err *err)
{
	static const char *const devs[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
		"/dev/urandom",
	};

	if (allow_inside(rs, p->path, p->access, err) < 0)
		return -1;
	if (p->mount != LPM_DEV)
		return 0;
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (allow_inside(rs, devs[i], LP_READ | LP_WRITE, err) < 0)
			return -1;
	return allow_inside(rs, "/dev/tty", LP_READ | LP_WRITE |
			    LL_DEVICE_IOCTL, err);
}

/* The container's own devpts (--pty): its slave by name, new ptys. */
static int
allow_devpts(const struct lx_launch *lx, struct ll_ruleset *rs,
	     struct sbox_err *err)
{
	if (!lx->pty.fds)
		return 0;
	return allow_inside(rs, "/dev/pts", LP_READ | LP_WRITE |
			    LL_DEVICE_IOCTL, err);
}

static int
landlock_apply(struct lx_launch *lx, struct sbox_err *err)
{
	struct ll_ruleset rs;

	if (landlock_ruleset_open(&rs, lx->abi, &lx->plan, err) < 0)
		return -1;
	for (size_t i = 0; i < lx->plan.npaths; i++) {
		const struct lplan_path *p = &lx->plan.paths[i];
		int r = 0;

		if (p->mount == LPM_DEV)
			r = allow_special(&rs, p, err) < 0 ? -1 :
			    allow_devpts(lx, &rs, err);
		else if (p->mount == LPM_TMPFS || p->mount == LPM_PROC)
			r = allow_special(&rs, p, err);
		else if (p->access && lx->objs[i].fd >= 0)
			r = landlock_allow_fd(&rs, lx->objs[i].fd, p->access,
					      lx->objs[i].is_dir, err);
		if (r < 0) {
			err_wrap(err, "%s", p->path);
			landlock_ruleset_close(&rs);
			return -1;
		}
	}
	if (landlock_allow_ports(&rs, &lx->plan, err) < 0) {
		landlock_ruleset_close(&rs);
		return -1;
	}
	return landlock_enforce(&rs, err);
}

static void
enter_workdir(const struct lx_launch *lx)
{
	if (lx->cwd && chdir(lx->cwd) == 0)
		return;
	if (lx->plan.home && chdir(lx->plan.home) == 0)
		return;
	(void)chdir("/");
}

int
sandbox_apply(struct lx_launch *lx, struct sbox_err *err)
{
	if (lx->plan.loopback_up && loopback_up() < 0)
		return err_sys(err, "cannot bring up the loopback interface");
	enter_workdir(lx);
	if (caps_drop(lx) < 0)
		return err_sys(err, "cannot drop capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_sys(err, "cannot set no_new_privs");
	if (!lx->weaker && landlock_apply(lx, err) < 0)
		return -1;
	rootfs_close_objects(lx);
	return 0;
}
