/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead tools: points in time given on the command line ("audit tail --since/--until"), in
 * the forms ausearch reads.
 */
#ifndef BULKHEAD_WHEN_H
#define BULKHEAD_WHEN_H

#include <stdint.h>
#include <time.h>

/* The accepted forms, for usage messages. */
#define BH_WHEN_FORMS "now, recent (10 minutes ago), today, yesterday, this-week, " \
	"this-month, this-year, this-boot, YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', " \
	"YYYY-MM-DDTHH:MM[:SS] (local time) or seconds since the epoch"

/* What the relative forms are relative to: the time now and of the boot, epoch seconds. */
struct bh_when_ref {
	time_t now;
	time_t boot;
};

/*
 * Read @text as one of BH_WHEN_FORMS into *@seconds since the epoch. Days start at local
 * midnight, weeks on Monday. Returns 0, or -1 with *@seconds untouched.
 */
int bh_parse_when(const char *text, const struct bh_when_ref *ref, uint64_t *seconds);

#endif /* BULKHEAD_WHEN_H */
