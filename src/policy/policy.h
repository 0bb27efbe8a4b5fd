/*
 * The policy IR: what an SBPL profile evaluates to and what a container
 * definition compiles to. It mirrors libsandbox's rule base
 * (SBPL-SEMANTICS.md §0): an ordered list of rules, each with an action,
 * one operation, an optional filter tree, modifiers and the source location
 * of the allow/deny form that produced it.
 *
 * Ownership: a struct policy owns its rules, filters, values and strings
 * (all heap). Source locations point into src_files owned by a src_set that
 * must outlive the policy.
 *
 * Operations are stored by canonical name (aliases already resolved by the
 * evaluator); `struct vocab` (policy/vocab.h) gives each operation's
 * fallback chain and built-in action for one macOS release.
 */
#ifndef SBOX_POLICY_POLICY_H
#define SBOX_POLICY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct vocab;

enum policy_action {
	POLICY_DENY = 0,
	POLICY_ALLOW = 1,
};

/* A filter or modifier argument after evaluation. */
enum policy_value_kind {
	PV_STRING,   /* "..." (and raw #"..." when used as a plain string) */
	PV_REGEX,    /* #"..." in a regex position, or a string given to (regex) */
	PV_INT,      /* integers, #o octal, resolved named constants */
	PV_SYMBOL,   /* named arguments: DIRECTORY, tcp, self, ... */
	PV_BOOL,
	PV_UNKNOWN,  /* depends on a parameter that was not supplied */
};

struct policy_value {
	enum policy_value_kind kind;
	char *str;     /* PV_STRING, PV_REGEX, PV_SYMBOL, PV_UNKNOWN (param name) */
	int64_t num;   /* PV_INT, PV_BOOL */
};

enum policy_filter_kind {
	PF_MATCH,        /* named filter: name + args (literal, subpath, ...) */
	PF_REQUIRE_ALL,  /* AND of kids */
	PF_REQUIRE_ANY,  /* OR of kids; also a rule's several filters */
	PF_REQUIRE_NOT,  /* NOT of kids[0] */
};

struct policy_filter {
	enum policy_filter_kind kind;
	char *name;                    /* PF_MATCH: "subpath", "global-name", ... */
	struct policy_value *args;     /* PF_MATCH: one or more (OR) */
	size_t nargs;
	struct policy_filter **kids;   /* PF_REQUIRE_* */
	size_t nkids;
	struct src_loc loc;
};

struct policy_modifier {
	char *name;                    /* "with" payload: report, message, ... */
	struct policy_value *args;
	size_t nargs;
};

struct policy_rule {
	enum policy_action action;
	char *op;                      /* canonical operation name */
	struct policy_filter *filter;  /* NULL: unfiltered (the op's fallback) */
	struct policy_modifier *mods;
	size_t nmods;
	struct src_loc loc;            /* the (allow ...) / (deny ...) form */
};

struct policy {
	struct policy_rule *rules;     /* in evaluation order */
	size_t nrules, alloc;
	const struct vocab *vocab;     /* release the policy was built for */
};

void policy_init(struct policy *p, const struct vocab *vocab);
void policy_release(struct policy *p);

/* Append a rule; takes ownership of filter and of the mods array. */
struct policy_rule *policy_add_rule(struct policy *p, enum policy_action action,
				    const char *op, struct policy_filter *filter,
				    struct policy_modifier *mods, size_t nmods,
				    struct src_loc loc);

struct policy_filter *policy_filter_new(enum policy_filter_kind kind,
					const char *name, struct src_loc loc);
void policy_filter_add_arg(struct policy_filter *f, struct policy_value v);
void policy_filter_add_kid(struct policy_filter *f, struct policy_filter *kid);
struct policy_filter *policy_filter_clone(const struct policy_filter *f);
void policy_filter_free(struct policy_filter *f);

struct policy_value policy_value_str(enum policy_value_kind kind,
				     const char *s);
struct policy_value policy_value_int(int64_t n);
struct policy_value policy_value_clone(const struct policy_value *v);
void policy_value_release(struct policy_value *v);

void policy_modifier_release(struct policy_modifier *m);

#endif
