/*
 * Driver of the SBPL front end: reading files, --prepend, (import ...)
 * resolution, the interpreter's lifecycle, and the check catalogue.
 */
#include "sbpl/sbpl.h"
#include "sbpl/interp.h"
#include "util/input.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_STEPS 2000000UL
#define DEFAULT_MAX_DEPTH 400
#define MAX_IMPORT_DEPTH 16
/* A profile's step budget grows with its text: generated profiles of
 * hundreds of thousands of rules take a few steps per byte at most. */
#define STEPS_PER_BYTE 4

void eval_register_specials(struct interp *in);

const struct sbpl_check sbpl_checks[] = {
	{ "syntax", DIAG_ERROR, "the text is not well-formed SBPL (bad '#' syntax, character, or nesting)" },
	{ "unbalanced-paren", DIAG_ERROR, "a '(' is never closed or a ')' has no '(' (macOS: syntax error)" },
	{ "unterminated-string", DIAG_ERROR, "a string literal runs to the end of the file" },
	{ "preprocessor-residue", DIAG_ERROR, "a C preprocessor line (#if, #include, ...) is left in the profile" },
	{ "wrapper-residue", DIAG_ERROR, "a C++ raw-string wrapper (R\"(...)\") is left around the profile" },
	{ "placeholder", DIAG_ERROR, "an unreplaced template placeholder (%name%, {{NAME}}, @NAME@)" },
	{ "unbound-variable", DIAG_ERROR, "unknown operation, filter, modifier, constant or procedure (macOS: \"unbound variable: X\")" },
	{ "op-unavailable", DIAG_ERROR, "an operation or filter the chosen --macos release does not have, outside a (defined? ...) guard" },
	{ "arity", DIAG_ERROR, "wrong number of arguments to a procedure, filter, modifier or rule" },
	{ "type", DIAG_ERROR, "an argument of the wrong type (e.g. a missing (param) where a filter needs a string)" },
	{ "not-a-procedure", DIAG_ERROR, "calling something that is not a procedure" },
	{ "bad-form", DIAG_ERROR, "malformed special form (define, let, if, with, ...)" },
	{ "ignored-expression", DIAG_WARNING, "extra expressions in a define or let binding, which TinyScheme ignores" },
	{ "user-error", DIAG_ERROR, "the profile called (error ...)" },
	{ "eval-limit", DIAG_ERROR, "evaluation exceeded the step or depth limit (runaway loop or recursion)" },
	{ "import", DIAG_ERROR, "an (import \"file\") that cannot be found or read (macOS: \"unable to open\")" },
	{ "io", DIAG_ERROR, "an input file cannot be read" },
	{ "version-missing", DIAG_ERROR, "no (version 1): macOS says \"no version specified\"" },
	{ "version-invalid", DIAG_ERROR, "a version other than 1: macOS says \"unsupported version\"" },
	{ "version-repeated", DIAG_WARNING, "(version 1) written twice in one file" },
	{ "version-not-first", DIAG_WARNING, "(version 1) is not the first form" },
	{ "regex-invalid", DIAG_ERROR, "a regular expression that does not compile" },
	{ "modifier-action", DIAG_ERROR, "modifier not allowed with the rule's action (report/no-sandbox/grant: allow only; no-report/rootless: deny only)" },
	{ "modifier-repeated", DIAG_ERROR, "the same modifier twice in one rule" },
	{ "modifier-not-applicable", DIAG_WARNING, "the operation's table does not list the modifier" },
	{ "filter-not-applicable", DIAG_WARNING, "the filter's category does not apply to the operation (Apple ships some; macOS accepts them)" },
	{ "filters-or", DIAG_WARNING, "a path/name filter and a qualifier (vnode-type, file-mode, ...) in one rule are OR'ed: require-all was likely meant" },
	{ "toplevel-filter", DIAG_WARNING, "a filter at top level does nothing: the rule before it was probably closed too early" },
	{ "symlink-path", DIAG_WARNING, "a path under /tmp, /var or /etc, which are symlinks into /private: never matches" },
	{ "relative-path", DIAG_WARNING, "a path filter whose path is not absolute: never matches" },
	{ "trailing-slash", DIAG_WARNING, "a subpath ending in '/'" },
	{ "string-escape", DIAG_WARNING, "an unknown escape like \\. in a plain string loses its backslash: use #\"...\"" },
	{ "local-outbound", DIAG_WARNING, "(local ...) on network-outbound/network* allows every outbound connection" },
	{ "deny-default-unusable", DIAG_WARNING, "(deny default) with nothing that lets dyld read /System or /usr/lib: the program cannot start" },
	{ "profile-size", DIAG_WARNING, "one rule's literal data is near Apple's 64 KiB limit" },
	{ "def-program-not-executable", DIAG_WARNING, "a definition whose own program is outside its exec paths" },
	{ "def-path-missing", DIAG_NOTE, "a path the definition grants does not exist on this machine (yet)" },
	{ "def-broad-grant", DIAG_WARNING, "a read, write or exec grant that covers / or the whole home folder" },
	{ "def-project", DIAG_ERROR, "${PROJECT} would be /, a home folder or a folder holding one (launch refuses it without --project)" },
	{ "rule-shadowed", DIAG_WARNING, "a filtered rule every path of which is decided by later rules of the opposite action (libsandbox sbpl1.scm, github.com/knightsc/sandbox_profiles)" },
	{ "child-op-precedence", DIAG_WARNING, "a rule on a child operation that wins over a later rule on its parent operation (libsandbox sbpl1.scm, github.com/knightsc/sandbox_profiles)" },
	{ "unfiltered-fallback", DIAG_NOTE, "an unfiltered rule after filtered rules of the opposite action: it is only the operation's fallback" },
	{ "param-missing", DIAG_NOTE, "the parameters the profile reads but were not given with -D" },
	{ "noop-operation", DIAG_NOTE, "an operation name that is a no-op on the chosen release" },
	{ "deprecated", DIAG_NOTE, "a deprecated modifier ((with no-callout), (with partial-symbolication))" },
	{ "old-syntax", DIAG_NOTE, "(remote unix-socket (path-literal ...)): old syntax" },
	{ "obsolete", DIAG_NOTE, "(trace ...) has no effect on current macOS" },
	{ NULL, DIAG_NOTE, NULL },
};

