/*
 * `sbox learn`: from the denial records of a learning run, the smallest
 * sensible grants to add to the definition it started from (learn.c):
 * a folder where three or more refused paths share it, single files
 * otherwise (and the folder of a file made during the run: Landlock's
 * rules hold inodes, so a grant of the file would miss the next build's); exec only of what was executed; network only the ports used.
 * Never what the definition denies, never /, a home folder or the store:
 * those are listed as refused, with the reason.
 */
#ifndef SBOX_BACKEND_LEARN_H
#define SBOX_BACKEND_LEARN_H

#include <jansson.h>

#include "backend/denial_why.h"
#include "backend/denials.h"
#include "def/def.h"
#include "util/strbuf.h"

struct learn_ctx {
	const char *extends;     /* what the proposal extends: a path or preset */
	const char *name;        /* the proposal's container name */
	const struct container_def *start; /* resolved: its network and ports */
	const char *home;        /* the user's home: never granted whole */
	const char *store;       /* the container store: never granted */
	const char *seal;        /* the seal key's folder: never granted */
	double started;          /* the learning run's start (epoch seconds) */
};

/*
 * The proposed definition as a JSON object (caller decrefs); what was
 * added and what was refused, one line each, appended to report.
 */
json_t *learn_propose(const struct denials *d, const struct denial_why *why,
		      const struct learn_ctx *ctx, struct strbuf *report);

#endif
