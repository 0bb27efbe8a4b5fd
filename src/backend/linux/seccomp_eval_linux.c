/*
 * The classic-BPF interpreter of seccomp_eval_linux.h. Semantics as in
 * the kernel's ___bpf_prog_run for the converted classic program
 * (net/core/filter.c, bpf_convert_filter): 32-bit A and X, division or
 * modulo by a zero X returns 0 (the kernel's converted program exits with
 * 0, i.e. SECCOMP_RET_KILL_THREAD), shifts by 32 or more are masked to
 * the low 5 bits on x86 (the kernel's checker refuses constant shifts
 * >= 32; a shift by X is what the CPU does: we mask as x86 does).
 * Every instruction moves forward, so at most len are run.
 */
#include "backend/linux/seccomp_eval_linux.h"

#include <string.h>

#define MEM_WORDS 16   /* BPF_MEMWORDS */

struct vm {
	uint32_t a, x;
	uint32_t mem[MEM_WORDS];
};

/* A 32-bit word of seccomp_data, as BPF_LD|BPF_W|BPF_ABS reads it. */
static int
load_word(const struct seccomp_data *d, uint32_t off, uint32_t *out)
{
	if (off % 4 || off > sizeof(*d) - 4)
		return -1;
	memcpy(out, (const unsigned char *)d + off, 4);
	return 0;
}

static int
alu(struct vm *m, const struct sock_filter *f)
{
	uint32_t v = BPF_SRC(f->code) == BPF_X ? m->x : f->k;

	switch (BPF_OP(f->code)) {
	case BPF_ADD: m->a += v; return 0;
	case BPF_SUB: m->a -= v; return 0;
	case BPF_MUL: m->a *= v; return 0;
	case BPF_OR:  m->a |= v; return 0;
	case BPF_AND: m->a &= v; return 0;
	case BPF_XOR: m->a ^= v; return 0;
	case BPF_LSH: m->a <<= (v & 31); return 0;
	case BPF_RSH: m->a >>= (v & 31); return 0;
	case BPF_NEG: m->a = (uint32_t)-m->a; return 0;
	case BPF_DIV:
		if (!v)
			return 1;  /* the program returns 0 */
		m->a /= v;
		return 0;
	case BPF_MOD:
		if (!v)
			return 1;
		m->a %= v;
		return 0;
	default:
		return -1;
	}
}

/* The next pc after a jump at pc, or -1 out of bounds. */
static long
jump(const struct vm *m, const struct sock_filter *f, size_t pc, size_t len)
{
	uint32_t v = BPF_SRC(f->code) == BPF_X ? m->x : f->k;
	size_t off;
	int taken;

	switch (BPF_OP(f->code)) {
	case BPF_JA:
		if (BPF_SRC(f->code) != BPF_K)
			return -1;
		off = f->k;
		return off < len - pc - 1 ? (long)(pc + 1 + off) : -1;
	case BPF_JEQ: taken = m->a == v; break;
	case BPF_JGT: taken = m->a > v; break;
	case BPF_JGE: taken = m->a >= v; break;
	case BPF_JSET: taken = (m->a & v) != 0; break;
	default: return -1;
	}
	off = taken ? f->jt : f->jf;
	return off < len - pc - 1 ? (long)(pc + 1 + off) : -1;
}

static int
load(struct vm *m, const struct sock_filter *f, const struct seccomp_data *d)
{
	uint32_t *dst = BPF_CLASS(f->code) == BPF_LD ? &m->a : &m->x;

	switch (BPF_MODE(f->code)) {
	case BPF_ABS:
		if (BPF_CLASS(f->code) != BPF_LD || BPF_SIZE(f->code) != BPF_W)
			return -1;
		return load_word(d, f->k, dst);
	case BPF_LEN:
		if (BPF_SIZE(f->code) != BPF_W)
			return -1;
		*dst = (uint32_t)sizeof(*d);
		return 0;
	case BPF_IMM:
		*dst = f->k;
		return 0;
	case BPF_MEM:
		if (f->k >= MEM_WORDS)
			return -1;
		*dst = m->mem[f->k];
		return 0;
	default:
		return -1;
	}
}

/* One instruction that is not a return: 0 go on at *pc, 1 return 0,
 * -1 invalid. */
static int
step(struct vm *m, const struct sock_filter *f, const struct seccomp_data *d,
     size_t *pc, size_t len)
{
	long next;
	int rc;

	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
	case BPF_LDX:
		rc = load(m, f, d);
		break;
	case BPF_ST:
	case BPF_STX:
		if (f->k >= MEM_WORDS)
			return -1;
		m->mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? m->a : m->x;
		rc = 0;
		break;
	case BPF_ALU:
		rc = alu(m, f);
		break;
	case BPF_MISC:
		if (BPF_MISCOP(f->code) == BPF_TAX)
			m->x = m->a;
		else if (BPF_MISCOP(f->code) == BPF_TXA)
			m->a = m->x;
		else
			return -1;
		rc = 0;
		break;
	case BPF_JMP:
		next = jump(m, f, *pc, len);
		if (next < 0)
			return -1;
		*pc = (size_t)next;
		return 0;
	default:
		return -1;
	}
	if (rc == 0)
		(*pc)++;
	return rc;
}

int
seccomp_eval(const struct sock_filter *prog, size_t len,
	     const struct seccomp_data *data, uint32_t *ret)
{
	struct vm m;
	size_t pc = 0;

	if (!prog || !len || len > BPF_MAXINSNS)
		return -1;
	memset(&m, 0, sizeof(m));
	while (pc < len) {
		const struct sock_filter *f = &prog[pc];
		int rc;

		if (BPF_CLASS(f->code) == BPF_RET) {
			if (BPF_RVAL(f->code) == BPF_K)
				*ret = f->k;
			else if (BPF_RVAL(f->code) == BPF_A)
				*ret = m.a;
			else
				return -1;
			return 0;
		}
		rc = step(&m, f, data, &pc, len);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			*ret = 0;
			return 0;
		}
	}
	return -1;  /* fell off the end: the kernel's checker refuses it */
}
