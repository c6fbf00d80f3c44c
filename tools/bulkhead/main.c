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
#include "json.h"
#include "status.h"
#include "when.h"

#define CLI_VERSION "0.1.0"

bool cli_quiet;

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
	const char *about;	/* what "bulkhead help NAME" adds to the synopsis */
};

static const struct command commands[] = {
	{ "load", cmd_load, "load [--module PATH] [--audit-slots N]",
	  "Insert the module and attach, load and pin its BPF programs. Never enforces: the mode\n"
	  "stays off until 'bulkhead mode' changes it. Loading again repairs missing links." },
	{ "unload", cmd_unload, "unload",
	  "Detach the programs, remove the pins and the module (refused once locked)." },
	{ "status", cmd_status, "status [-j|-p]",
	  "Version, ABI, kernel, mode, lock, policy generation and hash, and per hook whether it\n"
	  "is attached, its calls and denials." },
	{ "mode", cmd_mode, "mode [-j|-p] [off|audit|enforce]",
	  "Show or set what a decision against the policy does: nothing (off), record it\n"
	  "(audit), or deny and record it (enforce)." },
	{ "lock", cmd_lock, "lock",
	  "Fix policy, mode and audit configuration until reboot; needs CAP_MAC_ADMIN and\n"
	  "CAP_AUDIT_CONTROL and every hook attached." },
	{ "policy", cmd_policy, "policy check|apply|diff FILE | policy show [-j|-p]",
	  "check: read FILE offline and report every error as FILE:LINE:COL. apply: replace the\n"
	  "policy in force in one transaction (a refusal leaves the old one). diff: what apply\n"
	  "would change. show: the policy in force, in the language apply reads." },
	{ "domain", cmd_domain, "domain add|del NAME | domain list [-j|-p] | domain show [-j|-p] NAME | domain of [-j|-p] PATH|pid PID|netdev IF",
	  "Add or delete a domain, list them, show one, or tell which domain a file, task or\n"
	  "interface belongs to." },
	{ "bind", cmd_bind, "bind DOMAIN cgroup|path|netdev TARGET",
	  "Put a cgroup (its tasks), a path (its files) or an interface into DOMAIN." },
	{ "unbind", cmd_unbind, "unbind cgroup|path|netdev TARGET", "Remove a binding." },
	{ "flow", cmd_flow, "flow add FROM TO CHANNEL... [audit] | flow del FROM TO | flow list [-j|-p]",
	  "Let information go from FROM to TO over the channels named (file, exec, signal,\n"
	  "ptrace, unix, ipc, net); 'audit' records each use." },
	{ "grant", cmd_grant, "grant add DOMAIN CAPABILITY... [audit] | grant del DOMAIN | grant list [-j|-p]",
	  "Let DOMAIN keep capabilities over shared state that domains otherwise lose\n"
	  "(sys_time, net_admin, ...); 'audit' records each use." },
	{ "exclusive", cmd_exclusive, "exclusive add NAME DOMAIN... | exclusive del NAME | exclusive list [-j|-p]",
	  "A line selector: of the member domains only one is active; the others' tasks are\n"
	  "frozen and everything they do is denied." },
	{ "exchange", cmd_exchange, "exchange del NAME | exchange list [-j|-p]",
	  "A guarded exchange: FROM's files reach TO only through GUARD's daemon, by an outbox\n"
	  "and an inbox. Exchanges are declared in a policy file and added by 'policy apply';\n"
	  "del removes one (its outbox and inbox domains with it), list shows every setting." },
	{ "switch", cmd_switch, "switch DOMAIN",
	  "Make DOMAIN the active member of its exclusive group." },
	{ "exec", cmd_exec, "exec DOMAIN -- COMMAND [ARGS...]",
	  "Run COMMAND in DOMAIN (in the first cgroup bound to it)." },
	{ "audit", cmd_audit, "audit stats [-j|-p] | audit config [-j|-p] | audit config [failure drop|block|panic] [capacity N] [allows on|off] [export on|off] | audit keygen | audit tail [-f] [-j|-p] [FILTER...] | audit record --dir DIR [--fsync record|batch] [--rotate-size BYTES] [--disk-full wait|stop] | audit verify --key HEX|--key-file FILE [--last SEQ] [-j|-p] FILE...",
	  "The sealed audit trail; config alone shows the configuration. tail filters (all\n"
	  "must match): --domain D (either end), --from D, --to D, --type T, --decision D,\n"
	  "--hook H, --channel C, --path PREFIX, --pid P, --uid U, --auid U, --since-seq N,\n"
	  "--until-seq N, --since WHEN, --until WHEN. WHEN: " BH_WHEN_FORMS ".\n"
	  "-j: one JSON array; with -f, JSON lines.\n"
	  "verify exits 0 verified, 1 tampered, 2 unverifiable." },
	{ "guard", cmd_guard, "guard run --exchange NAME [--state-dir DIR] [--staging DIR] [--quarantine DIR] [--records FILE|-] [--interval S] [--once] | guard run --name NAME --outbox DIR --inbox DIR [--max-size BYTES] [--type MIME]... [--deny-pattern REGEX]... [--filter CMD] [--filter-timeout S] [--rate N/s] [--burst N] [--state-dir DIR] [--staging DIR] [--quarantine DIR] [--records FILE|-] [--interval S] [--once] | guard status [-j|-p] [--state-dir DIR]",
	  "run: the exchange guard for one exchange - take each complete file from the sender's\n"
	  "outbox into its staging area, check the copy (size, type by content, deny patterns,\n"
	  "filter command), deliver it to the inbox or quarantine it, and record each transfer.\n"
	  "--exchange: an exchange of the kernel's policy, which gives its boxes and checks; the\n"
	  "guard reads it (as root in the host domain), enters the exchange's guard domain and\n"
	  "records into the sealed audit trail (and as JSON lines with --records); a delivery\n"
	  "whose record the trail cannot keep waits. --name: one set on the command line, on a\n"
	  "host without the kernel side, recorded as JSON lines (stdout unless --records).\n"
	  "--once does what is there and exits. status: per exchange, files pending, waiting,\n"
	  "delivered, rejected, failed, bytes, where records go, last error." },
	{ "send", cmd_send, "send OUTBOX FILE...",
	  "Put each FILE into an exchange's OUTBOX under its own name, as a sender must: written\n"
	  "as .NAME.part, then renamed to NAME, never replacing a file still waiting there. The\n"
	  "sender's domain may write its outbox but not read it, so cp and mv (which stat their\n"
	  "destination) are refused there." },
};

