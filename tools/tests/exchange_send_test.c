// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the sender's side of an exchange - a file reaches the outbox whole,
 * under its own name, never over a file still waiting, and names the guard would refuse are
 * refused before anything is written. (That the sender's domain cannot read its outbox is the
 * kernel's part: selftests/exchange_test.c.)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exchange_send.h"
#include "kselftest_harness.h"
#include "run_cli.h"

FIXTURE(outbox) {
	char dir[64];
	char src[96];
	int dirfd;
};

FIXTURE_SETUP(outbox)
{
	FILE *f;

	strcpy(self->dir, "/tmp/bh-send-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->src, sizeof(self->src), "%s.src", self->dir);
	f = fopen(self->src, "w");
	ASSERT_NE(NULL, f);
	fputs("report body\n", f);
	fclose(f);
	self->dirfd = open(self->dir, O_PATH | O_DIRECTORY);
	ASSERT_LE(0, self->dirfd);
}

FIXTURE_TEARDOWN(outbox)
{
	char cmd[256];

	close(self->dirfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", self->dir, self->src);
	if (system(cmd))
		TH_LOG("cleanup failed");
}

/* The names in @dir, space-separated and sorted by the directory's order. */
static void names_in(const char *dir, char *out, size_t len)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	out[0] = '\0';
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(out + strlen(out), len - strlen(out), "%s ", e->d_name);
	if (d)
		closedir(d);
}

static int send_file(struct _test_data_outbox *self, const char *name, const char **why,
		     uint64_t *bytes)
{
	int src = open(self->src, O_RDONLY), err;

	err = bh_exchange_send(self->dirfd, name, src, bytes, why);
	close(src);
	return err;
}

/* BH-EXCH-1: the file arrives whole under its name, the part file gone. */
TEST_F(outbox, whole_file_under_its_name)
{
	const char *why = "x";
	char names[256], path[128], buf[64] = "";
	uint64_t bytes;
	FILE *f;

	ASSERT_EQ(0, send_file(self, "report.txt", &why, &bytes));
	EXPECT_EQ(12, bytes);
	names_in(self->dir, names, sizeof(names));
	EXPECT_STREQ("report.txt ", names);
	snprintf(path, sizeof(path), "%s/report.txt", self->dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_STREQ("report body\n", buf);
}

/* BH-EXCH-1: a file of that name still waiting is neither replaced nor joined by a part file. */
TEST_F(outbox, waiting_file_not_replaced)
{
	char names[256], path[128], buf[64] = "";
	const char *why;
	uint64_t bytes;
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.txt", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("earlier\n", f);
	fclose(f);
	EXPECT_EQ(-EEXIST, send_file(self, "report.txt", &why, &bytes));
	names_in(self->dir, names, sizeof(names));
	EXPECT_STREQ("report.txt ", names);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_STREQ("earlier\n", buf);
}

/* BH-EXCH-1: a part file an interrupted send left is reused, not a reason to fail. */
TEST_F(outbox, leftover_part_reused)
{
	char names[256], path[128];
	const char *why;
	uint64_t bytes;
	FILE *f;

	snprintf(path, sizeof(path), "%s/.a.part", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("half of an older, longer content", f);
	fclose(f);
	ASSERT_EQ(0, send_file(self, "a", &why, &bytes));
	EXPECT_EQ(12, bytes);
	names_in(self->dir, names, sizeof(names));
	EXPECT_STREQ("a ", names);
}

/* BH-EXCH-1: names the guard refuses are refused here, before anything is written. */
TEST_F(outbox, refused_names_write_nothing)
{
	static const char *const bad[] = { ".hidden", "a\nb", "", ".." };
	char names[256], long_name[256];
	const char *why;
	uint64_t bytes;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		EXPECT_EQ(-EINVAL, send_file(self, bad[i], &why, &bytes));
		EXPECT_NE(NULL, why);
	}
	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	why = NULL;
	EXPECT_EQ(-EINVAL, send_file(self, long_name, &why, &bytes));
	EXPECT_STREQ("name-too-long", why);
	names_in(self->dir, names, sizeof(names));
	EXPECT_STREQ("", names);
}

/* BH-EXCH-1: the command says what it sent, and why not. */
TEST_F(outbox, cli)
{
	char args[256], out[1024];

	snprintf(args, sizeof(args), "send %s %s", self->dir, self->src);
	EXPECT_EQ(0, run_cli(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "sent "));
	EXPECT_NE(NULL, strstr(out, "(12 bytes)"));
	EXPECT_EQ(1, run_cli(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "is still waiting in"));
	snprintf(args, sizeof(args), "send %s/none %s", self->dir, self->src);
	EXPECT_EQ(1, run_cli(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "bulkhead: send: "));
	EXPECT_EQ(2, run_cli("send", out, sizeof(out)));
}

TEST_HARNESS_MAIN
