/*
 * The classic-BPF interpreter `--trace` runs on refused calls
 * (src/backend/linux/seccomp_eval_linux.c) gives the kernel's answer: each
 * program sbox loads (the three enforcing ones, and the joined program of
 * a traced launch) is installed for real in a forked child, with every
 * return changed to a distinct errno (its instruction's index), so that
 * the kernel says which return it took for each call without running
 * one; the interpreter must take the same. The child's own calls pass
 * untouched: only calls whose sixth argument is MAGIC are filtered.
 * Also hand-made programs for what libseccomp does not emit (ALU, scratch
 * memory, X), and programs the kernel would refuse, which the
 * interpreter must refuse too.
 */
#include "unit/testutil.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/linux/seccomp_eval_linux.h"
#include "backend/linux/seccomp_linux.h"
#include "backend/linux/seccomp_refusal_linux.h"
#include "backend/linux/trace_filter_linux.h"

#define MAGIC 0x5ec7ace5f00dULL
#define MAX_CASES 6000

#define ARGS5_LO (offsetof(struct seccomp_data, args) + 5 * 8)

struct vec {
	int nr;
	unsigned long long a[6];
};

static struct vec cases[MAX_CASES];
static size_t ncases;

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned long long
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
add(int nr, unsigned long long a0, unsigned long long a1,
    unsigned long long a2, unsigned long long a3)
{
	if (ncases == MAX_CASES)
		return;
	cases[ncases] = (struct vec){ nr, { a0, a1, a2, a3, next_rand(), MAGIC } };
	ncases++;
}

/* Every number, the argument rules' edges, and random arguments. */
static void
make_cases(void)
{
	static const unsigned long tty[] = { TIOCSTI, TIOCLINUX, TIOCEXCL,
					     TIOCSETD, TIOCNXCL, FIONREAD };
	static const unsigned modes[] = { 0644, 0755, 04755, 02755, 06777,
					  01777 };

	ncases = 0;
	for (int nr = 0; nr < 480; nr++) {
		/* a PVM guest kernel (seen on the test machine) takes 335 and
		 * 336 before seccomp (SIGILL; a number past the table): not
		 * the filter's doing, whatever the filter */
		if (nr == 335 || nr == 336)
			continue;
		add(nr, 0, 0, 0, 0);
		add(nr, next_rand(), next_rand(), next_rand(), next_rand());
		add(nr, next_rand() & 0xff, next_rand() & 0xffff, next_rand() & 7,
		    next_rand() & 0xfff);
	}
	for (int nr = 480; nr < 2000; nr += 37)
		add(nr, 0, 0, 0, 0);
	add(0x40000000 | 1, 0, 0, 0, 0);  /* x32 */
	for (size_t i = 0; i < sizeof(tty) / sizeof(tty[0]); i++) {
		add(SYS_ioctl, 0, tty[i], 0, 0);
		add(SYS_ioctl, 0, tty[i] | 0xdead00000000ULL, 0, 0);
	}
	for (unsigned long long fam = 0; fam < 48; fam++)
		for (unsigned long long type = 0; type < 6; type++) {
			add(SYS_socket, fam, type, 0, 0);
			add(SYS_socket, fam, type | SOCK_CLOEXEC, next_rand() & 0x1ff, 0);
			add(SYS_socketpair, fam, type, 0, 0);
		}
	add(SYS_socket, AF_INET | (1ULL << 40), SOCK_STREAM, 0, 0);
	add(SYS_socket, AF_NETLINK, SOCK_RAW, 0, 0);
	add(SYS_socket, AF_NETLINK, SOCK_RAW, 16, 0);
	add(SYS_socket, AF_INET, SOCK_STREAM, 262, 0);
	add(SYS_setsockopt, 3, 6, 31, 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		add(SYS_fchmodat, (unsigned long long)AT_FDCWD, 0, modes[i], 0);
		add(SYS_fchmod, 3, modes[i], 0, 0);
		add(SYS_openat, (unsigned long long)AT_FDCWD, 0, 0101, modes[i]);
		add(SYS_mknodat, (unsigned long long)AT_FDCWD, 0, modes[i], 0);
	}
	add(SYS_unshare, CLONE_NEWUSER, 0, 0, 0);
	add(SYS_unshare, CLONE_NEWNS, 0, 0, 0);
	add(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0);
	for (unsigned long long f = 0; f < 32; f++)
		add(SYS_memfd_create, 0, f, 0, 0);
}

