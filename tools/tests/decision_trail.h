/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead host tests: a short trail of decision records in a file, for the commands that
 * search and summarise trails ("audit tail", "audit report") to read.
 */
#ifndef BULKHEAD_DECISION_TRAIL_H
#define BULKHEAD_DECISION_TRAIL_H

#include <stdio.h>
#include <stdlib.h>

#include "audit_codec.h"

/*
 * One decision record: seq, hook, decision, domains (the flow's, the acting task's), channel,
 * pid/uid/auid, an optional path.
 */
static inline void put_decision(FILE *f, uint64_t seq, unsigned int hook, unsigned int decision,
				const char *from, const char *to, const char *subject,
				uint32_t channel, uint32_t pid, uint32_t uid, const char *path)
{
	struct bulkhead_audit_hdr h = {
		.version = BULKHEAD_AUDIT_VERSION,
		.type = BULKHEAD_AUDIT_DECISION,
		.decision = decision,
		.seq = seq,
		.realtime_ns = 1795730462000000000ULL + seq,
		.generation = 2,
		.hook = hook,
	};
	struct bh_audit_builder b;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SUBJ_PID, pid);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SUBJ_UID, uid);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SUBJ_LOGINUID, uid + 1000);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_SUBJ_DOMAIN, subject);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_FROM_DOMAIN, from);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_TO_DOMAIN, to);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_CHANNEL, channel);
	if (path)
		bh_audit_build_string(&b, BULKHEAD_AUDIT_OBJ_PATH, path);
	size = bh_audit_build_end(&b);
	fwrite(b.data, 1, size, f);
}

/*
 * Four decisions at @path, from 2026-11-26 22:01:02 UTC (TZ is set to UTC: the CLI reads and
 * prints dates in local time):
 *   1 file_open  denied     b -> a       by a     file    pid 100 uid 0     /srv/b/secret
 *   2 task_kill  would_deny a -> b       by a     signal  pid 200 uid 1000
 *   3 file_open  allowed    low -> high  by high  file    pid 100 uid 1000  /srv/high/inbox/x
 *   4 capable    denied     a -> a       by a     (none)  pid 300 uid 0
 * 0 or -1.
 */
static inline int write_decision_trail(const char *path)
{
	FILE *f = fopen(path, "w");

	setenv("TZ", "UTC", 1);
	if (!f)
		return -1;
	put_decision(f, 1, BULKHEAD_HOOK_FILE_OPEN, BULKHEAD_AUDIT_DENIED, "b", "a", "a",
		     BULKHEAD_CHAN_FILE, 100, 0, "/srv/b/secret");
	put_decision(f, 2, BULKHEAD_HOOK_TASK_KILL, BULKHEAD_AUDIT_WOULD_DENY, "a", "b", "a",
		     BULKHEAD_CHAN_SIGNAL, 200, 1000, NULL);
	put_decision(f, 3, BULKHEAD_HOOK_FILE_OPEN, BULKHEAD_AUDIT_ALLOWED, "low", "high", "high",
		     BULKHEAD_CHAN_FILE, 100, 1000, "/srv/high/inbox/x");
	put_decision(f, 4, BULKHEAD_HOOK_CAPABLE, BULKHEAD_AUDIT_DENIED, "a", "a", "a", 0, 300,
		     0, NULL);
	return fclose(f);
}

#endif /* BULKHEAD_DECISION_TRAIL_H */
