// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead tools: points in time on the command line. People search an audit trail by day
 * and hour, as with ausearch's -ts/-te, not by epoch seconds; a form not listed here is
 * refused rather than guessed at, so that a typing error never reads as "nothing recorded".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "number.h"
#include "when.h"

#define RECENT_SECONDS (10 * 60)

/* Local midnight of @t, @days_back days earlier (mktime() carries a negative day over). */
static time_t midnight(time_t t, int days_back)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday -= days_back;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The start of the week (Monday), month or year holding @t, by @unit 'w', 'm' or 'y'. */
static time_t period_start(time_t t, char unit)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (unit == 'w')
		return midnight(t, (tm.tm_wday + 6) % 7);
	tm.tm_mday = 1;
	if (unit == 'y')
		tm.tm_mon = 0;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int keyword(const char *text, const struct bh_when_ref *ref, time_t *t)
{
	if (!strcmp(text, "now"))
		*t = ref->now;
	else if (!strcmp(text, "recent"))
		*t = ref->now - RECENT_SECONDS;
	else if (!strcmp(text, "today"))
		*t = midnight(ref->now, 0);
	else if (!strcmp(text, "yesterday"))
		*t = midnight(ref->now, 1);
	else if (!strcmp(text, "this-week"))
		*t = period_start(ref->now, 'w');
	else if (!strcmp(text, "this-month"))
		*t = period_start(ref->now, 'm');
	else if (!strcmp(text, "this-year"))
		*t = period_start(ref->now, 'y');
	else if (!strcmp(text, "this-boot"))
		*t = ref->boot;
	else
		return -1;
	return 0;
}

/* @text has the shape of @pattern: 'd' a digit, 'T' a 'T' or a space, the rest as written. */
static bool shaped(const char *text, const char *pattern)
{
	for (; *pattern; text++, pattern++)
		if (*pattern == 'd' ? !isdigit((unsigned char)*text) :
		    *pattern == 'T' ? *text != 'T' && *text != ' ' : *text != *pattern)
			return false;
	return !*text;
}

/*
 * "YYYY-MM-DD", then optionally " " or "T" and "HH:MM" or "HH:MM:SS", local time. The fields
 * are checked against what mktime() made of them: it would take 02-30 as 03-02.
 */
static int date_time(const char *text, time_t *t)
{
	struct tm tm = { .tm_isdst = -1 }, want;

	if ((!shaped(text, "dddd-dd-dd") && !shaped(text, "dddd-dd-ddTdd:dd") &&
	     !shaped(text, "dddd-dd-ddTdd:dd:dd")) ||
	    sscanf(text, "%d-%d-%d%*c%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	want = tm;
	*t = mktime(&tm);
	return *t == (time_t)-1 || tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	       tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour ||
	       tm.tm_min != want.tm_min || tm.tm_sec != want.tm_sec ? -1 : 0;
}

int bh_parse_when(const char *text, const struct bh_when_ref *ref, uint64_t *seconds)
{
	uint64_t epoch;
	time_t t;

	/* Epoch seconds, as before: nanoseconds in 64 bits last until the year 2554. */
	if (!bh_parse_uint(text, 0, UINT64_MAX / 1000000000ULL, &epoch)) {
		*seconds = epoch;
		return 0;
	}
	if ((keyword(text, ref, &t) && date_time(text, &t)) || t < 0)
		return -1;
	*seconds = t;
	return 0;
}
