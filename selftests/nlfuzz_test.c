// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: a seeded fuzzer of the generic netlink family over raw sockets.
 *
 * Worker processes (lib/nlfuzz_run.c) send the generator's requests (lib/nlfuzz_gen.c): every
 * command number, unknown ones too; attributes valid, invalid, duplicated, oversized, nested
 * and truncated, typed and sized from the uapi header (lib/nlfuzz_abi.c); dump flags on
 * commands without a dump and none on the one with; several messages per datagram and
 * datagrams cut short. Between them they run transactions that hop between sockets and are
 * committed, aborted or abandoned, abandon dumps midway and reopen sockets. Every reply is
 * checked as it arrives. Both tests start from the same seed policy.
 *
 *   nobody  (uid 65534, no capabilities; two of three workers then take them all in a user
 *           namespace of their own, one of those in a network namespace too): nothing
 *           changes - generation, policy hash, mode, lock, audit configuration, the
 *           exclusive groups' active members - no reply but status answers a request, and
 *           root's open transaction survives.
 *   root    never locks, enforces, or sets the audit failure modes block or panic (see
 *           lib/nlfuzz_root.c); afterwards the kernel log has no complaint, status answers,
 *           unreclaimable slab is flat and the module unloads.
 *
 * Environment: NLFUZZ_SEED=N replays a run (the seed is printed at the start of each test and
 * in every failure); NLFUZZ_REQUESTS=N requests per test (default DEFAULT_REQUESTS);
 * NLFUZZ_WORKERS=N processes (1: one stream, the same bytes on every replay); NLFUZZ_TRACE=1
 * prints each request in hex before it is sent. tools/vm/run.sh passes them to the VM.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kernel_health.h"
#include "nlfuzz_gen.h"
#include "nlfuzz_run.h"
#include "policy_nl.h"
#include "rawgenl.h"
#include "status.h"
#include "util.h"

/*
 * Requests per test case; two cases make 80,000 per kernel. Under TCG the suite, the
 * module's load included, took 51-58 s with other VMs keeping the host's load at 9 (60,000
 * took 50-60 s on an idle host, but up to 150 s under that load). NLFUZZ_REQUESTS overrides
 * it.
 */
#define DEFAULT_REQUESTS	40000
#define DEFAULT_WORKERS		3

/* Run @plan and fail on anything its workers saw; every line names the seed. */
static void run_fuzz(struct __test_metadata *_metadata, const struct fuzz_plan *plan)
{
	unsigned long long seed = plan->seed;
	const struct fuzz_totals *t;
	struct fuzz_result res;
	char accepted[256] = "", *line, *next;
	size_t used = 0;
	unsigned int cmd;

	ASSERT_EQ(0, fuzz_run(plan, &res));
	t = &res.totals;
	for (line = res.report; *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		TH_LOG("seed 0x%016llx: %s", seed, line);
	}
	TH_LOG("seed 0x%016llx: %lu requests as %s from %u workers in %ld s: %lu replies (%lu acks, %lu refusals, %lu dropped), %lu sends refused, %lu transactions, %lu dumps abandoned midway, %lu sockets reopened, %lu changes announced, %lu requests withheld from root",
	       seed, t->sent, plan->root ? "root" : "nobody", plan->workers, res.seconds,
	       t->replies, t->acks, t->refusals, t->dropped, t->send_errors, t->transactions,
	       t->dumps_abandoned, t->reopened, t->announcements, t->filtered);
	for (cmd = 0; cmd <= BULKHEAD_CMD_MAX && used < sizeof(accepted); cmd++)
		if (t->accepted[cmd])
			used += snprintf(accepted + used, sizeof(accepted) - used, " %u:%lu", cmd,
					 t->accepted[cmd]);
	TH_LOG("seed 0x%016llx: accepted by command number:%s", seed, accepted);
	if (!plan->root)
		TH_LOG("seed 0x%016llx: %lu workers in user namespaces of their own, %lu of them in network namespaces too",
		       seed, t->in_userns, t->in_netns);
	ASSERT_FALSE(res.stuck);
	EXPECT_EQ(0, res.bad_exits);
	EXPECT_EQ(0, t->violations);
	EXPECT_LE(plan->requests, t->sent);
}

/* --- the state that must not change ----------------------------------------------------- */

struct snapshot {
	struct bh_status status;
	uint32_t failure, capacity;
	uint8_t record_allows, export, key_taken;
	char active[256];	/* "group=member ..." of the active policy */
};

