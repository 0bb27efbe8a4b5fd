/*
 * Subcommands. Each lives in its own file src/cli/<name>.c and exports
 * `int cmd_<name>(int argc, char **argv)`: argv[0] is the subcommand name;
 * options are parsed with cli_parse() (opts.h) from option tables. Only this folder and main.c print or choose
 * exit codes.
 *
 * Adding a subcommand: write src/cli/<name>.c with cmd_<name> and a
 * usage string, declare it here, add it to the table in main.c, and add a
 * help entry (struct cmd's summary/usage).
 */
#ifndef SBOX_CLI_CLI_H
#define SBOX_CLI_CLI_H

#include <stdio.h>

#include "cli/opts.h"
#include "util/err.h"

/* Exit codes (DESIGN.md "Exit codes"; documented in README.md). */
enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,    /* check found errors, explain says deny */
	EXIT_USAGE = 2,       /* bad usage or invalid input */
	EXIT_UNSUPPORTED = 3, /* the environment cannot do it */
	EXIT_LAUNCH_FAILED = 125,
};

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;   /* synopsis and description; the options are
				listed from the command's option tables */
	const char *epilog;  /* printed after the options, or NULL */
};

extern const struct cmd sbox_commands[];
const struct cmd *cli_find_command(const char *name);
size_t cli_command_count(void);
/* "'x' is not an sbox command (did you mean 'y'?)"; returns EXIT_USAGE. */
int cli_unknown_command(const char *name);

/* "sbox: msg" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print err and return the exit code its class maps to. */
int cli_report(const struct sbox_err *err);
/* Message for a bad option plus "see 'sbox help CMD'"; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct container_store;
/*
 * Open the invoking user's store; inside an sbox container, refuse with
 * SBOX_E_UNSUPPORTED (exit 3): sbox does not nest (store_open.c).
 */
int cli_store_open(struct container_store *st, struct sbox_err *err);
/* Close st and open it again, which clears a half-made container (a
 * create or import stopped); an error is left to the next command. */
void cli_store_reopen(struct container_store *st);
/* 1 when this process runs inside an sbox container. */
int cli_inside_container(void);

/*
 * Root through sudo: read what the user named with the user's rights
 * (as_user.c); no-ops otherwise. cli_as_user returns 0, or an exit status
 * after printing why.
 */
int cli_as_user(void);
void cli_as_root(void);

/* Shared getopt reset, portable to BSD/macOS (optreset). */
void cli_getopt_reset(void);

int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_launch(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_learn(int argc, char **argv);

#endif
