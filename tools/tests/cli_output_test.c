// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: what the CLI prints after a change, and -q/--quiet, which silences
 * that and is taken wherever -h is (these run on a host with no module).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "policy_nl.h"
#include "run_cli.h"

/* BH-CLI-2: a change says what it did and the policy it made, on one line. */
TEST(change_line)
{
	char *words[] = { "low", "high", "file", "net", "audit", NULL };
	struct bh_policy_id id = { .generation = 8 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ASSERT_NE(NULL, out);
	memset(id.hash, 0xab, sizeof(id.hash));
	bh_change_print(out, "flow add", words, &id);
	fclose(out);
	EXPECT_STREQ("flow add low high file net audit: policy generation 8, sha256 "
		     "abababababababababababababababababababababababababababababababab\n", buf);
	free(buf);
}

FIXTURE(quiet) {
	char out[4096];
};

FIXTURE_VARIANT(quiet) {
	const char *args;	/* "%s" where -q goes */
	int status;		/* with no module: 1 for what needs the kernel */
};

FIXTURE_SETUP(quiet)
{
}

FIXTURE_TEARDOWN(quiet)
{
}

#define QUIET(name, a, s) FIXTURE_VARIANT_ADD(quiet, name) { .args = a, .status = s }

QUIET(first, "%s domain add web", 1);
QUIET(domain_add, "domain add web %s", 1);
QUIET(domain_del, "domain %s del web", 1);
QUIET(bind, "bind web path /srv %s", 1);
QUIET(unbind, "unbind %s path /srv", 1);
QUIET(flow_add, "flow add a b file %s", 1);
QUIET(flow_add_long, "flow add a b --quiet file %s", 1);
QUIET(flow_del, "flow del a b %s", 1);
QUIET(grant_add, "grant add a sys_time %s", 1);
QUIET(exclusive_add, "exclusive add g a b %s", 1);
QUIET(switch, "switch %s green", 1);
QUIET(mode, "mode enforce %s", 1);
QUIET(audit_config, "audit config failure drop %s", 1);
QUIET(policy_check, "policy check examples/diode.bh %s", 0);
QUIET(lock, "lock %s", 1);

/* BH-CLI-2: -q is the CLI's: never an unknown option, a channel or a name to the command. */
TEST_F(quiet, accepted_where_help_is)
{
	char args[256];

	snprintf(args, sizeof(args), variant->args, "-q");
	EXPECT_EQ(variant->status, run_cli(args, self->out, sizeof(self->out))) {
		TH_LOG("%s: %s", args, self->out);
	}
	if (variant->status)
		EXPECT_NE(NULL, strstr(self->out, "not loaded")) TH_LOG("%s: %s", args, self->out);
}

TEST_HARNESS_MAIN
