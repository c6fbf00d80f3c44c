// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard's delivery - what crosses is the staged copy and its
 * SHA-256 is the record's, whatever the sender does to its file after the pickup; a file in
 * the inbox is never overwritten; the sender's outbox learns nothing.
 */
#include <sys/wait.h>

#include <openssl/evp.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	int i;

	EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

EXCHANGE_FIXTURE(deliver);

/* BH-EXCH-7: the record names exchange, file, size, the content's SHA-256 and owner. */
TEST_F(deliver, record_matches_content)
{
	static const char content[] = "quarterly figures\n";
	char sha[65], want[128], buf[64];

	ASSERT_EQ(0, put_file(self->x.outbox, "q3.txt", content, sizeof(content) - 1));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(sizeof(content) - 1, get_file(self->x.inbox, "q3.txt", buf, sizeof(buf)));
	sha256_hex(buf, sizeof(content) - 1, sha);
	snprintf(want, sizeof(want), "\"sha256\":\"%s\"", sha);
	EXPECT_EQ(1, records_with(&self->x, want)) {
		TH_LOG("records: %s", self->x.records);
	}
	EXPECT_EQ(1, records_with(&self->x, "{\"type\":\"exchange-transfer\",\"exchange\":\"test\",\"id\":1,\"name\":\"q3.txt\",\"delivered_as\":\"q3.txt\",\"size\":18,"));
	EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"delivered\",\"reason\":\"\",\"filter\":\"none\",\"uid\":0,\"time_ns\":"));
}

/* BH-EXCH-4: a name taken in the inbox is never overwritten; the new file gets NAME.N. */
TEST_F(deliver, never_overwrites)
{
	char buf[64];

	ASSERT_EQ(0, put_file(self->x.inbox, "a.txt", "receiver's own\n", 15));
	ASSERT_EQ(0, put_file(self->x.inbox, "a.txt.1", "also\n", 5));
	ASSERT_EQ(0, put_file(self->x.outbox, "a.txt", "from the sender\n", 16));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(15, get_file(self->x.inbox, "a.txt", buf, sizeof(buf)));
	EXPECT_STREQ("receiver's own\n", buf);
	ASSERT_EQ(16, get_file(self->x.inbox, "a.txt.2", buf, sizeof(buf)));
	EXPECT_STREQ("from the sender\n", buf);
	EXPECT_EQ(1, records_with(&self->x, "\"delivered_as\":\"a.txt.2\""));
}

/* A write that happens behind the guard's back after one step: what, where and how. */
static struct {
	enum bh_guard_step step;
	char path[200];
	int flags;
	const char *text;
} meddle;

static void meddle_after(enum bh_guard_step step)
{
	int fd;

	if (step != meddle.step)
		return;
	fd = open(meddle.path, O_WRONLY | meddle.flags);
	if (fd < 0 || write(fd, meddle.text, strlen(meddle.text)) != (ssize_t)strlen(meddle.text))
		abort();
	close(fd);
}

/* BH-EXCH-2: changing the outbox file after the pickup changes nothing delivered; the
 * changed file is a new file, left for a later pickup of its own.
 */
TEST_F(deliver, sender_change_after_pickup)
{
	static const char content[] = "checked content\n";
	char sha[65], want[128], buf[64];

	/* The sender rewrites its file in place once the guard has its copy. */
	meddle.step = BH_GUARD_STEP_COPIED;
	snprintf(meddle.path, sizeof(meddle.path), "%s/doc.txt", self->x.outbox);
	meddle.flags = O_TRUNC;
	meddle.text = "EVIL PAYLOAD\n";
	self->x.cfg.deny[self->x.cfg.n_deny++] = "EVIL";
	ASSERT_EQ(0, put_file(self->x.outbox, "doc.txt", content, sizeof(content) - 1));
	ASSERT_EQ(1, exchange_run(&self->x, meddle_after));
	ASSERT_EQ(sizeof(content) - 1, get_file(self->x.inbox, "doc.txt", buf, sizeof(buf)));
	EXPECT_STREQ(content, buf);
	sha256_hex(content, sizeof(content) - 1, sha);
	snprintf(want, sizeof(want), "\"sha256\":\"%s\"", sha);
	EXPECT_EQ(1, records_with(&self->x, want));
	/* The rewrite is still the sender's, and is checked on its own. */
	ASSERT_EQ(13, get_file(self->x.outbox, "doc.txt", buf, sizeof(buf)));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	EXPECT_EQ(1, records_with(&self->x, "\"reason\":\"deny-pattern:1\""));
	EXPECT_EQ(1, count_files(self->x.inbox, 1));
}

static char taken_path[200];

static void take_name_after_record(enum bh_guard_step step)
{
	if (step == BH_GUARD_STEP_RECORDED && put_file(taken_path, "a.txt", "mine\n", 5))
		abort();
}

/* BH-EXCH-4, BH-EXCH-7: a name taken between the record and the rename (where the receiver
 * may write its inbox) is not overwritten: the file gets another, recorded again under the
 * same id before it shows, and the last record of an id is the one that holds.
 */
