/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the exchange guard's engine - one exchange's configuration, the transfer record
 * and where records go, and the engine that moves files from an outbox to an inbox.
 *
 * A file crosses in steps, each written to the journal in the staging area before the next
 * begins (docs/exchange.md). A delivery's record is kept before the file shows under its
 * final name, so that a record the sink cannot keep holds the delivery back:
 *
 *   outbox/NAME --copy--> staging/ID.data   staged       (outbox/NAME removed after this)
 *                         inspect the copy   checked      (verdict, reason, filter result)
 *   staging/ID.data --> inbox/.bulkhead-guard.ID.tmp     delivering FINAL
 *                       record to the sink               recorded
 *                       --rename--> inbox/FINAL          delivered    (staging/ID.data removed)
 *                    or quarantine/ID.data + ID.reason   quarantined
 *                       record to the sink               recorded     (staging/ID.data removed)
 */
#ifndef BULKHEAD_GUARD_H
#define BULKHEAD_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bulkhead.h>

#define BH_GUARD_EXCHANGE_LEN	32	/* a domain-like name and its NUL */
#define BH_GUARD_NAME_MAX	200	/* longest file name accepted from a sender */
#define BH_GUARD_FINAL_MAX	255	/* NAME, or NAME.N when NAME is taken in the inbox */
#define BH_GUARD_SHA256_HEX	64
#define BH_GUARD_REASON_LEN	128
#define BH_GUARD_FILTER_LEN	32
#define BH_GUARD_MAX_TYPES	BULKHEAD_MAX_EXCHANGE_TYPES
#define BH_GUARD_MAX_PATTERNS	BULKHEAD_MAX_EXCHANGE_PATTERNS
#define BH_GUARD_FILTER_TIMEOUT_S 30	/* when the exchange names none */

/*
 * One exchange as the guard needs it: from the kernel's policy (the exchange statement,
 * bh_guard_config_from_exchange()), or from the command line on a host without it. Strings
 * are the caller's.
 */
struct bh_guard_config {
	const char *name;		/* the exchange, [a-z0-9_-]{1,31} */
	const char *outbox;		/* the sender's directory the guard reads */
	const char *inbox;		/* the receiver's directory the guard writes */
	/*
	 * The two boxes opened already (O_PATH) when @box_fds: a guard in its domain may not
	 * look them up through the sender's and receiver's directories, so they are opened as
	 * host before it enters its domain, and @outbox is then absolute and resolved.
	 */
	bool box_fds;
	int outbox_fd;
	int inbox_fd;
	const char *staging;		/* the guard's own: journal and staged copies */
	const char *quarantine;		/* the guard's own: rejected copies and reasons */
	uint64_t max_size;		/* bytes; larger files are rejected (0: no limit) */
	const char *types[BH_GUARD_MAX_TYPES];	/* MIME types allowed, "text/" a prefix */
	unsigned int n_types;		/* 0: any type */
	const char *deny[BH_GUARD_MAX_PATTERNS];	/* POSIX extended regexes */
	unsigned int n_deny;
	const char *filter;		/* shell command; the staged file is its last argument */
	unsigned int filter_timeout_ms;
	unsigned int rate;		/* files a second (0: unlimited) */
	unsigned int burst;		/* files at once (0: the rate) */
};

enum bh_guard_verdict {
	BH_GUARD_PASS,			/* delivered, or to be */
	BH_GUARD_REJECTED,		/* a check said no: quarantined */
	BH_GUARD_FAILED,		/* the guard could not finish it: quarantined */
};

/* The transfer record: what the audit trail will hold for each file. */
struct bh_guard_record {
	const char *exchange;
	uint64_t id;			/* the journal's; a replayed record repeats it */
	const char *name;		/* as the sender named it */
	const char *delivered_as;	/* the name in the inbox, "" if none */
	uint64_t size;
	const char *sha256;		/* of the content delivered or quarantined, "" if none */
	enum bh_guard_verdict verdict;
	const char *reason;		/* "" when delivered */
	const char *filter;		/* clean, exit-N, signal-N, timeout, error, none */
	uint32_t uid;			/* the owner of the sender's file */
	uint64_t time_ns;		/* realtime when recorded */
};

/*
 * Where records go. emit() returns 0 once the record is kept (durable for a file, sealed into
 * the trail for the kernel), or a negative errno with its own words, if it has any beyond the
 * errno, in @error (the kernel's extended ACK); the engine then keeps the transfer where it
 * is and tries again on the next pass. Sinks chain: a record goes to @next only once this
 * one kept it, and is kept when the last one kept it.
 */
struct bh_guard_sink {
	int (*emit)(struct bh_guard_sink *sink, const struct bh_guard_record *r);
	void *priv;
	struct bh_guard_sink *next;
	const char *name;		/* "trail", "json": for guard status */
	char error[256];
};

