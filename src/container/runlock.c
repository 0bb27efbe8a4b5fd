/*
 * Ephemeral containers (sbox run) and their run lock. The run can end in
 * ways that leave it no chance to remove its container (kill -9, a signal
 * during the set-up, a crash), so the container carries a ".sbox-run"
 * file, flock()ed exclusively from before the container has its name
 * until the run is over. The descriptor is inherited by the container's
 * init, so the lock lasts while anything of the run is alive. Every store
 * opening removes the ephemeral containers whose lock it can take: their
 * run is gone. A live run's container is never touched.
 */
#include "container/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/xalloc.h"

#define RUN_LOCK ".sbox-run"
/* only names sbox run gives are looked at: "<name>-run-<12 hex>" */

int
store_run_mark(int cfd, struct sbox_err *err)
{
	int fd = openat(cfd, RUN_LOCK, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, 0600);

	if (fd < 0)
		return err_sys(err, "cannot create the run lock");
	if (fs_flock(fd, LOCK_EX) < 0) {
		close(fd);
		return err_sys(err, "cannot take the run lock");
	}
	return fd;
}

int
container_run_keep(struct container_store *st, const char *name,
		   struct sbox_err *err)
{
	int cfd = fs_open_dir(st->dirfd, name, err);
	int rc = 0;

	if (cfd < 0)
		return -1;
	if (unlinkat(cfd, RUN_LOCK, 0) < 0 && errno != ENOENT)
		rc = err_sys(err, "cannot keep container '%s'", name);
	close(cfd);
	return rc;
}

/* Is name an ephemeral container whose run is over? */
static int
run_is_over(const struct container_store *st, const char *name)
{
	int cfd, fd, over;

	if (name[0] == '.' || !strstr(name, RUN_INFIX))
		return 0;
	cfd = openat(st->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		     O_CLOEXEC);
	if (cfd < 0)
		return 0;
	fd = openat(cfd, RUN_LOCK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
	close(cfd);
	if (fd < 0)
		return 0;
	over = fs_flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return over;
}

void
store_reap_runs(struct container_store *st)
{
	int dfd = dup(st->dirfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (run_is_over(st, de->d_name)) {
			ALLOC_GROW(names, nr + 1, alloc);
			names[nr++] = xstrdup(de->d_name);
		}
	closedir(d);
	for (size_t i = 0; i < nr; i++) {
		struct sbox_err ignored = SBOX_ERR_INIT;

		/* refuses by itself if something holds the container */
		(void)container_remove(st, names[i], &ignored);
		free(names[i]);
	}
	free(names);
}
