#include "unit/testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void
test_strbuf_basics(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "abc");
	strbuf_addf(&sb, "-%d-", 42);
	strbuf_addch(&sb, 'z');
	assert_string_equal(sb.buf, "abc-42-z");
	assert_int_equal(sb.len, 8);
	strbuf_reset(&sb);
	strbuf_add_quoted(&sb, "a\"b\\c\n");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\"");
	s = strbuf_detach(&sb);
	assert_string_equal(sb.buf, "");
	free(s);
}

static void
test_err_wrap(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	assert_int_equal(err_set(&err, SBOX_E_INVALID, "bad '%s'", "x"), -1);
	err_wrap(&err, "loading %s", "f.json");
	assert_string_equal(err.msg, "loading f.json: bad 'x'");
	assert_int_equal(err.code, SBOX_E_INVALID);
}

/* A write the environment refuses is exit 3 (SBOX_E_UNSUPPORTED). */
static void
test_err_env(void **state)
{
	static const int env[] = { EACCES, EPERM, EROFS, ENOSPC, EDQUOT };
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		errno = env[i];
		assert_int_equal(err_env(&err, "cannot write the store %s",
					 "/x/y"), -1);
		assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
		assert_int_equal(err.sys_errno, env[i]);
	}
	errno = EROFS;
	err_env(&err, "cannot write the store %s", "/x/y");
	assert_string_equal(err.msg, "cannot write the store /x/y: "
			    "Read-only file system");
	errno = EIO;
	err_env(&err, "cannot write the store %s", "/x/y");
	assert_int_equal(err.code, SBOX_E_IO);
	assert_int_equal(err_errno_is_env(ENOENT), 0);
}

static void
test_linecol(void **state)
{
	struct src_set set;
	struct src_file *f;
	unsigned line, col;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	src_set_init(&set);
	f = src_set_add(&set, "p.sb", xstrdup("(a)\n  (b\n"), 10);
	src_linecol(f, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	src_linecol(f, 6, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	src_line_text(f, 2, &sb);
	assert_string_equal(sb.buf, "  (b");
	strbuf_release(&sb);
	src_set_release(&set);
}

static void
test_diag_render_and_disable(void **state)
{
	static const char *const off[] = { "noisy", NULL };
	struct src_set set;
	struct src_file *f;
	struct diag_list dl;
	struct strbuf sb = STRBUF_INIT;
	struct src_loc loc;

	(void)state;
	src_set_init(&set);
	f = src_set_add(&set, "p.sb", xstrdup("(allow foo)\n"), 12);
	diag_list_init(&dl);
	dl.disabled = off;
	loc.file = f;
	loc.start = 7;
	loc.end = 10;
	assert_non_null(diag_add(&dl, DIAG_ERROR, loc, "unbound-variable",
				 "unbound variable: %s", "foo"));
	assert_null(diag_add(&dl, DIAG_WARNING, loc, "noisy", "x"));
	assert_int_equal(dl.nr, 1);
	assert_int_equal(dl.nerrors, 1);
	diag_render_text(&dl.v[0], &sb);
	assert_string_equal(sb.buf,
		"p.sb:1:8: error: unbound variable: foo [unbound-variable]\n"
		"  (allow foo)\n"
		"         ^~~\n");
	strbuf_release(&sb);
	diag_list_release(&dl);
	src_set_release(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_basics),
		cmocka_unit_test(test_err_wrap),
		cmocka_unit_test(test_err_env),
		cmocka_unit_test(test_linecol),
		cmocka_unit_test(test_diag_render_and_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
