/*
 * SHA-256 (FIPS 180-4), for definition digests. None of the libraries
 * sbox links exposes one publicly (libarchive keeps its own private), and
 * OpenSSL would be a whole dependency for one hash.
 */
#ifndef SBOX_UTIL_SHA256_H
#define SBOX_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t total;          /* bytes hashed so far */
	unsigned char block[64];
	size_t used;             /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_LEN]);
/* One-shot: lower-case hex, NUL-terminated (hex holds 65 bytes). */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
