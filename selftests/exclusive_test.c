// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: exclusive groups (the line selector). Domains a and b form group "sel",
 * a first, so a is active: b's tasks are frozen and everything b does or has done to it is
 * denied; "bulkhead switch b" turns that around, and "bulkhead status" shows both states.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

/* 1 when every task of cgroup @cgroup is frozen, 0 when not, -1 when unreadable. */
static int frozen(const char *cgroup)
{
	char path[256], line[64];
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.events", cgroup);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "frozen ", 7))
			ret = line[7] == '1';
	if (f)
		fclose(f);
	return ret;
}

/* The cgroup freezer settles asynchronously: wait up to ten seconds for @want. */
static int wait_frozen(const char *cgroup, int want)
{
	int i;

	for (i = 0; i < 100 && frozen(cgroup) != want; i++)
		usleep(100000);
	return frozen(cgroup);
}

static int can_read(const char *path)
{
	int fd = open(path, O_RDONLY);

	return fd < 0 ? errno : (close(fd), 0);
}

FIXTURE(selector) {
	char log[16384];
	pid_t sleeper_a, sleeper_b;
};

FIXTURE_SETUP(selector)
{
	/* Host may read both domains' files, as long as they are active. */
	ASSERT_EQ(0, world_make("flow a -> host { file }\nflow b -> host { file }", "off",
				self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	/* The sleepers first: one joining a frozen cgroup would freeze before saying so. */
	self->sleeper_a = sleeper_in_cgroup("/bhe/a");
	self->sleeper_b = sleeper_in_cgroup("/bhe/b");
	ASSERT_LT(0, self->sleeper_a);
	ASSERT_LT(0, self->sleeper_b);
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead exclusive add sel a b && "
			     "bulkhead mode enforce")) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(selector)
{
	sh("bulkhead mode off");
	if (self->sleeper_a > 0)
		kill(self->sleeper_a, SIGKILL);
	if (self->sleeper_b > 0)
		kill(self->sleeper_b, SIGKILL);
	waitpid(self->sleeper_a, NULL, 0);
	waitpid(self->sleeper_b, NULL, 0);
	world_remove();
}

/* BH-ENF-7: after apply, the first member is active and the others' tasks are frozen. */
TEST_F(selector, inactive_member_frozen_and_denied)
{
	EXPECT_EQ(1, wait_frozen("/bhe/b", 1));
	EXPECT_EQ(0, wait_frozen("/bhe/a", 0));
	EXPECT_EQ(0, can_read("/tmp/bhe/a/fa"));
	EXPECT_EQ(EACCES, can_read("/tmp/bhe/b/fb"));
}

/* BH-ENF-7: a switch thaws the new member, freezes the old one and moves the denials. */
TEST_F(selector, switch_moves_freezing_and_denials)
{
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead switch b")) {
		TH_LOG("%s", self->log);
	}
	EXPECT_EQ(1, wait_frozen("/bhe/a", 1));
	EXPECT_EQ(0, wait_frozen("/bhe/b", 0));
	EXPECT_EQ(EACCES, can_read("/tmp/bhe/a/fa"));
	EXPECT_EQ(0, can_read("/tmp/bhe/b/fb"));
}

/* BH-ENF-7, BH-MGMT-1: status shows the active member and each member's tasks. */
TEST_F(selector, status_shows_both_transitions)
{
	ASSERT_EQ(1, wait_frozen("/bhe/b", 1));
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead status -j"));
	EXPECT_NE(NULL, strstr(self->log, "\"groups\":[{\"name\":\"sel\",\"active\":\"a\","
				  "\"members\":[{\"name\":\"a\",\"tasks\":\"running\"},"
				  "{\"name\":\"b\",\"tasks\":\"frozen\"}]}]")) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, sh("bulkhead switch b"));
	ASSERT_EQ(1, wait_frozen("/bhe/a", 1));
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead status"));
	EXPECT_NE(NULL, strstr(self->log, "active b: a (frozen) b (running)")) {
		TH_LOG("%s", self->log);
	}
}

/* BH-ENF-7, BH-CLI-1: switching to a domain outside every group changes nothing. */
TEST_F(selector, switch_to_non_member_refused)
{
	EXPECT_EQ(1, run_cmd(self->log, sizeof(self->log), "bulkhead switch host"));
	EXPECT_NE(NULL, strstr(self->log, "not a member of any exclusive group")) {
		TH_LOG("%s", self->log);
	}
	EXPECT_EQ(1, wait_frozen("/bhe/b", 1));
	EXPECT_EQ(0, can_read("/tmp/bhe/a/fa"));
}

/* BH-SAFE-1: unloading ends the groups: no task stays frozen behind a module gone. */
TEST_F(selector, unload_thaws_members)
{
	ASSERT_EQ(1, wait_frozen("/bhe/b", 1));
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead mode off && "
			     "bulkhead unload")) {
		TH_LOG("%s", self->log);
	}
	EXPECT_EQ(0, wait_frozen("/bhe/b", 0));
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), "bulkhead load")) {
		TH_LOG("%s", self->log);
	}
}

TEST_HARNESS_MAIN
