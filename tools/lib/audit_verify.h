/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: verifying an audit trail - records fed in order, from one or more files, checked
 * for format, sequence, epoch and the seal chain; the first bad record is named and classed.
 */
#ifndef BULKHEAD_AUDIT_VERIFY_H
#define BULKHEAD_AUDIT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bulkhead_audit.h>

#include "json.h"

enum bh_audit_result {
	BH_AUDIT_VERIFIED,
	BH_AUDIT_TAMPERED,
	BH_AUDIT_UNVERIFIABLE,	/* nothing to say: no records, not from seq 1, unreadable file */
};

/* What is wrong with the first bad record of a tampered trail. */
enum bh_audit_tamper {
	BH_AUDIT_TRUNCATED,	/* a file ends inside a record, or the trail before the last
				 * record expected */
	BH_AUDIT_DELETED,	/* a gap in seq, no missing record turning up later */
	BH_AUDIT_REORDERED,	/* seq goes back or repeats, or a missing record turns up later */
	BH_AUDIT_MODIFIED,	/* the next record's seal does not match, or its seq field was
				 * changed (it is sealed as the record expected) */
	BH_AUDIT_SPLICED,	/* a LOAD record inside the trail, or the chain breaking exactly
				 * where a file begins */
	BH_AUDIT_REPLAYED,	/* the first record does not verify with the key */
	BH_AUDIT_MALFORMED,	/* not a record at all, or sealed but breaking the format */
};

struct bh_audit_report {
	enum bh_audit_result result;
	/* When tampered: which record, where, and what */
	enum bh_audit_tamper tamper;
	const char *file;		/* the name given to bh_audit_verifier_begin_file() */
	bool at_offset;			/* it cannot be parsed: named by offset, not seq */
	uint64_t seq;
	uint64_t offset;		/* of the record in its file */
	char detail[256];		/* also why the trail is unverifiable */
	/* The records verified: all when verified, else those before the bad one */
	uint64_t records;
	uint64_t first_seq, last_seq;
	uint32_t epochs;
	bool closed;			/* the last of them is the UNLOAD record */
};

/* Where the verifier is; only audit_verify.c looks. */
enum bh_audit_stage {
	BH_AUDIT_CHECKING,
	BH_AUDIT_AFTER_GAP,		/* deleted, unless a missing record turns up later */
	BH_AUDIT_AFTER_FIRST,		/* wrong key, unless record 2 shows record 1 was changed */
	BH_AUDIT_DONE,
};

struct bh_audit_verifier {
	uint8_t key[BULKHEAD_AUDIT_KEY_LEN];		/* K[epoch] */
	uint32_t epoch;
	uint8_t prev_seal[BULKHEAD_AUDIT_SEAL_LEN];
	uint64_t next_seq;
	uint64_t expect_last;
	uint64_t gap_lo, gap_hi;			/* the records missing in AFTER_GAP */
	enum bh_audit_stage stage;
	const char *file;
	bool file_start;				/* no record of this file checked yet */
	uint64_t offset;				/* of the record being gathered */
	uint8_t buf[BULKHEAD_AUDIT_MAX_RECORD];		/* the record being gathered */
	size_t have, want;				/* want 0: its size is not known yet */
	struct bh_audit_report report;
};

/*
 * Start verifying a trail sealed from @key0 (K[0]). @expect_last, if not 0, is a record the
 * trail must reach: ending before it is truncation (it may go on beyond).
 */
void bh_audit_verifier_init(struct bh_audit_verifier *v, const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN],
			    uint64_t expect_last);

/* The next file: @name is kept (not copied) for the report. */
void bh_audit_verifier_begin_file(struct bh_audit_verifier *v, const char *name);

/* The file's next bytes, cut anywhere. */
void bh_audit_verifier_feed(struct bh_audit_verifier *v, const void *data, size_t len);

/* The file is over: a record begun in it and not finished is truncation. */
void bh_audit_verifier_end_file(struct bh_audit_verifier *v);

/*
 * Feed the file at @path (begin, feed, end). An unreadable file makes the trail unverifiable.
 * Returns 0 or a negative errno.
 */
int bh_audit_verify_file(struct bh_audit_verifier *v, const char *path);

/* The verdict is reached: the rest of the trail cannot change it. */
bool bh_audit_verifier_done(const struct bh_audit_verifier *v);

/* The verdict, once every file was fed; the verifier's key is wiped. */
const struct bh_audit_report *bh_audit_verifier_finish(struct bh_audit_verifier *v);

/* "truncated", "deleted", "reordered", "modified", "spliced", ... */
const char *bh_audit_tamper_name(enum bh_audit_tamper tamper);

/*
 * One line: "verified: N records, seq 1..N, E epochs, closed|open", "tampered: FILE: record
 * SEQ: CLASS: detail" (offset OFF when it cannot be parsed) or "unverifiable: reason"; or the
 * same as one JSON object, which also gives a tampered record's offset and the records
 * verified before it.
 */
void bh_audit_report_print(FILE *out, const struct bh_audit_report *r, enum json_style json);

#endif /* BULKHEAD_AUDIT_VERIFY_H */
