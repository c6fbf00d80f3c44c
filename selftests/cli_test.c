// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the CLI's errors name what is wrong and exit 1 (operation failed) or
 * 2 (usage), and a refused load changes nothing.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"

#define OUT_LEN 4096

static bool module_present(void)
{
	struct stat sb;

	return !stat("/sys/module/bulkhead", &sb);
}

FIXTURE(unloaded) {
	char out[OUT_LEN];
};

FIXTURE_SETUP(unloaded)
{
	run_cmd(self->out, sizeof(self->out), "bulkhead unload");
	ASSERT_FALSE(module_present());
}

FIXTURE_TEARDOWN(unloaded)
{
	run_cmd(self->out, sizeof(self->out), "bulkhead unload");
}

/* A command line and what the CLI must answer. */
FIXTURE_VARIANT(unloaded) {
	const char *cmd;
	int exit_status;
	const char *says;
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, no_command) {
	.cmd = "bulkhead", .exit_status = 2, .says = "usage: bulkhead",
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, unknown_command) {
	.cmd = "bulkhead frobnicate", .exit_status = 2, .says = "unknown command 'frobnicate'",
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, unknown_mode) {
	.cmd = "bulkhead mode bogus", .exit_status = 2, .says = "unknown mode 'bogus'",
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, extra_argument) {
	.cmd = "bulkhead status extra", .exit_status = 2, .says = "unexpected argument 'extra'",
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, unknown_option) {
	.cmd = "bulkhead status --bogus", .exit_status = 2, .says = "unknown option '--bogus'",
};

/* BH-CLI-1 */
FIXTURE_VARIANT_ADD(unloaded, option_without_argument) {
	.cmd = "bulkhead load --module", .exit_status = 2,
	.says = "option '--module' needs an argument",
};

/* BH-CLI-1: family not found */
FIXTURE_VARIANT_ADD(unloaded, status_when_not_loaded) {
	.cmd = "bulkhead status", .exit_status = 1,
	.says = "the bulkhead module is not loaded (no generic netlink family \"bulkhead\"); run 'bulkhead load'",
};

/* BH-CLI-1: module missing */
FIXTURE_VARIANT_ADD(unloaded, module_file_missing) {
	.cmd = "bulkhead load --module /nonexistent/bulkhead.ko", .exit_status = 1,
	.says = "--module /nonexistent/bulkhead.ko: No such file or directory",
};

/* BH-CLI-1: not a module for this kernel */
FIXTURE_VARIANT_ADD(unloaded, module_file_invalid) {
	.cmd = "bulkhead load --module /etc/passwd", .exit_status = 1,
	.says = "cannot insert /etc/passwd",
};

/* BH-CLI-1: an error is reported, with exit status 1 or 2, and nothing gets loaded. */
TEST_F(unloaded, error_reported)
{
	EXPECT_EQ(variant->exit_status, run_cmd(self->out, sizeof(self->out), variant->cmd));
	EXPECT_NE(NULL, strstr(self->out, variant->says)) {
		TH_LOG("'%s' said: %s", variant->cmd, self->out);
	}
	EXPECT_FALSE(module_present());
}

