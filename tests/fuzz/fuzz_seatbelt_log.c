/*
 * libFuzzer: macOS sandbox denial lines (`log stream --style ndjson`) as
 * the darwin launcher reads them with --trace: parsed, mapped and counted
 * into a bounded store, then written as records and a summary.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/denial_why.h"
#include "backend/macos/seatbelt_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct denials d;
	struct denial_why why;
	struct strbuf sb = STRBUF_INIT;
	const char *p = (const char *)data, *end = p + size;

	memset(&why, 0, sizeof(why));
	denials_init(&d);
	/* one line per record, as log stream writes them */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		seatbelt_log_record(&d, p, n, "sbox:dev");
		p += n + 1;
	}
	denials_write_json(&d, &why, &sb);
	denials_summary(&d, &why, &sb);
	strbuf_release(&sb);
	denials_release(&d);
	return 0;
}