static int decode_audit(struct nlattr **a, void *arg)
{
	struct snapshot *s = arg;

	if (!a[BULKHEAD_A_AUDIT_FAILURE] || !a[BULKHEAD_A_AUDIT_CAPACITY] ||
	    !a[BULKHEAD_A_AUDIT_RECORD_ALLOWS] || !a[BULKHEAD_A_AUDIT_EXPORT] ||
	    !a[BULKHEAD_A_AUDIT_KEY_TAKEN])
		return -EPROTO;
	s->failure = nla_get_u32(a[BULKHEAD_A_AUDIT_FAILURE]);
	s->capacity = nla_get_u32(a[BULKHEAD_A_AUDIT_CAPACITY]);
	s->record_allows = nla_get_u8(a[BULKHEAD_A_AUDIT_RECORD_ALLOWS]);
	s->export = nla_get_u8(a[BULKHEAD_A_AUDIT_EXPORT]);
	s->key_taken = nla_get_u8(a[BULKHEAD_A_AUDIT_KEY_TAKEN]);
	return 0;
}

static int take_audit_config(struct bh_genl *g, struct snapshot *s)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_AUDIT_STATS_GET, 0);

	return msg ? bh_genl_call(g, msg, decode_audit, s) : -ENOMEM;
}

/* Each exclusive group's active member: a switch changes neither generation nor hash. */
static int take_active_members(struct bh_genl *g, struct snapshot *s)
{
	struct bh_policy_id id;
	struct bh_policy p;
	size_t i, used = 0;
	int err;

	bh_policy_init(&p);
	err = bh_policy_fetch(g, &p, &id);
	for (i = 0; !err && i < p.n_groups && used < sizeof(s->active); i++)
		used += snprintf(s->active + used, sizeof(s->active) - used, "%s=%s ",
				 p.groups[i].name, p.groups[i].active);
	bh_policy_free(&p);
	return err;
}

/* Everything nobody must not change, as root reads it. */
static int snapshot_take(struct snapshot *s)
{
	struct bh_genl g;
	int err;

	memset(s, 0, sizeof(*s));
	err = bh_genl_open(&g);
	if (err)
		return err;
	err = bh_status_get(&g, &s->status) ?: take_audit_config(&g, s) ?:
	      take_active_members(&g, s);
	bh_genl_close(&g);
	return err;
}

static void expect_same(struct __test_metadata *_metadata, uint64_t seed,
			const struct snapshot *a, const struct snapshot *b)
{
	char before[2 * BULKHEAD_HASH_LEN + 1];

	snprintf(before, sizeof(before), "%s", bh_hash_hex(a->status.policy_hash));
	EXPECT_EQ(a->status.generation, b->status.generation);
	EXPECT_STREQ(before, bh_hash_hex(b->status.policy_hash));
	EXPECT_EQ(a->status.mode, b->status.mode);
	EXPECT_EQ(a->status.locked, b->status.locked);
	EXPECT_EQ(a->failure, b->failure);
	EXPECT_EQ(a->capacity, b->capacity);
	EXPECT_EQ(a->record_allows, b->record_allows);
	EXPECT_EQ(a->export, b->export);
	EXPECT_EQ(a->key_taken, b->key_taken);
	EXPECT_STREQ(a->active, b->active);
	if (!_metadata->passed)
		TH_LOG("seed 0x%016llx: state changed: generation %llu -> %llu, mode %u -> %u, audit failure %u -> %u, capacity %u -> %u, active members %s-> %s",
		       (unsigned long long)seed, (unsigned long long)a->status.generation,
		       (unsigned long long)b->status.generation, a->status.mode, b->status.mode,
		       a->failure, b->failure, a->capacity, b->capacity, a->active, b->active);
}

/*
 * Slack allowed on unreclaimable slab between two readings with the same policy loaded, one
 * before root's run and one after: the kernel's own caches (per-CPU slabs, what the exited
 * workers' sockets and /proc entries leave behind) moved by -20 to +112 KiB in our runs. A
 * leak in any path the fuzzer takes thousands of times (tens of thousands of refused ADDs,
 * hundreds of commits) of one small object each shows as more.
 */
#define SLAB_SLACK_KB 1024

/* --- the fixture -------------------------------------------------------------------------- */

FIXTURE(nlfuzz) {
	struct fuzz_plan plan;
	char log[4096];
};

static uint64_t env_number(const char *name, uint64_t fallback)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : fallback;
}

