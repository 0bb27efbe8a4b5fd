/*
 * Shared body of the definition-loader fuzz targets (JSON and plist):
 * def_load picks the format by the first bytes, so both feed the same
 * path and differ only in their seeds and temporary file name.
 */
#ifndef SBOX_FUZZ_DEF_LOAD_INPUT_H
#define SBOX_FUZZ_DEF_LOAD_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "def/def.h"

/*
 * def_load reads a file, so the input goes through a private temporary
 * file (made once from tmpl, at most 63 bytes); `extends` of presets
 * resolves against a data dir with no presets.
 */
static inline int
fuzz_def_load_input(const char *tmpl, const uint8_t *data, size_t size)
{
	static char path[64];
	struct src_set srcs;
	struct diag_list diags;
	struct container_def d;
	int fd;

	if (!path[0]) {
		strcpy(path, tmpl);
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		setenv("SBOX_DATADIR", "/nonexistent", 1);
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	src_set_init(&srcs);
	diag_list_init(&diags);
	if (def_load(path, &srcs, &diags, &d) == 0) {
		char *json = def_to_json(&d);

		free(json);
		def_release(&d);
	}
	diag_list_release(&diags);
	src_set_release(&srcs);
	return 0;
}

#endif
