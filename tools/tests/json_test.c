// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host unit tests: the JSON writer every -j command uses.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "json.h"

FIXTURE(writer) {
	char *buf;
	size_t len;
	FILE *out;
	struct json j;
};

FIXTURE_SETUP(writer)
{
	self->out = open_memstream(&self->buf, &self->len);
	ASSERT_NE(NULL, self->out);
	json_init(&self->j, self->out, JSON_COMPACT);
}

FIXTURE_TEARDOWN(writer)
{
	free(self->buf);
}

/* BH-CLI-1 */
TEST_F(writer, nested_members_and_separators)
{
	json_object_begin(&self->j, NULL);
	json_string(&self->j, "a", "x");
	json_u64(&self->j, "n", 18446744073709551615ULL);
	json_array_begin(&self->j, "list");
	json_object_begin(&self->j, NULL);
	json_bool(&self->j, "t", true);
	json_object_end(&self->j);
	json_object_begin(&self->j, NULL);
	json_bool(&self->j, "f", false);
	json_object_end(&self->j);
	json_array_end(&self->j);
	json_array_begin(&self->j, "empty");
	json_array_end(&self->j);
	json_object_end(&self->j);
	fclose(self->out);
	EXPECT_STREQ("{\"a\":\"x\",\"n\":18446744073709551615,\"list\":[{\"t\":true},{\"f\":false}],\"empty\":[]}\n",
		     self->buf);
}

/* BH-CLI-1: strings from the kernel or the user cannot break the document. */
TEST_F(writer, strings_escaped)
{
	json_object_begin(&self->j, NULL);
	json_string(&self->j, "k\"ey", "q\" b\\ n\n t\t c\x01 d\x7f");
	json_object_end(&self->j);
	fclose(self->out);
	EXPECT_STREQ("{\"k\\\"ey\":\"q\\\" b\\\\ n\\n t\\t c\\u0001 d\\u007f\"}\n", self->buf);
}

/* BH-CLI-2: -p indents the same document, two spaces a level; empty containers stay "[]". */
TEST(pretty_indents)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json j;

	ASSERT_NE(NULL, out);
	json_init(&j, out, JSON_PRETTY);
	json_object_begin(&j, NULL);
	json_string(&j, "a", "x");
	json_array_begin(&j, "list");
	json_object_begin(&j, NULL);
	json_bool(&j, "t", true);
	json_object_end(&j);
	json_u64(&j, NULL, 2);
	json_array_end(&j);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_object_end(&j);
	fclose(out);
	EXPECT_STREQ("{\n"
		     "  \"a\": \"x\",\n"
		     "  \"list\": [\n"
		     "    {\n"
		     "      \"t\": true\n"
		     "    },\n"
		     "    2\n"
		     "  ],\n"
		     "  \"empty\": []\n"
		     "}\n", buf);
	free(buf);
}

TEST_HARNESS_MAIN
