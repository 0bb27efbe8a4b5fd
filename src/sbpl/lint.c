/*
 * Lints that are not part of evaluation proper (SBPL-LINTS.md): wrapper
 * and template residue in the text (A8), suspicious path arguments (B1,
 * B3, B4), and checks over the evaluated policy (A5, D1).
 */
#include "sbpl/interp.h"
#include "sbpl/lint_decide.h"

#include <string.h>

static struct src_loc
span(const struct src_file *f, size_t start, size_t end)
{
	struct src_loc l = { f, (uint32_t)start, (uint32_t)end };

	return l;
}

static bool
is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* C++ raw-string wrappers around a profile: R"SANDBOX_LITERAL( ... )SANDBOX_LITERAL"
 * (Firefox) and R""( ... )"" (Nix). Returns the length matched. */
static size_t
raw_string_open(const char *s, size_t len)
{
	size_t i = 2;

	if (len < 3 || s[0] != 'R' || s[1] != '"')
		return 0;
	while (i < len && (is_ident((unsigned char)s[i]) || s[i] == '"'))
		i++;
	return i < len && s[i] == '(' ? i + 1 : 0;
}

static size_t
raw_string_close(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 2 || s[0] != ')')
		return 0;
	while (i < len && (is_ident((unsigned char)s[i]) || s[i] == '"'))
		i++;
	if (i < 2 || s[i - 1] != '"')
		return 0;
	while (i < len && (s[i] == ';' || s[i] == ',' || s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i == len ? i : 0;
}

void
lint_prescan(struct interp *in, const struct src_file *f)
{
	size_t pos = 0;

	while (pos < f->len) {
		size_t eol = pos, start = pos, n;

		while (eol < f->len && f->text[eol] != '\n')
			eol++;
		while (start < eol && (f->text[start] == ' ' || f->text[start] == '\t'))
			start++;
		n = raw_string_open(f->text + start, eol - start);
		if (!n)
			n = raw_string_close(f->text + start, eol - start);
		if (n)
			diag_add(in->diags, DIAG_ERROR, span(f, start, start + n),
				 "wrapper-residue",
				 "C++ raw-string wrapper around the profile: "
				 "extract the SBPL between the wrapper lines");
		pos = eol + 1;
	}
}

/* %name%, {{NAME}}, @NAME@: a template that was never filled in. */
static size_t
placeholder_at(const char *s, size_t len, size_t i)
{
	size_t j;

	if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
		for (j = i + 2; j + 1 < len; j++)
			if (s[j] == '}' && s[j + 1] == '}')
				return j + 2 - i;
		return 0;
	}
	if (s[i] != '%' && s[i] != '@')
		return 0;
	for (j = i + 1; j < len && (is_ident((unsigned char)s[j]) || s[j] == '-'); j++)
		;
	if (j > i + 1 && j < len && s[j] == s[i] &&
	    ((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
	     s[i + 1] == '_'))
		return j + 1 - i;
	return 0;
}

void
lint_string_literal(struct interp *in, const struct sval *v)
{
	const struct src_file *f = v->loc.file;
	const char *s;
	size_t len;

	if (!f || v->loc.end > f->len)
		return;
	s = f->text + v->loc.start;
	len = v->loc.end - v->loc.start;
	for (size_t i = 0; i < len; i++) {
		size_t n = placeholder_at(s, len, i);

		if (n) {
			diag_add(in->diags, DIAG_ERROR,
				 span(f, v->loc.start + i, v->loc.start + i + n),
				 "placeholder",
				 "unreplaced template placeholder '%.*s'",
				 (int)n, s + i);
			return;
		}
	}
}

static bool
starts_with_dir(const char *s, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(s, dir, n) && (s[n] == '/' || s[n] == '\0');
}

/* /tmp, /var and /etc are symlinks into /private; the kernel matches
 * resolved paths (SBPL-SEMANTICS §a.5, SBPL-LINTS B1). */
static const char *
symlinked_dir(const char *path, enum vocab_match match)
{
	static const char *const dirs[] = { "/tmp", "/var", "/etc" };

	if (match == VOCAB_MATCH_REGEX) {
		if (path[0] != '^')
			return NULL;
		path++;
	}
	for (size_t i = 0; i < 3; i++) {
		if (!starts_with_dir(path, dirs[i]))
			continue;
		/* the symlink node itself is looked up during resolution
		 * (SBPL-LINTS B2): (literal "/tmp") is legitimate */
		if (match == VOCAB_MATCH_PLAIN && path[strlen(dirs[i])] == '\0')
			return NULL;
		if (match == VOCAB_MATCH_REGEX && path[strlen(dirs[i])] == '\0')
			return NULL;
		return dirs[i];
	}
	return NULL;
}

void
lint_path_arg(struct interp *in, const char *filter, enum vocab_match match,
	      const struct sval *arg, struct src_loc loc)
{
	const char *s = arg->u.str.s;
	const char *dir;

	if (!strncmp(filter, "mount-relative", 14))
		return;
	if (match != VOCAB_MATCH_REGEX && s[0] != '/' && strncmp(s, "${", 2)) {
		interp_warn(in, DIAG_WARNING, loc, "relative-path",
			    "relative path \"%s\" in %s: the kernel matches "
			    "absolute paths, so this never matches", s, filter);
		return;
	}
	dir = symlinked_dir(s, match);
	if (dir)
		interp_warn(in, DIAG_WARNING, loc, "symlink-path",
			    "%s is a symlink to /private%s: the kernel matches "
			    "resolved paths, so this never matches; write "
			    "/private%s", dir, dir, dir);
	if (match == VOCAB_MATCH_SUBPATH && arg->u.str.len > 1 &&
	    s[arg->u.str.len - 1] == '/')
		interp_warn(in, DIAG_WARNING, loc, "trailing-slash",
			    "subpath \"%s\" ends with '/'; libsandbox does "
			    "not strip it (Nix: \"They don't like trailing "
			    "slashes on subpath directives\"): drop it", s);
}

/* ---- checks over the evaluated policy ---- */

static bool
mentions_system_libs(const struct policy_filter *f, bool *unknown)
{
	static const char *const roots[] = { "/System", "/usr/lib", "/usr", NULL };

	if (!f)
		return true;
	if (f->kind != PF_MATCH) {
		for (size_t i = 0; i < f->nkids; i++)
			if (mentions_system_libs(f->kids[i], unknown))
				return true;
		return false;
	}
	for (size_t i = 0; i < f->nargs; i++) {
		const struct policy_value *v = &f->args[i];
		const char *s = v->str;

		if (v->kind == PV_UNKNOWN) {
			*unknown = true;
			continue;
		}
		if ((v->kind != PV_STRING && v->kind != PV_REGEX) || !s)
			continue;
		if (v->kind == PV_REGEX && s[0] == '^')
			s++;
		if (!strcmp(s, "/") && strcmp(f->name, "literal"))
			return true;
		for (size_t k = 0; roots[k]; k++)
			if (starts_with_dir(s, roots[k]))
				return true;
	}
	return false;
}

static bool
op_reads_files(const char *op)
{
	return !strcmp(op, "file-read*") || !strcmp(op, "file-read-data") ||
	       !strcmp(op, "file*") || !strcmp(op, "default") ||
	       !strcmp(op, "file-map-executable");
}

/* SBPL-LINTS D1: (deny default) without dyld's files aborts before main. */
static void
lint_deny_default(struct interp *in)
{
	const struct policy_rule *deny_default = NULL;
	bool unknown = false;

	for (size_t i = 0; i < in->policy->nrules; i++) {
		const struct policy_rule *r = &in->policy->rules[i];

		if (!strcmp(r->op, "default") && !r->filter)
			deny_default = r->action == POLICY_DENY ? r : NULL;
	}
	if (!deny_default)
		return;
	for (size_t i = 0; i < in->policy->nrules; i++) {
		const struct policy_rule *r = &in->policy->rules[i];

		if (r->action == POLICY_ALLOW && op_reads_files(r->op) &&
		    mentions_system_libs(r->filter, &unknown))
			return;
	}
	if (unknown)
		return;
	interp_warn(in, DIAG_WARNING, deny_default->loc, "deny-default-unusable",
		    "(deny default) but nothing allows reading /System or "
		    "/usr/lib: dyld cannot load and the program aborts before "
		    "main; (import \"system.sb\") or allow file-read* on them");
}

/* SBPL-LINTS B8: (local ...) on outbound traffic matches the local end
 * every connection has. */
static const struct policy_filter *
local_leaf(const struct policy_filter *f)
{
	if (!f)
		return NULL;
	if (f->kind == PF_MATCH)
		return !strcmp(f->name, "local") ? f : NULL;
	if (f->kind == PF_REQUIRE_NOT)
		return NULL;
	for (size_t k = 0; k < f->nkids; k++) {
		const struct policy_filter *l = local_leaf(f->kids[k]);

		if (l && (f->kind == PF_REQUIRE_ANY || f->nkids == 1))
			return l;
	}
	return NULL;
}

static void
lint_local_outbound(struct interp *in)
{
	for (size_t i = 0; i < in->policy->nrules; i++) {
		const struct policy_rule *r = &in->policy->rules[i];
		const struct policy_filter *l;

		if (r->action != POLICY_ALLOW || (strcmp(r->op, "network-outbound") &&
						  strcmp(r->op, "network*")))
			continue;
		l = local_leaf(r->filter);
		if (l)
			interp_warn(in, DIAG_WARNING, l->loc, "local-outbound",
				    "(local ...) on %s matches the local end of "
				    "the connection, which every outbound "
				    "connection has: this allows all outbound "
				    "traffic; use (remote ...)", r->op);
	}
}

/* Apple refuses profiles whose pattern/literal data exceeds 65535 bytes
 * (SBPL-SEMANTICS §g); warn when the literal data gets close. */
#define SIZE_LIMIT 65535
#define SIZE_WARN (SIZE_LIMIT / 10 * 9)
#define MISSING_SHOWN 12

void
lint_policy(struct interp *in)
{
	lint_deny_default(in);
	lint_local_outbound(in);
	/* lints from the decision model: src/sbpl/lint_decide.c */
	sbpl_lint_decide(in->policy, in->diags);
	if (in->string_bytes >= SIZE_WARN)
		interp_warn(in, DIAG_WARNING, in->first_form, "profile-size",
			    "the profile holds about %zu bytes of strings and "
			    "patterns; macOS refuses more than %d: split it or "
			    "shorten it", in->string_bytes, SIZE_LIMIT);
	if (in->nmissing) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < in->nmissing && i < MISSING_SHOWN; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", in->missing[i]);
		if (in->nmissing > MISSING_SHOWN)
			strbuf_addf(&sb, " and %zu more", in->nmissing - MISSING_SHOWN);
		interp_warn(in, DIAG_NOTE, in->missing_loc, "param-missing",
			    "the profile needs parameters it was not given "
			    "(%s: %s); supply them with -D KEY=VALUE", sb.buf,
			    in->opts->strict_params ? "#f here, as on macOS"
						    : "treated as unknown strings");
		strbuf_release(&sb);
	}
}
