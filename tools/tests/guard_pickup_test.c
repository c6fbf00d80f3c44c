// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard's pickup - only complete regular files with plain
 * names are taken; links, special files, hard links and hostile names are refused without
 * being followed or opened for effect, and what they point at is left alone.
 */
#include <signal.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"
#include "guard_int.h"

FIXTURE(names) {
};

FIXTURE_VARIANT(names) {
	const char *name;
	const char *refusal;	/* NULL: a plain name */
};

FIXTURE_SETUP(names)
{
}

FIXTURE_TEARDOWN(names)
{
}

#define NAME(id, n, r) FIXTURE_VARIANT_ADD(names, id) { .name = n, .refusal = r }

NAME(plain, "report-2026.pdf", NULL);
NAME(spaces_and_utf8, "r\xc3\xa9sum\xc3\xa9 final.txt", NULL);
NAME(empty, "", "empty-name");
NAME(dot, ".", "dot-name");
NAME(dotdot, "..", "dot-name");
NAME(slash, "a/b", "slash-in-name");
NAME(newline, "a\nb", "control-character-in-name");
NAME(escape, "a\x1b[2Jb", "control-character-in-name");
NAME(delete, "a\x7f", "control-character-in-name");
NAME(latin1, "r\xe9sum\xe9.txt", "not-utf8-name");
NAME(overlong_slash, "a\xc0\xaf" "b", "not-utf8-name");
NAME(surrogate, "a\xed\xa0\x80", "not-utf8-name");
NAME(cut_sequence, "a\xe2\x82", "not-utf8-name");
NAME(four_bytes, "\xf0\x9f\x93\x84 memo", NULL);
NAME(too_long,
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "name-too-long");

/* BH-EXCH-1: names that are not plain file names are refused, each with its reason. */
TEST_F(names, refusal)
{
	const char *why = bh_guard_name_refusal(variant->name);

	if (variant->refusal) {
		ASSERT_STREQ(variant->refusal, why ? why : "(accepted)");
	} else {
		ASSERT_EQ(NULL, why);
	}
}

EXCHANGE_FIXTURE(pickup);

static void path_of(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

/* BH-EXCH-1: a complete file crosses; the outbox keeps nothing, not even a trace. */
TEST_F(pickup, complete_file_crosses)
{
	char buf[64];

	ASSERT_EQ(0, put_file(self->x.outbox, "hello.txt", "hello\n", 6));
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(6, get_file(self->x.inbox, "hello.txt", buf, sizeof(buf)));
	EXPECT_STREQ("hello\n", buf);
	EXPECT_EQ(0, count_files(self->x.outbox, 1));
	EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"delivered\""));
	EXPECT_EQ(1, records_with(&self->x, "\"uid\":0"));
}

/* BH-EXCH-1: the sender's protocol - a dot name is a file still being written. */
TEST_F(pickup, dot_name_waits)
{
	char path[160];
	int fd;

	path_of(path, sizeof(path), self->x.outbox, ".incoming.part");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "half", 4));
	close(fd);
	ASSERT_EQ(0, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(0, access(path, F_OK));
}

