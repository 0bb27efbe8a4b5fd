/* The non-filesystem parts of an emitted profile. */
#include "sbpl/emit_int.h"

#include <stdio.h>
#include <string.h>

/*
 * Mach services nearly every program looks up (codex base policy and
 * platform defaults, sandbox-runtime). Not com.apple.PowerManagement.control
 * (codex grants it): it holds power assertions and command-line tools
 * start without it.
 */
static const char *const startup_services[] = {
	"com.apple.system.opendirectoryd.libinfo", /* getpwuid, crbug 792228 */
	"com.apple.system.opendirectoryd.membership", /* group checks (codex) */
	"com.apple.system.logger",                 /* ASL */
	"com.apple.logd",                          /* os_log */
	"com.apple.diagnosticd",
	"com.apple.system.notification_center",    /* notify(3) */
	"com.apple.cfprefsd.daemon",               /* CFPreferences */
	"com.apple.cfprefsd.agent",
	"com.apple.bsd.dirhelper",                 /* confstr temp dirs */
	NULL,
};

static const char *const ioctl_devices[] = {
	"/dev/dtracehelper", "/dev/null", "/dev/zero", "/dev/random",
	"/dev/urandom", NULL,
};

/*
 * DNS and TLS certificate checks, once any outbound traffic is allowed
 * (chromium sandbox/policy/mac/network.sb, codex seatbelt_network_policy).
 */
static const char *const network_services[] = {
	"com.apple.SystemConfiguration.configd",
	"com.apple.SystemConfiguration.DNSConfiguration",
	"com.apple.SecurityServer",
	"com.apple.networkd",
	"com.apple.ocspd",
	"com.apple.trustd",
	"com.apple.trustd.agent",
	NULL,
};

/* (allow mach-lookup (global-name ...) ...): several filters are OR
 * (simbple sbpl_v1.scm with-filter). */
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
		      "\n;; Start-up rules: what any program needs under (deny default)\n"
		      ";; (chromium common.sb, codex seatbelt_base_policy.sbpl).\n");
	emit_single(em, 1, "process-fork", NULL, NULL, NULL);
	emit_single(em, 1, "signal", "target", "same-sandbox", NULL);
	strbuf_addstr(em->out, ";; sysctl reads: hw.ncpu, kern.osrelease, ...; Java reads its CPU\n"
			       ";; type through a sysctl write (codex).\n");
	emit_single(em, 1, "sysctl-read", NULL, NULL, NULL);
	emit_single(em, 1, "sysctl-write", "sysctl-name", NULL, "kern.grade_cputype");
	strbuf_addstr(em->out, ";; host_processor_info: Node's os.cpus() (codex).\n");
	emit_single(em, 1, "mach-host*", NULL, NULL, NULL);
	strbuf_addstr(em->out, ";; notify(3) shared memory, as Apple's system.sb; preferences\n"
			       ";; (CoreFoundation reads cfprefsd's shared memory and asks it).\n");
	emit_single(em, 1, "ipc-posix-shm-read-data", "ipc-posix-name", NULL,
		    "apple.shm.notification_center");
	emit_single(em, 1, "ipc-posix-shm-read-data", "ipc-posix-name-prefix", NULL,
		    "apple.cfprefs.");
	emit_single(em, 1, "user-preference-read", NULL, NULL, NULL);
	strbuf_addstr(em->out, ";; POSIX semaphores: Python multiprocessing's SemLock (codex).\n");
	emit_single(em, 1, "ipc-posix-sem", NULL, NULL, NULL);
	strbuf_addstr(em->out, ";; libomp registers itself in shared memory (codex, PyTorch).\n");
	emit_rule_begin(em, &r, 1, "ipc-posix-shm-read-data");
	emit_rule_filter(em, &r, 1, "ipc-posix-name-regex", NULL,
			 "^/__KMP_REGISTERED_LIB_[0-9]+$");
	emit_rule_end(em, &r);
	emit_rule_begin(em, &r, 1, "ipc-posix-shm-write-create");
	emit_rule_filter(em, &r, 1, "ipc-posix-name-regex", NULL,
			 "^/__KMP_REGISTERED_LIB_[0-9]+$");
	emit_rule_end(em, &r);
	emit_rule_begin(em, &r, 1, "ipc-posix-shm-write-unlink");
	emit_rule_filter(em, &r, 1, "ipc-posix-name-regex", NULL,
			 "^/__KMP_REGISTERED_LIB_[0-9]+$");
	emit_rule_end(em, &r);
	strbuf_addstr(em->out, ";; dyld opens /dev/dtracehelper; isatty() and friends ask the\n"
			       ";; standard devices (sandbox-runtime).\n");
	emit_rule_begin(em, &r, 1, "file-ioctl");
	for (size_t i = 0; ioctl_devices[i]; i++)
		emit_rule_filter_path(em, &r, 1, "literal", ioctl_devices[i], none);
	emit_rule_end(em, &r);
	strbuf_addstr(em->out, ";; syslog(3) and ASL write to these sockets (chromium common.sb).\n");
	emit_rule_begin(em, &r, 1, "network-outbound");
	emit_rule_filter_path(em, &r, 1, "literal", "/private/var/run/syslog", none);
	emit_rule_filter_path(em, &r, 1, "literal", "/private/var/run/asl_input", none);
	emit_rule_end(em, &r);
	strbuf_addstr(em->out,
		      ";; Mach services nearly every program looks up.\n");
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

/* mDNSResponder's socket is matched by path (chromium network.sb). */
static void
emit_name_resolution(struct emitter *em)
{
	struct src_loc none = { NULL, 0, 0 };
	struct emit_rule r;

	emit_rule_begin(em, &r, 1, "network-outbound");
	emit_rule_filter_path(em, &r, 1, "literal", "/private/var/run/mDNSResponder", none);
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
		strbuf_addstr(em->out,
			      ";; localhost. Binding the wildcard address is allowed: a dual-stack\n"
			      ";; socket (::, ::ffff:127.0.0.1) never matches \"localhost\" (nix\n"
			      ";; sandbox-defaults.sb \"required to bind and listen\", codex#12702);\n"
			      ";; connections go to localhost only. The name localhost resolves\n"
			      ";; through mDNSResponder (nix: \"even needed for localhost\").\n");
		/* network-bind falls back to network-inbound */
		emit_single(em, 1, "network-outbound", "remote", "ip", "localhost:*");
		emit_single(em, 1, "network-bind", "local", "ip", "localhost:*");
		emit_single(em, 1, "network-bind", "local", "ip", "*:*");
		emit_single(em, 1, "network-inbound", "local", "ip", "localhost:*");
		emit_single(em, 1, "network-inbound", "local", "ip", "*:*");
		emit_name_resolution(em);
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
		      ";; Name resolution and TLS certificate checks (chromium network.sb,\n"
		      ";; codex seatbelt_network_policy.sbpl): mDNSResponder, the routing and\n"
		      ";; network-change sockets, the security server's shared memory.\n");
	emit_name_resolution(em);
	emit_single(em, 1, "network-outbound", "control-name", NULL, "com.apple.netsrc");
	emit_system_sockets(em);
	emit_single(em, 1, "ipc-posix-shm-read-data", "ipc-posix-name", NULL,
		    "com.apple.AppleDatabaseChanged");
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
