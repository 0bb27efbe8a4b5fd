/*
 * The per-user container store (DESIGN.md "Where containers live").
 *
 *   macOS  ~/Library/Application Support/sbox/Containers/<name>/
 *   Linux  ${XDG_DATA_HOME:-~/.local/share}/sbox/containers/<name>/
 *   $SBOX_HOME overrides both. The store folder is mode 0700.
 *
 * Run as root through sudo, the store is the invoking user's (SUDO_UID)
 * and everything sbox makes there is chowned to that user.
 *
 * One container on disk:
 *
 *   <name>/metadata.plist    XML plist (Apple DOCTYPE): Name, Identifier,
 *                            DefinitionDigest, Created, OwnerUID,
 *                            SboxVersion, Template, HasRoot
 *   <name>/definition.json   the normalised definition (def_to_json);
 *                            DefinitionDigest is "sha256:<hex>" of it
 *   <name>/Data/             the home tree, from a template
 *   <name>/root/             only when the definition has "root"
 *
 * Names are [A-Za-z0-9][A-Za-z0-9._-]{0,63}. Entries starting with '.'
 * are the store's own: ".lock", ".tmp-*" (a container being built),
 * ".rm-*" (one being removed). Creation builds in .tmp-* and renames into
 * place under the store lock, so a container is either absent or whole;
 * any process that opens the store clears leftovers of killed ones.
 *
 * Call sequence (launcher):
 *
 *	struct container_store st = CONTAINER_STORE_INIT;
 *	struct container_info ci = CONTAINER_INFO_INIT;
 *	if (container_store_open(&st, &err) < 0) ...
 *	if (container_find(&st, name, &ci, &err) < 0) ...   (or create)
 *	if (container_hold(&st, &ci, &err) < 0) ...   (rm now refuses)
 *	... use ci.data_dir, ci.root_dir, ci.definition_path ...
 *	container_info_release(&ci);   (drops the hold)
 *	container_store_release(&st);
 */
#ifndef SBOX_CONTAINER_CONTAINER_H
#define SBOX_CONTAINER_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/diag.h"
#include "util/err.h"

struct container_def;

#define CONTAINER_NAME_MAX 64

struct container_store {
	char *path;        /* absolute path of the store folder */
	int dirfd;         /* O_DIRECTORY fd on it, -1 when closed */
	uid_t uid;         /* the user the store belongs to */
	gid_t gid;
	int chown_to_user; /* root acting for SUDO_UID: chown what we make */
	char *user_home;   /* that user's real home (links back, "~") */
};

#define CONTAINER_STORE_INIT { NULL, -1, 0, 0, 0, NULL }

/*
 * Open (creating if needed, mode 0700) the invoking user's store, then
 * clear leftovers of killed creates, imports and removals.
 */
int container_store_open(struct container_store *st, struct sbox_err *err);
/* The same for an explicit folder (tests, SBOX_HOME). */
int container_store_open_path(struct container_store *st, const char *path,
			      struct sbox_err *err);
void container_store_release(struct container_store *st);
/* Where the store is when SBOX_HOME is not set (heap), or NULL. */
char *container_store_usual_path(const struct container_store *st);

/* 0 when name is a valid container name, else -1 with SBOX_E_INVALID. */
int container_name_check(const char *name, struct sbox_err *err);

/*
 * The identifier a container named name gets (heap): the definition's
 * "identifier", or "sbox.<name>" when it has none (def_identifier NULL).
 * Create, import and an update of the stored definition all use it.
 */
char *container_identifier_for(const char *name, const char *def_identifier);

struct container_info {
	char *name;
	char *identifier;
	char *digest;          /* "sha256:<64 hex>" of definition.json */
	int64_t created;       /* seconds since the epoch, UTC */
	int64_t owner_uid;
	char *sbox_version;
	char *template_name;   /* as the definition named it */
	char *source;          /* the definition file it was made from
				* (absolute), NULL when unknown (imported) */
	int has_root;
	char *dir;             /* <store>/<name> */
	char *data_dir;        /* <dir>/Data */
	char *root_dir;        /* <dir>/root, NULL when has_root is 0 */
	char *definition_path; /* <dir>/definition.json */
	char *metadata_path;   /* <dir>/metadata.plist */
	int hold_fd;           /* container_hold's lock, -1 when not held */
};

