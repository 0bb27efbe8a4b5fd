#include "policy/decide.h"
#include "policy/vocab.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

enum { NO = 0, YES = 1, UNKNOWN = -1 };

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int
regex_match(const char *re, const char *s)
{
	regex_t rx;
	int rc;

	/* POSIX ERE approximates AppleMatch (issue 3); a pattern it cannot
	 * compile is "cannot tell", never a match */
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return UNKNOWN;
	rc = regexec(&rx, s, 0, NULL, 0) == 0 ? YES : NO;
	regfree(&rx);
	return rc;
}

/* subpath: the path itself and everything below it. */
static int
subpath_match(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (n > 1 && base[n - 1] == '/')
		n--;
	if (n == 1 && base[0] == '/')
		return path[0] == '/';
	return !strncmp(base, path, n) && (path[n] == '/' || !path[n]);
}

static int
is_path_filter(const char *name)
{
	return !strcmp(name, "literal") || !strcmp(name, "path") ||
	       !strcmp(name, "subpath") || !strcmp(name, "prefix") ||
	       !strcmp(name, "path-prefix") || !strcmp(name, "regex") ||
	       !strcmp(name, "path-regex");
}

static int
path_arg_match(const char *name, const struct policy_value *v,
	       const char *path)
{
	if (path[0] != '/')
		return NO;
	if (v->kind == PV_REGEX || !strcmp(name, "regex") ||
	    !strcmp(name, "path-regex"))
		return regex_match(v->str, path);
	if (!strcmp(name, "subpath"))
		return subpath_match(v->str, path);
	if (!strcmp(name, "prefix") || !strcmp(name, "path-prefix"))
		return !strncmp(path, v->str, strlen(v->str));
	return !strcmp(path, v->str);
}

static int
is_localhost(const char *host, size_t n)
{
	return (n == 9 && !strncmp(host, "localhost", 9)) ||
	       (n == 9 && !strncmp(host, "127.0.0.1", 9)) ||
	       (n == 3 && !strncmp(host, "::1", 3));
}

/* (local|remote PROTO ["host:port"]) against a request "host:port". */
static int
network_match(const struct policy_filter *f, const char *arg)
{
	const char *want = NULL, *colon, *acolon;

	if (arg[0] == '/')
		return NO; /* unix sockets are matched by path (§c) */
	for (size_t i = 0; i < f->nargs; i++)
		if (f->args[i].kind == PV_STRING)
			want = f->args[i].str;
		else if (f->args[i].kind == PV_UNKNOWN)
			return UNKNOWN;
	if (!want)
		return YES;
	colon = strrchr(want, ':');
	acolon = strrchr(arg, ':');
	if (!colon || !acolon)
		return UNKNOWN;
	if (strcmp(colon + 1, "*") && strcmp(colon + 1, acolon + 1))
		return NO;
	if (!strncmp(want, "*", (size_t)(colon - want)) && colon - want == 1)
		return YES;
	if (is_localhost(want, (size_t)(colon - want)))
		return is_localhost(arg, (size_t)(acolon - arg)) ? YES : NO;
	return UNKNOWN;
}

/* Names matched as strings: mach services, sysctls, POSIX IPC, ... */
static int
name_arg_match(const char *name, const struct policy_value *v, const char *arg)
{
	if (v->kind == PV_REGEX || ends_with(name, "-regex"))
		return regex_match(v->str, arg);
	if (ends_with(name, "-prefix"))
		return !strncmp(arg, v->str, strlen(v->str));
	return !strcmp(arg, v->str);
}

static const char *const name_filters[] = {
	"global-name", "local-name", "xpc-service-name", "sysctl-name",
	"ipc-posix-name", "preference-domain", "iokit-registry-entry-class",
	"iokit-user-client-class", "iokit-connection", "iokit-property",
	"notification-name", "appleevent-destination", "signing-identifier",
	"control-name", "xattr", "extension", "extension-class", "mac-policy-name",
	"kext-bundle-id", "right-name", "process-path",
	NULL,
};

static int
is_name_filter(const char *name)
{
	for (size_t i = 0; name_filters[i]; i++) {
		size_t n = strlen(name_filters[i]);

		if (!strncmp(name, name_filters[i], n) &&
		    (!name[n] || !strcmp(name + n, "-prefix") ||
		     !strcmp(name + n, "-regex")))
			return 1;
	}
	return 0;
}

