/* SPDX-License-Identifier: MIT */
/* ICMP: the errno table and generation of unreachables by a fault rule. */
#include <glib.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "sim/trace.h"

/*
 * Models: net/ipv4/icmp.c:icmp_err_convert[] and the time-exceeded /
 * parameter-problem cases of net/ipv4/tcp_ipv4.c:tcp_v4_err, @ v6.18.
 * Returns the errno (positive) and whether the kernel calls it fatal.
 */
int icmp_err_convert(uint8_t type, uint8_t code, bool *fatal)
{
	static const struct { int err; bool fatal; } unreach[16] = {
		[ICMP_NET_UNREACH] = { SIM_ENETUNREACH, false },
		[ICMP_HOST_UNREACH] = { SIM_EHOSTUNREACH, false },
		[ICMP_PROT_UNREACH] = { SIM_ENOPROTOOPT, true },
		[ICMP_PORT_UNREACH] = { SIM_ECONNREFUSED, true },
		[ICMP_FRAG_NEEDED] = { SIM_EMSGSIZE, false },
		[ICMP_SR_FAILED] = { SIM_EOPNOTSUPP, false },
		[ICMP_NET_UNKNOWN] = { SIM_ENETUNREACH, true },
		[ICMP_HOST_UNKNOWN] = { SIM_EHOSTDOWN, true },
		[ICMP_HOST_ISOLATED] = { SIM_ENONET, true },
		[ICMP_NET_ANO] = { SIM_ENETUNREACH, true },
		[ICMP_HOST_ANO] = { SIM_EHOSTUNREACH, true },
		[11] = { SIM_ENETUNREACH, false },	/* ICMP_NET_UNR_TOS */
		[12] = { SIM_EHOSTUNREACH, false },	/* ICMP_HOST_UNR_TOS */
		[ICMP_PKT_FILTERED] = { SIM_EHOSTUNREACH, true },
		[14] = { SIM_EHOSTUNREACH, true },	/* ICMP_PREC_VIOLATION */
		[15] = { SIM_EHOSTUNREACH, true },	/* ICMP_PREC_CUTOFF */
	};

	*fatal = false;
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code > 15)
			return 0;
		*fatal = unreach[code].fatal;
		return unreach[code].err;
	case ICMP_TIME_EXCEEDED:
		return SIM_EHOSTUNREACH;
	case ICMP_PARAMETERPROB:
		*fatal = true;
		return SIM_EPROTO;
	default:
		return 0;
	}
}

/* Models: net/ipv4/icmp.c:__icmp_send() — an error quoting @orig, sent back to its source. */
void __icmp_send(struct net *router, const struct sk_buff *orig, uint8_t type, uint8_t code)
{
	struct sk_buff *skb = skb_alloc(router);

	skb->protocol = IPPROTO_ICMP;
	skb->saddr = router->addr;
	skb->daddr = orig->saddr;
	skb->icmp_type = type;
	skb->icmp_code = code;
	skb_icmp_quote(skb, orig);
	NET_INC_STATS(router, OutDestUnreachs);
	sim_trace(router->sim, router->name, NULL, "icmp_send", "net/ipv4/icmp.c:__icmp_send",
		  "type=%u code=%u", type, code);
	dev_queue_xmit(router, skb);
}