#define CONTAINER_INFO_INIT { .owner_uid = -1, .hold_fd = -1 }

void container_info_release(struct container_info *ci);

/*
 * Where the key that seals stored definitions lives (container/seal.c),
 * heap, NULL when the user's home is unknown:
 *   macOS  ~/Library/Application Support/sbox/Seal/
 *   Linux  ${XDG_DATA_HOME:-~/.local/share}/sbox/seal/
 * No container may reach it (a program that could read the key could
 * seal a policy of its own choosing).
 */
char *container_seal_dir(const struct container_store *st);
/* The same, the key made first when missing (launches deny what exists). */
char *container_seal_dir_ready(const struct container_store *st,
			       struct sbox_err *err);

enum seal_state {
	SEAL_OK,         /* the stored definition is the one sbox sealed */
	SEAL_NONE,       /* no seal: made before seals, or removed */
	SEAL_OTHER_KEY,  /* sealed with a key that is not this user's now */
	SEAL_NO_KEY,     /* sealed, and this user has no seal key at all
			  * (another HOME than when it was made?) */
	SEAL_BAD,        /* does not verify: changed outside sbox */
	SEAL_STALE,      /* verifies, but is not the seal sbox gave it last
			  * (an older pair put back, one from another store,
			  * or an update that stopped half-way) */
	SEAL_UNRECORDED, /* verifies, but sbox has no record of the seal it
			  * should have (sealed before records, or the
			  * store moved) */
};

/* How container name's seal stands (sbox show). */
int container_seal_state(struct container_store *st, const char *name,
			 enum seal_state *state, struct sbox_err *err);

/* SBOX_E_NOTFOUND when there is no container of that name. */
int container_lookup(struct container_store *st, const char *name,
		     struct container_info *out, struct sbox_err *err);

/*
 * What a launch needs, without reading metadata.plist (a launch reads
 * only definition.json): name, has_root and the paths; identifier,
 * digest, created, owner and versions stay unset.
 */
int container_find(struct container_store *st, const char *name,
		   struct container_info *out, struct sbox_err *err);

/*
 * Take a shared lock on the container for as long as ci lives, so that
 * `sbox rm` refuses to remove it while a program runs in it.
 */
int container_hold(struct container_store *st, struct container_info *ci,
		   struct sbox_err *err);

/* 1 while a program runs in the container (someone holds it), else 0. */
int container_in_use(struct container_store *st,
		     const struct container_info *ci);

/* One program running in a container (sbox ps). */
struct container_run {
	char *name;        /* the container */
	long pid;          /* the sbox launching it */
	long long started; /* seconds since the epoch */
	char *command;     /* its command line, words joined by spaces */
};

struct container_run_list {
	struct container_run *v;
	size_t nr, alloc;
};

/* Record (and forget) that this process runs argv in container name. */
int container_running_add(const struct container_store *st, const char *name,
			  char *const *argv, struct sbox_err *err);
void container_running_remove(const struct container_store *st, const char *name);
/* Every live record, sorted by container and pid; stale ones are deleted. */
int container_running_list(struct container_store *st,
			   struct container_run_list *out, struct sbox_err *err);
void container_run_list_release(struct container_run_list *l);

struct container_list {
	struct container_info *v;  /* sorted by name */
	size_t nr, alloc;
	char **damaged;            /* names of folders that are not readable
				    * containers (made by hand, edited) */
	size_t ndamaged, damaged_alloc;
};

void container_list_release(struct container_list *l);
/* Every complete container (half-made ones are never listed). */
int container_list_all(struct container_store *st, struct container_list *out,
		       struct sbox_err *err);

