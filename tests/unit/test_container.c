/*
 * The container store without the CLI: store folder, create from a spec
 * (template folder, root archive, home links), lookup/list/hold/remove,
 * leftovers of killed builds, metadata, export/import round trip.
 */
#include "unit/testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "container/container.h"
#include "container/internal.h"
#include "def/def.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static char tmpdir[256];
static char storedir[300];
static char tpldir[300];

static const char def_json[] = "{\"name\":\"t\"}\n";

static void
sh(const char *fmt, const char *arg)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/sbox-unit-XXXXXX",
		 getenv("SBOX_TEST_TMP") ? getenv("SBOX_TEST_TMP") : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(storedir, sizeof(storedir), "%s/store", tmpdir);
	snprintf(tpldir, sizeof(tpldir), "%s/tpl", tmpdir);
	sh("mkdir -p '%1$s/Library/Preferences' && cd '%1$s' && "
	   "touch Library/Preferences/.sbox-keep && echo hi > note && "
	   "chmod 640 note && ln -s note link", tpldir);
	setenv("HOME", tmpdir, 1);
	unsetenv("XDG_DATA_HOME");  /* the seal key goes under HOME */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sh("rm -rf '%s'", tmpdir);
	return 0;
}

static void
open_store(struct container_store *st)
{
	struct sbox_err err = SBOX_ERR_INIT;

	assert_int_equal(container_store_open_path(st, storedir, &err), 0);
}

/* Entries of the store other than its lock file. */
static int
store_entries(void)
{
	DIR *d = opendir(storedir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, ".lock"))
			n++;
	closedir(d);
	return n;
}

static int
make(struct container_store *st, const char *name, const char *root,
     struct container_info *ci, struct sbox_err *err)
{
	static const char *const links[] = { "Downloads", NULL };
	struct container_spec spec = { 0 };

	spec.name = name;
	spec.definition_json = def_json;
	spec.template_name = tpldir;
	spec.root = root;
	spec.home_links = links;
	return container_create(st, &spec, ci, err);
}

