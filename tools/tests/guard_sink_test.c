// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: where the exchange guard's records go - the chain of sinks, and the
 * request the kernel sink sends (BULKHEAD_CMD_TRANSFER_RECORD's attributes), read back here
 * as the kernel's policy would read it.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/bulkhead.h>
#include "kselftest_harness.h"
#include "guard.h"

#define SHA_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static const struct bh_guard_record delivered = {
	.exchange = "low-high",
	.id = 42,
	.name = "q3 report.txt",
	.delivered_as = "q3 report.txt.1",
	.size = 18,
	.sha256 = SHA_HEX,
	.verdict = BH_GUARD_PASS,
	.reason = "",
	.filter = "clean",
	.uid = 1000,
};

/* Attributes as the kernel's policy for the transfer nest states them. */
static struct nla_policy transfer_policy[BULKHEAD_A_TRANSFER_MAX + 1] = {
	[BULKHEAD_A_TRANSFER_EXCHANGE] = { .type = NLA_STRING, .maxlen = 24 },
	[BULKHEAD_A_TRANSFER_ID] = { .type = NLA_U64 },
	[BULKHEAD_A_TRANSFER_NAME] = { .type = NLA_STRING, .maxlen = 768 },
	[BULKHEAD_A_TRANSFER_DELIVERED_AS] = { .type = NLA_STRING, .maxlen = 768 },
	[BULKHEAD_A_TRANSFER_SIZE] = { .type = NLA_U64 },
	[BULKHEAD_A_TRANSFER_SHA256] = { .minlen = BULKHEAD_HASH_LEN, .maxlen = BULKHEAD_HASH_LEN },
	[BULKHEAD_A_TRANSFER_VERDICT] = { .type = NLA_U32 },
	[BULKHEAD_A_TRANSFER_REASON] = { .type = NLA_STRING, .maxlen = 128 },
	[BULKHEAD_A_TRANSFER_FILTER] = { .type = NLA_STRING, .maxlen = 32 },
	[BULKHEAD_A_TRANSFER_SENDER_UID] = { .type = NLA_U32 },
};

FIXTURE(request) {
	struct nl_msg *msg;
	struct nlattr *tb[BULKHEAD_A_TRANSFER_MAX + 1];
};

FIXTURE_SETUP(request)
{
	self->msg = nlmsg_alloc();
	ASSERT_NE(NULL, self->msg);
}

FIXTURE_TEARDOWN(request)
{
	nlmsg_free(self->msg);
}

/* Encode @r into the fixture's message and read its transfer nest back into tb. */
static int encode(struct __test_metadata *_metadata, FIXTURE_DATA(request) *self,
		  const struct bh_guard_record *r)
{
	struct nlmsghdr *h = nlmsg_hdr(self->msg);
	struct nlattr *top[BULKHEAD_A_MAX + 1];
	int err = bh_guard_transfer_put(self->msg, r);

	if (err)
		return err;
	EXPECT_EQ(0, nla_parse(top, BULKHEAD_A_MAX, nlmsg_attrdata(h, 0), nlmsg_attrlen(h, 0),
			       NULL));
	EXPECT_NE(NULL, top[BULKHEAD_A_TRANSFER]);
	return nla_parse_nested(self->tb, BULKHEAD_A_TRANSFER_MAX, top[BULKHEAD_A_TRANSFER],
				transfer_policy);
}

/* BH-EXCH-7: a delivery's record carries every field, the hash as its 32 bytes. */
TEST_F(request, delivered_record)
{
	struct nlattr **tb = self->tb;
	const uint8_t *sha;
	int i;

	ASSERT_EQ(0, encode(_metadata, self, &delivered));
	EXPECT_STREQ("low-high", nla_get_string(tb[BULKHEAD_A_TRANSFER_EXCHANGE]));
	EXPECT_EQ(42, nla_get_u64(tb[BULKHEAD_A_TRANSFER_ID]));
	EXPECT_STREQ("q3 report.txt", nla_get_string(tb[BULKHEAD_A_TRANSFER_NAME]));
	EXPECT_STREQ("q3 report.txt.1", nla_get_string(tb[BULKHEAD_A_TRANSFER_DELIVERED_AS]));
	EXPECT_EQ(18, nla_get_u64(tb[BULKHEAD_A_TRANSFER_SIZE]));
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, nla_get_u32(tb[BULKHEAD_A_TRANSFER_VERDICT]));
	EXPECT_EQ(NULL, tb[BULKHEAD_A_TRANSFER_REASON]);
	EXPECT_STREQ("clean", nla_get_string(tb[BULKHEAD_A_TRANSFER_FILTER]));
	EXPECT_EQ(1000, nla_get_u32(tb[BULKHEAD_A_TRANSFER_SENDER_UID]));
	ASSERT_NE(NULL, tb[BULKHEAD_A_TRANSFER_SHA256]);
	sha = nla_data(tb[BULKHEAD_A_TRANSFER_SHA256]);
	for (i = 0; i < BULKHEAD_HASH_LEN; i++)
		EXPECT_EQ(i, sha[i]);
}

