#ifndef SBOX_CLI_PROJECT_H
#define SBOX_CLI_PROJECT_H

/*
 * The project folder (${PROJECT}, the program's working directory): the
 * real path of given (--project DIR, taken as meant), else of the
 * current folder, which is refused (message printed, NULL) when it is
 * "/", a home folder or an ancestor of one. cmd prefixes messages.
 */
char *cli_project(const char *given, const char *cmd);

struct cli_opt;
/* Option setter for -C DIR: the char * at offset o->value of ctx (heap,
 * replaced by a later -C) = cli_project(val); a refused DIR stops. */
int cli_set_project(void *ctx, const struct cli_opt *o, const char *val,
		    const char *cmd);

struct container_def;
/* The same, refusing only when def uses ${PROJECT} (def_uses_project). */
char *cli_project_for(const struct container_def *def, const char *given,
		      const char *cmd);

/* Why the real path cannot be a default project ("'/' (the current
 * folder), the whole disk"), or NULL when it can. Static text. */
const char *cli_project_problem(const char *real);

/* The invoking user's home folder that dir equals or holds, or NULL. */
const char *cli_project_home_of(const char *dir);

#endif
