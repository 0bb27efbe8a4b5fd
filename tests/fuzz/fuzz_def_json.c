/* libFuzzer: the JSON definition loader (reader, schema, merge, to_json). */
#include <stddef.h>
#include <stdint.h>

#include "def_load_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_def_load_input("/tmp/fuzz-def-json.XXXXXX", data, size);
}