/*
 * Hand @r to @sink and each one after it, in order. 0 when all kept it, else the negative
 * errno of the first that could not, which *@failed points at.
 */
int bh_guard_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r,
		  struct bh_guard_sink **failed);

/* Records as JSON lines on @out, flushed (and fsync'd unless a terminal or pipe) per record. */
void bh_guard_sink_json(struct bh_guard_sink *sink, FILE *out);

/* One record as one JSON line (no newline beyond the writer's). */
void bh_guard_record_json(FILE *out, const struct bh_guard_record *r);

/*
 * Records into the kernel's sealed audit trail (guard_sink_nl.c): each sent on @g, which
 * stays open, as BULKHEAD_CMD_TRANSFER_RECORD, and kept on the kernel's ACK - which it gives
 * only to a task of the exchange's guard domain, and only once the trail holds the record.
 */
struct bh_genl;
void bh_guard_sink_kernel(struct bh_guard_sink *sink, struct bh_genl *g);

/* @r as the BULKHEAD_A_TRANSFER nest of a request. 0, -EMSGSIZE or -EINVAL. */
struct nl_msg;
int bh_guard_transfer_put(struct nl_msg *msg, const struct bh_guard_record *r);

const char *bh_guard_verdict_name(enum bh_guard_verdict v);

/*
 * Points where a test may stop the engine, as a crash would (struct bh_guard.after_step), in
 * a delivery's order; a rejection goes CHECKED, DONE (quarantined), EMITTED, RECORDED.
 */
enum bh_guard_step {
	BH_GUARD_STEP_COPIED = 1,	/* staging/ID.data complete, not yet journalled */
	BH_GUARD_STEP_STAGED,
	BH_GUARD_STEP_OUTBOX_REMOVED,
	BH_GUARD_STEP_CHECKED,
	BH_GUARD_STEP_INBOX_WRITTEN,	/* the temporary name written and fsync'd */
	BH_GUARD_STEP_DELIVERING,	/* the final name chosen and journalled */
	BH_GUARD_STEP_EMITTED,		/* the sink kept the record */
	BH_GUARD_STEP_RECORDED,
	BH_GUARD_STEP_RENAMED,		/* the final name in the inbox, on disk */
	BH_GUARD_STEP_DONE,		/* delivered or quarantined journalled */
	BH_GUARD_STEP_COUNT,
};

struct bh_guard;

/*
 * Open an exchange: check @cfg, open its directories (creating staging and quarantine, mode
 * 0700), replay the journal. Returns NULL and a message in @err naming what failed.
 */
struct bh_guard *bh_guard_open(const struct bh_guard_config *cfg, struct bh_guard_sink *sink,
			       char *err, size_t errlen);
void bh_guard_close(struct bh_guard *g);

/* For tests: called after each step; a hook that _exit()s simulates a crash there. */
void bh_guard_set_hook(struct bh_guard *g, void (*after_step)(enum bh_guard_step step));

/*
 * Finish what the journal left open, then take every complete file in the outbox once.
 * Returns the number of files finished, or -1 (the reason is bh_guard_error()).
 */
int bh_guard_run_once(struct bh_guard *g);

/* Block until the outbox changes or @timeout_ms passes (inotify; a timeout when unwatchable). */
void bh_guard_wait(struct bh_guard *g, int timeout_ms);

/* The last error, "" if none. */
const char *bh_guard_error(const struct bh_guard *g);

/* What "guard status" shows for one exchange, from its journal. */
struct bh_guard_totals {
	char exchange[BH_GUARD_EXCHANGE_LEN];
	uint64_t pending;		/* in the journal, not yet recorded */
	uint64_t waiting;		/* complete files in the outbox (when it can be read) */
	uint64_t delivered, rejected, failed;
	uint64_t bytes;			/* delivered */
	char records[32];		/* where records go: the sinks' names, "trail+json" */
	char last_error[256];
};

/* Read the journal of the staging area @staging. 0, or a negative errno. */
int bh_guard_status(const char *staging, struct bh_guard_totals *t);

/* guard_config.c: the exchange statement of the kernel's policy as a configuration. */
struct bh_policy;
struct bh_exchange;

/* The exchange @name of @p, or NULL. */
const struct bh_exchange *bh_guard_exchange(const struct bh_policy *p, const char *name);

/*
 * Fill @cfg's exchange part - name, outbox, inbox and every check - from @x, whose strings it
 * points at; staging and quarantine stay the caller's. 0, or a negative errno and why in @err.
 */
int bh_guard_config_from_exchange(struct bh_guard_config *cfg, const struct bh_exchange *x,
				  char *err, size_t errlen);

#endif /* BULKHEAD_GUARD_H */