static int
match_leaf(const struct policy_filter *f, const char *arg)
{
	int path = is_path_filter(f->name), named = is_name_filter(f->name);
	int result = NO;

	if (!strcmp(f->name, "local") || !strcmp(f->name, "remote"))
		return arg ? network_match(f, arg) : UNKNOWN;
	if ((!path && !named) || !arg)
		return UNKNOWN;
	for (size_t i = 0; i < f->nargs; i++) {
		const struct policy_value *v = &f->args[i];
		int m;

		if (v->kind != PV_STRING && v->kind != PV_REGEX) {
			result = UNKNOWN;
			continue;
		}
		m = path ? path_arg_match(f->name, v, arg)
			 : name_arg_match(f->name, v, arg);
		if (m == YES)
			return YES; /* several arguments are OR (§a.2) */
		if (m == UNKNOWN)
			result = UNKNOWN;
	}
	return result;
}

/*
 * require-all / require-any over the kids: a kid that gives `decisive`
 * (NO for all, YES for any) settles it; otherwise any UNKNOWN kid makes
 * the whole UNKNOWN, and with none the answer is the other one.
 */
static int
match_kids(const struct policy_filter *f, const char *arg, int decisive)
{
	int result = decisive == YES ? NO : YES;

	for (size_t i = 0; i < f->nkids; i++) {
		int m = policy_filter_match(f->kids[i], arg);

		if (m == decisive)
			return decisive;
		if (m == UNKNOWN)
			result = UNKNOWN;
	}
	return result;
}

int
policy_filter_match(const struct policy_filter *f, const char *arg)
{
	int m;

	switch (f->kind) {
	case PF_MATCH:
		return match_leaf(f, arg);
	case PF_REQUIRE_NOT:
		if (!f->nkids)
			return UNKNOWN;
		m = policy_filter_match(f->kids[0], arg);
		return m == UNKNOWN ? UNKNOWN : !m;
	case PF_REQUIRE_ALL:
		return match_kids(f, arg, NO);
	case PF_REQUIRE_ANY:
		return match_kids(f, arg, YES);
	}
	return UNKNOWN;
}

/* One operation's own list: last matching filtered rule, else the last
 * unfiltered rule (§a.1). 1 when decided. */
static int
decide_in_op(const struct policy *p, const char *op, const char *arg,
	     struct decision *out)
{
	const struct policy_rule *fallback = NULL;

	for (size_t i = p->nrules; i-- > 0;) {
		const struct policy_rule *r = &p->rules[i];
		int m;

		if (strcmp(r->op, op))
			continue;
		if (!r->filter) {
			if (!fallback)
				fallback = r;
			continue;
		}
		m = policy_filter_match(r->filter, arg);
		if (m == UNKNOWN && !out->uncertain)
			out->uncertain = r;
		if (m == YES) {
			out->action = r->action;
			out->how = DECIDE_FILTERED;
			out->rule = r;
			return 1;
		}
	}
	if (!fallback)
		return 0;
	out->action = fallback->action;
	out->how = DECIDE_UNFILTERED;
	out->rule = fallback;
	return 1;
}

int
policy_decide(const struct policy *p, const char *op, const char *arg,
	      struct decision *out, struct sbox_err *err)
{
	const struct vocab_op *vop = vocab_op_find(p->vocab, op);

	memset(out, 0, sizeof(*out));
	if (!vop) {
		const char *near = vocab_op_suggest(p->vocab, op);

		if (near)
			return err_set(err, SBOX_E_INVALID, "unknown operation "
				       "'%s' (did you mean '%s'?)", op, near);
		return err_set(err, SBOX_E_INVALID, "unknown operation '%s'", op);
	}
	while (vop && out->nchain < DECIDE_MAX_CHAIN) {
		out->chain[out->nchain++] = vop->name;
		out->op = vop->name;
		if (decide_in_op(p, vop->name, arg, out))
			return 0;
		if (vop->builtin != VOCAB_BUILTIN_NONE) {
			out->action = vop->builtin == VOCAB_BUILTIN_ALLOW ? POLICY_ALLOW
									  : POLICY_DENY;
			out->how = DECIDE_BUILTIN;
			return 0;
		}
		if (!vop->fallback || !strcmp(vop->fallback, vop->name))
			break;
		vop = vocab_op_find(p->vocab, vop->fallback);
	}
	out->action = POLICY_DENY;
	out->how = DECIDE_ROOT;
	return 0;
}
