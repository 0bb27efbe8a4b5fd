/*
 * The copying side of the program's pty (pty_relay.h). POSIX calls only:
 * termios, poll, pthreads, and TIOCGWINSZ/TIOCSWINSZ/TIOCSCTTY, which
 * Linux and macOS both have (tty_ioctl(4), tty(4)).
 *
 * The copy runs in a thread so each backend keeps its own wait for the
 * program (signalfd on Linux, sigwait on macOS) and only calls in here on
 * SIGWINCH, SIGTSTP, SIGCONT and at the end. Every signal stays blocked
 * in the thread, which the backends' waits need.
 */
#include "backend/pty_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* How long the final copy waits for output still on its way. */
#define DRAIN_MS 200

static int
is_tty(int fd)
{
	return isatty(fd) == 1;
}

/* A terminal sbox can read keys from (fd 1 or 2 may be write-only). */
static int
readable(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_ACCMODE) != O_WRONLY;
}

int
pty_relay_plan(struct pty_relay *r, enum pty_mode mode)
{
	memset(r, 0, sizeof(*r));
	r->in_fd = r->out_fd = r->term_fd = r->master = -1;
	r->wake[0] = r->wake[1] = -1;
	if (mode == PTY_OFF)
		return 0;
	/* terminals go on the pty; files and pipes pass straight through,
	 * so `> out.txt` keeps its bytes (no CR added) and stderr apart */
	for (int fd = 0; fd < 3; fd++)
		if (is_tty(fd)) {
			r->fds |= 1u << fd;
			if (r->term_fd < 0)
				r->term_fd = fd;
		}
	if (!r->fds && mode == PTY_AUTO)
		return 0;
	if (!r->fds)
		r->fds = 7;  /* --pty without a terminal: all three on it */
	if (r->fds & 1)
		r->in_fd = 0;
	/* keys come from the user's terminal even when only stdout is one
	 * (`prog < file`): the pty stands in for that terminal as a whole */
	if (r->term_fd >= 0 && readable(r->term_fd))
		r->in_fd = r->term_fd;
	r->out_fd = (r->fds & 2) ? 1 : (r->fds & 4) ? 2 : r->term_fd;
	if (r->term_fd >= 0) {
		r->have_modes = tcgetattr(r->term_fd, &r->saved) == 0;
		(void)ioctl(r->term_fd, TIOCGWINSZ, &r->ws);
	}
	if (!r->ws.ws_row || !r->ws.ws_col) {
		r->ws.ws_row = 24;
		r->ws.ws_col = 80;
	}
	return 1;
}

int
pty_relay_slave_setup(const struct pty_relay *r, int slave)
{
	if (r->have_modes && tcsetattr(slave, TCSANOW, &r->saved) < 0)
		return -1;
	return ioctl(slave, TIOCSWINSZ, &r->ws);
}

int
pty_relay_attach(const struct pty_relay *r, int slave)
{
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return -1;
	for (int fd = 0; fd < 3; fd++)
		if ((r->fds & (1u << fd)) && fd != slave &&
		    dup2(slave, fd) < 0)
			return -1;
	if (slave > 2)
		close(slave);
	return 0;
}

/* ---- the user's terminal ---- */

static void
set_raw(struct pty_relay *r)
{
	struct termios t;

	/* only the terminal sbox reads: its keys go to the program's pty,
	 * where the program's own line discipline interprets them */
	if (!r->have_modes || r->in_fd != r->term_fd || r->raw)
		return;
	t = r->saved;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				 IGNCR | ICRNL | IXON | IXOFF);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	/* TCSADRAIN, not TCSAFLUSH: keys typed ahead are the program's */
	if (tcsetattr(r->term_fd, TCSADRAIN, &t) == 0)
		r->raw = 1;
}

static void
restore(struct pty_relay *r)
{
	if (!r->raw)
		return;
	while (tcsetattr(r->term_fd, TCSADRAIN, &r->saved) < 0 &&
	       errno == EINTR)
		;
	r->raw = 0;
}

/* ---- the copying thread ---- */

struct buf {
	char data[4096];
	size_t len, off;
};

static void
buf_write(struct buf *b, int *fd)
{
	ssize_t n = write(*fd, b->data + b->off, b->len - b->off);

	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		*fd = -1;  /* gone (EPIPE, EIO): drop the rest */
		b->len = b->off = 0;
		return;
	}
	if (n > 0)
		b->off += (size_t)n;
	if (b->off == b->len)
		b->len = b->off = 0;
}

/* 1 when fd gave data or nothing yet, 0 at its end. */
static int
buf_read(struct buf *b, int fd)
{
	ssize_t n = read(fd, b->data, sizeof(b->data));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0)
		return 0;  /* 0 or EIO: the last slave descriptor closed */
	b->len = (size_t)n;
	b->off = 0;
	return 1;
}

/* What is left in the pty once the program has ended. */
static void
drain(struct pty_relay *r, struct buf *out, int out_fd)
{
	for (;;) {
		struct pollfd p = { r->master, POLLIN, 0 };

		while (out->len && out_fd >= 0)
			buf_write(out, &out_fd);
		out->len = out->off = 0;
		if (poll(&p, 1, DRAIN_MS) <= 0 || !buf_read(out, r->master) ||
		    !out->len)
			return;
	}
}

