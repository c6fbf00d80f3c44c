// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: command dispatch and the helpers every command shares.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/bulkhead.h>
#include "cli.h"
#include "status.h"

#define CLI_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{ "load", cmd_load, "load [--module PATH] [--audit-slots N]" },
	{ "unload", cmd_unload, "unload" },
	{ "status", cmd_status, "status [-j]" },
	{ "mode", cmd_mode, "mode [-j] [off|audit|enforce]" },
	{ "lock", cmd_lock, "lock" },
	{ "policy", cmd_policy, "policy check|apply|diff FILE | policy show [-j]" },
	{ "domain", cmd_domain, "domain add|del NAME | domain list [-j] | domain show [-j] NAME | domain of [-j] PATH|pid PID|netdev IF" },
	{ "bind", cmd_bind, "bind DOMAIN cgroup|path|netdev TARGET" },
	{ "unbind", cmd_unbind, "unbind cgroup|path|netdev TARGET" },
	{ "flow", cmd_flow, "flow add FROM TO CHANNEL... [audit] | flow del FROM TO | flow list [-j]" },
	{ "grant", cmd_grant, "grant add DOMAIN CAPABILITY... [audit] | grant del DOMAIN | grant list [-j]" },
	{ "exclusive", cmd_exclusive, "exclusive add NAME DOMAIN... | exclusive del NAME | exclusive list [-j]" },
	{ "switch", cmd_switch, "switch DOMAIN" },
	{ "exec", cmd_exec, "exec DOMAIN -- COMMAND [ARGS...]" },
	{ "audit", cmd_audit, "audit stats [-j] | audit config [failure drop|block|panic] [capacity N] [allows on|off] [export on|off] | audit keygen | audit tail [-f] [-j] [FILTER...] | audit record --dir DIR [--fsync record|batch] [--rotate-size BYTES] [--disk-full wait|stop] | audit verify --key HEX FILE..." },
};

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bulkhead: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	unsigned int i;
	va_list ap;

	fprintf(stderr, "bulkhead: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			fprintf(stderr, "usage: bulkhead %s\n", commands[i].synopsis);
	return EXIT_USAGE;
}

int cli_kernel_error(const struct bh_genl *g, int err, const char *what)
{
	if (g->ext_ack[0])
		cli_error("%s: %s: %s", what, strerror(-err), g->ext_ack);
	else
		cli_error("%s: %s", what, strerror(-err));
	return EXIT_FAIL;
}

int cli_connect(struct bh_genl *g)
{
	int err = bh_genl_open(g);
	char why[256];

	if (err == -ENOENT) {
		cli_error("the bulkhead module is not loaded (no generic netlink family \"%s\"); run 'bulkhead load'",
			  BULKHEAD_GENL_NAME);
		return -1;
	}
	if (err) {
		cli_error("cannot open a generic netlink socket: %s", strerror(-err));
		return -1;
	}
	if (bh_genl_abi_check(g->version, why, sizeof(why))) {
		cli_error("%s", why);
		bh_genl_close(g);
		return -1;
	}
	return 0;
}

int cli_status(struct bh_status *st, const char *what)
{
	struct bh_genl g;
	int err;

	if (cli_connect(&g))
		return -1;
	err = bh_status_get(&g, st);
	if (err)
		cli_kernel_error(&g, err, what);
	bh_genl_close(&g);
	return err ? -1 : 0;
}

int cli_read_options(const char *cmd, int argc, char **argv, int max_args, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+j", opts, NULL)) != -1) {
		if (c != 'j') {
			cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		*json = true;
	}
	if (argc - optind > max_args) {
		cli_usage(cmd, "unexpected argument '%s'", argv[optind + max_args]);
		return -1;
	}
	return optind;
}

int cli_copy_domain_name(struct nlattr **attrs, void *arg)
{
	if (!attrs[BULKHEAD_A_DOMAIN_NAME])
		return -EPROTO;
	snprintf(arg, BULKHEAD_NAME_LEN, "%s", (const char *)nla_data(attrs[BULKHEAD_A_DOMAIN_NAME]));
	return 0;
}

static void usage(FILE *out)
{
	unsigned int i;

	fputs("usage: bulkhead [--version] [--help] COMMAND [ARGS]\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  bulkhead %s\n", commands[i].synopsis);
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bulkhead %s (netlink ABI %u)\n", CLI_VERSION, BULKHEAD_GENL_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	cli_error("unknown command '%s' (try 'bulkhead --help')", argv[1]);
	return EXIT_USAGE;
}
