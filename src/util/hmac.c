/* HMAC-SHA256 over src/util/sha256.c (see hmac.h). */
#include "util/hmac.h"

#include <string.h>

#define BLOCK 64

void
hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t keylen)
{
	unsigned char k[BLOCK], ipad[BLOCK];

	/* keys longer than a block are hashed first (RFC 2104 section 2) */
	memset(k, 0, sizeof(k));
	if (keylen > BLOCK) {
		struct sha256 s;

		sha256_init(&s);
		sha256_update(&s, key, keylen);
		sha256_final(&s, k);
	} else if (keylen) {
		memcpy(k, key, keylen);
	}
	for (size_t i = 0; i < BLOCK; i++) {
		ipad[i] = (unsigned char)(k[i] ^ 0x36);
		h->okey[i] = (unsigned char)(k[i] ^ 0x5c);
	}
	sha256_init(&h->inner);
	sha256_update(&h->inner, ipad, BLOCK);
	memset(k, 0, sizeof(k));
	memset(ipad, 0, sizeof(ipad));
}

void
hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t len)
{
	sha256_update(&h->inner, data, len);
}

void
hmac_sha256_final(struct hmac_sha256 *h, unsigned char out[SHA256_DIGEST_LEN])
{
	unsigned char in[SHA256_DIGEST_LEN];
	struct sha256 outer;

	sha256_final(&h->inner, in);
	sha256_init(&outer);
	sha256_update(&outer, h->okey, BLOCK);
	sha256_update(&outer, in, sizeof(in));
	sha256_final(&outer, out);
	memset(h, 0, sizeof(*h));
	memset(in, 0, sizeof(in));
}

int
hmac_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff = (unsigned char)(diff | (x[i] ^ y[i]));
	return diff == 0;
}
