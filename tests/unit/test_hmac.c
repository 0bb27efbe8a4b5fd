/* HMAC-SHA256 against the RFC 4231 test vectors (cases 1, 2, 3 and 6). */
#include "unit/testutil.h"

#include <stdio.h>
#include <string.h>

#include "util/hmac.h"

static void
check(const void *key, size_t keylen, const void *msg, size_t len,
      const char *want)
{
	unsigned char mac[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 1];
	struct hmac_sha256 h;

	hmac_sha256_init(&h, key, keylen);
	/* in two pieces: the incremental interface must not matter */
	hmac_sha256_update(&h, msg, len / 2);
	hmac_sha256_update(&h, (const char *)msg + len / 2, len - len / 2);
	hmac_sha256_final(&h, mac);
	for (size_t i = 0; i < sizeof(mac); i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	assert_string_equal(hex, want);
}

static void
test_rfc4231(void **state)
{
	unsigned char k[131], d[50];
	const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	memset(k, 0x0b, 20);
	check(k, 20, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b"
	      "881dc200c9833da726e9376c2e32cff7");
	check("Jefe", 4, "what do ya want for nothing?", 28,
	      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k, 0xaa, sizeof(k));
	memset(d, 0xdd, sizeof(d));
	check(k, 20, d, sizeof(d), "773ea91e36800e46854db8ebd09181a7"
	      "2959098b3ef8c122d9635514ced565fe");
	check(k, sizeof(k), big, strlen(big), "60e431591ee0b67f0d8a26aacbf5b77f"
	      "8e0bc6213728c5140546040f0ee37f54");
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(hmac_equal("abcd", "abcd", 4));
	assert_false(hmac_equal("abcd", "abce", 4));
	assert_false(hmac_equal("xbcd", "abcd", 4));
	assert_true(hmac_equal("", "", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4231),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
