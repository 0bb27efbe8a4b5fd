/*
 * Denial records (`--trace`): what the definition refused a program, one
 * record per distinct (operation, target), repeats counted. The store is
 * bounded: past DENIALS_MAX_DISTINCT distinct records further distinct
 * denials are only counted, so a program making 100,000 refused accesses
 * costs a fixed amount of memory and output. Platform-neutral: the Linux
 * supervisor (trace_linux.c) and the macOS log reader
 * (seatbelt_log.c) both fill it; denial_why.c says why.
 */
#ifndef SBOX_BACKEND_DENIALS_H
#define SBOX_BACKEND_DENIALS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

#define DENIALS_MAX_DISTINCT 4096

/* Operations in the definition's vocabulary; from DENY_SOCKET on, calls
 * the container's seccomp program refuses whatever the definition says
 * (Linux, denial_why_seccomp.c says why). */
enum denial_op {
	DENY_READ, DENY_WRITE, DENY_EXEC, DENY_CONNECT, DENY_BIND,
	DENY_SOCKET,      /* "socket": a family or protocol, e.g. AF_VSOCK */
	DENY_MOUNT,       /* "mount": the mount family, target its name */
	DENY_IOCTL,       /* "ioctl": target the request, e.g. TIOCSTI */
	DENY_SETUID,      /* "chmod-setuid": target the path */
	DENY_MEMFD_EXEC,  /* "exec-memfd": an executable anonymous file */
	DENY_SYSCALL,     /* "syscall": target its name or number */
	DENY_OP_COUNT,
};

/* A refusal of the seccomp program rather than of the definition. */
#define DENY_IS_SECCOMP(op) ((op) >= DENY_SOCKET && (op) < DENY_OP_COUNT)

struct denial {
	enum denial_op op;
	char *target;         /* absolute path, or host:port */
	char *program;        /* the first process's name */
	pid_t pid;            /* ... and id (as the launcher sees it) */
	double first;         /* seconds since the epoch */
	unsigned long count;
	const char *how;      /* static: "hidden", "read-only", ... */
	int err;              /* the errno the program got, when known */
};

struct denials {
	struct denial *v;
	size_t nr, alloc;
	size_t *slots;        /* open-addressing index into v, 0 = empty */
	size_t nslots;
	unsigned long total;  /* every refusal seen, counted or not */
	unsigned long dropped; /* distinct ones past the bound */
};

void denials_init(struct denials *d);
void denials_release(struct denials *d);

/* Count one refusal; strings are copied. Returns the record or NULL
 * when only counted (past the bound). */
struct denial *denials_add(struct denials *d, enum denial_op op,
			   const char *target, const char *program, pid_t pid,
			   double when, const char *how);
struct denial *denials_find(const struct denials *d, enum denial_op op,
			    const char *target);

const char *denial_op_name(enum denial_op op);
int denial_op_parse(const char *name, enum denial_op *op);

#endif