/* BH-EXCH-7: a refusal has a reason, no name in the inbox and, never copied, no hash. */
TEST_F(request, refused_record)
{
	struct bh_guard_record r = delivered;

	r.delivered_as = "";
	r.sha256 = "";
	r.size = 0;
	r.verdict = BH_GUARD_REJECTED;
	r.reason = "symlink";
	r.filter = "none";
	ASSERT_EQ(0, encode(_metadata, self, &r));
	EXPECT_EQ(BULKHEAD_TRANSFER_REJECTED, nla_get_u32(self->tb[BULKHEAD_A_TRANSFER_VERDICT]));
	EXPECT_STREQ("symlink", nla_get_string(self->tb[BULKHEAD_A_TRANSFER_REASON]));
	EXPECT_EQ(NULL, self->tb[BULKHEAD_A_TRANSFER_DELIVERED_AS]);
	EXPECT_EQ(NULL, self->tb[BULKHEAD_A_TRANSFER_SHA256]);
}

/* BH-EXCH-7: failed is its own verdict; a hash that is not 64 hex digits is not sent. */
TEST_F(request, failed_and_malformed)
{
	struct bh_guard_record r = delivered;

	r.verdict = BH_GUARD_FAILED;
	r.reason = "staged-copy-changed";
	r.delivered_as = "";
	ASSERT_EQ(0, encode(_metadata, self, &r));
	EXPECT_EQ(BULKHEAD_TRANSFER_FAILED, nla_get_u32(self->tb[BULKHEAD_A_TRANSFER_VERDICT]));
	r.sha256 = "00ff";
	EXPECT_EQ(-EINVAL, bh_guard_transfer_put(self->msg, &r));
	r.sha256 = SHA_HEX;
	r.verdict = BH_GUARD_FAILED + 1;
	EXPECT_EQ(-EINVAL, bh_guard_transfer_put(self->msg, &r));
}

/* A sink that counts what it was given and refuses while told to. */
struct counting {
	struct bh_guard_sink sink;
	int kept;
	int refuse;		/* errno to return, 0 to keep */
};

static int counting_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r)
{
	struct counting *c = sink->priv;

	if (c->refuse) {
		snprintf(sink->error, sizeof(sink->error), "not now");
		return -c->refuse;
	}
	c->kept++;
	return 0;
}

/* BH-EXCH-7: a record goes to each sink in order, and no further than the first that cannot
 * keep it (the kernel before the file: a file never holds what the trail does not).
 */
TEST(sinks_in_order)
{
	struct counting a = { .sink = { .emit = counting_emit } };
	struct counting b = { .sink = { .emit = counting_emit } };
	struct bh_guard_sink *failed = NULL;

	a.sink.priv = &a;
	b.sink.priv = &b;
	a.sink.next = &b.sink;
	EXPECT_EQ(0, bh_guard_emit(&a.sink, &delivered, &failed));
	EXPECT_EQ(1, a.kept);
	EXPECT_EQ(1, b.kept);

	a.refuse = ENOBUFS;
	EXPECT_EQ(-ENOBUFS, bh_guard_emit(&a.sink, &delivered, &failed));
	EXPECT_EQ(&a.sink, failed);
	EXPECT_STREQ("not now", failed->error);
	EXPECT_EQ(1, b.kept);

	a.refuse = 0;
	b.refuse = EIO;
	EXPECT_EQ(-EIO, bh_guard_emit(&a.sink, &delivered, &failed));
	EXPECT_EQ(&b.sink, failed);
	EXPECT_STREQ("", a.sink.error);
	EXPECT_EQ(2, a.kept);
}

TEST_HARNESS_MAIN