const struct sbpl_check *
sbpl_check_find(const char *id)
{
	for (const struct sbpl_check *c = sbpl_checks; c->id; c++)
		if (!strcmp(c->id, id))
			return c;
	return NULL;
}

void
interp_init(struct interp *in, const struct sbpl_opts *opts,
	    struct src_set *srcs, struct diag_list *diags, struct policy *out)
{
	memset(in, 0, sizeof(*in));
	arena_init(&in->arena);
	arena_init(&in->perm);
	in->symtab_size = 1021;
	in->symtab = xcalloc(in->symtab_size, sizeof(*in->symtab));
	in->opts = opts;
	in->vocab = opts->vocab ? opts->vocab : vocab_latest();
	in->srcs = srcs;
	in->diags = diags;
	in->policy = out;
	in->nil.type = SV_NIL;
	in->t.type = SV_BOOL;
	in->t.u.b = 1;
	in->f.type = SV_BOOL;
	in->voidv.type = SV_VOID;
	in->max_steps = opts->max_steps ? opts->max_steps : DEFAULT_MAX_STEPS;
	in->max_depth = opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
	in->extra_filters = &in->nil;
	in->extra_mods = &in->nil;
	eval_register_specials(in);
	for (const char *const *p = opts->params; p && p[0] && p[1]; p += 2) {
		struct ssym *key = sym_intern(in, p[0], strlen(p[0]));

		if (!key->param)   /* the first -D of a name counts */
			key->param = p[1];
	}
}

void
interp_release(struct interp *in)
{
	for (size_t i = 0; i < in->nfilters; i++)
		policy_filter_free(in->filters[i]);
	free(in->filters);
	free(in->missing);
	free(in->symtab);
	arena_release(&in->arena);
	arena_release(&in->perm);
}

/* Give back what one top-level form allocated (it stored nothing that
 * later forms can reach): its values and the filters they made. */
void
interp_forget(struct interp *in, const struct arena_mark *mark,
	      size_t nfilters)
{
	while (in->nfilters > nfilters)
		policy_filter_free(in->filters[--in->nfilters]);
	arena_rollback(&in->arena, mark);
}

static void
eval_source(struct interp *in, const struct src_file *f, bool *read_ok,
	    struct src_loc *first_form)
{
	struct arena_mark mark = arena_mark(&in->arena);
	struct sbpl_reader r;

	if (!in->opts->max_steps)
		in->max_steps += STEPS_PER_BYTE * (unsigned long)f->len;
	lint_prescan(in, f);
	/*
	 * A syntax error anywhere means nothing is evaluated, as macOS
	 * refuses such a profile whole: read it all once, keeping nothing,
	 * then read and evaluate one form at a time.
	 */
	sbpl_reader_init(&r, in, f, false);
	while (sbpl_read_next(&r))
		arena_rollback(&in->arena, &mark);
	arena_rollback(&in->arena, &mark);
	if (r.failed) {
		*read_ok = false;
		return;
	}
	sbpl_reader_init(&r, in, f, true);
	eval_toplevel(in, &r, first_form);
}

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* (import "x"): absolute paths directly; relative ones in -I dirs, then
 * macOS's own dirs (SBPL-SEMANTICS §e: sbpl_v1 l.28-70). */
