// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: numbers on the command line are read strictly - no sign, no spaces, no
 * wrap-around, the range named - in the library function and in the CLI commands that take
 * them (which must refuse before connecting to the kernel, so they run on the host).
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "number.h"
#include "run_cli.h"

/* BH-CLI-1: only plain decimal numbers within the range are read. */
TEST(parse_uint_strict)
{
	uint64_t v = 7;

	EXPECT_EQ(0, bh_parse_uint("0", 0, 10, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, bh_parse_uint("18446744073709551615", 0, UINT64_MAX, &v));
	EXPECT_EQ(UINT64_MAX, v);
	v = 7;
	EXPECT_EQ(-1, bh_parse_uint("18446744073709551616", 0, UINT64_MAX, &v));
	EXPECT_EQ(-1, bh_parse_uint("-1", 0, UINT64_MAX, &v));
	EXPECT_EQ(-1, bh_parse_uint("-18446744073709551600", 0, UINT64_MAX, &v));
	EXPECT_EQ(-1, bh_parse_uint("+5", 0, 10, &v));
	EXPECT_EQ(-1, bh_parse_uint(" 5", 0, 10, &v));
	EXPECT_EQ(-1, bh_parse_uint("5k", 0, 10, &v));
	EXPECT_EQ(-1, bh_parse_uint("", 0, 10, &v));
	EXPECT_EQ(-1, bh_parse_uint("11", 0, 10, &v));
	EXPECT_EQ(-1, bh_parse_uint("4294967297", 1, INT32_MAX, &v));
	EXPECT_EQ(7, v);
}

FIXTURE(cli) {
	char out[2048];
};

FIXTURE_VARIANT(cli) {
	const char *args;
	const char *message;
};

FIXTURE_SETUP(cli)
{
}

FIXTURE_TEARDOWN(cli)
{
}

#define REFUSED(name, a, m) FIXTURE_VARIANT_ADD(cli, name) { .args = a, .message = m }

REFUSED(query_pid_wraps, "domain of pid 4294967297", "pid takes 1..2147483647");
REFUSED(query_pid_negative, "domain of pid -1", "pid takes 1..2147483647");
REFUSED(query_netdev_long, "domain of netdev aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"an interface name has at most 15 characters");
REFUSED(load_slots_negative, "load --audit-slots -18446744073709551600",
	"--audit-slots takes 16..65536");
REFUSED(record_rotate_huge, "audit record --dir /tmp --rotate-size 99999999999999999999",
	"--rotate-size takes");
REFUSED(tail_pid_negative, "audit tail --pid -1", "--pid takes a number");
REFUSED(tail_seq_negative, "audit tail --since-seq -5", "--since-seq takes a number");
REFUSED(grant_unknown_cap, "grant add a chown", "'chown' is not a capability domains lose");
REFUSED(grant_no_cap, "grant add a", "expected add DOMAIN CAPABILITY... [audit]");

/* BH-CLI-1: each is refused with exit status 2 and a message naming the argument. */
TEST_F(cli, number_refused)
{
	EXPECT_EQ(2, run_cli(variant->args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, variant->message)) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
}

/* BH-CLI-1: a directory is no audit trail: refused with a message, never an empty answer. */
TEST(audit_tail_directory_refused)
{
	char out[1024];

	EXPECT_EQ(1, run_cli("audit tail /tmp", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "cannot read /tmp: Is a directory")) {
		TH_LOG("%s", out);
	}
}

TEST_HARNESS_MAIN