static void
test_name_check(void **state)
{
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	assert_int_equal(container_name_check("web-1.x_y", &err), 0);
	assert_int_equal(container_name_check("", &err), -1);
	assert_int_equal(container_name_check(".tmp-x", &err), -1);
	assert_int_equal(container_name_check("a/b", &err), -1);
	assert_int_equal(container_name_check("..", &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	char long_name[CONTAINER_NAME_MAX + 2];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(container_name_check(long_name, &err), -1);
}

static void
test_store_private(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	struct stat sb;

	(void)state;
	open_store(&st);
	assert_int_equal(stat(storedir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	container_store_release(&st);
	chmod(storedir, 0777);
	assert_int_equal(container_store_open_path(&st, storedir, &err), -1);
	assert_non_null(strstr(err.msg, "writable by others"));
	chmod(storedir, 0700);
}

static void
test_create_lookup(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	char hex[SHA256_HEX_LEN + 1], path[600], buf[600];
	struct stat sb;
	ssize_t n;

	(void)state;
	open_store(&st);
	assert_int_equal(make(&st, "alpha", NULL, &ci, &err), 0);
	sha256_hex(def_json, strlen(def_json), hex);
	assert_string_equal(ci.digest + 7, hex);
	assert_string_equal(ci.identifier, "sbox.alpha");
	assert_null(ci.root_dir);
	assert_int_equal(ci.has_root, 0);
	snprintf(path, sizeof(path), "%s/note", ci.data_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	snprintf(path, sizeof(path), "%s/Library/Preferences/.sbox-keep",
		 ci.data_dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/link", ci.data_dir);
	n = readlink(path, buf, sizeof(buf) - 1);
	assert_int_equal(n, 4);
	snprintf(path, sizeof(path), "%s/Downloads", ci.data_dir);
	n = readlink(path, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	snprintf(path, sizeof(path), "%s/Downloads", tmpdir);
	assert_string_equal(buf, path);
	assert_int_equal(stat(ci.data_dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	container_info_release(&ci);

	assert_int_equal(make(&st, "alpha", NULL, NULL, &err), -1);
	assert_int_equal(err.code, SBOX_E_EXISTS);
	assert_int_equal(container_lookup(&st, "nope", &ci, &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	assert_int_equal(container_remove(&st, "alpha", &err), 0);
	assert_int_equal(store_entries(), 0);
	container_store_release(&st);
}

static void
test_failed_create_leaves_nothing(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_spec spec = { 0 };
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	open_store(&st);
	spec.name = "broken";
	spec.definition_json = def_json;
	spec.template_name = "/nonexistent/template";
	assert_int_equal(container_create(&st, &spec, NULL, &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	spec.template_name = tpldir;
	spec.root = "/nonexistent/root.tar";
	assert_int_equal(container_create(&st, &spec, NULL, &err), -1);
	assert_int_equal(store_entries(), 0);
	container_store_release(&st);
}

static void
test_leftovers_cleared(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	char path[600];
	int live;

	(void)state;
	open_store(&st);
	container_store_release(&st);
	sh("mkdir -p '%1$s/.tmp-a-1/Data/x' '%1$s/.rm-b-2'", storedir);
	/* A build still running holds its folder's lock: keep it. */
	snprintf(path, sizeof(path), "%s/.tmp-c-3", storedir);
	assert_int_equal(mkdir(path, 0700), 0);
	live = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(live >= 0);
	assert_int_equal(flock(live, LOCK_EX), 0);
	open_store(&st);
	assert_int_equal(store_entries(), 1);
	close(live);
	container_store_release(&st);
	open_store(&st);
	assert_int_equal(store_entries(), 0);
	container_store_release(&st);
}

static void
test_list_hold_remove(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct container_list l = { 0 };
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	open_store(&st);
	assert_int_equal(make(&st, "zeta", NULL, NULL, &err), 0);
	assert_int_equal(make(&st, "beta", NULL, NULL, &err), 0);
	sh("mkdir '%s/damaged'", storedir);
	assert_int_equal(container_list_all(&st, &l, &err), 0);
	assert_int_equal(l.nr, 2);
	assert_int_equal(l.ndamaged, 1);
	assert_string_equal(l.damaged[0], "damaged");
	assert_string_equal(l.v[0].name, "beta");
	assert_string_equal(l.v[1].name, "zeta");
	container_list_release(&l);
	assert_int_equal(container_lookup(&st, "damaged", &ci, &err), -1);
	assert_non_null(strstr(err.msg, "damaged"));

	assert_int_equal(container_lookup(&st, "beta", &ci, &err), 0);
	assert_int_equal(container_hold(&st, &ci, &err), 0);
	assert_int_equal(container_remove(&st, "beta", &err), -1);
	assert_non_null(strstr(err.msg, "in use"));
	container_info_release(&ci);
	assert_int_equal(container_remove(&st, "beta", &err), 0);
	assert_int_equal(container_remove(&st, "beta", &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	assert_int_equal(container_remove(&st, "zeta", &err), 0);
	sh("rmdir '%s/damaged'", storedir);
	container_store_release(&st);
}

/* container_find: the paths lookup gives, without the metadata. */
static void
test_find(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT, f = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	open_store(&st);
	assert_int_equal(make(&st, "found", NULL, &ci, &err), 0);
	assert_int_equal(container_find(&st, "found", &f, &err), 0);
	assert_string_equal(f.name, "found");
	assert_string_equal(f.dir, ci.dir);
	assert_string_equal(f.data_dir, ci.data_dir);
	assert_string_equal(f.definition_path, ci.definition_path);
	assert_null(f.root_dir);
	assert_int_equal(f.has_root, 0);
	container_info_release(&f);
	/* a launch does not need the metadata ... */
	sh("rm '%s/found/metadata.plist'", storedir);
	assert_int_equal(container_find(&st, "found", &f, &err), 0);
	container_info_release(&f);
	/* ... but does need the definition, and never through a symlink */
	sh("cd '%s/found' && mv definition.json ../def && "
	   "ln -s ../def definition.json", storedir);
	assert_int_equal(container_find(&st, "found", &f, &err), -1);
	assert_non_null(strstr(err.msg, "damaged"));
	sh("rm -f '%s/def'", storedir);
	sh("rm -f '%s/found/definition.json'", storedir);
	assert_int_equal(container_find(&st, "nope", &f, &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	assert_int_equal(container_find(&st, "../x", &f, &err), -1);
	assert_int_equal(container_remove(&st, "found", &err), 0);
	container_info_release(&ci);
	container_store_release(&st);
}

static void
test_metadata(void **state)
{
	struct container_meta m = { 0 }, back = { 0 };
	struct sbox_err err = SBOX_ERR_INIT;
	char *text;
	size_t len;

	(void)state;
	m.name = xstrdup("n");
	m.identifier = xstrdup("org.example.n");
	m.digest = xstrdup("sha256:00");
	m.created = 1700000000;
	m.owner_uid = 501;
	m.sbox_version = xstrdup("9.9");
	m.template_name = xstrdup("minimal");
	m.has_root = 1;
	m.format = CONTAINER_FORMAT;
	text = container_meta_to_plist(&m, &len);
	assert_non_null(strstr(text, "<!DOCTYPE plist PUBLIC \"-//Apple//DTD "
			       "PLIST 1.0//EN\""));
	assert_non_null(strstr(text, "<date>2023-11-14T22:13:20Z</date>"));
	assert_int_equal(container_meta_parse(text, len, "m", &back, &err), 0);
	assert_string_equal(back.identifier, "org.example.n");
	assert_int_equal(back.created, 1700000000);
	assert_int_equal(back.owner_uid, 501);
	assert_int_equal(back.has_root, 1);
	assert_string_equal(back.template_name, "minimal");
	container_meta_release(&back);
	free(text);

	assert_int_equal(container_meta_parse("<plist>", 7, "m", &back, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	{
		const char *t1 = "<plist><dict><key>Name</key><string>x"
				 "</string></dict></plist>";
		const char *t2 = "<plist><dict><key>Created</key><string>x"
				 "</string></dict></plist>";

		assert_int_equal(container_meta_parse(t1, strlen(t1), "m",
						      &back, &err), -1);
		assert_int_equal(container_meta_parse(t2, strlen(t2), "m",
						      &back, &err), -1);
	}
	{
		/* Entity declarations are refused before anything expands. */
		const char *t3 = "<!DOCTYPE plist [<!ENTITY a \"aaaaaaaa\">"
				 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
				 "<plist><dict><key>Name</key><string>&b;"
				 "</string></dict></plist>";

		assert_int_equal(container_meta_parse(t3, strlen(t3), "m",
						      &back, &err), -1);
		assert_non_null(strstr(err.msg, "without DTD declarations"));
	}
	m.identifier[0] = 0x7f;   /* legal XML, still a control character */
	text = container_meta_to_plist(&m, &len);
	assert_int_equal(container_meta_parse(text, len, "m", &back, &err), -1);
	assert_non_null(strstr(err.msg, "without control characters"));
	free(text);
	container_meta_release(&m);
}

static char *
links_joined(const struct container_def *d)
{
	const char **v = container_home_links_for(d);
	static char buf[200];

	buf[0] = '\0';
	for (size_t i = 0; v[i]; i++) {
		strcat(buf, v[i]);
		strcat(buf, " ");
	}
	free(v);
	return buf;
}

static void
test_home_links(void **state)
{
	struct container_def d;

	(void)state;
	def_init(&d);
	assert_string_equal(links_joined(&d), "");
	def_pathlist_append(&d.fs_read, "~/Downloads");
	def_pathlist_append(&d.fs_write, "~/Pictures/Screenshots");
	/* not a linked folder */
	def_pathlist_append(&d.fs_read, "~/Documents");
	def_pathlist_append(&d.fs_read, "/Users/x/Music");
	assert_string_equal(links_joined(&d), "Downloads Pictures ");
	def_pathlist_append(&d.fs_deny, "~/Downloads");   /* equal: deny wins */
	/* less specific than the grant */
	def_pathlist_append(&d.fs_deny, "~/Pictures");
	assert_string_equal(links_joined(&d), "Pictures ");
	def_release(&d);

	def_init(&d);
	def_pathlist_append(&d.fs_read, "~");
	def_pathlist_append(&d.fs_deny, "~/Music");
	def_pathlist_append(&d.fs_deny, "~/Movies/private");
	assert_string_equal(links_joined(&d), "Desktop Downloads Movies Pictures ");
	def_pathlist_append(&d.fs_deny, "~/");
	assert_string_equal(links_joined(&d), "");
	def_release(&d);
}

/* A root filesystem tarball as debootstrap or `docker export` makes. */
static void
write_root_tar(const char *path)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	static const struct {
		const char *path;
		int type;
		int mode;
		const char *data;
	} ents[] = {
		{ "./", AE_IFDIR, 0755, NULL },
		{ "./bin/", AE_IFDIR, 0755, NULL },
		{ "./bin/sh", AE_IFREG, 0755, "#!sh" },
		{ "./usr/bin/su", AE_IFREG, 04755, "su" },
		{ "./dev/null", AE_IFCHR, 0666, NULL },
		{ "./etc/alt", AE_IFLNK, 0777, "/etc/passwd" },
		{ "./tmp/", AE_IFDIR, 01777, NULL },
	};

	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname(e, ents[i].path);
		archive_entry_set_filetype(e, (unsigned)ents[i].type);
		archive_entry_set_perm(e, (mode_t)ents[i].mode);
		archive_entry_set_mtime(e, 1600000000, 0);
		if (ents[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, ents[i].data);
		if (ents[i].type == AE_IFREG)
			archive_entry_set_size(e, (la_int64_t)strlen(ents[i].data));
		archive_write_header(a, e);
		if (ents[i].type == AE_IFREG)
			archive_write_data(a, ents[i].data, strlen(ents[i].data));
	}
	archive_entry_clear(e);
	archive_entry_set_pathname(e, "./bin/sh2");
	archive_entry_set_hardlink(e, "./bin/sh");
	archive_write_header(a, e);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
}

static void
test_root_and_roundtrip(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT, back = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	char tar[600], path[700], buf[100];
	struct stat sb, sb2;

	(void)state;
	snprintf(tar, sizeof(tar), "%s/root.tar.gz", tmpdir);
	write_root_tar(tar);
	open_store(&st);
	assert_int_equal(make(&st, "rooted", tar, &ci, &err), 0);
	assert_int_equal(ci.has_root, 1);
	assert_int_equal(container_find(&st, "rooted", &back, &err), 0);
	assert_int_equal(back.has_root, 1);
	assert_string_equal(back.root_dir, ci.root_dir);
	container_info_release(&back);
	snprintf(path, sizeof(path), "%s/usr/bin/su", ci.root_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);   /* setuid dropped */
	snprintf(path, sizeof(path), "%s/dev/null", ci.root_dir);
	assert_int_equal(lstat(path, &sb), -1);       /* device skipped */
	snprintf(path, sizeof(path), "%s/tmp", ci.root_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 01777);
	assert_int_equal(sb.st_mtime, 1600000000);
	snprintf(path, sizeof(path), "%s/bin/sh2", ci.root_dir);
	assert_int_equal(stat(path, &sb2), 0);
	snprintf(path, sizeof(path), "%s/bin/sh", ci.root_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_ino, sb2.st_ino);

	snprintf(tar, sizeof(tar), "%s/export.tar.zst", tmpdir);
	assert_int_equal(container_export(&st, "rooted", tar, &err), 0);
	assert_int_equal(container_import(&st, tar, "copy", NULL, &back, &err),
			 0);
	assert_string_equal(back.digest, ci.digest);
	/* renamed: the identifier follows the new name, as create's would */
	assert_string_equal(back.identifier, "sbox.copy");
	assert_int_equal(back.has_root, 1);
	snprintf(path, sizeof(path), "%s/etc/alt", back.root_dir);
	assert_int_equal(readlink(path, buf, sizeof(buf)), 11);
	snprintf(path, sizeof(path), "%s/bin/sh", back.root_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);
	assert_int_equal(sb.st_mtime, 1600000000);
	assert_int_equal(sb.st_nlink, 2);
	snprintf(path, sizeof(path), "%s/note", back.data_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	container_info_release(&back);

	/* Same name again: refused, nothing left behind. */
	assert_int_equal(container_import(&st, tar, "copy", NULL, NULL, &err),
			 -1);
	assert_int_equal(err.code, SBOX_E_EXISTS);
	assert_int_equal(container_remove(&st, "copy", &err), 0);
	assert_int_equal(container_remove(&st, "rooted", &err), 0);
	assert_int_equal(store_entries(), 0);
	container_info_release(&ci);
	container_store_release(&st);
}

static void
test_import_garbage(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	static const char junk[] = "definitely not a tar archive, just text";

	(void)state;
	open_store(&st);
	assert_int_equal(container_import_memory(&st, junk, sizeof(junk), NULL,
						 NULL, NULL, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "not an sbox container archive"));
	assert_int_equal(store_entries(), 0);
	container_store_release(&st);
}


/* Write text to tmpdir/name and load it as a definition. */
static void
load_def(const char *name, const char *text, struct container_def *d)
{
	char path[400];
	struct diag_list diags;
	struct src_set srcs;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	src_set_init(&srcs);
	diag_list_init(&diags);
	assert_int_equal(def_load(path, &srcs, &diags, d), 0);
	diag_list_release(&diags);
	src_set_release(&srcs);
}

static int
use(struct container_store *st, const struct container_def *d,
    const char *name, int recreate, enum container_use_how *how,
    struct sbox_err *err)
{
	struct container_use_opts o = { name, tmpdir, recreate, 0 };
	struct container_info ci = CONTAINER_INFO_INIT;
	int rc = container_use_def(st, d, &o, &ci, how, err);

	container_info_release(&ci);
	return rc;
}

/* What becomes of a container once a launch is over (fresh.c). */
static void
test_settle_decide(void **state)
{
	(void)state;
	/* a program ran: an ordinary container, whoever made it */
	for (int made = 0; made < 2; made++)
		for (int fresh = 0; fresh < 2; fresh++)
			for (int used = 0; used < 2; used++)
				assert_int_equal(container_settle_decide(
					made, 1, fresh, used),
					CONTAINER_SETTLE_RAN);
	/* never ran: removed only when made here, still fresh, unused */
	assert_int_equal(container_settle_decide(1, 0, 1, 0),
			 CONTAINER_SETTLE_DISCARD);
	assert_int_equal(container_settle_decide(0, 0, 1, 0),
			 CONTAINER_SETTLE_KEEP);
	assert_int_equal(container_settle_decide(1, 0, 0, 0),
			 CONTAINER_SETTLE_KEEP);
	assert_int_equal(container_settle_decide(1, 0, 1, 1),
			 CONTAINER_SETTLE_KEEP);
	assert_int_equal(container_settle_decide(0, 0, 0, 1),
			 CONTAINER_SETTLE_KEEP);
}

static int
has_mark(const char *name)
{
	char path[600];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s/" CONTAINER_NEW_MARK, storedir,
		 name);
	return lstat(path, &sb) == 0;
}

/*
 * container_discard_new: a fresh container made by a failed launch goes,
 * its seal record with it; one another launch holds, or one a program
 * ran in, stays.
 */
static void
test_discard_new(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct container_info other = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	enum container_use_how how;
	struct container_use_opts o = { "f", tmpdir, 0, 0 };
	struct container_def d;
	char text[400], *line = NULL;

	(void)state;
	open_store(&st);
	snprintf(text, sizeof(text), "{\"name\":\"f\",\"template\":\"%s\"}",
		 tpldir);
	load_def("f.json", text, &d);

	/* made by the launch, held by it alone: removed */
	assert_int_equal(container_use_def(&st, &d, &o, &ci, &how, &err), 0);
	assert_int_equal(how, CONTAINER_CREATED);
	assert_true(has_mark("f"));
	assert_int_equal(container_hold(&st, &ci, &err), 0);
	assert_int_equal(seal_record_read(&st, "f", &line, &err), 0);
	assert_non_null(line);
	free(line);
	assert_int_equal(container_discard_new(&st, &ci, &err), 1);
	assert_int_equal(ci.hold_fd, -1);
	container_info_release(&ci);
	assert_int_equal(container_find(&st, "f", &ci, &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	assert_int_equal(seal_record_read(&st, "f", &line, &err), 0);
	assert_null(line);
	sh("cd '%s' && ! ls -A | grep -q -e '^f$' -e '^\\.rm-f-'", storedir);

	/* another launch holds it: kept, still fresh */
	assert_int_equal(container_use_def(&st, &d, &o, &ci, &how, &err), 0);
	assert_int_equal(container_hold(&st, &ci, &err), 0);
	assert_int_equal(container_find(&st, "f", &other, &err), 0);
	assert_int_equal(container_hold(&st, &other, &err), 0);
	assert_int_equal(container_discard_new(&st, &ci, &err), 0);
	container_info_release(&ci);
	assert_true(has_mark("f"));

	/* ... and ran its program: an ordinary container, kept */
	container_ran(&st, &other);
	assert_false(has_mark("f"));
	container_info_release(&other);
	assert_int_equal(container_find(&st, "f", &ci, &err), 0);
	assert_int_equal(container_discard_new(&st, &ci, &err), 0);
	container_info_release(&ci);
	assert_int_equal(container_find(&st, "f", &ci, &err), 0);
	container_info_release(&ci);
	assert_int_equal(container_remove(&st, "f", &err), 0);

	/* the maker removed it before this hold: NOTFOUND, made anew */
	assert_int_equal(container_use_def(&st, &d, &o, &ci, &how, &err), 0);
	assert_int_equal(container_find(&st, "f", &other, &err), 0);
	assert_int_equal(container_discard_new(&st, &ci, &err), 1);
	container_info_release(&ci);
	assert_int_equal(container_hold(&st, &other, &err), -1);
	assert_int_equal(err.code, SBOX_E_NOTFOUND);
	container_info_release(&other);

	def_release(&d);
	container_store_release(&st);
}

/* container_use_def: what runs is the definition as it is now. */
static void
test_use_def(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	enum container_use_how how;
	struct container_def a, b;
	char text[600], other[400], *json;
	size_t len;

	(void)state;
	open_store(&st);
#define DEF(net, tpl) (snprintf(text, sizeof(text), "{\"name\":\"u\"," \
		       "\"network\":\"%s\",\"template\":\"%s\"}", net, tpl), text)
	load_def("u.json", DEF("none", tpldir), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_CREATED);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_USED);
	def_release(&a);

	/* the same file, edited: the stored policy follows */
	load_def("u.json", DEF("all", tpldir), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_UPDATED);
	assert_int_equal(container_read_definition(&st, "u", &json, &len, &err), 0);
	assert_non_null(strstr(json, "\"all\""));
	free(json);

	/* another file, another policy, same name: refused */
	load_def("v.json", DEF("localhost", tpldir), &b);
	assert_int_equal(use(&st, &b, NULL, 0, &how, &err), -1);
	assert_int_equal(err.code, SBOX_E_EXISTS);
	assert_non_null(strstr(err.msg, "belongs to another definition file"));
	assert_int_equal(use(&st, &b, "u2", 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_CREATED);
	def_release(&b);

	/* a template change needs a new container */
	def_release(&a);
	sh("mkdir -p '%s/tpl2'", tmpdir);
	snprintf(other, sizeof(other), "%s/tpl2", tmpdir);
	load_def("u.json", DEF("all", other), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), -1);
	assert_non_null(strstr(err.msg, "--recreate"));
	assert_int_equal(use(&st, &a, NULL, 1, &how, &err), 0);
	assert_int_equal(how, CONTAINER_RECREATED);
#undef DEF

	/* tampering is refused, by name and by file */
	sh("sed -i 's/all/none/' '%s/store/u/definition.json'", tmpdir);
	assert_int_equal(container_read_definition(&st, "u", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "does not match its seal"));
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), -1);
	def_release(&a);
	container_store_release(&st);
}

static char *
slurp(const char *rel)
{
	char path[600], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = xmalloc((size_t)n + 1);
	text[fread(text, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return text;
}

/* Edit s's definition to "all" and put its plain digest in metadata. */
static void
forge(const char *name)
{
	char cmd[1400];

	snprintf(cmd, sizeof(cmd), "cd '%s/store/%s' && "
		 "sed -i 's/\"t\"/\"t\",\"network\":\"all\"/' definition.json && "
		 "sum=$(sha256sum definition.json | cut -d' ' -f1) && "
		 "sed -i \"s/sha256:[0-9a-f]*/sha256:$sum/\" metadata.plist",
		 tmpdir, name);
	assert_int_equal(system(cmd), 0);
}

/*
 * The seal: a definition edited together with its plain digest is
 * refused; an update killed between its renames is finished only when
 * sbox sealed it; old and foreign seals are told apart.
 */
static void
test_seal(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct container_info ci = CONTAINER_INFO_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	static const char next[] = "{\"name\":\"t\",\"network\":\"all\"}\n";
	enum seal_state s;
	struct seal_key k;
	char *json, *seal, path[400];
	size_t len;
	int cfd;

	(void)state;
	open_store(&st);
	assert_int_equal(make(&st, "s", NULL, &ci, &err), 0);
	container_info_release(&ci);
	assert_int_equal(container_seal_state(&st, "s", &s, &err), 0);
	assert_int_equal(s, SEAL_OK);
	seal = slurp("store/s/definition.seal");
	assert_non_null(seal);
	assert_int_equal(strncmp(seal, "hmac-sha256:", 12), 0);
	assert_int_equal(strlen(seal), 12 + 8 + 1 + 64 + 1);
	free(seal);
	/* the key is private, in a private folder */
	snprintf(path, sizeof(path), "%s/.local/share/sbox/seal/key", tmpdir);
	{
		struct stat sb;

		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		assert_int_equal(sb.st_size, 32);
		*strrchr(path, '/') = '\0';
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0700);
	}

	/* the attack: definition and plain digest edited together */
	forge("s");
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "does not match its seal"));
	assert_non_null(strstr(err.msg, "sbox rm s"));
	assert_int_equal(container_seal_state(&st, "s", &s, &err), 0);
	assert_int_equal(s, SEAL_BAD);
	snprintf(path, sizeof(path), "%s/s.tar", tmpdir);
	assert_int_equal(container_export(&st, "s", path, &err), -1);
	assert_non_null(strstr(err.msg, "does not match its seal"));
	assert_int_equal(access(path, F_OK), -1);
	/* ... with a forged pending update too: not finished */
	sh("cd '%s/store/s' && printf 'hmac-sha256:00000000:00\\n' > "
	   ".definition.seal.new", tmpdir);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "does not match its seal"));

	/* an update killed after definition.json was renamed: the pending
	 * seal is sbox's, so the reader finishes it, but only once the
	 * record says it is the current one (an update records first) */
	cfd = openat(st.dirfd, "s", O_RDONLY | O_DIRECTORY);
	assert_true(cfd >= 0);
	assert_int_equal(seal_key_get(&st, 0, &k, &err), 0);
	assert_int_equal(seal_write(&st, &k, cfd, ".definition.seal.new", "s",
				    next, strlen(next), &err), 0);
	assert_int_equal(store_write_new(&st, cfd, "definition.json", next,
					 strlen(next), &err), 0);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_int_equal(faccessat(cfd, ".definition.seal.new", F_OK, 0), 0);
	seal = seal_line(&k, "s", next, strlen(next));
	assert_int_equal(seal_record_write(&st, "s", seal, &err), 0);
	free(seal);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), 0);
	assert_string_equal(json, next);
	free(json);
	assert_int_equal(faccessat(cfd, ".definition.seal.new", F_OK, 0), -1);
	assert_int_equal(container_seal_state(&st, "s", &s, &err), 0);
	assert_int_equal(s, SEAL_OK);
	/* a seal of one container does not fit another's definition */
	assert_int_equal(seal_write(&st, &k, cfd, "definition.seal", "other",
				    next, strlen(next), &err), 0);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_int_equal(seal_write(&st, &k, cfd, "definition.seal", "s",
				    next, strlen(next), &err), 0);
	seal_key_wipe(&k);

	/* made before seals: refused by name, with what to do */
	assert_int_equal(unlinkat(cfd, "definition.seal", 0), 0);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "has no seal"));
	assert_non_null(strstr(err.msg, "from its definition file"));
	assert_int_equal(container_seal_state(&st, "s", &s, &err), 0);
	assert_int_equal(s, SEAL_NONE);

	/* sealed with a key since replaced: said so */
	assert_int_equal(seal_key_get(&st, 0, &k, &err), 0);
	assert_int_equal(seal_write(&st, &k, cfd, "definition.seal", "s",
				    next, strlen(next), &err), 0);
	seal_key_wipe(&k);
	sh("cd '%s/.local/share/sbox/seal' && rm key", tmpdir);
	assert_int_equal(seal_key_get(&st, 1, &k, &err), 0);
	seal_key_wipe(&k);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "another key"));
	assert_int_equal(container_seal_state(&st, "s", &s, &err), 0);
	assert_int_equal(s, SEAL_OTHER_KEY);
	/* a key others can read is refused, not used */
	sh("chmod 644 '%s/.local/share/sbox/seal/key'", tmpdir);
	assert_int_equal(container_read_definition(&st, "s", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "private"));
	sh("chmod 600 '%s/.local/share/sbox/seal/key'", tmpdir);
	close(cfd);
	assert_int_equal(container_remove(&st, "s", &err), 0);
	container_store_release(&st);
}

/* Copy the definition and seal of container from (under rel) to to. */
static void
copy_pair(const char *from, const char *to)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "cd '%s' && cp %s/definition.json "
		 "%s/definition.seal %s/", tmpdir, from, from, to);
	assert_int_equal(system(cmd), 0);
}

/*
 * Replay: a sealed pair sbox made earlier (an older version of the same
 * container, or the same name in another store) verifies, but is not the
 * seal recorded for the container now, so it is refused by name and
 * export; a launch of the file repairs it. So does the crash window of an
 * update (record written, container not yet). rm forgets the record.
 */
static void
test_seal_replay(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT, b = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	enum container_use_how how;
	enum seal_state s;
	struct container_def a;
	struct seal_key k;
	char *json, *line, text[600], path[400];
	size_t len;

	(void)state;
	open_store(&st);
#define DEF(net) (snprintf(text, sizeof(text), "{\"name\":\"r\"," \
		  "\"network\":\"%s\",\"template\":\"%s\"}", net, tpldir), text)
	load_def("r.json", DEF("all"), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_CREATED);
	sh("mkdir '%s/old' && cd '%1$s' && cp store/r/definition.json "
	   "store/r/definition.seal old/", tmpdir);
	def_release(&a);
	load_def("r.json", DEF("none"), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_UPDATED);
	sh("mkdir '%s/cur' && cd '%1$s' && cp store/r/definition.seal cur/",
	   tmpdir);
	/* the old, looser pair put back: verifies, but is refused */
	copy_pair("old", "store/r");
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "not the version sbox sealed last"));
	assert_int_equal(container_seal_state(&st, "r", &s, &err), 0);
	assert_int_equal(s, SEAL_STALE);
	snprintf(path, sizeof(path), "%s/r.tar", tmpdir);
	assert_int_equal(container_export(&st, "r", path, &err), -1);
	assert_int_equal(access(path, F_OK), -1);
	/* ... also as a pending update over the current pair */
	sh("cd '%s' && cp cur/definition.seal store/r/ && cp "
	   "old/definition.seal store/r/.definition.seal.new", tmpdir);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), -1);
	assert_int_equal(container_seal_state(&st, "r", &s, &err), 0);
	assert_int_equal(s, SEAL_BAD);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), -1);
	assert_non_null(strstr(err.msg, "does not match its seal"));
	sh("cd '%s/store/r' && mv .definition.seal.new definition.seal",
	   tmpdir);
	/* the file the user names repairs the replayed pair */
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_UPDATED);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), 0);
	assert_non_null(strstr(json, "\"none\""));
	free(json);

	/* the same name's pair from another store */
	snprintf(path, sizeof(path), "%s/storeb", tmpdir);
	assert_int_equal(container_store_open_path(&b, path, &err), 0);
	def_release(&a);
	load_def("r.json", DEF("all"), &a);
	assert_int_equal(use(&b, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(container_read_definition(&b, "r", &json, &len, &err), 0);
	free(json);
	copy_pair("storeb/r", "store/r");
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "not the version sbox sealed last"));
	/* ... taken back by a launch of A's file ("all" is B's: identical
	 * to that file, the user named it) */
	def_release(&a);
	load_def("r.json", DEF("none"), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), 0);
	assert_non_null(strstr(json, "\"none\""));
	free(json);

	/* the crash window: a new seal recorded, the container not updated */
	assert_int_equal(seal_key_get(&st, 0, &k, &err), 0);
	line = seal_line(&k, "r", "{}\n", 3);
	seal_key_wipe(&k);
	assert_int_equal(seal_record_write(&st, "r", line, &err), 0);
	free(line);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "from its definition file"));
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_RESEALED);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), 0);
	free(json);

	/* no record (sealed before records): refused, sealed by the file */
	assert_int_equal(seal_record_read(&st, "r", &line, &err), 0);
	assert_non_null(line);
	free(line);
	seal_record_remove(&st, "r");
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), -1);
	assert_non_null(strstr(err.msg, "no record"));
	assert_non_null(strstr(err.msg, "once from its definition file"));
	assert_int_equal(container_seal_state(&st, "r", &s, &err), 0);
	assert_int_equal(s, SEAL_UNRECORDED);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), 0);
	free(json);
	container_store_release(&st);

	/* another spelling of the store's path finds the same record */
	snprintf(path, sizeof(path), "%s//store/../store", tmpdir);
	assert_int_equal(container_store_open_path(&st, path, &err), 0);
	assert_int_equal(container_read_definition(&st, "r", &json, &len, &err), 0);
	free(json);
	/* rm forgets the record; B's stays */
	assert_int_equal(container_remove(&st, "r", &err), 0);
	assert_int_equal(seal_record_read(&st, "r", &line, &err), 0);
	assert_null(line);
	assert_int_equal(seal_record_read(&b, "r", &line, &err), 0);
	assert_non_null(line);
	free(line);
