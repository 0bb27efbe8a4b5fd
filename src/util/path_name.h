/*
 * One name at a time from a '/'-separated path. Empty names ("//", a
 * trailing '/') and "." name nothing and are skipped here, so the readers
 * of paths (linux_plan, resolve_linux, trace_plan) differ only in what
 * each makes of "..": refuse it, or step back one name.
 */
#ifndef SBOX_UTIL_PATH_NAME_H
#define SBOX_UTIL_PATH_NAME_H

#include <stddef.h>

/*
 * The next name at or after *cursor (not NUL-terminated: its length goes
 * to *len) and *cursor moved past it; NULL once none is left.
 */
const char *path_name_next(const char **cursor, size_t *len);

/* Whether the name of len bytes is "..". */
int path_name_is_dotdot(const char *name, size_t len);

#endif
