// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: policies at the documented limits apply; one object more is refused
 * cleanly (E2BIG, a message, the old policy still in force).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "gen.h"
#include "policy_nl.h"
#include "status.h"
#include "util.h"

#define DIR "/tmp/bh-limits"

/*
 * Each test applies a policy at a limit and one past it: 100,000 bindings or flows twice, some
 * 15 s on a Debian kernel under emulation, too close to the harness's default 30 s alarm under
 * make check's load, and several minutes on the debug kernel (whose alarms are stretched).
 */
#define LIMIT_TIMEOUT	120

FIXTURE(limits) {
	struct bh_genl g;
	struct bh_policy p;
	struct bh_status before;
};

FIXTURE_SETUP(limits)
{
	char out[1024];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out)));
	ASSERT_EQ(0, bh_genl_open(&self->g));
	ASSERT_EQ(0, bh_status_get(&self->g, &self->before));
	bh_policy_init(&self->p);
}

FIXTURE_TEARDOWN(limits)
{
	bh_policy_free(&self->p);
	bh_genl_close(&self->g);
	sh("bulkhead policy apply /tmp/bh-empty.bh");
}

/* The kernel's answer to @p: 0 or -errno, with its message in @why. */
static int push(struct bh_genl *g, const struct bh_policy *p, char *why, size_t len)
{
	struct bh_policy_id id;
	FILE *err = fmemopen(why, len, "w");
	int ret;

	ret = bh_policy_push(g, p, &id, err);
	fclose(err);
	return ret;
}

/* Push @p expecting success, then @p plus one object expecting E2BIG and no change. */
static void at_and_past(struct __test_metadata *_metadata, struct bh_genl *g,
			struct bh_policy *p, int (*one_more)(struct bh_policy *p),
			const char *message)
{
	struct bh_status at, after;
	char why[1024] = "";

	ASSERT_EQ(0, push(g, p, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, bh_status_get(g, &at));
	ASSERT_EQ(0, one_more(p));
	EXPECT_EQ(-E2BIG, push(g, p, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, message)) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, bh_status_get(g, &after));
	EXPECT_EQ(at.generation, after.generation);
}

static int one_more_domain(struct bh_policy *p)
{
	return bh_policy_add_domain(p, "onemore") ? 0 : -1;
}

/* BH-POL-8 */
TEST_F_TIMEOUT(limits, domains, LIMIT_TIMEOUT)
{
	/* host counts: the file adds one fewer. */
	ASSERT_EQ(0, gen_domains(&self->p, "d", BULKHEAD_MAX_DOMAINS - 1));
	at_and_past(_metadata, &self->g, &self->p, one_more_domain, "too many domains");
}

static int one_more_path(struct bh_policy *p)
{
	return bh_domain_add_binding(&p->domains[0], BULKHEAD_BIND_PATH,
				     DIR "/" "100000") ? 0 : -1;
}

/* BH-POL-8 */
TEST_F_TIMEOUT(limits, path_bindings, LIMIT_TIMEOUT)
{
	ASSERT_EQ(0, gen_dirs(DIR, BULKHEAD_MAX_PATH_BINDINGS + 1));
	ASSERT_EQ(0, gen_domains(&self->p, "d", 1));
	ASSERT_EQ(0, gen_path_bindings(&self->p, DIR, BULKHEAD_MAX_PATH_BINDINGS));
	at_and_past(_metadata, &self->g, &self->p, one_more_path,
		    "too many bindings of this kind");
}

static int one_more_flow(struct bh_policy *p)
{
	struct bh_flow *f = bh_policy_add_flow(p, p->domains[p->n_domains - 1].name,
					       p->domains[p->n_domains - 2].name);

	if (!f)
		return -1;
	f->channels = BULKHEAD_CHAN_NET;
	return 0;
}

/* BH-POL-8: 317 domains have 100,172 ordered pairs; all but 172 get a flow. */
TEST_F_TIMEOUT(limits, flows, LIMIT_TIMEOUT)
{
	ASSERT_EQ(0, gen_domains(&self->p, "d", 317));
	ASSERT_EQ(0, gen_flows(&self->p, BULKHEAD_MAX_FLOWS));
	at_and_past(_metadata, &self->g, &self->p, one_more_flow, "too many flows");
}

TEST_HARNESS_MAIN
