/* SHA-256 against the FIPS 180-4 / NIST example vectors. */
#include "unit/testutil.h"

#include <string.h>

#include "util/sha256.h"

static void
check(const char *msg, size_t len, const char *want)
{
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(msg, len, hex);
	assert_string_equal(hex, want);
}

static void
test_vectors(void **state)
{
	(void)state;
	check("", 0,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3,
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Feeding in odd-sized pieces must give the one-shot answer. */
static void
test_incremental(void **state)
{
	static char buf[1000000];
	unsigned char d[SHA256_DIGEST_LEN];
	struct sha256 s;
	size_t off = 0, step = 1;

	(void)state;
	memset(buf, 'a', sizeof(buf));
	sha256_init(&s);
	while (off < sizeof(buf)) {
		size_t n = step < sizeof(buf) - off ? step : sizeof(buf) - off;

		sha256_update(&s, buf + off, n);
		off += n;
		step = step * 3 % 997 + 1;
	}
	sha256_final(&s, d);
	/* NIST: one million 'a' */
	assert_int_equal(d[0], 0xcd);
	assert_int_equal(d[1], 0xc7);
	assert_int_equal(d[31], 0xd0);
	check(buf, sizeof(buf),
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_incremental),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
