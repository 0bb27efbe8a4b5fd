/*
 * The real darwin_sys calls for the program's terminal (seatbelt_pty.c
 * drives them; launch_darwin.c lists them): openpty(3) and the portable
 * relay of pty_relay.c. Compiled on Linux too, against tests/shim, for
 * tests/backend/t0501-darwin-host.sh.
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __APPLE__
#include <util.h>   /* openpty(3) on macOS */
#else
#include <pty.h>
#endif

static void
cloexec(int fd)
{
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int
seatbelt_real_pty_open(void *ctx, struct pty_relay *r, enum pty_mode mode,
		       const uid_t *owner, const gid_t *group, int *slave,
		       char *name, size_t namelen)
{
	int master, rc, saved;

	(void)ctx;
	if (!pty_relay_plan(r, mode))
		return 0;
	if (openpty(&master, slave, NULL, NULL, NULL) < 0)
		return -1;
	cloexec(master);
	cloexec(*slave);
	rc = ttyname_r(*slave, name, namelen);
	/* openpty gave it to sbox's real uid (root under sudo): the program
	 * must be able to open its terminal by name again */
	if (rc == 0 && owner && fchown(*slave, *owner, *group) < 0)
		rc = errno;
	if (rc == 0 && pty_relay_slave_setup(r, *slave) == 0) {
		r->master = master;
		return 1;
	}
	saved = rc ? rc : errno;
	close(master);
	close(*slave);
	*slave = -1;
	errno = saved;
	return -1;
}

int
seatbelt_real_pty_attach(void *ctx, const struct pty_relay *r, int slave)
{
	(void)ctx;
	return pty_relay_attach(r, slave);
}

int
seatbelt_real_pty_relay(void *ctx, struct pty_relay *r,
			enum seatbelt_pty_op op)
{
	struct sbox_err err = SBOX_ERR_INIT;

	(void)ctx;
	switch (op) {
	case SEATBELT_PTY_START:
		return pty_relay_start(r, r->master, &err);
	case SEATBELT_PTY_WINCH:
		pty_relay_winch(r);
		break;
	case SEATBELT_PTY_STOP_SELF:
		pty_relay_stop_self(r);
		break;
	case SEATBELT_PTY_RESUME:
		pty_relay_resume(r);
		break;
	case SEATBELT_PTY_FINISH:
		pty_relay_finish(r);
		break;
	}
	return 0;
}
