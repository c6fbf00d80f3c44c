// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard's checks - size, type by content whatever the name
 * says, deny patterns over the content, the filter command and its timeout, the rate limit -
 * each rejecting what it should into the quarantine with the reason in the record.
 */
#include <time.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"
#include "guard_int.h"

static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n";

FIXTURE(checks) {
	struct exchange x;
};

FIXTURE_VARIANT(checks) {
	const char *name;
	const char *content;
	size_t len;
	uint64_t max_size;
	const char *types[3];
	const char *deny[2];
	const char *filter;
	const char *reason;	/* NULL: delivered */
	const char *filter_result;
};

FIXTURE_SETUP(checks)
{
	const FIXTURE_VARIANT(checks) *v = variant;
	unsigned int i;

	exchange_setup(&self->x);
	self->x.cfg.max_size = v->max_size;
	for (i = 0; i < 3 && v->types[i]; i++)
		self->x.cfg.types[self->x.cfg.n_types++] = v->types[i];
	for (i = 0; i < 2 && v->deny[i]; i++)
		self->x.cfg.deny[self->x.cfg.n_deny++] = v->deny[i];
	self->x.cfg.filter = v->filter;
	self->x.cfg.filter_timeout_ms = 300;
}

FIXTURE_TEARDOWN(checks)
{
	exchange_teardown(&self->x);
}

#define TEXT(s) .content = s, .len = sizeof(s) - 1

FIXTURE_VARIANT_ADD(checks, within_size) {
	.name = "a.txt", TEXT("0123456789"), .max_size = 10,
};
FIXTURE_VARIANT_ADD(checks, oversize) {
	.name = "a.txt", TEXT("0123456789!"), .max_size = 10, .reason = "too-large",
};
FIXTURE_VARIANT_ADD(checks, text_allowed) {
	.name = "notes.pdf", TEXT("just words, whatever the name says\n"),
	.types = { "application/pdf", "text/plain" },
};
FIXTURE_VARIANT_ADD(checks, type_prefix) {
	.name = "notes", TEXT("just words\n"), .types = { "text/" },
};
FIXTURE_VARIANT_ADD(checks, pdf_allowed) {
	.name = "report.pdf", .content = pdf, .len = sizeof(pdf) - 1,
	.types = { "application/pdf" },
};
FIXTURE_VARIANT_ADD(checks, misleading_extension) {
	.name = "holiday.txt", .content = png, .len = sizeof(png) - 1,
	.types = { "text/plain", "application/pdf" }, .reason = "type:image/png",
};
FIXTURE_VARIANT_ADD(checks, deny_pattern) {
	.name = "memo.txt", TEXT("this memo is\nTOP SECRET\n"),
	.deny = { "password", "(TOP|top) ?(SECRET|secret)" }, .reason = "deny-pattern:2",
};
FIXTURE_VARIANT_ADD(checks, deny_pattern_after_nul) {
	.name = "blob.bin", TEXT("\0\0\0binary\0password=hunter2"),
	.deny = { "password" }, .reason = "deny-pattern:1",
};
FIXTURE_VARIANT_ADD(checks, deny_pattern_clean) {
	.name = "memo.txt", TEXT("nothing to see\n"), .deny = { "secret" },
};
FIXTURE_VARIANT_ADD(checks, filter_clean) {
	.name = "scan.txt", TEXT("hello\n"), .filter = "grep -q hello", .filter_result = "clean",
};
FIXTURE_VARIANT_ADD(checks, filter_exit_1) {
	.name = "scan.txt", TEXT("EICAR\n"), .filter = "! grep -q EICAR",
	.reason = "filter:exit-1", .filter_result = "exit-1",
};
FIXTURE_VARIANT_ADD(checks, filter_timeout) {
	.name = "slow.txt", TEXT("x\n"), .filter = "sleep 30; true",
	.reason = "filter:timeout", .filter_result = "timeout",
};
FIXTURE_VARIANT_ADD(checks, filter_hostile_name) {
	.name = "$(touch pwned);`x`.txt", TEXT("x\n"), .filter = "test -f", .filter_result = "clean",
};

/* BH-EXCH-3: each check passes what it should and rejects the rest with its reason; a
 * rejected file is in the quarantine with a reason file, never in the inbox.
 */
