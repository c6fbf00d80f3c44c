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
#include "audit_select.h"
#include "status.h"
#include "when.h"

#define CLI_VERSION "0.1.0"

bool cli_quiet;

const struct cli_command cli_commands[] = {
	{ "load", cmd_load }, { "unload", cmd_unload }, { "status", cmd_status },
	{ "mode", cmd_mode }, { "lock", cmd_lock }, { "policy", cmd_policy },
	{ "domain", cmd_domain }, { "bind", cmd_bind }, { "unbind", cmd_unbind },
	{ "flow", cmd_flow }, { "grant", cmd_grant }, { "exclusive", cmd_exclusive },
	{ "switch", cmd_switch }, { "exec", cmd_exec }, { "audit", cmd_audit },
	{ "exchange", cmd_exchange }, { "guard", cmd_guard }, { "send", cmd_send },
	{ "selftest", cmd_selftest }, { "boot", cmd_boot },
};

const struct cli_usage_entry cli_usages[] = {
	{ "load", "[--module PATH] [--audit-slots N] [--selftest-fail TEST[,TEST...]]",
	  "Insert the module and attach, load and pin its BPF programs. Never enforces: the mode\n"
	  "stays off until 'bulkhead mode' changes it. Loading again repairs missing links. The\n"
	  "module runs its self-tests first and refuses to load when one fails;\n"
	  "--selftest-fail (for tests only) makes sha256, hmac or decide fail on purpose." },
	{ "boot", "[--config FILE]",
	  "What bulkhead.service runs at boot and on reload: load, then apply the policy file,\n"
	  "set the mode and lock as FILE (default /etc/bulkhead/bulkhead.conf) says; stops at\n"
	  "the first step that fails (see bulkhead(8), CONFIGURATION)." },
	{ "unload", "",
	  "Detach the programs, remove the pins and the module (refused once locked)." },
	{ "status", "[-j|-p]",
	  "Version, ABI, kernel, mode, lock, policy generation and hash, the last self-test's\n"
	  "result and time, and per hook whether it is attached, its calls and denials." },
	{ "mode", "[-j|-p] [off|audit|enforce]",
	  "Show or set what a decision against the policy does: nothing (off), record it\n"
	  "(audit), or deny and record it (enforce)." },
	{ "lock", "",
	  "Fix policy, mode and audit configuration until reboot; needs CAP_MAC_ADMIN and\n"
	  "CAP_AUDIT_CONTROL and every hook attached." },
	{ "selftest", "[-j|-p]",
	  "Run the module's self-tests again (SHA-256 and HMAC-SHA256 known answers, decisions on\n"
	  "a built-in policy) and record the result in the audit trail; needs CAP_AUDIT_CONTROL\n"
	  "or CAP_MAC_ADMIN. Exits 1 when a test failed." },
	{ "policy check", "[--live] FILE",
	  "Read FILE offline and report every error as FILE:LINE:COL. --live also checks what\n"
	  "the kernel would refuse on this host - bound cgroups, paths and interfaces that do not\n"
	  "exist, two targets naming one object, a locked module - without applying anything." },
	{ "policy apply", "FILE",
	  "Replace the policy in force in one transaction (a refusal leaves the old one)." },
	{ "policy diff", "FILE", "What apply would change: - only in the kernel, + only in FILE." },
	{ "policy show", "[-j|-p]", "The policy in force, in the language apply reads." },
	{ "domain", "add|del NAME | domain list [-j|-p] | domain show [-j|-p] NAME | domain of [-j|-p] PATH|pid PID|netdev IF",
	  "Add or delete a domain, list them, show one, or tell which domain a file, task or\n"
	  "interface belongs to." },
	{ "bind", "DOMAIN cgroup|path|netdev TARGET",
	  "Put a cgroup (its tasks), a path (its files) or an interface into DOMAIN." },
	{ "unbind", "cgroup|path|netdev TARGET", "Remove a binding." },
	{ "flow", "add FROM TO CHANNEL... [audit] | flow del FROM TO | flow list [-j|-p]",
	  "Let information go from FROM to TO over the channels named (file, exec, signal,\n"
	  "ptrace, unix, ipc, net); 'audit' records each use." },
	{ "grant", "add DOMAIN CAPABILITY... [audit] | grant del DOMAIN | grant list [-j|-p]",
	  "Let DOMAIN keep capabilities over shared state that domains otherwise lose\n"
	  "(sys_time, net_admin, ...); 'audit' records each use." },
	{ "exclusive", "add NAME DOMAIN... | exclusive del NAME | exclusive list [-j|-p]",
	  "A line selector: of the member domains only one is active; the others' tasks are\n"
	  "frozen and everything they do is denied." },
	{ "exchange list", "[-j|-p]",
	  "A guarded exchange: FROM's files reach TO only through GUARD's daemon, by an outbox\n"
	  "and an inbox. Exchanges are declared in a policy file and added by 'policy apply';\n"
	  "list shows every setting." },
	{ "exchange del", "NAME",
	  "Remove an exchange (its outbox and inbox domains with it). Exchanges are declared in\n"
	  "a policy file and added by 'policy apply'." },
	{ "switch", "DOMAIN", "Make DOMAIN the active member of its exclusive group." },
	{ "exec", "DOMAIN -- COMMAND [ARGS...]",
	  "Run COMMAND in DOMAIN (in the first cgroup bound to it)." },
	{ "audit stats", "[-j|-p]", "The sealed audit trail's counters and configuration." },
	{ "audit config", "[-j|-p] | audit config [failure drop|block|panic] [capacity N] [allows on|off] [export on|off]",
	  "Alone: the configuration, as auditctl -s shows its own. Otherwise set what happens\n"
	  "when the ring is full, its capacity, whether every allowed cross-domain operation is\n"
	  "recorded, and whether records are copied to the Linux audit subsystem." },
	{ "audit keygen", "",
	  "Print the trail's initial sealing key, once per module load; keep it off this host." },
	{ "audit tail", "[-f] [-j|-p] " CLI_AUDIT_FILTERS " [FILE...]",
	  "Print the records of the ring (-f: and follow it) or of trail FILEs, one a line;\n"
	  "-j one JSON array, with -f JSON lines. Filters (all must match): --domain either end\n"
	  "of the flow, --from its source, --to its destination, --subject the acting task's own\n"
	  "domain, --exchange a transfer's exchange, --path a prefix of the object's path,\n"
	  "--uid/--auid the subject's uid and login uid, --type, --decision, --hook and\n"
	  "--channel by name. WHEN: " BH_WHEN_FORMS "." },
	{ "audit report", "[-j|-p] [--summary] [--by KEY[,KEY...]]... " CLI_AUDIT_FILTERS " [FILE...]",
	  "Summarise the records audit tail would print for the same filters (aureport's role):\n"
	  "--summary the totals (the default), --by a table per KEY - pair, from, to, subject,\n"
	  "exchange, hook, channel, decision, uid, auid, hour, day - of how many decisions were\n"
	  "denied, would have been (audit mode), prevented or allowed. -j one JSON document." },
	{ "audit record", "--dir DIR [--fsync record|batch] [--rotate-size BYTES] [--disk-full wait|stop]",
	  "The recorder: append the ring's records to DIR/trail-NNNNNN, make them durable and\n"
	  "acknowledge them." },
	{ "audit verify", "--key HEX|--key-file FILE [--last SEQ] [-j|-p] FILE...",
	  "Check a recorded trail's sequence and seals: exits 0 verified, 1 tampered,\n"
	  "2 unverifiable." },
	{ "guard run", "--exchange NAME [--state-dir DIR] [--staging DIR] [--quarantine DIR] [--records FILE|-] [--interval S] [--once] | guard run --name NAME --outbox DIR --inbox DIR [--max-size BYTES] [--type MIME]... [--deny-pattern REGEX]... [--filter CMD] [--filter-timeout S] [--rate N/s] [--burst N] [--state-dir DIR] [--staging DIR] [--quarantine DIR] [--records FILE|-] [--interval S] [--once]",
	  "The exchange guard for one exchange: take each complete file from the sender's\n"
	  "outbox into its staging area, check the copy (size, type by content, deny patterns,\n"
	  "filter command), deliver it to the inbox or quarantine it, and record each transfer.\n"
	  "--exchange: an exchange of the kernel's policy, which gives its boxes and checks; the\n"
	  "guard reads it (as root in the host domain), opens the boxes and its netlink socket,\n"
	  "enters the exchange's guard domain and records into the sealed audit trail (and as\n"
	  "JSON lines with --records); a delivery whose record the trail cannot keep waits.\n"
	  "--name: one set on the command line, on a host without the kernel side, recorded as\n"
	  "JSON lines (stdout unless --records). --once does what is there and exits." },
	{ "guard status", "[-j|-p] [--state-dir DIR]",
	  "Per exchange: files pending, waiting, delivered, rejected, failed, bytes, where records\n"
	  "go, last error." },
	{ "send", "OUTBOX FILE...",
	  "Put each FILE into an exchange's OUTBOX under its own name, as a sender must: written\n"
	  "as .NAME.part, then renamed to NAME, never replacing a file still waiting there. The\n"
	  "sender's domain may write its outbox but not read it, so cp and mv (which stat their\n"
	  "destination) are refused there." },
};

