// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: "audit report", aureport's role, over trail files. The totals, and per
 * domain pair, source, destination, acting domain, hook, channel, decision, uid, login uid,
 * hour and day how
 * many decisions went which way; the same filters as "audit tail", selecting the same
 * records; one JSON document with -j; a --by that names nothing is a usage error.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "decision_trail.h"
#include "json_valid.h"
#include "run_cli.h"

#define TRAIL		"/tmp/bh-report-test.trail"
#define LATER_TRAIL	"/tmp/bh-report-test-later.trail"

/* The CLI's output and exit status for "audit SUBCOMMAND ARGS TRAIL". */
static int audit(const char *sub, const char *args, char *out, size_t len)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "audit %s %s " TRAIL, sub, args);
	return run_cli(cmd, out, len);
}

/* The counts of one row of a table in -j, as the document writes them. */
#define COUNTS(total, denied, would_deny, allowed) \
	"\"total\":" #total ",\"denied\":" #denied ",\"would_deny\":" #would_deny \
	",\"prevented\":0,\"allowed\":" #allowed "}"

FIXTURE(report) {
	char out[16384];
};

FIXTURE_SETUP(report)
{
	ASSERT_EQ(0, write_decision_trail(TRAIL));
}

FIXTURE_TEARDOWN(report)
{
	unlink(TRAIL);
}

FIXTURE_VARIANT(report) {
	const char *args;
	const char *json;	/* in the -j document */
	const char *text;	/* in the text tables */
};

#define TABLE(name, a, j, t) \
	FIXTURE_VARIANT_ADD(report, name) { .args = a, .json = j, .text = t }

TABLE(pair, "--by pair", "{\"from\":\"b\",\"to\":\"a\"," COUNTS(1, 1, 0, 0),
      "        1           1           0           0           0  b -> a\n");
TABLE(from, "--by from", "{\"from\":\"a\"," COUNTS(2, 1, 1, 0),
      "        2           1           1           0           0  a\n");
TABLE(to, "--by to", "{\"to\":\"a\"," COUNTS(2, 2, 0, 0),
      "        2           2           0           0           0  a\n");
TABLE(subject, "--by subject", "{\"subject\":\"a\"," COUNTS(3, 2, 1, 0),
      "        3           2           1           0           0  a\n");
TABLE(hook, "--by hook", "{\"hook\":\"file_open\"," COUNTS(2, 1, 0, 1),
      "        2           1           0           0           1  file_open\n");
TABLE(channel, "--by channel", "{\"channel\":\"signal\"," COUNTS(1, 0, 1, 0),
      "        1           0           1           0           0  signal\n");
TABLE(channel_none, "--by channel", "{\"channel\":\"-\"," COUNTS(1, 1, 0, 0),
      "        1           1           0           0           0  -\n");
TABLE(decision, "--by decision", "{\"decision\":\"denied\"," COUNTS(2, 2, 0, 0),
      "        2           2           0           0           0  denied\n");
TABLE(uid, "--by uid", "{\"uid\":1000," COUNTS(2, 0, 1, 1),
      "        2           0           1           0           1  1000\n");
TABLE(auid, "--by auid", "{\"auid\":1000," COUNTS(2, 2, 0, 0),
      "        2           2           0           0           0  1000\n");
TABLE(hour, "--by hour",
      "{\"start\":\"2026-11-26T22:00:00+00:00\",\"seconds\":3600," COUNTS(4, 2, 1, 1),
      "        4           2           1           0           1  2026-11-26 22:00\n");
TABLE(day, "--by day",
      "{\"start\":\"2026-11-26T00:00:00+00:00\",\"seconds\":86400," COUNTS(4, 2, 1, 1),
      "        4           2           1           0           1  2026-11-26\n");
TABLE(filtered, "--decision denied --by hook", "{\"hook\":\"file_open\"," COUNTS(1, 1, 0, 0),
      "        1           1           0           0           0  file_open\n");
TABLE(by_domain, "--domain a --by pair", "{\"from\":\"a\",\"to\":\"b\"," COUNTS(1, 0, 1, 0),
      "        1           0           1           0           0  a -> b\n");

/* BH-CLI-3: each table counts the decisions per key and how each went, in text and -j. */
TEST_F(report, table_counts)
{
	char args[256];

	ASSERT_EQ(0, audit("report", variant->args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, variant->text)) TH_LOG("%s", self->out);
	snprintf(args, sizeof(args), "-j %s", variant->args);
	ASSERT_EQ(0, audit("report", args, self->out, sizeof(self->out)));
	EXPECT_TRUE(json_one_document(self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, variant->json)) TH_LOG("%s", self->out);
}

