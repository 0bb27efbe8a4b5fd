/* policy_decide on hand-built IR: SBPL-SEMANTICS.md §a, rule by rule. */
#include "unit/testutil.h"

#include <string.h>

#include "policy/decide.h"
#include "policy/vocab.h"

static struct src_loc noloc;

static struct policy_filter *
leaf(const char *name, const char *arg)
{
	struct policy_filter *f = policy_filter_new(PF_MATCH, name, noloc);

	policy_filter_add_arg(f, policy_value_str(
		!strcmp(name, "regex") ? PV_REGEX : PV_STRING, arg));
	return f;
}

static struct policy_filter *
combine(enum policy_filter_kind kind, struct policy_filter *a,
	struct policy_filter *b)
{
	struct policy_filter *f = policy_filter_new(kind, NULL, noloc);

	policy_filter_add_kid(f, a);
	if (b)
		policy_filter_add_kid(f, b);
	return f;
}

static void
rule(struct policy *p, int allow, const char *op, struct policy_filter *f)
{
	policy_add_rule(p, allow ? POLICY_ALLOW : POLICY_DENY, op, f, NULL, 0,
			noloc);
}

static enum policy_action
ask(const struct policy *p, const char *op, const char *arg,
    struct decision *d)
{
	struct sbox_err err = SBOX_ERR_INIT;

	assert_int_equal(policy_decide(p, op, arg, d, &err), 0);
	return d->action;
}

static void
test_last_filtered_wins(void **state)
{
	struct policy p;
	struct decision d;

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	rule(&p, 1, "file-read*", leaf("subpath", "/a"));
	rule(&p, 0, "file-read*", leaf("subpath", "/a/b"));
	assert_int_equal(ask(&p, "file-read-data", "/a/b/c", &d), POLICY_DENY);
	assert_int_equal(d.how, DECIDE_FILTERED);
	assert_ptr_equal(d.rule, &p.rules[2]);
	assert_int_equal(ask(&p, "file-read-data", "/a/x", &d), POLICY_ALLOW);
	assert_ptr_equal(d.rule, &p.rules[1]);
	assert_int_equal(d.nchain, 2);
	assert_string_equal(d.chain[0], "file-read-data");
	assert_string_equal(d.chain[1], "file-read*");
	assert_int_equal(ask(&p, "file-read-data", "/z", &d), POLICY_DENY);
	assert_int_equal(d.how, DECIDE_UNFILTERED);
	assert_string_equal(d.op, "default");
	policy_release(&p);
}

static void
test_unfiltered_is_fallback(void **state)
{
	struct policy p;
	struct decision d;

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	rule(&p, 1, "network-outbound", leaf("literal", "/s"));
	rule(&p, 0, "network-outbound", NULL); /* later, but only a fallback */
	rule(&p, 1, "network-outbound", NULL); /* replaces the earlier one */
	assert_int_equal(ask(&p, "network-outbound", "/s", &d), POLICY_ALLOW);
	assert_int_equal(d.how, DECIDE_FILTERED);
	assert_int_equal(ask(&p, "network-outbound", "/t", &d), POLICY_ALLOW);
	assert_int_equal(d.how, DECIDE_UNFILTERED);
	assert_ptr_equal(d.rule, &p.rules[3]);
	policy_release(&p);
}

static void
test_child_op_beats_parent(void **state)
{
	struct policy p;
	struct decision d;

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	rule(&p, 1, "file-read-data", leaf("subpath", "/X"));
	rule(&p, 0, "file-read*", leaf("subpath", "/X/secret"));
	/* §a.3: the child's own rule wins whatever the order */
	assert_int_equal(ask(&p, "file-read-data", "/X/secret", &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "file-read-metadata", "/X/secret", &d), POLICY_DENY);
	assert_string_equal(d.op, "file-read*");
	/* an unfiltered child rule cuts the child off from its parent */
	rule(&p, 1, "file-read*", leaf("subpath", "/Y"));
	rule(&p, 0, "file-read-data", NULL);
	assert_int_equal(ask(&p, "file-read-data", "/Y/f", &d), POLICY_DENY);
	assert_int_equal(ask(&p, "file-read-xattr", "/Y/f", &d), POLICY_ALLOW);
	policy_release(&p);
}

static void
test_builtin_allowed(void **state)
{
	struct policy p;
	struct decision d;

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	/* §a.4: not covered by (deny default) */
	assert_int_equal(ask(&p, "file-map-executable", "/x", &d), POLICY_ALLOW);
	assert_int_equal(d.how, DECIDE_BUILTIN);
	assert_int_equal(ask(&p, "iokit-get-properties", NULL, &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "process-info-pidinfo", NULL, &d), POLICY_ALLOW);
	rule(&p, 0, "process-info*", NULL);
	assert_int_equal(ask(&p, "process-info-pidinfo", NULL, &d), POLICY_DENY);
	policy_release(&p);
}

static void
test_filters_combine(void **state)
{
	struct policy p;
	struct decision d;
	struct policy_filter *any = leaf("global-name", "a.b");

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	policy_filter_add_arg(any, policy_value_str(PV_STRING, "c.d"));
	rule(&p, 1, "mach-lookup", any);
	rule(&p, 1, "file-read*",
	     combine(PF_REQUIRE_ALL, leaf("subpath", "/p"),
		     combine(PF_REQUIRE_NOT, leaf("regex", "\\.key$"), NULL)));
	rule(&p, 1, "sysctl-read", leaf("sysctl-name-prefix", "hw."));
	rule(&p, 1, "network-outbound", leaf("remote", "localhost:8080"));
	assert_int_equal(ask(&p, "mach-lookup", "c.d", &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "mach-lookup", "e.f", &d), POLICY_DENY);
	assert_int_equal(ask(&p, "file-read-data", "/p/x.txt", &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "file-read-data", "/p/x.key", &d), POLICY_DENY);
	assert_int_equal(ask(&p, "sysctl-read", "hw.ncpu", &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "sysctl-read", "kern.x", &d), POLICY_DENY);
	assert_int_equal(ask(&p, "network-outbound", "127.0.0.1:8080", &d), POLICY_ALLOW);
	assert_int_equal(ask(&p, "network-outbound", "localhost:80", &d), POLICY_DENY);
	policy_release(&p);
}

static void
test_unknown_filter_reported(void **state)
{
	struct policy p;
	struct decision d;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	policy_init(&p, vocab_for_release("10.15"));
	rule(&p, 0, "default", NULL);
	rule(&p, 1, "file-read*", leaf("vnode-type", "DIRECTORY"));
	assert_int_equal(ask(&p, "file-read-data", "/d", &d), POLICY_DENY);
	assert_ptr_equal(d.uncertain, &p.rules[1]);
	assert_int_equal(policy_decide(&p, "no-such-op", "/", &d, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	policy_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_filtered_wins),
		cmocka_unit_test(test_unfiltered_is_fallback),
		cmocka_unit_test(test_child_op_beats_parent),
		cmocka_unit_test(test_builtin_allowed),
		cmocka_unit_test(test_filters_combine),
		cmocka_unit_test(test_unknown_filter_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
