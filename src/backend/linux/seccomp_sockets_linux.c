/*
 * Which sockets a program may create, by network mode (issue 10 items 3,
 * 4 and 9; LINUX-SECURITY.md #30). Only the families the mode needs:
 * AF_UNIX always, NETLINK_ROUTE (getifaddrs; it shows the container's own
 * interfaces in a private network namespace) and IP where the mode has a
 * network. Everything else answers EAFNOSUPPORT, what a kernel built
 * without the family says: vsock is not covered by the network namespace,
 * AF_ALG, AF_PACKET, bluetooth ... are kernel surface no mode needs.
 *
 * Where Landlock rules TCP (outbound, port lists) the IP protocols its
 * rules do not see are refused: Landlock (ABI 4 to 7) checks bind() and
 * connect() of TCP sockets only, so MPTCP (IPPROTO_MPTCP), SCTP, SMC
 * (IPPROTO_SMC) ... would connect and bind freely. They answer
 * EPROTONOSUPPORT, what a kernel without them says, so programs that try
 * MPTCP first (Go's listeners do) fall back to TCP. listen() goes to the
 * container's init (supervise_linux.c): listening on an unbound socket
 * binds an ephemeral port, which Landlock's bind rule never sees.
 *
 * The kernel reads these arguments as int: comparisons are on all 64 bits
 * and allow only exact values, so set high bits are refused, never let
 * through (the shape of CVE-2019-10063).
 */
#include "backend/linux/seccomp_rules_linux.h"

#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* linux/tcp.h: TCP_ULP */
#define TCP_ULP_OPT 31
/* socket()'s type carries SOCK_NONBLOCK / SOCK_CLOEXEC above these bits */
#define SOCK_TYPE_BITS 0xfu

static int
refuse_block(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned arg,
	     uint64_t mask, uint64_t value, const struct scmp_arg_cmp *when,
	     unsigned nwhen)
{
	struct scmp_arg_cmp cmp[4];

	for (unsigned i = 0; i < nwhen; i++)
		cmp[i] = when[i];
	cmp[nwhen] = (struct scmp_arg_cmp){ arg, SCMP_CMP_MASKED_EQ, mask,
					    value };
	return seccomp_rule_add_array(ctx, action, nr, nwhen + 1, cmp);
}

/* Refuse field values lo..hi as aligned power-of-two blocks. */
static int
refuse_range(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned arg,
	     uint64_t field, uint64_t lo, uint64_t hi,
	     const struct scmp_arg_cmp *when, unsigned nwhen)
{
	while (lo <= hi) {
		uint64_t size = 1;

		while (!(lo & size) && lo + size * 2 - 1 <= hi &&
		       size * 2 - 1 <= field)
			size *= 2;
		if (refuse_block(ctx, action, nr, arg, field & ~(size - 1),
				 lo, when, nwhen) < 0)
			return -1;
		lo += size;
	}
	return 0;
}

int
seccomp_refuse_outside(scmp_filter_ctx ctx, uint32_t action, int nr,
		       unsigned arg, uint64_t field, const uint64_t *allowed,
		       size_t nallowed, const struct scmp_arg_cmp *when,
		       unsigned nwhen)
{
	uint64_t next = 0;

	if (nwhen > 3)
		return -1;
	for (size_t i = 0; i < nallowed; next = allowed[i++] + 1)
		if (allowed[i] > next &&
		    refuse_range(ctx, action, nr, arg, field, next,
				 allowed[i] - 1, when, nwhen) < 0)
			return -1;
	if (field != ~(uint64_t)0)
		return next > field ? 0 :
		       refuse_range(ctx, action, nr, arg, field, next, field,
				    when, nwhen);
	{
		struct scmp_arg_cmp cmp[4];

		for (unsigned i = 0; i < nwhen; i++)
			cmp[i] = when[i];
		cmp[nwhen] = (struct scmp_arg_cmp){ arg, SCMP_CMP_GT,
						    next - 1, 0 };
		return seccomp_rule_add_array(ctx, action, nr, nwhen + 1, cmp);
	}
}

