#include "cli/cli_def.h"
#include "cli/cli.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

void
cli_write_diags(const struct diag_list *diags, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < diags->nr; i++) {
		strbuf_reset(&sb);
		diag_render_text(&diags->v[i], &sb);
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
