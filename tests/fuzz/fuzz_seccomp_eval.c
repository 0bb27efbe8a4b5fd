/*
 * libFuzzer: the classic-BPF interpreter `--trace` runs on refused calls
 * (src/backend/linux/seccomp_eval_linux.c) on any program and any seccomp_data:
 * the input is the data (64 bytes, zero-filled when short) then the
 * program, 8 bytes an instruction. Both are copied to allocations of
 * exactly their size, so that AddressSanitizer sees a read past either.
 * A result must be a return the program has, or 0 (a division by zero).
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/linux/seccomp_eval_linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
returns_this(const struct sock_filter *p, size_t n, uint32_t ret)
{
	if (!ret)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (BPF_CLASS(p[i].code) == BPF_RET &&
		    (BPF_RVAL(p[i].code) == BPF_A || p[i].k == ret))
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_data *d = calloc(1, sizeof(*d));
	size_t head = size < sizeof(*d) ? size : sizeof(*d);
	size_t n = (size - head) / sizeof(struct sock_filter);
	struct sock_filter *prog = malloc(n ? n * sizeof(*prog) : 1);
	uint32_t ret = 0;

	if (!d || !prog)
		abort();
	memcpy(d, data, head);
	if (n)
		memcpy(prog, data + head, n * sizeof(*prog));
	if (seccomp_eval(prog, n, d, &ret) == 0 && !returns_this(prog, n, ret))
		abort();
	free(prog);
	free(d);
	return 0;
}
