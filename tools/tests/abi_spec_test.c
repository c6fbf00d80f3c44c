// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the uapi header agrees with the YNL spec (docs/netlink/bulkhead.yaml).
 * The build generates a uapi header from the spec with the kernel's ynl-gen-c.py, renames its
 * names to YNL_BULKHEAD_* and lists them (tools/vm/ynl.sh); every one must exist in the real
 * header with the same value. The *_MAX values make a command, attribute or hook missing from
 * either side a mismatch.
 */
#include <ctype.h>
#include <string.h>

#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>
#include "kselftest_harness.h"
#include "ynl_bulkhead.h"

struct number {
	const char *name;
	long long spec, header;
};

struct string {
	const char *name;
	const char *spec, *header;
};

static const struct number numbers[] = {
#define NUM(x) { #x, YNL_##x, x },
#define STR(x)
#include "ynl_names.h"
#undef NUM
#undef STR
};

static const struct string strings[] = {
#define NUM(x)
#define STR(x) { #x, YNL_##x, x },
#include "ynl_names.h"
#undef NUM
#undef STR
};

TEST(spec_values_equal_header_values)
{
	size_t i;

	ASSERT_LT(100, sizeof(numbers) / sizeof(numbers[0]));
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		const struct number *n = &numbers[i];

		EXPECT_EQ(n->spec, n->header)
			TH_LOG("%s: %lld in the spec, %lld in the header", n->name, n->spec,
			       n->header);
	}
}

TEST(spec_strings_equal_header_strings)
{
	size_t i;

	ASSERT_LE(2, sizeof(strings) / sizeof(strings[0]));
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		const struct string *s = &strings[i];

		EXPECT_STREQ(s->spec, s->header) TH_LOG("%s", s->name);
	}
}

/* BULKHEAD_HOOK_NAMES names each hook as the spec's hook enum does (file_open: FILE_OPEN). */
TEST(hook_names_follow_the_spec)
{
	static const char *const names[] = BULKHEAD_HOOK_NAMES;
	const char *prefix = "BULKHEAD_HOOK_";
	unsigned int checked = 0;
	size_t i, k;

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		const struct number *n = &numbers[i];
		char upper[64] = "";

		/* The hook enum's members, not its _MAX nor BULKHEAD_HOOK_NAME_LEN. */
		if (strncmp(n->name, prefix, strlen(prefix)) || strstr(n->name, "_MAX") ||
		    !strcmp(n->name, "BULKHEAD_HOOK_NAME_LEN"))
			continue;
		ASSERT_GT(sizeof(names) / sizeof(names[0]), (size_t)n->spec) TH_LOG("%s", n->name);
		for (k = 0; names[n->spec][k] && k < sizeof(upper) - 1; k++)
			upper[k] = toupper((unsigned char)names[n->spec][k]);
		EXPECT_STREQ(n->name + strlen(prefix), upper);
		checked++;
	}
	EXPECT_EQ(BULKHEAD_HOOK_MAX + 1, checked);
}

TEST(spec_counts_every_command_attribute_and_hook)
{
	EXPECT_EQ(YNL_BULKHEAD_CMD_MAX, BULKHEAD_CMD_MAX);
	EXPECT_EQ(YNL_BULKHEAD_A_MAX, BULKHEAD_A_MAX);
	EXPECT_EQ(YNL_BULKHEAD_A_OBJ_MAX, BULKHEAD_A_OBJ_MAX);
	EXPECT_EQ(YNL_BULKHEAD_A_HOOK_MAX, BULKHEAD_A_HOOK_MAX);
	EXPECT_EQ(YNL_BULKHEAD_HOOK_MAX, BULKHEAD_HOOK_MAX);
	EXPECT_EQ(YNL_BULKHEAD_MODE_MAX, BULKHEAD_MODE_MAX);
}

TEST_HARNESS_MAIN