static uint64_t fresh_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = time(NULL) ^ ((uint64_t)getpid() << 32);
	return seed;
}

/* Files, a FIFO, a symlink loop and cgroups that the value pools name. */
static int make_targets(void)
{
	return sh("rm -rf " FUZZ_DIR " && mkdir -p " FUZZ_DIR "/a " FUZZ_DIR "/b && "
		  "echo f > " FUZZ_DIR "/a/f && mkfifo " FUZZ_DIR "/fifo && "
		  "ln -s loop " FUZZ_DIR "/loop && "
		  "mkdir -p /sys/fs/cgroup/" FUZZ_CGROUP "/a /sys/fs/cgroup/" FUZZ_CGROUP "/b");
}

static void remove_targets(void)
{
	sh("rm -rf " FUZZ_DIR "; rmdir /sys/fs/cgroup/" FUZZ_CGROUP "/a /sys/fs/cgroup/"
	   FUZZ_CGROUP "/b /sys/fs/cgroup/" FUZZ_CGROUP);
}

/* BEGIN, the generator's seed policy (fuzz_seed_add()), COMMIT, over a raw socket. */
static int push_seed_policy(uint16_t family)
{
	static uint8_t req[FUZZ_MAX_REQUEST];
	struct fuzz_gen gen = { .family = family, .root = true };
	int fd = rawgenl_open(), err;
	size_t len;

	if (fd < 0)
		return fd;
	len = fuzz_plain(&gen, BULKHEAD_CMD_TXN_BEGIN, NLM_F_ACK, req, sizeof(req));
	err = rawgenl_call(fd, req, len, NULL, NULL);
	len = err ? 0 : fuzz_seed_add(&gen, req, sizeof(req));
	err = err ?: rawgenl_call(fd, req, len, NULL, NULL);
	len = err ? 0 : fuzz_plain(&gen, BULKHEAD_CMD_TXN_COMMIT, NLM_F_ACK, req, sizeof(req));
	err = err ?: rawgenl_call(fd, req, len, NULL, NULL);
	close(fd);
	return err;
}

FIXTURE_SETUP(nlfuzz)
{
	char why[128];
	int fd;

	ASSERT_EQ(0, fuzz_spec_complete(why, sizeof(why))) {
		TH_LOG("%s: describe it in selftests/lib/nlfuzz_abi.c", why);
	}
	ASSERT_EQ(0, reset_bulkhead(self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, make_targets());
	fd = rawgenl_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rawgenl_family(fd, BULKHEAD_GENL_NAME, BULKHEAD_MCGRP_EVENTS,
				    &self->plan.family, &self->plan.events));
	close(fd);
	ASSERT_EQ(0, push_seed_policy(self->plan.family));
	self->plan.seed = env_number("NLFUZZ_SEED", fresh_seed());
	self->plan.requests = env_number("NLFUZZ_REQUESTS", DEFAULT_REQUESTS);
	self->plan.workers = env_number("NLFUZZ_WORKERS", DEFAULT_WORKERS);
	self->plan.trace = env_number("NLFUZZ_TRACE", 0);
	ASSERT_LT(0, self->plan.workers);
	TH_LOG("seed 0x%016llx (NLFUZZ_SEED=0x%016llx replays it), %lu requests, %u workers",
	       (unsigned long long)self->plan.seed, (unsigned long long)self->plan.seed,
	       self->plan.requests, self->plan.workers);
}

FIXTURE_TEARDOWN(nlfuzz)
{
	remove_targets();
}

/* Root's state before nobody starts: none of it a default, and a transaction open. */
static int set_state_for_nobody(struct bh_genl *g)
{
	struct nl_msg *msg;
	int err;

	err = bh_mode_set(g, BULKHEAD_MODE_AUDIT);
	msg = err ? NULL : bh_genl_msg(g, BULKHEAD_CMD_SWITCH, 0);
	if (msg && (nla_put_string(msg, BULKHEAD_A_GROUP_NAME, "g0") ||
		    nla_put_string(msg, BULKHEAD_A_DOMAIN_NAME, "d7")))
		err = -ENOMEM;
	if (!err && msg)
		err = bh_genl_call(g, msg, NULL, NULL);
	msg = err ? NULL : bh_genl_msg(g, BULKHEAD_CMD_AUDIT_CONFIG_SET, 0);
	if (msg && (nla_put_u32(msg, BULKHEAD_A_AUDIT_CAPACITY, 1000) ||
		    nla_put_u8(msg, BULKHEAD_A_AUDIT_RECORD_ALLOWS, 1)))
		err = -ENOMEM;
	if (!err && msg)
		err = bh_genl_call(g, msg, NULL, NULL);
	msg = err ? NULL : bh_genl_msg(g, BULKHEAD_CMD_TXN_BEGIN, 0);
	if (msg && nla_put_u32(msg, BULKHEAD_A_TXN_FLAGS, BULKHEAD_TXN_F_FROM_ACTIVE))
		err = -ENOMEM;
	return err ?: msg ? bh_genl_call(g, msg, NULL, NULL) : -ENOMEM;
}