/* BH-CLI-3: without --by, or with --summary, the totals. */
TEST(summary)
{
	static const char *const says[] = {
		"records: 4\n",
		"first: seq 1 at 2026-11-26T22:01:02.000000001Z\n",
		"last: seq 4 at 2026-11-26T22:01:02.000000004Z\n",
		"by type: decision 4\n",
		"decisions: 4 (denied 2, would_deny 1, prevented 0, allowed 1)\n",
		"domain pairs: 4, hooks: 3, channels: 3, uids: 2\n",
	};
	char out[8192];
	unsigned int i;

	ASSERT_EQ(0, write_decision_trail(TRAIL));
	EXPECT_EQ(0, audit("report", "", out, sizeof(out)));
	for (i = 0; i < ARRAY_SIZE(says); i++)
		EXPECT_NE(NULL, strstr(out, says[i])) TH_LOG("line %u missing: %s", i, out);
	/* --by alone prints only its table; --summary adds the totals. */
	EXPECT_EQ(0, audit("report", "--by hook", out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "records: 4")) TH_LOG("%s", out);
	EXPECT_EQ(0, audit("report", "--summary --by hook", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "records: 4")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "decisions by hook:")) TH_LOG("%s", out);
	EXPECT_EQ(0, audit("report", "-j --summary --by uid", out, sizeof(out)));
	EXPECT_TRUE(json_one_document(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "{\"summary\":{\"records\":4,\"first_seq\":1,")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"decisions\":{\"denied\":2,\"would_deny\":1,\"prevented\":0,\"allowed\":1}")) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, "\"by_uid\":[")) TH_LOG("%s", out);
	/* -p: the same document, indented. */
	EXPECT_EQ(0, audit("report", "-p", out, sizeof(out)));
	EXPECT_TRUE(json_one_document(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\n    \"records\": 4,\n")) TH_LOG("%s", out);
	/* Nothing selected: zero, not an error. */
	EXPECT_EQ(0, audit("report", "--type policy", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "records: 0\n")) TH_LOG("%s", out);
	unlink(TRAIL);
}

/* BH-CLI-3: a report counts exactly the records "audit tail" prints for the same filters. */
TEST(same_records_as_tail)
{
	static const char *const filters[] = {
		"", "--hook file_open", "--from a", "--uid 1000 --channel file", "--path /srv/",
		"--since-seq 2 --until-seq 3", "--since 2026-11-26 --until now", "--type lost",
	};
	char out[8192], want[64];
	const char *p;
	unsigned int i, n;

	ASSERT_EQ(0, write_decision_trail(TRAIL));
	for (i = 0; i < ARRAY_SIZE(filters); i++) {
		ASSERT_EQ(0, audit("tail", filters[i], out, sizeof(out)));
		for (n = 0, p = out; (p = strchr(p, '\n')); p++)
			n++;
		snprintf(want, sizeof(want), "records: %u\n", n);
		ASSERT_EQ(0, audit("report", filters[i], out, sizeof(out)));
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s: %s", filters[i], out);
	}
	unlink(TRAIL);
}

/* BH-CLI-3: time windows are listed in time order, whatever order the files are read in. */
TEST(windows_in_time_order)
{
	char out[8192];
	const char *first, *second;
	FILE *f;

	ASSERT_EQ(0, write_decision_trail(TRAIL));
	f = fopen(LATER_TRAIL, "w");
	ASSERT_NE(NULL, f);
	/* Two hours and a day later (the record's time is a base plus its seq in ns). */
	put_decision(f, 7200000000000ULL, BULKHEAD_HOOK_FILE_OPEN, BULKHEAD_AUDIT_DENIED, "b", "a",
		     "a", BULKHEAD_CHAN_FILE, 100, 0, NULL);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, run_cli("audit report --by day --by hour " LATER_TRAIL " " TRAIL, out,
			     sizeof(out)));
	first = strstr(out, "  2026-11-26 22:00\n");
	second = strstr(out, "  2026-11-27 00:00\n");
	EXPECT_TRUE(first && second && first < second) TH_LOG("%s", out);
	first = strstr(out, "  2026-11-26\n");
	second = strstr(out, "  2026-11-27\n");
	EXPECT_TRUE(first && second && first < second) TH_LOG("%s", out);
	unlink(LATER_TRAIL);
	unlink(TRAIL);
}

/* BH-CLI-1, BH-CLI-3: what names nothing is refused (exit 2), listing what it could be. */
TEST(misspelt_value_refused)
{
	static const char *const cases[][2] = {
		{ "--by pairs", "--by takes one of pair, from, to, subject, exchange, hook, channel, decision, uid, auid, hour, day; not 'pairs'" },
		{ "--by hook,hoook", "not 'hoook'" },
		{ "--decision deny", "audit report: --decision takes one of none, allowed, denied," },
		{ "--domain salse", "--domain: no record read names domain 'salse' (they name b, a, low, high)" },
		{ "--follow", "audit report: unknown option '--follow'" },
	};
	char out[8192];
	unsigned int i;

	ASSERT_EQ(0, write_decision_trail(TRAIL));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(2, audit("report", cases[i][0], out, sizeof(out)));
		EXPECT_NE(NULL, strstr(out, cases[i][1])) TH_LOG("%s: %s", cases[i][0], out);
		/* A refused report prints no table that could read as the answer. */
		EXPECT_EQ(NULL, strstr(out, "records:")) TH_LOG("%s: %s", cases[i][0], out);
	}
	unlink(TRAIL);
}

TEST_HARNESS_MAIN
