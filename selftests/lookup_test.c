// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the lookups the hooks make - which domain a task, a file or an interface
 * belongs to - asked through BULKHEAD_CMD_QUERY ("bulkhead domain of").
 *
 *   cgroups   /bhl/a (domain a)   /bhl/a/nested (no binding: inherits a)   /bhl/b (domain b)
 *   files     /tmp/bhl/a (a)  /tmp/bhl/a/sub/f      /tmp/bhl/b (b)   /tmp/bhl/host
 *             /tmp/bhl/secret (a file bound to a on its own)
 *   veth      bhl0 (a) <-> bhl1 (unbound: host)
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"

#define OUT_LEN 4096

static const char lookup_policy[] =
	"domain a {\n cgroup /bhl/a\n path /tmp/bhl/a\n path /tmp/bhl/secret\n netdev bhl0\n}\n"
	"domain b {\n cgroup /bhl/b\n path /tmp/bhl/b\n}\n";

FIXTURE(lookup) {
	char out[OUT_LEN];
};

FIXTURE_SETUP(lookup)
{
	ASSERT_EQ(0, reset_bulkhead(self->out, sizeof(self->out)));
	ASSERT_EQ(0, sh("mkdir -p /sys/fs/cgroup/bhl/a/nested /sys/fs/cgroup/bhl/b "
			"/tmp/bhl/a/sub /tmp/bhl/b /tmp/bhl/host /mnt/bhl && "
			"touch /tmp/bhl/a/sub/f /tmp/bhl/secret"));
	ASSERT_EQ(0, sh("modprobe veth && ip link add bhl0 type veth peer name bhl1"));
	ASSERT_EQ(0, write_file("/tmp/bhl-policy.bh", lookup_policy));
	ASSERT_EQ(0, run_cmd(self->out, sizeof(self->out),
			     "bulkhead policy apply /tmp/bhl-policy.bh")) {
		TH_LOG("%s", self->out);
	}
}

FIXTURE_TEARDOWN(lookup)
{
	umount("/mnt/bhl");
	sh("bulkhead policy apply /tmp/bh-empty.bh; ip link del bhl0; rmdir /sys/fs/cgroup/bhl/a/nested "
	   "/sys/fs/cgroup/bhl/a /sys/fs/cgroup/bhl/b /sys/fs/cgroup/bhl; "
	   "rm -rf /tmp/bhl /tmp/bhl-policy.bh /mnt/bhl");
}

