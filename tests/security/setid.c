/*
 * Tries, from inside a container, every way to leave a set-id file or a
 * file capability in the writable folder DIR (issue 10 #2). One line per
 * try: "<id> ALLOWED" or "<id> BLOCKED <errno>"; the script then checks
 * the host side. Built by tests/security/t0530-setid.sh; not part of sbox.
 *   setid try DIR      every attempt
 *   setid check DIR    on the host: "setid FILE" / "fcap FILE" per finding
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *D;

static const char *
p(const char *rel)
{
	static char buf[4][4096];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", D, rel);
	return buf[i];
}

static void
report(const char *id, int rc)
{
	if (rc < 0)
		printf("%s BLOCKED %s\n", id, strerrorname_np(errno));
	else
		printf("%s ALLOWED\n", id);
	fflush(stdout);
}

static int
plain(const char *rel)
{
	int fd = open(p(rel), O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int
fd_rc(int fd)
{
	return fd < 0 ? -1 : close(fd);
}

static void
try_all(void)
{
	struct open_how how;
	/* VFS_CAP_REVISION_2 with CAP_SETUID permitted and effective */
	unsigned int cap[5] = { 0x02000001, 1u << 7, 0, 0, 0 };
	int fd;

	report("control-chmod-0755", plain("c") < 0 ? -1 : chmod(p("c"), 0700));
	plain("a");
	report("chmod-4755", chmod(p("a"), 04755));
	report("chmod-2755", chmod(p("a"), 02755));
	fd = open(p("a"), O_RDONLY);
	report("fchmod-4755", fchmod(fd, 04755));
	report("fchmodat-6755", fchmodat(AT_FDCWD, p("a"), 06755, 0));
	report("fchmodat2-4755",
	       (int)syscall(452, AT_FDCWD, p("a"), 04755, 0));
	close(fd);
	report("open-creat-4755", fd_rc(open(p("o"), O_WRONLY | O_CREAT, 04755)));
	report("openat-creat-2755",
	       fd_rc(openat(AT_FDCWD, p("oa"), O_WRONLY | O_CREAT, 02755)));
	memset(&how, 0, sizeof(how));
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 04755;
	report("openat2-creat-4755",
	       fd_rc((int)syscall(SYS_openat2, AT_FDCWD, p("o2"), &how,
				  sizeof(how))));
	report("creat-4755", fd_rc(creat(p("cr"), 04755)));
	report("mknod-4755", mknod(p("mn"), S_IFREG | 04755, 0));
	report("mknodat-2755", mknodat(AT_FDCWD, p("mna"), S_IFREG | 02755, 0));
	plain("cap");
	report("setxattr-capability",
	       setxattr(p("cap"), "security.capability", cap, 20, 0));
	fd = open(p("cap"), O_RDONLY);
	report("fsetxattr-capability",
	       fsetxattr(fd, "security.capability", cap, 20, 0));
	close(fd);
	report("lsetxattr-capability",
	       lsetxattr(p("cap"), "security.capability", cap, 20, 0));
}

/* Host side: every set-id file and file capability under DIR. */
static int
check(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 1;
	while ((de = readdir(d))) {
		char path[4096], val[64];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found += check(path);
			continue;
		}
		if (st.st_mode & (S_ISUID | S_ISGID)) {
			printf("setid %s %o\n", path, (unsigned)st.st_mode);
			found++;
		}
		if (lgetxattr(path, "security.capability", val, sizeof(val)) >= 0) {
			printf("fcap %s\n", path);
			found++;
		}
	}
	closedir(d);
	return found;
}

int
main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	D = argv[2];
	if (!strcmp(argv[1], "check"))
		return check(D) ? 1 : 0;
	umask(0);
	try_all();
	return 0;
}
