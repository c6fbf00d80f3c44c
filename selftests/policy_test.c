// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: policies in the kernel - apply and show round trip, the hash, refused
 * transactions that change nothing, transaction ownership, switching and change events.
 *
 * Fixture world (made in setup, removed in teardown):
 *
 *   cgroups   /bht/a  /bht/a/nested  /bht/b
 *   files     /tmp/bht/a/sub/f       /tmp/bht/b/
 *   veth      bht0 <-> bht1
 */
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "kselftest_harness.h"
#include "gen.h"
#include "policy_nl.h"
#include "status.h"
#include "util.h"

#define OUT_LEN 8192

static const char base_policy[] =
	"domain a {\n cgroup /bht/a\n path /tmp/bht/a\n netdev bht0\n}\n"
	"domain b {\n cgroup /bht/b\n path /tmp/bht/b\n}\n"
	"flow a -> b { file net } audit\n"
	"grant a { sys_time }\n"
	"exclusive pair { a b }\n";

static int apply_text(const char *text, char *out, size_t len)
{
	if (write_file("/tmp/bht-policy.bh", text))
		return -1;
	return run_cmd(out, len, "bulkhead policy apply /tmp/bht-policy.bh");
}


static void make_world(struct __test_metadata *_metadata)
{
	char out[OUT_LEN];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) {
		TH_LOG("%s", out);
	}
	ASSERT_EQ(0, sh("mkdir -p /sys/fs/cgroup/bht/a/nested /sys/fs/cgroup/bht/b "
			"/tmp/bht/a/sub /tmp/bht/b && touch /tmp/bht/a/sub/f"));
	ASSERT_EQ(0, sh("modprobe veth && ip link add bht0 type veth peer name bht1"));
}

static void remove_world(void)
{
	sh("bulkhead mode off; bulkhead policy apply /tmp/bh-empty.bh");
	sh("ip link del bht0; rmdir /sys/fs/cgroup/bht/a/nested /sys/fs/cgroup/bht/a "
	   "/sys/fs/cgroup/bht/b /sys/fs/cgroup/bht; rm -rf /tmp/bht /tmp/bht-*");
}

FIXTURE(policy) {
	char out[OUT_LEN];
	struct bh_status before;
};