static char *
resolve_import(struct interp *in, const char *name)
{
	static const char *const system_dirs[] = {
		"/System/Library/Sandbox/Profiles", "/usr/share/sandbox", NULL,
	};

	if (name[0] == '/')
		return xstrdup(name);
	for (const char *const *d = in->opts->include_dirs; d && *d; d++) {
		char *p = xasprintf("%s/%s", *d, name);

		if (file_exists(p))
			return p;
		free(p);
	}
	for (size_t i = 0; !in->opts->no_system_dirs && system_dirs[i]; i++) {
		char *p = xasprintf("%s/%s", system_dirs[i], name);

		if (file_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

int
interp_load_file(struct interp *in, const char *name, struct src_loc from)
{
	char *path = resolve_import(in, name), *text;
	struct sbox_err err = SBOX_ERR_INIT;
	struct src_file *f;
	bool read_ok = true;
	size_t len;

	if (!path) {
		interp_error(in, from, "import", "unable to open %s: not found in "
			     "the -I directories or the system profile directories", name);
		return -1;
	}
	if (in->import_depth >= MAX_IMPORT_DEPTH) {
		interp_error(in, from, "import", "imports nested more than %d deep "
			     "(does %s import itself?)", MAX_IMPORT_DEPTH, name);
		free(path);
		return -1;
	}
	if (input_read(path, INPUT_SBPL_MAX, &text, &len, &err) < 0) {
		interp_error(in, from, "import", "unable to open %s (%s)", path,
			     err.msg);
		free(path);
		return -1;
	}
	f = src_set_add(in->srcs, path, text, len);
	free(path);
	in->import_depth++;
	eval_source(in, f, &read_ok, NULL);
	in->import_depth--;
	return 0;
}

static int
eval_main(struct interp *in, struct src_file *main_file)
{
	size_t errors_before = in->diags->nerrors;
	struct src_loc first = { main_file, 0, 0 };
	bool read_ok = true;

	for (const char *const *p = in->opts->prepend; p && *p; p++) {
		size_t len;
		char *text;
		struct sbox_err err = SBOX_ERR_INIT;
		struct src_file *f;

		if (input_read(*p, INPUT_SBPL_MAX, &text, &len, &err) < 0) {
			struct src_loc none = { NULL, 0, 0 };

			diag_add(in->diags, DIAG_ERROR, none, "io", "%s",
				 err.msg);
			return -1;
		}
		f = src_set_add(in->srcs, *p, text, len);
		eval_source(in, f, &read_ok, NULL);
	}
	in->main_file = main_file;
	eval_source(in, main_file, &read_ok, &first);
	in->first_form = first;
	if (read_ok && !in->version_seen) {
		/* at the first form: that is where (version 1) belongs */
		diag_add(in->diags, DIAG_ERROR, first, "version-missing",
			 "no version specified: the profile must start with (version 1)");
	}
	if (read_ok)
		lint_policy(in);
	return in->diags->nerrors > errors_before ? 1 : 0;
}

static int
eval_with(const struct sbpl_opts *opts, struct src_set *srcs,
	  struct diag_list *diags, struct policy *out, struct src_file *f)
{
	static const struct sbpl_opts defaults = SBPL_OPTS_INIT;
	struct interp in;
	int rc;

	interp_init(&in, opts ? opts : &defaults, srcs, diags, out);
	if (!out->vocab)
		out->vocab = in.vocab;
	rc = eval_main(&in, f);
	interp_release(&in);
	return rc;
}

int
sbpl_eval_file(const char *path, const struct sbpl_opts *opts,
	       struct src_set *srcs, struct diag_list *diags,
	       struct policy *out)
{
	size_t len;
	char *text;
	struct sbox_err err = SBOX_ERR_INIT;

	if (input_read(path, INPUT_SBPL_MAX, &text, &len, &err) < 0) {
		struct src_loc none = { NULL, 0, 0 };

		diag_add(diags, DIAG_ERROR, none, "io", "%s", err.msg);
		return -1;
	}
	return eval_with(opts, srcs, diags, out, src_set_add(srcs, path, text, len));
}

int
sbpl_eval_string(const char *name, const char *text,
		 const struct sbpl_opts *opts, struct src_set *srcs,
		 struct diag_list *diags, struct policy *out)
{
	size_t len = strlen(text);

	return eval_with(opts, srcs, diags, out,
			 src_set_add(srcs, name, xstrndup(text, len), len));
}
