/*
 * Is a program running in a container? Every launch holds a shared lock
 * on the container's folder (container_hold) for as long as its program
 * runs; a probe that cannot take the exclusive lock found one.
 */
#include "container/container.h"
#include "container/internal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int
container_in_use(struct container_store *st, const struct container_info *ci)
{
	int fd = openat(st->dirfd, ci->name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int busy;

	if (fd < 0)
		return 0;
	busy = fs_flock(fd, LOCK_EX | LOCK_NB) < 0;
	close(fd); /* drops the probe's lock, if it got one */
	return busy;
}
