/*
 * exchange A B: renameat2(A, B, RENAME_EXCHANGE); prints "exchange
 * ALLOWED" or "exchange BLOCKED <errno>". Built by
 * tests/security/t0531-deny-writable.sh; not part of sbox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0)
		printf("exchange BLOCKED %s\n", strerrorname_np(errno));
	else
		printf("exchange ALLOWED\n");
	return 0;
}
