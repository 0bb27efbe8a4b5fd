/*
 * Output shared by the container commands (list, show, create, import):
 * the stable JSON shape documented in README.md ("containers") and the
 * aligned human forms.
 */
#ifndef SBOX_CLI_CONTAINER_OUT_H
#define SBOX_CLI_CONTAINER_OUT_H

#include <jansson.h>

#include "container/container.h"

/* JSON schema version of `list`/`show --format json`. */
#define CONTAINER_JSON_VERSION 1

json_t *container_out_json(const struct container_info *ci);
/* Print a JSON value (sorted as built, two-space indent) and a newline. */
void container_out_print_json(json_t *v);
/* Open the store, printing the error; returns 0 or an exit code. */
int container_out_open_store(struct container_store *st);
/* Open the store and list its containers, printing the error; returns 0
 * or an exit code (then st and l are released). */
int container_out_list_all(struct container_store *st,
			   struct container_list *l);

#endif
