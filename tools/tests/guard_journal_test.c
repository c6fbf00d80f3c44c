// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard's journal - a guard killed after any step and
 * started again delivers nothing twice, loses nothing, never shows a half-written file under
 * a final name, and counts what it did for "guard status".
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"
#include "guard_int.h"

#define CRASHED 42

static enum bh_guard_step crash_step;

static void crash_hook(enum bh_guard_step step)
{
	if (step == crash_step)
		_exit(CRASHED);
}

FIXTURE(crash) {
	struct exchange x;
	char records_path[128];
	FILE *records;
};

FIXTURE_VARIANT(crash) {
	enum bh_guard_step step;
	bool reject;
	int shown;		/* files under a final name in the inbox right after the kill */
	int left;		/* files the restart finishes */
	int records;		/* records the sink gets in all */
};

FIXTURE_SETUP(crash)
{
	exchange_setup(&self->x);
	snprintf(self->records_path, sizeof(self->records_path), "%s/records", self->x.root);
	self->records = fopen(self->records_path, "a");
	ASSERT_NE(NULL, self->records);
	bh_guard_sink_json(&self->x.sink, self->records);
	self->x.cfg.deny[self->x.cfg.n_deny++] = "forbidden";
}

FIXTURE_TEARDOWN(crash)
{
	fclose(self->records);
	exchange_teardown(&self->x);
}

#define CRASH(id, s, r, sh, l, rec) \
	FIXTURE_VARIANT_ADD(crash, id) { .step = s, .reject = r, .shown = sh, .left = l, \
					 .records = rec }

/* A delivery is recorded before its rename: nothing shows in the inbox until "recorded". */
CRASH(copied, BH_GUARD_STEP_COPIED, false, 0, 1, 1);
CRASH(staged, BH_GUARD_STEP_STAGED, false, 0, 1, 1);
CRASH(outbox_removed, BH_GUARD_STEP_OUTBOX_REMOVED, false, 0, 1, 1);
CRASH(checked, BH_GUARD_STEP_CHECKED, false, 0, 1, 1);
CRASH(inbox_written, BH_GUARD_STEP_INBOX_WRITTEN, false, 0, 1, 1);
CRASH(delivering, BH_GUARD_STEP_DELIVERING, false, 0, 1, 1);
CRASH(emitted, BH_GUARD_STEP_EMITTED, false, 0, 1, 2);
CRASH(recorded, BH_GUARD_STEP_RECORDED, false, 0, 1, 1);
CRASH(renamed, BH_GUARD_STEP_RENAMED, false, 1, 1, 1);
CRASH(delivered, BH_GUARD_STEP_DONE, false, 1, 0, 1);
/* A rejection is recorded once in the quarantine. */
CRASH(rejected_copied, BH_GUARD_STEP_COPIED, true, 0, 1, 1);
CRASH(rejected_staged, BH_GUARD_STEP_STAGED, true, 0, 1, 1);
CRASH(rejected_outbox_removed, BH_GUARD_STEP_OUTBOX_REMOVED, true, 0, 1, 1);
CRASH(rejected_checked, BH_GUARD_STEP_CHECKED, true, 0, 1, 1);
CRASH(quarantined, BH_GUARD_STEP_DONE, true, 0, 1, 1);
CRASH(rejected_emitted, BH_GUARD_STEP_EMITTED, true, 0, 1, 2);
CRASH(rejected_recorded, BH_GUARD_STEP_RECORDED, true, 0, 0, 1);

static int count_lines(const char *path, const char *text)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, text);
	fclose(f);
	return n;
}

/* BH-EXCH-5: killed after the step, restarted: exactly one delivery (or quarantine),
 * the outbox emptied, the staging area clean, and one record - two, with the same id, only
 * when the kill fell between the record and its journal line. BH-EXCH-7: no file shows
 * under its final name before its record is kept.
 */
