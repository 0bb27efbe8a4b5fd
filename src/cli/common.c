#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static void
cli_vsay(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay("sbox: ", fmt, ap);
	va_end(ap);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay("sbox: warning: ", fmt, ap);
	va_end(ap);
}

void
cli_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay("sbox: note: ", fmt, ap);
	va_end(ap);
}

int
cli_report(const struct sbox_err *err)
{
	cli_error("%s", err->msg[0] ? err->msg : "unknown error");
	switch (err->code) {
	case SBOX_E_UNSUPPORTED:
		return EXIT_UNSUPPORTED;
	case SBOX_E_INTERNAL:
		return EXIT_LAUNCH_FAILED;
	default:
		return EXIT_USAGE;
	}
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("sbox: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "see 'sbox help %s'\n", cmd);
	else
		fputs("see 'sbox help'\n", stderr);
	return EXIT_USAGE;
}

void
cli_getopt_reset(void)
{
	optind = 1;
	opterr = 0;
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__)
	optreset = 1;
#endif
}
