/*
 * A program that makes its parent (the container's init) its debugger,
 * then stops itself: the pattern of a debugger's forked child.
 * Built by tests/launch/t0513-ptrace.sh; not part of sbox.
 *   ptraceme stop   PTRACE_TRACEME, raise(SIGSTOP), then exit 7
 *   ptraceme exec   PTRACE_TRACEME, then execve /bin/sh -c 'exit 5'
 *   ptraceme trap   PTRACE_TRACEME, raise(SIGUSR1) (handled), exit 9
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void
on_usr1(int sig)
{
	got = sig;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		perror("PTRACE_TRACEME");
		return 3;
	}
	if (!strcmp(argv[1], "stop")) {
		raise(SIGSTOP);
		puts("resumed");
		return 7;
	}
	if (!strcmp(argv[1], "exec")) {
		execl("/bin/sh", "sh", "-c", "exit 5", (char *)NULL);
		return 4;
	}
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	return got == SIGUSR1 ? 9 : 8;
}
