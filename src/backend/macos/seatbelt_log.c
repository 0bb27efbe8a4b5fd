/* Parsing macOS sandbox denial messages (seatbelt_log.h). */
#include "backend/macos/seatbelt_log.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

void
seatbelt_denial_release(struct seatbelt_denial *d)
{
	free(d->process);
	free(d->operation);
	free(d->target);
	free(d->tag);
	memset(d, 0, sizeof(*d));
}

/* "2024-01-05 10:11:12.123456-0800" -> seconds since the epoch, or 0. */
static double
parse_timestamp(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, off = 0;
	double sec;
	char sign = '+';
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%4d-%2d-%2d %2d:%2d:%lf%c%4d", &y, &mo, &d, &h, &mi,
			 &sec, &sign, &off) < 6 || sec < 0 || sec >= 61)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	off = (off / 100) * 3600 + (off % 100) * 60;
	return (double)t + sec - (sign == '-' ? -off : off);
}

/* "name(1234) deny(1) op target": the message's first line. */
static int
parse_message(const char *msg, size_t n, struct seatbelt_denial *out)
{
	static const char prefix[] = "Sandbox: ";
	const char *deny = NULL, *open, *close, *p, *end = msg + n, *op;
	const char *name = msg;

	for (p = msg; end - p >= 7; p++)
		if (!memcmp(p, ") deny(", 7)) {
			deny = p;
			break;
		}
	if (!deny)
		return 0;
	for (open = deny; open > msg && open[-1] != '('; open--)
		;
	if (open == msg)
		return 0;
	for (p = open; p < deny; p++)
		if (*p < '0' || *p > '9')
			return 0;
	if (p == open || deny - open > 9)
		return 0;
	/* the name (spaces and all) ends at the '(' and starts after
	 * "Sandbox: " when the kernel wrote it */
	for (p = msg; p + sizeof(prefix) - 1 < open; p++)
		if (!memcmp(p, prefix, sizeof(prefix) - 1)) {
			name = p + sizeof(prefix) - 1;
			break;
		}
	if (name >= open - 1)
		return 0;
	out->process = xstrndup(name, (size_t)(open - 1 - name));
	out->pid = (pid_t)strtol(open, NULL, 10);
	close = memchr(deny + 7, ')', (size_t)(end - deny - 7));
	if (!close || close + 1 >= end || close[1] != ' ')
		return 0;
	op = close + 2;
	p = op;
	while (p < end && *p != ' ')
		p++;
	if (p == op)
		return 0;
	out->operation = xstrndup(op, (size_t)(p - op));
	out->target = xstrndup(p < end ? p + 1 : p, p < end ? (size_t)(end - p - 1) : 0);
	return 1;
}

int
seatbelt_log_parse(const char *line, size_t len, struct seatbelt_denial *out)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *msg, *nl;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	msg = json_is_object(o) ? json_string_value(json_object_get(o, "eventMessage")) : NULL;
	if (msg) {
		size_t n = strlen(msg);

		nl = strchr(msg, '\n');
		ok = parse_message(msg, nl ? (size_t)(nl - msg) : n, out);
		if (ok && nl && nl[1])
			out->tag = xstrdup(nl + 1);
		if (ok)
			out->when = parse_timestamp(json_string_value(
				json_object_get(o, "timestamp")));
	}
	if (!ok)
		seatbelt_denial_release(out);
	json_decref(o);
	return ok;
}

int
seatbelt_op_to_denial(const char *op, enum denial_op *out)
{
	static const struct { const char *prefix; enum denial_op op; } map[] = {
		{ "file-read", DENY_READ }, { "file-write", DENY_WRITE },
		{ "file-link", DENY_WRITE }, { "process-exec", DENY_EXEC },
		{ "network-outbound", DENY_CONNECT }, { "network-bind", DENY_BIND },
		{ "network-inbound", DENY_BIND },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(op, map[i].prefix, strlen(map[i].prefix))) {
			*out = map[i].op;
			return 0;
		}
	return -1;
}

int
seatbelt_log_record(struct denials *d, const char *line, size_t len,
		    const char *tag)
{
	struct seatbelt_denial s;
	enum denial_op op;
	int ok;

	if (!seatbelt_log_parse(line, len, &s))
		return 0;
	/* the tag ends the message (anthropic-experimental/sandbox-runtime
	 * filters on ENDSWITH); other containers' lines are not ours */
	ok = s.tag && tag && !strcmp(s.tag, tag) && s.target[0] &&
	     seatbelt_op_to_denial(s.operation, &op) == 0;
	if (ok)
		denials_add(d, op, s.target, s.process, s.pid, s.when, "seatbelt");
	seatbelt_denial_release(&s);
	return ok;
}

char *
seatbelt_log_predicate(const char *tag)
{
	/* the kernel's Sandbox lines (MACOS.md §1.8), ours by their tag */
	return xasprintf("(eventMessage ENDSWITH \"%s\")", tag);
}
