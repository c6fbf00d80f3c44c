// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the module's self-test (FPT_TST.1) - run at load before anything is
 * registered, again by "bulkhead selftest" for the administrators only, recorded in the
 * trail and shown by the status; a failure forced through the test-only module parameter
 * selftest_fail is reported and recorded on request and refuses the load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bulkhead.h>
#include <linux/capability.h>
#include "kselftest_harness.h"
#include "util.h"

#define FORCE_PARAM	"/sys/module/bulkhead/parameters/selftest_fail"

static const char *const tests[] = { "sha256", "hmac", "decide" };

/* How many selftest records the ring holds. */
static int selftest_records(void)
{
	char out[32];

	if (run_cmd(out, sizeof(out), "bulkhead audit tail --type selftest | wc -l"))
		return -1;
	return atoi(out);
}

/* The last selftest record, as audit tail prints it. */
static int last_selftest_record(char *out, size_t len)
{
	return run_cmd(out, len, "bulkhead audit tail --type selftest | tail -n 1");
}

/*
 * The kernel log from a mark on: the mark is written to the log first, so that only what
 * follows is searched (the log itself is left whole for the run's kernel-log check).
 */
static int log_mark(const char *mark)
{
	return write_file("/dev/kmsg", mark);
}

static int log_since(const char *mark, char *out, size_t len)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "dmesg | sed -n '/%s/,$p'", mark);
	return run_cmd(out, len, cmd);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The "time_ns" of status -j's selftest object. */
static unsigned long long status_selftest_time(void)
{
	char out[16384], *p;

	if (run_cmd(out, sizeof(out), "bulkhead status -j"))
		return 0;
	p = strstr(out, "\"selftest\":");
	p = p ? strstr(p, "\"time_ns\":") : NULL;
	return p ? strtoull(p + strlen("\"time_ns\":"), NULL, 10) : 0;
}

/*
 * BH-TST-1: a load runs the self-test before anything else: the status shows it passed,
 * at the time of the load, and the trail has its record right after the load's.
 */
TEST(load_runs_the_selftest)
{
	unsigned long long before, t;
	char out[16384];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode off; bulkhead unload"))
		TH_LOG("%s", out);
	before = now_ns();
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status"));
	EXPECT_NE(NULL, strstr(out, "\nself-test: passed at ")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status -j"));
	EXPECT_NE(NULL, strstr(out, "\"selftest\":{\"result\":\"passed\",\"failed\":[],"))
		TH_LOG("%s", out);
	t = status_selftest_time();
	EXPECT_LE(before, t);
	EXPECT_GE(now_ns(), t);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail | head -n 2"));
	EXPECT_NE(NULL, strstr(out, "seq=1 ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "event=load")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "seq=2 ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "event=selftest ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " failed_tests=none ")) TH_LOG("%s", out);
}

/* BH-TST-1: "bulkhead selftest" as root passes, says so, and adds one record. */
TEST(selftest_on_demand_passes_and_is_recorded)
{
	unsigned long long before;
	char out[4096];
	int records;

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) TH_LOG("%s", out);
	records = selftest_records();
	ASSERT_LE(1, records);
	before = now_ns();
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead selftest")) TH_LOG("%s", out);
	EXPECT_TRUE(starts_with(out, "self-test: passed at ")) TH_LOG("%s", out);
	EXPECT_EQ(records + 1, selftest_records());
	ASSERT_EQ(0, last_selftest_record(out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "event=selftest ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " failed_tests=none ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " comm=\"bulkhead\" ")) TH_LOG("%s", out);
	EXPECT_LE(before, status_selftest_time());
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead selftest -j")) TH_LOG("%s", out);
	EXPECT_TRUE(starts_with(out, "{\"result\":\"passed\",\"failed\":[],\"time\":"))
		TH_LOG("%s", out);
}

/* BH-TST-1: anyone without both administrators' capabilities is refused, with the reason. */
TEST(selftest_refused_to_nobody)
{
	char out[4096];
	int records;

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) TH_LOG("%s", out);
	records = selftest_records();
	EXPECT_EQ(1, run_cmd_nobody(out, sizeof(out), "bulkhead selftest"));
	EXPECT_NE(NULL, strstr(out, "Operation not permitted")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "running the self-test needs CAP_AUDIT_CONTROL or CAP_MAC_ADMIN"))
		TH_LOG("%s", out);
	EXPECT_EQ(records, selftest_records());
}

