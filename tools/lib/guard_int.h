/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: what the exchange guard's files share and nothing outside them uses - the journal
 * entry, the engine's state, and the pickup, inspection, delivery and journal steps.
 */
#ifndef BULKHEAD_GUARD_INT_H
#define BULKHEAD_GUARD_INT_H

#include <pthread.h>
#include <regex.h>
#include <sys/types.h>

#include "guard.h"

/*
 * A file's progress, named as the journal writes it. A delivery goes staged, checked,
 * delivering, recorded, delivered; a rejection staged, checked, quarantined, recorded; a
 * refusal refused, recorded. The last line of each closes the entry.
 */
enum bh_guard_state {
	BH_GUARD_NEW,
	BH_GUARD_STAGED,
	BH_GUARD_CHECKED,
	BH_GUARD_DELIVERING,		/* in the inbox under its temporary name, FINAL chosen */
	BH_GUARD_DELIVERED,
	BH_GUARD_QUARANTINED,
	BH_GUARD_REFUSED,		/* refused at pickup: nothing was copied */
	BH_GUARD_RECORDED,		/* open only for a delivery: its rename is still to come */
};

/* One file as the journal knows it. */
struct bh_guard_entry {
	uint64_t id;
	enum bh_guard_state state;
	char name[BH_GUARD_FINAL_MAX + 1];	/* a refused name may be anything a dirent holds */
	char final[BH_GUARD_FINAL_MAX + 1];	/* its name in the inbox */
	uint64_t size;
	uint32_t uid;
	uint64_t dev, ino;			/* of the outbox file, to remove only that one */
	int64_t ctime_ns;
	char sha256[BH_GUARD_SHA256_HEX + 1];	/* of the staged copy */
	enum bh_guard_verdict verdict;
	char reason[BH_GUARD_REASON_LEN];
	char filter[BH_GUARD_FILTER_LEN];
	/*
	 * The staged copy as it was when hashed, in this process only (not journalled): a
	 * delivery that links the copy instead of copying it again checks that nothing wrote
	 * it since. After a restart (@staged_known false) the copy is hashed again instead.
	 */
	bool staged_known;
	uint64_t staged_ino, staged_size;
	int64_t staged_mtime_ns, staged_ctime_ns;
};

/* guard_journal.c: the append-only journal "journal" in the staging area. */
struct bh_guard_journal {
	int fd;
	uint64_t next_id;
	struct bh_guard_entry *open;		/* entries not yet recorded, by id */
	size_t n_open, cap;
	struct bh_guard_totals totals;
	char outbox[4096];			/* as the last run named it */
};

/*
 * Replay the journal at @staging_fd into @j (@j->fd stays -1 for read-only use); with
 * @writable, open it for appending and cut a torn last line. 0 or a negative errno.
 */
int bh_guard_journal_load(struct bh_guard_journal *j, int staging_fd, bool writable);
void bh_guard_journal_free(struct bh_guard_journal *j);

/* Append @e's move to @state, fsync'd, and follow it in memory. 0 or a negative errno. */
int bh_guard_journal_append(struct bh_guard_journal *j, struct bh_guard_entry *e,
			    enum bh_guard_state state);

/*
 * Rewrite the journal as what it amounts to - totals, the next id, the last error and the
 * entries not yet recorded - through journal.new and one rename. 0 or a negative errno (the
 * old journal is then still in place).
 */
int bh_guard_journal_compact(struct bh_guard_journal *j, int staging_fd);

/*
 * Lines that are not transfers: "exchange NAME", "outbox PATH", "records SINKS", "error TEXT"
 * (not fsync'd).
 */
int bh_guard_journal_note(struct bh_guard_journal *j, const char *what, const char *text);

/* Journal encoding of names: '%', space and bytes outside 0x21..0x7e as %XX. A name of
 * BH_GUARD_FINAL_MAX bytes takes at most BH_GUARD_ENC_MAX with its NUL; the journal reads
 * encoded words with "%" BH_GUARD_ENC_WIDTH "s".
 */
#define BH_GUARD_ENC_MAX	(3 * BH_GUARD_FINAL_MAX + 4)
#define BH_GUARD_ENC_WIDTH	"768"
#define BH_GUARD_REASON_ENC	(3 * BH_GUARD_REASON_LEN)
#define BH_GUARD_REASON_WIDTH	"383"
_Static_assert(BH_GUARD_ENC_MAX == 768 + 1 && BH_GUARD_REASON_ENC == 383 + 1,
	       "the journal's scanf widths follow the encoded sizes");
