/*
 * libFuzzer: Mach-O linkage (backend/macos/macho.c), which reads programs in a
 * container's root filesystem -- files that may come from an imported
 * archive. Any bytes: no crash, no read outside the input, an answer.
 */
#include <stdint.h>
#include <string.h>

#include "backend/macos/macho.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size;
};

static ssize_t
input_read(void *arg, uint64_t off, void *buf, size_t n)
{
	const struct input *in = arg;

	if (off >= in->size)
		return 0;
	if (n > in->size - off)
		n = (size_t)(in->size - off);
	memcpy(buf, in->data + off, n);
	return (ssize_t)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	enum macho_link link = macho_linkage(input_read, &in);

	if (link != MACHO_STATIC && link != MACHO_DYNAMIC &&
	    link != MACHO_NOT_MACHO && link != MACHO_MALFORMED)
		__builtin_trap();
	return 0;
}
