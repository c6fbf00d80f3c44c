// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: netfilter hooks, registered by the module in every network namespace for IPv4
 * and IPv6. They decide packets, whoever sends them:
 *
 *   pre-routing   a packet arriving on a device of an inactive exclusive member is dropped
 *   forward       in-device's domain -> out-device's domain, channel net
 *   post-routing  a local socket's domain -> out-device's domain, channel net; a packet
 *                 leaving through a device of an inactive member is dropped
 *   local-in      an ICMP or ICMPv6 error for local sockets: in-device's domain -> the
 *                 domain of every socket the kernel gives it to (the TCP or UDP socket that
 *                 sent the quoted packet, raw sockets of its protocol, a ping socket), channel
 *                 net (errors never reach socket_sock_rcv_skb: they go to the sockets' error
 *                 queues and error state)
 *
 * Delivery to a local socket is decided by the socket_sock_rcv_skb BPF program, which knows
 * the receiving socket (kfuncs_net.c). Packets the kernel sends with no socket of a task
 * behind them (ICMP errors and echo replies, resets from a closed port, neighbour discovery:
 * no socket, or one of the kernel's own) are not a task's flow; they are only stopped at
 * inactive members' devices.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/netfilter/nf_socket.h>
#include <net/net_namespace.h>
#include <net/raw.h>
#include <net/rawv6.h>
#include <net/netns/generic.h>

#include "bulkhead.h"
#include "policy.h"

static unsigned int verdict(u32 v)
{
	return v == BULKHEAD_VERDICT_ALLOW ? NF_ACCEPT : NF_DROP;
}

/* A device's own traffic: allowed unless its domain is an inactive exclusive member. */
static u32 device_active(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			 const struct net_device *dev, const struct sk_buff *skb)
{
	struct bulkhead_object what = { .dev = dev, .skb = skb };
	u32 d = bulkhead_dev_domain(pol, dev);

	return bulkhead_decide_on(pol, hook, d, d, BULKHEAD_CHAN_NET, BULKHEAD_VERDICT_EPERM,
				  &what);
}

static unsigned int pre_routing(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(BULKHEAD_HOOK_NF_PRE_ROUTING);

	return pol ? verdict(device_active(pol, BULKHEAD_HOOK_NF_PRE_ROUTING, state->in,
					   skb)) :
		     NF_ACCEPT;
}

static unsigned int forward(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(BULKHEAD_HOOK_NF_FORWARD);
	struct bulkhead_object what = { .dev = state->out, .skb = skb };

	if (!pol)
		return NF_ACCEPT;
	return verdict(bulkhead_decide_on(pol, BULKHEAD_HOOK_NF_FORWARD,
					  bulkhead_dev_domain(pol, state->in),
					  bulkhead_dev_domain(pol, state->out), BULKHEAD_CHAN_NET,
					  BULKHEAD_VERDICT_EPERM, &what));
}

static unsigned int post_routing(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const enum bulkhead_hook hook = BULKHEAD_HOOK_NF_POST_ROUTING;
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .dev = state->out, .skb = skb };
	struct sock *sk;
	u32 v;

	if (!pol)
		return NF_ACCEPT;
	v = device_active(pol, hook, state->out, skb);
	/*
	 * A request socket (a SYN-ACK) stands for its listener, which skb_to_full_sk() finds. The
	 * kernel's own sockets (ICMP replies, resets, neighbour discovery) send for no task.
	 */
	sk = skb_to_full_sk(skb);
	if (v == BULKHEAD_VERDICT_ALLOW && sk && sk_fullsock(sk) && !sk->sk_kern_sock)
		v = bulkhead_decide_on(pol, hook, bulkhead_sock_domain(pol, sk),
				       bulkhead_dev_domain(pol, state->out), BULKHEAD_CHAN_NET,
				       BULKHEAD_VERDICT_EPERM, &what);
	return verdict(v);
}

