/*
 * Allocation wrappers. Out-of-memory is not an error path in sbox: these
 * abort with a message (as git, crun and bubblewrap do) so callers never
 * check for NULL.
 */
#ifndef SBOX_UTIL_XALLOC_H
#define SBOX_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string */
char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Grow an array so that at least nr elements fit; alloc holds the
 * current capacity (git's ALLOC_GROW).
 */
#define ALLOC_GROW(p, nr, alloc)                                          \
	do {                                                              \
		if ((nr) > (alloc)) {                                     \
			size_t grow_ = (alloc) ? (alloc) * 2 : 8;         \
			if (grow_ < (nr))                                 \
				grow_ = (nr);                             \
			(p) = xrealloc((p), grow_ * sizeof(*(p)));        \
			(alloc) = grow_;                                  \
		}                                                         \
	} while (0)

#endif
