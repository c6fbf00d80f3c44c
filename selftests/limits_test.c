// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: policies at the documented limits apply; one object more is refused
 * cleanly (E2BIG, a message, the old policy still in force).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "gen.h"
#include "policy_nl.h"
#include "status.h"
#include "util.h"

#define DIR "/tmp/bh-limits"

/*
 * Each test applies a policy at a limit (100,000 bindings or flows, some 7 s on a Debian kernel
 * under emulation), then adds one object more the way an administrator would, with the CLI: a
 * transaction that starts from the policy in force (its objects copied in the kernel, counted
 * against the same limits) and adds one. The 30 s default alarm is too close under make
 * check's load, and the debug kernel (which stretches every alarm 6 times) takes over 12
 * minutes for the 100,000 paths: each test gets 10 minutes, an hour there.
 */
#define LIMIT_TIMEOUT	600

FIXTURE(limits) {
	struct bh_genl g;
	struct bh_policy p;
};

FIXTURE_SETUP(limits)
{
	char out[1024];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out)));
	ASSERT_EQ(0, bh_genl_open(&self->g));
	bh_policy_init(&self->p);
}

FIXTURE_TEARDOWN(limits)
{
	bh_policy_free(&self->p);
	bh_genl_close(&self->g);
	sh("bulkhead policy apply /tmp/bh-empty.bh");
}

/*
 * Push @p expecting success, then run @one_more (a CLI command adding one object) expecting
 * it refused with E2BIG's text and @message, and the policy unchanged.
 */
static void at_and_past(struct __test_metadata *_metadata, struct bh_genl *g,
			const struct bh_policy *p, const char *one_more, const char *message)
{
	struct bh_status at, after;
	struct bh_policy_id id;
	char why[1024] = "";
	FILE *err = fmemopen(why, sizeof(why), "w");
	time_t start = time(NULL);
	int ret;

	ret = bh_policy_push(g, p, &id, err);
	fclose(err);
	TH_LOG("the policy at the limit applied in %lld s", (long long)(time(NULL) - start));
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, bh_status_get(g, &at));
	EXPECT_NE(0, run_cmd(why, sizeof(why), one_more));
	EXPECT_NE(NULL, strstr(why, strerror(E2BIG))) {
		TH_LOG("%s", why);
	}
	EXPECT_NE(NULL, strstr(why, message)) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, bh_status_get(g, &after));
	EXPECT_EQ(at.generation, after.generation);
	EXPECT_EQ(0, memcmp(at.policy_hash, after.policy_hash, sizeof(at.policy_hash)));
}

/* BH-POL-8 */
TEST_F_TIMEOUT(limits, domains, LIMIT_TIMEOUT)
{
	/* host counts: the file adds one fewer. */
	ASSERT_EQ(0, gen_domains(&self->p, "d", BULKHEAD_MAX_DOMAINS - 1));
	at_and_past(_metadata, &self->g, &self->p, "bulkhead domain add onemore",
		    "too many domains");
}

/* BH-POL-8 */
TEST_F_TIMEOUT(limits, path_bindings, LIMIT_TIMEOUT)
{
	char cmd[128];

	time_t start = time(NULL);

	ASSERT_EQ(0, gen_dirs(DIR, BULKHEAD_MAX_PATH_BINDINGS + 1));
	/* Where the time goes, for the debug kernel's much longer run. */
	TH_LOG("%d directories made in %lld s", BULKHEAD_MAX_PATH_BINDINGS + 1,
	       (long long)(time(NULL) - start));
	ASSERT_EQ(0, gen_domains(&self->p, "d", 1));
	ASSERT_EQ(0, gen_path_bindings(&self->p, DIR, BULKHEAD_MAX_PATH_BINDINGS));
	snprintf(cmd, sizeof(cmd), "bulkhead bind %s path " DIR "/%d", self->p.domains[0].name,
		 BULKHEAD_MAX_PATH_BINDINGS);
	at_and_past(_metadata, &self->g, &self->p, cmd, "too many bindings of this kind");
}

/* BH-POL-8: 317 domains have 100,172 ordered pairs; all but 172 get a flow. */
TEST_F_TIMEOUT(limits, flows, LIMIT_TIMEOUT)
{
	char cmd[128];

	ASSERT_EQ(0, gen_domains(&self->p, "d", 317));
	ASSERT_EQ(0, gen_flows(&self->p, BULKHEAD_MAX_FLOWS));
	/* The pairs gen_flows() leaves out are the last ones; this is one of them. */
	snprintf(cmd, sizeof(cmd), "bulkhead flow add %s %s net",
		 self->p.domains[self->p.n_domains - 1].name,
		 self->p.domains[self->p.n_domains - 2].name);
	at_and_past(_metadata, &self->g, &self->p, cmd, "too many flows");
}

TEST_HARNESS_MAIN