/*
 * What to build. Everything the store needs from a definition, so the
 * store can be used (and tested) without the definition loader.
 */
struct container_spec {
	const char *name;            /* required, see container_name_check */
	const char *identifier;      /* NULL: "sbox.<name>" */
	const char *definition_json; /* normalised definition, stored as is */
	const char *template_name;   /* "default", "minimal", a folder or an
				      * archive; NULL means "default" */
	const char *root;            /* folder or archive for root/, or NULL */
	const char *source;          /* recorded as DefinitionSource, or NULL */
	const char *base_dir;        /* relative template/root paths are
				      * taken from here (the definition's
				      * folder); NULL: current directory */
	const char *const *home_links; /* NULL-terminated names under the
					* real home to link from Data/
					* (e.g. "Downloads"), or NULL */
	int *run_lock_fd;            /* non-NULL: an ephemeral container (sbox
				      * run); gets the fd holding its run
				      * lock (runlock.c), locked before the
				      * container has its name */
	int fresh;                   /* mark it new until a program ran in
				      * it (container_ran, fresh.c) */
};

/* SBOX_E_EXISTS when the name is taken (checked again at commit). */
int container_create(struct container_store *st,
		     const struct container_spec *spec,
		     struct container_info *out, struct sbox_err *err);

/*
 * Load the definition at def_path (def_load: diagnostics go to diags) and
 * create a container from it, named name, or the definition's "name"
 * when name is NULL.
 */
int container_create_from_file(struct container_store *st,
			       const char *def_path, const char *name,
			       struct src_set *srcs, struct diag_list *diags,
			       struct container_info *out,
			       struct sbox_err *err);
/* The same from an already loaded definition. */
int container_create_from_def(struct container_store *st,
			      const struct container_def *def,
			      const char *name, struct container_info *out,
			      struct sbox_err *err);

struct container_use_opts {
	const char *name;     /* NULL: the definition's "name" */
	const char *project;  /* ${PROJECT} in template and root; NULL: the
			       * current folder */
	int recreate;         /* container_use_def: replace an existing one */
	int fresh;            /* mark a container made here new until a
			       * program ran in it (container_use_def
			       * always does) */
};

/* container_create_from_def with options. */
int container_create_with(struct container_store *st,
			  const struct container_def *def,
			  const struct container_use_opts *o,
			  struct container_info *out, struct sbox_err *err);

/*
 * The DefinitionSource recorded for def: the absolute path of its file,
 * or def->source as it is when that is not a file (a definition built
 * in memory sets a label such as "(command line)"). Heap, or NULL.
 */
char *container_source_of(const struct container_def *def);

enum container_use_how {
	CONTAINER_USED,       /* existed with this very definition */
	CONTAINER_CREATED,
	CONTAINER_UPDATED,    /* existed; its stored policy was replaced */
	CONTAINER_RECREATED,  /* removed and built again (recreate) */
	CONTAINER_RESEALED,   /* existed with this definition, unsealed or
			       * sealed with another key: sealed now */
};

/*
 * The container of a definition, so that launching a definition runs
 * that definition as it is now (create-or-use, atomic among concurrent
 * callers: all of them end up with the one container that won):
 *  - none of that name: create it;
 *  - one made from the same definition file (DefinitionSource): its
 *    stored definition is verified, then replaced when the policy
 *    changed; a change of "template" or "root" cannot be applied to a
 *    built container and is refused (SBOX_E_EXISTS) unless o->recreate;
 *  - one made from another file (or imported) with another policy:
 *    refused (SBOX_E_EXISTS) unless o->recreate.
 * *how says which; out is filled as by container_lookup.
 */
int container_use_def(struct container_store *st,
		      const struct container_def *def,
		      const struct container_use_opts *o,
		      struct container_info *out, enum container_use_how *how,
		      struct sbox_err *err);

/*
 * A launch that made its container (container_use_def: CREATED or
 * RECREATED) and fails before the program starts leaves nothing behind
 * (fresh.c). What becomes of the container once the launch is over:
 */
