/*
 * What runs in which container, for `sbox ps`: every launch writes a
 * record <store>/.running/<container>.<pid> (its start time and command
 * line) while its program runs, and removes it at the end. A record whose
 * process is gone (sbox was killed) is stale: listing skips and deletes
 * it. The store's lock files and leftovers are unaffected (entries
 * starting with '.' are the store's own).
 */
#include "container/container.h"
#include "container/internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RUNNING_DIR ".running"

static int
running_dir(const struct container_store *st)
{
	if (mkdirat(st->dirfd, RUNNING_DIR, 0700) < 0 && errno != EEXIST)
		return -1;
	return openat(st->dirfd, RUNNING_DIR,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int
container_running_add(const struct container_store *st, const char *name,
		      char *const *argv, struct sbox_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *file = xasprintf("%s.%ld", name, (long)getpid());
	int dfd = running_dir(st), rc = -1;

	if (dfd < 0) {
		err_sys(err, "cannot record the launch in '%s/%s'", st->path,
			RUNNING_DIR);
		goto out;
	}
	strbuf_addf(&sb, "%lld\n", (long long)time(NULL));
	for (size_t i = 0; argv && argv[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	strbuf_addch(&sb, '\n');
	rc = fs_write_file(dfd, file, sb.buf, sb.len, 0600, err);
	close(dfd);
out:
	strbuf_release(&sb);
	free(file);
	return rc;
}

void
container_running_remove(const struct container_store *st, const char *name)
{
	char *file = xasprintf(RUNNING_DIR "/%s.%ld", name, (long)getpid());

	(void)unlinkat(st->dirfd, file, 0);
	free(file);
}

/* "<name>.<pid>" -> name (heap) and pid, or NULL */
static char *
split_record(const char *entry, long *pid)
{
	const char *dot = strrchr(entry, '.');
	char *end;

	if (!dot || dot == entry)
		return NULL;
	*pid = strtol(dot + 1, &end, 10);
	if (*end || *pid <= 0)
		return NULL;
	return xstrndup(entry, (size_t)(dot - entry));
}

static int
alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static void
read_record(int dfd, const char *entry, struct container_run *r)
{
	char buf[4096];
	int fd = openat(dfd, entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	char *nl;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	r->started = strtoll(buf, &nl, 10);
	nl = strchr(buf, '\n');
	r->command = xstrdup(nl ? nl + 1 : "");
	nl = strchr(r->command, '\n');
	if (nl)
		*nl = '\0';
}

static int
cmp_run(const void *a, const void *b)
{
	const struct container_run *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

int
container_running_list(struct container_store *st,
		       struct container_run_list *out, struct sbox_err *err)
{
	int dfd = openat(st->dirfd, RUNNING_DIR,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	memset(out, 0, sizeof(*out));
	if (dfd < 0)
		return errno == ENOENT ? 0 :
		       err_sys(err, "cannot read '%s/%s'", st->path, RUNNING_DIR);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return err_sys(err, "cannot read '%s/%s'", st->path, RUNNING_DIR);
	}
	while ((e = readdir(d))) {
		struct container_run r;
		char *name;

		memset(&r, 0, sizeof(r));
		if (e->d_name[0] == '.' || !(name = split_record(e->d_name, &r.pid)))
			continue;
		if (!alive(r.pid)) {
			(void)unlinkat(dfd, e->d_name, 0);  /* stale */
			free(name);
			continue;
		}
		r.name = name;
		read_record(dfd, e->d_name, &r);
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = r;
	}
	closedir(d);
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), cmp_run);
	return 0;
}

void
container_run_list_release(struct container_run_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->v[i].name);
		free(l->v[i].command);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