FIXTURE_SETUP(policy)
{
	make_world(_metadata);
	ASSERT_EQ(0, apply_text(base_policy, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, status_now(&self->before));
}

FIXTURE_TEARDOWN(policy)
{
	remove_world();
}

/* BH-POL-3: apply(show(x)) changes nothing but the generation, and diff sees no change. */
TEST_F(policy, apply_show_round_trip)
{
	struct bh_status after;

	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy show > /tmp/bht-shown.bh"));
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy apply /tmp/bht-shown.bh"));
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(self->before.generation + 1, after.generation);
	EXPECT_EQ(0, memcmp(self->before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy diff /tmp/bht-shown.bh"));
	EXPECT_STREQ("", self->out);
}

/* BH-POL-3: the hash is the SHA-256 of the canonical text "policy show" prints. */
TEST_F(policy, hash_covers_canonical_text)
{
	char hex[2 * BULKHEAD_HASH_LEN + 1];

	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy show | grep -v '^#' | grep -v '^mode ' | sha256sum"));
	snprintf(hex, sizeof(hex), "%s", bh_hash_hex(self->before.policy_hash));
	EXPECT_EQ(0, strncmp(hex, self->out, sizeof(hex) - 1)) {
		TH_LOG("kernel %s, text %s", hex, self->out);
	}
}

/*
 * BH-POL-3: the kernel and "policy show" write one canonical text for every target, byte for
 * byte: non-ASCII (which the kernel's Latin-1 ctype calls letters), spaces, quotes, a
 * backslash and a newline. Before, the kernel hashed such bytes raw while show quoted them.
 */
TEST_F(policy, hash_covers_odd_targets)
{
	static const char dir[] = "/tmp/bht/b/caf\xc3\xa9 \xdf\xff \"q\" \\ \nx";
	char hex[2 * BULKHEAD_HASH_LEN + 1];
	struct bh_status st;

	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(0, apply_text("domain a\ndomain b {\n path \"/tmp/bht/b/caf\\xc3\\xa9 "
				"\\xdf\\xff \\\"q\\\" \\\\ \\nx\"\n}\n", self->out,
				sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, status_now(&st));
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy show | grep -v '^#' | grep -v '^mode ' | sha256sum"));
	snprintf(hex, sizeof(hex), "%s", bh_hash_hex(st.policy_hash));
	EXPECT_EQ(0, strncmp(hex, self->out, sizeof(hex) - 1)) {
		TH_LOG("kernel %s, text %s", hex, self->out);
	}
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead policy show"));
	EXPECT_NE(NULL, strstr(self->out, "\tpath \"/tmp/bht/b/caf\\xc3\\xa9 \\xdf\\xff")) {
		TH_LOG("%s", self->out);
	}
}

/*
 * Read one POLICY_GET dump over a raw socket with @bufsize-byte reads. Returns 1 when @needle
 * appeared in a message read whole, 0 when the dump ended without it, -EMSGSIZE when a
 * message was cut to fit the buffer (MSG_TRUNC: the reader knows it missed something), or
 * the dump's error.
 */
static int dump_finds(int family, size_t bufsize, const char *needle)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = {
		.n = { .nlmsg_len = sizeof(req), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.g = { .cmd = BULKHEAD_CMD_POLICY_GET, .version = BULKHEAD_GENL_VERSION },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	char *buf = malloc(bufsize);
	int found = 0, ret = -EPROTO;

	if (fd < 0 || !buf ||
	    sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		goto out;
	for (;;) {
		struct iovec iov = { buf, bufsize };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(fd, &mh, 0);
		struct nlmsghdr *h;

		if (n <= 0)
			goto out;
		if (mh.msg_flags & MSG_TRUNC) {
			ret = -EMSGSIZE;
			goto out;
		}
		if (memmem(buf, n, needle, strlen(needle)))
			found = 1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				ret = *(int *)NLMSG_DATA(h) ?: found;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
		}
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * BH-MGMT-2: a binding with a target near PATH_MAX (4090 bytes) is dumped whole, never dropped
 * from a dump that ends as if complete (it was, read with 4 KiB buffers): a reader whose
 * buffer is smaller than the message is told so (MSG_TRUNC); libnl's default buffer (16 KiB)
 * reads it.
 */
TEST_F(policy, long_target_dumped_whole)
{
	char path[4091] = "/tmp/bht/b", cmd[8300];
	struct bh_genl g;
	size_t len;

	while ((len = strlen(path)) < sizeof(path) - 1) {
		size_t add = sizeof(path) - 1 - len < 200 ? sizeof(path) - 1 - len : 200;

		path[len] = '/';
		memset(path + len + 1, 'd', add - 1);
		path[len + add] = '\0';
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && bulkhead bind b path %s", path, path);
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out), cmd)) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, bh_genl_open(&g));
	EXPECT_EQ(1, dump_finds(g.family, 16384, path));
	EXPECT_EQ(-EMSGSIZE, dump_finds(g.family, 4096, path));
	bh_genl_close(&g);
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead policy show"));
	EXPECT_NE(NULL, strstr(self->out, path));
}

/* BH-POL-3: diff names what a file would change. */
TEST_F(policy, diff_shows_changes)
{
	ASSERT_EQ(0, apply_text("domain a {\n cgroup /bht/a\n}\ndomain c\n", self->out,
				sizeof(self->out)));
	ASSERT_EQ(0, write_file("/tmp/bht-other.bh", "domain a { cgroup /bht/a }\ndomain d\n"));
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead policy diff /tmp/bht-other.bh"));
	EXPECT_STREQ("- domain c\n+ domain d\n", self->out);
}

/* BH-POL-4: the CLI names the refused object with its position; the old policy stays. */
TEST_F(policy, refused_apply_names_the_line)
{
	struct bh_status after;

	EXPECT_EQ(1, apply_text("domain a {\n cgroup /bht/a\n path /tmp/bht/does-not-exist\n}\n",
				self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "/tmp/bht-policy.bh:3:2: path /tmp/bht/does-not-exist: the kernel refused it: No such file or directory: the bound path does not resolve")) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(self->before.generation, after.generation);
	EXPECT_EQ(0, memcmp(self->before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
}

/* BH-POL-5: a transaction belongs to the socket that began it and dies with it. */
TEST_F(policy, transaction_owned_by_socket)
{
	struct bh_genl a, b;
	struct nl_msg *msg;

	ASSERT_EQ(0, bh_genl_open(&a));
	ASSERT_EQ(0, bh_genl_open(&b));
	msg = bh_genl_msg(&a, BULKHEAD_CMD_TXN_BEGIN, 0);
	ASSERT_EQ(0, bh_genl_call(&a, msg, NULL, NULL));
	msg = bh_genl_msg(&b, BULKHEAD_CMD_TXN_BEGIN, 0);
	EXPECT_EQ(-EBUSY, bh_genl_call(&b, msg, NULL, NULL));
	EXPECT_STREQ("another policy transaction is open", b.ext_ack);
	msg = bh_genl_msg(&b, BULKHEAD_CMD_TXN_COMMIT, 0);
	EXPECT_EQ(-EBUSY, bh_genl_call(&b, msg, NULL, NULL));
	EXPECT_STREQ("the open policy transaction belongs to another socket", b.ext_ack);
	bh_genl_close(&a);
	/* The release notifier runs as the socket goes; B may begin now. */
	msg = bh_genl_msg(&b, BULKHEAD_CMD_TXN_BEGIN, 0);
	EXPECT_EQ(0, bh_genl_call(&b, msg, NULL, NULL)) {
		TH_LOG("%s", b.ext_ack);
	}
	msg = bh_genl_msg(&b, BULKHEAD_CMD_TXN_ABORT, 0);
	EXPECT_EQ(0, bh_genl_call(&b, msg, NULL, NULL));
	bh_genl_close(&b);
}

/* BH-POL-6: switching changes the active member; a non-member is refused. */
TEST_F(policy, switch_active_member)
{
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead exclusive list"));
	EXPECT_STREQ("pair { a b } active a\n", self->out);
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead switch b"));
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead exclusive list"));
	EXPECT_STREQ("pair { a b } active b\n", self->out);
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead switch host"));
	EXPECT_NE(NULL, strstr(self->out, "not a member of any exclusive group"));
	/* A re-applied policy keeps the member that was switched to. */
	EXPECT_EQ(0, apply_text(base_policy, self->out, sizeof(self->out)));
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead exclusive list"));
	EXPECT_STREQ("pair { a b } active b\n", self->out);
}

/* Collect what each CHANGE_NTF announces, in order; anything else counts as 0. */
struct changes {
	int n;
	unsigned int what[8];
};

static int collect_change(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *attrs[BULKHEAD_A_MAX + 1];
	struct changes *c = arg;
	unsigned int what = 0;

	if (gh->cmd == BULKHEAD_CMD_CHANGE_NTF &&
	    !genlmsg_parse(nlmsg_hdr(msg), 0, attrs, BULKHEAD_A_MAX, NULL) &&
	    attrs[BULKHEAD_A_CHANGE] && attrs[BULKHEAD_A_GENERATION] && attrs[BULKHEAD_A_MODE])
		what = nla_get_u32(attrs[BULKHEAD_A_CHANGE]);
	if (c->n < 8)
		c->what[c->n] = what;
	c->n++;
	return NL_OK;
}

/* BH-POL-7: every commit, mode change and switch is announced on the events group. */
TEST_F(policy, changes_announced)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct changes c = { 0 };
	int grp;

	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, genl_connect(sk));
	grp = genl_ctrl_resolve_grp(sk, BULKHEAD_GENL_NAME, BULKHEAD_MCGRP_EVENTS);
	ASSERT_LE(0, grp);
	ASSERT_EQ(0, nl_socket_add_membership(sk, grp));
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, collect_change, &c);
	nl_socket_set_nonblocking(sk);
	ASSERT_EQ(0, apply_text(base_policy, self->out, sizeof(self->out)));
	ASSERT_EQ(0, sh("bulkhead mode audit && bulkhead switch b"));
	while (nl_recvmsgs_default(sk) >= 0)
		;
	ASSERT_EQ(3, c.n);
	EXPECT_EQ(BULKHEAD_CMD_TXN_COMMIT, c.what[0]);
	EXPECT_EQ(BULKHEAD_CMD_MODE_SET, c.what[1]);
	EXPECT_EQ(BULKHEAD_CMD_SWITCH, c.what[2]);
	nl_socket_free(sk);
}

/* A policy change at the netlink level that the kernel must refuse, and how. */
FIXTURE(refused) {
	struct bh_genl g;
	struct bh_status before;
	char out[OUT_LEN];
};

/*
 * Open a transaction on @g and send one @cmd (TXN_ADD or TXN_DEL) with the objects @build
 * puts in; the request's result (0 or -errno), or -EMSGSIZE when @build failed.
 */
static int txn_send(struct bh_genl *g, int cmd, int (*build)(struct nl_msg *msg))
{
	struct nlattr *objects;
	struct nl_msg *msg;
	int err;

	msg = bh_genl_msg(g, BULKHEAD_CMD_TXN_BEGIN, 0);
	err = bh_genl_call(g, msg, NULL, NULL);
	if (err)
		return err;
	msg = bh_genl_msg(g, cmd, 0);
	objects = nla_nest_start(msg, BULKHEAD_A_OBJECTS);
	if (build(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, objects);
	return bh_genl_call(g, msg, NULL, NULL);
}

FIXTURE_VARIANT(refused) {
	int (*build)(struct nl_msg *msg);
	int del;			/* sent as TXN_DEL instead of TXN_ADD */
	int error;
	const char *ext_ack;
};

FIXTURE_SETUP(refused)
{
	make_world(_metadata);
	ASSERT_EQ(0, apply_text(base_policy, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, status_now(&self->before));
	ASSERT_EQ(0, bh_genl_open(&self->g));
}

FIXTURE_TEARDOWN(refused)
{
	bh_genl_close(&self->g);
	remove_world();
}

static int unknown_domain(struct nl_msg *m)
{
	return bh_put_binding(m, "nowhere", BULKHEAD_BIND_PATH, "/tmp/bht/b");
}

static int domain_twice(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_domain(m, "x");
}

static int bad_name(struct nl_msg *m)
{
	return bh_put_domain(m, "Not.Valid");
}

static int relative_path(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_binding(m, "x", BULKHEAD_BIND_PATH, "tmp/bht");
}

static int missing_path(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_binding(m, "x", BULKHEAD_BIND_PATH, "/tmp/bht/no");
}

static int missing_cgroup(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_binding(m, "x", BULKHEAD_BIND_CGROUP, "/bht/no");
}

static int missing_netdev(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_binding(m, "x", BULKHEAD_BIND_NETDEV, "nosuch0");
}

/* Two spellings of one directory are one object: bound twice. */
static int same_inode_twice(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_domain(m, "y") ?:
	       bh_put_binding(m, "x", BULKHEAD_BIND_PATH, "/tmp/bht/a") ?:
	       bh_put_binding(m, "y", BULKHEAD_BIND_PATH, "/tmp/bht/a/sub/..");
}

static int flow_to_itself(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_flow(m, "x", "x", BULKHEAD_CHAN_FILE, 0);
}

static int flow_without_channel(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_domain(m, "y") ?: bh_put_flow(m, "x", "y", 0, 0);
}

static int flow_unknown_channel(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_domain(m, "y") ?:
	       bh_put_flow(m, "x", "y", 1U << 20, 0);
}

static int group_of_one(struct nl_msg *m)
{
	char members[1][BULKHEAD_NAME_LEN] = { "x" };

	return bh_put_domain(m, "x") ?: bh_put_group(m, "g", members, 1);
}

static int group_with_host(struct nl_msg *m)
{
	char members[2][BULKHEAD_NAME_LEN] = { "x", "host" };

	return bh_put_domain(m, "x") ?: bh_put_group(m, "g", members, 2);
}

static int duplicate_attribute(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, BULKHEAD_A_OBJ_DOMAIN);

	if (!nest || nla_put_string(m, BULKHEAD_A_OBJ_NAME, "x") ||
	    nla_put_string(m, BULKHEAD_A_OBJ_NAME, "y"))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* An attribute of another kind of object, within the binding policy's range. */
static int foreign_attribute(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, BULKHEAD_A_OBJ_BINDING);

	if (!nest || nla_put_string(m, BULKHEAD_A_OBJ_NAME, "x"))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* An attribute of another kind of object, beyond the domain policy's range. */
static int foreign_attribute_beyond(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, BULKHEAD_A_OBJ_DOMAIN);

	if (!nest || nla_put_string(m, BULKHEAD_A_OBJ_NAME, "x") ||
	    nla_put_u32(m, BULKHEAD_A_FLOW_CHANNELS, 1))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* A domain's id is the kernel's to give: dumps show it, requests cannot set it. */
static int domain_with_id(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, BULKHEAD_A_OBJ_DOMAIN);

	if (!nest || nla_put_string(m, BULKHEAD_A_OBJ_NAME, "x") ||
	    nla_put_u32(m, BULKHEAD_A_OBJ_ID, 7))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* A group member's name without its terminating NUL. */
static int member_unterminated(struct nl_msg *m)
{
	struct nlattr *nest;

	if (bh_put_domain(m, "x") || bh_put_domain(m, "y"))
		return -1;
	nest = nla_nest_start(m, BULKHEAD_A_OBJ_GROUP);
	if (!nest || nla_put_string(m, BULKHEAD_A_OBJ_NAME, "g") ||
	    nla_put(m, BULKHEAD_A_GROUP_MEMBER, 1, "x") ||
	    nla_put_string(m, BULKHEAD_A_GROUP_MEMBER, "y"))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

static int host_domain(struct nl_msg *m)
{
	return bh_put_domain(m, BULKHEAD_HOST_DOMAIN);
}

static int same_domain_twice(struct nl_msg *m)
{
	return bh_put_domain(m, "fine") ?: bh_put_domain(m, "fine");
}

/* The base policy's binding of b's directory, its target named twice. */
static int duplicate_binding_target(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, BULKHEAD_A_OBJ_BINDING);

	if (!nest || nla_put_u32(m, BULKHEAD_A_BINDING_KIND, BULKHEAD_BIND_PATH) ||
	    nla_put_string(m, BULKHEAD_A_BINDING_TARGET, "/tmp/bht/b") ||
	    nla_put_string(m, BULKHEAD_A_BINDING_TARGET, "/tmp/bht/b"))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

static int overlong_target(struct nl_msg *m)
{
	static char target[BULKHEAD_TARGET_LEN + 10];

	memset(target, 'a', sizeof(target) - 1);
	target[0] = '/';
	return bh_put_domain(m, "x") ?: bh_put_binding(m, "x", BULKHEAD_BIND_PATH, target);
}

static int grant_to_host(struct nl_msg *m)
{
	return bh_put_grant(m, BULKHEAD_HOST_DOMAIN, 1ULL << CAP_SYS_TIME, 0);
}

static int grant_not_grantable(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_grant(m, "x", 1ULL << CAP_CHOWN, 0);
}

static int grant_nothing(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_grant(m, "x", 0, 0);
}

static int grant_twice(struct nl_msg *m)
{
	return bh_put_domain(m, "x") ?: bh_put_grant(m, "x", 1ULL << CAP_SYSLOG, 0) ?:
	       bh_put_grant(m, "x", 1ULL << CAP_SYS_TIME, 0);
}

#define REFUSED(name, fn, err, msg) \
	FIXTURE_VARIANT_ADD(refused, name) { .build = fn, .error = err, .ext_ack = msg }

REFUSED(unknown_domain, unknown_domain, -ENOENT, "no such domain in this transaction");
REFUSED(domain_twice, domain_twice, -EEXIST, "domain already exists");
REFUSED(bad_name, bad_name, -EINVAL, "a name is 1 to 31 characters");
REFUSED(relative_path, relative_path, -EINVAL, "a bound path must be absolute");
REFUSED(missing_path, missing_path, -ENOENT, "the bound path does not resolve");
REFUSED(missing_cgroup, missing_cgroup, -ENOENT, "no such cgroup");
REFUSED(missing_netdev, missing_netdev, -ENODEV, "no such network interface");
REFUSED(same_inode_twice, same_inode_twice, -EEXIST, "already bound");
REFUSED(flow_to_itself, flow_to_itself, -EINVAL, "everything flows within a domain");
REFUSED(flow_without_channel, flow_without_channel, -EINVAL, "a flow needs channels");
REFUSED(flow_unknown_channel, flow_unknown_channel, -EINVAL, "reserved bit set");
REFUSED(group_of_one, group_of_one, -EINVAL, "at least two members");
REFUSED(group_with_host, group_with_host, -EINVAL, "host, or a domain already in");
REFUSED(duplicate_attribute, duplicate_attribute, -EINVAL, "duplicate attribute");
REFUSED(foreign_attribute, foreign_attribute, -EINVAL, "Unsupported attribute");
REFUSED(foreign_attribute_beyond, foreign_attribute_beyond, -EINVAL, "Unknown attribute type");
REFUSED(domain_with_id, domain_with_id, -EINVAL, "only dumps carry this attribute");
REFUSED(member_unterminated, member_unterminated, -EINVAL, "must end with a NUL byte");
REFUSED(overlong_target, overlong_target, -EINVAL, "");
REFUSED(grant_to_host, grant_to_host, -EINVAL, "host holds every capability already");
REFUSED(grant_not_grantable, grant_not_grantable, -EINVAL, "only capabilities domains lose");
REFUSED(grant_nothing, grant_nothing, -EINVAL, "a grant needs capabilities");
REFUSED(grant_twice, grant_twice, -EEXIST, "the domain has a grant already");
/* TXN_DEL validates as TXN_ADD does. */
FIXTURE_VARIANT_ADD(refused, del_duplicate_attribute) {
	.build = duplicate_binding_target, .del = 1, .error = -EINVAL,
	.ext_ack = "duplicate attribute" };

/* BH-POL-4, BH-MGMT-2: refused with a message; the active policy and generation unchanged. */
TEST_F(refused, leaves_policy_untouched)
{
	struct bh_status after;
	struct nl_msg *msg;

	EXPECT_EQ(variant->error,
		  txn_send(&self->g, variant->del ? BULKHEAD_CMD_TXN_DEL : BULKHEAD_CMD_TXN_ADD,
			   variant->build));
	EXPECT_NE(0, strlen(self->g.ext_ack));
	EXPECT_NE(NULL, strstr(self->g.ext_ack, variant->ext_ack)) {
		TH_LOG("ext-ack: %s", self->g.ext_ack);
	}
	/*
	 * Refused while applying, the transaction was aborted; refused by attribute validation,
	 * it never reached the transaction. Either way aborting leaves nothing to commit.
	 */
	msg = bh_genl_msg(&self->g, BULKHEAD_CMD_TXN_ABORT, 0);
	bh_genl_call(&self->g, msg, NULL, NULL);
	msg = bh_genl_msg(&self->g, BULKHEAD_CMD_TXN_COMMIT, 0);
	EXPECT_EQ(-ENOENT, bh_genl_call(&self->g, msg, NULL, NULL));
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(self->before.generation, after.generation);
	EXPECT_EQ(0, memcmp(self->before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
}

/*
 * BH-POL-4, BH-MGMT-2: host (id 0) holds everything not bound elsewhere and cannot be deleted
 * by a raw request, by the CLI, or in a transaction that adds a domain that could take its id;
 * the kernel still answers lookups afterwards (this sequence used to oops it).
 */
TEST_F(policy, host_domain_undeletable)
{
	struct bh_status after;
	struct nl_msg *msg;
	struct bh_genl g;

	ASSERT_EQ(0, bh_genl_open(&g));
	EXPECT_EQ(-EPERM, txn_send(&g, BULKHEAD_CMD_TXN_DEL, host_domain));
	EXPECT_NE(NULL, strstr(g.ext_ack, "host domain always exists")) {
		TH_LOG("ext-ack: %s", g.ext_ack);
	}
	msg = bh_genl_msg(&g, BULKHEAD_CMD_TXN_ABORT, 0);
	bh_genl_call(&g, msg, NULL, NULL);
	bh_genl_close(&g);

	EXPECT_EQ(2, run_cmd(self->out, sizeof(self->out), "bulkhead domain del host"));
	EXPECT_NE(NULL, strstr(self->out, "host domain always exists")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead domain add web"));
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead domain of /"));
	EXPECT_NE(NULL, strstr(self->out, "host")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead policy show"));
	EXPECT_NE(NULL, strstr(self->out, "domain web")) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(self->before.generation + 1, after.generation);
}

/* Run @cmd and expect exit status 0; log its output otherwise. */
#define RUN_OK(cmd) EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), cmd)) { \
		TH_LOG("%s: %s", cmd, self->out); \
	}

/* BH-POL-10: the imperative commands change one object each, through transactions. */
TEST_F(policy, imperative_commands)
{
	RUN_OK("bulkhead domain add c");
	RUN_OK("bulkhead bind c cgroup /bht/a/nested");
	RUN_OK("bulkhead flow add c a signal ptrace audit");
	RUN_OK("bulkhead domain add d && bulkhead exclusive add duo c d");
	RUN_OK("bulkhead grant add c syslog sys_time audit");
	RUN_OK("bulkhead policy show | grep -v '^#' | grep -v '^mode'");
	EXPECT_NE(NULL, strstr(self->out, "domain c {\n\tcgroup /bht/a/nested\n}\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, strstr(self->out, "flow c -> a { signal ptrace } audit\n"));
	EXPECT_NE(NULL, strstr(self->out, "exclusive duo { c d }\n"));
	EXPECT_NE(NULL, strstr(self->out, "grant c { sys_time syslog } audit\n"));
	RUN_OK("bulkhead grant list -j");
	EXPECT_NE(NULL, strstr(self->out, "{\"domain\":\"c\",\"capabilities\":[\"sys_time\",\"syslog\"],\"audit\":true}")) {
		TH_LOG("%s", self->out);
	}
	RUN_OK("bulkhead flow list -j");
	EXPECT_NE(NULL, strstr(self->out, "{\"from\":\"c\",\"to\":\"a\",\"channels\":[\"signal\",\"ptrace\"],\"audit\":true}"));
	RUN_OK("bulkhead domain show -j c");
	EXPECT_STREQ("{\"name\":\"c\",\"id\":3,\"bindings\":[{\"kind\":\"cgroup\",\"target\":\"/bht/a/nested\"}]}\n", self->out);
	RUN_OK("bulkhead domain show c");
	EXPECT_STREQ("c (id 3)\n\tcgroup /bht/a/nested\n", self->out);
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead domain show nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "no domain 'nosuch' in the active policy"));
	RUN_OK("bulkhead domain list -j");
	EXPECT_NE(NULL, strstr(self->out, "{\"name\":\"c\",\"id\":3,\"bindings\":[{\"kind\":\"cgroup\",\"target\":\"/bht/a/nested\"}]}"));
	/* exec runs the command in the domain's cgroup. */
	RUN_OK("bulkhead exec c -- cat /proc/self/cgroup");
	EXPECT_STREQ("0::/bht/a/nested\n", self->out);
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead exec d -- true"));
	EXPECT_NE(NULL, strstr(self->out, "exec: domain 'd' has no cgroup binding to run in"));
	/* A domain in use cannot go; once unused it can. */
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead domain del c"));
	EXPECT_NE(NULL, strstr(self->out, "the domain still has bindings, flows, a group, a grant or an exchange"));
	RUN_OK("bulkhead exclusive del duo && bulkhead flow del c a && bulkhead unbind cgroup /bht/a/nested");
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead domain del c"));
	RUN_OK("bulkhead grant del c");
	RUN_OK("bulkhead domain del c && bulkhead domain del d");
	RUN_OK("bulkhead policy diff /tmp/bht-policy.bh");
	EXPECT_STREQ("", self->out);
}

/* BH-POL-3: an empty policy applies: host alone. */
TEST_F(policy, empty_policy_applies)
{
	ASSERT_EQ(0, apply_text("# nothing but host\n", self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	RUN_OK("bulkhead policy show | grep -v '^#' | grep -v '^mode'");
	EXPECT_STREQ("domain host\n", self->out);
}

/* BH-POL-4: an object refused while a batch is applied aborts the whole transaction. */
TEST_F(policy, refused_object_aborts_transaction)
{
	struct nl_msg *msg;
	struct bh_genl g;

	ASSERT_EQ(0, bh_genl_open(&g));
	EXPECT_EQ(-EEXIST, txn_send(&g, BULKHEAD_CMD_TXN_ADD, same_domain_twice));
	msg = bh_genl_msg(&g, BULKHEAD_CMD_TXN_COMMIT, 0);
	EXPECT_EQ(-ENOENT, bh_genl_call(&g, msg, NULL, NULL));
	EXPECT_STREQ("no policy transaction is open", g.ext_ack);
	bh_genl_close(&g);
}

/* BH-POL-4: a commit against a generation that moved on is refused. */
TEST(stale_commit_refused)
{
	struct bh_status before, after;
	struct bh_genl g;
	struct nl_msg *msg;
	char out[OUT_LEN];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out)));
	ASSERT_EQ(0, bh_genl_open(&g));
	ASSERT_EQ(0, status_now(&before));
	msg = bh_genl_msg(&g, BULKHEAD_CMD_TXN_BEGIN, 0);
	ASSERT_EQ(0, bh_genl_call(&g, msg, NULL, NULL));
	msg = bh_genl_msg(&g, BULKHEAD_CMD_TXN_COMMIT, 0);
	nla_put_u64(msg, BULKHEAD_A_GENERATION, before.generation + 7);
	EXPECT_EQ(-ESTALE, bh_genl_call(&g, msg, NULL, NULL));
	EXPECT_STREQ("the active policy changed since the expected generation", g.ext_ack);
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(before.generation, after.generation);
	bh_genl_close(&g);
}

/* BH-POL-9: every dump shows exactly one policy while another process keeps applying. */
TEST(dump_consistent_during_applies)
{
	struct bh_policy xs, ys, seen;
	struct bh_policy_id id;
	struct bh_genl g;
	char out[OUT_LEN];
	int i, status;
	pid_t pid;

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out)));
	bh_policy_init(&xs);
	bh_policy_init(&ys);
	ASSERT_EQ(0, gen_domains(&xs, "x", 200));
	ASSERT_EQ(0, gen_domains(&ys, "y", 200));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The applier: alternate the two policies until the reader is done. */
		if (bh_genl_open(&g))
			_exit(1);
		for (i = 0; i < 30; i++)
			if (bh_policy_push(&g, i % 2 ? &ys : &xs, &id, stderr))
				_exit(2);
		_exit(0);
	}
	ASSERT_EQ(0, bh_genl_open(&g));
	for (i = 0; i < 60; i++) {
		size_t k, xs_seen = 0;
		int err;

		bh_policy_init(&seen);
		err = bh_policy_fetch(&g, &seen, &id);
		/* An interrupted dump says so (NLM_F_DUMP_INTR) and is fine; a mixed one is not. */
		if (!err) {
			for (k = 0; k < seen.n_domains; k++)
				xs_seen += seen.domains[k].name[0] == 'x';
			EXPECT_TRUE(seen.n_domains == 1 || seen.n_domains == 201);
			EXPECT_TRUE(xs_seen == 0 || xs_seen == 200) {
				TH_LOG("a dump mixed policies: %zu of %zu", xs_seen, seen.n_domains);
			}
		} else {
			EXPECT_EQ(-EINTR, err);
		}
		bh_policy_free(&seen);
	}
	bh_genl_close(&g);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	bh_policy_free(&xs);
	bh_policy_free(&ys);
}

/* BH-MGMT-3: reading and changing the policy need CAP_MAC_ADMIN; each refusal says so. */
TEST_F(policy, policy_commands_need_cap_mac_admin)
{
	EXPECT_EQ(1, run_cmd_nobody(self->out, sizeof(self->out), "bulkhead policy show"));
	EXPECT_NE(NULL, strstr(self->out, "reading the policy needs CAP_MAC_ADMIN")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, run_cmd_nobody(self->out, sizeof(self->out), "bulkhead domain add z"));
	EXPECT_NE(NULL, strstr(self->out, "changing the policy needs CAP_MAC_ADMIN")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, run_cmd_nobody(self->out, sizeof(self->out),
				    "bulkhead policy apply /tmp/bht-policy.bh"));
	EXPECT_NE(NULL, strstr(self->out, "changing the policy needs CAP_MAC_ADMIN")) {
		TH_LOG("%s", self->out);
	}
}

TEST_HARNESS_MAIN
