/*
 * The peer-difference test (issue 9 §1): every allow rule with a literal,
 * subpath, regex or global-name in the profiles that work on real Macs
 * (codex base policy and platform defaults, sandbox-runtime's rendered
 * profile, gemini-cli strict-open, Chromium common.sb, Nix
 * sandbox-defaults) is decided against the `base` preset compiled for
 * /Users/me. Every peer allow that base denies must be listed with its
 * reason in tests/def/peer-diff.tsv: a new gap fails, and so does a row
 * that is no longer a difference.
 *
 * A regex is decided on a sample string made from it (and checked to match
 * it); a rule inside require-all or require-not is a condition, not a
 * grant, and is left out. The peers come from the shared corpus
 * (../shared/corpus); without it the test is skipped, like the corpus test.
 * SBOX_PEER_DIFF_PRINT=1 prints the differences as table rows.
 */
#include "unit/testutil.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "def/def.h"
#include "def/def_access.h"
#include "policy/decide.h"
#include "policy/vocab.h"
#include "sbpl/emit.h"
#include "sbpl/sbpl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const struct {
	const char *file, *prepend;
} peers[] = {
	{ "codex/seatbelt_base_policy.sbpl", NULL },
	{ "codex/restricted_platform_runtime_defaults.sbpl", "codex/seatbelt_base_policy.sbpl" },
	{ "codex/restricted_read_only_platform_defaults.sbpl", "codex/seatbelt_base_policy.sbpl" },
	{ "codex/seatbelt_network_policy.sbpl", "codex/seatbelt_base_policy-2025-11.sbpl" },
	{ "sandbox-runtime/rendered-macos-profile.sb", NULL },
	{ "gemini-cli/sandbox-macos-strict-open.sb", NULL },
	{ "chromium/common.sb", NULL },
	{ "nix/unwrapped/sandbox-defaults.sb", "nix/unwrapped/header.sb" },
};

static char corpus[1024], top[512];

static int
find_corpus(void)
{
	const char *t = getenv("TOP");
	char cand[600];

	snprintf(top, sizeof(top), "%s", t ? t : ".");
	snprintf(cand, sizeof(cand), "%s/../shared/corpus/EXPECT.tsv", top);
	if (access(cand, R_OK) == 0) {
		snprintf(corpus, sizeof(corpus), "%s/../shared/corpus", top);
		return 1;
	}
	if (access("/work/shared/corpus/EXPECT.tsv", R_OK) == 0) {
		snprintf(corpus, sizeof(corpus), "/work/shared/corpus");
		return 1;
	}
	return 0;
}

/*
 * A string the regex matches: anchors dropped, escapes unescaped, a class
 * gives its first member (a negated one "x"), "." gives "x", optional and
 * starred atoms are left out, a group gives its first alternative.
 */
static void
sample_of(const char *re, struct strbuf *out)
{
	for (const char *p = re; *p; p++) {
		const char *atom = out->buf + out->len;
		size_t before = out->len;

		(void)atom;
		if (*p == '^' || *p == '$')
			continue;
		if (*p == '\\' && p[1]) {
			strbuf_addch(out, *++p);
		} else if (*p == '[') {
			const char *end = strchr(p + 1, ']');

			if (!end)
				return;
			if (p[1] == '^')
				strbuf_addch(out, 'x');
			else
				strbuf_addch(out, p[1]);
			p = end;
		} else if (*p == '.') {
			strbuf_addch(out, 'x');
		} else if (*p == '(') {
			/* first alternative of the group, up to | or ) */
			int depth = 1;
			const char *q = p + 1;
			struct strbuf alt = STRBUF_INIT;

			while (*q && depth) {
				if (*q == '\\' && q[1]) {
					strbuf_addch(&alt, *q++);
				} else if (*q == '(') {
					depth++;
				} else if (*q == ')') {
					if (!--depth)
						break;
				}
				strbuf_addch(&alt, *q++);
			}
			{
				char *bar = strchr(alt.buf, '|');
				struct strbuf sub = STRBUF_INIT;

				if (bar)
					*bar = '\0';
				sample_of(alt.buf, &sub);
				strbuf_addstr(out, sub.buf);
				strbuf_release(&sub);
			}
			strbuf_release(&alt);
			p = *q ? q : q - 1;
		} else if (*p == '*' || *p == '?' || *p == '+' || *p == '{') {
			continue;
		} else {
			strbuf_addch(out, *p);
		}
		/* the atom just written is optional: drop it */
		if (p[1] == '*' || p[1] == '?') {
			out->len = before;
			out->buf[before] = '\0';
		}
		if (p[1] == '{') {
			const char *close = strchr(p + 1, '}');

			if (close && p[2] == '0') {
				out->len = before;
				out->buf[before] = '\0';
			}
		}
	}
}

