// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host unit tests: mode names, the active-LSM list check and the ABI check.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include <linux/bulkhead.h>
#include "genl.h"
#include "names.h"

/* BH-CLI-1 */
TEST(mode_names_round_trip)
{
	int mode;

	for (mode = 0; mode <= BULKHEAD_MODE_MAX; mode++)
		EXPECT_EQ(mode, bh_mode_parse(bh_mode_name(mode)));
	EXPECT_STREQ("off", bh_mode_name(BULKHEAD_MODE_OFF));
	EXPECT_STREQ("audit", bh_mode_name(BULKHEAD_MODE_AUDIT));
	EXPECT_STREQ("enforce", bh_mode_name(BULKHEAD_MODE_ENFORCE));
}

/* BH-CLI-1 */
TEST(mode_parse_rejects_near_misses)
{
	EXPECT_EQ(-1, bh_mode_parse(""));
	EXPECT_EQ(-1, bh_mode_parse("Off"));
	EXPECT_EQ(-1, bh_mode_parse("enforcing"));
	EXPECT_EQ(-1, bh_mode_parse("of"));
	EXPECT_STREQ("unknown", bh_mode_name(BULKHEAD_MODE_MAX + 1));
}

/* BH-CLI-1: the BPF-LSM check matches whole list entries only. */
TEST(lsm_list_membership)
{
	EXPECT_TRUE(bh_lsm_list_has("lockdown,capability,landlock,yama,apparmor,bpf", "bpf"));
	EXPECT_TRUE(bh_lsm_list_has("bpf", "bpf"));
	EXPECT_TRUE(bh_lsm_list_has("bpf,capability\n", "bpf"));
	EXPECT_TRUE(bh_lsm_list_has("capability,bpf\n", "bpf"));
	EXPECT_FALSE(bh_lsm_list_has("", "bpf"));
	EXPECT_FALSE(bh_lsm_list_has("capability,bpfx,xbpf", "bpf"));
	EXPECT_FALSE(bh_lsm_list_has("capability,bp", "bpf"));
	EXPECT_FALSE(bh_lsm_list_has(",,", "bpf"));
}

/* BH-CLI-1: a module of another ABI is refused with both versions named. */
TEST(abi_mismatch_explained)
{
	char why[256] = "";

	EXPECT_EQ(0, bh_genl_abi_check(BULKHEAD_GENL_VERSION, why, sizeof(why)));
	EXPECT_EQ(-EPROTO, bh_genl_abi_check(BULKHEAD_GENL_VERSION + 1, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "version mismatch")) {
		TH_LOG("why: %s", why);
	}
	EXPECT_NE(NULL, strstr(why, "install a matching CLI and module"));
}

TEST_HARNESS_MAIN
