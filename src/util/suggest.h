/*
 * "Did you mean": the closest of a list of known words to a mistyped one,
 * by Damerau-Levenshtein distance (a swap of two neighbours costs one, as
 * git's help.c does for commands). Only close enough words are offered.
 */
#ifndef SBOX_UTIL_SUGGEST_H
#define SBOX_UTIL_SUGGEST_H

#include <stddef.h>

/* Edit distance with adjacent transpositions; case-sensitive. */
size_t suggest_distance(const char *a, const char *b);

/*
 * The closest of words[0..n) (NULL entries skipped) within a distance of
 * about a third of the word's length (at least 1, at most 3), or NULL.
 */
const char *suggest_closest(const char *word, const char *const *words,
			    size_t n);

/*
 * Same over an array of structs whose first member is the name:
 * suggest_closest_in(word, base, n, stride).
 */
const char *suggest_closest_in(const char *word, const void *base, size_t n,
			       size_t stride);

#endif
