#include "util/path_name.h"

const char *
path_name_next(const char **cursor, size_t *len)
{
	const char *p = *cursor;

	for (;;) {
		const char *name;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != '/')
			p++;
		if (p - name == 1 && *name == '.')
			continue;
		*cursor = p;
		*len = (size_t)(p - name);
		return name;
	}
	*cursor = p;
	return NULL;
}

int
path_name_is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}
