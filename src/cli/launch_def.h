/*
 * The one way a definition reaches a container and a launch, whether it
 * came from a file or was built in memory (from command-line flags): its
 * container is created, or checked and brought up to date, so that what
 * runs is the definition as it is now (container_use_def).
 */
#ifndef SBOX_CLI_LAUNCH_DEF_H
#define SBOX_CLI_LAUNCH_DEF_H

#include "cli/launch_util.h"

/*
 * Launch def (loaded and validated, variables unexpanded) in its
 * container. def->source is its file, or a label such as "(command
 * line)" for one built in memory: a container keeps the source it was
 * made from and refuses another with the same name. opts->name,
 * opts->recreate and opts->project apply. Returns the exit status.
 */
int cli_launch_def(struct container_def *def, struct launch_opts *opts);

/*
 * Set opts->project (and project_buf, to free) for def: --project as
 * given, else the current folder, refused (message, EXIT_USAGE) when it
 * is /, a home folder or holds one and def uses ${PROJECT}.
 */
int cli_pick_project(const struct container_def *def, struct launch_opts *opts,
		     const char *cmd);

/*
 * The container named name, its stored definition verified against its
 * digest and loaded into def. Returns 0 or the exit status to end with.
 */
int cli_load_container(struct container_store *st, const char *name,
		       struct container_info *ci, struct container_def *def);

#endif
