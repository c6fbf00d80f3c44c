// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: the imperative commands - domain, bind, unbind, flow, grant, exclusive, exchange,
 * switch and exec. Each change is one transaction started from the active policy, like "policy
 * apply".
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "number.h"
#include "policy_json.h"
#include "policy_live.h"

/* One change: @build appends the objects to the TXN_ADD/TXN_DEL message. */
static int change(const char *what, int cmd, int (*build)(struct nl_msg *msg, char **args),
		  char **args)
{
	struct bh_policy_id id;
	struct bh_policy before;
	struct nlattr *objects;
	struct nl_msg *msg;
	struct bh_genl g;
	int ret, err;

	if (cli_connect(&g))
		return EXIT_FAIL;
	cli_fetch_policy_before_change(&g, &before);
	msg = bh_genl_msg(&g, cmd, 0);
	objects = msg ? nla_nest_start(msg, BULKHEAD_A_OBJECTS) : NULL;
	if (!objects || build(msg, args)) {
		nlmsg_free(msg);
		cli_error("%s: out of memory", what);
		ret = EXIT_FAIL;
		goto out;
	}
	nla_nest_end(msg, objects);
	err = bh_policy_change(&g, cmd, msg, &id);
	if (!err && !cli_quiet)
		bh_change_print(stdout, what, args, &id);
	ret = err ? cli_kernel_error(&g, err, what) : cli_freeze_follow(&g, &before);
out:
	bh_policy_free(&before);
	bh_genl_close(&g);
	return ret;
}

static int put_domain(struct nl_msg *msg, char **args)
{
	return bh_put_domain(msg, args[0]);
}

/* Parse "cgroup|path|netdev"; a usage error names the word. */
static int parse_kind(const char *cmd, const char *word)
{
	int kind = bh_binding_kind_parse(word);

	if (kind < 0)
		cli_usage(cmd, "unknown binding kind '%s' (expected cgroup, path or netdev)", word);
	return kind;
}

static int put_binding(struct nl_msg *msg, char **args)
{
	return bh_put_binding(msg, args[0], bh_binding_kind_parse(args[1]), args[2]);
}

static int put_unbinding(struct nl_msg *msg, char **args)
{
	return bh_put_binding(msg, NULL, bh_binding_kind_parse(args[0]), args[1]);
}

/* "KIND list [-j|-p]": @text prints the objects as text, @json as one JSON array. */
static int print_list(const char *cmd, int argc, char **argv,
		      void (*text)(const struct bh_policy *p),
		      void (*json)(struct json *j, const char *key, const struct bh_policy *p))
{
	enum json_style style;
	struct bh_policy p;
	struct json j;
	int ret;

	if (cli_read_options(cmd, argc, argv, 0, &style) < 0)
		return EXIT_USAGE;
	ret = cli_read_policy(&p);
	if (ret)
		return ret;
	json_init(&j, stdout, style);
	if (style)
		json(&j, NULL, &p);
	else
		text(&p);
	bh_policy_free(&p);
	return EXIT_OK;
}

static void print_domain(const struct bh_domain *d)
{
	size_t k;

	printf("%s (id %u)\n", d->name, d->id);
	for (k = 0; k < d->n_bindings; k++)
		printf("\t%s %s\n", bh_binding_kind_name(d->bindings[k].kind),
		       d->bindings[k].target);
}

static void print_domains(const struct bh_policy *p)
{
	size_t i;

	for (i = 0; i < p->n_domains; i++)
		print_domain(&p->domains[i]);
}

