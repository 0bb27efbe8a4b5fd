/*
 * The Linux plan as JSON, for `sbox compile --target linux`. Key order is
 * fixed so the output can be compared in tests.
 */
#include "backend/linux/linux_plan.h"

#include "util/strbuf.h"

static const char *
mount_name(enum lplan_mount m)
{
	switch (m) {
	case LPM_NONE: return "none";
	case LPM_BIND_RO: return "bind-ro";
	case LPM_BIND_RW: return "bind-rw";
	case LPM_MASK: return "mask";
	case LPM_TMPFS: return "tmpfs";
	case LPM_DEV: return "dev";
	case LPM_PROC: return "proc";
	}
	return "?";
}

static void
json_strings(struct strbuf *out, const char *const *v, size_t n)
{
	strbuf_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_add_quoted(out, v[i]);
	}
	strbuf_addch(out, ']');
}

static void
json_namespaces(struct strbuf *out, unsigned ns)
{
	static const struct { unsigned bit; const char *name; } tab[] = {
		{ LPNS_USER, "user" }, { LPNS_MOUNT, "mount" },
		{ LPNS_PID, "pid" }, { LPNS_IPC, "ipc" }, { LPNS_UTS, "uts" },
		{ LPNS_NET, "net" },
	};
	const char *names[6];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (ns & tab[i].bit)
			names[n++] = tab[i].name;
	json_strings(out, names, n);
}

static void
json_access(struct strbuf *out, unsigned a)
{
	const char *names[3];
	size_t n = 0;

	if (a & LP_READ)
		names[n++] = "read";
	if (a & LP_WRITE)
		names[n++] = "write";
	if (a & LP_EXEC)
		names[n++] = "exec";
	json_strings(out, names, n);
}

static void
json_paths(struct strbuf *out, const struct linux_plan *plan)
{
	strbuf_addstr(out, "  \"paths\": [");
	for (size_t i = 0; i < plan->npaths; i++) {
		const struct lplan_path *p = &plan->paths[i];

		strbuf_addstr(out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
		strbuf_add_quoted(out, p->path);
		strbuf_addstr(out, ", \"mount\": ");
		strbuf_add_quoted(out, mount_name(p->mount));
		strbuf_addstr(out, ", \"landlock\": ");
		json_access(out, p->access);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, plan->npaths ? "\n  ],\n" : "],\n");
}

static void
json_ports(struct strbuf *out, int handled, const struct def_ports *p)
{
	if (!handled) {
		strbuf_addstr(out, "\"any\"");
		return;
	}
	strbuf_addch(out, '[');
	for (size_t i = 0; i < p->nr; i++)
		strbuf_addf(out, "%s%u", i ? ", " : "", (unsigned)p->v[i]);
	strbuf_addch(out, ']');
}

static void
json_network(struct strbuf *out, const struct linux_plan *plan)
{
	strbuf_addf(out, "  \"network\": {\"own_namespace\": %s, "
		    "\"loopback_up\": %s, \"tcp_connect\": ",
		    (plan->namespaces & LPNS_NET) ? "true" : "false",
		    plan->loopback_up ? "true" : "false");
	json_ports(out, plan->tcp_connect_handled, &plan->tcp_connect);
	strbuf_addstr(out, ", \"tcp_bind\": ");
	json_ports(out, plan->tcp_bind_handled, &plan->tcp_bind);
	strbuf_addstr(out, "},\n");
}

static void
json_limits(struct strbuf *out, const struct def_limits *l)
{
	strbuf_addf(out, "  \"limits\": {\"cpu_seconds\": %llu, "
		    "\"open_files\": %llu, \"processes\": %llu, "
		    "\"memory_bytes\": %llu, \"file_size_bytes\": %llu, "
		    "\"wall_seconds\": %llu},\n",
		    (unsigned long long)l->cpu_seconds,
		    (unsigned long long)l->open_files,
		    (unsigned long long)l->processes,
		    (unsigned long long)l->memory_bytes,
		    (unsigned long long)l->file_size_bytes,
		    (unsigned long long)l->wall_seconds);
}

static size_t
count(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

void
linux_plan_to_json(const struct linux_plan *plan, struct strbuf *out)
{
	/* "version": the shape of this document, like every --format json */
	strbuf_addstr(out, "{\n  \"version\": 1,\n  \"namespaces\": ");
	json_namespaces(out, plan->namespaces);
	strbuf_addstr(out, ",\n  \"home\": ");
	if (plan->home)
		strbuf_add_quoted(out, plan->home);
	else
		strbuf_addstr(out, "null");
	strbuf_addstr(out, ",\n");
	json_paths(out, plan);
	json_network(out, plan);
	strbuf_addstr(out, "  \"landlock_scopes\": [\"abstract-unix-socket\", "
		      "\"signal\"],\n  \"seccomp\": {\"deny\": ");
	json_strings(out, linux_plan_seccomp_deny,
		     count(linux_plan_seccomp_deny));
	strbuf_addstr(out, ", \"arguments\": ");
	json_strings(out, linux_plan_seccomp_args,
		     count(linux_plan_seccomp_args));
	strbuf_addstr(out, ", \"setid\": ");
	json_strings(out, linux_plan_seccomp_setid,
		     count(linux_plan_seccomp_setid));
	strbuf_addstr(out, ", \"sockets\": ");
	strbuf_add_quoted(out, linux_plan_socket_rules[plan->sockets]);
	strbuf_addstr(out, "},\n");
	json_limits(out, &plan->limits);
	strbuf_addstr(out, "  \"approximations\": ");
	json_strings(out, (const char *const *)plan->notes.v, plan->notes.nr);
	strbuf_addstr(out, "\n}\n");
}
