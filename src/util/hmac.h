/*
 * HMAC-SHA256 (RFC 2104, FIPS 198-1): the keyed digest that seals a
 * container's stored definition (src/container/seal.c), so that whoever
 * can write the store but not read the user's key cannot forge one.
 */
#ifndef SBOX_UTIL_HMAC_H
#define SBOX_UTIL_HMAC_H

#include <stddef.h>

#include "util/sha256.h"

struct hmac_sha256 {
	struct sha256 inner;
	unsigned char okey[64];  /* key ^ opad, for the outer hash */
};

void hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t keylen);
void hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t len);
/* Writes the MAC and wipes the key material held in h. */
void hmac_sha256_final(struct hmac_sha256 *h,
		       unsigned char out[SHA256_DIGEST_LEN]);

/* 1 when the n bytes at a and b are equal, in time independent of where
 * they differ (a MAC compared byte by byte leaks how much was right). */
int hmac_equal(const void *a, const void *b, size_t n);

#endif