TEST_F(deliver, name_taken_after_record)
{
	char buf[64];

	snprintf(taken_path, sizeof(taken_path), "%s", self->x.inbox);
	ASSERT_EQ(0, put_file(self->x.outbox, "a.txt", "theirs\n", 7));
	ASSERT_EQ(1, exchange_run(&self->x, take_name_after_record));
	ASSERT_EQ(5, get_file(self->x.inbox, "a.txt", buf, sizeof(buf)));
	ASSERT_EQ(7, get_file(self->x.inbox, "a.txt.1", buf, sizeof(buf)));
	EXPECT_STREQ("theirs\n", buf);
	EXPECT_EQ(2, records_with(&self->x, "\"id\":1,"));
	EXPECT_NE(NULL, strstr(strstr(self->x.records, "\"delivered_as\":\"a.txt\""),
			       "\"delivered_as\":\"a.txt.1\""));
}

/* BH-EXCH-2: a staged copy that no longer has the SHA-256 taken at pickup is not delivered:
 * the transfer fails, into the quarantine.
 */
TEST_F(deliver, staged_copy_changed_fails)
{
	struct bh_guard_totals t;

	/* Something alters the guard's own copy between the check and the delivery. */
	meddle.step = BH_GUARD_STEP_CHECKED;
	snprintf(meddle.path, sizeof(meddle.path), "%s/1.data", self->x.staging);
	meddle.flags = O_APPEND;
	meddle.text = "tampered\n";
	ASSERT_EQ(0, put_file(self->x.outbox, "doc.txt", "checked\n", 8));
	ASSERT_EQ(1, exchange_run(&self->x, meddle_after));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(2, count_files(self->x.quarantine, 1));
	EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"failed\",\"reason\":\"staged-copy-changed\""));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.failed);
	EXPECT_EQ(0, t.delivered);
}

static char lost_path[200];

/* The first file's staged copy disappears; the second file's pass finds nothing to do. */
static void lose_staged_copy(enum bh_guard_step step)
{
	if (step == BH_GUARD_STEP_STAGED)
		unlink(lost_path);
}

/* BH-EXCH-5: a staged copy gone from the guard's area fails that transfer, recorded, and
 * blocks no other.
 */
TEST_F(deliver, staged_copy_missing_fails)
{
	struct bh_guard_totals t;

	snprintf(lost_path, sizeof(lost_path), "%s/1.data", self->x.staging);
	ASSERT_EQ(0, put_file(self->x.outbox, "a.txt", "a\n", 2));
	ASSERT_EQ(0, put_file(self->x.outbox, "b.txt", "b\n", 2));
	ASSERT_EQ(2, exchange_run(&self->x, lose_staged_copy));
	EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"failed\",\"reason\":\"staged-copy-missing\""));
	EXPECT_EQ(1, count_files(self->x.inbox, 1));
	EXPECT_EQ(1, count_files(self->x.quarantine, 1));	/* the reason file */
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.failed);
	EXPECT_EQ(1, t.delivered);
}

/* BH-EXCH-6: whatever happens, the outbox only loses the files taken - no receipt, no
 * quarantine, no temporary file ever appears there.
 */
TEST_F(deliver, outbox_learns_nothing)
{
	struct stat before, after;

	self->x.cfg.deny[self->x.cfg.n_deny++] = "bad";
	ASSERT_EQ(0, put_file(self->x.outbox, "good.txt", "good\n", 5));
	ASSERT_EQ(0, put_file(self->x.outbox, "bad.txt", "bad\n", 4));
	ASSERT_EQ(0, stat(self->x.outbox, &before));
	ASSERT_EQ(2, exchange_run(&self->x, NULL));
	ASSERT_EQ(0, stat(self->x.outbox, &after));
	EXPECT_EQ(0, count_files(self->x.outbox, 1));
	EXPECT_EQ(before.st_uid, after.st_uid);
	EXPECT_EQ(before.st_mode, after.st_mode);
	EXPECT_EQ(1, count_files(self->x.inbox, 1));
	EXPECT_EQ(2, count_files(self->x.quarantine, 1));
}

/* A sink in front of the JSON one that cannot keep the first records, as the kernel's trail in
 * its block failure mode.
 */
static int refusals;

static int refuse_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r)
{
	if (!refusals)
		return 0;
	refusals--;
	snprintf(sink->error, sizeof(sink->error), "the audit trail cannot keep the record");
	return -ENOBUFS;
}

EXCHANGE_FIXTURE(held);

FIXTURE_VARIANT(held) {
	bool reject;
};

FIXTURE_VARIANT_ADD(held, delivered) {};
FIXTURE_VARIANT_ADD(held, rejected) { .reject = true };

/* BH-EXCH-7: a record that cannot be kept holds its file back - nothing shows in the inbox and
 * the guard takes nothing more - until the sink keeps it: then the file once, with one record.
 */
