/*
 * The program's own terminal (`sbox launch --pty`), the part both
 * backends share; POSIX only, so the macOS launcher uses it as it is.
 *
 * The backend gives the program a new pseudo-terminal as its controlling
 * terminal (Linux: a devpts instance of the container's own; macOS:
 * openpty in sbox) in place of each standard descriptor that is a
 * terminal. sbox keeps the master: it puts the user's terminal in raw
 * mode, copies bytes both ways in a thread of its own, passes window
 * size changes on and restores the user's terminal exactly as it found it
 * however the launch ends. The program never holds a descriptor of the
 * user's terminal, so it cannot change, lock or read it.
 */
#ifndef SBOX_BACKEND_PTY_RELAY_H
#define SBOX_BACKEND_PTY_RELAY_H

#include <pthread.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "backend/backend.h"
#include "util/err.h"

struct pty_relay {
	unsigned fds;        /* bit n set: descriptor n goes on the pty */
	int in_fd;           /* user side copied to the program, or -1 */
	int out_fd;          /* where the program's output goes, or -1 */
	int term_fd;         /* the user's terminal (modes, size), or -1 */
	int raw;             /* term_fd is in raw mode now */
	int have_modes;      /* saved is valid */
	struct termios saved;
	struct winsize ws;   /* the size the pty starts with */
	int master;          /* sbox's end of the pty, or -1 */
	int wake[2];         /* tells the thread to drain and stop */
	int running;
	pthread_t thread;
};

/*
 * Decide for mode whether the launch uses a pty and which descriptors go
 * on it; read the user's terminal modes and size. Returns 1 for a pty,
 * 0 for none (then nothing else here needs calling). PTY_AUTO uses one
 * when any of 0, 1, 2 is a terminal: a program given the user's terminal
 * on stdout alone could still lock it or change its modes. Costs three
 * isatty() calls when none is.
 */
int pty_relay_plan(struct pty_relay *r, enum pty_mode mode);

/*
 * Give the new pty (its slave side) the user's terminal modes and size,
 * so the program starts as it would on the user's terminal. No
 * allocation: the Linux backend calls this in the container's set-up.
 */
int pty_relay_slave_setup(const struct pty_relay *r, int slave);

/*
 * Make the pty the controlling terminal of the calling process (already a
 * session leader) and put it on each planned descriptor; closes slave
 * when it is not one of them. Runs between fork and exec: no allocation.
 */
int pty_relay_attach(const struct pty_relay *r, int slave);

/* Raw mode on the user's terminal and the copying thread; takes master. */
int pty_relay_start(struct pty_relay *r, int master, struct sbox_err *err);

/* SIGWINCH: the user's terminal changed size; the kernel tells the
 * program's foreground group with a SIGWINCH of its own. */
void pty_relay_winch(struct pty_relay *r);

/*
 * sbox got SIGTSTP: give the user's terminal back as it was, stop sbox
 * (a default SIGTSTP, so the shell sees a stopped job), and on SIGCONT
 * go back to raw mode. r may be NULL (no pty): then it only stops.
 */
void pty_relay_stop_self(struct pty_relay *r);

/* SIGCONT: raw mode again (the shell may have reset the terminal). */
void pty_relay_resume(struct pty_relay *r);

/*
 * The program has ended: copy what it left in the pty, stop the thread,
 * restore the user's terminal and close the master. Safe to call on a
 * relay that never started.
 */
void pty_relay_finish(struct pty_relay *r);

#endif
