/*
 * The SBPL layer over the Scheme core: how global names resolve to
 * operations, filters (filters.c), allow/deny (rules.c) and symbolic
 * constants, and Apple's builtins (param, import, version, regex-quote,
 * ...). SBPL-SEMANTICS.md §b (operations), §e (directives), §f
 * (parameters).
 */
#include "sbpl/interp.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS struct interp *in, struct sval **a, size_t n, const struct src_loc *locs

struct src_loc
sbpl_argloc(struct interp *in, const struct src_loc *locs, size_t i)
{
	return locs ? locs[i] : in->cur;
}

struct sval *
sbpl_arg_type_error(struct interp *in, const struct src_loc *locs, size_t i,
	       const char *what, const struct sval *got)
{
	struct strbuf sb = STRBUF_INIT;

	sv_print(got, &sb, 0);
	interp_error(in, sbpl_argloc(in, locs, i), "type", "%s, got %s", what, sb.buf);
	strbuf_release(&sb);
	return NULL;
}

/* ---- directives and Apple procedures ---- */

static struct sval *
bi_version(ARGS)
{
	const struct src_file *file = in->file_state ? in->file_state->file : NULL;

	(void)n;
	if (a[0]->type != SV_INT)
		return sbpl_arg_type_error(in, locs, 0, "version: expected a number", a[0]);
	if (a[0]->u.i != 1)
		return interp_error(in, in->cur, "version-invalid",
				    "unsupported version %lld: only (version 1) exists",
				    a[0]->u.i);
	if (in->import_depth > 0) {
		/* an imported file (system.sb) carries its own (version 1);
		 * it does not stand in for the importing profile's */
		return &in->voidv;
	}
	if (in->version_seen) {
		/* imported files (system.sb) repeat (version 1): fine */
		if (in->version_loc.file == file)
			interp_warn(in, DIAG_WARNING, in->cur, "version-repeated",
				    "(version 1) is already specified");
		return &in->voidv;
	}
	in->version_seen = true;
	in->version_loc = in->cur;
	if (in->file_state && in->file_state->forms > 0)
		interp_warn(in, DIAG_WARNING, in->cur, "version-not-first",
			    "(version 1) should be the first form of the profile");
	return &in->voidv;
}

static struct sval *
bi_import(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING)
		return sbpl_arg_type_error(in, locs, 0, "import: expected a file name", a[0]);
	interp_load_file(in, a[0]->u.str.s, in->cur);
	return in->failed ? NULL : &in->voidv;
}

static void
note_missing_param(struct interp *in, struct ssym *key)
{
	if (key->param_missing)
		return;
	key->param_missing = true;
	if (!in->nmissing)
		in->missing_loc = in->cur;
	ALLOC_GROW(in->missing, in->nmissing + 1, in->missing_alloc);
	in->missing[in->nmissing++] = key->name;
}

/* (param "KEY"): SBPL-SEMANTICS §f; getenv is an alias (sbpl_v1). */
static struct sval *
bi_param(ARGS)
{
	struct ssym *key;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	if (a[0]->type != SV_STRING)
		return sbpl_arg_type_error(in, locs, 0, "param: expected a string", a[0]);
	/* -D values hang on the interned name: a profile reading thousands
	 * of parameters costs a look-up each, not a scan */
	key = sym_intern(in, a[0]->u.str.s, a[0]->u.str.len);
	if (key->param)
		return sv_string(in, key->param, strlen(key->param), in->cur);
	note_missing_param(in, key);
	if (in->opts->strict_params)
		return &in->f;
	return sv_unknown(in, arena_strndup(&in->arena, a[0]->u.str.s, a[0]->u.str.len));
}

static struct sval *
bi_regex_quote(ARGS)
{
	struct strbuf sb = STRBUF_INIT;
	struct sval *r;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return a[0];
	if (a[0]->type != SV_STRING)
		return sbpl_arg_type_error(in, locs, 0, "regex-quote: expected a string", a[0]);
	for (const char *s = a[0]->u.str.s; *s; s++) {
		if (strchr("\\^$.|?*+()[]{}", *s))
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, *s);
	}
	r = sv_string(in, sb.buf, sb.len, in->cur);
	strbuf_release(&sb);
	return r;
}

/* (_IO "h" 47): sbpl_v1.scm l.265, BSD's _IO(g, n) */
static struct sval *
bi_io(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING || a[0]->u.str.len != 1)
		return sbpl_arg_type_error(in, locs, 0, "_IO: expected a one-character string", a[0]);
	if (a[1]->type != SV_INT)
		return sbpl_arg_type_error(in, locs, 1, "_IO: expected a number", a[1]);
	return sv_int(in, 0x20000000LL | ((long long)(unsigned char)a[0]->u.str.s[0] << 8) |
			  (a[1]->u.i & 0xff));
}

static struct sval *
bi_trace(ARGS)
{
	(void)n;
	if (a[0]->type != SV_STRING)
		return sbpl_arg_type_error(in, locs, 0, "trace: expected a file name", a[0]);
	if (in->traced)
		return interp_error(in, in->cur, "bad-form",
				    "only one trace path may be specified");
	in->traced = true;
	interp_warn(in, DIAG_NOTE, in->cur, "obsolete",
		    "(trace ...) has no effect on current macOS releases");
	return &in->voidv;
}

