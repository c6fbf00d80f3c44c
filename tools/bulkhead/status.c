// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "status", "mode" and "lock", the module's state.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "json.h"
#include "names.h"
#include "policy.h"
#include "policy_nl.h"
#include "status.h"

/*
 * Exclusive groups: the active member and whether each member's tasks are frozen, so that a
 * switch is visible in the status. @p is NULL when the caller may not read the policy.
 */
static void print_groups_text(const struct bh_policy *p)
{
	size_t i, k;

	if (!p) {
		printf("exclusive groups: not shown (reading the policy needs CAP_MAC_ADMIN)\n");
		return;
	}
	if (!p->n_groups)
		return;
	printf("exclusive groups:\n");
	for (i = 0; i < p->n_groups; i++) {
		printf("  %-20s active %s:", p->groups[i].name, p->groups[i].active);
		for (k = 0; k < p->groups[i].n_members; k++)
			printf(" %s (%s)", p->groups[i].members[k],
			       cli_frozen_state(p, p->groups[i].members[k]));
		printf("\n");
	}
}

static void print_text(const struct bh_status *st, const struct bh_policy *p)
{
	char selftest[128];
	unsigned int i;

	printf("bulkhead %s (netlink ABI %u) on kernel %s\n", st->version, st->abi, st->kernel);
	printf("mode: %s\n", bh_mode_name(st->mode));
	printf("locked: %s\n", st->locked ? "yes, until reboot" : "no");
	printf("policy: generation %llu sha256 %s\n", (unsigned long long)st->generation,
	       bh_hash_hex(st->policy_hash));
	bh_selftest_text(selftest, sizeof(selftest), &st->selftest);
	printf("self-test: %s\n", selftest);
	printf("hooks:\n");
	for (i = 0; i < st->n_hooks; i++)
		printf("  %-20s %-14s calls %-10" PRIu64 " denials %" PRIu64 "\n",
		       st->hooks[i].name, st->hooks[i].attached ? "attached" : "not-attached",
		       st->hooks[i].calls, st->hooks[i].denials);
	print_groups_text(p);
}

/* Connect and fetch the status; prints the reason and returns -1 on failure. */
static int fetch_status(struct bh_genl *g, struct bh_status *st)
{
	int err;

	if (cli_connect(g))
		return -1;
	err = bh_status_get(g, st);
	if (err) {
		cli_kernel_error(g, err, "status");
		bh_genl_close(g);
		return -1;
	}
	return 0;
}

int cmd_status(int argc, char **argv)
{
	struct bh_policy_id id;
	enum json_style json;
	struct bh_status st;
	struct bh_policy p;
	struct bh_genl g;
	struct json j;
	bool readable;

	if (cli_read_options("status", argc, argv, 0, &json) < 0)
		return EXIT_USAGE;
	if (fetch_status(&g, &st))
		return EXIT_FAIL;
	bh_policy_init(&p);
	readable = !bh_policy_fetch(&g, &p, &id);
	bh_genl_close(&g);
	json_init(&j, stdout, json);
	if (json)
		bh_json_status(&j, &st, readable ? &p : NULL, cli_frozen_state);
	else
		print_text(&st, readable ? &p : NULL);
	bh_policy_free(&p);
	return EXIT_OK;
}

int cmd_mode(int argc, char **argv)
{
	struct bh_status st;
	struct bh_genl g;
	int first, mode, ret, err;
	enum json_style json;

	first = cli_read_options("mode", argc, argv, 1, &json);
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc) {
		mode = bh_mode_parse(argv[first]);
		if (mode < 0)
			return cli_usage("mode", "unknown mode '%s' (expected off, audit or enforce)",
					 argv[first]);
		if (cli_connect(&g))
			return EXIT_FAIL;
		err = bh_mode_set(&g, mode);
		ret = err ? cli_kernel_error(&g, err, "mode") : EXIT_OK;
		bh_genl_close(&g);
		/* As "policy apply" says it. */
		if (!ret && !cli_quiet)
			printf("mode %s\n", bh_mode_name(mode));
		return ret;
	}
	if (cli_status(&st, "status"))
		return EXIT_FAIL;
	if (json) {
		struct json j;

		json_init(&j, stdout, json);
		json_object_begin(&j, NULL);
		json_string(&j, "mode", bh_mode_name(st.mode));
		json_object_end(&j);
	} else {
		printf("%s\n", bh_mode_name(st.mode));
	}
	return EXIT_OK;
}

int cmd_lock(int argc, char **argv)
{
	struct bh_status st;
	struct bh_genl g;
	int err;

	if (argc > 1)
		return cli_usage("lock", "unexpected argument '%s'", argv[1]);
	if (cli_connect(&g))
		return EXIT_FAIL;
	err = bh_lock(&g);
	if (err)
		cli_kernel_error(&g, err, "lock");
	bh_genl_close(&g);
	if (err)
		return EXIT_FAIL;
	if (!cli_quiet)
		printf("bulkhead locked until reboot: policy, mode and audit configuration are fixed, "
		       "the module and its BPF links stay\n");
	if (!cli_status(&st, "lock: status") && st.mode != BULKHEAD_MODE_ENFORCE)
		cli_error("lock: note: the mode is %s, and stays %s until reboot",
			  bh_mode_name(st.mode), bh_mode_name(st.mode));
	return EXIT_OK;
}
