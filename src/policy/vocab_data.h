/*
 * Internal tables behind policy/vocab.h, generated into vocab_data.c by
 * tools/gen-vocab.py from ../shared/sbpl-data. Release masks use one bit
 * per entry of vocab.c's release list: 10.12, 10.13, 10.14, 10.15, latest.
 */
#ifndef SBOX_POLICY_VOCAB_DATA_H
#define SBOX_POLICY_VOCAB_DATA_H

#include <stddef.h>

#include "policy/vocab.h"

struct vocab_op_entry {
	struct vocab_op op;
	unsigned releases;
};

struct vocab_alias_entry {
	const char *alias;
	const char *target;   /* NULL: no-op */
	unsigned releases;
};

struct vocab_filter_entry {
	const char *name;
	const char *category;
	enum vocab_argtype type;
	const char *named_table;
	unsigned releases;
};

struct vocab_named_arg {
	const char *table;
	const char *name;
	long long value;
};

extern const struct vocab_op_entry vocab_op_table[];
extern const size_t vocab_op_table_len;
extern const struct vocab_alias_entry vocab_alias_table[];
extern const size_t vocab_alias_table_len;
extern const struct vocab_filter_entry vocab_filter_table[];
extern const size_t vocab_filter_table_len;
extern const struct vocab_named_arg vocab_named_arg_table[];
extern const size_t vocab_named_arg_table_len;

#endif
