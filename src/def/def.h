/*
 * Container definitions (DESIGN.md "Definitions"): one schema, loaded from
 * JSON (jansson) or an XML plist (libxml2). A loaded definition is plain
 * data; paths keep their variables (~, ${CONTAINER}, ${PROJECT},
 * ${TMPDIR}) until def_resolve() substitutes them for one launch.
 *
 * Semantics are order-independent: the most specific path wins, deny beats
 * allow at equal specificity.
 */
#ifndef SBOX_DEF_DEF_H
#define SBOX_DEF_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/err.h"

struct def_path {
	char *path;            /* as written, variables unexpanded */
	struct src_loc loc;
};

struct def_path_list {
	struct def_path *v;
	size_t nr, alloc;
};

struct def_strlist {
	char **v;
	size_t nr, alloc;
};

enum def_network {
	DEF_NET_NONE = 0,      /* empty network namespace */
	DEF_NET_LOCALHOST,     /* own loopback only */
	DEF_NET_OUTBOUND,      /* outbound connections, no listening */
	DEF_NET_ALL,           /* host network */
	DEF_NET_PORTS,         /* explicit outbound/bind port lists */
};

struct def_ports {
	uint16_t *v;
	size_t nr, alloc;
};

enum def_home {
	DEF_HOME_CONTAINER = 0, /* HOME is the container's Data/ */
	DEF_HOME_REAL,          /* HOME stays the user's real home */
};

struct def_limits {
	/* 0 = unset */
	uint64_t cpu_seconds;
	uint64_t open_files;
	uint64_t processes;
	uint64_t memory_bytes;
	uint64_t file_size_bytes;
	uint64_t wall_seconds;  /* timeout */
};

struct def_env_set {
	char *key;
	char *value;
};

struct container_def {
	char *source;               /* file it was loaded from */
	char *name;
	char *identifier;
	struct def_strlist extends; /* as written */
	struct def_strlist program; /* argv; empty = none */
	enum def_home home;
	char *template_name;        /* "default", "minimal", a folder or archive */
	char *root;                 /* folder or archive, or NULL */
	struct def_path_list fs_read, fs_write, fs_exec, fs_deny;
	enum def_network network;
	struct def_ports net_outbound, net_bind;
	struct def_strlist env_inherit;
	struct def_env_set *env_set;
	size_t nenv_set, env_set_alloc;
	struct def_limits limits;
	struct def_strlist mach_lookup;   /* macos.mach-lookup */
	char *macos_min_version;          /* macos.min-version */
	struct def_strlist sbpl_import;   /* sbpl.import */
	char *sbpl_raw;                   /* sbpl.raw: appended verbatim */
	/* keys written explicitly (an extending file overrides a base) */
	int has_home, has_network;
	/* where scalar keys were written, for later diagnostics */
	struct src_loc name_loc, network_loc, home_loc, program_loc;
	struct src_loc sbpl_import_loc, sbpl_raw_loc;
};

void def_init(struct container_def *d);
void def_release(struct container_def *d);

/*
 * Load a definition (JSON or XML plist, chosen by content), follow
 * `extends` (other files, or presets shipped in profiles/), merge and
 * validate. Every problem is added to diags with file:line:col; sources
 * read are added to srcs (which must outlive the diags). Returns 0 when
 * no error was reported, -1 otherwise (out is then released).
 */
int def_load(const char *path, struct src_set *srcs, struct diag_list *diags,
	     struct container_def *out);

/*
 * Same for a document held in memory (the definition sbox launch, run and
 * compile build from --preset, --read ... flags): name labels it in
 * diagnostics; relative `extends` resolve against the folder part of
 * name, so callers give absolute paths.
 */
int def_load_doc(const char *name, const char *text, struct src_set *srcs,
		 struct diag_list *diags, struct container_def *out);

/*
 * Names of what sbox ships in <datadir>: presets (profiles/<name>.json)
 * and templates (templates/<name>[.tar*]), sorted; free with
 * def_strlist_release.
 */
void def_preset_names(struct def_strlist *out);
void def_template_names(struct def_strlist *out);
int def_preset_exists(const char *name);
void def_strlist_release(struct def_strlist *l);
void def_strlist_add(struct def_strlist *l, const char *s);
/* Append a copy of p, read at loc. */
void def_pathlist_add(struct def_path_list *l, const char *p,
		      struct src_loc loc);
/* The same for a path made in code, which has no place in a file. */
void def_pathlist_append(struct def_path_list *l, const char *p);
int def_strlist_has(const struct def_strlist *l, const char *s);

/*
 * Parse and validate a definition held in memory that must stand alone
 * (no `extends`): a stored or imported definition.json. label names it in
 * diagnostics. Returns 0, or -1 after adding diagnostics.
 */
int def_load_text(const char *label, const char *text, size_t len,
		  struct src_set *srcs, struct diag_list *diags,
		  struct container_def *out);

/* Values for the path variables of one launch. */
struct def_vars {
	const char *home;      /* ~ : the invoking user's real home */
	const char *container; /* ${CONTAINER}: the container's Data/ */
	const char *project;   /* ${PROJECT}: working directory at launch */
	const char *tmpdir;    /* ${TMPDIR} */
};

/* 1 when a path of def (grants, template, root) uses ${PROJECT}. */
int def_uses_project(const struct container_def *def);

/* Add a deny of path (absolute, resolved) that no grant can undo. */
void def_deny_path(struct container_def *def, const char *path);
/*
 * Drop every read, write and exec grant of path or below it, but those of
 * keep or below it (keep may be NULL): a grant more specific than a deny
 * would open a hole in it. Paths absolute and resolved, as after
 * def_resolve.
 */
void def_ungrant_under(struct container_def *def, const char *path,
		       const char *keep);

/* Collapse repeated slashes and drop a trailing one ("/" stays). */
void def_path_normalise(char *path);

/*
 * Expand variables in every path of def (filesystem lists and root), in
 * place, and normalise them. A variable whose value is NULL (or relative)
 * is an error (SBOX_E_INVALID).
 */
int def_resolve(struct container_def *def, const struct def_vars *vars,
		struct sbox_err *err);
/* Same, but variables whose value is NULL stay in place (sbox compile -D). */
int def_resolve_partial(struct container_def *def, const struct def_vars *vars,
			struct sbox_err *err);

/*
 * Stable, normalised JSON of a loaded definition (extends already merged,
 * keys sorted): what a container stores and what its digest is taken of.
 * Heap string.
 */
char *def_to_json(const struct container_def *def);

#endif
