#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

const char *
suggest_closest_in(const char *word, const void *base, size_t n, size_t stride)
{
	size_t len = strlen(word);
	size_t limit = len / 3, best_d = (size_t)-1;
	const char *best = NULL;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		const char *w = *(const char *const *)(const void *)
			((const char *)base + i * stride);
		size_t d;

		if (!w)
			continue;
		d = suggest_distance(word, w);
		/* a prefix of a long word ("--allow" for "--allow-weaker") */
		if (d > limit && len >= 3 && !strncmp(w, word, len))
			d = limit;
		if (d <= limit && d < best_d) {
			best_d = d;
			best = w;
		}
	}
	return best;
}

const char *
suggest_closest(const char *word, const char *const *words, size_t n)
{
	return suggest_closest_in(word, words, n, sizeof(*words));
}