/* The domain "bulkhead domain of ARGS" names, or "" on failure. */
static const char *domain_of(char *out, size_t len, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "bulkhead domain of %s", args);
	if (run_cmd(out, len, cmd))
		return "";
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* The domain of a child placed in cgroup @cgroup (relative to the cgroup2 root). */
static const char *domain_of_child_in(char *out, size_t len, const char *cgroup)
{
	char procs[256], args[64];
	int pipefd[2];
	pid_t pid;
	char c;

	if (pipe(pipefd))
		return "";
	pid = fork();
	if (pid == 0) {
		close(pipefd[1]);
		/* Wait for the parent's question to be answered, then go. */
		if (read(pipefd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(pipefd[0]);
	snprintf(procs, sizeof(procs), "/sys/fs/cgroup%s/cgroup.procs", cgroup);
	snprintf(args, sizeof(args), "%d", pid);
	if (write_file(procs, args))
		out = "";
	else
		out = (char *)domain_of(out, len, (snprintf(args, sizeof(args), "pid %d", pid), args));
	close(pipefd[1]);
	waitpid(pid, NULL, 0);
	return out;
}

/* BH-LOOK-1: a task is in the domain of its nearest bound cgroup ancestor, else host. */
TEST_F(lookup, task_by_nearest_cgroup)
{
	EXPECT_STREQ("a", domain_of_child_in(self->out, sizeof(self->out), "/bhl/a"));
	EXPECT_STREQ("a", domain_of_child_in(self->out, sizeof(self->out), "/bhl/a/nested"));
	EXPECT_STREQ("b", domain_of_child_in(self->out, sizeof(self->out), "/bhl/b"));
	EXPECT_STREQ("host", domain_of_child_in(self->out, sizeof(self->out), "/bhl"));
}

/* BH-LOOK-2: a file is in the domain of its nearest labelled ancestor, else host. */
TEST_F(lookup, file_by_nearest_label)
{
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/tmp/bhl/a"));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/tmp/bhl/a/sub/f"));
	EXPECT_STREQ("b", domain_of(self->out, sizeof(self->out), "/tmp/bhl/b"));
	EXPECT_STREQ("host", domain_of(self->out, sizeof(self->out), "/tmp/bhl/host"));
	EXPECT_STREQ("host", domain_of(self->out, sizeof(self->out), "/etc/passwd"));
	EXPECT_STREQ("{\"domain\":\"a\"}", domain_of(self->out, sizeof(self->out),
						     "-j /tmp/bhl/a/sub"));
}

/* BH-LOOK-2: labels sit on inodes: renaming a labelled directory keeps its label. */
TEST_F(lookup, label_follows_renamed_directory)
{
	ASSERT_EQ(0, rename("/tmp/bhl/a", "/tmp/bhl/host/moved"));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/tmp/bhl/host/moved/sub/f"));
	ASSERT_EQ(0, rename("/tmp/bhl/host/moved", "/tmp/bhl/a"));
}

/* BH-LOOK-2: a file moved under another label takes that label. */
TEST_F(lookup, moved_file_takes_new_label)
{
	ASSERT_EQ(0, rename("/tmp/bhl/a/sub/f", "/tmp/bhl/b/f"));
	EXPECT_STREQ("b", domain_of(self->out, sizeof(self->out), "/tmp/bhl/b/f"));
}

/* BH-LOOK-2: a file bound on its own keeps its label under every hard link to it. */
TEST_F(lookup, label_holds_through_hard_links)
{
	ASSERT_EQ(0, link("/tmp/bhl/secret", "/tmp/bhl/host/alias"));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/tmp/bhl/host/alias"));
	ASSERT_EQ(0, link("/tmp/bhl/secret", "/tmp/bhl/b/alias"));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/tmp/bhl/b/alias"));
}

/* BH-LOOK-2: bind mounts and /proc/PID/root show the same inodes, so the same labels. */
TEST_F(lookup, label_holds_through_bind_mounts_and_proc_root)
{
	char path[128];

	ASSERT_EQ(0, mount("/tmp/bhl/a/sub", "/mnt/bhl", NULL, MS_BIND, NULL));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "/mnt/bhl/f"));
	snprintf(path, sizeof(path), "/proc/%d/root/tmp/bhl/a/sub/f", getpid());
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), path));
}

/* BH-LOOK-3: an interface is in the domain it is bound to, else host. */
TEST_F(lookup, netdev)
{
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "netdev bhl0"));
	EXPECT_STREQ("host", domain_of(self->out, sizeof(self->out), "netdev bhl1"));
	EXPECT_STREQ("host", domain_of(self->out, sizeof(self->out), "netdev lo"));
}

/* BH-LOOK-3: a renamed interface keeps its label. */
TEST_F(lookup, netdev_label_survives_rename)
{
	ASSERT_EQ(0, sh("ip link set bhl0 name bhlren"));
	EXPECT_STREQ("a", domain_of(self->out, sizeof(self->out), "netdev bhlren"));
	ASSERT_EQ(0, sh("ip link set bhlren name bhl0"));
}

/* BH-MGMT-3: only CAP_MAC_ADMIN may ask. */
TEST_F(lookup, query_needs_cap_mac_admin)
{
	EXPECT_EQ(1, run_cmd_nobody(self->out, sizeof(self->out), "bulkhead domain of /tmp"));
	EXPECT_NE(NULL, strstr(self->out, "querying the policy needs CAP_MAC_ADMIN")) {
		TH_LOG("%s", self->out);
	}
}

TEST_HARNESS_MAIN
