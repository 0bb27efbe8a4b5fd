/*
 * The indexed decision-model lints (src/sbpl/lint_decide.c) against the
 * pairwise reference (lint_decide_ref.h): the same diagnostics, in the
 * same order, on every profile the tests have, on random profiles built
 * to hit the corner cases of literal/subpath/prefix coverage, and on a
 * big profile with one shadowed rule planted among thousands. A disabled
 * check does no work at all.
 */
#include "unit/testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sbpl/lint_decide.h"
#include "sbpl/sbpl.h"
#include "unit/lint_decide_ref.h"
#include "util/strbuf.h"

static const char *const decide_ids[] = {
	"rule-shadowed", "child-op-precedence", "unfiltered-fallback", NULL,
};

static void
render(const struct diag_list *dl, struct strbuf *out)
{
	for (size_t i = 0; i < dl->nr; i++) {
		const struct diag *d = &dl->v[i];

		strbuf_addf(out, "%d %s %u %s", (int)d->level, d->id,
			    d->loc.start, d->msg);
		if (d->related)
			strbuf_addf(out, " | %u %s", d->related->loc.start,
				    d->related->msg);
		strbuf_addch(out, '\n');
	}
}

/* Evaluate text (the decide lints off), then run both implementations. */
static size_t
compare_text(const char *name, const char *text)
{
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list eval_diags, fast, ref;
	struct policy pol;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t n;

	o.no_system_dirs = true;
	src_set_init(&srcs);
	diag_list_init(&eval_diags);
	eval_diags.disabled = decide_ids;
	diag_list_init(&fast);
	diag_list_init(&ref);
	policy_init(&pol, vocab_latest());
	sbpl_eval_string(name, text, &o, &srcs, &eval_diags, &pol);
	sbpl_lint_decide(&pol, &fast);
	ref_lint_decide(&pol, &ref);
	render(&fast, &a);
	render(&ref, &b);
	if (strcmp(a.buf, b.buf))
		fail_msg("%s: indexed lints differ from the reference\n"
			 "indexed:\n%s\nreference:\n%s", name, a.buf, b.buf);
	n = fast.nr;
	strbuf_release(&a);
	strbuf_release(&b);
	policy_release(&pol);
	diag_list_release(&fast);
	diag_list_release(&ref);
	diag_list_release(&eval_diags);
	src_set_release(&srcs);
	return n;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

static void
compare_tree(const char *dir, size_t *files, size_t *found)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			compare_tree(path, files, found);
		} else if ((n > 3 && !strcmp(e->d_name + n - 3, ".sb")) ||
			   (n > 5 && !strcmp(e->d_name + n - 5, ".sbpl"))) {
			char *text = slurp(path);

			if (!text)
				continue;
			*found += compare_text(path, text);
			(*files)++;
			free(text);
		}
	}
	closedir(d);
}

static void
test_profiles_agree(void **state)
{
	const char *top = getenv("TOP");
	char dir[4096];
	size_t files = 0, found = 0;
	static const char *const dirs[] = {
		"%s/tests/golden/sbpl", "%s/tests/fuzz/seeds/fuzz_sbpl",
		"%s/tests/def/golden", "%s/../shared/corpus",
	};

	(void)state;
	if (!top)
		top = ".";
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), dirs[i], top);
		compare_tree(dir, &files, &found);
	}
	compare_tree("/work/shared/corpus", &files, &found);
	print_message("%zu profiles, %zu diagnostics, all the same\n", files,
		      found);
	assert_true(files >= 20);
	assert_true(found > 0);
}

/* A path from few components, so that rules meet: "/", "/a", "/a/",
 * "/ab", "/a/b", "//a" ... */
static void
random_path(struct strbuf *sb, unsigned *seed)
{
	static const char *const parts[] = { "a", "ab", "b", "a/", "" };
	int n = rand_r(seed) % 4;

	strbuf_addch(sb, '/');
	for (int i = 0; i < n; i++) {
		strbuf_addstr(sb, parts[rand_r(seed) % 5]);
		if (i + 1 < n)
			strbuf_addch(sb, '/');
	}
}

static void
random_filter(struct strbuf *sb, unsigned *seed)
{
	static const char *const kinds[] = { "literal", "subpath", "prefix",
					     "regex" };
	int k = rand_r(seed) % 4;

	if (k == 3) {
		strbuf_addstr(sb, "(regex #\"^/a\")");
		return;
	}
	strbuf_addf(sb, "(%s \"", kinds[k]);
	random_path(sb, seed);
	strbuf_addstr(sb, "\")");
}

