// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: generic netlink client for the bulkhead family.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>

#include <linux/bulkhead.h>
#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int bh_genl_open(struct bh_genl *g)
{
	struct genl_family *fam;
	struct nl_cache *cache;
	int one = 1;
	int fd;

	memset(g, 0, sizeof(*g));
	g->bad_attr_offset = -1;
	g->sock = nl_socket_alloc();
	if (!g->sock)
		return -ENOMEM;
	if (genl_connect(g->sock))
		goto fail;
	/*
	 * A dump message can be larger than libnl's default buffer (an exchange with long
	 * patterns, docs/netlink.md): peek at each message's size before reading it.
	 */
	nl_socket_enable_msg_peek(g->sock);
	/* Ask for extended-ACK messages, and for errors without a copy of our request. */
	fd = nl_socket_get_fd(g->sock);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		goto fail;
	if (genl_ctrl_alloc_cache(g->sock, &cache))
		goto fail;
	fam = genl_ctrl_search_by_name(cache, BULKHEAD_GENL_NAME);
	nl_cache_free(cache);
	if (!fam) {
		bh_genl_close(g);
		return -ENOENT;
	}
	g->family = genl_family_get_id(fam);
	g->version = genl_family_get_version(fam);
	genl_family_put(fam);
	return 0;
fail:
	bh_genl_close(g);
	return errno ? -errno : -EIO;
}

void bh_genl_close(struct bh_genl *g)
{
	nl_socket_free(g->sock);
	g->sock = NULL;
}

int bh_genl_abi_check(unsigned int module_abi, char *why, size_t len)
{
	/* No compatibility across ABI versions yet: each side speaks exactly one. */
	if (module_abi == BULKHEAD_GENL_VERSION)
		return 0;
	snprintf(why, len,
		 "version mismatch: this CLI speaks netlink ABI %u but the loaded module speaks ABI %u; install a matching CLI and module",
		 BULKHEAD_GENL_VERSION, module_abi);
	return -EPROTO;
}

struct nl_msg *bh_genl_msg(const struct bh_genl *g, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(BH_GENL_MSG_SIZE);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0,
				NLM_F_REQUEST | NLM_F_ACK | flags, cmd, BULKHEAD_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct call_state {
	struct bh_genl *g;
	bh_genl_reply_fn cb;
	void *arg;
	int err;
	int done;
};

/*
 * Pull NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS out of the TLVs that follow @skip bytes of
 * the payload of @hdr (an NLMSG_ERROR or NLMSG_DONE carrying NLM_F_ACK_TLVS).
 */
static void parse_ext_ack(struct bh_genl *g, const struct nlmsghdr *hdr, size_t skip)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char *payload = nlmsg_data(hdr);

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    hdr->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(skip))
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)(payload + NLMSG_ALIGN(skip)),
		      hdr->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(skip), NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(g->ext_ack, sizeof(g->ext_ack), "%s",
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		g->bad_attr_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct call_state *st = arg;

	const struct nlmsghdr *hdr = (const void *)((const char *)e - NLMSG_HDRLEN);
	size_t skip = sizeof(*e);

	st->err = e->error;
	st->done = 1;
	/* Without NLM_F_CAPPED the whole request follows the error before the TLVs. */
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (e->error)
		parse_ext_ack(st->g, hdr, skip);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	((struct call_state *)arg)->done = 1;
	return NL_STOP;
}

/* The end of a dump: its payload is the dump's errno, then ext-ack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct call_state *st = arg;
	int error;

	st->done = 1;
	if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(error)) {
		memcpy(&error, nlmsg_data(hdr), sizeof(error));
		if (error < 0) {
			st->err = error;
			parse_ext_ack(st->g, hdr, sizeof(error));
		}
	}
	return NL_STOP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct call_state *st = arg;
	struct nlattr *attrs[BULKHEAD_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, BULKHEAD_A_MAX, NULL)) {
		st->err = -EPROTO;
		return NL_SKIP;
	}
	if (st->cb && !st->err)
		st->err = st->cb(attrs, st->arg);
	return NL_OK;
}

int bh_genl_call(struct bh_genl *g, struct nl_msg *msg, bh_genl_reply_fn cb, void *arg)
{
	struct call_state st = { .g = g, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int err;

	g->ext_ack[0] = '\0';
	g->bad_attr_offset = -1;
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &st);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &st);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &st);
	err = nl_send_auto(g->sock, msg);
	nlmsg_free(msg);
	while (err >= 0 && !st.done)
		err = nl_recvmsgs(g->sock, nlcb);
	nl_cb_put(nlcb);
	/* A dump that saw the policy change under it says so; the caller may retry. */
	if (err == -NLE_DUMP_INTR)
		return -EINTR;
	if (err < 0 && !st.err)
		return -EIO;
	return st.err;
}
