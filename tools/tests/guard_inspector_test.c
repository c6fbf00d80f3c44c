// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard's inspector - one child process runs the content
 * checks for file after file, and one that died is replaced, the guard going on.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"

#define FILES 5

static pid_t seen[FILES];
static int n_seen;
static bool kill_first;

/* The guard's one child (it runs in this process): its inspector. 0 when none. */
static pid_t inspector_pid(void)
{
	char path[64], buf[64];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children", (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

static void note_inspector(enum bh_guard_step step)
{
	if (step != BH_GUARD_STEP_CHECKED || n_seen == FILES)
		return;
	seen[n_seen++] = inspector_pid();
	/* Dead between two files: the guard learns it when it hands over the next one. */
	if (kill_first && n_seen == 1 && seen[0] > 0) {
		kill(seen[0], SIGKILL);
		waitpid(seen[0], NULL, 0);
	}
}

static int put_files(struct exchange *x)
{
	char name[32], text[32];
	int i;

	for (i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "f%d.txt", i);
		snprintf(text, sizeof(text), "file %d\n", i);
		if (put_file(x->outbox, name, text, strlen(text)))
			return -1;
	}
	return 0;
}

EXCHANGE_FIXTURE(inspector)

/* BH-EXCH-3: the content checks of every file run in one child, not a fork per file. */
TEST_F(inspector, one_for_every_file)
{
	int i;

	self->x.cfg.types[0] = "text/";
	self->x.cfg.n_types = 1;
	n_seen = 0;
	kill_first = false;
	ASSERT_EQ(0, put_files(&self->x));
	ASSERT_EQ(FILES, exchange_run(&self->x, note_inspector));
	ASSERT_EQ(FILES, n_seen);
	EXPECT_LT(0, seen[0]);
	for (i = 1; i < FILES; i++)
		EXPECT_EQ(seen[0], seen[i]);
	EXPECT_EQ(FILES, count_files(self->x.inbox, 1));
	EXPECT_EQ(FILES, records_with(&self->x, "\"verdict\":\"delivered\""));
	/* Stopped with the guard. */
	EXPECT_EQ(0, inspector_pid());
}

/* BH-EXCH-3: an inspector that died (a crash, its CPU limit) is replaced and the guard goes
 * on: the next file is checked by a new one, and the guard is not killed by the broken pipe.
 */
TEST_F(inspector, dead_one_replaced)
{
	int i;

	self->x.cfg.deny[0] = "forbidden";
	self->x.cfg.n_deny = 1;
	n_seen = 0;
	kill_first = true;
	ASSERT_EQ(0, put_files(&self->x));
	ASSERT_EQ(FILES, exchange_run(&self->x, note_inspector));
	ASSERT_EQ(FILES, n_seen);
	EXPECT_LT(0, seen[1]);
	EXPECT_NE(seen[0], seen[1]);
	for (i = 2; i < FILES; i++)
		EXPECT_EQ(seen[1], seen[i]);
	EXPECT_EQ(FILES, records_with(&self->x, "\"verdict\":\"delivered\"")) {
		TH_LOG("records: %s", self->x.records);
	}
}

TEST_HARNESS_MAIN
