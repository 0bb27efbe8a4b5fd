/*
 * macOS sandbox denial messages, as `log stream --style ndjson` prints
 * them (seatbelt_log.c): one JSON object per line whose "eventMessage" is
 * the kernel's
 *
 *   Sandbox: cat(7866) deny(1) file-read-data /private/tmp/x/.ssh/id_rsa
 *
 * followed, for a rule written (with message "TAG"), by the tag. Public
 * shapes: MACOS.md §1.8 cites `Sandbox: touch(41575) deny(1)
 * file-read-metadata /usr/lib/dyld`; openai/codex
 * codex-rs/sandboxing/src/seatbelt_denials parses the same ndjson field;
 * anthropic-experimental/sandbox-runtime filters on
 * `eventMessage ENDSWITH "<tag>"`. Platform-neutral: parsed and mapped in
 * the Linux tests from recorded lines.
 */
#ifndef SBOX_BACKEND_SEATBELT_LOG_H
#define SBOX_BACKEND_SEATBELT_LOG_H

#include <stddef.h>
#include <sys/types.h>

#include "backend/denials.h"

struct seatbelt_denial {
	char *process;     /* "cat" */
	pid_t pid;
	char *operation;   /* SBPL: "file-read-data" */
	char *target;      /* "/private/tmp/x", "1.2.3.4:443", or "" */
	char *tag;         /* the (with message) text, or NULL */
	double when;       /* seconds since the epoch, 0 when absent */
};

/* 1 parsed, 0 not a denial line (the "Filtering ..." header, other
 * messages), never crashes on any input. */
int seatbelt_log_parse(const char *line, size_t len, struct seatbelt_denial *out);
void seatbelt_denial_release(struct seatbelt_denial *d);

/* The SBPL operation in the definition's vocabulary; -1 for operations
 * it has no word for (mach-lookup, sysctl-read, ...). */
int seatbelt_op_to_denial(const char *sbpl_op, enum denial_op *op);

/* Count line's denial in d when it carries tag "sbox:NAME"; 1 if it did. */
int seatbelt_log_record(struct denials *d, const char *line, size_t len,
			const char *tag);

/* The `log stream` predicate for a container's tag (heap). */
char *seatbelt_log_predicate(const char *tag);

#endif