static void
random_profile(struct strbuf *sb, unsigned *seed, int nrules)
{
	static const char *const ops[] = {
		"file-read*", "file-read-data", "file-read-metadata", "file*",
		"file-write*", "file-write-data", "default",
	};

	strbuf_addstr(sb, "(version 1)\n");
	for (int i = 0; i < nrules; i++) {
		int nf = rand_r(seed) % 4;   /* 0: unfiltered */

		strbuf_addf(sb, "(%s %s", rand_r(seed) % 2 ? "allow" : "deny",
			    ops[rand_r(seed) % 7]);
		if (rand_r(seed) % 5 == 0)
			strbuf_addf(sb, " %s", ops[rand_r(seed) % 6]);
		if (nf == 3) {
			strbuf_addstr(sb, " (require-any ");
			random_filter(sb, seed);
			random_filter(sb, seed);
			strbuf_addch(sb, ')');
		} else {
			for (int f = 0; f < nf; f++) {
				strbuf_addch(sb, ' ');
				random_filter(sb, seed);
			}
		}
		strbuf_addstr(sb, ")\n");
	}
}

static void
test_random_profiles_agree(void **state)
{
	unsigned seed = 20261204;
	size_t found = 0;

	(void)state;
	for (int i = 0; i < 400; i++) {
		struct strbuf sb = STRBUF_INIT;
		char name[32];

		random_profile(&sb, &seed, 5 + i % 60);
		snprintf(name, sizeof(name), "random-%d.sb", i);
		found += compare_text(name, sb.buf);
		strbuf_release(&sb);
	}
	print_message("400 random profiles, %zu diagnostics\n", found);
	assert_true(found > 400);
}

/* One shadowed rule (line 2) and one child-op rule (line 3) among
 * thousands: an index that misses a comparison misses them. */
static void
test_planted_among_many(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list dl;
	struct policy pol;
	int shadowed = 0, child = 0;

	(void)state;
	strbuf_addstr(&sb, "(version 1)\n"
		      "(deny file-read* (literal \"/p/d7/f4321\"))\n"
		      "(allow file-read-data (prefix \"/p/d3/f12\"))\n");
	for (int i = 0; i < 6000; i++)
		strbuf_addf(&sb, "(allow file-read* (literal \"/p/d%d/f%d\"))\n",
			    i % 10, i);
	strbuf_addstr(&sb, "(allow file-read* (subpath \"/p/d7\"))\n"
		      "(deny file-read* (literal \"/p/d3/f1234/x\"))\n");
	o.no_system_dirs = true;
	src_set_init(&srcs);
	diag_list_init(&dl);
	policy_init(&pol, vocab_latest());
	sbpl_eval_string("many.sb", sb.buf, &o, &srcs, &dl, &pol);
	for (size_t i = 0; i < dl.nr; i++) {
		unsigned line, col;

		src_linecol(dl.v[i].loc.file, dl.v[i].loc.start, &line, &col);
		if (!strcmp(dl.v[i].id, "rule-shadowed")) {
			assert_int_equal(line, 2);
			assert_non_null(strstr(dl.v[i].msg, "(line 6004)"));
			shadowed++;
		}
		if (!strcmp(dl.v[i].id, "child-op-precedence")) {
			assert_int_equal(line, 3);
			assert_non_null(strstr(dl.v[i].msg, "on line 6005"));
			child++;
		}
	}
	assert_int_equal(shadowed, 1);
	assert_int_equal(child, 1);
	policy_release(&pol);
	diag_list_release(&dl);
	src_set_release(&srcs);
	assert_int_equal(compare_text("many.sb", sb.buf), 2);
	strbuf_release(&sb);
}

/* --disable of a check skips its work, not only its output. */
static void
test_disabled_does_no_work(void **state)
{
	static const char *const off[] = { "rule-shadowed",
					   "child-op-precedence",
					   "unfiltered-fallback", NULL };
	static const char *const some[] = { "rule-shadowed", NULL };
	struct strbuf sb = STRBUF_INIT;
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list dl;
	struct policy pol;
	unsigned long all_work, some_work, none_work;

	(void)state;
	strbuf_addstr(&sb, "(version 1)\n");
	for (int i = 0; i < 2000; i++)
		strbuf_addf(&sb, "(%s file-read-data (subpath \"/q/%d\"))\n",
			    i % 2 ? "allow" : "deny", i % 50);
	o.no_system_dirs = true;
	src_set_init(&srcs);
	diag_list_init(&dl);
	dl.disabled = off;
	policy_init(&pol, vocab_latest());
	sbpl_eval_string("work.sb", sb.buf, &o, &srcs, &dl, &pol);
	diag_list_release(&dl);
	none_work = sbpl_lint_decide(&pol, &dl);
	dl.disabled = some;
	some_work = sbpl_lint_decide(&pol, &dl);
	diag_list_release(&dl);
	dl.disabled = NULL;
	all_work = sbpl_lint_decide(&pol, &dl);
	assert_int_equal(none_work, 0);
	assert_true(some_work > 0);
	assert_true(all_work > some_work);
	policy_release(&pol);
	diag_list_release(&dl);
	src_set_release(&srcs);
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles_agree),
		cmocka_unit_test(test_random_profiles_agree),
		cmocka_unit_test(test_planted_among_many),
		cmocka_unit_test(test_disabled_does_no_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
