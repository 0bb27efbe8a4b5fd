/*
 * darwin_host's definition from a real file (HOST_DEF) through def_load;
 * def_resolve and sbpl_emit_def are the real ones from libsbox.a.
 */
#include <stdio.h>
#include <stdlib.h>

#include "def/def.h"
#include "util/diag.h"
#include "util/strbuf.h"

int host_def_load(struct container_def *def);
void host_def_release(struct container_def *def);

/* Sources stay alive as long as the definition may point into them. */
static struct src_set srcs;

int
host_def_load(struct container_def *def)
{
	struct diag_list diags;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (!getenv("HOST_DEF")) {
		fprintf(stderr, "darwin_host: HOST_DEF is not set\n");
		return -1;
	}
	src_set_init(&srcs);
	diag_list_init(&diags);
	rc = def_load(getenv("HOST_DEF"), &srcs, &diags, def);
	for (size_t i = 0; i < diags.nr; i++) {
		strbuf_reset(&sb);
		diag_render_text(&diags.v[i], &sb);
		fputs(sb.buf, stderr);
	}
	strbuf_release(&sb);
	diag_list_release(&diags);
	return rc;
}

void
host_def_release(struct container_def *def)
{
	def_release(def);
	src_set_release(&srcs);
}
