/*
 * A classic-BPF interpreter for seccomp programs (seccomp_eval_linux.c).
 * Under `--trace`, the calls the enforcing program refuses are sent to
 * the launcher instead of answered by the kernel (seccomp_refusal_linux.h);
 * the launcher runs the very program the kernel would have run on the
 * call's seccomp_data to know the answer (which errno) and give it.
 *
 * It accepts what the kernel's checker accepts (seccomp_check_filter in
 * kernel/seccomp.c: loads of seccomp_data words, the scratch memory, ALU,
 * forward jumps, returns) and refuses anything else, any load or jump out
 * of bounds and falling off the end, so that no program and no data make
 * it read outside what it was given (tests/fuzz/fuzz_seccomp_eval.c).
 * tests/unit/test_seccomp_eval.c compares it with the kernel.
 */
#ifndef SBOX_BACKEND_SECCOMP_EVAL_LINUX_H
#define SBOX_BACKEND_SECCOMP_EVAL_LINUX_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Run prog (len instructions) on data: 0 and the returned value (action
 * and data, as the kernel reads it) in *ret, or -1 when the program is
 * not one the kernel would run (the caller must then refuse the call). */
int seccomp_eval(const struct sock_filter *prog, size_t len,
		 const struct seccomp_data *data, uint32_t *ret);

#endif
