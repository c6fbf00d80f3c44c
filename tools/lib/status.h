/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the module's status, decoded from BULKHEAD_CMD_STATUS_GET.
 */
#ifndef BULKHEAD_STATUS_H
#define BULKHEAD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bulkhead.h>

#include "genl.h"

/* More than the CLI knows of, so a newer module's extra hooks still show. */
/* Every hook this ABI names; a module reporting more is one the tools do not understand. */
#define BH_STATUS_MAX_HOOKS __BULKHEAD_HOOK_MAX

struct bh_hook_status {
	unsigned int id;
	char name[BULKHEAD_HOOK_NAME_LEN];
	bool attached;
	uint64_t calls;
	uint64_t denials;
};

/* The result of a self-test run: at load, or the last "bulkhead selftest". */
struct bh_selftest {
	uint32_t failed;	/* BULKHEAD_SELFTEST_* that failed; 0: all passed */
	uint64_t time_ns;	/* when it ran, CLOCK_REALTIME */
};

struct bh_status {
	char version[BULKHEAD_VERSION_LEN];
	unsigned int abi;
	char kernel[65];
	unsigned int mode;
	bool locked;		/* "bulkhead lock": nothing changes until reboot */
	uint64_t generation;
	uint8_t policy_hash[BULKHEAD_HASH_LEN];
	unsigned int n_hooks;
	struct bh_hook_status hooks[BH_STATUS_MAX_HOOKS];
	struct bh_selftest selftest;
};

/* Ask the module for its status. Returns 0 or a negative errno (see bh_genl_call()). */
int bh_status_get(struct bh_genl *g, struct bh_status *st);

/* Set the decision mode. Returns 0 or a negative errno (see bh_genl_call()). */
int bh_mode_set(struct bh_genl *g, unsigned int mode);

/* Lock until reboot. Returns 0 or a negative errno (see bh_genl_call()). */
int bh_lock(struct bh_genl *g);

/* Run the module's self-tests. Returns 0 or a negative errno (see bh_genl_call()). */
int bh_selftest_run(struct bh_genl *g, struct bh_selftest *result);

/* @t in words: "passed at TIME" or "failed (hmac,decide) at TIME". */
void bh_selftest_text(char *buf, size_t size, const struct bh_selftest *t);

/* @t as a JSON object named @name: result (passed/failed), failed tests, time. */
struct json;
void bh_json_selftest(struct json *j, const char *name, const struct bh_selftest *t);

/*
 * "status -j": the status, then each exclusive group of @p with its members' tasks as
 * @tasks(@p, member) tells ("frozen", "running", ...); no groups when @p is NULL (the caller
 * may not read the policy).
 */
struct bh_policy;
void bh_json_status(struct json *j, const struct bh_status *st, const struct bh_policy *p,
		    const char *(*tasks)(const struct bh_policy *p, const char *member));

/* The entry for the hook named @name, or NULL. */
const struct bh_hook_status *bh_status_hook(const struct bh_status *st, const char *name);

#endif /* BULKHEAD_STATUS_H */
