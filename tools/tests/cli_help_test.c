// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the CLI explains itself without a kernel. "bulkhead help [COMMAND]"
 * and -h/--help anywhere among a command's words print that command's usage and what it does,
 * exit 0, and never reach the kernel or read a file (these run on a host with no module).
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "run_cli.h"

FIXTURE(help) {
	char out[4096];
};

FIXTURE_VARIANT(help) {
	const char *args;
	const char *says;
};

FIXTURE_SETUP(help)
{
}

FIXTURE_TEARDOWN(help)
{
}

#define HELP(name, a, s) FIXTURE_VARIANT_ADD(help, name) { .args = a, .says = s }

HELP(top_level, "help", "bulkhead help [COMMAND]");
HELP(top_level_option, "--help", "commands:");
HELP(command, "help policy", "usage: bulkhead policy check|apply|diff FILE");
HELP(command_option, "policy apply --help", "usage: bulkhead policy check|apply|diff FILE");
HELP(command_short_option, "flow add a b -h", "usage: bulkhead flow add FROM TO");
HELP(audit_tail_filters, "audit tail --help", "--hook H");
HELP(not_a_file_name, "policy check --help", "check: read FILE offline");
HELP(lock_never_sent, "lock --help", "Fix policy, mode and audit configuration");
HELP(guard, "guard run --exchange x --help", "run: the exchange guard for one exchange");
HELP(exchange, "help exchange", "usage: bulkhead exchange del NAME | exchange list [-j|-p]");
HELP(exchange_del, "exchange del low-high -h", "Exchanges are declared in a policy file");
HELP(exchange_listed, "--help", "bulkhead exchange del NAME");
HELP(guard_sources, "help guard", "--exchange: an exchange of the kernel's policy, which gives its boxes and checks");

/* BH-CLI-1: each prints the command's help and exits 0, with no module loaded. */
TEST_F(help, explains)
{
	EXPECT_EQ(0, run_cli(variant->args, self->out, sizeof(self->out))) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
	EXPECT_NE(NULL, strstr(self->out, variant->says)) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
	EXPECT_EQ(NULL, strstr(self->out, "not loaded")) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
}

/* BH-CLI-1: help for a command that does not exist is a usage error naming it. */
TEST(unknown_command)
{
	char out[1024];

	EXPECT_EQ(2, run_cli("help swtich", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no command 'swtich'")) TH_LOG("%s", out);
	EXPECT_EQ(2, run_cli("swtich a", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "unknown command 'swtich'")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
