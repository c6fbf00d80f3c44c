/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: a small generic netlink client for the bulkhead family (libnl-genl), shared by the
 * CLI and the selftests. Every failure keeps the kernel's extended-ACK message.
 */
#ifndef BULKHEAD_GENL_H
#define BULKHEAD_GENL_H

#include <stddef.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

/* Room in every request: a 48 KiB batch plus the largest single object. */
#define BH_GENL_MSG_SIZE (64 * 1024)

struct bh_genl {
	struct nl_sock *sock;
	int family;			/* generic netlink family id */
	unsigned int version;		/* family version the module registered */
	char ext_ack[256];		/* last extended-ACK message from the kernel, or "" */
	int bad_attr_offset;		/* offset of the offending attribute in the request, or -1 */
};

/* Called for each reply message with its attributes, indexed by enum bulkhead_attr. */
typedef int (*bh_genl_reply_fn)(struct nlattr **attrs, void *arg);

/* Connect and resolve the family. Returns 0, -ENOENT when the module is not loaded, or -errno. */
int bh_genl_open(struct bh_genl *g);
void bh_genl_close(struct bh_genl *g);

/*
 * Whether a module speaking netlink ABI @module_abi can be driven by this build. Returns 0, or
 * -EPROTO with the reason in @why.
 */
int bh_genl_abi_check(unsigned int module_abi, char *why, size_t len);

/* A request for @cmd carrying NLM_F_REQUEST | NLM_F_ACK | @flags, or NULL without memory. */
struct nl_msg *bh_genl_msg(const struct bh_genl *g, int cmd, int flags);

/*
 * Send @msg (always consumed) and wait for the kernel's ACK, or the end of a dump (NLM_F_DUMP
 * in @msg), handing each reply to @cb (may be NULL). Returns 0 or a negative errno; on a
 * kernel error g->ext_ack holds its message; -EINTR when a dump was interrupted by a change.
 */
int bh_genl_call(struct bh_genl *g, struct nl_msg *msg, bh_genl_reply_fn cb, void *arg);

#endif /* BULKHEAD_GENL_H */
