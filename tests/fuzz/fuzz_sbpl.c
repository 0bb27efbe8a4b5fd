/*
 * libFuzzer target: the SBPL reader and evaluator on arbitrary bytes.
 * Must never crash, leak or hang (the step limit is lowered so slow
 * inputs stay fast).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "sbpl/sbpl.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const params[] = { "HOME", "/Users/fuzz", NULL };
	struct sbpl_opts o = SBPL_OPTS_INIT;
	struct src_set srcs;
	struct diag_list diags;
	struct policy pol;
	char *text = xstrndup((const char *)data, size);

	o.no_system_dirs = true;   /* no file system lookups */
	o.max_steps = 200000;
	o.params = params;
	o.strict_params = size > 0 && data[0] == ';';
	src_set_init(&srcs);
	diag_list_init(&diags);
	policy_init(&pol, vocab_latest());
	sbpl_eval_string("fuzz.sb", text, &o, &srcs, &diags, &pol);
	policy_release(&pol);
	diag_list_release(&diags);
	src_set_release(&srcs);
	free(text);
	return 0;
}