TEST_F(crash, restart_finishes_once)
{
	const char *content = variant->reject ? "forbidden words\n" : "fine words\n";
	size_t len = strlen(content);
	struct bh_guard_totals t;
	char buf[64];
	int status;
	pid_t pid;

	ASSERT_EQ(0, put_file(self->x.outbox, "f.txt", content, len));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		crash_step = variant->step;
		exchange_run(&self->x, crash_hook);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(CRASHED, WEXITSTATUS(status));
	/* Never a half-written or unrecorded file under a final name. */
	EXPECT_EQ(variant->shown, count_files(self->x.inbox, 0));
	EXPECT_LE(variant->shown, count_lines(self->records_path, "\"id\":1,"));

	EXPECT_EQ(variant->left, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.outbox, 1));
	EXPECT_EQ(1, count_files(self->x.staging, 1));	/* the journal alone */
	if (variant->reject) {
		EXPECT_EQ(0, count_files(self->x.inbox, 1));
		EXPECT_EQ(2, count_files(self->x.quarantine, 1));
	} else {
		EXPECT_EQ(1, count_files(self->x.inbox, 1));
		EXPECT_EQ((ssize_t)len, get_file(self->x.inbox, "f.txt", buf, sizeof(buf)));
		EXPECT_STREQ(content, buf);
		EXPECT_EQ(0, count_files(self->x.quarantine, 1));
	}
	EXPECT_EQ(variant->records, count_lines(self->records_path, "\"id\":1,"));
	EXPECT_EQ(0, count_lines(self->records_path, "\"id\":2,"));
	EXPECT_EQ(variant->records,
		  count_lines(self->records_path, variant->reject ? "\"reason\":\"deny-pattern:1\"" :
			      "\"delivered_as\":\"f.txt\""));

	/* A third start has nothing left to do. */
	EXPECT_EQ(0, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_STREQ("test", t.exchange);
	EXPECT_EQ(0, t.pending);
	EXPECT_EQ(variant->reject ? 0 : 1, t.delivered);
	EXPECT_EQ(variant->reject ? 1 : 0, t.rejected);
	EXPECT_EQ(variant->reject ? 0 : len, t.bytes);
}

EXCHANGE_FIXTURE(journal);

/* BH-EXCH-5: a line the crash cut short is not a step done, and is cut off. */
TEST_F(journal, torn_line_ignored)
{
	struct bh_guard_totals t;
	char path[160];
	FILE *f;

	ASSERT_EQ(0, put_file(self->x.outbox, "a", "a", 1));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	snprintf(path, sizeof(path), "%s/journal", self->x.staging);
	f = fopen(path, "a");
	ASSERT_NE(NULL, f);
	fputs("staged 2 1 0 1 2 3 ab", f);
	fclose(f);
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(0, t.pending);
	ASSERT_EQ(0, put_file(self->x.outbox, "b", "b", 1));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(2, t.delivered);
	EXPECT_EQ(2, t.bytes);
}

/* BH-EXCH-5: a journal line that cannot be read stops the guard rather than guess. */
TEST_F(journal, corrupt_line_refused)
{
	char path[160], err[512];
	FILE *f;

	mkdir(self->x.staging, 0700);
	snprintf(path, sizeof(path), "%s/journal", self->x.staging);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("delivered 7 x\n", f);
	fclose(f);
	EXPECT_EQ(NULL, bh_guard_open(&self->x.cfg, &self->x.sink, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "journal: a line it cannot read")) {
		TH_LOG("%s", err);
	}
}

/* BH-EXCH-8: delivered, rejected, bytes, files waiting, pending ones and the last
 * error are counted; a delivery that fails stays pending and is done on a later run.
 */
