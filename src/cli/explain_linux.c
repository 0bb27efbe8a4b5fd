/*
 * sbox explain --target linux: the answer of the Linux launch plan
 * (backend/linux/linux_plan.h) for one file access, with the plan entries that
 * decide it: the mount that makes the path visible (or hides it) and the
 * Landlock rights at the closest listed path. Paths are taken as Linux
 * sees them (no /private canonicalisation: that is macOS's).
 */
#include "cli/explain_linux.h"
#include "cli/cli.h"
#include "backend/linux/linux_plan.h"
#include "backend/linux/links_linux.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_JSON_VERSION 1

/* The right an operation needs, 0 for one the plan does not decide. */
static unsigned
op_right(const char *op)
{
	if (!strncmp(op, "file-read", 9))
		return LP_READ;
	if (!strncmp(op, "file-write", 10))
		return LP_WRITE;
	if (!strcmp(op, "process-exec") || !strcmp(op, "process-exec*") ||
	    !strcmp(op, "file-map-executable"))
		return LP_EXEC;
	return 0;
}

static const char *
mount_name(enum lplan_mount m)
{
	static const char *const names[] = {
		"none", "read-only bind of the host path",
		"read-write bind of the host path",
		"empty read-only mount hiding the host path",
		"the container's own tmpfs", "the container's own /dev",
		"the container's own /proc",
	};

	return names[m];
}

struct linux_answer {
	int allow;
	const struct lplan_path *mount;   /* visibility, NULL: not mounted */
	const struct lplan_path *rights;  /* closest listed path, or NULL */
	const char *why;
};

static void
decide(const struct linux_plan *plan, const char *path, unsigned right,
       struct linux_answer *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < plan->npaths; i++) {
		const struct lplan_path *p = &plan->paths[i];

		if (!linux_plan_beneath(p->path, path))
			continue;
		a->rights = p;  /* depth-first order: later is deeper */
		if (p->mount != LPM_NONE)
			a->mount = p;
	}
	if (!a->mount)
		a->why = "the path is not mounted in the container";
	else if (a->mount->mount == LPM_MASK)
		a->why = "an empty mount hides it (a deny inside an allowed tree)";
	else if (right == LP_WRITE && a->mount->mount == LPM_BIND_RO)
		/* first: Landlock rules only add rights, so inside a writable
		 * tree the read-only bind is what refuses the write */
		a->why = "it is mounted read-only";
	else if (!(a->rights->access & right))
		a->why = "Landlock does not grant this right there";
	else {
		a->allow = 1;
		a->why = "mounted, and Landlock grants this right there";
	}
}

static void
print_text(const struct linux_answer *a, const char *op, const char *path)
{
	printf("%s %s %s\n", a->allow ? "allow" : "deny", op, path);
	printf("  target:     linux (the launch plan)\n");
	printf("  because:    %s\n", a->why);
	if (a->mount)
		printf("  mount:      %s: %s\n", a->mount->path,
		       mount_name(a->mount->mount));
	if (a->rights)
		printf("  landlock:   %s:%s%s%s\n", a->rights->path,
		       a->rights->access & LP_READ ? " read" : "",
		       a->rights->access & LP_WRITE ? " write" : "",
		       a->rights->access & LP_EXEC ? " exec" : "");
}

static json_t *
path_json(const struct lplan_path *p)
{
	if (!p)
		return json_null();
	return json_pack("{s:s, s:s, s:b, s:b, s:b}", "path", p->path,
			 "mount", mount_name(p->mount),
			 "read", (p->access & LP_READ) != 0,
			 "write", (p->access & LP_WRITE) != 0,
			 "exec", (p->access & LP_EXEC) != 0);
}

static void
print_json(const struct linux_answer *a, const char *op, const char *path)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
			      "version", EXPLAIN_JSON_VERSION, "target", "linux",
			      "decision", a->allow ? "allow" : "deny",
			      "operation", op, "argument", path, "because",
			      a->why, "mount", path_json(a->mount),
			      "landlock", path_json(a->rights));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

int
explain_linux(const struct container_def *def, const struct def_vars *vars,
	      const char *op, const char *arg, int json)
{
	struct linux_plan plan;
	struct lx_links links;
	struct lplan_resolver res = { lx_links_resolve, &links };
	struct linux_answer a;
	struct sbox_err err = SBOX_ERR_INIT;
	const char *data = vars->container ? vars->container : "${CONTAINER}";
	char *tmpdir = xasprintf("%s/tmp", data), *path = NULL, *resolved;
	unsigned right = op_right(op);
	int rc;

	linux_plan_init(&plan);
	/* as the launch decides: on paths with this host's system links
	 * resolved (/lib/x is /usr/lib/x on a merged /usr) */
	lx_links_init(&links, def, data);
	if (!right) {
		rc = cli_usage_error("explain", "the Linux launch plan cannot "
				     "decide '%s': --target linux answers for "
				     "file-read*, file-write* and process-exec "
				     "only; add --target macos for the macOS "
				     "profile's answer ('sbox compile --target "
				     "linux' shows the whole Linux plan: "
				     "network, limits, seccomp)", op);
		goto out;
	}
	if (!arg || arg[0] != '/') {
		rc = cli_usage_error("explain", "--target linux needs an "
				     "absolute path");
		goto out;
	}
	if (linux_plan_build_resolved(&plan, def, data, tmpdir, &res,
				      &err) < 0 ||
	    !(path = linux_plan_normalize(arg, &err))) {
		rc = cli_report(&err);
		goto out;
	}
	resolved = lx_links_resolve(&links, path);
	free(path);
	path = resolved;
	decide(&plan, path, right, &a);
	if (json)
		print_json(&a, op, path);
	else
		print_text(&a, op, path);
	rc = a.allow ? EXIT_OK : EXIT_FINDINGS;
out:
	free(path);
	free(tmpdir);
	linux_plan_release(&plan);
	lx_links_release(&links);
	return rc;
}
