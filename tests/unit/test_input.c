/* util/input.c: what sbox reads for a definition never blocks, must be
 * the kind of file expected, and is bounded. */
#include "unit/testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/input.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sbox-input.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
path(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
test_regular_file(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;
	FILE *f;
	char *text;
	size_t len;

	(void)state;
	f = fopen(path("a.json"), "w");
	assert_non_null(f);
	fputs("{\"name\": \"x\"}", f);
	fclose(f);
	assert_int_equal(input_read(path("a.json"), 100, &text, &len, &err), 0);
	assert_int_equal(len, 13);
	assert_string_equal(text, "{\"name\": \"x\"}");
	free(text);
	/* one byte over the limit */
	assert_int_equal(input_read(path("a.json"), 12, &text, &len, &err), -1);
	assert_int_equal(err.sys_errno, EFBIG);
	assert_non_null(strstr(err.msg, "larger than 12 bytes"));
}

static void
test_fifo_does_not_block(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char *text;
	size_t len;

	(void)state;
	assert_int_equal(mkfifo(path("f.json"), 0600), 0);
	/* no writer: a blocking open would hang here */
	assert_int_equal(input_read(path("f.json"), 100, &text, &len, &err), -1);
	assert_non_null(strstr(err.msg, "is a FIFO, not a regular file"));
	assert_int_equal(err.sys_errno, EINVAL);
}

static void
test_devices_and_folders(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;
	struct stat st;
	char *text;
	size_t len;
	int fd;

	(void)state;
	assert_int_equal(input_read("/dev/zero", 100, &text, &len, &err), -1);
	assert_non_null(strstr(err.msg, "a character device"));
	assert_int_equal(input_read(dir, 100, &text, &len, &err), -1);
	assert_non_null(strstr(err.msg, "is a folder, not a regular file"));
	fd = input_open(dir, INPUT_FILE | INPUT_DIR, &st, &err);
	assert_true(fd >= 0);
	assert_true(S_ISDIR(st.st_mode));
	close(fd);
	assert_int_equal(input_open("/dev/null", INPUT_FILE | INPUT_DIR, &st,
				    &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file or a folder"));
	assert_int_equal(input_read(path("missing"), 100, &text, &len, &err), -1);
	assert_int_equal(err.sys_errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file),
		cmocka_unit_test(test_fifo_does_not_block),
		cmocka_unit_test(test_devices_and_folders),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