/* "domain of PATH", "domain of pid PID", "domain of netdev IFNAME" */
static int domain_of(int argc, char **argv)
{
	struct bh_genl g;
	struct nl_msg *msg;
	char name[BULKHEAD_NAME_LEN] = "";
	int err, ok, first;
	enum json_style json;
	struct json j;
	uint64_t pid;

	first = cli_read_options("domain of", argc, argv, 2, &json);
	if (first < 0)
		return EXIT_USAGE;
	argc -= first - 1;
	argv += first - 1;
	if (argc != 2 && argc != 3)
		return cli_usage("domain of", "expected PATH, pid PID or netdev IFNAME");
	/* Checked before connecting, so that a typing error never reaches the kernel. */
	if (argc == 3 && !strcmp(argv[1], "pid") && bh_parse_uint(argv[2], 1, INT32_MAX, &pid))
		return cli_usage("domain of", "pid takes 1..%d, not '%s'", INT32_MAX, argv[2]);
	if (argc == 3 && !strcmp(argv[1], "netdev") && strlen(argv[2]) >= IFNAMSIZ)
		return cli_usage("domain of", "an interface name has at most %d characters",
				 IFNAMSIZ - 1);
	if (cli_connect(&g))
		return EXIT_FAIL;
	msg = bh_genl_msg(&g, BULKHEAD_CMD_QUERY, 0);
	if (!msg) {
		bh_genl_close(&g);
		return EXIT_FAIL;
	}
	if (argc == 2)
		ok = !nla_put_string(msg, BULKHEAD_A_QUERY_PATH, argv[1]);
	else if (!strcmp(argv[1], "pid"))
		ok = !nla_put_u32(msg, BULKHEAD_A_QUERY_PID, pid);
	else if (!strcmp(argv[1], "netdev"))
		ok = !nla_put_string(msg, BULKHEAD_A_QUERY_IFNAME, argv[2]);
	else
		ok = -1;
	if (ok <= 0) {
		nlmsg_free(msg);
		bh_genl_close(&g);
		return ok < 0 ? cli_usage("domain of", "unknown selector '%s' (expected pid or netdev)",
					  argv[1]) : EXIT_FAIL;
	}
	err = bh_genl_call(&g, msg, cli_copy_domain_name, name);
	if (err) {
		cli_kernel_error(&g, err, "domain of");
	} else if (json) {
		json_init(&j, stdout, json);
		json_object_begin(&j, NULL);
		json_string(&j, "domain", name);
		json_object_end(&j);
	} else {
		printf("%s\n", name);
	}
	bh_genl_close(&g);
	return err ? EXIT_FAIL : EXIT_OK;
}

/* "domain show NAME [-j]": one domain and its bindings. */
static int domain_show(int argc, char **argv)
{
	const struct bh_domain *d;
	enum json_style json;
	struct bh_policy p;
	struct json j;
	int first, ret;

	first = cli_read_options("domain show", argc, argv, 1, &json);
	if (first < 0)
		return EXIT_USAGE;
	if (first == argc)
		return cli_usage("domain show", "which domain?");
	ret = cli_read_policy(&p);
	if (ret)
		return ret;
	d = bh_policy_domain(&p, argv[first]);
	if (!d) {
		cli_error("domain show: no domain '%s' in the active policy", argv[first]);
		ret = EXIT_FAIL;
	} else if (json) {
		json_init(&j, stdout, json);
		bh_json_domain(&j, d);
	} else {
		print_domain(d);
	}
	bh_policy_free(&p);
	return ret;
}

int cmd_domain(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return print_list("domain list", argc - 1, argv + 1, print_domains, bh_json_domains);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return domain_show(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "of"))
		return domain_of(argc - 1, argv + 1);
	if (argc == 3 && !strcmp(argv[1], "add"))
		return change("domain add", BULKHEAD_CMD_TXN_ADD, put_domain, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "del") && !strcmp(argv[2], BULKHEAD_HOST_DOMAIN))
		return cli_usage("domain del", "the host domain always exists and cannot be deleted");
	if (argc == 3 && !strcmp(argv[1], "del"))
		return change("domain del", BULKHEAD_CMD_TXN_DEL, put_domain, argv + 2);
	return cli_usage("domain", "expected add NAME, del NAME, list, show NAME or of ...");
}

int cmd_bind(int argc, char **argv)
{
	if (argc != 4)
		return cli_usage("bind", "expected DOMAIN cgroup|path|netdev TARGET");
	if (parse_kind("bind", argv[2]) < 0)
		return EXIT_USAGE;
	return change("bind", BULKHEAD_CMD_TXN_ADD, put_binding, argv + 1);
}

int cmd_unbind(int argc, char **argv)
{
	if (argc != 3)
		return cli_usage("unbind", "expected cgroup|path|netdev TARGET");
	if (parse_kind("unbind", argv[1]) < 0)
		return EXIT_USAGE;
	return change("unbind", BULKHEAD_CMD_TXN_DEL, put_unbinding, argv + 1);
}

/* args: FROM TO [CHANNEL...] [audit], NULL-terminated */
static int put_flow(struct nl_msg *msg, char **args)
{
	uint32_t channels = 0, flags = 0;
	char **a;

	for (a = args + 2; *a; a++) {
		if (!strcmp(*a, "audit"))
			flags |= BULKHEAD_FLOW_F_AUDIT;
		else
			channels |= bh_channel_parse(*a);
	}
	return bh_put_flow(msg, args[0], args[1], channels, flags);
}

static void print_flows(const struct bh_policy *p)
{
	unsigned int bit;
	size_t i;

	for (i = 0; i < p->n_flows; i++) {
		const struct bh_flow *f = &p->flows[i];

		printf("%s -> %s {", f->from, f->to);
		for (bit = 0; bit < 32; bit++)
			if (f->channels & (1U << bit))
				printf(" %s", bh_channel_name(bit));
		printf(" }%s\n", f->flags & BULKHEAD_FLOW_F_AUDIT ? " audit" : "");
	}
}