/* BH-CLI-1: only root may load. */
TEST(load_as_nobody_refused)
{
	char out[OUT_LEN];

	run_cmd(out, sizeof(out), "bulkhead unload");
	EXPECT_EQ(1, run_cmd_nobody(out, sizeof(out), "bulkhead load"));
	EXPECT_NE(NULL, strstr(out, "load: must be run as root")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_FALSE(module_present());
}

/* BH-CLI-1, BH-LOAD-3: without the BPF LSM the load is refused with the fix, and nothing loads. */
TEST(load_without_bpf_lsm_refused)
{
	const char *fake = "/tmp/lsm-without-bpf";
	char out[OUT_LEN];
	int fd;

	run_cmd(out, sizeof(out), "bulkhead unload");
	fd = open(fake, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(24, write(fd, "lockdown,capability,yama", 24));
	close(fd);
	/* Show the CLI an active-LSM list without bpf, as a kernel booted without it would. */
	ASSERT_EQ(0, mount(fake, "/sys/kernel/security/lsm", NULL, MS_BIND, NULL));
	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead load"));
	umount("/sys/kernel/security/lsm");
	unlink(fake);
	EXPECT_NE(NULL, strstr(out, "the BPF LSM is not active")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_NE(NULL, strstr(out, "lsm=lockdown,capability,yama,bpf")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_FALSE(module_present());
}

/* BH-CLI-1, BH-MGMT-3: an unprivileged mode change fails with the kernel's reason. */
TEST(mode_as_nobody_refused)
{
	char out[OUT_LEN];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load"));
	EXPECT_EQ(1, run_cmd_nobody(out, sizeof(out), "bulkhead mode enforce"));
	EXPECT_NE(NULL, strstr(out, "mode: Operation not permitted: changing the mode needs CAP_MAC_ADMIN")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode"));
	EXPECT_STREQ("off\n", out);
	run_cmd(out, sizeof(out), "bulkhead unload");
}

/* BH-CLI-1, BH-MGMT-1: read commands print JSON with -j. */
TEST(status_json)
{
	char out[OUT_LEN];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load"));
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead status -j"));
	EXPECT_EQ('{', out[0]);
	EXPECT_NE(NULL, strstr(out, "\"mode\":\"off\"")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_NE(NULL, strstr(out, "{\"name\":\"file_open\",\"attached\":true,\"calls\":")) {
		TH_LOG("said: %s", out);
	}
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode -j"));
	EXPECT_STREQ("{\"mode\":\"off\"}\n", out);
	run_cmd(out, sizeof(out), "bulkhead unload");
}

/* BH-CLI-1: "audit config" alone shows the configuration it sets, as auditctl -s does. */
TEST(audit_config_shown)
{
	char out[OUT_LEN];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load"));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config allows on"));
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config"));
	EXPECT_NE(NULL, strstr(out, "failure drop\n")) TH_LOG("said: %s", out);
	EXPECT_NE(NULL, strstr(out, "allows on\n")) TH_LOG("said: %s", out);
	EXPECT_NE(NULL, strstr(out, "export off\n")) TH_LOG("said: %s", out);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config -j"));
	EXPECT_NE(NULL, strstr(out, "\"allows\":true")) TH_LOG("said: %s", out);
	run_cmd(out, sizeof(out), "bulkhead audit config allows off; bulkhead unload");
}

/*
 * BH-CLI-1, BH-MGMT-1: a change prints one line naming it with the generation and hash now in
 * force (those status reports); -q prints nothing and changes the same.
 */
TEST(change_prints_generation)
{
	char out[OUT_LEN], status[OUT_LEN], line[OUT_LEN], hash[65];
	unsigned long long gen;

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load"));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead domain add cli-x"));
	ASSERT_EQ(0, run_cmd(status, sizeof(status), "bulkhead status | grep '^policy:'"));
	ASSERT_EQ(2, sscanf(status, "policy: generation %llu sha256 %64s", &gen, hash)) {
		TH_LOG("status said: %s", status);
	}
	snprintf(line, sizeof(line), "domain add cli-x: policy generation %llu, sha256 %s\n",
		 gen, hash);
	EXPECT_STREQ(line, out) TH_LOG("status said: %s", status);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead -q flow add cli-x host file"));
	EXPECT_STREQ("", out);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead flow list | grep -c 'cli-x -> host'"));
	EXPECT_STREQ("1\n", out);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead flow del cli-x host --quiet"));
	EXPECT_STREQ("", out);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead flow list | grep -c 'cli-x -> host'; true"));
	EXPECT_STREQ("0\n", out);
	run_cmd(out, sizeof(out), "bulkhead unload");
}

/* BH-AUD-1: "audit report" reads the module's ring when given no file. */
TEST(report_from_ring)
{
	char out[OUT_LEN];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load"));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode audit && bulkhead mode off"));
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit report --type mode"));
	EXPECT_NE(NULL, strstr(out, "records: 2\n")) TH_LOG("said: %s", out);
	EXPECT_NE(NULL, strstr(out, "by type: mode 2\n")) TH_LOG("said: %s", out);
	/* The whole ring: the load record first. */
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit report"));
	EXPECT_NE(NULL, strstr(out, "first: seq 1 at ")) TH_LOG("said: %s", out);
	run_cmd(out, sizeof(out), "bulkhead unload");
}

TEST_HARNESS_MAIN
