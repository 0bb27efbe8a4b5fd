/*
 * Opening the files sbox reads on a definition's behalf (the definition,
 * its `extends`, SBPL imports, templates, roots): never blocking on a
 * FIFO or a device, never taking a terminal as controlling terminal, and
 * refusing what is not the kind of file expected or is too large. The
 * descriptor is checked (fstat), not the name, so nothing swapped in
 * between a stat and the open is read.
 */
#ifndef SBOX_UTIL_INPUT_H
#define SBOX_UTIL_INPUT_H

#include <stddef.h>
#include <sys/stat.h>

#include "util/err.h"

/* Largest definition file (and each file it extends). */
#define INPUT_DEF_MAX (16u << 20)
/* Largest SBPL file (a profile, or one it imports): big enough for a
 * compiled definition of 100,000 paths (~25 MB). */
#define INPUT_SBPL_MAX (64u << 20)

enum input_kind {
	INPUT_FILE = 1 << 0,  /* a regular file */
	INPUT_DIR = 1 << 1,   /* a folder */
};

/*
 * Open path read-only (O_NONBLOCK | O_NOCTTY, then O_NONBLOCK cleared)
 * and check it is one of kinds; st gets its fstat. Returns the fd, or -1
 * with err naming path and the reason ("a FIFO, not a regular file").
 */
int input_open(const char *path, unsigned kinds, struct stat *st,
	       struct sbox_err *err);

/* Read a whole regular file of at most max bytes, NUL-terminated. */
int input_read(const char *path, size_t max, char **text, size_t *len,
	       struct sbox_err *err);

/* "a FIFO", "a folder", ... for messages. */
const char *input_kind_name(mode_t mode);

#endif