const unsigned int cli_n_usages = sizeof(cli_usages) / sizeof(cli_usages[0]);

const unsigned int cli_n_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_command_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < cli_n_commands; i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}

/* Whether usage @u is one of the command @cmd's first word names ("audit" of "audit tail"). */
bool cli_usage_of(const struct cli_usage_entry *u, const char *cmd)
{
	size_t len = strcspn(cmd, " ");

	return !strncmp(u->name, cmd, len) && (u->name[len] == ' ' || !u->name[len]);
}

/*
 * The usages @cmd names: "audit tail" its own, "audit" (or a subcommand without a usage of
 * its own, "domain of") every one of the command's. Prints them with @about; how many.
 */
static unsigned int print_usages(FILE *out, const char *cmd, bool about)
{
	unsigned int i, n = 0;
	bool exact = false;

	for (i = 0; i < cli_n_usages; i++)
		exact |= !strcmp(cli_usages[i].name, cmd);
	for (i = 0; i < cli_n_usages; i++) {
		if (exact ? strcmp(cli_usages[i].name, cmd) : !cli_usage_of(&cli_usages[i], cmd))
			continue;
		fprintf(out, "%susage: bulkhead %s%s%s\n", n && about ? "\n" : "", cli_usages[i].name,
			*cli_usages[i].synopsis ? " " : "", cli_usages[i].synopsis);
		if (about)
			fprintf(out, "%s\n", cli_usages[i].about);
		n++;
	}
	return n;
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
	print_usages(stderr, cmd, false);
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
	      "       bulkhead help [COMMAND [SUBCOMMAND]]     (or COMMAND [SUBCOMMAND] --help)\n"
	      "commands:\n", out);
	for (i = 0; i < cli_n_usages; i++)
		fprintf(out, "  bulkhead %s%s%s\n", cli_usages[i].name, *cli_usages[i].synopsis ? " " : "",
			cli_usages[i].synopsis);
}

