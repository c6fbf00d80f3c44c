// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: what the CLI prints - the JSON documents of the read commands that
 * need a kernel (their writers, fed here), the line a change prints, and -q/--quiet, which
 * silences that and is taken wherever -h is (these run on a host with no module).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "json_valid.h"
#include "parser.h"
#include "policy_json.h"
#include "run_cli.h"
#include "status.h"

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

static const char policy_text[] =
	"domain low { cgroup /low path \"/srv/low \\\"quoted\\\"\" netdev veth0 }\n"
	"domain high\ndomain red\ndomain green\n"
	"flow low -> high { file net } audit\n"
	"grant low { sys_time }\n"
	"exclusive line { red green }\n"
	"domain guard\n"
	"exchange low-high from green to high via guard { outbox /srv/low/out inbox /srv/high/in\n"
	"max-size 1024 type text/plain type text/ deny-pattern \"SECRET \\\"x\\\"\"\n"
	"filter \"/bin/scan -q\" filter-timeout 5 rate 2/s burst 4 shared-guard }\n";

static const char *running(const struct bh_policy *p, const char *member)
{
	return "running";
}

/* Each read command's JSON, from what its writer is given: the policy parsed, a status. */
static void write_document(struct json *j, int which, const struct bh_policy *p)
{
	struct bh_policy_id id = { .generation = 3 };
	struct bh_status st = { .version = "0.1.0", .abi = 1, .kernel = "6.1.0", .n_hooks = 1 };

	st.hooks[0] = (struct bh_hook_status){ .name = "file_open", .attached = true, .calls = 9 };
	switch (which) {
	case 0:
		bh_json_policy(j, p, &id, BULKHEAD_MODE_ENFORCE);	/* policy show */
		break;
	case 1:
		bh_json_domains(j, NULL, p);				/* domain list */
		break;
	case 2:
		bh_json_domain(j, &p->domains[0]);			/* domain show */
		break;
	case 3:
		bh_json_flows(j, NULL, p);				/* flow list */
		break;
	case 4:
		bh_json_grants(j, NULL, p);				/* grant list */
		break;
	case 5:
		bh_json_groups(j, NULL, p);				/* exclusive list */
		break;
	case 6:
		bh_json_exchanges(j, NULL, p);				/* exchange list */
		break;
	case 7:
		bh_json_status(j, &st, p, running);			/* status */
		break;
	default:
		bh_json_status(j, &st, NULL, running);		/* status, policy unreadable */
		break;
	}
}

/* BH-CLI-2: every read command's -j output is one JSON document; -p indents the same one. */
TEST(read_commands_print_one_document)
{
	enum json_style style;
	struct bh_policy p;
	struct json j;
	int which;

	bh_policy_init(&p);
	ASSERT_EQ(0, bh_parse_text(&p, "t.bh", policy_text, stderr));
	for (which = 0; which < 9; which++) {
		for (style = JSON_COMPACT; style <= JSON_PRETTY; style++) {
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);

			ASSERT_NE(NULL, out);
			json_init(&j, out, style);
			write_document(&j, which, &p);
			fclose(out);
			EXPECT_TRUE(json_one_document(buf)) TH_LOG("writer %d: %s", which, buf);
			/* Compact: one line. Indented: a line per member. */
			EXPECT_EQ(style == JSON_PRETTY, strchr(buf, '\n') != buf + len - 1) {
				TH_LOG("writer %d: %s", which, buf);
			}
			free(buf);
		}
	}
	bh_policy_free(&p);
}

/* BH-CLI-2: an exchange in JSON, every setting named (exchange list, policy show -j). */
TEST(exchange_json)
{
	struct bh_policy p;
	char *buf = NULL;
	size_t len = 0;
	struct json j;
	FILE *out;

	bh_policy_init(&p);
	ASSERT_EQ(0, bh_parse_text(&p, "t.bh", policy_text, stderr));
	out = open_memstream(&buf, &len);
	ASSERT_NE(NULL, out);
	json_init(&j, out, JSON_COMPACT);
	bh_json_exchanges(&j, NULL, &p);
	fclose(out);
	EXPECT_STREQ("[{\"name\":\"low-high\",\"from\":\"green\",\"to\":\"high\",\"guard\":\"guard\","
		     "\"outbox\":\"/srv/low/out\",\"inbox\":\"/srv/high/in\",\"max_size\":1024,"
		     "\"types\":[\"text/plain\",\"text/\"],\"deny_patterns\":[\"SECRET \\\"x\\\"\"],"
		     "\"filter\":\"/bin/scan -q\",\"filter_timeout\":5,\"rate\":2,\"burst\":4,"
		     "\"shared_guard\":true}]\n", buf);
	free(buf);
	bh_policy_free(&p);
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
QUIET(exchange_del, "exchange del %s low-high", 1);
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

/*
 * BH-CLI-1: "exchange del" refuses a name longer than an exchange's before it reaches the
 * kernel: cut to fit, it could name another exchange.
 */
TEST(exchange_del_name_checked)
{
	char out[1024];

	EXPECT_EQ(2, run_cli("exchange del abcdefghijklmnopqrstuvwx", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "an exchange name has at most 23 characters")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "not loaded")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
