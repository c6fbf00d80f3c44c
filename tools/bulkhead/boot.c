// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "boot" - what bulkhead.service runs at boot and on reload: load the module and
 * programs, apply the configured policy, set the configured mode and lock, as
 * /etc/bulkhead/bulkhead.conf says. Each step is the command of the same name, so its checks
 * and messages are those; the first that fails stops the rest, and the policy apply is one
 * transaction, so a failure never leaves half a policy.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bulkhead.h>
#include "cli.h"
#include "names.h"
#include "status.h"

#define BOOT_CONFIG	"/etc/bulkhead/bulkhead.conf"
#define BOOT_POLICY	"/etc/bulkhead/policy.bh"
#define BOOT_VALUE_LEN	4096

/* What bulkhead.conf can say; an empty string is "not set". */
struct boot_config {
	char policy[BOOT_VALUE_LEN];
	char mode[16];
	char lock[8];
	char audit_slots[16];
};

/* The keys bulkhead.conf takes, and where each one's value goes. */
static const struct {
	const char *key;
	size_t offset;
	size_t size;
} boot_keys[] = {
#define BOOT_KEY(k) { #k, offsetof(struct boot_config, k), sizeof(((struct boot_config *)0)->k) }
	BOOT_KEY(policy), BOOT_KEY(mode), BOOT_KEY(lock), BOOT_KEY(audit_slots),
#undef BOOT_KEY
};

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

/* One "KEY=VALUE" line of @file into @cfg; prints FILE:LINE: why not and returns -1. */
static int config_line(struct boot_config *cfg, const char *file, unsigned int line, char *text)
{
	char *eq = strchr(text, '='), *key, *value;
	size_t i;

	if (!eq) {
		cli_error("%s:%u: expected KEY=VALUE, not '%s'", file, line, text);
		return -1;
	}
	*eq = '\0';
	key = trim(text);
	value = trim(eq + 1);
	for (i = 0; i < sizeof(boot_keys) / sizeof(boot_keys[0]); i++) {
		if (strcmp(key, boot_keys[i].key))
			continue;
		if (strlen(value) >= boot_keys[i].size) {
			cli_error("%s:%u: the value of %s is too long", file, line, key);
			return -1;
		}
		strcpy((char *)cfg + boot_keys[i].offset, value);
		return 0;
	}
	cli_error("%s:%u: unknown key '%s' (expected policy, mode, lock or audit_slots)", file,
		  line, key);
	return -1;
}

/* Check the values that are not checked by the commands they are handed to. */
static int config_check(const struct boot_config *cfg, const char *file)
{
	if (cfg->mode[0] && bh_mode_parse(cfg->mode) < 0) {
		cli_error("%s: mode '%s': expected off, audit or enforce", file, cfg->mode);
		return -1;
	}
	if (cfg->lock[0] && strcmp(cfg->lock, "yes") && strcmp(cfg->lock, "no")) {
		cli_error("%s: lock '%s': expected yes or no", file, cfg->lock);
		return -1;
	}
	return 0;
}

/* Read @file into @cfg; a missing file is an empty configuration. */
static int config_read(struct boot_config *cfg, const char *file)
{
	unsigned int line = 0;
	char *text = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *in;

	memset(cfg, 0, sizeof(*cfg));
	in = fopen(file, "r");
	if (!in) {
		if (errno == ENOENT)
			return 0;
		cli_error("%s: %s", file, strerror(errno));
		return -1;
	}
	while (!err && getline(&text, &cap, in) > 0) {
		char *s = trim(text);

		line++;
		if (*s && *s != '#')
			err = config_line(cfg, file, line, s);
	}
	free(text);
	fclose(in);
	return err ? -1 : config_check(cfg, file);
}

/* Run the CLI's own command @run on the NULL-terminated words @argv. */
static int run_step(int (*run)(int argc, char **argv), char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return run(argc, argv);
}

static int already_locked(void)
{
	struct bh_status st;

	return !cli_status(&st, "boot: status") && st.locked;
}

int cmd_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = BOOT_CONFIG, *policy;
	struct boot_config cfg;
	char slots[32];
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c == ':')
			return cli_usage("boot", "option '%s' needs an argument", argv[optind - 1]);
		if (c != 'c')
			return cli_usage("boot", "unknown option '%s'", argv[optind - 1]);
		file = optarg;
	}
	if (optind < argc)
		return cli_usage("boot", "unexpected argument '%s'", argv[optind]);
	if (config_read(&cfg, file))
		return EXIT_USAGE;

	snprintf(slots, sizeof(slots), "%s", cfg.audit_slots);
	ret = run_step(cmd_load, cfg.audit_slots[0] ?
		       (char *[]){ "load", "--audit-slots", slots, NULL } :
		       (char *[]){ "load", NULL });
	if (ret)
		return ret;
	policy = cfg.policy[0] ? cfg.policy : BOOT_POLICY;
	if (access(policy, F_OK) == 0) {
		ret = run_step(cmd_policy, (char *[]){ "policy", "apply", (char *)policy, NULL });
		if (ret)
			return ret;
	} else if (cfg.policy[0]) {
		/* Named but missing is a mistake; the default path missing is "no policy yet". */
		cli_error("boot: %s: policy %s: %s", file, policy, strerror(errno));
		return EXIT_FAIL;
	} else if (!cli_quiet) {
		printf("no policy: %s does not exist\n", policy);
	}
	/* The configuration's mode overrides the policy file's "mode" line. */
	if (cfg.mode[0]) {
		ret = run_step(cmd_mode, (char *[]){ "mode", cfg.mode, NULL });
		if (ret)
			return ret;
	}
	if (!strcmp(cfg.lock, "yes") && !already_locked())
		return run_step(cmd_lock, (char *[]){ "lock", NULL });
	return EXIT_OK;
}
