/*
 * Where shipped data (profiles/, templates/) lives: $SBOX_DATADIR, else the
 * source tree next to the running binary (build/sbox -> ../), else the
 * installed $(PREFIX)/share/sbox.
 */
#ifndef SBOX_UTIL_DATADIR_H
#define SBOX_UTIL_DATADIR_H

/* Static string; never NULL. */
const char *sbox_datadir(void);

#endif
