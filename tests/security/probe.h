/*
 * What the probes run inside a container (escape.c, kfilter.c) print for
 * each check, one line the test scripts match: "<id> ALLOWED", or
 * "<id> BLOCKED <errno name>". Flushed at once, so that a check that kills
 * the probe leaves the lines before it.
 */
#ifndef SBOX_TESTS_PROBE_H
#define SBOX_TESTS_PROBE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void
report(const char *id, int err)
{
	if (err)
		printf("%s BLOCKED %s\n", id, strerrorname_np(err));
	else
		printf("%s ALLOWED\n", id);
	fflush(stdout);
}

/* 0 when the call succeeded, else errno. */
#define TRY(expr) ((expr) < 0 ? errno : 0)

#endif
