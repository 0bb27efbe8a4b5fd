/*
 * def_load: read one definition file (JSON or plist, chosen by its first
 * character), follow `extends` depth-first with cycle detection, merge,
 * validate. Presets are files in <datadir>/profiles/<name>.json.
 */
#include "def/def_int.h"
#include "util/datadir.h"
#include "util/input.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEF_MAX_DEPTH 32

struct load_stack {
	char *real[DEF_MAX_DEPTH];
	size_t nr;
};

static int
is_plist_text(const char *text)
{
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	/* a UTF-8 byte order mark before the XML declaration */
	if (!strncmp(text, "\xEF\xBB\xBF", 3))
		text += 3;
	return *text == '<';
}

/* One file's text to nodes: JSON or an XML plist, chosen by content. */
static int
parse_text(const struct src_file *f, struct diag_list *diags,
	   struct def_node *root)
{
	return (is_plist_text(f->text) ? def_plist_read(f, diags, root)
				       : def_json_read(f, diags, root)) ? -1 : 0;
}

/* A preset is a bare word; anything with '/' or '.' is a file. */
static int
is_preset_name(const char *s)
{
	return !strchr(s, '/') && !strchr(s, '.');
}

static char *
extends_target(const char *from, const char *ref)
{
	const char *slash;

	if (is_preset_name(ref))
		return xasprintf("%s/profiles/%s.json", sbox_datadir(), ref);
	if (ref[0] == '/')
		return xstrdup(ref);
	slash = strrchr(from, '/');
	if (!slash)
		return xstrdup(ref);
	return xasprintf("%.*s/%s", (int)(slash - from), from, ref);
}

static int load_file(const char *path, struct src_loc from, struct src_set *srcs,
		     struct diag_list *diags, struct load_stack *stack,
		     struct container_def *out);

static void
cycle_message(const struct load_stack *stack, size_t from, const char *again,
	      struct strbuf *out)
{
	for (size_t i = from; i < stack->nr; i++)
		strbuf_addf(out, "%s -> ", stack->real[i]);
	strbuf_addstr(out, again);
}

/* Load and merge the bases listed in the `extends` node of this file. */
static int
load_bases(const struct def_node *root, const char *path, struct src_set *srcs,
	   struct diag_list *diags, struct load_stack *stack,
	   struct container_def *d)
{
	const struct def_node *ext = NULL;
	const struct def_node *items;
	size_t nitems;
	int rc = 0;

	if (root->kind != DN_OBJECT)
		return 0;
	for (size_t i = 0; i < root->nkids; i++)
		if (!strcmp(root->kids[i].key, "extends"))
			ext = &root->kids[i];
	if (!ext)
		return 0;
	items = ext->kind == DN_ARRAY ? ext->kids : ext;
	nitems = ext->kind == DN_ARRAY ? ext->nkids : 1;
	/* later bases win over earlier ones: merge the last first */
	for (size_t i = nitems; i-- > 0;) {
		struct container_def base;
		char *target;

		if (items[i].kind != DN_STRING || !items[i].str[0])
			continue; /* already reported by the schema */
		target = extends_target(path, items[i].str);
		def_init(&base);
		if (is_preset_name(items[i].str) && access(target, F_OK) < 0) {
			char hint[512];

			def_preset_hint(items[i].str, hint, sizeof(hint));
			if (hint[0])
				diag_add(diags, DIAG_ERROR, items[i].loc,
					 "def-extends", "unknown preset '%s'%s",
					 items[i].str, hint);
			else
				diag_add(diags, DIAG_ERROR, items[i].loc,
					 "def-extends", "unknown preset '%s' (no %s)",
					 items[i].str, target);
			rc = -1;
		} else if (load_file(target, items[i].loc, srcs, diags, stack, &base) < 0)
			rc = -1;
		else
			def_merge(d, &base);
		def_release(&base);
		free(target);
	}
	return rc;
}

static int
enter(const char *path, struct src_loc from, struct diag_list *diags,
      struct load_stack *stack)
{
	char real[PATH_MAX];
	struct strbuf msg = STRBUF_INIT;

