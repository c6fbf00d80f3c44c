/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: raw generic netlink sockets, without libnl, for tests that send bytes no
 * well-behaved client would (nlfuzz_test) and read back whatever the kernel answers.
 */
#ifndef BULKHEAD_SELFTEST_RAWGENL_H
#define BULKHEAD_SELFTEST_RAWGENL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/*
 * Enough for any datagram the kernel sends back: an ACK for a refused request echoes the
 * whole request (no NETLINK_CAP_ACK), and dump batches stay below 64 KiB.
 */
#define RAWGENL_RECV_SIZE (192 * 1024)

/* A NETLINK_GENERIC socket asking for extended ACKs. Returns the descriptor or -errno. */
int rawgenl_open(void);

/*
 * Resolve a family's id, and the id of its multicast group @group unless NULL, with a raw
 * CTRL_CMD_GETFAMILY. 0, -ENOENT (no such family), -EPROTO (no such group) or -errno.
 */
int rawgenl_family(int fd, const char *name, const char *group, uint16_t *id,
		   uint32_t *group_id);

/* Subscribe @fd to multicast group @group_id. 0 or -errno. */
int rawgenl_join(int fd, uint32_t group_id);

/* Send @len bytes as one datagram to the kernel. 0 or -errno. */
int rawgenl_send(int fd, const void *buf, size_t len);

/* Called for each message the kernel sent; a non-zero return stops the drain with it. */
typedef int (*rawgenl_msg_fn)(const struct nlmsghdr *nlh, size_t room, void *arg);

/*
 * Hand every message already queued on @fd to @fn without blocking; reading lets a running
 * dump go on, so a dump is drained to its end. @buf holds RAWGENL_RECV_SIZE bytes. Returns the
 * number of messages read, or -errno (-ENOBUFS: the kernel dropped replies; the socket stays
 * usable), or what @fn returned.
 */
int rawgenl_drain(int fd, void *buf, rawgenl_msg_fn fn, void *arg);

/*
 * Send the request @req (one message, @len bytes, with NLM_F_ACK) and wait for its ACK,
 * handing the other replies carrying its sequence number to @fn (may be NULL). Returns the
 * kernel's verdict: 0 or a negative errno; -ETIMEDOUT after 5 s without it.
 */
int rawgenl_call(int fd, const void *req, size_t len, rawgenl_msg_fn fn, void *arg);

/* Read one datagram, waiting up to @ms milliseconds; its length, 0 on timeout, or -errno. */
int rawgenl_recv_wait(int fd, void *buf, int ms);

/*
 * Walk the messages of a received datagram as the kernel's netlink_rcv_skb() walks a request:
 * stop at a header that does not fit. Returns what @fn returned first non-zero, or 0; -EPROTO
 * when bytes are left over that make no message.
 */
int rawgenl_walk(const void *buf, size_t len, rawgenl_msg_fn fn, void *arg);

#endif /* BULKHEAD_SELFTEST_RAWGENL_H */
