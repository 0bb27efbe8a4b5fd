/*
 * libFuzzer target for `sbox import`: any bytes as an archive. The
 * import must refuse or succeed without crashing, and never write
 * outside its store; a successful import is removed again so the store
 * stays small.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct container_store store = CONTAINER_STORE_INIT;
static char dir[] = "/tmp/sbox-fuzz-import-XXXXXX";

/* The store is empty between inputs: only its lock file is left. */
static void
fuzz_store_remove(void)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/store/.lock", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store", dir);
	rmdir(path);
	rmdir(dir);
}

static int
fuzz_store_open(void)
{
	char path[64];
	struct sbox_err err = SBOX_ERR_INIT;

	if (!mkdtemp(dir))
		return -1;
	atexit(fuzz_store_remove);
	snprintf(path, sizeof(path), "%s/store", dir);
	return container_store_open_path(&store, path, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct container_limits limits = { 2000, 16u << 20 };
	struct sbox_err err = SBOX_ERR_INIT;

	if (store.dirfd < 0 && fuzz_store_open() < 0)
		abort();
	if (container_import_memory(&store, data, size, "fuzz", &limits, NULL,
				    &err) == 0)
		container_remove(&store, "fuzz", &err);
	return 0;
}
