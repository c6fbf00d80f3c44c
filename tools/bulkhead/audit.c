// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit stats|config|keygen" - the audit trail's counters, its configuration
 * and the one-time hand-out of the initial sealing key. The trail itself is read by
 * "audit tail", "audit report" and "audit record" and checked by "audit verify".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>
#include "audit_cli.h"
#include "audit_read.h"
#include "audit_codec.h"
#include "audit_seal.h"
#include "cli.h"
#include "json.h"
#include "number.h"

static const struct {
	const char *name;
	int attr;
} counters[] = {
	{ "next_seq", BULKHEAD_A_AUDIT_NEXT_SEQ },
	{ "sealed", BULKHEAD_A_AUDIT_SEALED },
	{ "acknowledged", BULKHEAD_A_AUDIT_ACKED },
	{ "emitted", BULKHEAD_A_AUDIT_EMITTED },
	{ "delivered", BULKHEAD_A_AUDIT_DELIVERED },
	{ "lost", BULKHEAD_A_AUDIT_LOST },
	{ "prevented", BULKHEAD_A_AUDIT_PREVENTED },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

struct stats {
	uint64_t value[N_COUNTERS];
	uint32_t failure, capacity, slots, epoch;
	int key_taken, record_allows, export;
};

static int get_u32(struct nlattr **attrs, int attr, uint32_t *val)
{
	if (!attrs[attr])
		return -1;
	*val = nla_get_u32(attrs[attr]);
	return 0;
}

static int parse_stats(struct nlattr **attrs, void *arg)
{
	struct stats *st = arg;
	size_t i;

	for (i = 0; i < N_COUNTERS; i++)
		st->value[i] = attrs[counters[i].attr] ? nla_get_u64(attrs[counters[i].attr]) : 0;
	if (get_u32(attrs, BULKHEAD_A_AUDIT_FAILURE, &st->failure) ||
	    get_u32(attrs, BULKHEAD_A_AUDIT_CAPACITY, &st->capacity) ||
	    get_u32(attrs, BULKHEAD_A_AUDIT_SLOTS, &st->slots) ||
	    get_u32(attrs, BULKHEAD_A_AUDIT_EPOCH, &st->epoch) ||
	    !attrs[BULKHEAD_A_AUDIT_KEY_TAKEN])
		return -EPROTO;
	st->key_taken = nla_get_u8(attrs[BULKHEAD_A_AUDIT_KEY_TAKEN]);
	st->record_allows = attrs[BULKHEAD_A_AUDIT_RECORD_ALLOWS] &&
			    nla_get_u8(attrs[BULKHEAD_A_AUDIT_RECORD_ALLOWS]);
	st->export = attrs[BULKHEAD_A_AUDIT_EXPORT] && nla_get_u8(attrs[BULKHEAD_A_AUDIT_EXPORT]);
	return 0;
}

/* Send @cmd with no attributes and hand the reply to @cb; prints why not. */
static int request(int cmd, const char *what, bh_genl_reply_fn cb, void *arg)
{
	struct nl_msg *msg;
	struct bh_genl g;
	int err;

	if (cli_connect(&g))
		return EXIT_FAIL;
	msg = bh_genl_msg(&g, cmd, 0);
	err = msg ? bh_genl_call(&g, msg, cb, arg) : -ENOMEM;
	if (err)
		cli_kernel_error(&g, err, what);
	bh_genl_close(&g);
	return err ? EXIT_FAIL : EXIT_OK;
}

static const char *failure_name(unsigned int failure)
{
	const char *name = bh_audit_failure_name(failure);

	return name ? name : "?";
}

static int audit_stats(int argc, char **argv)
{
	enum json_style json;
	struct stats st;
	struct json j;
	size_t i;

	if (cli_read_options("audit stats", argc, argv, 0, &json) < 0)
		return EXIT_USAGE;
	if (request(BULKHEAD_CMD_AUDIT_STATS_GET, "audit stats", parse_stats, &st))
		return EXIT_FAIL;
	if (!json) {
		printf("failure mode: %s\ncapacity: %u of %u records\nrecorded allows: %s\n"
		       "export to the audit subsystem: %s\nkey epoch: %u\ninitial key: %s\n",
		       failure_name(st.failure), st.capacity, st.slots,
		       st.record_allows ? "every cross-domain one" : "audited flows only",
		       st.export ? "on (decisions as INTEGRITY_RULE)" : "off",
		       st.epoch,
		       st.key_taken ? "handed out" : "not taken yet (bulkhead audit keygen)");
		for (i = 0; i < N_COUNTERS; i++)
			printf("%s: %" PRIu64 "\n", counters[i].name, st.value[i]);
		return EXIT_OK;
	}
	json_init(&j, stdout, json);
	json_object_begin(&j, NULL);
	json_string(&j, "failure", failure_name(st.failure));
	json_u64(&j, "capacity", st.capacity);
	json_u64(&j, "slots", st.slots);
	json_u64(&j, "epoch", st.epoch);
	json_bool(&j, "key_taken", st.key_taken);
	json_bool(&j, "record_allows", st.record_allows);
	json_bool(&j, "export", st.export);
	for (i = 0; i < N_COUNTERS; i++)
		json_u64(&j, counters[i].name, st.value[i]);
	json_object_end(&j);
	return EXIT_OK;
}

/* "audit config [-j]" with nothing to set: the configuration, as "auditctl -s" shows its own. */
static int show_config(int argc, char **argv)
{
	enum json_style json;
	struct stats st;
	struct json j;

	if (cli_read_options("audit config", argc, argv, 0, &json) < 0)
		return EXIT_USAGE;
	if (request(BULKHEAD_CMD_AUDIT_STATS_GET, "audit config", parse_stats, &st))
		return EXIT_FAIL;
	if (!json) {
		printf("failure %s\ncapacity %u\nallows %s\nexport %s\n", failure_name(st.failure),
		       st.capacity, st.record_allows ? "on" : "off", st.export ? "on" : "off");
		return EXIT_OK;
	}
	json_init(&j, stdout, json);
	json_object_begin(&j, NULL);
	json_string(&j, "failure", failure_name(st.failure));
	json_u64(&j, "capacity", st.capacity);
	json_bool(&j, "allows", st.record_allows);
	json_bool(&j, "export", st.export);
	json_object_end(&j);
	return EXIT_OK;
}

/* After a change: the whole configuration now in force, on one line (unless -q). */
static int config_changed(void)
{
	struct stats st;

	if (cli_quiet)
		return EXIT_OK;
	if (request(BULKHEAD_CMD_AUDIT_STATS_GET, "audit config", parse_stats, &st))
		return EXIT_FAIL;
	printf("audit config: failure %s, capacity %u, allows %s, export %s\n",
	       failure_name(st.failure), st.capacity, st.record_allows ? "on" : "off",
	       st.export ? "on" : "off");
	return EXIT_OK;
}

/* "audit config [failure drop|block|panic] [capacity N] [allows on|off] [export on|off]" */
static int audit_config(int argc, char **argv)
{
	struct nl_msg *msg;
	struct bh_genl g;
	uint64_t n;
	int i, k, err;

	/* Options alone (-j, -p) ask to see it; show_config() names one it does not take. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		;
	if (i == argc)
		return show_config(argc, argv);
	if (argc < 3 || argc % 2 == 0)
		return cli_usage("audit config",
				 "expected failure drop|block|panic, capacity N, allows|export on|off");
	if (cli_connect(&g))
		return EXIT_FAIL;
	msg = bh_genl_msg(&g, BULKHEAD_CMD_AUDIT_CONFIG_SET, 0);
	if (!msg) {
		bh_genl_close(&g);
		return EXIT_FAIL;
	}
	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "failure")) {
			for (k = 0; k <= BULKHEAD_AUDIT_FAIL_MAX; k++)
				if (!strcmp(argv[i + 1], failure_name(k)))
					break;
			if (k > BULKHEAD_AUDIT_FAIL_MAX)
				goto usage;
			nla_put_u32(msg, BULKHEAD_A_AUDIT_FAILURE, k);
		} else if (!strcmp(argv[i], "allows") || !strcmp(argv[i], "export")) {
			if (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off"))
				goto usage;
			nla_put_u8(msg, !strcmp(argv[i], "allows") ? BULKHEAD_A_AUDIT_RECORD_ALLOWS :
				   BULKHEAD_A_AUDIT_EXPORT, !strcmp(argv[i + 1], "on"));
		} else if (!strcmp(argv[i], "capacity")) {
			if (bh_parse_uint(argv[i + 1], 1, UINT32_MAX, &n)) {
				nlmsg_free(msg);
				bh_genl_close(&g);
				return cli_usage("audit config", "capacity takes 1..%u records, not '%s'",
						 UINT32_MAX, argv[i + 1]);
			}
			nla_put_u32(msg, BULKHEAD_A_AUDIT_CAPACITY, n);
		} else {
			goto usage;
		}
	}
	err = bh_genl_call(&g, msg, NULL, NULL);
	if (err)
		cli_kernel_error(&g, err, "audit config");
	bh_genl_close(&g);
	return err ? EXIT_FAIL : config_changed();
usage:
	nlmsg_free(msg);
	bh_genl_close(&g);
	return cli_usage("audit config",
			 "bad setting '%s %s' (failure drop|block|panic, capacity N, allows|export on|off)",
			 argv[i], argv[i + 1]);
}

static int copy_key(struct nlattr **attrs, void *arg)
{
	if (!attrs[BULKHEAD_A_AUDIT_KEY] ||
	    nla_len(attrs[BULKHEAD_A_AUDIT_KEY]) != BULKHEAD_AUDIT_KEY_LEN)
		return -EPROTO;
	memcpy(arg, nla_data(attrs[BULKHEAD_A_AUDIT_KEY]), BULKHEAD_AUDIT_KEY_LEN);
	return 0;
}

/* The initial key, once: the module forgets it. Keep it away from this host. */
static int audit_keygen(int argc, char **argv)
{
	unsigned char key[BULKHEAD_AUDIT_KEY_LEN];
	char text[2 * BULKHEAD_AUDIT_KEY_LEN + 1];

	if (argc != 1)
		return cli_usage("audit keygen", "unexpected argument '%s'", argv[1]);
	if (request(BULKHEAD_CMD_AUDIT_KEY_TAKE, "audit keygen", copy_key, key))
		return EXIT_FAIL;
	bh_audit_key_format(text, key);
	printf("%s\n", text);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(text, sizeof(text));
	return EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "stats", audit_stats },
		{ "config", audit_config },
		{ "keygen", audit_keygen },
		{ "tail", cli_audit_tail },
		{ "report", cli_audit_report },
		{ "record", cli_audit_record },
		{ "verify", cli_audit_verify },
	};
	size_t i;

	if (argc < 2)
		return cli_usage("audit", "expected stats, config, keygen, tail, report, record or verify");
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage("audit", "unknown subcommand '%s'", argv[1]);
}