/* Help on @name, or on its subcommand @sub (NULL, or a word that is no subcommand: ignored). */
static int help(const char *name, const char *sub)
{
	char both[64];

	if (!name) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!cli_command_named(name)) {
		cli_error("help: no command '%s' (try 'bulkhead help')", name);
		return EXIT_USAGE;
	}
	snprintf(both, sizeof(both), "%s %s", name, sub ? sub : "");
	if (!sub || !print_usages(stdout, both, true))
		print_usages(stdout, name, true);
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
	const struct cli_command *c;

	argc = take_quiet(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(NULL, NULL);
	if (!strcmp(argv[1], "help"))
		return argc > 4 ? cli_usage("help", "one command at a time") :
				  help(argc > 2 ? argv[2] : NULL, argc > 3 ? argv[3] : NULL);
	/* The bash completion's question: what may follow these words (complete.c). */
	if (!strcmp(argv[1], "--complete"))
		return cli_complete(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bulkhead %s (netlink ABI %u)\n", CLI_VERSION, BULKHEAD_GENL_VERSION);
		return EXIT_OK;
	}
	c = cli_command_named(argv[1]);
	if (!c) {
		cli_error("unknown command '%s' (try 'bulkhead help')", argv[1]);
		return EXIT_USAGE;
	}
	/* Help never reaches the kernel, and is never taken for a name or a file. */
	if (asks_help(argc, argv))
		return help(c->name, argc > 2 ? argv[2] : NULL);
	return c->run(argc - 1, argv + 1);
}