/* prog with every return made ERRNO(index + 1), behind the MAGIC check. */
static struct sock_filter *
tagged(const struct sock_filter *prog, size_t len, size_t *outlen)
{
	const struct sock_filter head[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARGS5_LO),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)MAGIC, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARGS5_LO + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(MAGIC >> 32), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	size_t n = sizeof(head) / sizeof(head[0]);
	struct sock_filter *v = calloc(len + n, sizeof(*v));

	assert_non_null(v);
	assert_true(len < 4000);
	memcpy(v, head, sizeof(head));
	memcpy(v + n, prog, len * sizeof(*v));
	for (size_t i = 0; i < len; i++)
		if (BPF_CLASS(v[n + i].code) == BPF_RET &&
		    BPF_RVAL(v[n + i].code) == BPF_K)
			v[n + i].k = SECCOMP_RET_ERRNO | (uint32_t)(i + 1);
	*outlen = len + n;
	return v;
}

/* The kernel's errno for each case under prog (in a child). */
static void
kernel_answers(const struct sock_filter *prog, size_t len, int *errs)
{
	int *shared = mmap(NULL, MAX_CASES * sizeof(int), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sock_fprog fp = { (unsigned short)len, (struct sock_filter *)prog };
	pid_t pid;
	int st;

	assert_true(shared != MAP_FAILED);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
			_exit(2);
		for (size_t i = 0; i < ncases; i++) {
			const struct vec *c = &cases[i];

			errno = 0;
			shared[i] = syscall(c->nr, c->a[0], c->a[1], c->a[2],
					    c->a[3], c->a[4], c->a[5]) < 0 ?
				    errno : 0;
		}
		/* not _exit(): its registers may still hold MAGIC */
		syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	memcpy(errs, shared, ncases * sizeof(int));
	munmap(shared, MAX_CASES * sizeof(int));
}

static void
data_of(const struct vec *c, struct seccomp_data *d)
{
	memset(d, 0, sizeof(*d));
	d->nr = c->nr;
	d->arch = AUDIT_ARCH_X86_64;
#ifndef __x86_64__
	d->arch = 0;  /* the tests below skip elsewhere */
#endif
	memcpy(d->args, c->a, sizeof(d->args));
}

/* The interpreter takes the kernel's return on every case. */
static void
compare(const struct sock_filter *prog, size_t len, const char *what)
{
	static int errs[MAX_CASES];
	size_t tlen, seen_other = 0, seen_allow = 0;
	struct sock_filter *t = tagged(prog, len, &tlen);

	kernel_answers(t, tlen, errs);
	for (size_t i = 0; i < ncases; i++) {
		struct seccomp_data d;
		uint32_t tag, ret;

		data_of(&cases[i], &d);
		assert_int_equal(seccomp_eval(t, tlen, &d, &tag), 0);
		if ((uint32_t)errs[i] != (tag & SECCOMP_RET_DATA))
			fail_msg("%s: call %d (args %llx %llx %llx): the kernel "
				 "took return %d, the interpreter %u", what,
				 cases[i].nr, cases[i].a[0], cases[i].a[1],
				 cases[i].a[2], errs[i] - 1,
				 (tag & SECCOMP_RET_DATA) - 1);
		assert_int_equal(seccomp_eval(prog, len, &d, &ret), 0);
		assert_int_equal(ret, prog[(tag & SECCOMP_RET_DATA) - 1].k);
		if (ret == SECCOMP_RET_ALLOW)
			seen_allow++;
		else
			seen_other++;
	}
	/* the cases reach both kinds of answer */
	assert_true(seen_other > 50 && seen_allow > 50);
	free(t);
}

static void
test_enforcing_programs(void **state)
{
	(void)state;
#ifndef __x86_64__
	skip();
#endif
	make_cases();
	for (int w = 0; w < LPS_COUNT; w++)
		compare(seccomp_filters_embedded[w].insns,
			seccomp_filters_embedded[w].len, "enforcing");
}

static void
test_traced_program(void **state)
{
	struct seccomp_bpf notify, joined;

	(void)state;
#ifndef __x86_64__
	skip();
#endif
	make_cases();
	assert_int_equal(seccomp_refusal_notify_copy(&seccomp_filters_embedded[0],
						     &notify), 0);
	assert_int_equal(trace_filter_join(&notify, &trace_filter_embedded,
					   &joined), 0);
	compare(joined.insns, joined.len, "joined");
	compare(trace_filter_embedded.insns, trace_filter_embedded.len, "trace");
	free((void *)notify.insns);
	free((void *)joined.insns);
}

/* The rewrite: every ERRNO a notification, nothing else changed. */
static void
test_notify_copy(void **state)
{
	const struct seccomp_bpf *in = &seccomp_filters_embedded[0];
	const struct sock_filter *a = in->insns, *b;
	struct seccomp_bpf out;
	size_t changed = 0;

	(void)state;
	assert_int_equal(seccomp_refusal_notify_copy(in, &out), 0);
	b = out.insns;
	assert_int_equal(out.len, in->len);
	for (size_t i = 0; i < in->len; i++) {
		int was_errno = BPF_CLASS(a[i].code) == BPF_RET &&
			(a[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO;

		assert_int_equal(a[i].code, b[i].code);
		assert_int_equal(b[i].k, was_errno ? SECCOMP_RET_USER_NOTIF : a[i].k);
		changed += (size_t)was_errno;
	}
	/* libseccomp shares its returns: a few per errno */
	assert_true(changed >= 5);
	free((void *)out.insns);
}

/* ALU, X, scratch memory and RET A, which libseccomp does not emit:
 * the answer is computed from the arguments, then compared. */
static void
test_computed(void **state)
{
	const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARGS5_LO),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)MAGIC, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args)),
		BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args) + 8),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_MEM, 3),
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 7),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 3),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_ALU | BPF_NEG, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x7ff),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const size_t len = sizeof(prog) / sizeof(prog[0]);
	static int errs[MAX_CASES];

	(void)state;
	ncases = 0;
	for (int i = 0; i < 500; i++)
		add(SYS_getpid, next_rand() % 5000, next_rand() % 13 + 1, 0, 0);
	kernel_answers(prog, len, errs);
	for (size_t i = 0; i < ncases; i++) {
		struct seccomp_data d;
		uint32_t ret;

		data_of(&cases[i], &d);
		assert_int_equal(seccomp_eval(prog, len, &d, &ret), 0);
		assert_int_equal((uint32_t)errs[i], ret & SECCOMP_RET_DATA);
	}
}

