/*
 * Declaration shim for <sandbox.h>, so the src/backend/macos/..._darwin.c files
 * compile on Linux (`make check` builds them into build/shim/, and
 * tests/backend/t0500-darwin-shim.sh inspects the objects). It mirrors
 * what MACOS.md §1.1 documents of the modern SDK header -- prototypes and
 * constants only, written from that description: sandbox_init and
 * sandbox_free_error (both deprecated, sandbox_init's result must be
 * used), SANDBOX_NAMED and the five kSBXProfile* names. Like the real
 * header it does NOT declare the private SPI (sandbox_init_with_parameters,
 * sandbox_check): the darwin file must declare those itself (MACOS.md
 * §1.3), and the deprecation attributes make an unguarded call fail under
 * -Werror here as it would on a Mac.
 */
#ifndef SBOX_TESTS_SHIM_SANDBOX_H
#define SBOX_TESTS_SHIM_SANDBOX_H

#include <stdint.h>

#define SBOX_SHIM_DEPRECATED __attribute__((deprecated("No longer supported")))

#define SANDBOX_NAMED 0x0001

extern const char kSBXProfileNoInternet[] SBOX_SHIM_DEPRECATED;
extern const char kSBXProfileNoNetwork[] SBOX_SHIM_DEPRECATED;
extern const char kSBXProfileNoWrite[] SBOX_SHIM_DEPRECATED;
extern const char kSBXProfileNoWriteExceptTemporary[] SBOX_SHIM_DEPRECATED;
extern const char kSBXProfilePureComputation[] SBOX_SHIM_DEPRECATED;

int sandbox_init(const char *profile, uint64_t flags, char **errorbuf)
	SBOX_SHIM_DEPRECATED __attribute__((warn_unused_result));
void sandbox_free_error(char *errorbuf) SBOX_SHIM_DEPRECATED;

#endif