/* Which capabilities root drops from its bounding set before "bulkhead selftest". */
FIXTURE(caps) {
	char out[4096];
};

FIXTURE_VARIANT(caps) {
	int drop[2];		/* capabilities, -1 for none */
	int exit_status;
};

FIXTURE_VARIANT_ADD(caps, audit_control_alone) {
	.drop = { CAP_MAC_ADMIN, -1 }, .exit_status = 0,
};

FIXTURE_VARIANT_ADD(caps, mac_admin_alone) {
	.drop = { CAP_AUDIT_CONTROL, -1 }, .exit_status = 0,
};

FIXTURE_VARIANT_ADD(caps, neither) {
	.drop = { CAP_AUDIT_CONTROL, CAP_MAC_ADMIN }, .exit_status = 1,
};

FIXTURE_SETUP(caps)
{
	ASSERT_EQ(0, reset_bulkhead(self->out, sizeof(self->out))) TH_LOG("%s", self->out);
}

FIXTURE_TEARDOWN(caps) {}

/* BH-TST-1: either CAP_AUDIT_CONTROL or CAP_MAC_ADMIN will do; root without both is refused. */
TEST_F(caps, selftest_needs_either_administrator)
{
	int status, i;
	pid_t pid;

	/* In a child: the bounding set cannot be given back. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 2; i++)
			if (variant->drop[i] >= 0 && prctl(PR_CAPBSET_DROP, variant->drop[i], 0, 0, 0))
				_exit(10);
		status = run_cmd(self->out, sizeof(self->out), "bulkhead selftest");
		if (status != variant->exit_status)
			_exit(11);
		if (status && !strstr(self->out, "running the self-test needs CAP_AUDIT_CONTROL or CAP_MAC_ADMIN"))
			_exit(12);
		if (!status && !starts_with(self->out, "self-test: passed at "))
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("10: drop, 11: exit status, 12/13: output");
}

/* One self-test forced to fail, on a loaded module. */
FIXTURE(forced) {
	char out[16384];
};

FIXTURE_VARIANT(forced) {
	const char *test;
};

FIXTURE_VARIANT_ADD(forced, sha256) { .test = "sha256" };
FIXTURE_VARIANT_ADD(forced, hmac) { .test = "hmac" };
FIXTURE_VARIANT_ADD(forced, decide) { .test = "decide" };

FIXTURE_SETUP(forced)
{
	ASSERT_EQ(0, reset_bulkhead(self->out, sizeof(self->out))) TH_LOG("%s", self->out);
}

FIXTURE_TEARDOWN(forced)
{
	write_file(FORCE_PARAM, "none");
}

/*
 * BH-TST-1: a failure on request is reported (exit 1, which test, the kernel log's lines),
 * recorded, and shown by the status; the next run passes again once nothing is forced.
 */
TEST_F(forced, failure_on_demand_reported_and_recorded)
{
	char want[128], line[64];
	int records = selftest_records();

	ASSERT_EQ(0, write_file(FORCE_PARAM, variant->test));
	ASSERT_EQ(0, read_line(FORCE_PARAM, line, sizeof(line)));
	EXPECT_STREQ(variant->test, line);
	ASSERT_EQ(0, log_mark("selftest_test: on demand"));
	EXPECT_EQ(1, run_cmd(self->out, sizeof(self->out), "bulkhead selftest"));
	snprintf(want, sizeof(want), "self-test: failed (%s) at ", variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "a self-test failed")) TH_LOG("%s", self->out);

	EXPECT_EQ(records + 1, selftest_records());
	ASSERT_EQ(0, last_selftest_record(self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "event=selftest ")) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), " failed_tests=%s ", variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);

	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead status"));
	snprintf(want, sizeof(want), "\nself-test: failed (%s) at ", variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead status -j"));
	snprintf(want, sizeof(want), "\"selftest\":{\"result\":\"failed\",\"failed\":[\"%s\"],",
		 variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);

	ASSERT_EQ(0, log_since("selftest_test: on demand", self->out, sizeof(self->out)));
	snprintf(want, sizeof(want), "bulkhead: self-test failed: %s\n", variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), "bulkhead: self-test %s: ", variant->test);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);

	ASSERT_EQ(0, write_file(FORCE_PARAM, "none"));
	EXPECT_EQ(0, run_cmd(self->out, sizeof(self->out), "bulkhead selftest"))
		TH_LOG("%s", self->out);
}

