// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: a policy's objects through their netlink encoding and back, without a
 * kernel - what "policy apply" sends and what "policy show" decodes from the dump must carry
 * every setting, so that show prints the canonical text of what was applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/msg.h>

#include "canonical.h"
#include "kselftest_harness.h"
#include "parser.h"
#include "policy_nl.h"

static const char policy_text[] =
	"domain low { cgroup /low path \"/srv/low data\" netdev veth0 }\n"
	"domain high { path /srv/high }\n"
	"domain guard\ndomain red\ndomain green\n"
	"flow red -> green { file net } audit\n"
	"grant low { sys_time }\n"
	"exclusive line { red green }\n"
	"exchange low-high from low to high via guard {\n"
	"\toutbox \"/srv/low data/outbox\"\n\tinbox /srv/high/inbox\n\tmax-size 18446744073709551615\n"
	"\ttype text/plain\n\ttype application/pdf\n\tdeny-pattern \"SECRET|TOP\\nSECRET\"\n"
	"\tdeny-pattern x\n\tfilter \"/usr/bin/clamscan --no-summary\"\n\tfilter-timeout 3600\n"
	"\trate 10000/s burst 1\n\tshared-guard\n}\n"
	"exchange back from high to low via guard { outbox /srv/high/out inbox /srv/low/in"
	" shared-guard }\n";

/* Every object of @p as the nests "policy apply" sends, in its order. */
static int put_policy(struct nl_msg *msg, const struct bh_policy *p)
{
	int err = 0;
	size_t i, j;

	for (i = 0; !err && i < p->n_domains; i++)
		err = bh_put_domain(msg, p->domains[i].name);
	for (i = 0; !err && i < p->n_domains; i++)
		for (j = 0; !err && j < p->domains[i].n_bindings; j++)
			err = bh_put_binding(msg, p->domains[i].name,
					     p->domains[i].bindings[j].kind,
					     p->domains[i].bindings[j].target);
	for (i = 0; !err && i < p->n_flows; i++)
		err = bh_put_flow(msg, p->flows[i].from, p->flows[i].to, p->flows[i].channels,
				  p->flows[i].flags);
	for (i = 0; !err && i < p->n_grants; i++)
		err = bh_put_grant(msg, p->grants[i].domain, p->grants[i].caps, p->grants[i].flags);
	for (i = 0; !err && i < p->n_groups; i++)
		err = bh_put_group(msg, p->groups[i].name, p->groups[i].members,
				   p->groups[i].n_members);
	for (i = 0; !err && i < p->n_exchanges; i++)
		err = bh_put_exchange(msg, &p->exchanges[i]);
	return err;
}

/* BH-POL-3: every object, exchanges with every setting, decodes to what was encoded. */
TEST(objects_round_trip)
{
	struct bh_policy p, back;
	char *sent, *got;
	struct nlattr *a;
	struct nl_msg *msg;
	int rem;

	bh_policy_init(&p);
	bh_policy_init(&back);
	ASSERT_EQ(0, bh_parse_text(&p, "t.bh", policy_text, stderr));
	msg = nlmsg_alloc_size(128 * 1024);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, put_policy(msg, &p));
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), 0, rem)
		ASSERT_EQ(0, bh_get_object(a, nla_type(a), &back));
	ASSERT_EQ(2, back.n_exchanges);
	EXPECT_EQ(UINT64_MAX, back.exchanges[0].max_size);
	sent = canonical(&p);
	got = canonical(&back);
	EXPECT_STREQ(sent, got);
	free(sent);
	free(got);
	nlmsg_free(msg);
	bh_policy_free(&p);
	bh_policy_free(&back);
}

/* BH-POL-10: a delete names the exchange alone. */
TEST(exchange_delete_names_it_alone)
{
	struct bh_exchange e = { .name = "low-high" };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest, *a;
	int rem, n = 0;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, bh_put_exchange(msg, &e));
	nest = nlmsg_attrdata(nlmsg_hdr(msg), 0);
	EXPECT_EQ(BULKHEAD_A_OBJ_EXCHANGE, nla_type(nest));
	nla_for_each_nested(a, nest, rem) {
		EXPECT_EQ(BULKHEAD_A_OBJ_NAME, nla_type(a));
		EXPECT_STREQ("low-high", nla_data(a));
		n++;
	}
	EXPECT_EQ(1, n);
	nlmsg_free(msg);
}

/* BH-POL-3: a dumped exchange lacking what every exchange has is a protocol error. */
TEST(exchange_incomplete_dump_refused)
{
	struct bh_exchange e = { .name = "x", .from = "a", .to = "b", .guard = "g" };
	struct nl_msg *msg = nlmsg_alloc();
	struct bh_policy back;

	bh_policy_init(&back);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, bh_put_exchange(msg, &e));
	EXPECT_EQ(-EPROTO, bh_get_object(nlmsg_attrdata(nlmsg_hdr(msg), 0), BULKHEAD_A_OBJ_EXCHANGE,
					 &back));
	EXPECT_EQ(0, back.n_exchanges);
	nlmsg_free(msg);
	bh_policy_free(&back);
}

TEST_HARNESS_MAIN
