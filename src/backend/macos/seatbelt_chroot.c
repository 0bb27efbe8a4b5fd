/*
 * Whether a chroot can start the program on this Mac, decided in the
 * parent before anything is created (backend/macos/seatbelt.h).
 *
 * Since macOS 11 the system libraries exist only in the dyld shared cache,
 * the shared region is per root directory, and with System Integrity
 * Protection's filesystem protection on the kernel maps a cache file only
 * when it carries SF_RESTRICTED, which no copy inside a chroot can have
 * (apple-oss-distributions/xnu bsd/vm/vm_unix.c,
 * shared_region_map_and_slide_setup; osfmk/vm/vm_shared_region.c): every
 * dynamically linked program dies in dyld (darwin-containers/darwin-jail
 * issue 2). It works on 10.15 and earlier (dylibs are files dyld loads
 * one by one), with SIP's filesystem protection off
 * (csr_check(CSR_ALLOW_UNRESTRICTED_FS) == 0: xnu bsd/kern/kern_csr.c),
 * and for programs that need no dyld at all.
 */
#include "backend/macos/seatbelt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/macos/macho.h"
#include "util/xalloc.h"

/*
 * "10.16" is what macOS 11 and later report to programs in version
 * compatibility mode (SYSTEM_VERSION_COMPAT, old SDKs): it means 11+.
 */
static int
parse_major(const char *v, int *minor)
{
	char *end;
	long major;

	*minor = 0;
	if (!v || *v < '0' || *v > '9')
		return 0;
	major = strtol(v, &end, 10);
	if (*end == '.')
		*minor = (int)strtol(end + 1, NULL, 10);
	return major > 0 && major < 1000 ? (int)major : 0;
}

int
seatbelt_macos_major(const char *product_version)
{
	int minor, major = parse_major(product_version, &minor);

	return major == 10 && minor >= 16 ? 11 : major;
}

/* Darwin 20 is macOS 11; below it, 10.x (xnu's version numbering). */
static int
release_is_modern(const struct seatbelt_chroot_facts *f)
{
	if (f->macos_major == 0 && f->darwin_major == 0)
		return 1;   /* unknown: the strict answer */
	return f->macos_major >= 11 || f->darwin_major >= 20;
}

enum seatbelt_chroot_verdict
seatbelt_chroot_decide(const struct seatbelt_chroot_facts *f)
{
	if (!release_is_modern(f))
		return SEATBELT_CHROOT_OK_OLD_RELEASE;
	if (f->sip == SEATBELT_SIP_FS_OFF)
		return SEATBELT_CHROOT_OK_SIP_OFF;
	if (f->link == MACHO_STATIC)
		return SEATBELT_CHROOT_OK_STATIC;
	return SEATBELT_CHROOT_REFUSE;
}

/* ---- facts from the host ------------------------------------------ */

static void
host_release(const struct darwin_sys *sys, struct seatbelt_chroot_facts *f,
	     char *product, size_t n)
{
	char rel[64];
	int minor;

	product[0] = 0;
	if (sys->sysctl_string(sys->ctx, "kern.osproductversion", product,
			       n) < 0)
		product[0] = 0;
	f->macos_major = seatbelt_macos_major(product);
	if (sys->sysctl_string(sys->ctx, "kern.osrelease", rel,
			       sizeof(rel)) < 0)
		rel[0] = 0;
	f->darwin_major = parse_major(rel, &minor);
}

struct root_file {
	const struct darwin_sys *sys;
	const char *path;
};

static ssize_t
root_file_read(void *arg, uint64_t off, void *buf, size_t n)
{
	const struct root_file *rf = arg;

	return rf->sys->pread_file(rf->sys->ctx, rf->path, buf, n, off);
}

/* root + in-root path; relative paths are relative to the workdir. */
static char *
host_path(const struct seatbelt_plan *plan, const char *p, size_t len)
{
	const char *root = strcmp(plan->chroot_dir, "/") ? plan->chroot_dir : "";

	if (len && p[0] == '/')
		return xasprintf("%s%.*s", root, (int)len, p);
	return xasprintf("%s%s/%.*s", root,
			 strcmp(plan->workdir, "/") ? plan->workdir : "",
			 (int)len, p);
}

static int
readable(const struct darwin_sys *sys, const char *path)
{
	char c;

	return sys->pread_file(sys->ctx, path, &c, 1, 0) >= 0;
}