TEST_F(journal, status_counts)
{
	struct bh_guard_totals t;
	char block[160], journal[160];

	self->x.cfg.max_size = 3;
	ASSERT_EQ(0, put_file(self->x.outbox, "small", "abc", 3));
	ASSERT_EQ(0, put_file(self->x.outbox, "large", "abcd", 4));
	ASSERT_EQ(2, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, put_file(self->x.outbox, "waiting", "w", 1));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.delivered);
	EXPECT_EQ(1, t.rejected);
	EXPECT_EQ(3, t.bytes);
	EXPECT_EQ(1, t.waiting);
	EXPECT_EQ(0, t.pending);
	EXPECT_STREQ("json", t.records);
	EXPECT_STREQ("", t.last_error);
	/* Something in the way of the temporary name: the delivery fails, the file waits. */
	snprintf(block, sizeof(block), "%s/.bulkhead-guard.3.tmp", self->x.inbox);
	ASSERT_EQ(0, mkdir(block, 0700));
	EXPECT_EQ(-1, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.pending);
	EXPECT_EQ(0, t.waiting);
	EXPECT_NE(NULL, strstr(t.last_error, ".bulkhead-guard.3.tmp: File exists")) {
		TH_LOG("%s", t.last_error);
	}
	/* Tried again, failing the same way: the journal keeps the error once. */
	EXPECT_EQ(-1, exchange_run(&self->x, NULL));
	snprintf(journal, sizeof(journal), "%s/journal", self->x.staging);
	EXPECT_EQ(1, count_lines(journal, "error "));
	ASSERT_EQ(0, rmdir(block));
	EXPECT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(2, t.delivered);
	EXPECT_EQ(0, t.pending);
}

/* Compact the journal of @x's staging area as a long-running guard does. */
static int compact(struct exchange *x)
{
	struct bh_guard_journal j;
	int fd = open(x->staging, O_RDONLY | O_DIRECTORY);
	int err;

	if (fd < 0)
		return -errno;
	err = bh_guard_journal_load(&j, fd, true);
	if (!err)
		err = bh_guard_journal_compact(&j, fd);
	bh_guard_journal_free(&j);
	close(fd);
	return err;
}

/* BH-EXCH-5: a compacted journal keeps the counts, the ids used and the files in flight: a
 * file killed half-way is finished once afterwards, and new files get new ids.
 */
TEST_F(journal, compaction_keeps_state)
{
	struct bh_guard_totals t;
	char path[160];
	int status;
	pid_t pid;

	self->x.cfg.deny[self->x.cfg.n_deny++] = "no";
	ASSERT_EQ(0, put_file(self->x.outbox, "a", "yes\n", 4));
	ASSERT_EQ(0, put_file(self->x.outbox, "b", "no\n", 3));
	ASSERT_EQ(2, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, put_file(self->x.outbox, "c", "yes too\n", 8));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		crash_step = BH_GUARD_STEP_DELIVERING;
		exchange_run(&self->x, crash_hook);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(CRASHED, WEXITSTATUS(status));

	ASSERT_EQ(0, compact(&self->x));
	snprintf(path, sizeof(path), "%s/journal", self->x.staging);
	EXPECT_EQ(1, count_lines(path, "totals 1 1 0 4 4"));
	EXPECT_EQ(1, count_lines(path, "records json"));
	EXPECT_EQ(1, count_lines(path, "delivering 3 c"));
	EXPECT_EQ(0, count_lines(path, "recorded"));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.pending);

	ASSERT_EQ(0, put_file(self->x.outbox, "d", "yes\n", 4));
	EXPECT_EQ(2, exchange_run(&self->x, NULL));
	EXPECT_EQ(1, records_with(&self->x, "\"id\":3,\"name\":\"c\",\"delivered_as\":\"c\""));
	EXPECT_EQ(1, records_with(&self->x, "\"id\":4,\"name\":\"d\""));
	EXPECT_EQ(3, count_files(self->x.inbox, 1));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(0, t.pending);
	EXPECT_EQ(3, t.delivered);
	EXPECT_EQ(1, t.rejected);
	EXPECT_EQ(4 + 8 + 4, t.bytes);
}

/* A journal as a guard writes it, and what replaying it says. */
FIXTURE(replay) {
	struct exchange x;
	int fd;
};

