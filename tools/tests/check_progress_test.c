// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: "make check" says how far it is while the VMs run. check.sh pipes each
 * kernel's TAP, as the VM writes it, through tools/vm/progress.sh; these tests feed it TAP a
 * line at a time and read what it says before the next line is written, as a user watching
 * the run would.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

FIXTURE(progress) {
	pid_t pid;
	int in;		/* the TAP, to awk */
	int out;	/* what it prints */
};

FIXTURE_SETUP(progress)
{
	int to[2], from[2];

	ASSERT_EQ(0, pipe(to));
	ASSERT_EQ(0, pipe(from));
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (!self->pid) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execl("tools/vm/progress.sh", "progress.sh", "6.1", NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	self->in = to[1];
	self->out = from[0];
}

FIXTURE_TEARDOWN(progress)
{
	close(self->in);
	close(self->out);
	kill(self->pid, SIGKILL);
	waitpid(self->pid, NULL, 0);
}

/* Write @tap; return the lines awk printed within @ms milliseconds (empty if none). */
static const char *feed(struct __test_metadata *_metadata, FIXTURE_DATA(progress) *self,
			const char *tap, int ms)
{
	static char buf[1024];
	struct pollfd p = { .fd = self->out, .events = POLLIN };
	ssize_t n = 0;

	ASSERT_EQ((ssize_t)strlen(tap), write(self->in, tap, strlen(tap))) {
		buf[0] = '\0';
		return buf;
	}
	/* Up to the end of a line: an unbuffered awk may write one in pieces. */
	while (poll(&p, 1, ms) == 1) {
		ssize_t r = read(self->out, buf + n, sizeof(buf) - 1 - n);

		if (r <= 0)
			break;
		n += r;
		if (buf[n - 1] == '\n' || n == sizeof(buf) - 1)
			break;
	}
	buf[n] = '\0';
	return buf;
}

/* BH-CLI-5: a suite's counts come when it ends, before the next line of TAP arrives. */
TEST_F(progress, suite_counts_as_it_ends)
{
	EXPECT_STREQ("", feed(_metadata, self, "# suite: file_test\nok 1 a\nok 2 b\n", 300));
	EXPECT_STREQ("", feed(_metadata, self, "ok 3 c # SKIP no io_uring\n", 300));
	EXPECT_STREQ("check: 6.1: file_test: 2 passed, 0 failed, 1 skipped\n",
		     feed(_metadata, self, "# suite-exit: file_test 0\n", 5000));
	/* The next suite counts from zero; CRs from the serial port are dropped. */
	EXPECT_STREQ("check: 6.1: net_test: 1 passed, 0 failed, 0 skipped (exit status 1)\n",
		     feed(_metadata, self, "# suite: net_test\r\nok 1 x\r\n"
				"# suite-exit: net_test 1\r\n", 5000));
}

/* BH-CLI-5: a failure is shown at once, named with its kernel and suite. */
TEST_F(progress, failure_at_once)
{
	EXPECT_STREQ("", feed(_metadata, self, "# suite: lock_test\nok 1 a\n", 300));
	EXPECT_STREQ("check: 6.1: lock_test: not ok 2 lock_recorded\n",
		     feed(_metadata, self, "not ok 2 lock_recorded\n", 5000));
	EXPECT_STREQ("check: 6.1: lock_test: 1 passed, 1 failed, 0 skipped\n",
		     feed(_metadata, self, "# lock_recorded: detail\n# suite-exit: lock_test 0\n",
			  5000));
}

TEST_HARNESS_MAIN
