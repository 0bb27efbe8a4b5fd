/* Proposals from denial records (learn.h). */
#include "backend/learn.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/linux/linux_plan.h"
#include "util/xalloc.h"

/* A folder holding this many refused paths is granted whole. */
#define LEARN_FOLDER_AT 3

struct grants {
	char **v;
	size_t nr, alloc;
};

static void
grants_add(struct grants *g, const char *path)
{
	for (size_t i = 0; i < g->nr; i++)
		if (linux_plan_beneath(g->v[i], path))
			return;  /* covered already */
	ALLOC_GROW(g->v, g->nr + 1, g->alloc);
	g->v[g->nr++] = xstrdup(path);
}

static void
grants_release(struct grants *g)
{
	for (size_t i = 0; i < g->nr; i++)
		free(g->v[i]);
	free(g->v);
}

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash != path ? xstrndup(path, (size_t)(slash - path))
				      : xstrdup("/");
}

/* Why a path may not be granted, or NULL. */
static const char *
forbidden(const struct learn_ctx *c, const char *path)
{
	if (!strcmp(path, "/"))
		return "the whole file system";
	if (c->home && linux_plan_beneath(path, c->home))
		return "the whole home folder";
	if (c->store && (linux_plan_beneath(c->store, path) ||
			 linux_plan_beneath(path, c->store)))
		return "sbox's container store";
	/* every launch denies it anyway: a grant there only misleads */
	if (c->seal && linux_plan_beneath(c->seal, path))
		return "sbox's seal key";
	return NULL;
}

/* What path names on the host (a missing last name kept), or NULL. */
static char *
host_path(const char *path)
{
	char *real = realpath(path, NULL), *dir, *rdir;

	if (real || path[0] != '/')
		return real;
	dir = parent_of(path);
	rdir = realpath(dir, NULL);
	if (rdir)
		real = xasprintf("%s%s", strcmp(rdir, "/") ? rdir : "",
				 path + strlen(dir));
	free(dir);
	free(rdir);
	return real;
}

/*
 * A path that goes through a symlink names another one: a deny there, a
 * path never allowed there or a folder never granted there refuses the
 * grant as one on the written path does (a program reads /lib/x where
 * the definition denies /usr/lib/x). 1 and a report line when refused.
 */
static int
refused_on_host(const struct denial_why *why, const struct learn_ctx *c,
		const struct denial *e, struct strbuf *report)
{
	char *real = host_path(e->target);
	struct denial_reason r;
	const char *no, *op;
	int refused = 1;

	if (!real || !strcmp(real, e->target)) {
		free(real);
		return 0;
	}
	denial_why_explain(why, e->op, real, &r);
	op = denial_op_name(e->op);
	if (r.never)
		strbuf_addf(report, "  not granted: %s %s: it is %s, never "
			    "allowed in a container (%s)\n", op, e->target,
			    real, r.never);
	else if (r.decided_by_rule)
		strbuf_addf(report, "  not granted: %s %s: it is %s, which "
			    "the definition denies (%s at %s)\n", op,
			    e->target, real, r.rule, r.where ? r.where : "?");
	else if ((no = forbidden(c, real)))
		strbuf_addf(report, "  not granted: %s %s: it is %s, %s\n",
			    op, e->target, real, no);
	else
		refused = 0;
	denial_reason_release(&r);
	free(real);
	return refused;
}

/* How many refused paths of op lie beneath dir. */
static size_t
count_beneath(const struct denials *d, enum denial_op op, const char *dir)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nr; i++)
		if (d->v[i].op == op && d->v[i].target[0] == '/' &&
		    linux_plan_beneath(dir, d->v[i].target) &&
		    strcmp(dir, d->v[i].target))
			n++;
	return n;
}

/*
 * The grant for one refused path: its deepest folder holding enough
 * refused paths (exec: only the folder itself), else the path; a write
 * to a path that does not exist yet needs its folder.
 */
