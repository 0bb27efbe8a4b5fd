/*
 * What runs in which container, for `sbox ps`: every launch writes a
 * record .sbox-running.<pid> (its start time and command line) in the
 * container's folder while its program runs, and removes it at the end.
 * It goes with the container (rm, a run's removal) and is never exported
 * (export takes metadata, definition, Data/ and root/ only). A record
 * whose process is gone (sbox was killed) is stale: listing deletes it.
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

#define RUNNING_PREFIX ".sbox-running."

static char *
record_path(const char *name, long pid)
{
	return xasprintf("%s/" RUNNING_PREFIX "%ld", name, pid);
}

int
container_running_add(const struct container_store *st, const char *name,
		      char *const *argv, struct sbox_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *file = xasprintf(RUNNING_PREFIX "%ld", (long)getpid());
	int cfd = openat(st->dirfd, name,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = -1;

	if (cfd < 0) {
		err_sys(err, "cannot open container '%s'", name);
		goto out;
	}
	strbuf_addf(&sb, "%lld\n", (long long)time(NULL));
	for (size_t i = 0; argv && argv[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	strbuf_addch(&sb, '\n');
	rc = fs_write_file(cfd, file, sb.buf, sb.len, 0600, err);
	close(cfd);
out:
	strbuf_release(&sb);
	free(file);
	return rc;
}

void
container_running_remove(const struct container_store *st, const char *name)
{
	char *file = record_path(name, (long)getpid());

	(void)unlinkat(st->dirfd, file, 0);
	free(file);
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
	r->started = strtoll(buf, NULL, 10);
	nl = strchr(buf, '\n');
	r->command = xstrdup(nl ? nl + 1 : "");
	nl = strchr(r->command, '\n');
	if (nl)
		*nl = '\0';
}

/* The live records of one container, appended to out. */
static void
container_records(struct container_store *st, const char *name,
		  struct container_run_list *out)
{
	int cfd = openat(st->dirfd, name,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = cfd >= 0 ? fdopendir(cfd) : NULL;
	struct dirent *e;

	if (!d) {
		if (cfd >= 0)
			close(cfd);
		return;
	}
	while ((e = readdir(d))) {
		struct container_run r;
		char *end;

		if (strncmp(e->d_name, RUNNING_PREFIX, strlen(RUNNING_PREFIX)))
			continue;
		memset(&r, 0, sizeof(r));
		r.pid = strtol(e->d_name + strlen(RUNNING_PREFIX), &end, 10);
		if (*end || r.pid <= 0)
			continue;
		if (!alive(r.pid)) {
			(void)unlinkat(dirfd(d), e->d_name, 0);  /* stale */
			continue;
		}
		r.name = xstrdup(name);
		read_record(dirfd(d), e->d_name, &r);
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = r;
	}
	closedir(d);
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
	struct container_list l = { 0 };

	memset(out, 0, sizeof(*out));
	if (container_list_all(st, &l, err) < 0)
		return -1;
	for (size_t i = 0; i < l.nr; i++)
		container_records(st, l.v[i].name, out);
	container_list_release(&l);
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
