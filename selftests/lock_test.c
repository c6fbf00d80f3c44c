// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: "bulkhead lock". A lock lasts until reboot, so this suite runs last in
 * its VM (selftests/run.sh) and its tests run in order on one locked module: who may lock,
 * what a lock needs, what it refuses, how it keeps the BPF links attached, and its records.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bulkhead.h>
#include <linux/capability.h>
#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

#define LINKS		BULKHEAD_BPFFS_DIR "/links"
#define A_PIN		LINKS "/file_open"

static int op_read_b(void *arg)
{
	int fd = open("/tmp/bhe/b/fb", O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Run @cmd as root without CAP_AUDIT_CONTROL in its bounding set (so not after exec either). */
static int run_cmd_without_audit_control(char *out, size_t len, const char *cmd)
{
	if (prctl(PR_CAPBSET_DROP, CAP_AUDIT_CONTROL, 0, 0, 0))
		return -1;
	return run_cmd(out, len, cmd);
}

static long module_refcount(void)
{
	char line[32];

	return read_line("/sys/module/bulkhead/refcnt", line, sizeof(line)) ? -1 : atol(line);
}

static int hooks_attached(void)
{
	char out[16];

	if (run_cmd(out, sizeof(out), "bulkhead status | grep -c ' not-attached '") > 1)
		return -1;
	return atoi(out) == 0;
}

/* BH-LOCK-1: only a caller with both CAP_MAC_ADMIN and CAP_AUDIT_CONTROL may lock. */
TEST(lock_needs_both_capabilities)
{
	char out[4096];
	pid_t pid;
	int status;

	/* A fresh trail, so that this suite's records fit in the ring whatever ran before. */
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode off; bulkhead unload && "
			     "bulkhead load && bulkhead audit config failure drop allows off export off"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, run_cmd_nobody(out, sizeof(out), "bulkhead lock"));
	EXPECT_NE(NULL, strstr(out, "locking needs CAP_MAC_ADMIN")) TH_LOG("%s", out);
	/* In a child: the bounding set cannot be given back. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (run_cmd_without_audit_control(out, sizeof(out), "bulkhead lock") != 1 ||
		    !strstr(out, "locking needs CAP_AUDIT_CONTROL as well")) {
			fprintf(stderr, "%s", out);
			_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status"));
	EXPECT_NE(NULL, strstr(out, "locked: no")) TH_LOG("%s", out);
}

/* BH-LOCK-1: a lock with a hook detached would freeze a hole in place: refused. */
TEST(lock_needs_every_hook_attached)
{
	char out[4096];

	ASSERT_EQ(0, unlink(A_PIN));
	EXPECT_EQ(0, hooks_attached());
	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead lock"));
	EXPECT_NE(NULL, strstr(out, "a hook is not attached")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status"));
	EXPECT_NE(NULL, strstr(out, "locked: no")) TH_LOG("%s", out);
	/* Loading again repairs the missing link. */
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) TH_LOG("%s", out);
	EXPECT_EQ(1, hooks_attached());
}

/*
 * BH-LOCK-2: once locked, the mode, the policy and the audit configuration are refused with
 * a message and stay as they were; the module cannot be removed; enforcement goes on.
 */
TEST(lock_fixes_policy_mode_and_audit_config)
{
	static const char *const changes[] = {
		"bulkhead mode off",
		"bulkhead policy apply /tmp/bhe-policy.bh",
		"bulkhead flow add a b file",
		"bulkhead audit config failure block",
	};
	char out[4096], before[4096];
	size_t i;
	long refs;

	ASSERT_EQ(0, world_make("", "enforce", out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b, NULL));
	ASSERT_EQ(0, run_cmd(before, sizeof(before), "bulkhead status -j | grep -o '\"sha256\":\"[0-9a-f]*\"'"));

	refs = module_refcount();
	ASSERT_LE(0, refs);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead lock")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "locked until reboot")) TH_LOG("%s", out);
	/* The module holds a reference on itself until reboot. */
	EXPECT_EQ(refs + 1, module_refcount());
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status -j"));
	EXPECT_NE(NULL, strstr(out, "\"locked\":true")) TH_LOG("%s", out);
	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead lock"));
	EXPECT_NE(NULL, strstr(out, "locked already")) TH_LOG("%s", out);

	for (i = 0; i < ARRAY_SIZE(changes); i++) {
		EXPECT_EQ(1, run_cmd(out, sizeof(out), changes[i])) TH_LOG("%s", changes[i]);
		EXPECT_NE(NULL, strstr(out, "bulkhead is locked until reboot"))
			TH_LOG("%s: %s", changes[i], out);
	}

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode"));
	EXPECT_STREQ("enforce\n", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status -j | grep -o '\"sha256\":\"[0-9a-f]*\"'"));
	EXPECT_STREQ(before, out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit stats -j"));
	EXPECT_NE(NULL, strstr(out, "\"failure\":\"drop\"")) TH_LOG("%s", out);

	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead unload"));
	EXPECT_NE(NULL, strstr(out, "unload: bulkhead is locked until reboot")) TH_LOG("%s", out);
	/* Even past the CLI: the kernel holds a reference on the module. */
	EXPECT_EQ(-1, syscall(SYS_delete_module, "bulkhead", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(1, hooks_attached());
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b, NULL));
}

/*
 * BH-LOCK-3: nobody, host root included, may remove, rename or add anything under the pins
 * directory, or unmount the BPF filesystem holding it.
 */
TEST(lock_protects_the_pinned_links)
{
	EXPECT_EQ(-1, unlink(A_PIN));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rename(A_PIN, LINKS "/moved"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rename(LINKS, "/sys/fs/bpf/moved"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rmdir(LINKS));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mkdir(LINKS "/new", 0700));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, umount("/sys/fs/bpf"));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, access(A_PIN, F_OK));
	EXPECT_EQ(1, hooks_attached());
}

/* BH-LOCK-4: the lock and each refused change to the pins are in the trail. */
TEST(lock_recorded)
{
	char out[8192];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --type lock"));
	EXPECT_NE(NULL, strstr(out, "event=lock")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "new_mode=enforce")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out),
			     "bulkhead audit tail --type decision | grep 'rule=lock'"));
	EXPECT_NE(NULL, strstr(out, "op=inode_unlink")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "decision=denied")) TH_LOG("%s", out);
	/* Named from the task's root, though the hook knows only the name within bpffs. */
	EXPECT_NE(NULL, strstr(out, "name=\"/sys/fs/bpf/bulkhead/links/file_open\""))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "op=inode_rename")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "op=inode_mkdir")) TH_LOG("%s", out);
}

/*
 * BH-LOCK-3: a lazy unmount takes /sys/fs/bpf out of sight, but the module holds the
 * filesystem and its pins: the hooks keep deciding. Last: the pins are unreachable after it.
 */
TEST(locked_hooks_survive_a_lazy_unmount)
{
	ASSERT_EQ(0, umount2("/sys/fs/bpf", MNT_DETACH));
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b, NULL));
	EXPECT_EQ(0, mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL));
}

TEST_HARNESS_MAIN
