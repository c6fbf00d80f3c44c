/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead CLI: what the command files share.
 */
#ifndef BULKHEAD_CLI_H
#define BULKHEAD_CLI_H

#include <stdbool.h>

#include "genl.h"

/* Exit statuses: success, the operation failed, the command line was wrong. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* -q/--quiet: changes do not print what they changed (errors are still printed). */
extern bool cli_quiet;

/* Print "bulkhead: " and the message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report a usage error for @cmd and return EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report a failed kernel request: what failed, errno text and the kernel's ext-ack message. */
int cli_kernel_error(const struct bh_genl *g, int err, const char *what);

/*
 * Connect to the module and check that it speaks this CLI's netlink ABI. Prints why not and
 * returns -1 when it cannot.
 */
int cli_connect(struct bh_genl *g);

/* Connect, fetch the module's status and close; prints why not and returns -1 on failure. */
struct bh_status;
int cli_status(struct bh_status *st, const char *what);

/*
 * Parse the options a read command takes (-j/--json, -p/--pretty: indented JSON) and no
 * positional argument beyond @max_args; returns the index of the first positional argument,
 * or -1 after a usage error.
 */
enum json_style;
int cli_read_options(const char *cmd, int argc, char **argv, int max_args,
		     enum json_style *json);

/* -j or -p (@c from getopt) onto *@json: -p wins, whichever comes first. */
void cli_json_option(int c, enum json_style *json);

struct bh_policy;
struct bh_policy_id;

/* Fetch the active policy into @p (initialised here); prints why not and returns EXIT_FAIL. */
int cli_fetch_policy(struct bh_genl *g, struct bh_policy *p, struct bh_policy_id *id);

/* cli_fetch_policy() on a connection of its own: connect, fetch, close. */
int cli_read_policy(struct bh_policy *p);

/*
 * The policy a change starts from, for the freezer to follow (cli_freeze_follow()); empty when
 * it cannot be read, and then the change itself reports why (a caller without CAP_MAC_ADMIN).
 */
void cli_fetch_policy_before_change(struct bh_genl *g, struct bh_policy *p);

/*
 * freeze.c: make the cgroup freezer follow the exclusive groups of @now - inactive members'
 * cgroups frozen, active ones thawed, and members of @before (may be NULL) that are no longer
 * inactive thawed. Prints what failed; 0 or -1.
 */
int cli_freeze_sync(const struct bh_policy *before, const struct bh_policy *now);

/* cli_freeze_sync() from @before to the policy now active; an exit status. */
int cli_freeze_follow(struct bh_genl *g, const struct bh_policy *before);

/* "frozen", "running", "partly-frozen" or "no-cgroup", from @name's cgroups' cgroup.events. */
const char *cli_frozen_state(const struct bh_policy *p, const char *name);

/*
 * Move this process into @domain's first bound cgroup, as "bulkhead exec" does; prints why
 * not (prefixed with @what) and returns EXIT_FAIL.
 */
int cli_join_domain(const struct bh_policy *p, const char *domain, const char *what);

/* A reply callback copying BULKHEAD_A_DOMAIN_NAME into a BULKHEAD_NAME_LEN buffer. */
int cli_copy_domain_name(struct nlattr **attrs, void *arg);

/* What "bulkhead COMMAND ..." runs (main.c). */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cli_commands[];
extern const unsigned int cli_n_commands;
const struct cli_command *cli_command_named(const char *name);

/*
 * The usage of a command, or of one subcommand where a command has several: what the top-level
 * usage lists (every option that exists), "bulkhead help COMMAND [SUBCOMMAND]" and -h print,
 * what a usage error repeats, and what the bash completion offers (complete.c).
 */
struct cli_usage_entry {
	const char *name;	/* "status", "audit tail" */
	const char *synopsis;	/* the words after the name */
	const char *about;	/* what help adds to the synopsis */
};

extern const struct cli_usage_entry cli_usages[];
extern const unsigned int cli_n_usages;

/* Whether usage @u is one of the command @cmd's (its first word names it: "audit" of "audit tail"). */
bool cli_usage_of(const struct cli_usage_entry *u, const char *cmd);

/*
 * "bulkhead --complete WORD...": print what may follow the command line WORD... (the words
 * after "bulkhead"), one candidate a line, for the bash completion to filter.
 */
int cli_complete(int argc, char **argv);

int cmd_load(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_domain(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_unbind(int argc, char **argv);
int cmd_flow(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_exclusive(int argc, char **argv);
int cmd_exchange(int argc, char **argv);
int cmd_switch(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_guard(int argc, char **argv);
int cmd_send(int argc, char **argv);

#endif /* BULKHEAD_CLI_H */