static int
regex_matches(const char *re, const char *s)
{
	regex_t r;
	int ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return 0;
	ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

struct diffs {
	struct strbuf text;   /* "peer\top\tfilter\targ\n" rows */
	size_t n;
};

/*
 * Does base allow what a peer's rule on op grants? A rule on a family
 * (file*, network*) grants each member: all must be allowed.
 */
static int
allowed_by(const struct policy *base, const char *op, const char *arg)
{
	static const struct {
		const char *family, *members[3];
	} families[] = {
		{ "file*", { "file-read-data", "file-write-data", NULL } },
		{ "network*", { "network-outbound", "network-bind", NULL } },
	};
	struct decision dec;
	struct sbox_err err = SBOX_ERR_INIT;

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (strcmp(op, families[i].family))
			continue;
		for (size_t m = 0; families[i].members[m]; m++)
			if (!allowed_by(base, families[i].members[m], arg))
				return 0;
		return 1;
	}
	if (policy_decide(base, op, arg, &dec, &err) < 0)
		fail_msg("decide %s %s: %s", op, arg, err.msg);
	return dec.action == POLICY_ALLOW;
}

static void
decide_one(const struct policy *base, const char *peer, const char *op,
	   const struct policy_filter *f, struct diffs *d)
{
	struct strbuf arg = STRBUF_INIT;
	const char *name = f->name;

	if (strcmp(name, "literal") && strcmp(name, "subpath") &&
	    strcmp(name, "regex") && strcmp(name, "global-name"))
		return;
	for (size_t i = 0; i < f->nargs; i++) {
		const struct policy_value *v = &f->args[i];

		if (v->kind != PV_STRING && v->kind != PV_REGEX)
			continue;   /* a parameter the peer fills at run time */
		strbuf_reset(&arg);
		if (!strcmp(name, "regex")) {
			sample_of(v->str, &arg);
			if (!regex_matches(v->str, arg.buf))
				fail_msg("%s: no sample for regex %s (got %s)", peer,
					 v->str, arg.buf);
		} else {
			strbuf_addstr(&arg, v->str);
		}
		if (arg.buf[0] == '/') {
			/* the kernel resolves /tmp, /var, /etc before matching */
			char *c = def_path_canonical(arg.buf);

			strbuf_reset(&arg);
			strbuf_addstr(&arg, c);
			free(c);
		}
		if (allowed_by(base, op, arg.buf))
			continue;
		strbuf_addf(&d->text, "%s\t%s\t%s\t%s\n", peer, op, name, v->str);
		d->n++;
	}
	strbuf_release(&arg);
}

/* Top-level grants of a rule: its filter, or the members of its OR. */
static void
walk(const struct policy *base, const char *peer, const char *op,
     const struct policy_filter *f, struct diffs *d)
{
	if (f->kind == PF_MATCH)
		decide_one(base, peer, op, f, d);
	else if (f->kind == PF_REQUIRE_ANY)
		for (size_t i = 0; i < f->nkids; i++)
			walk(base, peer, op, f->kids[i], d);
}

