/*
 * Internal tables behind policy/vocab.h, generated into vocab_data.c by
 * tools/gen-vocab.py from ../shared/sbpl-data. Release masks use one bit
 * per entry of vocab.c's release list: 10.12, 10.13, 10.14, 10.15, latest.
 *
 * The tables hold no pointers: every string is an offset into
 * vocab_strings. sbox is a static PIE, and each pointer in a constant
 * table would be a relocation that the loader applies (dirtying the page)
 * at every start, whether the command uses the vocabulary or not.
 */
#ifndef SBOX_POLICY_VOCAB_DATA_H
#define SBOX_POLICY_VOCAB_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "policy/vocab.h"

/* The offset standing for a NULL string. */
#define VOCAB_STR_NONE 0xffffu

struct vocab_op_row {
	uint16_t name, fallback, filter_categories, modifiers;
	signed char builtin;     /* enum vocab_builtin */
	uint16_t releases;
};

struct vocab_alias_row {
	uint16_t alias;
	uint16_t target;         /* VOCAB_STR_NONE: no-op */
	uint16_t releases;
};

struct vocab_filter_row {
	uint16_t name, category, named_table;
	unsigned char type;      /* enum vocab_argtype */
	uint16_t releases;
};

struct vocab_named_arg_row {
	uint16_t table, name;
	int32_t value;
};

/* All strings of the tables, each NUL-terminated. */
extern const char vocab_strings[];

/* Sorted by name (strcmp order). */
extern const struct vocab_op_row vocab_op_rows[];
extern const size_t vocab_op_rows_len;
/* vocab_op_rows_len entries: vocab_op_rows as the public struct, filled
 * in by vocab.c on first use (zero until then). */
extern struct vocab_op vocab_ops[];

extern const struct vocab_alias_row vocab_alias_rows[];
extern const size_t vocab_alias_rows_len;
/* Sorted by name. */
extern const struct vocab_filter_row vocab_filter_rows[];
extern const size_t vocab_filter_rows_len;
/* Sorted by table, then name. */
extern const struct vocab_named_arg_row vocab_named_arg_rows[];
extern const size_t vocab_named_arg_rows_len;

/* The string at offset off, or NULL for VOCAB_STR_NONE. */
static inline const char *
vocab_str(unsigned off)
{
	return off == VOCAB_STR_NONE ? NULL : vocab_strings + off;
}

#endif
