/*
 * Property test (issue 3, "Done means" 1): for thousands of random
 * definitions and random accesses, the definition's own semantics
 * (def_access_decide: most specific path wins, deny beats allow) equals
 * policy_decide on
 *   - the IR the emitter builds alongside the text, and
 *   - the policy obtained by evaluating the emitted SBPL text with its
 *     parameters (sbpl_eval_string).
 */
#include "unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "def/def_access.h"
#include "policy/decide.h"
#include "policy/vocab.h"
#include "sbpl/emit.h"
#include "sbpl/sbpl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NDEFS 1500
#define NREQUESTS 24

static unsigned long rng = 88172645463325252ul;

static unsigned
rnd(unsigned n)
{
	/* xorshift64: reproducible across runs and platforms */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A path of 1-4 components over a tiny alphabet, so paths nest often;
 * now and then under /tmp or /var to exercise canonicalisation. */
static char *
random_path(int for_request)
{
	static const char *const parts[] = { "a", "b", "c", "ab", "a.b" };
	static const char *const roots[] = { "/r", "/r", "/r", "/tmp", "/private/tmp", "/var/db" };
	struct strbuf sb = STRBUF_INIT;
	unsigned depth = 1 + rnd(for_request ? 5 : 4);

	strbuf_addstr(&sb, roots[rnd(6)]);
	for (unsigned i = 0; i < depth; i++)
		strbuf_addf(&sb, "/%s", parts[rnd(5)]);
	return strbuf_detach(&sb);
}

static void
random_def(struct container_def *d)
{
	struct def_path_list *lists[] = { &d->fs_read, &d->fs_write, &d->fs_exec,
					  &d->fs_deny };
	unsigned n = 1 + rnd(10);

	def_init(d);
	d->name = xstrdup("prop");
	for (unsigned i = 0; i < n; i++) {
		struct def_path_list *l = lists[rnd(4)];

		ALLOC_GROW(l->v, l->nr + 1, l->alloc);
		l->v[l->nr].path = random_path(0);
		memset(&l->v[l->nr].loc, 0, sizeof(l->v[l->nr].loc));
		l->nr++;
	}
}

static const struct {
	const char *op;
	unsigned cls;
} ops[] = {
	{ "file-read-data", DEF_ACC_READ },
	{ "file-read-xattr", DEF_ACC_READ },
	{ "file-write-data", DEF_ACC_WRITE },
	{ "process-exec*", DEF_ACC_EXEC },
	{ "file-read-metadata", 0 }, /* def_access_decide_metadata */
	{ "file-write-unlink", 1 << 8 }, /* def_access_decide_unlink */
	{ "file-link", 1 << 9 },         /* def_access_decide_link */
	{ "file-clone", 1 << 10 },       /* def_access_decide_clone */
};

static int
decide_action(const struct policy *p, const char *op, const char *path)
{
	struct decision d;
	struct sbox_err err = SBOX_ERR_INIT;

	if (policy_decide(p, op, path, &d, &err) < 0)
		fail_msg("decide: %s", err.msg);
	return d.action == POLICY_ALLOW;
}

static void
eval_emitted(const char *text, const struct def_strlist *params,
	     struct policy *out)
{
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list diags;
	const char **pv = xcalloc(params->nr + 1, sizeof(*pv));

	for (size_t i = 0; i < params->nr; i++)
		pv[i] = params->v[i];
	o.params = pv;
	o.vocab = out->vocab;
	src_set_init(&srcs);
	diag_list_init(&diags);
	if (sbpl_eval_string("emitted.sb", text, &o, &srcs, &diags, out) != 0) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < diags.nr; i++)
			diag_render_text(&diags.v[i], &sb);
		fail_msg("emitted SBPL does not evaluate:\n%s", sb.buf);
	}
	/* the policy keeps only strings it owns; locations are not used */
	for (size_t i = 0; i < out->nrules; i++)
		memset(&out->rules[i].loc, 0, sizeof(out->rules[i].loc));
	diag_list_release(&diags);
	src_set_release(&srcs);
	free(pv);
}