static void
base_policy(struct policy *ir, struct container_def *def, struct src_set *srcs)
{
	struct diag_list diags;
	struct def_vars vars = { "/Users/me", "/Users/me/Library/Containers/app/Data",
				 "/Users/me/src/app",
				 "/Users/me/Library/Containers/app/Data/tmp" };
	struct strbuf out = STRBUF_INIT;
	struct def_strlist params = { NULL, 0, 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	char *path = xasprintf("%s/profiles/base.json", top);

	diag_list_init(&diags);
	if (def_load(path, srcs, &diags, def) < 0)
		fail_msg("cannot load %s", path);
	if (def_resolve(def, &vars, &err) < 0)
		fail_msg("resolve: %s", err.msg);
	policy_init(ir, vocab_latest());
	assert_int_equal(sbpl_emit_def_ir(def, &out, &params, ir, &err), 0);
	diag_list_release(&diags);
	strbuf_release(&out);
	free(params.v);
	free(path);
}

/* The table's rows (peer, op, filter, arg) without their reasons. */
static void
read_table(struct strbuf *keys, size_t *n)
{
	char *path = xasprintf("%s/tests/def/peer-diff.tsv", top);
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f)
		fail_msg("cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *cut = line;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		for (int tabs = 0; *cut && tabs < 4; cut++)
			if (*cut == '\t' && ++tabs == 4)
				break;
		if (*cut != '\t' || cut[1] == '\n' || !cut[1])
			fail_msg("peer-diff.tsv: a row without a reason: %s", line);
		strbuf_add(keys, line, (size_t)(cut - line));
		strbuf_addch(keys, '\n');
		(*n)++;
	}
	fclose(f);
	free(path);
}

/* Is row (with its newline) one of the lines of set? */
static int
has_line(const char *set, const char *row, size_t len)
{
	for (const char *p = set; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, row, len) && p[len - 1] == '\n')
			return 1;
		if (!strchr(p, '\n'))
			break;
	}
	return 0;
}

static void
test_peer_differences(void **state)
{
	struct src_set srcs;
	struct container_def def;
	struct policy base;
	struct diffs d = { STRBUF_INIT, 0 };
	struct strbuf keys = STRBUF_INIT;
	size_t nkeys = 0, missing = 0, stale = 0, rules = 0;

	(void)state;
	if (!find_corpus()) {
		print_message("no shared corpus: skipped\n");
		skip();
	}
	src_set_init(&srcs);
	base_policy(&base, &def, &srcs);
	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		struct sbpl_opts o = SBPL_OPTS_INIT;
		struct diag_list diags;
		struct policy p;
		char *file = xasprintf("%s/%s", corpus, peers[i].file);
		char *pre = peers[i].prepend ?
			    xasprintf("%s/%s", corpus, peers[i].prepend) : NULL;
		const char *prepend[2] = { pre, NULL };

		o.prepend = pre ? prepend : NULL;
		o.no_system_dirs = true;
		diag_list_init(&diags);
		policy_init(&p, vocab_latest());
		if (sbpl_eval_file(file, &o, &srcs, &diags, &p) < 0)
			fail_msg("cannot evaluate %s", file);
		for (size_t r = 0; r < p.nrules; r++) {
			const struct policy_rule *rule = &p.rules[r];

			/* the peer's own rules, not those of the file it extends */
			if (rule->action != POLICY_ALLOW || !rule->filter ||
			    !rule->loc.file || strcmp(rule->loc.file->name, file))
				continue;
			rules++;
			walk(&base, peers[i].file, rule->op, rule->filter, &d);
		}
		policy_release(&p);
		diag_list_release(&diags);
		free(file);
		free(pre);
	}
	if (getenv("SBOX_PEER_DIFF_PRINT"))
		fputs(d.text.buf, stdout);
	read_table(&keys, &nkeys);
	for (const char *p = d.text.buf; *p; p = strchr(p, '\n') + 1) {
		size_t len = (size_t)(strchr(p, '\n') - p) + 1;

		if (!has_line(keys.buf, p, len)) {
			print_message("new difference, not in peer-diff.tsv: %.*s", (int)len, p);
			missing++;
		}
	}
	for (const char *p = keys.buf; *p; p = strchr(p, '\n') + 1) {
		size_t len = (size_t)(strchr(p, '\n') - p) + 1;

		if (!has_line(d.text.buf, p, len)) {
			print_message("no longer a difference, remove from peer-diff.tsv: %.*s",
				      (int)len, p);
			stale++;
		}
	}
	print_message("%zu peer allow rules, %zu differences, %zu table rows\n",
		      rules, d.n, nkeys);
	assert_true(rules > 100);
	assert_int_equal(missing, 0);
	assert_int_equal(stale, 0);
	policy_release(&base);
	def_release(&def);
	src_set_release(&srcs);
	strbuf_release(&d.text);
	strbuf_release(&keys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_differences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