#undef DEF
	def_release(&a);
	container_store_release(&b);
	container_store_release(&st);
}

/*
 * An update under way records first: a reader by name that sees the new
 * record and the old pair waits for the update (its store lock) and
 * looks again, rather than refusing a container being brought up to date.
 */
static void
test_seal_update_race(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	static const char next[] = "{\"name\":\"t\",\"network\":\"none\"}\n";
	char *json, c;
	size_t len;
	int p[2], status;
	pid_t pid;

	(void)state;
	open_store(&st);
	if (make(&st, "race", NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the updater: lock, record, then the container, slowly */
		struct seal_key k;
		char *line;
		int lk = store_lock(&st, &err), cfd;

		if (lk < 0 || seal_key_get(&st, 0, &k, &err) < 0)
			_exit(1);
		line = seal_line(&k, "race", next, strlen(next));
		if (seal_record_write(&st, "race", line, &err) < 0)
			_exit(1);
		(void)!write(p[1], "x", 1);
		usleep(300000);
		cfd = openat(st.dirfd, "race", O_RDONLY | O_DIRECTORY);
		if (cfd < 0 ||
		    store_write_new(&st, cfd, "definition.json", next,
				    strlen(next), &err) < 0 ||
		    seal_write(&st, &k, cfd, "definition.seal", "race", next,
			       strlen(next), &err) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(container_read_definition(&st, "race", &json, &len, &err), 0);
	assert_string_equal(json, next);
	free(json);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(container_remove(&st, "race", &err), 0);
	container_store_release(&st);
}

/* An unsealed container launched from its very file is sealed. */
static void
test_seal_old_by_file(void **state)
{
	struct container_store st = CONTAINER_STORE_INIT;
	struct sbox_err err = SBOX_ERR_INIT;
	enum container_use_how how;
	enum seal_state s;
	struct container_def a;
	char *json, text[600];
	size_t len;

	(void)state;
	open_store(&st);
#define DEF(net) (snprintf(text, sizeof(text), "{\"name\":\"o\"," \
		  "\"network\":\"%s\",\"template\":\"%s\"}", net, tpldir), text)
	load_def("o.json", DEF("none"), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	sh("rm '%s/store/o/definition.seal'", tmpdir);
	assert_int_equal(container_read_definition(&st, "o", &json, &len, &err), -1);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), 0);
	assert_int_equal(how, CONTAINER_RESEALED);
	assert_int_equal(container_seal_state(&st, "o", &s, &err), 0);
	assert_int_equal(s, SEAL_OK);
	assert_int_equal(container_read_definition(&st, "o", &json, &len, &err), 0);
	free(json);
	/* but not when its file changed since: nothing proves what the
	 * stored copy says of its template and root, which an update
	 * would keep; refused with the command that rebuilds it */
	sh("rm '%s/store/o/definition.seal'", tmpdir);
	def_release(&a);
	load_def("o.json", DEF("all"), &a);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "container 'o' has no seal"));
	assert_non_null(strstr(err.msg, "o.json --name o --recreate"));
	err_clear(&err);
	/* ... nor when sealed with another key */
	sh("printf 'hmac-sha256:00000000:%%064d\\n' 0 "
	   ">'%s/store/o/definition.seal'", tmpdir);
	assert_int_equal(container_seal_state(&st, "o", &s, &err), 0);
	assert_int_equal(s, SEAL_OTHER_KEY);
	assert_int_equal(use(&st, &a, NULL, 0, &how, &err), -1);
	assert_int_equal(err.code, SBOX_E_INVALID);
	assert_non_null(strstr(err.msg, "sealed with another key"));
	assert_non_null(strstr(err.msg, "--name o --recreate"));
	err_clear(&err);
	/* the stored copy stays as it was, unsealed */
	sh("grep -q '\"none\"' '%s/store/o/definition.json'", tmpdir);
	/* the repair it names: rebuilt from the file, sealed */
	assert_int_equal(use(&st, &a, NULL, 1, &how, &err), 0);
	assert_int_equal(how, CONTAINER_RECREATED);
	assert_int_equal(container_read_definition(&st, "o", &json, &len, &err), 0);
	assert_non_null(strstr(json, "\"all\""));
	free(json);