/* AF_INET/AF_INET6 limited to TCP, UDP and ping sockets. */
static int
refuse_untracked_ip(scmp_filter_ctx ctx, uint64_t family)
{
	static const uint64_t types[] = { SOCK_STREAM, SOCK_DGRAM };
	static const uint64_t stream[] = { 0, IPPROTO_TCP };
	static const uint64_t dgram[] = { 0, IPPROTO_ICMP, IPPROTO_UDP,
					  IPPROTO_ICMPV6 };
	const uint32_t refuse = SCMP_ACT_ERRNO(EPROTONOSUPPORT);
	struct scmp_arg_cmp when[2] = {
		SCMP_A0(SCMP_CMP_EQ, family),
		SCMP_A1(SCMP_CMP_MASKED_EQ, SOCK_TYPE_BITS, SOCK_STREAM),
	};

	if (seccomp_refuse_outside(ctx, refuse, SCMP_SYS(socket), 1,
				   SOCK_TYPE_BITS, types, ARRAY_SIZE(types),
				   when, 1) < 0 ||
	    seccomp_refuse_outside(ctx, refuse, SCMP_SYS(socket), 2,
				   ~(uint64_t)0, stream, ARRAY_SIZE(stream),
				   when, 2) < 0)
		return -1;
	when[1] = (struct scmp_arg_cmp)SCMP_A1(SCMP_CMP_MASKED_EQ,
					       SOCK_TYPE_BITS, SOCK_DGRAM);
	return seccomp_refuse_outside(ctx, refuse, SCMP_SYS(socket), 2,
				      ~(uint64_t)0, dgram, ARRAY_SIZE(dgram),
				      when, 2);
}

/*
 * An upper-layer protocol turns a TCP socket into something else: "smc"
 * (Linux 6.2, net/smc/af_smc.c) swaps in an SMC socket that Landlock's TCP
 * hooks no longer recognise. The option name cannot be read here, so
 * TCP_ULP is refused whole (kTLS users fall back to TLS in user space).
 */
static int
refuse_tcp_ulp(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setsockopt),
				2, SCMP_A1(SCMP_CMP_EQ, IPPROTO_TCP),
				SCMP_A2(SCMP_CMP_EQ, TCP_ULP_OPT));
}

int
seccomp_add_socket_rules(scmp_filter_ctx ctx, enum lplan_sockets which)
{
	static const uint64_t local[] = { AF_UNIX, AF_NETLINK };
	static const uint64_t ip[] = { AF_UNIX, AF_INET, AF_INET6,
				       AF_NETLINK };
	static const uint64_t unix_only[] = { AF_UNIX };
	static const uint64_t route[] = { NETLINK_ROUTE };
	const struct scmp_arg_cmp netlink = SCMP_A0(SCMP_CMP_EQ, AF_NETLINK);
	const uint32_t no_family = SCMP_ACT_ERRNO(EAFNOSUPPORT);

	if (seccomp_refuse_outside(ctx, no_family, SCMP_SYS(socket), 0,
				   ~(uint64_t)0,
				   which == LPS_LOCAL ? local : ip,
				   which == LPS_LOCAL ? ARRAY_SIZE(local)
						      : ARRAY_SIZE(ip),
				   NULL, 0) < 0 ||
	    seccomp_refuse_outside(ctx, SCMP_ACT_ERRNO(EPROTONOSUPPORT),
				   SCMP_SYS(socket), 2, ~(uint64_t)0, route,
				   ARRAY_SIZE(route), &netlink, 1) < 0 ||
	    /* socketpair: AF_TIPC has one too */
	    seccomp_refuse_outside(ctx, no_family, SCMP_SYS(socketpair), 0,
				   ~(uint64_t)0, unix_only,
				   ARRAY_SIZE(unix_only), NULL, 0) < 0)
		return -1;
	if (which != LPS_TCP_RULED)
		return 0;
	if (refuse_untracked_ip(ctx, AF_INET) < 0 ||
	    refuse_untracked_ip(ctx, AF_INET6) < 0 ||
	    refuse_tcp_ulp(ctx) < 0)
		return -1;
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(listen), 0);
}
