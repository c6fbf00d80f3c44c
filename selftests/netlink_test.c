// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the generic netlink family refuses malformed and unprivileged requests
 * with an extended-ACK message, and a refused request changes nothing.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "status.h"
#include "util.h"

static int current_mode(void)
{
	struct bh_status st;
	struct bh_genl g;
	int err;

	err = bh_genl_open(&g);
	if (err)
		return err;
	err = bh_status_get(&g, &st);
	bh_genl_close(&g);
	return err ? err : (int)st.mode;
}

static int set_mode(struct bh_genl *g, unsigned int mode)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_MODE_SET, 0);

	if (!msg || nla_put_u32(msg, BULKHEAD_A_MODE, mode))
		return -ENOMEM;
	return bh_genl_call(g, msg, NULL, NULL);
}

/*
 * Load bulkhead once for the suite (reset to mode off and no policy, the state a fresh load
 * gives: each test depends on nothing else) and connect, leaving the mode at audit (not the
 * default). A load verifies every BPF program, about 15 s under emulation.
 */
static void load_and_connect(struct __test_metadata *_metadata, struct bh_genl *g)
{
	char out[4096];

	ASSERT_EQ(0, reset_bulkhead(out, sizeof(out))) {
		TH_LOG("bulkhead load: %s", out);
	}
	ASSERT_EQ(0, bh_genl_open(g));
	ASSERT_EQ(0, set_mode(g, BULKHEAD_MODE_AUDIT));
}

static void disconnect(struct bh_genl *g)
{
	char out[512];

	bh_genl_close(g);
	run_cmd(out, sizeof(out), "bulkhead mode off");
}

FIXTURE(family) {
	struct bh_genl g;
};

FIXTURE_SETUP(family)
{
	load_and_connect(_metadata, &self->g);
}

FIXTURE_TEARDOWN(family)
{
	disconnect(&self->g);
}

FIXTURE(malformed) {
	struct bh_genl g;
};

FIXTURE_SETUP(malformed)
{
	load_and_connect(_metadata, &self->g);
}

FIXTURE_TEARDOWN(malformed)
{
	disconnect(&self->g);
}

/* One malformed request: which command, which attribute with what payload, what must come back. */
FIXTURE_VARIANT(malformed) {
	int cmd;
	int attr;		/* 0: send no attribute */
	int payload_len;	/* bytes of 0x07 as the attribute's payload */
	int error;
	const char *ext_ack;	/* substring the kernel's message must contain */
	bool points_at_attr;	/* the error names the offending attribute */
};

/* BH-MGMT-2 */
FIXTURE_VARIANT_ADD(malformed, status_unknown_attribute) {
	.cmd = BULKHEAD_CMD_STATUS_GET,
	.attr = BULKHEAD_A_MAX + 10,
	.payload_len = 4,
	.error = -EINVAL,
	.ext_ack = "Unknown attribute type",
	.points_at_attr = true,
};

/* BH-MGMT-2: a command without request attributes takes none (the kernel's reject-all policy). */
FIXTURE_VARIANT_ADD(malformed, status_takes_no_attribute) {
	.cmd = BULKHEAD_CMD_STATUS_GET,
	.attr = BULKHEAD_A_MODE,
	.payload_len = 4,
	.error = -EINVAL,
	.ext_ack = "Unknown attribute type",
	.points_at_attr = true,
};

/* BH-MGMT-2: an attribute within the command's policy that the command does not take. */
FIXTURE_VARIANT_ADD(malformed, mode_unsupported_attribute) {
	.cmd = BULKHEAD_CMD_MODE_SET,
	.attr = BULKHEAD_A_ABI,
	.payload_len = 4,
	.error = -EINVAL,
	.ext_ack = "Unsupported attribute",
	.points_at_attr = true,
};

/* BH-MGMT-2 */
FIXTURE_VARIANT_ADD(malformed, mode_missing) {
	.cmd = BULKHEAD_CMD_MODE_SET,
	.error = -EINVAL,
	.ext_ack = "BULKHEAD_A_MODE is required",
};

/* BH-MGMT-2 */
FIXTURE_VARIANT_ADD(malformed, mode_wrong_type) {
	.cmd = BULKHEAD_CMD_MODE_SET,
	.attr = BULKHEAD_A_MODE,
	.payload_len = 1,
	.error = -EINVAL,
	.ext_ack = "invalid attribute length",
	.points_at_attr = true,
};

