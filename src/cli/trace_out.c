/* `--trace` output (trace_out.h). */
#include "cli/trace_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/denial_why.h"
#include "cli/cli.h"
#include "cli/cli_def.h"

static int
write_file(const char *path, const struct strbuf *sb)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, sb->buf, sb->len) == (ssize_t)sb->len;
	if (close(fd) < 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* "[\n  {...},\n  {...}\n]" from the JSON lines. */
static void
lines_to_array(const struct strbuf *lines, struct strbuf *out)
{
	const char *p = lines->buf;
	int first = 1;

	strbuf_addstr(out, "[");
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		strbuf_addstr(out, first ? "\n    " : ",\n    ");
		strbuf_add(out, p, n);
		first = 0;
		p = nl ? nl + 1 : NULL;
	}
	strbuf_addstr(out, first ? "]" : "\n  ]");
}

int
trace_out(const char *defpath, const struct container_def *model,
	  const struct def_vars *vars, const struct denials *d,
	  const char *file, int summary, struct strbuf *json_array)
{
	struct denial_why why;
	struct container_def def;
	struct src_set srcs;
	struct sbox_err err = SBOX_ERR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int ret = 0, loaded;
	char *abs = defpath && !model ? realpath(defpath, NULL) : NULL;

	memset(&why, 0, sizeof(why));
	src_set_init(&srcs);
	loaded = !model && defpath &&
		 cli_def_load(defpath, vars, &srcs, &def) == 0;
	if (!(loaded || model) ||
	    denial_why_init(&why, model ? model : &def, &err) < 0)
		why.ready = 0;
	why.defpath = abs ? abs : defpath;
	denials_write_json(d, &why, &sb);
	if (file && write_file(file, &sb) < 0) {
		cli_warn("cannot write the trace '%s': %s", file,
			 strerror(errno));
		ret = -1;
	}
	if (json_array)
		lines_to_array(&sb, json_array);
	strbuf_reset(&sb);
	if (summary)
		denials_summary(d, &why, &sb);
	if (sb.len)
		fprintf(stderr, "sbox: %s", sb.buf);
	strbuf_release(&sb);
	if (why.ready || loaded || model)
		denial_why_release(&why);
	if (loaded)
		def_release(&def);
	src_set_release(&srcs);
	free(abs);
	return ret;
}