/* What the kernel refuses to load, the interpreter refuses to run. */
static void
test_refuses_bad_programs(void **state)
{
	const struct sock_filter jump_out[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter ja_out[] = {
		BPF_STMT(BPF_JMP | BPF_JA, 0xffffffffu),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter load_out[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter unaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter mem_out[] = {
		BPF_STMT(BPF_ST, 16),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter falls_off[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	const struct sock_filter ind[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct seccomp_data d;
	uint32_t ret;

	(void)state;
	memset(&d, 0, sizeof(d));
#define REFUSED(p) assert_int_equal(seccomp_eval(p, sizeof(p) / sizeof(p[0]), &d, &ret), -1)
	REFUSED(jump_out);
	REFUSED(ja_out);
	REFUSED(load_out);
	REFUSED(unaligned);
	REFUSED(mem_out);
	REFUSED(falls_off);
	REFUSED(ind);
	{
		/* a division by a zero X returns 0 (kill), as the kernel does */
		const struct sock_filter div0[] = {
			BPF_STMT(BPF_LDX | BPF_IMM, 0),
			BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};

		assert_int_equal(seccomp_eval(div0, 3, &d, &ret), 0);
		assert_int_equal(ret, 0);
	}
	assert_int_equal(seccomp_eval(jump_out, 0, &d, &ret), -1);
	assert_int_equal(seccomp_eval(NULL, 1, &d, &ret), -1);
}

/* What a refusal is called in the records. */
static void
test_classify(void **state)
{
	struct seccomp_data d;
	enum denial_op op;
	char t[256];

	(void)state;
	memset(&d, 0, sizeof(d));
	d.nr = SYS_socket;
	d.args[0] = AF_VSOCK;
	assert_int_equal(seccomp_refusal_classify(&d, EAFNOSUPPORT, &op, t, sizeof(t)), 0);
	assert_int_equal(op, DENY_SOCKET);
	assert_string_equal(t, "AF_VSOCK");
	d.nr = SYS_ioctl;
	d.args[1] = TIOCSTI | 0x100000000ULL;
	seccomp_refusal_classify(&d, EPERM, &op, t, sizeof(t));
	assert_int_equal(op, DENY_IOCTL);
	assert_string_equal(t, "TIOCSTI");
	d.nr = SYS_mount;
	seccomp_refusal_classify(&d, EPERM, &op, t, sizeof(t));
	assert_int_equal(op, DENY_MOUNT);
	d.nr = 1000;
	seccomp_refusal_classify(&d, ENOSYS, &op, t, sizeof(t));
	assert_int_equal(op, DENY_SYSCALL);
	assert_string_equal(t, "1000");
	d.nr = SYS_clone3;
	assert_int_equal(seccomp_refusal_classify(&d, ENOSYS, &op, t, sizeof(t)), 1);
	d.nr = SYS_keyctl;
	seccomp_refusal_classify(&d, EPERM, &op, t, sizeof(t));
	assert_string_equal(t, "keyctl");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enforcing_programs),
		cmocka_unit_test(test_traced_program),
		cmocka_unit_test(test_notify_copy),
		cmocka_unit_test(test_computed),
		cmocka_unit_test(test_refuses_bad_programs),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
#include "unit/not_linux_main.h"
#endif
