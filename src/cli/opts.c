#include "cli/opts.h"
#include "cli/cli.h"
#include "util/suggest.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt builtin_opts[] = {
	{ "help", 'h', NULL, NULL, 0, "show this help" },
	CLI_OPT_END,
};

#define for_each_opt(g, o) \
	for (const struct cli_optgroup *g = groups; g && g->opts; g++) \
		for (const struct cli_opt *o = g->opts; o->name; o++)

static const struct cli_opt *
find_long(const struct cli_optgroup *groups, const char *name, size_t len,
	  void **ctx)
{
	for_each_opt(g, o) {
		if (strlen(o->name) == len && !strncmp(o->name, name, len)) {
			*ctx = g->ctx;
			return o;
		}
	}
	return NULL;
}

static const struct cli_opt *
find_short(const struct cli_optgroup *groups, char c, void **ctx)
{
	for_each_opt(g, o) {
		if (o->shrt == c) {
			*ctx = g->ctx;
			return o;
		}
	}
	return NULL;
}

/* The closest known "--name" to a mistyped long option, or NULL. */
static const char *
closest_long(const struct cli_optgroup *groups, const char *name, size_t len)
{
	const char **names = NULL;
	size_t n = 0, alloc = 0;
	const char *best;
	char *word = xstrndup(name, len);

	for_each_opt(g, o) {
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = o->name;
	}
	ALLOC_GROW(names, n + 1, alloc);
	names[n++] = "help";
	best = suggest_closest(word, names, n);
	free(names);
	free(word);
	return best;
}

static int
unknown_long(const char *cmd, const struct cli_optgroup *groups,
	     const char *word)
{
	size_t len = strcspn(word + 2, "=");
	const char *near = closest_long(groups, word + 2, len);

	if (near)
		return cli_usage_error(cmd, "unknown option '--%.*s' (did you "
				       "mean '--%s'?)", (int)len, word + 2, near);
	return cli_usage_error(cmd, "unknown option '--%.*s'", (int)len,
			       word + 2);
}

int
cli_opt_error(const char *cmd, const struct cli_opt *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage_error(cmd, "--%s: %s", o->name, msg);
}

static int
print_help(const char *cmd, const struct cli_optgroup *groups)
{
	const struct cmd *c = cli_find_command(cmd);

	if (c)
		printf("sbox %s: %s\n\n%s", c->name, c->summary, c->usage);
	fputs("\noptions:\n", stdout);
	cli_opts_help(groups, stdout);
	{
		const struct cli_optgroup b[] = { { builtin_opts, NULL },
						  { NULL, NULL } };
		cli_opts_help(b, stdout);
	}
	if (c && c->epilog)
		printf("\n%s", c->epilog);
	return EXIT_OK;
}

static int
apply(const char *cmd, const struct cli_opt *o, void *ctx, const char *val)
{
	return o->set ? o->set(ctx, o, val, cmd) : 0;
}

/* "--name", "--name=value", "--name value". *i is advanced past a value. */
static int
parse_long(const char *cmd, int argc, char **argv, int *i,
	   const struct cli_optgroup *groups)
{
	const char *word = argv[*i], *name = word + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	void *ctx = NULL;
	const struct cli_opt *o = find_long(groups, name, len, &ctx);

	if (!o && len == 4 && !strncmp(name, "help", 4))
		return print_help(cmd, groups);
	if (!o && len == 12 && !strncmp(name, "list-options", 12)) {
		/* hidden: what shell completion offers */
		cli_opts_names(groups, stdout);
		puts("--help");
		return EXIT_OK;
	}
	if (!o)
		return unknown_long(cmd, groups, word);
	if (!o->arg) {
		if (eq)
			return cli_usage_error(cmd, "option '--%s' takes no "
					       "value", o->name);
		return apply(cmd, o, ctx, NULL);
	}
	if (o->arg[0] == '=')  /* optional value: only as --name=VALUE */
		return apply(cmd, o, ctx, eq ? eq + 1 : NULL);
	if (eq)
		return apply(cmd, o, ctx, eq + 1);
	if (*i + 1 >= argc)
		return cli_usage_error(cmd, "option '--%s' needs a value (%s)",
				       o->name, o->arg);
	return apply(cmd, o, ctx, argv[++*i]);
}

/* "-x", "-xy" (bundled flags), "-xVALUE", "-x VALUE". */
static int
parse_short(const char *cmd, int argc, char **argv, int *i,
	    const struct cli_optgroup *groups)
{
	const char *word = argv[*i];

	for (size_t j = 1; word[j]; j++) {
		void *ctx = NULL;
		const struct cli_opt *o = find_short(groups, word[j], &ctx);
		int rc;

		if (!o && word[j] == 'h')
			return print_help(cmd, groups);
		if (!o)
			return cli_usage_error(cmd, "unknown option '-%c'",
					       word[j]);
		if (!o->arg) {
			rc = apply(cmd, o, ctx, NULL);
			if (rc != CLI_CONTINUE)
				return rc;
			continue;
		}
		if (word[j + 1])
			return apply(cmd, o, ctx, word + j + 1);
		if (*i + 1 >= argc)
			return cli_usage_error(cmd, "option '-%c' needs a value "
					       "(%s)", o->shrt, o->arg);
		return apply(cmd, o, ctx, argv[++*i]);
	}
	return CLI_CONTINUE;
}