	if (!realpath(path, real)) {
		diag_add(diags, DIAG_ERROR, from, "def-io", "cannot read '%s': %s",
			 path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < stack->nr; i++) {
		if (strcmp(stack->real[i], real))
			continue;
		cycle_message(stack, i, real, &msg);
		diag_add(diags, DIAG_ERROR, from, "def-extends",
			 "extends cycle: %s", msg.buf);
		strbuf_release(&msg);
		return -1;
	}
	if (stack->nr == DEF_MAX_DEPTH) {
		diag_add(diags, DIAG_ERROR, from, "def-extends",
			 "extends nested more than %d deep", DEF_MAX_DEPTH);
		return -1;
	}
	stack->real[stack->nr++] = xstrdup(real);
	return 0;
}

/* Parse one document (text owned by srcs from here on) and its bases. */
static int
load_text(const char *path, char *text, size_t len, struct src_set *srcs,
	  struct diag_list *diags, struct load_stack *stack,
	  struct container_def *out)
{
	struct def_node root;
	struct src_file *f;
	int rc = -1;

	memset(&root, 0, sizeof(root));
	f = src_set_add(srcs, path, text, len);
	if (parse_text(f, diags, &root) < 0)
		goto out;
	rc = def_from_node(&root, diags, out);
	if (load_bases(&root, path, srcs, diags, stack, out) < 0)
		rc = -1;
out:
	def_node_release(&root);
	return rc;
}

static int
load_file(const char *path, struct src_loc from, struct src_set *srcs,
	  struct diag_list *diags, struct load_stack *stack,
	  struct container_def *out)
{
	struct sbox_err err = SBOX_ERR_INIT;
	char *text;
	size_t len;
	int rc = -1;

	if (enter(path, from, diags, stack) < 0)
		return -1;
	if (input_read(path, INPUT_DEF_MAX, &text, &len, &err) < 0)
		diag_add(diags, DIAG_ERROR, from, "def-io", "%s", err.msg);
	else
		rc = load_text(path, text, len, srcs, diags, stack, out);
	free(stack->real[--stack->nr]);
	return rc;
}

/* What every load ends with: duplicates out, whole-definition checks. */
static int
load_finish(int rc, size_t errors_before, struct diag_list *diags,
	    struct container_def *out)
{
	if (rc == 0) {
		def_pathlist_dedupe(&out->fs_read);
		def_pathlist_dedupe(&out->fs_write);
		def_pathlist_dedupe(&out->fs_exec);
		def_pathlist_dedupe(&out->fs_deny);
		def_validate(out, diags);
	}
	if (diags->nerrors != errors_before) {
		def_release(out);
		return -1;
	}
	return 0;
}

int
def_load(const char *path, struct src_set *srcs, struct diag_list *diags,
	 struct container_def *out)
{
	struct load_stack stack = { { 0 }, 0 };
	struct src_loc none = { NULL, 0, 0 };
	size_t errors_before = diags->nerrors;

	def_init(out);
	out->source = xstrdup(path);
	return load_finish(load_file(path, none, srcs, diags, &stack, out),
			   errors_before, diags, out);
}

int
def_load_doc(const char *name, const char *text, struct src_set *srcs,
	     struct diag_list *diags, struct container_def *out)
{
	struct load_stack stack = { { 0 }, 0 };
	size_t errors_before = diags->nerrors;

	def_init(out);
	out->source = xstrdup(name);
	return load_finish(load_text(name, xstrdup(text), strlen(text), srcs,
				     diags, &stack, out),
			   errors_before, diags, out);
}

int
def_load_text(const char *label, const char *text, size_t len,
	      struct src_set *srcs, struct diag_list *diags,
	      struct container_def *out)
{
	struct def_node root;
	struct src_file *f;
	size_t errors_before = diags->nerrors;
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	memset(&root, 0, sizeof(root));
	def_init(out);
	out->source = xstrdup(label);
	f = src_set_add(srcs, label, copy, len);
	if (parse_text(f, diags, &root) == 0 &&
	    def_from_node(&root, diags, out) == 0) {
		/* Stored definitions have their bases merged already. */
		if (out->extends.nr)
			diag_add(diags, DIAG_ERROR, root.loc, "def-extends",
				 "'extends' in a definition that should have "
				 "its bases merged");
		def_validate(out, diags);
	}
	def_node_release(&root);
	if (diags->nerrors != errors_before) {
		def_release(out);
		return -1;
	}
	return 0;
}
