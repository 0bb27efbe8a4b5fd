#include "cli/cli_def.h"
#include "cli/cli.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * GCC's colours (its default GCC_COLORS): the location bold, "error:"
 * bold red, "warning:" bold magenta, "note:" bold cyan, the caret line
 * bold green. Only on a terminal, and never with NO_COLOR set
 * (https://no-color.org) or TERM=dumb.
 */
int
cli_use_colour(FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(out));
}

static void
write_coloured(const char *text, FILE *out)
{
	static const struct { const char *word, *colour; } levels[] = {
		{ ": error: ", "\033[01;31m" },
		{ ": warning: ", "\033[01;35m" },
		{ ": note: ", "\033[01;36m" },
	};

	while (*text) {
		size_t len = strcspn(text, "\n");
		const char *at = NULL, *colour = NULL;
		size_t wl = 0;

		for (size_t i = 0; i < 3 && !at; i++) {
			const char *p = strstr(text, levels[i].word);

			if (p && p < text + len) {
				at = p;
				colour = levels[i].colour;
				wl = strlen(levels[i].word);
			}
		}
		if (at) {
			/* "file:line:col" bold, ": ", "level:" coloured, rest */
			fprintf(out, "\033[01m%.*s:\033[m %s%.*s\033[m%.*s",
				(int)(at - text), text, colour,
				(int)(wl - 3), at + 2,
				(int)(len - (size_t)(at - text) - wl + 1),
				at + wl - 1);
		} else if (text[strspn(text, " ")] == '^') {
			fprintf(out, "\033[01;32m%.*s\033[m", (int)len, text);
		} else {
			fwrite(text, 1, len, out);
		}
		text += len;
		if (*text == '\n') {
			fputc('\n', out);
			text++;
		}
	}
}

void
cli_write_diags(const struct diag_list *diags, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	int colour = cli_use_colour(out);

	for (size_t i = 0; i < diags->nr; i++) {
		strbuf_reset(&sb);
		diag_render_text(&diags->v[i], &sb);
		if (colour)
			write_coloured(sb.buf, out);
		else
			fputs(sb.buf, out);
	}
	strbuf_release(&sb);
}

void
cli_print_diags(struct diag_list *diags)
{
	diag_list_sort(diags);
	cli_write_diags(diags, stderr);
}

int
cli_def_var(const char *kv, struct def_vars *vars)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "HOME", offsetof(struct def_vars, home) },
		{ "CONTAINER", offsetof(struct def_vars, container) },
		{ "PROJECT", offsetof(struct def_vars, project) },
		{ "TMPDIR", offsetof(struct def_vars, tmpdir) },
	};
	const char *eq = strchr(kv, '=');

	if (!eq)
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strlen(keys[i].key) == (size_t)(eq - kv) &&
		    !strncmp(kv, keys[i].key, (size_t)(eq - kv))) {
			*(const char **)((char *)vars + keys[i].off) = eq + 1;
			return 0;
		}
	}
	return -1;
}

int
cli_def_load(const char *path, const struct def_vars *vars,
	     struct src_set *srcs, struct container_def *out)
{
	struct diag_list diags;
	struct sbox_err err = SBOX_ERR_INIT;
	int rc;

	diag_list_init(&diags);
	rc = cli_as_user();
	if (rc) {
		diag_list_release(&diags);
		return rc;
	}
	rc = def_load(path, srcs, &diags, out);
	cli_as_root();
	cli_print_diags(&diags);
	if (rc < 0 && !diags.nerrors)
		cli_error("%s: invalid definition", path);
	diag_list_release(&diags);
	if (rc < 0)
		return EXIT_USAGE;
	if (def_resolve_partial(out, vars, &err) < 0) {
		def_release(out);
		return cli_report(&err);
	}
	return 0;
}

int
cli_is_definition(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".json") || !strcmp(dot, ".plist"));
}
