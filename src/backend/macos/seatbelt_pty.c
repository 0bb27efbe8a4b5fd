/*
 * The program's terminal on macOS (`sbox launch --pty`; pty_relay.h says
 * what and why), written against struct darwin_sys like the rest of the
 * sequence so the fake in tests/unit/test_darwin_launch.c checks the
 * order: openpty in sbox before fork -> in the child, the slave as the
 * controlling terminal right after setsid (descriptors above 2 are closed
 * later) -> in sbox, the slave closed, the relay started once execve
 * succeeded, the user's terminal restored when the program has ended.
 *
 * Seatbelt checks file-ioctl on the terminal the program's descriptors
 * name (isatty, tcgetattr and raw mode fail without it:
 * anthropic-experimental/sandbox-runtime#419, openai/codex#7580), so the
 * profile gets rules for exactly that /dev/ttysNNN, as a literal, and
 * /dev/tty, which is that terminal once it is the
 * controlling one. A program that opens ptys of its own (script, tmux,
 * expect) needs pseudo-tty and /dev/ptmx; the slaves it gets carry the
 * com.apple.sandbox.pty extension, which the rule on /dev/ttys* requires,
 * so other terminals stay denied (openai/codex
 * codex-rs/sandboxing/src/seatbelt_base_policy.sbpl does the same).
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Its rules, the terminal's name as an escaped string literal: the
 * profile stays self-contained (sandbox-exec -f runs it as it is). */
static const char pty_rules_head[] =
	"\n"
	";; sbox: the program's own terminal (openpty(3) in sbox, its\n"
	";; controlling terminal)\n"
	"(allow file-read* file-write* file-ioctl\n"
	"  (literal \"";
static const char pty_rules_tail[] =
	"\")\n"
	"  (literal \"/dev/tty\"))\n"
	";; ptys the program opens itself; their slaves carry the\n"
	";; com.apple.sandbox.pty extension, other terminals do not\n"
	"(allow pseudo-tty)\n"
	"(allow file-read* file-write* file-ioctl (literal \"/dev/ptmx\"))\n"
	"(allow file-read* file-write* file-ioctl\n"
	"  (require-all (regex #\"^/dev/ttys[0-9]+$\")\n"
	"               (extension \"com.apple.sandbox.pty\")))\n";

/* The profile's last rules: SBPL's last matching rule decides. */
static void
add_rules(struct seatbelt_plan *plan, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, plan->profile);
	strbuf_addstr(&sb, pty_rules_head);
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, *p);
	}
	strbuf_addstr(&sb, pty_rules_tail);
	free(plan->profile);
	plan->profile = strbuf_detach(&sb);
}

int
seatbelt_pty_prepare(const struct darwin_sys *sys,
		     const struct launch_request *req,
		     struct seatbelt_plan *plan, struct sbox_err *err)
{
	struct seatbelt_pty *p = xcalloc(1, sizeof(*p));
	int rc;

	p->slave = -1;
	rc = sys->pty_open(sys->ctx, &p->relay, req->pty,
			   plan->drop ? &plan->uid : NULL,
			   plan->drop ? &plan->gid : NULL, &p->slave, p->name,
			   sizeof(p->name));
	if (rc <= 0) {
		free(p);
		if (rc < 0)
			return err_sys(err, "cannot open a pty for the program");
		return 0;
	}
	plan->pty = p;
	add_rules(plan, p->name);
	return 0;
}

int
seatbelt_pty_child(const struct darwin_sys *sys,
		   const struct seatbelt_plan *plan, struct sbox_err *err)
{
	if (plan->pty &&
	    sys->pty_attach(sys->ctx, &plan->pty->relay, plan->pty->slave) < 0)
		return err_sys(err, "cannot make %s the program's terminal",
			       plan->pty->name);
	return 0;
}

void
seatbelt_pty_forked(const struct darwin_sys *sys,
		    const struct seatbelt_plan *plan)
{
	/* only the program holds the slave: its end is the master's EOF */
	if (plan->pty && plan->pty->slave >= 0) {
		sys->close(sys->ctx, plan->pty->slave);
		plan->pty->slave = -1;
	}
}

int
seatbelt_pty_start(const struct darwin_sys *sys,
		   const struct seatbelt_plan *plan, struct sbox_err *err)
{
	if (plan->pty &&
	    sys->pty_relay(sys->ctx, &plan->pty->relay, SEATBELT_PTY_START) < 0)
		return err_sys(err, "cannot relay the program's terminal");
	return 0;
}

/* The program's group stops with sbox, as a terminal's job would. Its
 * group leads a session whose parent is outside: orphaned, so a default
 * SIGTSTP is discarded there (POSIX) and SIGSTOP follows it. */
static void
group_signal(const struct darwin_sys *sys, pid_t pid, int sig)
{
	if (sys->kill(sys->ctx, -pid, sig) < 0)
		sys->kill(sys->ctx, pid, sig);
}

int
seatbelt_pty_signal(const struct darwin_sys *sys,
		    const struct seatbelt_plan *plan, pid_t pid, int sig)
{
	struct pty_relay *r = plan->pty ? &plan->pty->relay : NULL;

	switch (sig) {
	case SIGWINCH:
		if (!r)
			return 0;  /* forwarded, as before */
		sys->pty_relay(sys->ctx, r, SEATBELT_PTY_WINCH);
		return 1;
	case SIGTSTP:
		/* with a pty the program cannot reach the user's terminal:
		 * sbox stops alone (as ssh does), and Ctrl-Z on the user's
		 * raw terminal never sends this: it reaches the program */
		if (!r) {
			group_signal(sys, pid, SIGTSTP);
			group_signal(sys, pid, SIGSTOP);
		}
		sys->pty_relay(sys->ctx, r, SEATBELT_PTY_STOP_SELF);
		return 1;
	case SIGCONT:
		if (r)
			sys->pty_relay(sys->ctx, r, SEATBELT_PTY_RESUME);
		group_signal(sys, pid, SIGCONT);
		return 1;
	}
	return 0;
}

void
seatbelt_pty_finish(const struct darwin_sys *sys,
		    const struct seatbelt_plan *plan)
{
	if (plan->pty && !plan->pty->finished) {
		sys->pty_relay(sys->ctx, &plan->pty->relay,
			       SEATBELT_PTY_FINISH);
		plan->pty->finished = 1;
	}
}

void
seatbelt_pty_release(const struct darwin_sys *sys, struct seatbelt_plan *plan)
{
	if (!plan->pty)
		return;
	seatbelt_pty_forked(sys, plan);
	seatbelt_pty_finish(sys, plan);
	free(plan->pty);
	plan->pty = NULL;
}