TEST_F(held, until_record_kept)
{
	struct bh_guard_sink trail = { .emit = refuse_emit, .next = &self->x.sink };
	struct bh_guard_totals t;
	char buf[64];
	int i;

	refusals = 3;
	self->x.sinks = &trail;
	if (variant->reject)
		self->x.cfg.deny[self->x.cfg.n_deny++] = "secret";
	ASSERT_EQ(0, put_file(self->x.outbox, "a.txt", "a secret\n", 9));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-1, exchange_run(&self->x, NULL));
		EXPECT_EQ(0, count_files(self->x.inbox, 0));
		EXPECT_EQ(0, records_with(&self->x, "\"id\":"));
		/* A file sent meanwhile waits: the guard takes no more while a record is owed. */
		if (!i)
			ASSERT_EQ(0, put_file(self->x.outbox, "b.txt", "b\n", 2));
		EXPECT_EQ(1, count_files(self->x.outbox, 0));
	}
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(1, t.pending);
	EXPECT_EQ(1, t.waiting);
	EXPECT_NE(NULL, strstr(t.last_error, "/a.txt: No buffer space available: the audit trail cannot keep the record")) {
		TH_LOG("%s", t.last_error);
	}
	/* Held in the guard's hands: under its dot name in the inbox, or in the quarantine. */
	EXPECT_EQ(variant->reject ? 0 : 1, count_files(self->x.inbox, 1));
	EXPECT_EQ(variant->reject ? 2 : 0, count_files(self->x.quarantine, 1));

	EXPECT_EQ(2, exchange_run(&self->x, NULL));
	EXPECT_EQ(1, records_with(&self->x, "\"id\":1,"));
	EXPECT_EQ(1, records_with(&self->x, "\"id\":2,"));
	EXPECT_EQ(1, records_with(&self->x, variant->reject ? "\"reason\":\"deny-pattern:1\"" :
				  "\"delivered_as\":\"a.txt\""));
	EXPECT_EQ(variant->reject ? -1 : 9, get_file(self->x.inbox, "a.txt", buf, sizeof(buf)));
	EXPECT_EQ(2, get_file(self->x.inbox, "b.txt", buf, sizeof(buf)));
	EXPECT_EQ(variant->reject ? 1 : 2, count_files(self->x.inbox, 1));
	ASSERT_EQ(0, bh_guard_status(self->x.staging, &t));
	EXPECT_EQ(0, t.pending);
	EXPECT_EQ(variant->reject ? 1 : 2, t.delivered);
	EXPECT_EQ(variant->reject ? 1 : 0, t.rejected);
}

/* BH-EXCH-4: one directory in two roles is refused at open, with the reason. */
TEST_F(deliver, same_directory_refused)
{
	char err[512];
	struct bh_guard *g;

	self->x.cfg.inbox = self->x.outbox;
	g = bh_guard_open(&self->x.cfg, &self->x.sink, err, sizeof(err));
	EXPECT_EQ(NULL, g);
	EXPECT_NE(NULL, strstr(err, "must be four directories"));
	bh_guard_close(g);
}

/* BH-EXCH-2: with staging and inbox on one file system the staged copy itself is delivered
 * (linked, then renamed; nothing read or written again): the receiver's file is that copy
 * alone, readable by all as a copy would be, and the staging area is left empty.
 */
TEST_F(deliver, staged_copy_linked)
{
	char buf[64], sha[65], want[96];
	struct stat st;
	char path[256];
	mode_t mask = umask(022);

	umask(mask);
	ASSERT_EQ(0, put_file(self->x.outbox, "doc.txt", "linked\n", 7));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	snprintf(path, sizeof(path), "%s/doc.txt", self->x.inbox);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(1, st.st_nlink);
	EXPECT_EQ(0644 & ~mask, st.st_mode & 07777);
	EXPECT_EQ(7, get_file(self->x.inbox, "doc.txt", buf, sizeof(buf)));
	EXPECT_STREQ("linked\n", buf);
	sha256_hex("linked\n", 7, sha);
	snprintf(want, sizeof(want), "\"sha256\":\"%s\"", sha);
	EXPECT_EQ(1, records_with(&self->x, want));
	EXPECT_EQ(1, count_files(self->x.staging, 1));	/* the journal alone */
}

static void crash_after_check(enum bh_guard_step step)
{
	if (step == BH_GUARD_STEP_CHECKED)
		_exit(42);
}

/* BH-EXCH-2: a guard started again knows nothing of its staged copies but their hashes in the
 * journal: one altered meanwhile, even to the same size, is hashed again and not delivered.
 */
TEST_F(deliver, staged_copy_changed_across_restart)
{
	char path[256];
	int status, fd;
	pid_t pid;

	ASSERT_EQ(0, put_file(self->x.outbox, "doc.txt", "original\n", 9));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(exchange_run(&self->x, crash_after_check));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(42, WEXITSTATUS(status));
	snprintf(path, sizeof(path), "%s/1.data", self->x.staging);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(9, pwrite(fd, "tampered\n", 9, 0));
	close(fd);
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(1, records_with(&self->x, "\"reason\":\"staged-copy-changed\""));
}

TEST_HARNESS_MAIN