/* BH-TST-1: the parameter takes the tests' names only. */
TEST(forced_failure_names_checked)
{
	char out[4096], line[64];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(-EINVAL, write_file(FORCE_PARAM, "sha512"));
	ASSERT_EQ(0, read_line(FORCE_PARAM, line, sizeof(line)));
	EXPECT_STREQ("none", line);
	EXPECT_EQ(0, write_file(FORCE_PARAM, "decide,sha256"));
	ASSERT_EQ(0, read_line(FORCE_PARAM, line, sizeof(line)));
	EXPECT_STREQ("sha256,decide", line);
	EXPECT_EQ(0, write_file(FORCE_PARAM, "none"));
	EXPECT_EQ(2, run_cmd(out, sizeof(out), "bulkhead load --selftest-fail 'a b'"));
	EXPECT_NE(NULL, strstr(out, "--selftest-fail takes sha256, hmac, decide")) TH_LOG("%s", out);
}

/*
 * BH-TST-1: each test forced to fail refuses the load: "bulkhead load" says the self-test
 * failed and which, the kernel log says so before anything was registered, and nothing is
 * left loaded - no module, no pins, no netlink family. The last step loads bulkhead again.
 */
TEST(forced_failure_refuses_the_load)
{
	char out[16384], want[128];
	unsigned int i;

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode off; bulkhead unload"))
		TH_LOG("%s", out);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		char cmd[128], mark[64];

		snprintf(mark, sizeof(mark), "selftest_test: refused load %u", i);
		ASSERT_EQ(0, log_mark(mark));
		snprintf(cmd, sizeof(cmd), "bulkhead load --selftest-fail %s", tests[i]);
		EXPECT_EQ(1, run_cmd(out, sizeof(out), cmd));
		snprintf(want, sizeof(want), "load: the module's self-test failed (%s); it refused to load and nothing was loaded",
			 tests[i]);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);

		EXPECT_NE(0, access("/sys/module/bulkhead", F_OK));
		EXPECT_NE(0, access(BULKHEAD_BPFFS_DIR, F_OK));
		EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead status"));
		EXPECT_NE(NULL, strstr(out, "the bulkhead module is not loaded")) TH_LOG("%s", out);

		ASSERT_EQ(0, log_since(mark, out, sizeof(out)));
		snprintf(want, sizeof(want), "bulkhead: self-test failed: %s\n", tests[i]);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "bulkhead: refusing to load: a self-test failed\n"))
			TH_LOG("%s", out);
		/* Refused before the family, kfuncs or hooks were registered or announced. */
		EXPECT_EQ(NULL, strstr(out, "bulkhead: version ")) TH_LOG("%s", out);
	}
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status"));
	EXPECT_NE(NULL, strstr(out, "\nself-test: passed at ")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
