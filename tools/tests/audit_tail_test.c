// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: "audit tail" as a search tool over trail files. Each filter selects
 * exactly the records it names; a filter value that names nothing (a misspelt type, hook,
 * channel or decision, a malformed domain) is a usage error listing the valid values, never an
 * empty answer that reads as "nothing recorded".
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "decision_trail.h"
#include "json_valid.h"
#include "run_cli.h"

#define TRAIL	"/tmp/bh-tail-test.trail"

/* The CLI's output and exit status for "audit tail ARGS TRAIL". */
static int tail(const char *args, char *out, size_t len)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "audit tail %s " TRAIL, args);
	return run_cli(cmd, out, len);
}

/* The sequence numbers printed, as "1 3 " */
static const char *seqs(const char *out)
{
	static char list[256];
	const char *p = out;
	size_t n = 0;
	unsigned int seq;

	list[0] = '\0';
	while ((p = strstr(p, "seq=")) && n < sizeof(list) - 16) {
		if (sscanf(p, "seq=%u", &seq) == 1)
			n += snprintf(list + n, sizeof(list) - n, "%u ", seq);
		p++;
	}
	return list;
}

FIXTURE(trail) {
	char out[8192];
};

FIXTURE_SETUP(trail)
{
	ASSERT_EQ(0, write_decision_trail(TRAIL));
}

FIXTURE_TEARDOWN(trail)
{
	unlink(TRAIL);
}

FIXTURE_VARIANT(trail) {
	const char *args;
	const char *seqs;	/* the records selected */
};

#define SELECTS(name, a, s) FIXTURE_VARIANT_ADD(trail, name) { .args = a, .seqs = s }

SELECTS(everything, "", "1 2 3 4 ");
SELECTS(by_hook, "--hook file_open", "1 3 ");
SELECTS(by_channel, "--channel signal", "2 ");
SELECTS(by_decision, "--decision denied", "1 4 ");
SELECTS(by_domain, "--domain high", "3 ");
SELECTS(by_subject, "--subject a", "1 2 4 ");
SELECTS(by_subject_not_flow_end, "--subject high --from low", "3 ");
SELECTS(by_path_prefix, "--path /srv/b/", "1 ");
SELECTS(by_uid, "--uid 1000", "2 3 ");
SELECTS(by_auid, "--auid 1000", "1 4 ");
SELECTS(by_pid, "--pid 100", "1 3 ");
SELECTS(combined, "--hook file_open --decision denied --domain a", "1 ");
SELECTS(by_type_none, "--type policy", "");
SELECTS(since_date_time, "--since '2026-11-26 22:01:02'", "1 2 3 4 ");
SELECTS(until_day_before, "--until 2026-11-26", "");
SELECTS(since_iso_until_epoch, "--since 2026-11-26T22:00 --until 1795730463", "1 2 3 4 ");
SELECTS(since_now, "--since now", "");