void bh_guard_name_encode(char *out, size_t len, const char *name);
int bh_guard_name_decode(char *out, size_t len, const char *text);

/* A journal longer than this is compacted at the start of a pass. */
#define BH_GUARD_JOURNAL_COMPACT_AT (1 << 20)

/* The engine (guard_engine.c), as the steps see it. */
struct bh_guard {
	const struct bh_guard_config *cfg;
	struct bh_guard_sink *sink;
	int outbox_fd, inbox_fd, staging_fd, quarantine_fd;
	int inotify_fd;
	struct bh_guard_journal journal;
	void *magic;				/* magic_t, NULL when no type is checked */
	regex_t deny[BH_GUARD_MAX_PATTERNS];
	bool deny_literal[BH_GUARD_MAX_PATTERNS];	/* no regex syntax: memmem() */
	unsigned int n_deny;
	pid_t inspector;			/* guard_inspector.c: 0 when none runs */
	int inspector_req, inspector_ans;	/* its two pipes */
	uint64_t inspecting;			/* the id it works on, 0 when idle */
	double tokens;				/* the rate limit's bucket */
	uint64_t refilled_ns;
	void (*after_step)(enum bh_guard_step step);
	char error[512];
};

/* Set g->error; returns -1 for "return bh_guard_fail(...)". */
int bh_guard_fail(struct bh_guard *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bh_guard_step(struct bh_guard *g, enum bh_guard_step step);

/* Append @e's move to @state to the journal; 0, or -1 with g->error. */
int bh_guard_journal(struct bh_guard *g, struct bh_guard_entry *e, enum bh_guard_state state);

/*
 * Hand @e's transfer record to the sinks, then journal "recorded". 0, or -1 with g->error
 * (the sink's own words included) and @e where it was.
 */
int bh_guard_record(struct bh_guard *g, struct bh_guard_entry *e);

/* guard_pickup.c */

/* NULL if @name is a plain file name a sender may use, else why not. */
const char *bh_guard_name_refusal(const char *name);

enum bh_guard_pickup {
	BH_GUARD_PICKED,		/* staging/ID.data holds the copy; @e filled */
	BH_GUARD_NOT_READY,		/* in progress, vanished or changing: try again later */
	BH_GUARD_REFUSE,		/* @e->reason says why; @e->uid/dev/ino as far as known */
	BH_GUARD_PICKUP_ERROR,		/* the guard's own failure: g->error */
};

/* Copy outbox/@e->name into staging/@e->id.data, at most max-size + 1 bytes. */
enum bh_guard_pickup bh_guard_pickup(struct bh_guard *g, struct bh_guard_entry *e);

/* Remove outbox/@e->name if it still is the file picked up (or refused). */
void bh_guard_pickup_remove(struct bh_guard *g, const struct bh_guard_entry *e);

/*
 * staging/ID.data opened for reading; -ENOENT when it is gone (@e is then failed,
 * staged-copy-missing), -1 on another error (g->error).
 */
int bh_guard_open_staged(struct bh_guard *g, struct bh_guard_entry *e);

/* "ID.data": the staged copy's name. */
void bh_guard_data_name(char *out, size_t len, uint64_t id);

/* guard_copy.c */

/* Copy @in to @out from offset 0, hashing what was written; at most @limit bytes (0: all).
 * Returns the bytes copied or a negative errno. @sha256 gets the hex digest.
 */
int64_t bh_guard_copy(int in, int out, uint64_t limit, char sha256[BH_GUARD_SHA256_HEX + 1]);

/*
 * The SHA-256 of a staged copy taken while it is written: a thread hashes, from the copy
 * itself, the bytes the copier says are complete (bh_guard_hasher_advance()).
 */
struct bh_guard_hasher {
	pthread_t thread;
	bool threaded;			/* false: no thread could start; hashed at the finish */
	pthread_mutex_t lock;
	pthread_cond_t moved;
	int fd;
	uint64_t copied;		/* complete so far (under @lock) */
	bool final, cancel;		/* under @lock */
	uint64_t hashed;		/* the thread's, read once it has ended */
	int err;			/* likewise */
	void *ctx;			/* EVP_MD_CTX */
	char *scratch;
};

/* Start hashing @fd, empty so far. 0 or -ENOMEM. */
int bh_guard_hasher_start(struct bh_guard_hasher *h, int fd);
/* The first @copied bytes of the file are complete. @h may be NULL. */
void bh_guard_hasher_advance(struct bh_guard_hasher *h, uint64_t copied);
/* The file is complete at @size bytes: its hex digest into @sha256. 0 or a negative errno. */
int bh_guard_hasher_finish(struct bh_guard_hasher *h, uint64_t size,
			   char sha256[BH_GUARD_SHA256_HEX + 1]);
/* Give up: the thread stops, nothing is returned. */
void bh_guard_hasher_cancel(struct bh_guard_hasher *h);

/*
 * Copy @in to @out from offset 0, at most @limit bytes (0: all), by the kernel where it can,
 * telling @h (may be NULL) as it goes. Returns the bytes copied or a negative errno.
 */
int64_t bh_guard_copy_in(int in, int out, uint64_t limit, struct bh_guard_hasher *h);

/* The SHA-256 of the first @size bytes of @fd (-EIO when it has fewer). 0 or a negative errno. */
int bh_guard_sha256_fd(int fd, uint64_t size, char sha256[BH_GUARD_SHA256_HEX + 1]);

/* Note @fd's identity, size and times in @e as the staged copy's (staged_known). */
void bh_guard_staged_note(struct bh_guard_entry *e, int fd);

/* guard_inspect.c */

/* Prepare the checks of g->cfg (libmagic, regexes). 0, or -1 with g->error. */
int bh_guard_inspect_init(struct bh_guard *g);
void bh_guard_inspect_free(struct bh_guard *g);

/* Decide @e from its staged copy: verdict, reason and filter result. 0 or -1 (g->error). */
int bh_guard_inspect(struct bh_guard *g, struct bh_guard_entry *e);

/*
 * The content checks (type, deny patterns) on @fd, a staged copy of @size bytes: "" in @out
 * when they pass, else the reason. -1 with the error in @out when they could not be done.
 */
int bh_guard_check_content(struct bh_guard *g, int fd, uint64_t size, char *out, size_t len);

/* guard_inspector.c: the child process that runs bh_guard_check_content() on staged copies. */

/*
 * Hand staging/ID.data of @e to the inspector (started if none runs), which works on it
 * while the guard goes on. 0, or -1 with g->error.
 */
int bh_guard_inspector_begin(struct bh_guard *g, const struct bh_guard_entry *e);

/*
 * Its answer for @e (begun if it was not): @e's verdict and reason set; a copy gone from the
 * staging area fails @e (staged-copy-missing). 0, or -1 with g->error.
 */
int bh_guard_inspector_end(struct bh_guard *g, struct bh_guard_entry *e);

/* Start the inspector if none runs (before any other thread: it is forked). 0 or -1. */
int bh_guard_inspector_ready(struct bh_guard *g);

/* Stop the inspector, if one runs. */
void bh_guard_inspector_stop(struct bh_guard *g);

/* The MIME type libmagic reads in @fd's content, into @out. 0 or -1. */
int bh_guard_mime(void *magic, int fd, char *out, size_t len);

/* Run @cmd with @path as its last argument, at most @timeout_ms; result into @out
 * ("clean", "exit-N", "signal-N", "timeout", "error"). Returns true when clean.
 */
bool bh_guard_filter(const char *cmd, const char *path, unsigned int timeout_ms,
		     char *out, size_t len);

/* The token bucket: wait until a file may be taken. @now_ns from CLOCK_MONOTONIC. Returns
 * how many ns to wait before one may, 0 when one was taken.
 */
uint64_t bh_guard_rate_take(struct bh_guard *g, uint64_t now_ns);

/* guard_deliver.c */

/*
 * staging/ID.data to inbox/FINAL through the temporary name, journalling delivering, the
 * record (recorded) and delivered; resumes from @e->state. 0 when delivered; 1 when the
 * staged copy turned out changed or missing (@e is then failed, not yet journalled, and the
 * record not yet written); -1 with g->error (the entry stays at its last step).
 */
int bh_guard_deliver(struct bh_guard *g, struct bh_guard_entry *e);

/* staging/ID.data and a reason file into the quarantine; journals quarantined. */
int bh_guard_quarantine(struct bh_guard *g, struct bh_guard_entry *e);

/* Remove a temporary file left in the inbox by a delivery that did not finish. */
void bh_guard_deliver_abandon(struct bh_guard *g, const struct bh_guard_entry *e);

#endif /* BULKHEAD_GUARD_INT_H */