/* The program as execve will find it inside the root, or NULL. */
static char *
program_in_root(const struct darwin_sys *sys, const struct seatbelt_plan *plan)
{
	const char *prog = plan->argv[0], *path, *p;

	if (strchr(prog, '/')) {
		char *host = host_path(plan, prog, strlen(prog));

		if (readable(sys, host))
			return host;
		free(host);
		return NULL;
	}
	path = seatbelt_env_get(plan->envp, "PATH");
	for (p = path ? path : ""; *p; p += *p == ':') {
		size_t n = strcspn(p, ":");
		char *dir = host_path(plan, p, n);
		char *cand = xasprintf("%s/%s", dir, prog);

		free(dir);
		p += n;
		if (readable(sys, cand))
			return cand;
		free(cand);
	}
	return NULL;
}

/*
 * A "#!" script is as static as its interpreter; the kernel takes one
 * level of interpreter (xnu bsd/kern/kern_exec.c, exec_shell_imgact).
 */
static enum macho_link
program_linkage(const struct darwin_sys *sys, const struct seatbelt_plan *plan,
		const char *path, int depth)
{
	struct root_file rf = { sys, path };
	char head[256];
	ssize_t n = sys->pread_file(sys->ctx, path, head, sizeof(head) - 1, 0);
	enum macho_link link;

	if (n >= 2 && head[0] == '#' && head[1] == '!' && depth == 0) {
		char *s = head + 2, *interp;
		size_t len;

		head[n] = 0;
		s += strspn(s, " \t");
		len = strcspn(s, " \t\r\n");
		if (!len)
			return MACHO_NOT_MACHO;
		interp = host_path(plan, s, len);
		link = program_linkage(sys, plan, interp, depth + 1);
		free(interp);
		return link;
	}
	return macho_linkage(root_file_read, &rf);
}

static int
refuse(const struct seatbelt_plan *plan, const char *name,
       const struct seatbelt_chroot_facts *f, const char *product,
       const char *why, struct sbox_err *err)
{
	char rel[96];

	if (product[0])
		snprintf(rel, sizeof(rel), "macOS %s", product);
	else if (f->darwin_major)
		snprintf(rel, sizeof(rel), "macOS 11 or later (Darwin %d)",
			 f->darwin_major);
	else
		snprintf(rel, sizeof(rel), "this macOS (release unknown, "
			 "taken as 11 or later)");
	return err_set(err, SBOX_E_UNSUPPORTED,
		       "container '%s' has a root filesystem, but on %s with "
		       "System Integrity Protection %s a chroot cannot start "
		       "'%s' (%s): since macOS 11 the system libraries exist "
		       "only in the dyld shared cache, and the kernel does not "
		       "map a copy of it into a chroot. Use a statically "
		       "linked program, turn SIP's filesystem protection off "
		       "(csrutil enable --without fs, from Recovery), or remove "
		       "\"root\" from the definition", name, rel,
		       f->sip == SEATBELT_SIP_FS_ON ? "on" :
		       "(state unknown, taken as on)", plan->argv[0], why);
}

int
seatbelt_chroot_check(const struct darwin_sys *sys,
		      const struct launch_request *req,
		      const struct seatbelt_plan *plan, struct sbox_err *err)
{
	struct seatbelt_chroot_facts f;
	char product[64];
	char *prog;
	const char *name = req->def && req->def->name ? req->def->name : "?";

	if (!plan->chroot_dir)
		return 0;
	memset(&f, 0, sizeof(f));
	/* Each fact only when the ones before leave the answer open. */
	host_release(sys, &f, product, sizeof(product));
	f.sip = SEATBELT_SIP_FS_ON;
	f.link = MACHO_DYNAMIC;    /* the worst cases, until looked at */
	if (seatbelt_chroot_decide(&f) != SEATBELT_CHROOT_REFUSE)
		return 0;
	f.sip = sys->sip_fs(sys->ctx);
	if (seatbelt_chroot_decide(&f) != SEATBELT_CHROOT_REFUSE)
		return 0;
	prog = program_in_root(sys, plan);
	if (!prog)
		return refuse(plan, name, &f, product,
			      "it is not in the root filesystem", err);
	f.link = program_linkage(sys, plan, prog, 0);
	free(prog);
	if (seatbelt_chroot_decide(&f) != SEATBELT_CHROOT_REFUSE)
		return 0;
	return refuse(plan, name, &f, product, macho_link_name(f.link), err);
}