/* (split-string "a:b" ":") -> ("a" "b"); an unknown string stays one
 * unknown piece */
static struct sval *
bi_split_string(ARGS)
{
	struct sval *head = &in->nil, **tail = &head;
	const char *s, *sep;
	size_t seplen;

	(void)n;
	if (a[0]->type == SV_UNKNOWN)
		return sv_cons(in, a[0], &in->nil);
	if (a[0]->type != SV_STRING)
		return sbpl_arg_type_error(in, locs, 0, "split-string: expected a string", a[0]);
	if (a[1]->type != SV_STRING || !a[1]->u.str.len)
		return sbpl_arg_type_error(in, locs, 1, "split-string: expected a separator", a[1]);
	s = a[0]->u.str.s;
	sep = a[1]->u.str.s;
	seplen = a[1]->u.str.len;
	for (;;) {
		const char *hit = strstr(s, sep);
		size_t len = hit ? (size_t)(hit - s) : strlen(s);

		*tail = sv_cons(in, sv_string(in, s, len, in->cur), &in->nil);
		tail = &(*tail)->u.pair.cdr;
		if (!hit)
			break;
		s = hit + seplen;
	}
	return head;
}

static struct sval *
bi_noop(ARGS)
{
	(void)a;
	(void)n;
	(void)locs;
	return &in->voidv;
}

static struct sval *
bi_filter_p(ARGS)
{
	(void)n;
	(void)locs;
	return sv_bool(in, a[0]->type == SV_FILTER);
}

static const struct builtin apple_builtins[] = {
	{ "version", bi_version, 1, 1 },
	{ "import", bi_import, 1, 1 },
	{ "param", bi_param, 1, 1 },
	{ "getenv", bi_param, 1, 1 },
	{ "regex-quote", bi_regex_quote, 1, 1 },
	{ "_IO", bi_io, 2, 2 },
	{ "trace", bi_trace, 1, 1 },
	{ "disable-full-symbolication", bi_noop, 0, 0 },
	{ "disable-callouts", bi_noop, 0, 0 },
	/* macOS 11+ profiles (tools/vocab-newer.tsv) */
	{ "disable-syscall-inference", bi_noop, 0, 0 },
	{ "sbpl-filter?", bi_filter_p, 1, 1 },
	{ "split-string", bi_split_string, 2, 2 },
};

static struct sval *
make_builtin(struct interp *in, const struct builtin *bi)
{
	struct sval *v = sv_new(in, SV_BUILTIN, in->cur);

	v->u.bi = bi;
	return v;
}

/*
 * A name from a kernel table too large to carry (MIG routines such as
 * mach_port_names, Mach traps MSC_*, fcntl commands F_*): letters, digits
 * and at least one underscore, as C identifiers are and Scheme names are
 * not. Only the filters that take them accept them (filters.c).
 */
static int
kernel_identifier(const char *name)
{
	int under = 0;

	if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z')))
		return 0;
	for (const char *p = name; *p; p++) {
		if (*p == '_')
			under = 1;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9')))
			return 0;
	}
	return under;
}

struct sval *
apple_lookup(struct interp *in, struct ssym *s)
{
	const struct vocab_op *op;
	const char *target;
	long long value = 0;
	struct sval *v;

	const struct builtin *bi = rules_lookup(s->name);

	if (bi)
		return make_builtin(in, bi);
	for (size_t i = 0; i < sizeof(apple_builtins) / sizeof(apple_builtins[0]); i++)
		if (!strcmp(apple_builtins[i].name, s->name))
			return make_builtin(in, &apple_builtins[i]);
	if (!strcmp(s->name, "*entitlements*"))
		return &in->nil;   /* predefined by libsandbox (EXPECT.tsv) */
	op = vocab_op_find(in->vocab, s->name);
	if (op || (vocab_op_alias(in->vocab, s->name, &target) && !target)) {
		v = sv_new(in, SV_OP, in->cur);
		v->u.op.op = op;
		v->u.op.written = s->name;
		return v;
	}
	bi = filters_lookup(in, s->name);
	if (bi)
		return make_builtin(in, bi);
	if (vocab_named_arg_known(s->name) || !strcmp(s->name, "unix-socket")) {
		static const char *const tables[] = {
			"vnode_type_args", "target_args", "local_args",
			"socket_domain_args", "signal_number_args", NULL,
		};
		for (size_t i = 0; tables[i]; i++)
			if (vocab_named_arg_find(tables[i], s->name, &value))
				break;
		v = sv_new(in, SV_CONST, in->cur);
		v->u.cnst.name = s->name;
		v->u.cnst.value = value;
		return v;
	}
	if (kernel_identifier(s->name)) {
		v = sv_new(in, SV_CONST, in->cur);
		v->u.cnst.name = s->name;
		v->u.cnst.value = SBPL_KERNEL_IDENT;
		return v;
	}
	return NULL;
}

const char *
apple_unavailable(struct interp *in, const char *name)
{
	static char why[96];
	struct vocab_filter vf;
	const struct vocab *latest = vocab_latest();

	if (in->vocab == latest)
		return NULL;
	if (vocab_op_find(latest, name) || vocab_filter_find(latest, name, &vf)) {
		snprintf(why, sizeof(why), "not available on macOS %s",
			 vocab_release_name(in->vocab));
		return why;
	}
	return NULL;
}