#undef DEF
	def_release(&a);
	container_store_release(&st);
}

/* Which seal states vouch for the template and root a copy names. */
static void
test_seal_vouches(void **state)
{
	(void)state;
	assert_true(seal_vouches_for_build(SEAL_OK));
	assert_true(seal_vouches_for_build(SEAL_STALE));
	assert_true(seal_vouches_for_build(SEAL_UNRECORDED));
	assert_false(seal_vouches_for_build(SEAL_NONE));
	assert_false(seal_vouches_for_build(SEAL_OTHER_KEY));
	assert_false(seal_vouches_for_build(SEAL_NO_KEY));
	assert_false(seal_vouches_for_build(SEAL_BAD));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_store_private),
		cmocka_unit_test(test_create_lookup),
		cmocka_unit_test(test_failed_create_leaves_nothing),
		cmocka_unit_test(test_leftovers_cleared),
		cmocka_unit_test(test_list_hold_remove),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_home_links),
		cmocka_unit_test(test_root_and_roundtrip),
		cmocka_unit_test(test_import_garbage),
		cmocka_unit_test(test_use_def),
		cmocka_unit_test(test_settle_decide),
		cmocka_unit_test(test_discard_new),
		cmocka_unit_test(test_seal),
		cmocka_unit_test(test_seal_old_by_file),
		cmocka_unit_test(test_seal_vouches),
		cmocka_unit_test(test_seal_replay),
		cmocka_unit_test(test_seal_update_race),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