static char *
grant_for(const struct denials *d, const struct learn_ctx *c,
	  const struct denial *e)
{
	char *dir = parent_of(e->target), *up;
	struct stat st;

	if (((e->op == DENY_WRITE && stat(e->target, &st) < 0) ||
	     (stat(e->target, &st) == 0 && (double)st.st_ctim.tv_sec + (double)st.st_ctim.tv_nsec / 1e9 >=
	      c->started)) &&
	    !forbidden(c, dir))
		return dir;
	/* a folder that was read itself, with enough refused inside */
	if (count_beneath(d, e->op, e->target) >= LEARN_FOLDER_AT) {
		free(dir);
		return xstrdup(e->target);
	}
	for (int depth = 0; !forbidden(c, dir); depth++) {
		if (count_beneath(d, e->op, dir) >= LEARN_FOLDER_AT)
			return dir;
		if (e->op == DENY_EXEC || depth == 2)
			break;
		up = parent_of(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	return xstrdup(e->target);
}

static void
add_port(json_t *list, const char *target)
{
	const char *colon = strrchr(target, ':');
	json_int_t port = colon ? strtol(colon + 1, NULL, 10) : 0;
	size_t i;
	json_t *v;

	if (port <= 0 || port > 65535)
		return;
	json_array_foreach(list, i, v)
		if (json_integer_value(v) == port)
			return;
	json_array_append_new(list, json_integer(port));
}

static void
start_ports(json_t *list, const struct def_ports *p)
{
	for (size_t i = 0; i < p->nr; i++)
		json_array_append_new(list, json_integer(p->v[i]));
}

static json_t *
strings(const struct grants *g)
{
	json_t *a = json_array();

	for (size_t i = 0; i < g->nr; i++)
		json_array_append_new(a, json_string(g->v[i]));
	return a;
}

/* The network part: the starting ports plus those used. */
static json_t *
network_of(const struct learn_ctx *c, json_t *out, json_t *bind)
{
	json_t *net = json_object();

	if (c->start->network == DEF_NET_PORTS) {
		start_ports(out, &c->start->net_outbound);
		start_ports(bind, &c->start->net_bind);
	}
	json_object_set(net, "outbound", out);
	json_object_set(net, "bind", bind);
	return net;
}

json_t *
learn_propose(const struct denials *d, const struct denial_why *why,
	      const struct learn_ctx *c, struct strbuf *report)
{
	struct grants g[3] = { { NULL, 0, 0 }, { NULL, 0, 0 }, { NULL, 0, 0 } };
	static const char *const keys[3] = { "read", "write", "exec" };
	json_t *def = json_object(), *fs = json_object();
	json_t *out = json_array(), *bind = json_array();
	const char *net_mode = NULL;
	int net = 0;

	for (size_t i = 0; i < d->nr; i++) {
		const struct denial *e = &d->v[i];
		struct denial_reason r;
		const char *no;
		char *grant;

		denial_why_explain(why, e->op, e->target, &r);
		if (r.never) {
			strbuf_addf(report, "  not granted: %s %s: never allowed "
				    "in a container (%s)\n", denial_op_name(e->op),
				    e->target, r.never);
		} else if (e->op == DENY_SOCKET) {
			/* an IP socket the network setting refuses: the
			 * smallest setting that has them */
			net_mode = c->start->network == DEF_NET_NONE ?
				   "localhost" : "all";
		} else if (r.decided_by_rule) {
			strbuf_addf(report, "  not granted: %s %s: the definition "
				    "denies it (%s at %s)\n", denial_op_name(e->op),
				    e->target, r.rule, r.where);
		} else if (e->op == DENY_CONNECT || e->op == DENY_BIND) {
			if (e->target[0] == '/') {
				grants_add(&g[1], e->target);
			} else {
				add_port(e->op == DENY_CONNECT ? out : bind, e->target);
				net = 1;
			}
		} else if ((no = forbidden(c, e->target))) {
			strbuf_addf(report, "  not granted: %s %s: %s\n",
				    denial_op_name(e->op), e->target, no);
		} else if (!refused_on_host(why, c, e, report)) {
			grant = grant_for(d, c, e);
			grants_add(&g[e->op == DENY_READ ? 0 : e->op == DENY_WRITE ? 1 : 2],
				   grant);
			free(grant);
		}
		denial_reason_release(&r);
	}
	json_object_set_new(def, "extends", json_pack("[s]", c->extends));
	json_object_set_new(def, "name", json_string(c->name));
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < g[k].nr; i++)
			strbuf_addf(report, "  grant: filesystem.%s \"%s\"\n",
				    keys[k], g[k].v[i]);
		if (g[k].nr)
			json_object_set_new(fs, keys[k], strings(&g[k]));
		grants_release(&g[k]);
	}
	if (json_object_size(fs))
		json_object_set(def, "filesystem", fs);
	if (net) {
		json_t *n = network_of(c, out, bind);

		strbuf_addf(report, "  grant: network (outbound %s, bind %s)\n",
			    json_array_size(out) ? "ports used" : "none",
			    json_array_size(bind) ? "ports used" : "none");
		if (!json_array_size(bind))
			json_object_del(n, "bind");
		if (!json_array_size(out))
			json_object_del(n, "outbound");
		json_object_set_new(def, "network", n);
	}
	if (net_mode && !net) {
		strbuf_addf(report, "  grant: network \"%s\" (IP sockets were "
			    "refused)\n", net_mode);
		json_object_set_new(def, "network", json_string(net_mode));
	}
	json_decref(fs);
	json_decref(out);
	json_decref(bind);
	return def;
}
