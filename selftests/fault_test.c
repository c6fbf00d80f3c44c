// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: failed allocations. On a kernel with fault injection (the debug kernel
 * of "make check-debug"), the Nth allocation of this thread fails (/proc/thread-self/fail-nth)
 * while it applies a policy, for N = 1, 2, ... until the apply no longer reaches an Nth
 * allocation. After each: the policy in force is the old one or, when the failure came after
 * the commit (the acknowledgement lost), the new one - never anything else - and the module
 * still answers, applies and dumps. Elsewhere the suite says why it skips.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "parser.h"
#include "policy_nl.h"
#include "status.h"
#include "util.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define NO_FAULTS	"this kernel has no fault injection (CONFIG_FAULT_INJECTION; the debug " \
			"kernel of make check-debug has it)"

static const char old_text[] =
	"domain a {\n\tpath /tmp/bhf/a\n}\n"
	"domain b {\n\tpath /tmp/bhf/b\n}\n"
	"flow a -> b { file }\n";

static const char new_text[] =
	"domain a {\n\tpath /tmp/bhf/a\n}\n"
	"domain b {\n\tpath /tmp/bhf/b\n}\n"
	"domain c {\n\tcgroup /bhf-c\n\tpath /tmp/bhf/c\n}\n"
	"flow a -> b { file signal } audit\n"
	"flow c -> a { file }\n"
	"grant c { sys_time }\n"
	"exclusive sel { a c }\n";

/*
 * The thread's fail-nth, through a descriptor opened before any fault is armed: its reads and
 * writes allocate nothing, so they neither use up nor trip the count they manage.
 */
static int nth_fd = -1;

static int nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth_fd, buf, len, 0) == len ? 0 : -errno;
}

/* Disarm, and say how many allocations were left to go (0: the Nth was reached). */
static long nth_disarm(void)
{
	char buf[32] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	nth_arm(0);
	return n > 0 ? strtol(buf, NULL, 10) : -EIO;
}

/*
 * fail-nth fails the Nth call of every fault point in the task, but failslab and
 * fail_page_alloc by default leave out allocations that may sleep - nearly all of bulkhead's.
 * Quiet, so that the kernel log shows only what went wrong.
 */
static int arm_allocators(void)
{
	static const char *const knobs[][2] = {
		{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
		{ DEBUGFS "/failslab/verbose", "0" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	};
	unsigned int i;
	int err;

	if (access(DEBUGFS "/failslab", F_OK))
		sh("mount -t debugfs none " DEBUGFS);
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		err = write_file(knobs[i][0], knobs[i][1]);
		if (err)
			return err;
	}
	return 0;
}

static int parse(struct bh_policy *p, const char *name, const char *text)
{
	bh_policy_init(p);
	return bh_parse_text(p, name, text, stderr);
}

/*
 * Apply @p on a connection of its own (a failure may leave the old one in any state), with
 * the @nth allocation of this thread failing from the first request on (0: none fails). The
 * connection and the output file are made before, so that the faults land in what the
 * requests make the kernel do. @left: allocations still to go when the apply ended.
 */
static int apply_failing(const struct bh_policy *p, struct bh_policy_id *id, unsigned int nth,
			 long *left)
{
	FILE *quiet = fopen("/dev/null", "w");
	struct bh_genl g;
	int ret;

	if (!quiet)
		return -errno;
	ret = bh_genl_open(&g);
	if (!ret) {
		ret = nth ? nth_arm(nth) : 0;
		if (!ret)
			ret = bh_policy_push(&g, p, id, quiet);
		if (nth)
			*left = nth_disarm();
		bh_genl_close(&g);
	}
	fclose(quiet);
	return ret;
}

static int apply(const struct bh_policy *p, struct bh_policy_id *id)
{
	return apply_failing(p, id, 0, NULL);
}

static int current_id(struct bh_policy_id *id)
{
	struct bh_status st;
	struct bh_genl g;
	int ret;

	ret = bh_genl_open(&g);
	if (ret)
		return ret;
	ret = bh_status_get(&g, &st);
	bh_genl_close(&g);
	id->generation = st.generation;
	memcpy(id->hash, st.policy_hash, sizeof(id->hash));
	return ret;
}

FIXTURE(faults) {
	struct bh_policy old, new;
	struct bh_policy_id old_id, new_id;
};

FIXTURE_SETUP(faults)
{
	char out[1024];

	nth_fd = open(FAIL_NTH, O_RDWR);
	if (nth_fd < 0)
		SKIP(return, NO_FAULTS);
	ASSERT_EQ(0, arm_allocators());
	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("mkdir -p /tmp/bhf/a /tmp/bhf/b /tmp/bhf/c /sys/fs/cgroup/bhf-c"));
	ASSERT_EQ(0, parse(&self->old, "old", old_text));
	ASSERT_EQ(0, parse(&self->new, "new", new_text));
	/* Both once without faults: their hashes, to compare with. */
	ASSERT_EQ(0, apply(&self->new, &self->new_id));
	ASSERT_EQ(0, apply(&self->old, &self->old_id));
}

