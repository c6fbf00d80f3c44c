// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the CLI explains itself without a kernel. "bulkhead help [COMMAND
 * [SUBCOMMAND]]" and -h/--help anywhere among a command's words print that command's (or
 * subcommand's) usage and what it does, exit 0, and never reach the kernel or read a file
 * (these run on a host with no module).
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

HELP(top_level, "help", "bulkhead help [COMMAND [SUBCOMMAND]]");
HELP(top_level_option, "--help", "commands:");
HELP(command, "help policy", "usage: bulkhead policy apply FILE");
HELP(subcommand, "help policy check", "usage: bulkhead policy check [--live] FILE");
HELP(command_option, "policy apply --help", "usage: bulkhead policy apply FILE");
HELP(command_short_option, "flow add a b -h", "usage: bulkhead flow add FROM TO");
HELP(audit_tail_filters, "audit tail --help", "--hook H");
HELP(not_a_file_name, "policy check --help", "Read FILE offline");
HELP(audit_report, "audit report --by hook -h", "--by a table per KEY");
HELP(lock_never_sent, "lock --help", "Fix policy, mode and audit configuration");
HELP(guard, "guard run --exchange x --help", "The exchange guard for one exchange");
HELP(exchange, "help exchange", "usage: bulkhead exchange list [-j|-p]");
HELP(exchange_del, "exchange del low-high -h", "Exchanges are declared in");
HELP(exchange_listed, "--help", "bulkhead exchange del NAME");
HELP(guard_sources, "help guard run", "--exchange: an exchange of the kernel's policy, which gives its boxes and checks");
HELP(send, "help send", "usage: bulkhead send OUTBOX FILE...");

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

/*
 * BH-CLI-1: the top-level usage lists every option that exists, the audit filters and verify's
 * included; a subcommand's help is its own; a usage error repeats the subcommand's usage.
 */
TEST(usage_lists_every_option)
{
	static const char *const listed[] = {
		"bulkhead audit verify --key HEX|--key-file FILE [--last SEQ] [-j|-p] FILE...",
		"bulkhead audit tail [-f] [-j|-p] [--domain D] [--from D] [--to D] [--subject D] [--exchange X] [--type T] [--decision D] [--hook H] [--channel C] [--path PREFIX] [--pid P] [--uid U] [--auid U] [--since-seq N] [--until-seq N] [--since WHEN] [--until WHEN] [FILE...]",
		"bulkhead audit report [-j|-p] [--summary] [--by KEY[,KEY...]]... [--domain D]",
		"bulkhead policy check [--live] FILE",
		"bulkhead load [--module PATH] [--audit-slots N] [--selftest-fail TEST[,TEST...]]",
	};
	char out[8192];
	unsigned int i;

	EXPECT_EQ(0, run_cli("--help", out, sizeof(out)));
	for (i = 0; i < ARRAY_SIZE(listed); i++)
		EXPECT_NE(NULL, strstr(out, listed[i])) TH_LOG("line %u missing: %s", i, out);
	EXPECT_EQ(0, run_cli("audit tail --help", out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "audit record")) TH_LOG("%s", out);
	EXPECT_EQ(2, run_cli("audit tail --hook file_opn", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\nusage: bulkhead audit tail [-f]")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "audit verify")) TH_LOG("%s", out);
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
