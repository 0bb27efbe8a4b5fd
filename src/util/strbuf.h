/*
 * Growable NUL-terminated byte buffer (git's strbuf, reduced).
 * STRBUF_INIT gives an empty buffer whose buf is always a valid string;
 * strbuf_release frees and re-initialises. strbuf_detach hands the heap
 * string to the caller.
 */
#ifndef SBOX_UTIL_STRBUF_H
#define SBOX_UTIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_empty_[];
#define STRBUF_INIT { strbuf_empty_, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s as an SBPL/JSON-safe double-quoted string literal. */
void strbuf_add_quoted(struct strbuf *sb, const char *s);

#endif
