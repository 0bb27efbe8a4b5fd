#ifndef SBOX_CLI_PROJECT_H
#define SBOX_CLI_PROJECT_H

/*
 * The project folder (${PROJECT}, the program's working directory): the
 * real path of given (--project DIR, taken as meant), else of the
 * current folder, which is refused (message printed, NULL) when it is
 * "/", a home folder or an ancestor of one. cmd prefixes messages.
 */
char *cli_project(const char *given, const char *cmd);

/* The invoking user's home folder that dir equals or holds, or NULL. */
const char *cli_project_home_of(const char *dir);

#endif
