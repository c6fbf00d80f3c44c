// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for sockets. Unix sockets carry the "unix" channel between the tasks'
 * domains; IP sockets the "net" channel between a task and the domain of the network device
 * its traffic goes through (DESIGN section 2). The netfilter hooks (netfilter.c) decide every
 * packet; the checks here give the task an error at the system call instead of a silent drop.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/sock.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

__bpf_kfunc_start_defs();

/**
 * bulkhead_unix_connect() - decide connecting a unix stream socket to @other
 * @other: the listening socket
 * @hook: the asking hook (unix_stream_connect)
 *
 * A stream connection carries data both ways.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_unix_connect(struct sock *other, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_both_ways(pol, hook, bulkhead_current_domain(pol),
					 bulkhead_sock_domain(pol, other), BULKHEAD_CHAN_UNIX,
					 BULKHEAD_VERDICT_EACCES, NULL);
}

/**
 * bulkhead_unix_send() - decide a datagram (or a datagram connect) to unix socket @other
 * @other: the receiving socket
 * @hook: the asking hook (unix_may_send)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_unix_send(struct socket *other, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol || !other->sk)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide(pol, hook, bulkhead_current_domain(pol),
			       bulkhead_sock_domain(pol, other->sk), BULKHEAD_CHAN_UNIX,
			       BULKHEAD_VERDICT_EACCES);
}

/*
 * The socket families a domain's task may create: those whose every use bulkhead decides
 * (unix sockets, IP) and route netlink, whose changes need CAP_NET_ADMIN, which domains do
 * not have (kfuncs_escape.c). Everything else - packet sockets below IP, vsock, TIPC, other
 * netlink protocols (user sockets, generic netlink, socket diagnostics, audit, uevents), and
 * any family a later kernel adds - carries data no hook decides: host only.
 */
static bool family_decided(u32 family, u32 type, u32 protocol)
{
	switch (family) {
	case AF_UNIX:
	case AF_INET6:
		return true;
	case AF_INET:
		return type != SOCK_PACKET;
	case AF_NETLINK:
		return protocol == NETLINK_ROUTE;
	}
	return false;
}

/**
 * bulkhead_socket_create() - decide creating a socket
 * @family: address family
 * @type: socket type
 * @protocol: protocol
 * @kern: whether the kernel creates it for itself
 * @hook: the asking hook (socket_create)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_socket_create(u32 family, u32 type, u32 protocol, u32 kern, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol || kern || family_decided(family, type, protocol))
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_host_only(pol, hook, bulkhead_current_domain(pol),
					 BULKHEAD_VERDICT_EACCES);
}

/* The device a connection to @addr from @sk would leave through, or NULL (no route). */
static struct net_device *route_dev(struct sock *sk, const struct sockaddr *addr, int len,
				    struct dst_entry **dst)
{
	struct net *net = sock_net(sk);

	if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct flowi4 fl4 = {
			.daddr = ((const struct sockaddr_in *)addr)->sin_addr.s_addr,
			.flowi4_oif = sk->sk_bound_dev_if,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return NULL;
		*dst = &rt->dst;
	} else if (IS_ENABLED(CONFIG_IPV6) && addr->sa_family == AF_INET6 &&
		   len >= SIN6_LEN_RFC2133) {
		struct flowi6 fl6 = {
			.daddr = ((const struct sockaddr_in6 *)addr)->sin6_addr,
			.flowi6_oif = sk->sk_bound_dev_if,
		};

		*dst = ip6_route_output(net, sk, &fl6);
		if ((*dst)->error) {
			dst_release(*dst);
			return NULL;
		}
	} else {
		return NULL;
	}
	return (*dst)->dev;
}

/**
 * bulkhead_socket_connect() - decide connecting an IP socket to @addr
 * @sock: the socket
 * @addr: the destination
 * @len: its length
 * @hook: the asking hook (socket_connect)
 *
 * The route decides which device, hence which domain, the traffic reaches. A stream
 * carries data both ways, a datagram socket only out.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_socket_connect(struct socket *sock, struct sockaddr *addr, int len,
					u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = {};
	struct dst_entry *dst = NULL;
	struct net_device *dev;
	u32 task, net, v;

	if (!pol || !sock->sk || (sock->sk->sk_family != AF_INET &&
				  sock->sk->sk_family != AF_INET6))
		return BULKHEAD_VERDICT_ALLOW;
	dev = route_dev(sock->sk, addr, len, &dst);
	if (!dev)
		return BULKHEAD_VERDICT_ALLOW;	/* connect fails by itself */
	what.dev = dev;
	what.addr = addr;
	task = bulkhead_current_domain(pol);
	net = bulkhead_dev_domain(pol, dev);
	v = bulkhead_decide_on(pol, hook, task, net, BULKHEAD_CHAN_NET, BULKHEAD_VERDICT_EACCES,
			       &what);
	if (v == BULKHEAD_VERDICT_ALLOW && sock->type == SOCK_STREAM)
		v = bulkhead_decide_on(pol, hook, net, task, BULKHEAD_CHAN_NET,
				       BULKHEAD_VERDICT_EACCES, &what);
	/* The route holds the device until here. */
	dst_release(dst);
	return v;
}

/**
 * bulkhead_sock_receive() - decide delivering @skb to IP socket @sk
 * @sk: the receiving socket
 * @skb: the packet
 * @hook: the asking hook (socket_sock_rcv_skb)
 *
 * Runs in softirq context, for whichever task: the receiver is the socket's creator, the
 * sender the domain of the device the packet came in through.
 *
 * Return: an enum bulkhead_verdict; a denied packet is dropped.
 */
__bpf_kfunc u32 bulkhead_sock_receive(struct sock *sk, struct sk_buff *skb, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = {};

	if (!pol || (sk->sk_family != AF_INET && sk->sk_family != AF_INET6) || !skb->skb_iif)
		return BULKHEAD_VERDICT_ALLOW;
	what.dev = dev_get_by_index_rcu(sock_net(sk), skb->skb_iif);
	what.skb = skb;
	return bulkhead_decide_on(pol, hook, bulkhead_dev_domain(pol, what.dev),
				  bulkhead_sock_domain(pol, sk), BULKHEAD_CHAN_NET,
				  BULKHEAD_VERDICT_EACCES, &what);
}

__bpf_kfunc_end_defs();