int cmd_flow(int argc, char **argv)
{
	int i;

	if (argc >= 2 && !strcmp(argv[1], "list"))
		return print_list("flow list", argc - 1, argv + 1, print_flows, bh_json_flows);
	if (argc == 4 && !strcmp(argv[1], "del"))
		return change("flow del", BULKHEAD_CMD_TXN_DEL, put_flow, argv + 2);
	if (argc < 5 || strcmp(argv[1], "add"))
		return cli_usage("flow", "expected add FROM TO CHANNEL... [audit], del FROM TO or list");
	for (i = 4; i < argc; i++)
		if (strcmp(argv[i], "audit") && bh_channel_parse(argv[i]) < 0)
			return cli_usage("flow", "unknown channel '%s' (expected file exec signal ptrace unix ipc net)",
					 argv[i]);
	return change("flow add", BULKHEAD_CMD_TXN_ADD, put_flow, argv + 2);
}

/* args: DOMAIN [CAPABILITY...] [audit], NULL-terminated */
static int put_grant(struct nl_msg *msg, char **args)
{
	uint64_t caps = 0;
	uint32_t flags = 0;
	char **a;

	for (a = args + 1; *a; a++) {
		if (!strcmp(*a, "audit"))
			flags |= BULKHEAD_GRANT_F_AUDIT;
		else
			caps |= 1ULL << bh_cap_parse(*a);
	}
	return bh_put_grant(msg, args[0], caps, flags);
}

static void print_grants(const struct bh_policy *p)
{
	unsigned int cap;
	size_t i;

	for (i = 0; i < p->n_grants; i++) {
		const struct bh_grant *g = &p->grants[i];

		printf("%s {", g->domain);
		for (cap = 0; cap < 64; cap++)
			if (g->caps & (1ULL << cap))
				printf(" %s", bh_cap_name(cap) ?: "?");
		printf(" }%s\n", g->flags & BULKHEAD_GRANT_F_AUDIT ? " audit" : "");
	}
}

/* The capabilities a grant may name, for usage messages. */
static const char *grantable_caps(void)
{
	static char list[512];
	size_t len = 0;
	int cap;

	for (cap = 0; cap < BULKHEAD_CAP_NAMES_LEN && len < sizeof(list); cap++)
		if (bh_cap_name(cap))
			len += snprintf(list + len, sizeof(list) - len, "%s%s", len ? " " : "",
					bh_cap_name(cap));
	return list;
}

int cmd_grant(int argc, char **argv)
{
	int i;

	if (argc >= 2 && !strcmp(argv[1], "list"))
		return print_list("grant list", argc - 1, argv + 1, print_grants, bh_json_grants);
	if (argc == 3 && !strcmp(argv[1], "del"))
		return change("grant del", BULKHEAD_CMD_TXN_DEL, put_grant, argv + 2);
	if (argc < 4 || strcmp(argv[1], "add"))
		return cli_usage("grant", "expected add DOMAIN CAPABILITY... [audit], del DOMAIN or list; capabilities: %s",
				 grantable_caps());
	for (i = 3; i < argc; i++)
		if (strcmp(argv[i], "audit") && bh_cap_parse(argv[i]) < 0)
			return cli_usage("grant", "'%s' is not a capability domains lose (expected one of: %s)",
					 argv[i], grantable_caps());
	return change("grant add", BULKHEAD_CMD_TXN_ADD, put_grant, argv + 2);
}

/* args: NAME [MEMBER...], NULL-terminated */
static int put_group(struct nl_msg *msg, char **args)
{
	char (*members)[BULKHEAD_NAME_LEN];
	size_t n = 0;
	int err;

	while (args[1 + n])
		n++;
	members = calloc(n + 1, sizeof(*members));
	if (!members)
		return -ENOMEM;
	for (n = 0; args[1 + n]; n++)
		snprintf(members[n], sizeof(members[n]), "%s", args[1 + n]);
	err = bh_put_group(msg, args[0], members, n);
	free(members);
	return err;
}

static void print_groups(const struct bh_policy *p)
{
	size_t i, k;

	for (i = 0; i < p->n_groups; i++) {
		const struct bh_group *g = &p->groups[i];

		printf("%s {", g->name);
		for (k = 0; k < g->n_members; k++)
			printf(" %s", g->members[k]);
		printf(" } active %s\n", g->active);
	}
}

int cmd_exclusive(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return print_list("exclusive list", argc - 1, argv + 1, print_groups, bh_json_groups);
	if (argc == 3 && !strcmp(argv[1], "del"))
		return change("exclusive del", BULKHEAD_CMD_TXN_DEL, put_group, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "add"))
		return change("exclusive add", BULKHEAD_CMD_TXN_ADD, put_group, argv + 2);
	return cli_usage("exclusive", "expected add NAME DOMAIN DOMAIN..., del NAME or list");
}