static const struct command *command_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

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
	va_list ap;

	fprintf(stderr, "bulkhead: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (command_named(cmd))
		fprintf(stderr, "usage: bulkhead %s\n", command_named(cmd)->synopsis);
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

void cli_json_option(int c, enum json_style *json)
{
	if (c == 'p' || *json != JSON_PRETTY)
		*json = c == 'p' ? JSON_PRETTY : JSON_COMPACT;
}

int cli_read_options(const char *cmd, int argc, char **argv, int max_args,
		     enum json_style *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = JSON_NONE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jp", opts, NULL)) != -1) {
		if (c != 'j' && c != 'p') {
			cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		cli_json_option(c, json);
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

	fputs("usage: bulkhead [--version] [--help] [-q|--quiet] COMMAND [ARGS]\n"
	      "       bulkhead help [COMMAND]     (or COMMAND --help)\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  bulkhead %s\n", commands[i].synopsis);
}

static int help(const char *name)
{
	const struct command *c;

	if (!name) {
		usage(stdout);
		return EXIT_OK;
	}
	c = command_named(name);
	if (!c) {
		cli_error("help: no command '%s' (try 'bulkhead help')", name);
		return EXIT_USAGE;
	}
	printf("usage: bulkhead %s\n\n%s\n", c->synopsis, c->about);
	return EXIT_OK;
}

/*
 * Take -q/--quiet out of the words before "--", wherever it is, as -h is found: it is the
 * CLI's, not the command's. Returns the new argc; argv stays NULL-terminated.
 */
static int take_quiet(int argc, char **argv)
{
	int i, to = 1;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			cli_quiet = true;
		else
			argv[to++] = argv[i];
	}
	while (i <= argc)
		argv[to++] = argv[i++];
	return to - 1;
}

/* -h or --help among a command's words (before "--", after which they are another's). */
static bool asks_help(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const struct command *c;

	argc = take_quiet(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(NULL);
	if (!strcmp(argv[1], "help"))
		return argc > 3 ? cli_usage("help", "one command at a time") :
				  help(argc == 3 ? argv[2] : NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bulkhead %s (netlink ABI %u)\n", CLI_VERSION, BULKHEAD_GENL_VERSION);
		return EXIT_OK;
	}
	c = command_named(argv[1]);
	if (!c) {
		cli_error("unknown command '%s' (try 'bulkhead help')", argv[1]);
		return EXIT_USAGE;
	}
	/* Help never reaches the kernel, and is never taken for a name or a file. */
	if (asks_help(argc, argv))
		return help(c->name);
	return c->run(argc - 1, argv + 1);
}
