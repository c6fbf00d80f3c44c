// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: points in time for "audit tail --since/--until", in ausearch's forms,
 * read strictly (in UTC here, so that local midnight is a known number).
 */
#include <stdlib.h>
#include <time.h>

#include "kselftest_harness.h"
#include "when.h"

/* Thursday 2026-11-26 22:01:02 UTC; booted an hour before. */
#define NOW 1795730462
static const struct bh_when_ref ref = { .now = NOW, .boot = NOW - 3600 };

FIXTURE(when) {
	uint64_t t;
};

FIXTURE_VARIANT(when) {
	const char *text;
	int64_t seconds;	/* -1: refused */
};

FIXTURE_SETUP(when)
{
	setenv("TZ", "UTC", 1);
	tzset();
	self->t = 7;
}

FIXTURE_TEARDOWN(when)
{
}

#define WHEN(name, txt, s) FIXTURE_VARIANT_ADD(when, name) { .text = txt, .seconds = s }

WHEN(epoch, "1795730000", 1795730000);
WHEN(now, "now", NOW);
WHEN(recent, "recent", NOW - 600);
WHEN(today, "today", 1795651200);
WHEN(yesterday, "yesterday", 1795651200 - 86400);
WHEN(this_week, "this-week", 1795651200 - 3 * 86400);
WHEN(this_month, "this-month", 1793491200);
WHEN(this_year, "this-year", 1767225600);
WHEN(this_boot, "this-boot", NOW - 3600);
WHEN(date, "2026-11-26", 1795651200);
WHEN(date_time, "2026-11-26 22:01", 1795730460);
WHEN(date_time_seconds, "2026-11-26 22:01:02", NOW);
WHEN(iso_t, "2026-11-26T22:01:02", NOW);
WHEN(misspelt, "yestreday", -1);
WHEN(no_such_day, "2026-02-30", -1);
WHEN(no_such_hour, "2026-11-26 24:00", -1);
WHEN(short_year, "26-11-26", -1);
WHEN(spaces, "2026- 1-26", -1);
WHEN(signed_field, "2026-+1-26", -1);
WHEN(trailing, "2026-11-26 22:01:02Z", -1);
WHEN(minutes_cut, "2026-11-26 22:1", -1);
WHEN(negative, "-5", -1);
WHEN(empty, "", -1);

/* BH-CLI-1, BH-AUD-1: each form means the time ausearch would take; anything else is refused. */
TEST_F(when, parsed)
{
	int ret = bh_parse_when(variant->text, &ref, &self->t);

	if (variant->seconds < 0) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(7, self->t);
		return;
	}
	ASSERT_EQ(0, ret) TH_LOG("'%s' refused", variant->text);
	EXPECT_EQ(variant->seconds, (int64_t)self->t) TH_LOG("'%s'", variant->text);
}

TEST_HARNESS_MAIN