static int commit(struct bh_genl *g)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_TXN_COMMIT, 0);

	return msg ? bh_genl_call(g, msg, NULL, NULL) : -ENOMEM;
}

/*
 * BH-MGMT-3, BH-REL-2: nobody's requests, however malformed, change nothing and reveal
 * nothing but status; root's open transaction survives them.
 */
TEST_F_TIMEOUT(nlfuzz, unprivileged_stream_changes_nothing, 600)
{
	struct snapshot before, after;
	struct bh_genl root;

	ASSERT_EQ(0, bh_genl_open(&root));
	ASSERT_EQ(0, set_state_for_nobody(&root)) {
		TH_LOG("root's setup: %s", root.ext_ack);
	}
	ASSERT_EQ(0, snapshot_take(&before));
	TH_LOG("before: generation %llu, mode %u, audit capacity %u, record allows %u, active %s",
	       (unsigned long long)before.status.generation, before.status.mode, before.capacity,
	       before.record_allows, before.active);
	self->plan.root = false;
	run_fuzz(_metadata, &self->plan);
	ASSERT_EQ(0, snapshot_take(&after)) {
		TH_LOG("seed 0x%016llx: status no longer answers",
		       (unsigned long long)self->plan.seed);
	}
	expect_same(_metadata, self->plan.seed, &before, &after);
	EXPECT_EQ(0, commit(&root)) {
		TH_LOG("seed 0x%016llx: root's transaction did not survive: %s",
		       (unsigned long long)self->plan.seed, root.ext_ack);
	}
	bh_genl_close(&root);
}

/*
 * BH-MGMT-2, BH-REL-2: root's requests short of lock, enforce and the blocking audit modes
 * leave the kernel sound: nothing in its log, status answers, slab flat, the module unloads.
 */
TEST_F_TIMEOUT(nlfuzz, privileged_stream_keeps_kernel_sound, 600)
{
	struct snapshot after;
	long slab_before, slab_after;
	char complaints[2048], out[512];
	struct kmsg_watch kmsg;

	slab_before = settled_slab_kb();
	ASSERT_LT(0, slab_before);
	ASSERT_EQ(0, kmsg_watch_start(&kmsg));
	self->plan.root = true;
	run_fuzz(_metadata, &self->plan);
	ASSERT_EQ(0, snapshot_take(&after)) {
		TH_LOG("seed 0x%016llx: status no longer answers",
		       (unsigned long long)self->plan.seed);
	}
	EXPECT_FALSE(after.status.locked);
	EXPECT_NE(BULKHEAD_MODE_ENFORCE, after.status.mode);
	/* The same policy as before the run, so the module holds the same objects. */
	ASSERT_EQ(0, reset_bulkhead(self->log, sizeof(self->log))) {
		TH_LOG("seed 0x%016llx: %s", (unsigned long long)self->plan.seed, self->log);
	}
	ASSERT_EQ(0, push_seed_policy(self->plan.family));
	slab_after = settled_slab_kb();
	TH_LOG("unreclaimable slab %ld kB before, %ld kB after (slack %d kB)", slab_before,
	       slab_after, SLAB_SLACK_KB);
	EXPECT_GE(slab_before + SLAB_SLACK_KB, slab_after) {
		TH_LOG("seed 0x%016llx: slab grew by %ld kB", (unsigned long long)self->plan.seed,
		       slab_after - slab_before);
	}
	EXPECT_EQ(0, kmsg_watch_stop(&kmsg, complaints, sizeof(complaints))) {
		TH_LOG("seed 0x%016llx: kernel log: %s", (unsigned long long)self->plan.seed,
		       complaints);
	}
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead unload")) {
		TH_LOG("seed 0x%016llx: bulkhead unload: %s", (unsigned long long)self->plan.seed,
		       out);
	}
}

TEST_HARNESS_MAIN
