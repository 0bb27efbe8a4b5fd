/*
 * `--trace` on macOS (trace_darwin.c): while the program runs, the system
 * log's sandbox denial messages for this container's tag are collected
 * by `log stream --style ndjson` and counted into the launch's denials
 * (seatbelt_log.h). The kernel decides; this only reads its log.
 */
#ifndef SBOX_BACKEND_TRACE_DARWIN_H
#define SBOX_BACKEND_TRACE_DARWIN_H

#include "backend/backend.h"

struct seatbelt_trace;

/* NULL when req asks for no trace, or `log` cannot run (warned). */
struct seatbelt_trace *seatbelt_trace_start(const struct launch_request *req);
/* After the program: read what the log said, stop it, release. */
void seatbelt_trace_finish(struct seatbelt_trace *t);

#endif
