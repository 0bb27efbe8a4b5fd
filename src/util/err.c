#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
err_set(struct sbox_err *err, enum sbox_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	err->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* The message, then ": strerror(saved)"; errno is left as the caller had it. */
static int
err_vset_errno(struct sbox_err *err, enum sbox_errcode code, int saved,
	       const char *fmt, va_list ap)
{
	size_t n;

	if (!err)
		return -1;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(saved));
	err->code = code;
	err->sys_errno = saved;
	errno = saved;
	return -1;
}

int
err_sys(struct sbox_err *err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	err_vset_errno(err, SBOX_E_IO, saved, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_errno_is_env(int e)
{
	return e == EACCES || e == EPERM || e == EROFS || e == ENOSPC ||
	       e == EDQUOT;
}

int
err_env(struct sbox_err *err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	err_vset_errno(err, err_errno_is_env(saved) ? SBOX_E_UNSUPPORTED
						    : SBOX_E_IO,
		       saved, fmt, ap);
	va_end(ap);
	return -1;
}

void
err_wrap(struct sbox_err *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	size_t n;

	memcpy(old, err->msg, sizeof(old));
	/* Truncation is acceptable here: the message stays NUL-terminated. */
	n = strlen(prefix);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	{
		size_t rest = strlen(old);

		if (rest > sizeof(err->msg) - 1 - n)
			rest = sizeof(err->msg) - 1 - n;
		memcpy(err->msg + n, old, rest);
		err->msg[n + rest] = '\0';
	}
}

void
err_clear(struct sbox_err *err)
{
	err->code = SBOX_E_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}