/* BH-EXCH-1: a file written in place is taken only after its writer closed it. */
TEST_F(pickup, open_for_writing_waits)
{
	char path[160], buf[64];
	int fd;

	path_of(path, sizeof(path), self->x.outbox, "inplace.txt");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(6, write(fd, "first ", 6));
	ASSERT_EQ(0, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	ASSERT_EQ(7, write(fd, "second\n", 7));
	close(fd);
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	ASSERT_EQ(13, get_file(self->x.inbox, "inplace.txt", buf, sizeof(buf)));
	EXPECT_STREQ("first second\n", buf);
}

FIXTURE(hostile) {
	struct exchange x;
	char other[160];	/* another domain's file the sender would like to send */
};

FIXTURE_SETUP(hostile)
{
	exchange_setup(&self->x);
	snprintf(self->other, sizeof(self->other), "%s/other-secret", self->x.root);
	ASSERT_EQ(0, put_file(self->x.root, "other-secret", "high secret\n", 12));
}

FIXTURE_TEARDOWN(hostile)
{
	exchange_teardown(&self->x);
}

FIXTURE_VARIANT(hostile) {
	const char *kind;
	const char *reason;
	const char *shown;	/* the name in the record */
};

#define HOSTILE(id, k, r, n) \
	FIXTURE_VARIANT_ADD(hostile, id) { .kind = k, .reason = r, .shown = n }

HOSTILE(symlink, "symlink", "symlink", "bad");
HOSTILE(hard_link, "hardlink", "hard-linked", "bad");
HOSTILE(fifo, "fifo", "fifo", "bad");
HOSTILE(socket, "socket", "socket", "bad");
HOSTILE(device, "device", "device", "bad");
HOSTILE(newline_name, "newline", "control-character-in-name", "evil%0Aname");
HOSTILE(long_name, "long", "name-too-long", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
HOSTILE(latin1_name, "latin1", "not-utf8-name", "caf%E9");

/* Plant the hostile entry "bad" (or a hostile name); false to skip (not root). */
static bool plant(struct __test_metadata *_metadata, struct exchange *x, const char *kind,
		  const char *other)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[400];
	int s;

	path_of(path, sizeof(path), x->outbox, "bad");
	if (!strcmp(kind, "symlink")) {
		ASSERT_EQ(0, symlink(other, path));
	} else if (!strcmp(kind, "hardlink")) {
		ASSERT_EQ(0, link(other, path));
	} else if (!strcmp(kind, "fifo")) {
		ASSERT_EQ(0, mkfifo(path, 0644));
	} else if (!strcmp(kind, "socket")) {
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		ASSERT_LE(0, s);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", path);
		ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));
		close(s);
	} else if (!strcmp(kind, "device")) {
		if (mknod(path, S_IFCHR | 0644, makedev(1, 3)))
			return false;
	} else if (!strcmp(kind, "latin1")) {
		ASSERT_EQ(0, put_file(x->outbox, "caf\xe9", "x", 1));
	} else if (!strcmp(kind, "newline")) {
		path_of(path, sizeof(path), x->outbox, "evil\nname");
		ASSERT_EQ(0, put_file(x->outbox, "evil\nname", "x", 1));
	} else {
		memset(path, 'n', 240);
		path[240] = '\0';
		ASSERT_EQ(0, put_file(x->outbox, path, "x", 1));
	}
	return true;
}

/* BH-EXCH-1: hostile outbox entries are refused with a record and removed; what they
 * point at is neither delivered nor touched, and nothing crosses.
 */
TEST_F(hostile, refused)
{
	char buf[64], want[96];

	if (!plant(_metadata, &self->x, variant->kind, self->other))
		SKIP(return, "mknod needs CAP_MKNOD");
	ASSERT_EQ(1, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(0, count_files(self->x.outbox, 1));
	snprintf(want, sizeof(want), "\"reason\":\"%s\"", variant->reason);
	EXPECT_EQ(1, records_with(&self->x, want)) {
		TH_LOG("records: %s", self->x.records);
	}
	EXPECT_EQ(1, records_with(&self->x, "\"verdict\":\"rejected\""));
	snprintf(want, sizeof(want), "\"name\":\"%s", variant->shown);
	EXPECT_EQ(1, records_with(&self->x, want)) {
		TH_LOG("records: %s", self->x.records);
	}
	ASSERT_EQ(12, get_file(self->x.root, "other-secret", buf, sizeof(buf)));
	EXPECT_STREQ("high secret\n", buf);
	/* Refused once: a second run has nothing to say. */
	ASSERT_EQ(0, exchange_run(&self->x, NULL));
}

/* BH-EXCH-1: a directory is never entered, never removed, never recorded. */
TEST_F(pickup, directory_left_alone)
{
	char path[160];

	path_of(path, sizeof(path), self->x.outbox, "adir");
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(0, put_file(path, "inner.txt", "x", 1));
	ASSERT_EQ(0, exchange_run(&self->x, NULL));
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(1, count_files(path, 1));
	EXPECT_EQ(0, self->x.records_len);
}

/* BH-EXCH-1: a file growing without end is cut one byte past max-size and rejected. */
TEST_F(pickup, endless_file_cut)
{
	char path[160], chunk[4096] = { 'z' };
	struct stat st;
	pid_t writer;
	int fd;

	self->x.cfg.max_size = 64 * 1024;
	path_of(path, sizeof(path), self->x.outbox, "endless");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(chunk), write(fd, chunk, sizeof(chunk)));
	writer = fork();
	ASSERT_LE(0, writer);
	if (!writer) {
		for (;;)
			if (write(fd, chunk, sizeof(chunk)) < 0)
				_exit(1);
	}
	close(fd);
	do {
		ASSERT_EQ(0, stat(path, &st));
	} while (st.st_size <= (off_t)self->x.cfg.max_size);
	EXPECT_EQ(1, exchange_run(&self->x, NULL));
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	EXPECT_EQ(0, count_files(self->x.inbox, 1));
	EXPECT_EQ(1, records_with(&self->x, "\"reason\":\"too-large\""));
	EXPECT_EQ(1, records_with(&self->x, "\"size\":65537"));
	path_of(path, sizeof(path), self->x.quarantine, "1.data");
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(64 * 1024 + 1, st.st_size);
}

TEST_HARNESS_MAIN
