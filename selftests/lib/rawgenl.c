// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: raw generic netlink sockets.
 */
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "rawgenl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int rawgenl_open(void)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int one = 1;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/* Extended ACKs make the kernel build its error messages: more of it runs. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&local, sizeof(local))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int rawgenl_join(int fd, uint32_t group_id)
{
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group_id, sizeof(group_id)))
		return -errno;
	return 0;
}

int rawgenl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(fd, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

int rawgenl_walk(const void *buf, size_t len, rawgenl_msg_fn fn, void *arg)
{
	const char *p = buf;
	int ret;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t step;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
			return -EPROTO;
		ret = fn(nlh, len, arg);
		if (ret)
			return ret;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return len ? -EPROTO : 0;
}

struct drain_state {
	rawgenl_msg_fn fn;
	void *arg;
	int count;
};

static int count_and_pass(const struct nlmsghdr *nlh, size_t room, void *arg)
{
	struct drain_state *st = arg;

	st->count++;
	return st->fn(nlh, room, st->arg);
}

int rawgenl_drain(int fd, void *buf, rawgenl_msg_fn fn, void *arg)
{
	struct drain_state st = { .fn = fn, .arg = arg };
	ssize_t n;
	int ret;

	for (;;) {
		n = recv(fd, buf, RAWGENL_RECV_SIZE, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? st.count : -errno;
		ret = rawgenl_walk(buf, n, count_and_pass, &st);
		if (ret)
			return ret;
	}
}

int rawgenl_recv_wait(int fd, void *buf, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	n = recv(fd, buf, RAWGENL_RECV_SIZE, MSG_DONTWAIT);
	return n < 0 ? -errno : (int)n;
}

/* Append one attribute to the request at @msg; -EMSGSIZE when it does not fit @cap bytes. */
static int put_attr(struct nlmsghdr *msg, size_t cap, uint16_t type, const void *data,
		    size_t len)
{
	struct nlattr *a = (void *)((char *)msg + NLMSG_ALIGN(msg->nlmsg_len));

	if (NLMSG_ALIGN(msg->nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len) > cap)
		return -EMSGSIZE;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	msg->nlmsg_len = NLMSG_ALIGN(msg->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return 0;
}

struct call_state {
	uint32_t seq;
	rawgenl_msg_fn fn;
	void *arg;
	int err;
	bool done;
};

/* The request's ACK or error ends the call; its other replies go to the caller's @fn. */
static int take_reply(const struct nlmsghdr *nlh, size_t room, void *arg)
{
	struct call_state *c = arg;
	const struct nlmsgerr *e = NLMSG_DATA(nlh);

	if (nlh->nlmsg_seq != c->seq)
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		c->done = true;
		c->err = nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? e->error : -EPROTO;
		return 0;
	}
	return c->fn ? c->fn(nlh, room, c->arg) : 0;
}

int rawgenl_call(int fd, const void *req, size_t len, rawgenl_msg_fn fn, void *arg)
{
	static char buf[RAWGENL_RECV_SIZE];	/* too big for a stack; callers are single-threaded */
	struct call_state c = { .fn = fn, .arg = arg };
	struct nlmsghdr nlh;
	int n, err;

	memcpy(&nlh, req, sizeof(nlh));
	c.seq = nlh.nlmsg_seq;
	err = rawgenl_send(fd, req, len);
	while (!err && !c.done) {
		n = rawgenl_recv_wait(fd, buf, 5000);
		if (n <= 0)
			return n ? n : -ETIMEDOUT;
		err = rawgenl_walk(buf, n, take_reply, &c);
	}
	return err ?: c.err;
}

/* Call @fn on each attribute of the @len bytes at @p, as nla_for_each_attr() walks them. */
static void for_each_attr(const void *p, size_t len,
			  void (*fn)(const struct nlattr *a, void *arg), void *arg)
{
	const struct nlattr *a = p;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		fn(a, arg);
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

#define ATTR_DATA(a)	((const char *)(a) + NLA_HDRLEN)
#define ATTR_LEN(a)	((size_t)(a)->nla_len - NLA_HDRLEN)

struct family_info {
	const char *group;	/* the multicast group asked for, or NULL */
	uint16_t id;
	uint32_t group_id;
	/* of the group entry being read */
	bool name_matches;
	uint32_t entry_id;
};

static void take_group_attr(const struct nlattr *a, void *arg)
{
	struct family_info *f = arg;

	if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME)
		f->name_matches = f->group && ATTR_LEN(a) == strlen(f->group) + 1 &&
				  !memcmp(ATTR_DATA(a), f->group, ATTR_LEN(a));
	else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID &&
		 ATTR_LEN(a) == sizeof(f->entry_id))
		memcpy(&f->entry_id, ATTR_DATA(a), sizeof(f->entry_id));
}

static void take_group(const struct nlattr *entry, void *arg)
{
	struct family_info *f = arg;

	f->name_matches = false;
	f->entry_id = 0;
	for_each_attr(ATTR_DATA(entry), ATTR_LEN(entry), take_group_attr, f);
	if (f->name_matches)
		f->group_id = f->entry_id;
}

static void take_family_attr(const struct nlattr *a, void *arg)
{
	struct family_info *f = arg;

	if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID && ATTR_LEN(a) == sizeof(f->id))
		memcpy(&f->id, ATTR_DATA(a), sizeof(f->id));
	else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
		for_each_attr(ATTR_DATA(a), ATTR_LEN(a), take_group, f);
}

static int take_family(const struct nlmsghdr *nlh, size_t room, void *arg)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL && nlh->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN))
		for_each_attr((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), take_family_attr, arg);
	return 0;
}

int rawgenl_family(int fd, const char *name, const char *group, uint16_t *id,
		   uint32_t *group_id)
{
	char req[NLMSG_LENGTH(GENL_HDRLEN) + NLA_HDRLEN + 64] = {};
	struct nlmsghdr *nlh = (void *)req;
	struct genlmsghdr *genl = NLMSG_DATA(nlh);
	struct family_info f = { .group = group };
	int err;

	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	err = put_attr(nlh, sizeof(req), CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1) ?:
	      rawgenl_call(fd, req, nlh->nlmsg_len, take_family, &f);
	if (!err && (!f.id || (group && !f.group_id)))
		err = -EPROTO;
	if (!err)
		*id = f.id;
	if (!err && group)
		*group_id = f.group_id;
	return err;
}