/* Whether @skb is an ICMP or ICMPv6 error (or redirect), which quotes a packet a socket sent. */
static bool icmp_error(struct sk_buff *skb, u8 pf)
{
	u8 type, *tp;
	int off = 0;

	if (pf == NFPROTO_IPV4) {
		if (ip_hdr(skb)->protocol != IPPROTO_ICMP)
			return false;
		off = ip_hdrlen(skb);
	} else if (ipv6_find_hdr(skb, &off, IPPROTO_ICMPV6, NULL, NULL) != IPPROTO_ICMPV6) {
		return false;
	}
	tp = skb_header_pointer(skb, off, sizeof(type), &type);
	if (!tp)
		return false;
	if (pf == NFPROTO_IPV4)
		return *tp == ICMP_DEST_UNREACH || *tp == ICMP_SOURCE_QUENCH ||
		       *tp == ICMP_REDIRECT || *tp == ICMP_TIME_EXCEEDED ||
		       *tp == ICMP_PARAMETERPROB;
	return *tp < ICMPV6_ECHO_REQUEST || *tp == NDISC_REDIRECT;
}

/* The quoted packet of an ICMP or ICMPv6 error: who sent it, to whom, in what protocol. */
struct quoted {
	u8 protocol;		/* IPPROTO_*, after IPv6 extension headers */
	bool echo;		/* an echo request: a ping socket's */
	__be32 saddr4, daddr4;
	struct in6_addr saddr6, daddr6;
};

static bool quoted_packet(struct sk_buff *skb, u8 pf, struct quoted *q)
{
	int off, inner;
	u8 type, *tp;

	if (pf == NFPROTO_IPV4) {
		struct iphdr _iph;
		const struct iphdr *iph;

		inner = ip_hdrlen(skb) + sizeof(struct icmphdr);
		iph = skb_header_pointer(skb, inner, sizeof(_iph), &_iph);
		if (!iph)
			return false;
		q->protocol = iph->protocol;
		q->saddr4 = iph->saddr;
		q->daddr4 = iph->daddr;
		off = inner + iph->ihl * 4;
		tp = skb_header_pointer(skb, off, sizeof(type), &type);
		q->echo = q->protocol == IPPROTO_ICMP && tp && *tp == ICMP_ECHO;
		return true;
	}
#if IS_ENABLED(CONFIG_IPV6)
	{
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;
		__be16 frag_off;

		inner = 0;
		if (ipv6_find_hdr(skb, &inner, IPPROTO_ICMPV6, NULL, NULL) != IPPROTO_ICMPV6)
			return false;
		inner += sizeof(struct icmp6hdr);
		ip6h = skb_header_pointer(skb, inner, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		q->protocol = ip6h->nexthdr;
		q->saddr6 = ip6h->saddr;
		q->daddr6 = ip6h->daddr;
		off = ipv6_skip_exthdr(skb, inner + sizeof(*ip6h), &q->protocol, &frag_off);
		if (off < 0)
			return false;
		tp = skb_header_pointer(skb, off, sizeof(type), &type);
		q->echo = q->protocol == IPPROTO_ICMPV6 && tp && *tp == ICMPV6_ECHO_REQUEST;
		return true;
	}
#else
	return false;
#endif
}

/*
 * The raw sockets the kernel hands the error to (raw_icmp_error(), raw6_icmp_error(): those
 * of the quoted protocol whose addresses and device match), each decided as in-device's
 * domain -> the socket's. The first denial drops the error for all of them.
 */
static u32 raw_sockets_reached(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			       const struct nf_hook_state *state, const struct quoted *q,
			       u32 from, const struct bulkhead_object *what)
{
	int dif = state->in->ifindex;
	struct hlist_head *head;
	u32 v = BULKHEAD_VERDICT_ALLOW;
	struct sock *sk;

	if (state->pf == NFPROTO_IPV4)
		head = &raw_v4_hashinfo.ht[raw_hashfunc(state->net, q->protocol)];
	else
		head = &raw_v6_hashinfo.ht[raw_hashfunc(state->net, q->protocol)];
	/* Netfilter hooks run under rcu_read_lock(), as the kernel's own walk does. */
	sk_for_each_rcu(sk, head) {
		bool match = state->pf == NFPROTO_IPV4 ?
			     raw_v4_match(state->net, sk, q->protocol, q->daddr4, q->saddr4, dif,
					  dif) :
			     raw_v6_match(state->net, sk, q->protocol, &q->saddr6, &q->daddr6, dif,
					  dif);

		if (!match)
			continue;
		v = bulkhead_decide_on(pol, hook, from, bulkhead_sock_domain(pol, sk),
				       BULKHEAD_CHAN_NET, BULKHEAD_VERDICT_EPERM, what);
		if (v != BULKHEAD_VERDICT_ALLOW)
			break;
	}
	return v;
}

/*
 * An error quoting an echo request goes to the ping socket with that echo identifier, which
 * the kernel finds in a table it does not export. Any domain's ping socket could be the one:
 * the error is delivered only when the in-device's domain may send to every domain (host
 * aside, whose network it is when the device is host's).
 */
static u32 ping_sockets_reached(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
				u32 from, const struct bulkhead_object *what)
{
	u32 i, to;

	if (from == BULKHEAD_HOST_DOMAIN_ID)
		return BULKHEAD_VERDICT_ALLOW;
	for (i = 0; i < pol->n_domains; i++) {
		to = pol->domains[i].id;
		/* An exchange's boxes hold files, never sockets. */
		if (to == from || to == BULKHEAD_HOST_DOMAIN_ID || pol->domains[i].box)
			continue;
		if (!(bulkhead_flow(pol, from, to) & BULKHEAD_CHAN_NET))
			return bulkhead_decide_on(pol, hook, from, to, BULKHEAD_CHAN_NET,
						  BULKHEAD_VERDICT_EPERM, what);
	}
	return BULKHEAD_VERDICT_ALLOW;
}

static unsigned int local_in(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	const enum bulkhead_hook hook = BULKHEAD_HOOK_NF_LOCAL_IN;
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .dev = state->in, .skb = skb };
	struct quoted q = {};
	struct sock *sk, *full;
	u32 v = BULKHEAD_VERDICT_ALLOW, from;

	if (!pol || !icmp_error(skb, state->pf) || !quoted_packet(skb, state->pf, &q))
		return NF_ACCEPT;
	from = bulkhead_dev_domain(pol, state->in);
	/* The TCP or UDP socket the quoted packet came from, as xt_socket finds it. */
	sk = state->pf == NFPROTO_IPV4 ? nf_sk_lookup_slow_v4(state->net, skb, state->in) :
					 nf_sk_lookup_slow_v6(state->net, skb, state->in);
	if (sk) {
		full = sk_to_full_sk(sk);
		if (full && sk_fullsock(full) && !full->sk_kern_sock)
			v = bulkhead_decide_on(pol, hook, from, bulkhead_sock_domain(pol, full),
					       BULKHEAD_CHAN_NET, BULKHEAD_VERDICT_EPERM, &what);
		sock_gen_put(sk);
	}
	if (v == BULKHEAD_VERDICT_ALLOW)
		v = raw_sockets_reached(pol, hook, state, &q, from, &what);
	if (v == BULKHEAD_VERDICT_ALLOW && q.echo)
		v = ping_sockets_reached(pol, hook, from, &what);
	return verdict(v);
}