static void
check_one(const struct container_def *d, const struct vocab *v)
{
	struct strbuf text = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	struct policy ir, evaluated;

	policy_init(&ir, v);
	policy_init(&evaluated, v);
	assert_int_equal(sbpl_emit_def_ir(d, &text, &params, &ir, &err), 0);
	eval_emitted(text.buf, &params, &evaluated);
	for (unsigned q = 0; q < NREQUESTS; q++) {
		char *raw = random_path(1), *path = def_path_canonical(raw);
		unsigned k = rnd(sizeof(ops) / sizeof(ops[0]));
		int want = ops[k].cls == 0 ? def_access_decide_metadata(d, path) :
			   ops[k].cls == 1 << 8 ? def_access_decide_unlink(d, path) :
			   ops[k].cls == 1 << 9 ? def_access_decide_link(d, path) :
			   ops[k].cls == 1 << 10 ? def_access_decide_clone(d, path) :
			   def_access_decide(d, ops[k].cls, path);
		int got_ir = decide_action(&ir, ops[k].op, path);
		int got_sbpl = decide_action(&evaluated, ops[k].op, path);

		if (want != got_ir || want != got_sbpl)
			fail_msg("%s %s: definition says %d, IR %d, evaluated SBPL %d\n%s",
				 ops[k].op, path, want, got_ir, got_sbpl, text.buf);
		free(raw);
		free(path);
	}
	policy_release(&ir);
	policy_release(&evaluated);
	for (size_t i = 0; i < params.nr; i++)
		free(params.v[i]);
	free(params.v);
	strbuf_release(&text);
}

static void
test_random_definitions(void **state)
{
	const struct vocab *v = vocab_for_release("latest");

	(void)state;
	assert_non_null(v);
	for (unsigned i = 0; i < NDEFS; i++) {
		struct container_def d;

		random_def(&d);
		check_one(&d, v);
		def_release(&d);
	}
}

/* The oracle itself, on cases worked out by hand. */
static void
test_oracle_by_hand(void **state)
{
	struct container_def d;

	(void)state;
	def_init(&d);
	ALLOC_GROW(d.fs_write.v, 1, d.fs_write.alloc);
	d.fs_write.v[d.fs_write.nr++].path = xstrdup("/p");
	ALLOC_GROW(d.fs_read.v, 1, d.fs_read.alloc);
	d.fs_read.v[d.fs_read.nr++].path = xstrdup("/p/ro");
	ALLOC_GROW(d.fs_deny.v, 2, d.fs_deny.alloc);
	d.fs_deny.v[d.fs_deny.nr++].path = xstrdup("/p/ro/secret");
	d.fs_deny.v[d.fs_deny.nr++].path = xstrdup("/tmp/x");
	ALLOC_GROW(d.fs_exec.v, 1, d.fs_exec.alloc);
	d.fs_exec.v[d.fs_exec.nr++].path = xstrdup("/private/tmp/x");
	assert_true(def_access_decide(&d, DEF_ACC_WRITE, "/p/f"));
	assert_false(def_access_decide(&d, DEF_ACC_WRITE, "/p/ro/f"));  /* more specific read-only */
	assert_true(def_access_decide(&d, DEF_ACC_READ, "/p/ro/f"));
	assert_false(def_access_decide(&d, DEF_ACC_READ, "/p/ro/secret/k"));
	assert_false(def_access_decide(&d, DEF_ACC_READ, "/pp"));       /* not under /p */
	assert_false(def_access_decide(&d, DEF_ACC_EXEC, "/p/f"));
	/* /tmp/x and /private/tmp/x are one path: deny beats exec */
	assert_false(def_access_decide(&d, DEF_ACC_EXEC, "/private/tmp/x/y"));
	assert_true(def_access_decide(&d, DEF_ACC_READ, "/usr/lib/libSystem.B.dylib")); /* start-up */
	def_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_by_hand),
		cmocka_unit_test(test_random_definitions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