/* BH-MGMT-2 */
FIXTURE_VARIANT_ADD(malformed, mode_out_of_range) {
	.cmd = BULKHEAD_CMD_MODE_SET,
	.attr = BULKHEAD_A_MODE,
	.payload_len = 4,
	.error = -ERANGE,
	.ext_ack = "out of range",
	.points_at_attr = true,
};

/* BH-MGMT-2: every class of malformed request is refused, explained, and changes nothing. */
TEST_F(malformed, request_refused)
{
	struct nl_msg *msg = bh_genl_msg(&self->g, variant->cmd, 0);
	char payload[64];

	ASSERT_NE(NULL, msg);
	memset(payload, 7, sizeof(payload));
	if (variant->attr)
		ASSERT_EQ(0, nla_put(msg, variant->attr, variant->payload_len, payload));
	EXPECT_EQ(variant->error, bh_genl_call(&self->g, msg, NULL, NULL));
	EXPECT_NE(0, strlen(self->g.ext_ack)) {
		TH_LOG("no extended-ACK message");
	}
	EXPECT_NE(NULL, strstr(self->g.ext_ack, variant->ext_ack)) {
		TH_LOG("ext-ack \"%s\" lacks \"%s\"", self->g.ext_ack, variant->ext_ack);
	}
	if (variant->points_at_attr)
		EXPECT_LE(0, self->g.bad_attr_offset);
	EXPECT_EQ(BULKHEAD_MODE_AUDIT, current_mode());
}

/* BH-MGMT-1: a well-formed mode change takes effect. */
TEST_F(family, mode_set_takes_effect)
{
	EXPECT_EQ(0, set_mode(&self->g, BULKHEAD_MODE_ENFORCE));
	EXPECT_EQ(BULKHEAD_MODE_ENFORCE, current_mode());
	EXPECT_EQ(0, set_mode(&self->g, BULKHEAD_MODE_OFF));
	EXPECT_EQ(BULKHEAD_MODE_OFF, current_mode());
}

/*
 * Run @fn as user nobody in a child (with a socket opened after dropping privileges, since
 * the kernel checks the opener's credentials) and return its exit status.
 */
static int as_nobody(int (*fn)(struct bh_genl *g, char *ext_ack, size_t len), char *ext_ack,
		     size_t len)
{
	int pipefd[2], status;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct bh_genl g;
		char msg[256] = "";
		int ret;

		close(pipefd[0]);
		if (become_nobody() || bh_genl_open(&g))
			_exit(100);
		ret = fn(&g, msg, sizeof(msg));
		if (write(pipefd[1], msg, strlen(msg)) < 0)
			_exit(101);
		_exit(ret);
	}
	close(pipefd[1]);
	memset(ext_ack, 0, len);
	if (read(pipefd[0], ext_ack, len - 1) < 0)
		ext_ack[0] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int nobody_sets_enforce(struct bh_genl *g, char *ext_ack, size_t len)
{
	int err = set_mode(g, BULKHEAD_MODE_ENFORCE);

	snprintf(ext_ack, len, "%s", g->ext_ack);
	return err == -EPERM ? 0 : 1;
}

static int nobody_reads_status(struct bh_genl *g, char *ext_ack, size_t len)
{
	struct bh_status st;

	return bh_status_get(g, &st) == 0 && st.mode == BULKHEAD_MODE_AUDIT ? 0 : 1;
}

/* BH-MGMT-3: changing the mode needs CAP_MAC_ADMIN; the refusal says so and changes nothing. */
TEST_F(family, unprivileged_mode_change_refused)
{
	char ext_ack[256];

	EXPECT_EQ(0, as_nobody(nobody_sets_enforce, ext_ack, sizeof(ext_ack)));
	EXPECT_NE(NULL, strstr(ext_ack, "CAP_MAC_ADMIN")) {
		TH_LOG("ext-ack: \"%s\"", ext_ack);
	}
	EXPECT_EQ(BULKHEAD_MODE_AUDIT, current_mode());
}

/* BH-MGMT-3: status is readable by anyone. */
TEST_F(family, unprivileged_status_allowed)
{
	char ext_ack[256];

	EXPECT_EQ(0, as_nobody(nobody_reads_status, ext_ack, sizeof(ext_ack)));
}

TEST_HARNESS_MAIN