enum container_settle {
	CONTAINER_SETTLE_KEEP,     /* not this launch's to remove */
	CONTAINER_SETTLE_RAN,      /* a program ran: an ordinary container */
	CONTAINER_SETTLE_DISCARD,  /* made by this launch, never ran, still
				    * fresh and held by no one: removed */
};

/*
 * made_here: this launch created it; started: its program ran;
 * still_fresh: it still has the new mark; in_use: someone holds it.
 */
enum container_settle container_settle_decide(int made_here, int started,
					      int still_fresh, int in_use);
/* A program ran in ci: drop the new mark (best effort; every launch). */
void container_ran(const struct container_store *st,
		   const struct container_info *ci);
/*
 * The launch that made ci failed before its program started: remove ci
 * unless someone holds it or a program ran in it meanwhile (decided under
 * the store lock). Drops ci's hold. 1 when removed (its seal record
 * too), 0 when kept, -1 with err.
 */
int container_discard_new(struct container_store *st,
			  struct container_info *ci, struct sbox_err *err);

/*
 * A container's stored definition.json, verified against the digest in
 * its metadata.plist (SBOX_E_INVALID when it was changed outside sbox).
 */
int container_read_definition(struct container_store *st, const char *name,
			      char **json, size_t *len, struct sbox_err *err);

/*
 * Which of the real home's folders (Desktop, Downloads, Movies, Music,
 * Pictures) the definition grants, i.e. which get a link in Data/
 * (MACOS.md §3.1). Returns a NULL-terminated heap array of static strings.
 */
const char **container_home_links_for(const struct container_def *def);

/* Remove a container; SBOX_E_EXISTS ("in use") while someone holds it. */
/*
 * Ephemeral containers (sbox run, runlock.c): created with
 * container_create_run, they live while *run_lock_fd stays open (the run,
 * and the container's init, which inherits it); once it is closed by
 * whatever end (even kill -9), the next sbox command that opens the store
 * removes them. container_run_keep makes one an ordinary container.
 */
int container_create_run(struct container_store *st,
			 const struct container_def *def,
			 const struct container_use_opts *o, int *run_lock_fd,
			 struct container_info *out, struct sbox_err *err);
int container_run_keep(struct container_store *st, const char *name,
		       struct sbox_err *err);

int container_remove(struct container_store *st, const char *name,
		     struct sbox_err *err);

/* Limits applied to every archive sbox unpacks. 0 means the default. */
struct container_limits {
	uint64_t max_entries;  /* default 2,000,000 */
	uint64_t max_bytes;    /* total file data, default 64 GiB */
};

/*
 * Write the container to one archive at path (tar; .tar.gz/.tgz and
 * .tar.zst compress): metadata.plist first, then definition.json, Data/,
 * root/. Written to a temporary file next to path, then renamed.
 */
int container_export(struct container_store *st, const char *name,
		     const char *path, struct sbox_err *err);
/* The temporary file export `pid` writes before renaming it to path. */
char *container_export_tmp_path(const char *path, long pid);

/*
 * Create a container from an archive written by container_export,
 * trusting nothing in it (see archive_unpack.c). name NULL keeps the
 * archived name. The identifier is container_identifier_for the new name
 * and the archived definition (the archive's own Identifier is not
 * trusted); SBOX_E_ID_TAKEN when another container of the store has it,
 * decided under the store lock. A refused import leaves nothing behind.
 */
int container_import(struct container_store *st, const char *path,
		     const char *name, const struct container_limits *limits,
		     struct container_info *out, struct sbox_err *err);

/* The same from an open descriptor (a pipe); label names it in errors. */
int container_import_fd(struct container_store *st, int fd, const char *label,
			const char *name, const struct container_limits *limits,
			struct container_info *out, struct sbox_err *err);

/* The same from memory (fuzzing). */
int container_import_memory(struct container_store *st, const void *buf,
			    size_t len, const char *name,
			    const struct container_limits *limits,
			    struct container_info *out, struct sbox_err *err);

#endif
