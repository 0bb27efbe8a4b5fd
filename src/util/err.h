/*
 * Errors as values. Library code (everything outside src/cli and main.c)
 * never prints or exits: a fallible function takes a final
 * `struct sbox_err *err`, returns -1 (or NULL) and fills err. The CLI
 * prints err->msg and maps err->code to an exit status (see exit codes in
 * README.md).
 *
 *	return err_sys(err, "cannot open '%s'", path);   (appends strerror)
 *	return err_set(err, SBOX_E_INVALID, "bad key '%s'", key);
 *	err_wrap(err, "loading '%s'", file);              (prefix context)
 */
#ifndef SBOX_UTIL_ERR_H
#define SBOX_UTIL_ERR_H

enum sbox_errcode {
	SBOX_E_OK = 0,
	SBOX_E_INVALID,   /* malformed input: exit 2 */
	SBOX_E_IO,        /* cannot read or write something: exit 2 */
	SBOX_E_EXISTS,    /* already exists */
	SBOX_E_NOTFOUND,  /* no such container, file, ... */
	SBOX_E_UNSUPPORTED, /* the environment cannot do it: exit 3 */
	SBOX_E_INTERNAL,  /* sbox itself failed: exit 125 at launch */
	SBOX_E_ID_TAKEN,  /* another container has that identifier: exit 2 */
};

struct sbox_err {
	enum sbox_errcode code;
	int sys_errno;     /* errno captured by err_sys, else 0 */
	char msg[1024];
};

#define SBOX_ERR_INIT { SBOX_E_OK, 0, { 0 } }

int err_set(struct sbox_err *err, enum sbox_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like err_set with SBOX_E_IO, appending ": strerror(errno)". */
int err_sys(struct sbox_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * 1 when errno e says the environment refuses a write sbox needs (no
 * permission, a read-only or full file system, a quota): exit 3, not 2.
 */
int err_errno_is_env(int e);
/* Like err_sys, with SBOX_E_UNSUPPORTED when errno is err_errno_is_env's. */
int err_env(struct sbox_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix the existing message with context: "context: old message". */
void err_wrap(struct sbox_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_clear(struct sbox_err *err);

#endif
