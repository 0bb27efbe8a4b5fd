/* The non-filesystem parts of an emitted profile. */
#include "sbpl/emit_int.h"

#include <stdio.h>
#include <string.h>

/* Mach services nearly every program looks up (MACOS.md §1.8.7). */
static const char *const startup_services[] = {
	"com.apple.system.opendirectoryd.libinfo", /* getpwuid, crbug 792228 */
	"com.apple.system.logger",                 /* ASL */
	"com.apple.logd",                          /* os_log */
	"com.apple.diagnosticd",
	"com.apple.system.notification_center",    /* notify(3) */
	"com.apple.cfprefsd.daemon",               /* CFPreferences */
	"com.apple.cfprefsd.agent",
	"com.apple.bsd.dirhelper",                 /* confstr temp dirs */
	NULL,
};

/* DNS and TLS, needed once any outbound traffic is allowed (§1.8.7). */
static const char *const network_services[] = {
	"com.apple.SystemConfiguration.configd",
	"com.apple.SystemConfiguration.DNSConfiguration",
	"com.apple.trustd",
	"com.apple.trustd.agent",
	NULL,
};

/* (allow mach-lookup (global-name ...) ...): several filters are OR
 * (SBPL-SEMANTICS.md §a.2). */
static void
emit_global_names(struct emitter *em, const char *const *names, size_t n)
{
	struct emit_rule r;

	emit_rule_begin(em, &r, 1, "mach-lookup");
	for (size_t i = 0; i < n && names[i]; i++)
		emit_rule_filter(em, &r, 1, "global-name", NULL, names[i]);
	emit_rule_end(em, &r);
}

void
emit_startup(struct emitter *em)
{
	struct emit_rule r;

	struct src_loc none = { NULL, 0, 0 };

	strbuf_addstr(em->out,
		      "\n;; Start-up rules: what any program needs under (deny default).\n"
		      ";; Without them even /usr/bin/true dies with SIGABRT (Apple's system.sb and bsd.sb).\n"
		      ";; Process basics (Apple's system.sb, bsd.sb).\n");
	emit_single(em, 1, "process-fork", NULL, NULL, NULL);
	emit_single(em, 1, "signal", "target", "same-sandbox", NULL);
	strbuf_addstr(em->out, ";; sysctl reads: hw.ncpu, kern.osrelease, ... (Apple's system.sb).\n");
	emit_single(em, 1, "sysctl-read", NULL, NULL, NULL);
	strbuf_addstr(em->out, ";; notify(3) shared memory, as Apple's system.sb.\n");
	emit_single(em, 1, "ipc-posix-shm-read-data", "ipc-posix-name", NULL,
		    "apple.shm.notification_center");
	strbuf_addstr(em->out, ";; dyld opens /dev/dtracehelper (Apple's system.sb, Nix sandbox-defaults.sb).\n");
	emit_rule_begin(em, &r, 1, "file-ioctl");
	emit_rule_filter_path(em, &r, 1, "literal", "/dev/dtracehelper", none);
	emit_rule_end(em, &r);
	strbuf_addstr(em->out,
		      ";; Mach services nearly every program looks up (Apple's system.sb).\n");
	emit_global_names(em, startup_services, (size_t)-1);
}

static void
emit_port_rules(struct emitter *em, const char *op, const char *dir,
		const struct def_ports *ports)
{
	struct emit_rule r;
	char hostport[16];

	if (!ports->nr)
		return;
	emit_rule_begin(em, &r, 1, op);
	for (size_t i = 0; i < ports->nr; i++) {
		/* hosts in network filters are only * or localhost (§c, MXC #946) */
		snprintf(hostport, sizeof(hostport), "*:%u", ports->v[i]);
		emit_rule_filter(em, &r, 1, dir, "ip", hostport);
	}
	emit_rule_end(em, &r);
}

void
emit_network(struct emitter *em, const struct container_def *def)
{
	int outbound = 0;

	strbuf_addstr(em->out, "\n;; Network.\n");
	switch (def->network) {
	case DEF_NET_NONE:
		strbuf_addstr(em->out, ";; none: everything is denied by default.\n");
		break;
	case DEF_NET_LOCALHOST:
		/* network-bind falls back to network-inbound (SBPL-SEMANTICS.md §a.3) */
		emit_single(em, 1, "network-outbound", "remote", "ip", "localhost:*");
		emit_single(em, 1, "network-inbound", "local", "ip", "localhost:*");
		break;
	case DEF_NET_OUTBOUND:
		emit_single(em, 1, "network-outbound", "remote", "ip", "*:*");
		outbound = 1;
		break;
	case DEF_NET_ALL:
		emit_single(em, 1, "network*", NULL, NULL, NULL);
		outbound = 1;
		break;
	case DEF_NET_PORTS:
		emit_port_rules(em, "network-outbound", "remote", &def->net_outbound);
		emit_port_rules(em, "network-inbound", "local", &def->net_bind);
		outbound = def->net_outbound.nr > 0;
		break;
	}
	if (!outbound)
		return;
	strbuf_addstr(em->out,
		      ";; Name resolution and TLS (Apple's system.sb): mDNSResponder's socket\n"
		      ";; is matched by path (as Apple's system.sb).\n");
	{
		struct emit_rule r;

		emit_rule_begin(em, &r, 1, "network-outbound");
		struct src_loc none = { NULL, 0, 0 };

		emit_rule_filter_path(em, &r, 1, "literal", "/private/var/run/mDNSResponder", none);
		emit_rule_end(em, &r);
	}
	emit_global_names(em, network_services, (size_t)-1);
}

void
emit_mach(struct emitter *em, const struct container_def *def)
{
	if (!def->mach_lookup.nr)
		return;
	strbuf_addstr(em->out, "\n;; macos.mach-lookup from the definition.\n");
	emit_global_names(em, (const char *const *)def->mach_lookup.v,
			  def->mach_lookup.nr);
}

void
emit_escape_hatch(struct emitter *em, const struct container_def *def)
{
	if (!def->sbpl_import.nr && !def->sbpl_raw)
		return;
	strbuf_addstr(em->out,
		      "\n;; sbpl escape hatch from the definition (evaluated last, so its\n"
		      ";; filtered rules take precedence).\n");
	for (size_t i = 0; i < def->sbpl_import.nr; i++) {
		strbuf_addstr(em->out, "(import ");
		strbuf_add_quoted(em->out, def->sbpl_import.v[i]);
		strbuf_addstr(em->out, ")\n");
	}
	if (def->sbpl_raw) {
		strbuf_addstr(em->out, def->sbpl_raw);
		strbuf_addch(em->out, '\n');
	}
}
