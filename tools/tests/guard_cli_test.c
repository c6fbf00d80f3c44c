// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: "bulkhead guard run --once" and "guard status [-j]" as an
 * administrator types them, on the host: an exchange set on the command line (--name) needs no
 * module; one of the policy (--exchange) is refused with what it needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"
#include "run_cli.h"

FIXTURE(cli) {
	struct exchange x;
	char args[1024];
	char out[4096];
};

FIXTURE_SETUP(cli)
{
	exchange_setup(&self->x);
}

FIXTURE_TEARDOWN(cli)
{
	exchange_teardown(&self->x);
}

/* BH-EXCH-8: run once, then status in both forms from the state directory. */
TEST_F(cli, run_once_then_status)
{
	ASSERT_EQ(0, put_file(self->x.outbox, "ok.txt", "ok\n", 3));
	ASSERT_EQ(0, put_file(self->x.outbox, "no.txt", "classified\n", 11));
	snprintf(self->args, sizeof(self->args),
		 "guard run --once --name low-high --outbox %s --inbox %s --state-dir %s/state "
		 "--type text/plain --deny-pattern classified --max-size 1000 --filter true "
		 "--rate 100/s --records %s/records",
		 self->x.outbox, self->x.inbox, self->x.root, self->x.root);
	ASSERT_EQ(0, run_cli(self->args, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_files(self->x.inbox, 1));
	ASSERT_LT(0, get_file(self->x.root, "records", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "\"name\":\"ok.txt\",\"delivered_as\":\"ok.txt\""));
	EXPECT_NE(NULL, strstr(self->out, "\"verdict\":\"rejected\",\"reason\":\"deny-pattern:1\""));

	ASSERT_EQ(0, put_file(self->x.outbox, "later.txt", "l\n", 2));
	snprintf(self->args, sizeof(self->args), "guard status -j --state-dir %s/state",
		 self->x.root);
	ASSERT_EQ(0, run_cli(self->args, self->out, sizeof(self->out)));
	EXPECT_STREQ("[{\"exchange\":\"low-high\",\"pending\":0,\"waiting\":1,\"delivered\":1,"
		     "\"rejected\":1,\"failed\":0,\"bytes\":3,\"records\":\"json\",\"last_error\":\"\"}]\n", self->out);
	snprintf(self->args, sizeof(self->args), "guard status --state-dir %s/state",
		 self->x.root);
	ASSERT_EQ(0, run_cli(self->args, self->out, sizeof(self->out)));
	EXPECT_STREQ("low-high: pending 0 waiting 1 delivered 1 rejected 1 failed 0 bytes 3 records json\n",
		     self->out);
}

FIXTURE(usage) {
	char out[4096];
};

FIXTURE_VARIANT(usage) {
	const char *args;
	int status;
	const char *says;
};

FIXTURE_SETUP(usage)
{
}

FIXTURE_TEARDOWN(usage)
{
	if (system("rm -rf /tmp/bh-guard-usage"))
		TH_LOG("cannot remove /tmp/bh-guard-usage");
}

#define USAGE(id, a, st, s) FIXTURE_VARIANT_ADD(usage, id) { .args = a, .status = st, .says = s }

USAGE(no_subcommand, "guard", 2, "expected run or status");
USAGE(missing_outbox, "guard run --name a --inbox /tmp", 2,
      "run needs --exchange NAME, or --name NAME with --outbox and --inbox");
USAGE(nothing_named, "guard run --once", 2, "run needs --exchange NAME, or --name NAME");
USAGE(exchange_and_name, "guard run --exchange a --name a", 2,
      "--exchange or --name: an exchange of the policy, or one set on the command line");
USAGE(exchange_with_check, "guard run --exchange a --max-size 10", 2,
      "--max-size: with --exchange the exchange's boxes and checks are the policy's (bulkhead policy show)");
USAGE(exchange_with_box, "guard run --outbox /tmp --exchange a", 2,
      "--outbox: with --exchange the exchange's boxes and checks are the policy's");
USAGE(exchange_without_module, "guard run --exchange a --state-dir /tmp/bh-guard-usage", 1,
      "the bulkhead module is not loaded");
USAGE(bad_rate, "guard run --rate 5/m", 2, "--rate: files a second, N or N/s, not '5/m'");
USAGE(bad_size, "guard run --max-size -1", 2, "--max-size: a number of bytes, not '-1'");
USAGE(bad_type, "guard run --type pdf", 2, "like text/plain or text/, not 'pdf'");
USAGE(bad_name, "guard run --name Bad --outbox /tmp --inbox /tmp --state-dir /tmp/bh-guard-usage",
      1, "exchange name \"Bad\": not [a-z0-9_-]{1,31}");
USAGE(missing_outbox_dir, "guard run --name a --outbox /nonexistent/out --inbox /tmp --state-dir /tmp/bh-guard-usage",
      1, "/nonexistent/out: No such file or directory");
USAGE(bad_pattern, "guard run --name a --outbox /tmp --inbox /var/tmp --deny-pattern 'a(' --state-dir /tmp/bh-guard-usage",
      1, "deny pattern 1 \"a(\": ");
USAGE(status_no_state, "guard status -j --state-dir /nonexistent/state", 0, "[]");

/* BH-CLI-1: every wrong argument is named, with the exit status of its kind. */
TEST_F(usage, refused)
{
	EXPECT_EQ(variant->status, run_cli(variant->args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, variant->says)) {
		TH_LOG("%s: %s", variant->args, self->out);
	}
}

TEST_HARNESS_MAIN
