/* Reader and evaluator: values are observed through the rules they make. */
#include "unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"
#include "sbpl/sbpl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct run {
	struct src_set srcs;
	struct diag_list diags;
	struct policy pol;
	int rc;
};

static void
run_opts(struct run *r, const char *text, const struct sbpl_opts *o)
{
	src_set_init(&r->srcs);
	diag_list_init(&r->diags);
	policy_init(&r->pol, vocab_latest());
	r->rc = sbpl_eval_string("t.sb", text, o, &r->srcs, &r->diags, &r->pol);
}

static void
run(struct run *r, const char *text)
{
	struct sbpl_opts o = SBPL_OPTS_INIT;

	o.no_system_dirs = true;
	run_opts(r, text, &o);
}

static void
done(struct run *r)
{
	policy_release(&r->pol);
	diag_list_release(&r->diags);
	src_set_release(&r->srcs);
}

/* First diagnostic with this id, or NULL. */
static const struct diag *
find_diag(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->diags.nr; i++)
		if (r->diags.v[i].id && !strcmp(r->diags.v[i].id, id))
			return &r->diags.v[i];
	return NULL;
}

static void
diag_pos(const struct diag *d, unsigned *line, unsigned *col)
{
	src_linecol(d->loc.file, d->loc.start, line, col);
}

/* The string of the n-th rule's single literal filter. */
static const char *
rule_literal(const struct run *r, size_t n)
{
	const struct policy_filter *f;

	assert_true(n < r->pol.nrules);
	f = r->pol.rules[n].filter;
	assert_non_null(f);
	assert_int_equal(f->kind, PF_MATCH);
	assert_int_equal(f->nargs, 1);
	return f->args[0].str;
}

static void
expect_literal(const char *program, const char *want)
{
	struct run r;
	char *text = xasprintf("(version 1)\n%s\n", program);

	run(&r, text);
	if (r.rc != 0)
		for (size_t i = 0; i < r.diags.nr; i++)
			print_message("unexpected: %s\n", r.diags.v[i].msg);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.pol.nrules, 1);
	assert_string_equal(rule_literal(&r, 0), want);
	done(&r);
	free(text);
}

static void
test_reader_literals(void **state)
{
	(void)state;
	expect_literal("(allow file-read* (literal \"a\\\"b\\\\c\\td\"))", "a\"b\\c\td");
	expect_literal("(allow file-read* (regex #\"^/a\\.b$\"))", "^/a\\.b$");
	expect_literal("(allow file-read* (literal (string #\\/ #\\x #\\space)))", "/x ");
	expect_literal("(allow file-read* (literal (number->string #o755)))", "493");
	expect_literal("(allow file-read* (literal (number->string #x1f)))", "31");
	expect_literal("#| outer #| nested |# still |#\n; line\n"
		       "(allow file-read* (literal (symbol->string 'quoted)))", "quoted");
	expect_literal("(allow file-read* (literal (if #t \"t\" \"f\")))", "t");
	expect_literal("(allow file-read* (literal (car '(\"a\" . \"b\"))))", "a");
}

