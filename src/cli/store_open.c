/*
 * The store, opened for a command, and the refusal to nest: a program in
 * an sbox container cannot reach any store (every store is denied inside,
 * README "Where containers live"), and containers do not nest, so sbox
 * inside one says so and exits 3 instead of failing on the store.
 *
 * Detection (Linux): the container's pid 1 is sbox's own init, which the
 * program can neither rename nor replace, and every process inside has
 * no_new_privs. Either marker alone could be a coincidence on a host
 * (a host's pid 1 is not sbox; many tools set no_new_privs); together
 * they are not. SBOX_CONTAINER in the environment also counts (macOS
 * sets it; the program could unset it, which only brings back the
 * store's own error, exit 3 as well: see cli_store_open).
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container.h"

static int
read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int
status_says(const char *key_value)
{
	char buf[4096];

	return read_small("/proc/self/status", buf, sizeof(buf)) == 0 &&
	       strstr(buf, key_value) != NULL;
}

int
cli_inside_container(void)
{
	char comm[64];

	if (getenv("SBOX_CONTAINER") && *getenv("SBOX_CONTAINER"))
		return 1;
	if (getpid() == 1 || read_small("/proc/1/comm", comm, sizeof(comm)) < 0)
		return 0;
	return !strncmp(comm, "sbox", 4) && status_says("\nNoNewPrivs:\t1");
}

int
cli_store_open(struct container_store *st, struct sbox_err *err)
{
	if (cli_inside_container())
		return err_set(err, SBOX_E_UNSUPPORTED, "sbox runs inside an "
			       "sbox container: containers do not nest, and no "
			       "container can reach a store");
	if (container_store_open(st, err) == 0)
		return 0;
	/* a sandbox of another kind (or a marker removed): still exit 3 */
	if ((err->sys_errno == EACCES || err->sys_errno == EPERM ||
	     err->sys_errno == EROFS) && status_says("\nNoNewPrivs:\t1")) {
		err_wrap(err, "sbox seems to run inside a sandbox, which "
			 "cannot reach the store");
		err->code = SBOX_E_UNSUPPORTED;
	}
	return -1;
}

void
cli_store_reopen(struct container_store *st)
{
	struct sbox_err err = SBOX_ERR_INIT;

	container_store_release(st);
	(void)container_store_open(st, &err);
}
