/*
 * One command-line parser for every subcommand, so that they all behave
 * alike: options before or after the positional arguments (as git and
 * docker accept them), "--" ends the options, a lone "-" is a positional
 * (standard input or output), --name=VALUE and --name VALUE, -x VALUE and
 * -xVALUE, -h/--help everywhere, and one wording for every mistake with a
 * "did you mean" for mistyped options.
 *
 * A command lists its options in tables of struct cli_opt, grouped with
 * the context their setters write to (struct cli_optgroup); tables shared
 * by several commands (launch_util.h: what launch and run share; grants.h:
 * --read, --write ... for launch, run and compile) are just more groups.
 * Adding an option is one line in a table (plus its setter when none of
 * the generic ones fits); `sbox help CMD` lists it from the same table.
 */
#ifndef SBOX_CLI_OPTS_H
#define SBOX_CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

struct cli_opt;

/* Returns CLI_CONTINUE, or an exit status (cli_opt_error) to stop with. */
typedef int (*cli_opt_set)(void *ctx, const struct cli_opt *o,
			   const char *val, const char *cmd);

struct cli_opt {
	const char *name;     /* long name, without "--" */
	char shrt;            /* short letter, or 0 */
	const char *arg;      /* the value's name ("SECS"); NULL: no value;
				 "=FILE": an optional value, --name=FILE only */
	cli_opt_set set;
	unsigned long value;  /* for the generic setters below */
	const char *help;     /* one line for `sbox help CMD`; NULL: hidden */
};

#define CLI_OPT_END { NULL, 0, NULL, NULL, 0, NULL }

struct cli_optgroup {
	const struct cli_opt *opts; /* CLI_OPT_END-terminated; NULL ends the list */
	void *ctx;
};

/* What is left once the options are taken out. */
struct cli_args {
	char **pos;           /* positional arguments before "--" */
	size_t npos;
	char **rest;          /* the words after "--" (NULL-terminated), or NULL */
	int dashdash;         /* "--" was given */
};

/* cli_parse's "go on" (anything else is the exit status to return). */
#define CLI_CONTINUE (-1)

/*
 * Parse argv[1..] (argv[0] is the subcommand) against the groups. -h and
 * --help print `sbox help cmd` and return EXIT_OK. Positionals are
 * collected in order into a (a->pos points into a heap array: free it
 * with cli_args_release).
 */
int cli_parse(const char *cmd, int argc, char **argv,
	      const struct cli_optgroup *groups, struct cli_args *a);
void cli_args_release(struct cli_args *a);
/*
 * cli_parse for `sbox CMD [OPTIONS] [DEFINITION] [-- PROGRAM ARGS...]`: a
 * second positional is a program given without "--", a usage error.
 */
int cli_parse_before_program(const char *cmd, int argc, char **argv,
			     const struct cli_optgroup *groups,
			     struct cli_args *a);
/*
 * cli_parse for a command that takes options only: a positional or "--"
 * is a usage error. Returns CLI_CONTINUE or the exit status to return.
 */
int cli_parse_options_only(const char *cmd, int argc, char **argv,
			   const struct cli_optgroup *groups);

/* "sbox CMD: --name: MESSAGE" + the usage hint; returns EXIT_USAGE. */
int cli_opt_error(const char *cmd, const struct cli_opt *o, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

/* Write the option list of groups as `sbox help` shows it. */
void cli_opts_help(const struct cli_optgroup *groups, FILE *out);
/* One option name a line ("--timeout", "-h"): for shell completion. */
void cli_opts_names(const struct cli_optgroup *groups, FILE *out);

/* Generic setters. */
/* *(unsigned *)ctx |= o->value: ctx is the flags word (or a struct that
 * starts with it, as struct launch_opts does) */
int cli_set_flag(void *ctx, const struct cli_opt *o, const char *val,
		 const char *cmd);
/* the const char * at offset o->value of ctx = val */
int cli_set_string(void *ctx, const struct cli_opt *o, const char *val,
		   const char *cmd);

/*
 * A duration as people write it: "30", "1.5", "2s", "5m", "1h", "500ms".
 * Returns seconds (> 0), or -1 for anything else (negative, zero, junk).
 */
double cli_parse_duration(const char *s);

/* "--format text|json": 0 text, 1 json, -1 anything else. */
int cli_parse_format(const char *s);

#endif