#define HOOK(fn, family, num) \
	{ .hook = fn, .pf = family, .hooknum = num, .priority = NF_IP_PRI_FILTER }

static const struct nf_hook_ops hook_ops[] = {
	HOOK(pre_routing, NFPROTO_IPV4, NF_INET_PRE_ROUTING),
	HOOK(forward, NFPROTO_IPV4, NF_INET_FORWARD),
	HOOK(post_routing, NFPROTO_IPV4, NF_INET_POST_ROUTING),
	HOOK(local_in, NFPROTO_IPV4, NF_INET_LOCAL_IN),
#if IS_ENABLED(CONFIG_IPV6)
	HOOK(pre_routing, NFPROTO_IPV6, NF_INET_PRE_ROUTING),
	HOOK(forward, NFPROTO_IPV6, NF_INET_FORWARD),
	HOOK(post_routing, NFPROTO_IPV6, NF_INET_POST_ROUTING),
	HOOK(local_in, NFPROTO_IPV6, NF_INET_LOCAL_IN),
#endif
};

static int __net_init net_init(struct net *net)
{
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

static void __net_exit net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

static struct pernet_operations net_ops = {
	.init = net_init,
	.exit = net_exit,
};

int bulkhead_netfilter_register(void)
{
	return register_pernet_subsys(&net_ops);
}

void bulkhead_netfilter_unregister(void)
{
	unregister_pernet_subsys(&net_ops);
}
