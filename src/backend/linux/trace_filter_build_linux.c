/*
 * The observing filter of `--trace`, built by libseccomp at build time
 * (tools/gen-trace-filter.c), as the enforcing filter is (see
 * seccomp_linux.h). Every call not listed, and every other architecture,
 * is SECCOMP_RET_ALLOW here: the enforcing filter below it decides those.
 */
#include "backend/linux/trace_filter_linux.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/*
 * glibc's fstat() is newfstatat(fd, "", buf, AT_EMPTY_PATH), and statx
 * on a descriptor alike: no path to refuse, and the commonest call after
 * every open. Those go on without a stop (a path given with the flag
 * anyway is looked up but not seen: a record lost, never an access).
 */
static int
add_stat_rule(scmp_filter_ctx ctx, int nr, unsigned flags_arg)
{
	struct scmp_arg_cmp no_empty_path = {
		flags_arg, SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0,
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1,
				      &no_empty_path);
}

/*
 * futimens(3) is utimensat(fd, NULL, ...): no path at all, so nothing a
 * definition refuses by name (the supervisor could not name it either).
 * A NULL pointer is provable from the argument alone, unlike an empty
 * string, which only the caller's memory shows.
 */
static int
add_path_rule(scmp_filter_ctx ctx, int nr, unsigned path_arg)
{
	struct scmp_arg_cmp has_path = { path_arg, SCMP_CMP_NE, 0, 0 };

	return seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1, &has_path);
}

static int
add_rules(scmp_filter_ctx ctx)
{
	for (const char *const *name = trace_filter_calls; *name; name++) {
		int nr = seccomp_syscall_resolve_name(*name), rc;

		if (nr == __NR_SCMP_ERROR)
			continue;  /* not on this architecture */
		if (!strcmp(*name, "newfstatat"))
			rc = add_stat_rule(ctx, nr, 3);
		else if (!strcmp(*name, "statx"))
			rc = add_stat_rule(ctx, nr, 2);
		else if (!strcmp(*name, "utimensat"))
			rc = add_path_rule(ctx, nr, 1);
		else
			rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
export_program(scmp_filter_ctx ctx, struct seccomp_bpf *out)
{
	int pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	/* a few hundred instructions: fits in the pipe */
	if (seccomp_export_bpf(ctx, pfd[1]) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	close(pfd[1]);
	rc = seccomp_bpf_read(pfd[0], out);
	close(pfd[0]);
	return rc;
}

int
trace_filter_build(struct seccomp_bpf *out, struct sbox_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int ret = 0;

	out->insns = NULL;
	out->len = 0;
	if (!ctx)
		return err_set(err, SBOX_E_INTERNAL, "seccomp_init failed");
	/* other architectures: the enforcing filter kills them */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW) < 0 ||
	    add_rules(ctx) < 0 || export_program(ctx, out) < 0)
		ret = err_set(err, SBOX_E_INTERNAL,
			      "cannot build the trace filter");
	seccomp_release(ctx);
	return ret;
}
