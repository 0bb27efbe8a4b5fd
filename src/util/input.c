#include "util/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/strbuf.h"

const char *
input_kind_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a folder";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symlink";
	default: return "an unknown kind of file";
	}
}

static const char *
wanted(unsigned kinds)
{
	if (kinds == INPUT_FILE)
		return "a regular file";
	if (kinds == INPUT_DIR)
		return "a folder";
	return "a regular file or a folder";
}

int
input_open(const char *path, unsigned kinds, struct stat *st,
	   struct sbox_err *err)
{
	/* O_NONBLOCK: opening a FIFO with no writer returns at once */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int ok;

	if (fd < 0)
		return err_sys(err, "cannot read '%s'", path);
	if (fstat(fd, st) < 0) {
		err_sys(err, "cannot stat '%s'", path);
		close(fd);
		return -1;
	}
	ok = ((kinds & INPUT_FILE) && S_ISREG(st->st_mode)) ||
	     ((kinds & INPUT_DIR) && S_ISDIR(st->st_mode));
	if (!ok) {
		err_set(err, SBOX_E_INVALID, "'%s' is %s, not %s", path,
			input_kind_name(st->st_mode), wanted(kinds));
		err->sys_errno = EINVAL;
		close(fd);
		return -1;
	}
	/* a regular file never blocks; reads must not see EAGAIN either */
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int
input_read(const char *path, size_t max, char **text, size_t *len,
	   struct sbox_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char buf[65536];
	int fd = input_open(path, INPUT_FILE, &st, err);

	if (fd < 0)
		return -1;
	if ((unsigned long long)st.st_size > max)
		goto too_big;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_sys(err, "cannot read '%s'", path);
			goto fail;
		}
		if (n == 0)
			break;
		/* the file may grow after fstat (procfs reports size 0) */
		if (sb.len + (size_t)n > max)
			goto too_big;
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	*text = strbuf_detach(&sb);
	return 0;
too_big:
	err_set(err, SBOX_E_INVALID, "'%s' is larger than %zu bytes, the "
		"limit for this kind of file", path, max);
	err->sys_errno = EFBIG;
fail:
	close(fd);
	strbuf_release(&sb);
	return -1;
}