TEST_F(checks, verdict)
{
	char want[160], buf[512];
	struct timespec t0, t1;

	ASSERT_EQ(0, put_file(self->x.outbox, variant->name, variant->content, variant->len));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_EQ(0, count_files(self->x.outbox, 1));
	if (variant->reason) {
		EXPECT_EQ(0, count_files(self->x.inbox, 1));
		snprintf(want, sizeof(want), "\"reason\":\"%s\"", variant->reason);
		EXPECT_EQ(1, records_with(&self->x, want)) {
			TH_LOG("records: %s", self->x.records);
		}
		EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"rejected\""));
		EXPECT_EQ((ssize_t)variant->len,
			  get_file(self->x.quarantine, "1.data", buf, sizeof(buf)));
		ASSERT_LT(0, get_file(self->x.quarantine, "1.reason", buf, sizeof(buf)));
		snprintf(want, sizeof(want), "reason %s\n", variant->reason);
		EXPECT_NE(NULL, strstr(buf, want));
	} else {
		EXPECT_EQ((ssize_t)variant->len, get_file(self->x.inbox, variant->name, buf,
							  sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, variant->content, variant->len));
		EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"delivered\"")) {
			TH_LOG("records: %s", self->x.records);
		}
		EXPECT_EQ(0, count_files(self->x.quarantine, 1));
	}
	if (variant->filter_result) {
		snprintf(want, sizeof(want), "\"filter\":\"%s\"", variant->filter_result);
		EXPECT_EQ(1, records_with(&self->x, want));
	}
	/* The timeout killed the filter's whole process group in time. */
	EXPECT_GT(5, t1.tv_sec - t0.tv_sec);
	EXPECT_NE(0, access("pwned", F_OK));
}

/* BH-EXCH-3: the filter's children die with it when it times out. */
TEST(filter_timeout_kills_group)
{
	char result[32], marker[] = "/tmp/bh-guard-filter-XXXXXX", cmd[256];
	int fd = mkstemp(marker);

	ASSERT_LE(0, fd);
	close(fd);
	unlink(marker);
	snprintf(cmd, sizeof(cmd), "(sleep 1; touch %s) & sleep 30; true", marker);
	EXPECT_FALSE(bh_guard_filter(cmd, "/dev/null", 200, result, sizeof(result)));
	EXPECT_STREQ("timeout", result);
	sleep(2);
	EXPECT_NE(0, access(marker, F_OK));
	unlink(marker);
}

/* BH-EXCH-3: a filter that cannot run is not clean. */
TEST(filter_missing_not_clean)
{
	char result[32];

	EXPECT_FALSE(bh_guard_filter("/nonexistent/scanner", "/dev/null", 2000, result,
				     sizeof(result)));
	EXPECT_STREQ("exit-127", result);
}

/* BH-EXCH-3: N files a second, a burst of B, then one every 1/N s. */
TEST(rate_token_bucket)
{
	struct bh_guard_config cfg = { .rate = 2, .burst = 3 };
	struct bh_guard g = { .cfg = &cfg, .tokens = 3, .refilled_ns = 1000000000 };
	uint64_t now = 1000000000;

	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	/* Empty: half a second until the next. */
	EXPECT_LT(499000000, bh_guard_rate_take(&g, now));
	EXPECT_GT(500000002, bh_guard_rate_take(&g, now));
	EXPECT_EQ(0, bh_guard_rate_take(&g, now + 500000000));
	/* A long pause refills to the burst, no more. */
	now += 100000000000ULL;
	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	EXPECT_EQ(0, bh_guard_rate_take(&g, now));
	EXPECT_NE(0, bh_guard_rate_take(&g, now));
}

/* BH-EXCH-3: the engine waits for tokens; nothing is rejected for the rate. */
TEST(rate_limits_engine)
{
	struct exchange x;
	struct timespec t0, t1;
	char name[16];
	int i;

	exchange_setup(&x);
	x.cfg.rate = 10;
	x.cfg.burst = 1;
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ASSERT_EQ(0, put_file(x.outbox, name, "x", 1));
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(4, exchange_run(&x, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_EQ(4, count_files(x.inbox, 0));
	/* Three waits of 100 ms after the first. */
	EXPECT_LE(290, (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	exchange_teardown(&x);
}

TEST_HARNESS_MAIN
