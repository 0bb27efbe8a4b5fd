#!/bin/sh
# What loading the seccomp program costs a launch, run by hand:
#   sh tools/bench/seccomp-load.sh [TREE ...]
# TREE is a built source tree (default: this one); give main's too to
# compare. For each embedded program of each tree, a child loads it 60
# times in a row (the kernel allows a stack of filters) and the minimum
# is printed: the kernel walks the program once per system call number
# at load (its cache of calls always allowed), so the program's shape
# matters more than its length. The minimum, not the mean: a shared VM's
# scheduling noise only ever adds.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/sbox-seccomp-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/load.c" <<'C'
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct bpf { const void *insns; size_t len; };
/* one program (older trees) or one per network mode */
extern const struct bpf seccomp_filter_embedded __attribute__((weak));
extern const struct bpf seccomp_filters_embedded[] __attribute__((weak));

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void
measure(const char *tree, int which, const struct bpf *b)
{
	struct sock_fprog prog = { (unsigned short)b->len,
				   (struct sock_filter *)(uintptr_t)b->insns };

	if (fork() == 0) {
		double min = 1e9;

		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		for (int i = 0; i < 60; i++) {
			double t0 = now_us(), d;

			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				    &prog) < 0)
				break;
			d = now_us() - t0;
			if (d < min)
				min = d;
		}
		printf("%-40s program %d (%4zu instructions): min %6.1f us\n",
		       tree, which, b->len, min);
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (&seccomp_filter_embedded)
		measure(argv[1], 0, &seccomp_filter_embedded);
	for (int i = 0; &seccomp_filters_embedded && i < 3; i++)
		measure(argv[1], i, &seccomp_filters_embedded[i]);
	return 0;
}
C
[ $# -gt 0 ] || set -- "$top"
for round in 1 2 3; do
	for tree in "$@"; do
		gen=$tree/build/gen/seccomp_bpf.c
		[ -f "$gen" ] || { echo "no $gen: build that tree first" >&2; exit 1; }
		cc -O2 -D_GNU_SOURCE -I"$tree/src" -o "$tmp/load" "$tmp/load.c" "$gen"
		"$tmp/load" "$tree"
	done
done