FIXTURE_VARIANT(replay) {
	const char *lines;		/* after the file's "staged 1 ..." */
	int err;
	enum bh_guard_state open;	/* the entry's state, BH_GUARD_NEW when closed */
	uint64_t delivered, rejected;
};

FIXTURE_SETUP(replay)
{
	exchange_setup(&self->x);
	mkdir(self->x.staging, 0700);
	self->fd = open(self->x.staging, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(replay)
{
	close(self->fd);
	exchange_teardown(&self->x);
}

#define REPLAY(id, l, e, o, d, r) \
	FIXTURE_VARIANT_ADD(replay, id) { .lines = l, .err = e, .open = o, .delivered = d, \
					  .rejected = r }

REPLAY(recorded_delivery_open, "checked 1 pass none -\ndelivering 1 a\nrecorded 1\n", 0,
       BH_GUARD_RECORDED, 0, 0);
REPLAY(delivered_closes, "checked 1 pass none -\ndelivering 1 a\nrecorded 1\ndelivered 1 a\n",
       0, BH_GUARD_NEW, 1, 0);
REPLAY(renamed_again, "checked 1 pass none -\ndelivering 1 a\nrecorded 1\ndelivering 1 a.1\n"
       "recorded 1\ndelivered 1 a.1\n", 0, BH_GUARD_NEW, 1, 0);
REPLAY(quarantine_recorded_closes, "checked 1 rejected none too-large\nquarantined 1\nrecorded 1\n",
       0, BH_GUARD_NEW, 0, 1);
REPLAY(delivered_unrecorded_refused, "checked 1 pass none -\ndelivering 1 a\ndelivered 1 a\n",
       -EINVAL, BH_GUARD_NEW, 0, 0);
REPLAY(recorded_twice_refused, "checked 1 pass none -\ndelivering 1 a\nrecorded 1\nrecorded 1\n",
       -EINVAL, BH_GUARD_NEW, 0, 0);

/* BH-EXCH-5, BH-EXCH-7: a delivery stays open from its record to its rename, also across a
 * compaction; a journal that delivers a file before its record is not a guard's and stops it.
 */
TEST_F(replay, follows_record_then_rename)
{
	struct bh_guard_journal j;
	char path[160];
	int round;
	FILE *f;

	snprintf(path, sizeof(path), "%s/journal", self->x.staging);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "staged 1 2 0 1 2 3 %064d a\n%s", 0, variant->lines);
	fclose(f);
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(variant->err, bh_guard_journal_load(&j, self->fd, true));
		if (variant->err)
			return;
		EXPECT_EQ(variant->open != BH_GUARD_NEW, j.n_open);
		if (j.n_open) {
			EXPECT_EQ(variant->open, j.open[0].state);
			EXPECT_STREQ("a", j.open[0].final);
		}
		EXPECT_EQ(variant->delivered, j.totals.delivered);
		EXPECT_EQ(variant->rejected, j.totals.rejected);
		EXPECT_EQ(2, j.next_id);
		/* The second round reads the compacted journal. */
		ASSERT_EQ(0, bh_guard_journal_compact(&j, self->fd));
		bh_guard_journal_free(&j);
	}
}

/* BH-EXCH-5: names survive the journal whatever bytes they hold. */
TEST(name_encoding_round_trip)
{
	static const char *const names[] = { "plain", "with space", "100%", "new\nline",
					     "\xc3\xa9t\xc3\xa9", "tab\there" };
	char enc[256], dec[256];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bh_guard_name_encode(enc, sizeof(enc), names[i]);
		EXPECT_EQ(NULL, strpbrk(enc, " \n\t"));
		ASSERT_EQ(0, bh_guard_name_decode(dec, sizeof(dec), enc));
		EXPECT_STREQ(names[i], dec);
	}
	EXPECT_EQ(-EINVAL, bh_guard_name_decode(dec, sizeof(dec), "nul%00"));
}

TEST_HARNESS_MAIN
