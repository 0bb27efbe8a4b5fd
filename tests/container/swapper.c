/*
 * swapper DIR SECONDS: inside a container, swap DIR/aN (regular files)
 * and DIR/bN (FIFOs), 64 pairs, with RENAME_EXCHANGE as fast as it can,
 * so a reader of the tree that checks a name and then opens it finds the
 * other one.
 * Built by tests/container/t0105-export-swap.sh; not part of sbox.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	enum { PAIRS = 64 };
	char a[PAIRS][16], b[PAIRS][16];
	time_t end;

	if (argc != 3 || chdir(argv[1]) < 0)
		return 2;
	end = time(NULL) + atoi(argv[2]);
	for (int i = 0; i < PAIRS; i++) {
		snprintf(a[i], sizeof(a[i]), "a%d", i);
		snprintf(b[i], sizeof(b[i]), "b%d", i);
		unlink(a[i]);
		unlink(b[i]);
		if (close(open(a[i], O_WRONLY | O_CREAT, 0644)) < 0 ||
		    mkfifo(b[i], 0644) < 0)
			return 3;
	}
	puts("swapping");
	fflush(stdout);
	while (time(NULL) < end)
		for (int i = 0; i < PAIRS; i++)
			renameat2(AT_FDCWD, a[i], AT_FDCWD, b[i], RENAME_EXCHANGE);
	return 0;
}
