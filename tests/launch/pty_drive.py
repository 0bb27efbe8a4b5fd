#!/usr/bin/env python3
"""Drive `sbox launch` on a pseudo-terminal, as a user at a terminal would.

usage: pty_drive.py SCENARIO SBOX DEF [USER]
       pty_drive.py SCENARIO DARWIN_HOST - (the macOS launcher on Linux)

The "user's terminal" is a pty this script opens: sbox runs as the session
leader on its slave, keys are written to the master and the screen read
from it. Each check prints "PASS text" or "FAIL text"; t0515-pty.sh turns
them into test results. USER: run sbox as that user (setpriv).
"""
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time

TIOCGEXCL = 0x80045440  # _IOR('T', 0x40, int)
FAILS = 0


def check(cond, text, detail=""):
    global FAILS
    if cond:
        print("PASS", text)
    else:
        FAILS += 1
        print("FAIL", text, ("-- " + detail) if detail else "")
    sys.stdout.flush()


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def ioctl_int(fd, req):
    return struct.unpack("i", fcntl.ioctl(fd, req, b"\0" * 4))[0]


class Term:
    """sbox on a terminal of its own: the master is the keyboard and screen."""

    def __init__(self, argv, user=None, rows=30, cols=100):
        self.master, self.slave = os.openpty()
        set_size(self.slave, rows, cols)
        if user:
            os.fchown(self.slave, int(user[0]), int(user[1]))
            argv = ["setpriv", "--reuid=" + user[0], "--regid=" + user[1],
                    "--clear-groups"] + argv
        self.before = termios.tcgetattr(self.slave)
        self.buf = b""
        self.status = None
        self.shell, self.pid = self.spawn(argv)

    def spawn(self, argv):
        """A job-control shell in miniature: it leads the session on the
        slave and runs sbox as a foreground job of its own process group,
        so a SIGTSTP stops sbox (the kernel discards it in an orphaned
        group, which sbox as a session leader would be)."""
        r, w = os.pipe()
        go_r, go_w = os.pipe()
        shell = os.fork()
        if shell == 0:
            try:
                os.close(r)
                os.setsid()
                fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
                for fd in range(3):
                    os.dup2(self.slave, fd)
                job = os.fork()
                if job == 0:
                    os.setpgid(0, 0)
                    os.read(go_r, 1)
                    os.execvp(argv[0], argv)
                os.setpgid(job, job)
                os.tcsetpgrp(0, job)
                os.write(go_w, b"g")
                os.write(w, str(job).encode())
                os.close(w)
                # job control: SIGUSR1 = fg, SIGUSR2 = bg; a stopped job
                # gives the terminal back to the shell, as bash does
                signal.signal(signal.SIGTTOU, signal.SIG_IGN)

                def fg(sig, frame):
                    os.tcsetpgrp(0, job)
                    os.killpg(job, signal.SIGCONT)

                def bg(sig, frame):
                    os.killpg(job, signal.SIGCONT)

                signal.signal(signal.SIGUSR1, fg)
                signal.signal(signal.SIGUSR2, bg)
                while True:
                    _, st = os.waitpid(job, os.WUNTRACED)
                    if os.WIFSTOPPED(st):
                        # an fg handled before this stop was reaped has
                        # continued the job: the terminal stays its own
                        if proc_state(job) == "T":
                            os.tcsetpgrp(0, os.getpgrp())
                        continue
                    if os.WIFEXITED(st):
                        os._exit(os.WEXITSTATUS(st))
                    if os.WIFSIGNALED(st):
                        os._exit(128 + os.WTERMSIG(st))
            finally:
                os._exit(126)
        os.close(w)
        os.close(go_r)
        os.close(go_w)
        pid = int(os.read(r, 32))
        os.close(r)
        return shell, pid

    def read(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.buf += data
        return bool(data)

    def expect(self, pattern, timeout=15):
        """Wait for pattern in what the screen showed; consume up to it."""
        end = time.time() + timeout
        rx = re.compile(pattern.encode() if isinstance(pattern, str)
                        else pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.time()
            if left <= 0:
                return None
            self.read(min(left, 0.2))

    def send(self, data):
        os.write(self.master, data.encode() if isinstance(data, str)
                 else data)

    def drain(self, secs=0.3):
        end = time.time() + secs
        while time.time() < end:
            self.read(0.05)

    def poll(self):
        if self.status is None:
            pid, st = os.waitpid(self.shell, os.WNOHANG)
            if pid == self.shell:
                self.status = os.WEXITSTATUS(st)
        return self.status

    def wait(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            rc = self.poll()
            if rc is not None:
                self.drain(0.1)
                return rc
            self.read(0.1)
        os.kill(self.pid, signal.SIGKILL)
        return None

    def modes(self):
        return termios.tcgetattr(self.slave)

    def raw_now(self):
        return not (self.modes()[3] & termios.ICANON)

    def same_modes(self, text):
        after = self.modes()
        check(after == self.before, text,
              "before %r after %r" % (self.before, after))


def wait_raw(t, secs=10):
    end = time.time() + secs
    while time.time() < end:
        if t.raw_now():
            return True
        t.read(0.05)
    return False


def sbox(args, d):
    if args.defn != "-":
        return [args.sbox, "launch"] + d + [args.defn, "--"]
    # the macOS launcher's host harness (tests/backend/darwin_host.c):
    # its options are variables
    os.environ.pop("HOST_TIMEOUT", None)
    os.environ.pop("HOST_PTY", None)
    if "--timeout" in d:
        os.environ["HOST_TIMEOUT"] = d[d.index("--timeout") + 1]
    if "--no-pty" in d:
        os.environ["HOST_PTY"] = "off"
    return [args.sbox, "--"]


def basics(a):
    t = Term(sbox(a, []) + ["/bin/sh", "-c",
             "tty; exec 3<>/dev/tty && echo devtty-ok; stty size; "
             "stty -a | head -1; echo end"], user=a.user)
    check(t.expect(r"/dev/pts/\d+\r\n") is not None,
          "tty inside names the container's pty", repr(t.buf))
    check(t.expect("devtty-ok") is not None, "/dev/tty opens inside",
          repr(t.buf))
    check(t.expect(r"30 100\r\n") is not None,
          "the pty starts with the user's window size", repr(t.buf))
    check(t.expect("end") is not None, "the program ran to its end")
    check(t.wait() == 0, "exit status 0")
    t.same_modes("terminal modes as before after a normal exit")


def reopen(a):
    t = Term(sbox(a, []) + ["/bin/sh", "-c",
             'id -u; : >"$(tty)" && echo reopen-ok'], user=a.user)
    if os.environ.get("SUDO_UID"):
        check(t.expect(r"(?m)^%s\r$" % os.environ["SUDO_UID"]) is not None,
              "as the user of SUDO_UID", repr(t.buf))
    check(t.expect("reopen-ok") is not None,
          "the program opens its terminal by name again", repr(t.buf))
    check(t.wait() == 0, "exit status 0")


def bash(a):
    t = Term(sbox(a, []) + ["/bin/bash", "--norc", "--noprofile", "-i"],
             user=a.user)
    t.send("PS1='P''S> '\r")
    check(t.expect("PS> ") is not None, "bash prompt", repr(t.buf))
    check(b"no job control" not in t.buf and b"cannot set terminal" not in
          t.buf, "bash has job control", repr(t.buf))
    check(wait_raw(t), "the user's terminal is in raw mode meanwhile")
    t.send("sleep 100 &\r")
    check(t.expect(r"\[1\] \d+") is not None, "background job started")
    t.send("jobs\r")
    check(t.expect(r"\[1\]\+ +Running +sleep 100 &") is not None,
          "jobs lists it running", repr(t.buf))
    t.expect("PS> ")
    t.send("fg\r")
    check(t.expect("sleep 100") is not None, "fg brings it back")
    time.sleep(0.5)
    t.send("\x1a")
    check(t.expect(r"Stopped +sleep 100") is not None,
          "Ctrl-Z stops the foreground job inside", repr(t.buf))
    check(t.poll() is None and
          open("/proc/%d/stat" % t.pid).read().split(") ")[1][0] != "T",
          "Ctrl-Z did not stop sbox")
    t.send("kill -KILL %1\r")
    t.expect("PS> ")
    t.send("sleep 100\r")
    time.sleep(0.5)
    t.send("\x03")
    t.expect("PS> ")
    t.send("echo rc=$?\r")
    check(t.expect(r"rc=130") is not None,
          "Ctrl-C interrupts sleep inside (status 130)", repr(t.buf))
    t.expect("PS> ")
    t.send("stty size\r")
    check(t.expect(r"30 100\r\n") is not None, "stty size before a resize",
          repr(t.buf))
    t.expect("PS> ")
    set_size(t.slave, 40, 120)  # the kernel sends SIGWINCH to sbox
    time.sleep(0.5)
    t.send("stty size\r")
    check(t.expect(r"40 120\r\n") is not None, "stty size after a resize",
          repr(t.buf))
    t.expect("PS> ")
    t.send("exit 3\r")
    check(t.wait() == 3, "bash's exit status comes back")
    t.same_modes("terminal modes as before after bash")


def timeout(a):
    t = Term(sbox(a, ["--timeout", "2"]) + [
        "/bin/sh", "-c", "stty raw -echo; echo changed; sleep 30"],
        user=a.user)
    check(t.expect("changed") is not None, "the program changed its pty")
    check(wait_raw(t), "raw mode while it runs")
    rc = t.wait()
    check(rc == 137, "killed at the time limit (137)", "rc %r" % rc)
    t.same_modes("terminal modes as before after --timeout")


def sigterm(a):
    for sig, want in ((signal.SIGTERM, 143), (signal.SIGHUP, 129)):
        name = signal.Signals(sig).name
        t = Term(sbox(a, []) + ["/bin/sh", "-c",
                                "stty -echo; echo up; exec sleep 30"],
                 user=a.user)
        check(t.expect("up") is not None, "program up (%s)" % name)
        check(wait_raw(t), "raw mode before %s" % name)
        os.kill(t.pid, sig)
        rc = t.wait()
        check(rc == want, "%s to sbox: status %d" % (name, want),
              "rc %r" % rc)
        t.same_modes("terminal modes as before after %s to sbox" % name)


def crash(a):
    t = Term(sbox(a, []) + ["/bin/sh", "-c",
                            "stty raw; echo up; kill -SEGV $$"], user=a.user)
    rc = t.wait()
    check(rc == 139, "a crashing program: status 139", "rc %r" % rc)
    t.same_modes("terminal modes as before after the program crashed")


def stopped(t):
    with open("/proc/%d/stat" % t.pid) as f:
        return f.read().split(") ")[1][0] == "T"


def wait_stopped(t, want=True, secs=5):
    end = time.time() + secs
    while time.time() < end:
        if stopped(t) == want:
            return True
        time.sleep(0.05)
    return False


def proc_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def wait_shell_has_terminal(t, secs=5):
    """The driver's shell took the terminal back from the stopped job (its
    wait loop runs after the stop is seen; a bg sent before that would
    continue sbox while it is still the foreground)."""
    end = time.time() + secs
    while time.time() < end:
        try:
            if os.tcgetpgrp(t.master) != t.pid:
                return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


def tstp_pty(a):
    t = Term(sbox(a, []) + ["/bin/sh", "-c", "echo up; exec sleep 30"],
             user=a.user)
    check(t.expect("up") is not None and wait_raw(t), "program up, raw mode")
    os.kill(t.pid, signal.SIGTSTP)
    check(wait_stopped(t), "SIGTSTP stops sbox")
    t.same_modes("the user's terminal is given back while sbox is stopped")
    check(wait_shell_has_terminal(t), "the shell is the foreground again")
    os.kill(t.shell, signal.SIGUSR1)  # fg: the terminal, then SIGCONT
    check(wait_stopped(t, False) and wait_raw(t),
          "fg (SIGCONT): sbox runs again, raw mode again")
    os.kill(t.pid, signal.SIGTERM)
    check(t.wait() == 143, "then SIGTERM ends it")
    t.same_modes("terminal modes as before at the end")


def bg_fg(a):
    t = Term(sbox(a, []) + ["/bin/sh", "-c", "echo up; read x; echo got-$x"],
             user=a.user)
    check(t.expect("up") is not None and wait_raw(t), "program up, raw mode")
    os.kill(t.pid, signal.SIGTSTP)
    check(wait_stopped(t), "SIGTSTP stops sbox")
    t.same_modes("the shell has the terminal back as it was")
    check(wait_shell_has_terminal(t), "the shell is the foreground again")
    os.kill(t.shell, signal.SIGUSR2)  # bg
    time.sleep(0.5)
    check(wait_stopped(t), "bg: sbox stops again (SIGTTOU/SIGTTIN)")
    t.same_modes("bg: the terminal is not put in raw mode from the background")
    os.kill(t.shell, signal.SIGUSR1)  # fg
    check(wait_stopped(t, False) and wait_raw(t), "fg: sbox runs, raw mode")
    t.send("abc\r")
    check(t.expect("got-abc") is not None,
          "fg: keys reach the program again", repr(t.buf))
    check(t.wait() == 0, "exit status 0")
    t.same_modes("terminal modes as before at the end")


def count(path):
    try:
        with open(path) as f:
            return len(f.read())
    except OSError:
        return 0


def tstp_nopty(a):
    ticks = a.ticks
    t = Term(sbox(a, ["--no-pty"]) + [
        "/bin/sh", "-c", "while :; do echo x >>%s; sleep 0.05; done" % ticks],
        user=a.user)
    end = time.time() + 10
    while count(ticks) < 4 and time.time() < end:
        time.sleep(0.05)
    check(count(ticks) >= 4, "the program runs without a pty")
    t.send("\x1a")  # the user's terminal is not raw: SIGTSTP to sbox
    check(wait_stopped(t), "Ctrl-Z stops sbox")
    time.sleep(0.3)
    n = count(ticks)
    time.sleep(0.6)
    check(count(ticks) == n, "... and the program with it",
          "%d -> %d" % (n, count(ticks)))
    os.kill(t.shell, signal.SIGUSR1)  # fg
    time.sleep(0.6)
    check(count(ticks) > n, "fg (SIGCONT): the program runs again")
    os.kill(t.pid, signal.SIGTERM)
    check(t.wait() == 143, "then SIGTERM ends it")


def attack(a):
    for mode in ([], ["--no-pty"]):
        label = "with a pty" if not mode else "--no-pty"
        t = Term(sbox(a, mode) + [a.escape, "tty-attack"], user=a.user)
        rc = t.wait()
        out = t.buf.decode(errors="replace")
        check(rc == 0, "%s: the probe ran" % label, out)
        for probe in ("tiocexcl", "tiocsetd"):
            check(re.search(r"^%s BLOCKED EPERM" % probe, out, re.M),
                  "%s: %s on the terminal is refused" % (label, probe), out)
        check(ioctl_int(t.slave, TIOCGEXCL) == 0,
              "%s: the user's terminal is not locked (TIOCEXCL)" % label)
        check(ioctl_int(t.slave, termios.TIOCGETD) == 0,
              "%s: its line discipline is still N_TTY" % label)
        if not mode:
            t.same_modes("with a pty: tcsetattr inside left the user's "
                         "terminal as it was")


class Args:
    pass


def main():
    a = Args()
    a.scenario, a.sbox, a.defn = sys.argv[1:4]
    a.user = sys.argv[4].split(":") if len(sys.argv) > 4 and sys.argv[4] \
        else None
    a.escape = os.environ.get("ESCAPE", "")
    a.ticks = os.environ.get("TICKS", "")
    globals()[a.scenario.replace("-", "_")](a)
    sys.exit(1 if FAILS else 0)


main()