struct relay_io {
	struct buf in, out;
	int in_fd, out_fd, master_open;
	char last;           /* the last byte copied in */
};

/* The end of a pipe on input: end of file for the program too. In
 * canonical mode VEOF ends a read; after a partial line it takes two. */
static void
input_ended(struct relay_io *io)
{
	if (!is_tty(io->in_fd)) {
		io->in.data[0] = io->in.data[1] = 4;  /* ^D, VEOF by default */
		io->in.len = io->last && io->last != '\n' ? 2 : 1;
		io->in.off = 0;
	}
	io->in_fd = -1;
}

static void
relay_step(struct pty_relay *r, struct relay_io *io, const struct pollfd *p,
	   int ii, int im, int iout)
{
	int master = r->master;

	if (ii >= 0 && (p[ii].revents & (POLLIN | POLLHUP | POLLERR))) {
		if (!buf_read(&io->in, io->in_fd))
			input_ended(io);
		else if (io->in.len)
			io->last = io->in.data[io->in.len - 1];
	}
	if (im >= 0 && (p[im].revents & POLLOUT) && io->in.len)
		buf_write(&io->in, &master);  /* a failed write drops input */
	if (im >= 0 && !io->out.len &&
	    (p[im].revents & (POLLIN | POLLHUP | POLLERR)) &&
	    !buf_read(&io->out, r->master))
		io->master_open = 0;
	if (iout >= 0 && (p[iout].revents & (POLLOUT | POLLERR | POLLHUP)))
		buf_write(&io->out, &io->out_fd);
}

static void *
relay_main(void *arg)
{
	struct pty_relay *r = arg;
	struct relay_io io;

	memset(&io, 0, sizeof(io));
	io.in_fd = r->in_fd;
	io.out_fd = r->out_fd;
	io.master_open = 1;
	for (;;) {
		struct pollfd p[4];
		int n = 0, ii = -1, im = -1, iout = -1;
		short mev = 0;

		p[n++] = (struct pollfd){ r->wake[0], POLLIN, 0 };
		if (io.in_fd >= 0 && !io.in.len) {
			ii = n;
			p[n++] = (struct pollfd){ io.in_fd, POLLIN, 0 };
		}
		if (io.master_open && !io.out.len)
			mev |= POLLIN;
		if (io.master_open && io.in.len)
			mev |= POLLOUT;
		if (mev) {
			im = n;
			p[n++] = (struct pollfd){ r->master, mev, 0 };
		}
		if (io.out.len && io.out_fd >= 0) {
			iout = n;
			p[n++] = (struct pollfd){ io.out_fd, POLLOUT, 0 };
		} else if (io.out.len) {
			io.out.len = io.out.off = 0;  /* nowhere to write */
		}
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		relay_step(r, &io, p, ii, im, iout);
	}
	drain(r, &io.out, io.out_fd);
	return NULL;
}

int
pty_relay_start(struct pty_relay *r, int master, struct sbox_err *err)
{
	sigset_t all, old;
	int rc;

	r->master = master;
	if (fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK) < 0 ||
	    pipe(r->wake) < 0)
		return err_sys(err, "cannot set up the program's terminal");
	(void)fcntl(r->wake[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(r->wake[1], F_SETFD, FD_CLOEXEC);
	set_raw(r);
	pty_relay_winch(r);  /* a resize since pty_relay_plan */
	/* the thread takes no signal (SIGPIPE becomes EPIPE for it) but
	 * job control's: a read of the terminal in the background must stop
	 * sbox (SIGTTIN), where a blocked SIGTTIN would make it fail with EIO
	 * and end the input for good (tty_ioctl(4), "background") */
	sigfillset(&all);
	sigdelset(&all, SIGTTIN);
	sigdelset(&all, SIGTTOU);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, NULL, relay_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		restore(r);
		errno = rc;
		return err_sys(err, "cannot start the terminal relay");
	}
	r->running = 1;
	return 0;
}

void
pty_relay_winch(struct pty_relay *r)
{
	struct winsize ws;

	if (r->master < 0 || r->term_fd < 0 ||
	    ioctl(r->term_fd, TIOCGWINSZ, &ws) < 0)
		return;
	r->ws = ws;
	(void)ioctl(r->master, TIOCSWINSZ, &ws);
}

void
pty_relay_stop_self(struct pty_relay *r)
{
	struct sigaction dfl, old;
	sigset_t tstp, mask;

	if (r)
		restore(r);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	/* pending while blocked, taken (and sbox stopped) on the unblock */
	kill(getpid(), SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &tstp, &mask);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	sigaction(SIGTSTP, &old, NULL);
	if (r)
		pty_relay_resume(r);
}

void
pty_relay_resume(struct pty_relay *r)
{
	if (r->running) {
		set_raw(r);
		pty_relay_winch(r);
	}
}

void
pty_relay_finish(struct pty_relay *r)
{
	if (r->running) {
		(void)!write(r->wake[1], "x", 1);
		pthread_join(r->thread, NULL);
		r->running = 0;
	}
	restore(r);
	for (int i = 0; i < 2; i++)
		if (r->wake[i] >= 0)
			close(r->wake[i]);
	r->wake[0] = r->wake[1] = -1;
	if (r->master >= 0)
		close(r->master);
	r->master = -1;
}