/* args: NAME, NULL-terminated; cmd_exchange() checked that it fits. */
static int put_exchange_name(struct nl_msg *msg, char **args)
{
	struct bh_exchange e = { 0 };

	snprintf(e.name, sizeof(e.name), "%s", args[0]);
	return bh_put_exchange(msg, &e);
}

static void print_exchanges(const struct bh_policy *p)
{
	size_t i;

	for (i = 0; i < p->n_exchanges; i++)
		bh_exchange_write(stdout, &p->exchanges[i]);
}

/* Exchanges are added by "policy apply": one takes too many settings for a command line. */
int cmd_exchange(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return print_list("exchange list", argc - 1, argv + 1, print_exchanges,
				  bh_json_exchanges);
	/* A longer name cut to fit could name another exchange. */
	if (argc == 3 && !strcmp(argv[1], "del") && strlen(argv[2]) >= BULKHEAD_EXCHANGE_NAME_LEN)
		return cli_usage("exchange", "an exchange name has at most %d characters, not '%s'",
				 BULKHEAD_EXCHANGE_NAME_LEN - 1, argv[2]);
	if (argc == 3 && !strcmp(argv[1], "del"))
		return change("exchange del", BULKHEAD_CMD_TXN_DEL, put_exchange_name, argv + 2);
	return cli_usage("exchange", "expected del NAME or list (policy apply adds exchanges)");
}

/* The exclusive group @domain belongs to, in @p, or NULL. */
static const struct bh_group *group_of(const struct bh_policy *p, const char *domain)
{
	size_t i, k;

	for (i = 0; i < p->n_groups; i++)
		for (k = 0; k < p->groups[i].n_members; k++)
			if (!strcmp(p->groups[i].members[k], domain))
				return &p->groups[i];
	return NULL;
}

int cmd_switch(int argc, char **argv)
{
	const struct bh_group *grp;
	struct bh_policy_id id;
	struct bh_policy p;
	struct nl_msg *msg;
	struct bh_genl g;
	int ret, err;

	if (argc != 2)
		return cli_usage("switch", "expected the DOMAIN to make active");
	if (cli_connect(&g))
		return EXIT_FAIL;
	ret = cli_fetch_policy(&g, &p, &id);
	if (ret) {
		bh_genl_close(&g);
		return ret;
	}
	grp = group_of(&p, argv[1]);
	if (!grp) {
		cli_error("switch: domain '%s' is not a member of any exclusive group", argv[1]);
		ret = EXIT_FAIL;
		goto out;
	}
	msg = bh_genl_msg(&g, BULKHEAD_CMD_SWITCH, 0);
	if (!msg || nla_put_string(msg, BULKHEAD_A_GROUP_NAME, grp->name) ||
	    nla_put_string(msg, BULKHEAD_A_DOMAIN_NAME, argv[1])) {
		nlmsg_free(msg);
		ret = EXIT_FAIL;
		goto out;
	}
	err = bh_genl_call(&g, msg, NULL, NULL);
	ret = err ? cli_kernel_error(&g, err, "switch") : EXIT_OK;
	/* A switch keeps the policy, and its generation, in force. */
	if (!ret && !cli_quiet)
		bh_change_print(stdout, "switch", argv + 1, &id);
	if (!ret)
		ret = cli_freeze_follow(&g, &p);
out:
	bh_policy_free(&p);
	bh_genl_close(&g);
	return ret;
}

int cli_join_domain(const struct bh_policy *p, const char *domain, const char *what)
{
	const struct bh_domain *d = bh_policy_domain(p, domain);
	char procs[4200];
	size_t k;
	int fd;

	for (k = 0; d && k < d->n_bindings; k++)
		if (d->bindings[k].kind == BULKHEAD_BIND_CGROUP)
			break;
	if (!d || k == d->n_bindings) {
		cli_error("%s: domain '%s' %s", what, domain,
			  d ? "has no cgroup binding to run in" : "does not exist");
		return EXIT_FAIL;
	}
	snprintf(procs, sizeof(procs), BH_CGROUP_ROOT "%s/cgroup.procs", d->bindings[k].target);
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		cli_error("%s: cannot join %s: %s", what, procs, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return EXIT_OK;
}

/* Move this process into @domain's first bound cgroup, then run the command. */
int cmd_exec(int argc, char **argv)
{
	struct bh_policy p;
	int ret;

	if (argc < 4 || strcmp(argv[2], "--"))
		return cli_usage("exec", "expected DOMAIN -- COMMAND [ARGS...]");
	ret = cli_read_policy(&p);
	if (ret)
		return ret;
	ret = cli_join_domain(&p, argv[1], "exec");
	bh_policy_free(&p);
	if (ret)
		return ret;
	execvp(argv[3], argv + 3);
	cli_error("exec: %s: %s", argv[3], strerror(errno));
	return EXIT_FAIL;
}