static void
test_reader_errors(void **state)
{
	struct run r;
	unsigned line, col;
	const struct diag *d;
	struct strbuf deep = STRBUF_INIT;

	(void)state;
	run(&r, "(version 1)\n(allow file-read*\n");
	d = find_diag(&r, "unbalanced-paren");
	assert_non_null(d);
	assert_non_null(d->related);
	diag_pos(d->related, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	assert_int_equal(r.rc, 1);
	done(&r);

	run(&r, "(version 1)\n  \"open");
	d = find_diag(&r, "unterminated-string");
	assert_non_null(d);
	diag_pos(d, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	done(&r);

	/* the reader's depth limit: an error, not a stack overflow */
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&deep, '(');
	run(&r, deep.buf);
	assert_non_null(find_diag(&r, "syntax"));
	done(&r);
	strbuf_release(&deep);
}

static void
test_eval_binding_forms(void **state)
{
	(void)state;
	expect_literal("(define x \"/a\") (define (f y) (string-append x y))"
		       "(allow file-read* (literal (f \"/b\")))", "/a/b");
	expect_literal("(let* ((a \"/x\") (b (string-append a \"/y\")))"
		       "(allow file-read* (literal b)))", "/x/y");
	expect_literal("(letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1)))))"
		       "         (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))"
		       "(allow file-read* (literal (if (ev? 10) \"even\" \"odd\"))))", "even");
	expect_literal("(define s \"\") (let loop ((i 0)) (when (< i 3)"
		       "(set! s (string-append s (number->string i))) (loop (+ i 1))))"
		       "(allow file-read* (literal s))", "012");
	expect_literal("(define (v . rest) (length rest))"
		       "(allow file-read* (literal (number->string (v 1 2 3))))", "3");
	expect_literal("(allow file-read* (literal (cond ((= 1 2) \"a\") ((assoc \"k\" '((\"k\" . \"v\"))) => cdr) (else \"c\"))))", "v");
	expect_literal("(allow file-read* (literal (case 3 ((1 2) \"low\") ((3 4) \"mid\") (else \"hi\"))))", "mid");
	expect_literal("(allow file-read* (literal (or #f (and \"x\" \"y\"))))", "y");
	expect_literal("(unless #f (allow file-read* (literal \"u\")))", "u");
}

static void
test_eval_lists_strings(void **state)
{
	(void)state;
	expect_literal("(allow file-read* (literal (apply string-append (map (lambda (s) (string-append \"/\" s)) '(\"a\" \"b\")))))", "/a/b");
	expect_literal("(define acc '()) (for-each (lambda (x) (set! acc (cons x acc))) '(\"1\" \"2\"))"
		       "(allow file-read* (literal (car acc)))", "2");
	expect_literal("(allow file-read* (literal (substring \"abcdef\" 2 4)))", "cd");
	expect_literal("(allow file-read* (literal (if (string-prefix? \"/usr\" \"/usr/lib\") \"y\" \"n\")))", "y");
	expect_literal("(allow file-read* (literal (list->string (reverse (string->list \"abc\")))))", "cba");
	expect_literal("(allow file-read* (literal (regex-quote \"a.b\")))", "a\\.b");
	expect_literal("(allow file-read* (literal (cadr (split-string \"a:b:c\" \":\"))))", "b");
	expect_literal("(define l `(1 ,(+ 1 1) ,@(list 3 4)))"
		       "(allow file-read* (literal (number->string (apply + l))))", "10");
	expect_literal("(macro (twice form) `(begin ,(cadr form) ,(cadr form)))"
		       "(define n 0) (twice (set! n (+ n 1)))"
		       "(allow file-read* (literal (number->string n)))", "2");
	expect_literal("(allow file-read* (literal (if (defined? 'file-read*) \"op\" \"none\")))", "op");
	expect_literal("(allow file-read* (literal (if (defined? 'no-such-thing) \"x\" \"undefined\")))", "undefined");
}

static void
test_policy_ir(void **state)
{
	struct run r;
	const struct policy_rule *rule;

	(void)state;
	run(&r, "(version 1)\n(deny default)\n"
		"(allow process-exec sysctl-write (literal \"/bin/ls\") (subpath \"/usr/bin\") (with report))\n"
		"(with-filter (system-attribute apple-internal) (allow mach-lookup (global-name \"x\")))\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.pol.nrules, 4);
	rule = &r.pol.rules[0];
	assert_string_equal(rule->op, "default");
	assert_int_equal(rule->action, POLICY_DENY);
	assert_null(rule->filter);
	rule = &r.pol.rules[1];
	/* aliases resolved: process-exec -> process-exec*, sysctl-write -> sysctl* */
	assert_string_equal(rule->op, "process-exec*");
	assert_string_equal(r.pol.rules[2].op, "sysctl*");
	assert_int_equal(rule->filter->kind, PF_REQUIRE_ANY);
	assert_int_equal(rule->filter->nkids, 2);
	assert_string_equal(rule->filter->kids[1]->name, "subpath");
	assert_int_equal(rule->nmods, 1);
	assert_string_equal(rule->mods[0].name, "report");
	{
		unsigned line, col;

		src_linecol(rule->loc.file, rule->loc.start, &line, &col);
		assert_int_equal(line, 3);
		assert_int_equal(col, 1);
	}
	rule = &r.pol.rules[3];
	assert_int_equal(rule->filter->kind, PF_REQUIRE_ALL);
	assert_string_equal(rule->filter->kids[0]->name, "global-name");
	assert_string_equal(rule->filter->kids[1]->name, "system-attribute");
	done(&r);
}

static void
test_params(void **state)
{
	struct sbpl_opts o = SBPL_OPTS_INIT;
	const char *params[] = { "HOME", "/Users/me", NULL };
	const char *text = "(version 1)\n(allow file-read* (subpath (param \"HOME\")))\n";
	struct run r;

	(void)state;
	o.no_system_dirs = true;
	o.params = params;
	run_opts(&r, text, &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(rule_literal(&r, 0), "/Users/me");
	assert_null(find_diag(&r, "param-missing"));
	done(&r);

	o.params = NULL;
	run_opts(&r, text, &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.pol.rules[0].filter->args[0].kind, PV_UNKNOWN);
	assert_non_null(find_diag(&r, "param-missing"));
	done(&r);

	o.strict_params = true;
	run_opts(&r, text, &o);
	assert_int_equal(r.rc, 1);
	assert_non_null(find_diag(&r, "type"));
	done(&r);
}

/* Thousands of parameters (a launcher's profile), each found, the first
 * -D of a name winning; and the missing ones listed once each. */
static void
test_many_params(void **state)
{
	enum { N = 5000 };
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct strbuf text = STRBUF_INIT;
	const char **params = calloc(2 * N + 3, sizeof(*params));
	char (*names)[16] = calloc(N, sizeof(*names));
	const struct diag *d;
	struct run r;

	(void)state;
	strbuf_addstr(&text, "(version 1)\n");
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "P%d", i);
		params[2 * i] = names[i];
		params[2 * i + 1] = i % 2 ? "/odd" : "/even";
		strbuf_addf(&text, "(allow file-read* (literal (param \"P%d\")))\n", i);
	}
	params[2 * N] = "P0";          /* a second -D P0: the first counts */
	params[2 * N + 1] = "/later";
	strbuf_addstr(&text, "(allow file-read* (literal (param \"NOPE\")))\n"
		      "(allow file-read* (literal (param \"NOPE\")))\n");
	o.no_system_dirs = true;
	o.params = params;
	run_opts(&r, text.buf, &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.pol.nrules, N + 2);
	assert_string_equal(rule_literal(&r, 0), "/even");
	assert_string_equal(rule_literal(&r, N - 1), "/odd");
	d = find_diag(&r, "param-missing");
	assert_non_null(d);
	assert_non_null(strstr(d->msg, "(NOPE:"));
	done(&r);
	free(params);
	free(names);
	strbuf_release(&text);
}

static void
test_limits(void **state)
{
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct run r;

	(void)state;
	o.no_system_dirs = true;
	o.max_steps = 10000;
	run_opts(&r, "(version 1)\n(let loop ((i 0)) (loop (+ i 1)))\n", &o);
	assert_int_equal(r.rc, 1);
	assert_non_null(find_diag(&r, "eval-limit"));
	done(&r);

	/* deep non-tail recursion and a deeply nested run-time structure */
	run(&r, "(version 1)\n(define (f n) (cons n (f (+ n 1))))\n(f 0)\n");
	assert_non_null(find_diag(&r, "eval-limit"));
	done(&r);
	run(&r, "(version 1)\n(define x (let loop ((l '()) (i 0)) (if (< i 100000) (loop (list l) (+ i 1)) l)))\n"
		"(allow file-read* (literal (if (equal? x x) \"same\" \"deep\")))\n");
	assert_int_equal(r.rc, 0);
	done(&r);
}

static void
test_import(void **state)
{
	char dir[] = "/tmp/sbpl-test-XXXXXX";
	char *path;
	FILE *fp;
	struct sbpl_opts o = SBPL_OPTS_INIT;
	const char *dirs[2] = { dir, NULL };
	struct run r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/base.sb", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("(version 1)\n(define (base-read p) (allow file-read* (literal p)))\n", fp);
	fclose(fp);
	o.no_system_dirs = true;
	o.include_dirs = dirs;
	run_opts(&r, "(version 1)\n(import \"base.sb\")\n(base-read \"/etc2\")\n", &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(rule_literal(&r, 0), "/etc2");
	done(&r);

	o.include_dirs = NULL;
	run_opts(&r, "(version 1)\n(import \"base.sb\")\n", &o);
	assert_int_equal(r.rc, 1);
	assert_non_null(find_diag(&r, "import"));
	done(&r);
	unlink(path);
	rmdir(dir);
	free(path);
}

static bool
has_diag(const char *program, const char *id)
{
	struct run r;
	char *text = xasprintf("(version 1)\n%s\n", program);
	bool found;

	run(&r, text);
	found = find_diag(&r, id) != NULL;
	done(&r);
	free(text);
	return found;
}

static void
test_precedence_lints(void **state)
{
	(void)state;
	/* a later allow of a superset overrides the deny */
	assert_true(has_diag("(deny file-read* (subpath \"/a/b\"))"
			     "(allow file-read* (subpath \"/a\"))", "rule-shadowed"));
	assert_true(has_diag("(deny file-read* (literal \"/a/x\") (literal \"/a/y\"))"
			     "(allow file-read* (literal \"/q\") (prefix \"/a/\"))", "rule-shadowed"));
	/* deny after allow: the deny wins, nothing to report */
	assert_false(has_diag("(allow file-read* (subpath \"/a\"))"
			      "(deny file-read* (subpath \"/a/b\"))", "rule-shadowed"));
	/* the allow covers only part of the deny */
	assert_false(has_diag("(deny file-read* (subpath \"/a\"))"
			      "(allow file-read* (subpath \"/a/b\"))", "rule-shadowed"));
	assert_false(has_diag("(deny file-read* (literal \"/ab\"))"
			      "(allow file-read* (subpath \"/a\"))", "rule-shadowed"));
	/* different operations, or an unfiltered allow (only a fallback) */
	assert_false(has_diag("(deny file-read* (literal \"/a/b\"))"
			      "(allow file-write* (subpath \"/a\"))", "rule-shadowed"));
	assert_false(has_diag("(deny file-read* (literal \"/a/b\")) (allow file-read*)",
			      "rule-shadowed"));
	assert_true(has_diag("(allow network* (local ip))", "local-outbound"));
	assert_false(has_diag("(allow network-outbound (remote ip \"localhost:*\"))", "local-outbound"));
	assert_false(has_diag("(allow network-bind (local ip \"localhost:*\"))", "local-outbound"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_literals),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_eval_binding_forms),
		cmocka_unit_test(test_eval_lists_strings),
		cmocka_unit_test(test_policy_ir),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_many_params),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_precedence_lints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