int
cli_parse(const char *cmd, int argc, char **argv,
	  const struct cli_optgroup *groups, struct cli_args *a)
{
	memset(a, 0, sizeof(*a));
	a->pos = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof(*a->pos));
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		int rc;

		if (!strcmp(w, "--")) {
			a->rest = argv + i + 1;
			a->dashdash = 1;
			break;
		}
		if (w[0] != '-' || !w[1]) {
			a->pos[a->npos++] = argv[i];
			continue;
		}
		rc = w[1] == '-' ? parse_long(cmd, argc, argv, &i, groups)
				 : parse_short(cmd, argc, argv, &i, groups);
		if (rc != CLI_CONTINUE)
			return rc; /* help printed (0) or a mistake (2) */
	}
	return CLI_CONTINUE;
}

void
cli_args_release(struct cli_args *a)
{
	free(a->pos);
	a->pos = NULL;
	a->npos = 0;
}

int
cli_parse_before_program(const char *cmd, int argc, char **argv,
			 const struct cli_optgroup *groups, struct cli_args *a)
{
	int rc = cli_parse(cmd, argc, argv, groups, a);

	if (rc == CLI_CONTINUE && a->npos > 1)
		rc = cli_usage_error(cmd, "unexpected '%s': put '--' before "
				     "the program and its arguments",
				     a->pos[1]);
	return rc;
}

int
cli_parse_options_only(const char *cmd, int argc, char **argv,
		       const struct cli_optgroup *groups)
{
	struct cli_args a;
	int rc = cli_parse(cmd, argc, argv, groups, &a);

	if (rc == CLI_CONTINUE && (a.npos || a.dashdash))
		rc = cli_usage_error(cmd, "unexpected argument '%s'",
				     a.npos ? a.pos[0] : "--");
	cli_args_release(&a);
	return rc;
}

/* text from column col on, wrapped at 79 columns, continuing at col */
static void
print_wrapped(const char *text, size_t col, FILE *out)
{
	size_t at = col;

	while (*text) {
		size_t n = strcspn(text, " ");

		if (at > col && at + 1 + n > 79) {
			fprintf(out, "\n%*s", (int)col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', out);
			at++;
		}
		fwrite(text, 1, n, out);
		at += n;
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

void
cli_opts_help(const struct cli_optgroup *groups, FILE *out)
{
	enum { COL = 26 };

	for_each_opt(g, o) {
		char left[80];

		if (!o->help)
			continue;
		if (o->arg && o->arg[0] == '=')
			snprintf(left, sizeof(left), "%c%c%c --%s[%s]",
				 o->shrt ? '-' : ' ', o->shrt ? o->shrt : ' ',
				 o->shrt ? ',' : ' ', o->name, o->arg);
		else
			snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
				 o->shrt ? '-' : ' ', o->shrt ? o->shrt : ' ',
				 o->shrt ? ',' : ' ', o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		if (strlen(left) + 2 >= COL)
			fprintf(out, "  %s\n%*s", left, COL, "");
		else
			fprintf(out, "  %-*s", COL - 2, left);
		print_wrapped(o->help, COL, out);
	}
}

void
cli_opts_names(const struct cli_optgroup *groups, FILE *out)
{
	for_each_opt(g, o) {
		if (!o->help)
			continue;
		fprintf(out, "--%s\n", o->name);
		if (o->shrt)
			fprintf(out, "-%c\n", o->shrt);
	}
}

int
cli_set_flag(void *ctx, const struct cli_opt *o, const char *val,
	     const char *cmd)
{
	(void)val;
	(void)cmd;
	*(unsigned *)ctx |= (unsigned)o->value;
	return CLI_CONTINUE;
}

int
cli_set_string(void *ctx, const struct cli_opt *o, const char *val,
	       const char *cmd)
{
	(void)cmd;
	*(const char **)(void *)((char *)ctx + o->value) = val;
	return CLI_CONTINUE;
}

double
cli_parse_duration(const char *s)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "", 1 }, { "s", 1 }, { "ms", 0.001 }, { "m", 60 },
		{ "min", 60 }, { "h", 3600 },
	};
	char *end;
	double v;

	/* strtod takes "inf", "nan", hex and leading blanks: refuse them */
	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	for (const char *p = s; *p && !strchr("smhin", *p); p++)
		if (!strchr("0123456789.", *p))
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v <= 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix))
			return v * units[i].scale;
	return -1;
}

int
cli_parse_format(const char *s)
{
	if (!strcmp(s, "text"))
		return 0;
	if (!strcmp(s, "json"))
		return 1;
	return -1;
}