FIXTURE_TEARDOWN(faults)
{
	if (nth_fd < 0)
		return;
	nth_arm(0);
	close(nth_fd);
	bh_policy_free(&self->old);
	bh_policy_free(&self->new);
	sh("bulkhead policy apply /tmp/bh-empty.bh; rm -rf /tmp/bhf; rmdir /sys/fs/cgroup/bhf-c");
}

/* BH-REL-3, BH-POL-4 */
TEST_F_TIMEOUT(faults, apply_survives_each_failed_allocation, 1800)
{
	struct bh_policy_id id, now;
	unsigned int n, failed = 0, ambiguous = 0;
	long left = 0;
	int ret;

	/* This harness runs the body after a skipped setup. */
	if (nth_fd < 0)
		SKIP(return, NO_FAULTS);
	for (n = 1; n < 20000; n++) {
		ret = apply_failing(&self->new, &id, n, &left);
		ASSERT_EQ(0, current_id(&now)) TH_LOG("allocation %u: status fails", n);
		if (!ret) {
			EXPECT_EQ(0, memcmp(now.hash, self->new_id.hash, sizeof(now.hash)))
				TH_LOG("allocation %u: applied, but another policy is in force", n);
		} else if (!memcmp(now.hash, self->new_id.hash, sizeof(now.hash))) {
			ambiguous++;	/* committed; only the answer was lost */
		} else {
			failed++;
			EXPECT_EQ(0, memcmp(now.hash, self->old_id.hash, sizeof(now.hash)))
				TH_LOG("allocation %u: failed (%d), and the old policy is gone", n, ret);
			EXPECT_EQ(self->old_id.generation, now.generation)
				TH_LOG("allocation %u: failed (%d), and the generation moved", n, ret);
		}
		/* Back to the old policy, without faults, for the next round. */
		if (memcmp(now.hash, self->old_id.hash, sizeof(now.hash))) {
			ASSERT_EQ(0, apply(&self->old, &self->old_id));
		}
		/* The apply ended before its Nth allocation: every one has failed once. */
		if (left > 0)
			break;
	}
	TH_LOG("%u allocations failed in turn: %u applies refused, %u committed unacknowledged",
	       n - 1, failed, ambiguous);
	EXPECT_LT(1, n);
	EXPECT_LT(0, failed);
	/* Still whole: the new policy applies and dumps as it should. */
	EXPECT_EQ(0, apply(&self->new, &id));
	EXPECT_EQ(0, memcmp(id.hash, self->new_id.hash, sizeof(id.hash)));
	EXPECT_EQ(0, sh("bulkhead policy show > /dev/null"));
}

TEST_HARNESS_MAIN