/* BH-CLI-1, BH-AUD-1: each filter selects exactly the records it names. */
TEST_F(trail, filter_selects)
{
	ASSERT_EQ(0, tail(variant->args, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	EXPECT_STREQ(variant->seqs, seqs(self->out)) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
}

/* BH-CLI-2: -j prints every record read as one document, -p the same indented. */
TEST(json_is_one_document)
{
	static const struct {
		const char *args;
		bool indented;
	} styles[] = {
		{ "-j", false }, { "-p", true }, { "-j --type policy", false }, { "-p -j", true },
		{ "--json --pretty --hook file_open", true },
	};
	char out[8192];
	unsigned int i;

	ASSERT_FALSE(json_one_document("{}\n{}\n"));	/* the check itself: JSON lines are not one */
	ASSERT_EQ(0, write_decision_trail(TRAIL));
	for (i = 0; i < ARRAY_SIZE(styles); i++) {
		EXPECT_EQ(0, tail(styles[i].args, out, sizeof(out)));
		EXPECT_TRUE(json_one_document(out)) TH_LOG("%s: %s", styles[i].args, out);
		EXPECT_EQ(styles[i].indented, strstr(out, "\n  {") != NULL) {
			TH_LOG("%s: %s", styles[i].args, out);
		}
	}
	EXPECT_EQ(2, run_cli("audit tail -f -p", out, sizeof(out)));
	unlink(TRAIL);
}

/*
 * BH-CLI-1, BH-AUD-1: --from and --to select the flow's source and destination; a domain no
 * record names is refused, listing those the records do name.
 */
TEST(domain_filters)
{
	static const char *const cases[][2] = {
		{ "--from a", "2 4 " },
		{ "--to a", "1 4 " },
		{ "--from low --to high", "3 " },
		{ "--from a --to b", "2 " },
		{ "--to b --domain a", "2 " },
	};
	char out[8192];
	unsigned int i;

	ASSERT_EQ(0, write_decision_trail(TRAIL));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(0, tail(cases[i][0], out, sizeof(out))) TH_LOG("%s", out);
		EXPECT_STREQ(cases[i][1], seqs(out)) TH_LOG("%s: %s", cases[i][0], out);
	}
	EXPECT_EQ(2, tail("--domain salse", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--domain: no record read names domain 'salse' (they name b, a, low, high)")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(2, tail("--from a --to hihg", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--to: no record read names domain 'hihg'")) TH_LOG("%s", out);
	EXPECT_EQ(2, tail("--from Low", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--from takes a domain name")) TH_LOG("%s", out);
	/* An exchange's boxes are domains of their own, named after it. */
	EXPECT_EQ(2, tail("--to low-high.outbox", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--to: no record read names domain 'low-high.outbox'")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(2, tail("--to low.high", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--to takes a domain name")) TH_LOG("%s", out);
	/* b is a domain the records name (as a flow's end), that never acted: no record. */
	EXPECT_EQ(0, tail("--subject b", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("", seqs(out)) TH_LOG("%s", out);
	EXPECT_EQ(2, tail("--subject hgh", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--subject: no record read names domain 'hgh'")) {
		TH_LOG("%s", out);
	}
	unlink(TRAIL);
}

/* One transfer record of exchange @exchange, from @from to @to, recorded by @guard's task. */
static void put_transfer(FILE *f, uint64_t seq, const char *exchange, const char *from,
			 const char *to, const char *guard)
{
	struct bulkhead_audit_hdr h = {
		.version = BULKHEAD_AUDIT_VERSION, .type = BULKHEAD_AUDIT_TRANSFER, .seq = seq,
		.realtime_ns = 1795730462000000000ULL + seq, .generation = 2,
		.hook = BULKHEAD_AUDIT_NO_HOOK,
	};
	struct bh_audit_builder b;

	bh_audit_build_start(&b, &h);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_SUBJ_DOMAIN, guard);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_EXCHANGE, exchange);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_FROM_DOMAIN, from);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_TO_DOMAIN, to);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_FILE_NAME, "report.pdf");
	fwrite(b.data, 1, bh_audit_build_end(&b), f);
}

/*
 * BH-CLI-1, BH-AUD-1: --exchange selects one exchange's transfers, --subject the records of
 * the guard's own domain; an exchange no record names, or a malformed name, is refused.
 */
TEST(exchange_filter)
{
	char out[8192];
	FILE *f = fopen(TRAIL, "w");

	ASSERT_NE(NULL, f);
	put_transfer(f, 1, "up", "low", "high", "guard-up");
	put_transfer(f, 2, "down", "high", "low", "guard-down");
	put_transfer(f, 3, "up", "low", "high", "guard-up");
	ASSERT_EQ(0, fclose(f));
	EXPECT_EQ(0, tail("--exchange up", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("1 3 ", seqs(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "subj_domain=guard-up")) TH_LOG("%s", out);
	EXPECT_EQ(0, tail("--subject guard-down", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("2 ", seqs(out)) TH_LOG("%s", out);
	EXPECT_EQ(2, tail("--exchange sideways", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--exchange: no record read names exchange 'sideways' (they name up, down)")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(2, tail("--exchange Up", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--exchange takes an exchange name")) TH_LOG("%s", out);
	unlink(TRAIL);
}

/* BH-CLI-1: a value that names nothing is refused (exit 2), listing what it could be. */
TEST(misspelt_value_refused)
{
	char out[8192];
	static const char *const cases[][2] = {
		{ "--type swich", "--type takes one of decision, policy, mode, switch," },
		{ "--decision deny", "--decision takes one of none, allowed, denied," },
		{ "--hook file_opn", "--hook takes one of file_open, file_receive," },
		{ "--channel files", "--channel takes one of file, exec, signal," },
		{ "--domain Salse", "--domain takes a domain name" },
		{ "--uid -1", "--uid takes a number" },
		{ "--since yestreday", "--since takes now, recent (10 minutes ago), today," },
		{ "--until '2026-11-26 25:00'", "--until takes now, recent" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(2, tail(cases[i][0], out, sizeof(out)));
		EXPECT_NE(NULL, strstr(out, cases[i][1])) {
			TH_LOG("%s: %s", cases[i][0], out);
		}
	}
}

TEST_HARNESS_MAIN
