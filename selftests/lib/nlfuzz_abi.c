// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the netlink ABI as the fuzzer sees it, from include/uapi/linux/bulkhead.h.
 * Sizes come from the header's constants; fuzz_spec_complete() fails the test when the header
 * grows a command or attribute this file does not describe.
 */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/types.h>
#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>

#include "nlfuzz_abi.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define U8(p)		{ AK_U8, p, 1, NULL }
#define U32(p)		{ AK_U32, p, 4, NULL }
#define U64(p)		{ AK_U64, p, 8, NULL }
#define STR(p, n)	{ AK_STRING, p, n, NULL }
#define BIN(n)		{ AK_BINARY, VP_ANY, n, NULL }
#define NEST(set)	{ AK_NEST, VP_ANY, 0, set }

/* The kernel release string: utsname's 64 bytes and a NUL. */
#define KERNEL_RELEASE_LEN 65

static const struct fuzz_attr_set hooks_set;

static const struct fuzz_attr_spec hook_attrs[BULKHEAD_A_HOOK_MAX + 1] = {
	[BULKHEAD_A_HOOK_PAD] = BIN(0),
	[BULKHEAD_A_HOOK_ID] = U32(VP_ANY),
	[BULKHEAD_A_HOOK_NAME] = STR(VP_NAME, BULKHEAD_HOOK_NAME_LEN),
	[BULKHEAD_A_HOOK_ATTACHED] = U8(VP_BOOL),
	[BULKHEAD_A_HOOK_CALLS] = U64(VP_ANY),
	[BULKHEAD_A_HOOK_DENIALS] = U64(VP_ANY),
};

static const struct fuzz_attr_spec hooks_attrs[BULKHEAD_A_HOOKS_MAX + 1] = {
	[BULKHEAD_A_HOOKS_ENTRY] = NEST(&fuzz_hook_set),
};

static const struct fuzz_attr_spec obj_attrs[BULKHEAD_A_OBJ_MAX + 1] = {
	[BULKHEAD_A_OBJ_NAME] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_OBJ_ID] = U32(VP_ANY),
	[BULKHEAD_A_BINDING_DOMAIN] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_BINDING_KIND] = U32(VP_KIND),
	[BULKHEAD_A_BINDING_TARGET] = STR(VP_TARGET, BULKHEAD_TARGET_LEN),
	[BULKHEAD_A_FLOW_FROM] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_FLOW_TO] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_FLOW_CHANNELS] = U32(VP_CHANNELS),
	[BULKHEAD_A_FLOW_FLAGS] = U32(VP_FLOW_FLAGS),
	[BULKHEAD_A_GROUP_MEMBER] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_GROUP_ACTIVE] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_GRANT_DOMAIN] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_GRANT_CAPS] = U64(VP_ANY),
	[BULKHEAD_A_GRANT_FLAGS] = U32(VP_FLOW_FLAGS),	/* the same single audit bit */
	[BULKHEAD_A_OBJ_PAD] = BIN(0),
	[BULKHEAD_A_EXCHANGE_FROM] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_EXCHANGE_TO] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_EXCHANGE_GUARD] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_EXCHANGE_OUTBOX] = STR(VP_PATH, BULKHEAD_TARGET_LEN),
	[BULKHEAD_A_EXCHANGE_INBOX] = STR(VP_PATH, BULKHEAD_TARGET_LEN),
	[BULKHEAD_A_EXCHANGE_FLAGS] = U32(VP_FLOW_FLAGS),	/* the same single bit */
	[BULKHEAD_A_EXCHANGE_MAX_SIZE] = U64(VP_ANY),
	[BULKHEAD_A_EXCHANGE_TYPE] = STR(VP_ANY, 128),
	[BULKHEAD_A_EXCHANGE_DENY] = STR(VP_ANY, 1024),
	[BULKHEAD_A_EXCHANGE_FILTER] = STR(VP_ANY, 1024),
	[BULKHEAD_A_EXCHANGE_FILTER_TIMEOUT] = U32(VP_ANY),
	[BULKHEAD_A_EXCHANGE_RATE] = U32(VP_ANY),
	[BULKHEAD_A_EXCHANGE_BURST] = U32(VP_ANY),
};

static const struct fuzz_attr_set transfer_set;

static const struct fuzz_attr_spec transfer_attrs[BULKHEAD_A_TRANSFER_MAX + 1] = {
	[BULKHEAD_A_TRANSFER_PAD] = BIN(0),
	[BULKHEAD_A_TRANSFER_EXCHANGE] = STR(VP_NAME, BULKHEAD_EXCHANGE_NAME_LEN),
	[BULKHEAD_A_TRANSFER_ID] = U64(VP_ANY),
	[BULKHEAD_A_TRANSFER_NAME] = STR(VP_ANY, 768),
	[BULKHEAD_A_TRANSFER_DELIVERED_AS] = STR(VP_ANY, 768),
	[BULKHEAD_A_TRANSFER_SIZE] = U64(VP_ANY),
	[BULKHEAD_A_TRANSFER_SHA256] = BIN(BULKHEAD_HASH_LEN),
	[BULKHEAD_A_TRANSFER_VERDICT] = U32(VP_ANY),
	[BULKHEAD_A_TRANSFER_REASON] = STR(VP_ANY, 128),
	[BULKHEAD_A_TRANSFER_FILTER] = STR(VP_ANY, 32),
	[BULKHEAD_A_TRANSFER_SENDER_UID] = U32(VP_ANY),
};

static const struct fuzz_attr_spec top_attrs[BULKHEAD_A_MAX + 1] = {
	[BULKHEAD_A_PAD] = BIN(0),
	[BULKHEAD_A_VERSION] = STR(VP_ANY, BULKHEAD_VERSION_LEN),
	[BULKHEAD_A_ABI] = U32(VP_ANY),
	[BULKHEAD_A_KERNEL] = STR(VP_ANY, KERNEL_RELEASE_LEN),
	[BULKHEAD_A_MODE] = U32(VP_MODE),
	[BULKHEAD_A_HOOKS] = NEST(&hooks_set),
	[BULKHEAD_A_GENERATION] = U64(VP_GENERATION),
	[BULKHEAD_A_POLICY_HASH] = BIN(BULKHEAD_HASH_LEN),
	[BULKHEAD_A_TXN_FLAGS] = U32(VP_TXN_FLAGS),
	/* Its members are the BULKHEAD_A_OBJ_* attributes of this same space. */
	[BULKHEAD_A_OBJECTS] = NEST(&fuzz_top_set),
	[BULKHEAD_A_OBJ_DOMAIN] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_OBJ_BINDING] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_OBJ_FLOW] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_OBJ_GROUP] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_GROUP_NAME] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_DOMAIN_NAME] = STR(VP_NAME, BULKHEAD_NAME_LEN),
	[BULKHEAD_A_DOMAIN_ID] = U32(VP_ANY),
	[BULKHEAD_A_QUERY_PID] = U32(VP_PID),
	[BULKHEAD_A_QUERY_PATH] = STR(VP_PATH, BULKHEAD_TARGET_LEN),
	[BULKHEAD_A_QUERY_IFNAME] = STR(VP_IFNAME, IFNAMSIZ),
	[BULKHEAD_A_AUDIT_FAILURE] = U32(VP_FAILURE),
	[BULKHEAD_A_AUDIT_CAPACITY] = U32(VP_CAPACITY),
	[BULKHEAD_A_AUDIT_SLOTS] = U32(VP_CAPACITY),
	[BULKHEAD_A_AUDIT_NEXT_SEQ] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_SEALED] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_ACKED] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_EMITTED] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_DELIVERED] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_LOST] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_PREVENTED] = U64(VP_ANY),
	[BULKHEAD_A_AUDIT_EPOCH] = U32(VP_ANY),
	[BULKHEAD_A_AUDIT_KEY_TAKEN] = U8(VP_BOOL),
	[BULKHEAD_A_AUDIT_KEY] = BIN(BULKHEAD_AUDIT_KEY_LEN),
	[BULKHEAD_A_AUDIT_RECORD_ALLOWS] = U8(VP_BOOL),
	[BULKHEAD_A_AUDIT_EXPORT] = U8(VP_BOOL),
	[BULKHEAD_A_LOCKED] = U8(VP_BOOL),
	[BULKHEAD_A_CHANGE] = U32(VP_CMD),
	[BULKHEAD_A_OBJ_GRANT] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_OBJ_EXCHANGE] = NEST(&fuzz_obj_set),
	[BULKHEAD_A_TRANSFER] = NEST(&transfer_set),
	[BULKHEAD_A_SELFTEST_FAILED] = U32(VP_ANY),
	[BULKHEAD_A_SELFTEST_TIME] = U64(VP_ANY),
};

const struct fuzz_attr_set fuzz_top_set = { "bulkhead_attr", BULKHEAD_A_MAX, top_attrs };
const struct fuzz_attr_set fuzz_obj_set = { "bulkhead_obj_attr", BULKHEAD_A_OBJ_MAX, obj_attrs };
static const struct fuzz_attr_set hooks_set = { "bulkhead_hooks_attr", BULKHEAD_A_HOOKS_MAX,
					   hooks_attrs };
const struct fuzz_attr_set fuzz_hook_set = { "bulkhead_hook_attr", BULKHEAD_A_HOOK_MAX,
					     hook_attrs };
static const struct fuzz_attr_set transfer_set = { "bulkhead_transfer_attr",
						   BULKHEAD_A_TRANSFER_MAX, transfer_attrs };

/* What each command takes, from the header's opening comment. */
const struct fuzz_cmd_spec fuzz_cmds[__BULKHEAD_CMD_MAX] = {
	[BULKHEAD_CMD_STATUS_GET] = { true },
	[BULKHEAD_CMD_MODE_SET] = { true, TAKE_ALL, 1, { BULKHEAD_A_MODE } },
	[BULKHEAD_CMD_TXN_BEGIN] = { true, TAKE_SOME, 1, { BULKHEAD_A_TXN_FLAGS } },
	[BULKHEAD_CMD_TXN_ADD] = { true, TAKE_ALL, 1, { BULKHEAD_A_OBJECTS } },
	[BULKHEAD_CMD_TXN_DEL] = { true, TAKE_ALL, 1, { BULKHEAD_A_OBJECTS } },
	[BULKHEAD_CMD_TXN_COMMIT] = { true, TAKE_SOME, 1, { BULKHEAD_A_GENERATION } },
	[BULKHEAD_CMD_TXN_ABORT] = { true },
	[BULKHEAD_CMD_POLICY_GET] = { true },
	[BULKHEAD_CMD_SWITCH] = { true, TAKE_ALL, 2, { BULKHEAD_A_GROUP_NAME,
						     BULKHEAD_A_DOMAIN_NAME } },
	[BULKHEAD_CMD_QUERY] = { true, TAKE_ONE, 3, { BULKHEAD_A_QUERY_PID, BULKHEAD_A_QUERY_PATH,
						    BULKHEAD_A_QUERY_IFNAME } },
	[BULKHEAD_CMD_AUDIT_STATS_GET] = { true },
	[BULKHEAD_CMD_AUDIT_CONFIG_SET] = { true, TAKE_SOME, 4, { BULKHEAD_A_AUDIT_FAILURE,
								BULKHEAD_A_AUDIT_CAPACITY,
								BULKHEAD_A_AUDIT_RECORD_ALLOWS,
								BULKHEAD_A_AUDIT_EXPORT } },
	[BULKHEAD_CMD_AUDIT_KEY_TAKE] = { true },
	[BULKHEAD_CMD_LOCK] = { true },
	/* Refused to everyone here: the fuzzer's tasks are host's, never a guard domain's. */
	[BULKHEAD_CMD_TRANSFER_RECORD] = { true, TAKE_ALL, 1, { BULKHEAD_A_TRANSFER } },
	/* A notification, never a request: sent as one to see it refused. */
	[BULKHEAD_CMD_CHANGE_NTF] = { true, TAKE_ALL, 4, { BULKHEAD_A_CHANGE,
							 BULKHEAD_A_GENERATION, BULKHEAD_A_MODE,
							 BULKHEAD_A_LOCKED } },
	[BULKHEAD_CMD_SELFTEST] = { true },
};

static int set_complete(const struct fuzz_attr_set *set, char *why, size_t len)
{
	unsigned int type;

	for (type = 1; type <= set->max; type++) {
		if (set->spec[type].kind == AK_NONE) {
			snprintf(why, len, "%s type %u has no fuzzer spec", set->name, type);
			return -1;
		}
	}
	return 0;
}

int fuzz_spec_complete(char *why, size_t len)
{
	unsigned int cmd;

	for (cmd = 1; cmd <= BULKHEAD_CMD_MAX; cmd++) {
		if (!fuzz_cmds[cmd].known) {
			snprintf(why, len, "command %u has no fuzzer spec", cmd);
			return -1;
		}
	}
	return set_complete(&fuzz_top_set, why, len) ?: set_complete(&fuzz_obj_set, why, len) ?:
	       set_complete(&hooks_set, why, len) ?: set_complete(&fuzz_hook_set, why, len) ?:
	       set_complete(&transfer_set, why, len);
}

/* --- value pools ------------------------------------------------------------------------ */

/*
 * Each pool starts with values the kernel accepts (when the state allows: a domain must
 * exist, a path must resolve) and goes on with values it must refuse. Tame picks stay in the
 * first part; the first LIVE_NAMES names are those the test's seed policy holds.
 */
struct string_pool {
	unsigned int n_valid;
	unsigned int n;
	const char *const *v;
};

#define STRINGS(valid, ...) { valid, ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })), \
			      (const char *const[]){ __VA_ARGS__ } }

#define LIVE_NAMES 11
static const struct string_pool names = STRINGS(LIVE_NAMES,
	BULKHEAD_HOST_DOMAIN, "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "g0", "g1",
	"pending", "", "D0", "d 0", "d0/", "-", "_", "host\n",
	"abcdefghijklmnopqrstuvwxyz01234",	/* the longest name */
	"abcdefghijklmnopqrstuvwxyz012345");	/* one byte too long */
_Static_assert(sizeof("abcdefghijklmnopqrstuvwxyz01234") == BULKHEAD_NAME_LEN,
	       "the longest name in the pool follows BULKHEAD_NAME_LEN");

static const struct string_pool paths = STRINGS(8,
	FUZZ_DIR "/a", FUZZ_DIR "/b", FUZZ_DIR "/a/f", FUZZ_DIR "/fifo", FUZZ_DIR, "/tmp",
	"/dev/null", FUZZ_DIR "/../nlfuzz/./a",
	"/", "/proc/self", "/proc/1/root", "/sys/fs/cgroup", "/sys/fs/bpf", FUZZ_DIR "/loop",
	"/nonexistent", "relative", "");

static const struct string_pool cgroups = STRINGS(4,
	FUZZ_CGROUP "/a", FUZZ_CGROUP "/b", FUZZ_CGROUP, FUZZ_CGROUP "/../" FUZZ_CGROUP "/b",
	"", "/", "/" FUZZ_CGROUP "/a", "..", FUZZ_CGROUP "/a/cgroup.procs", "nonexistent");

static const struct string_pool ifnames = STRINGS(1,
	"lo", "eth0", "", "lo ", "nlfuzz0",
	"abcdefghijklmno",	/* the longest interface name */
	"abcdefghijklmnop");	/* one byte too long */
_Static_assert(sizeof("abcdefghijklmno") == IFNAMSIZ,
	       "the longest interface name in the pool follows IFNAMSIZ");

struct int_pool {
	unsigned int n_valid;
	unsigned int n;
	const uint64_t *v;
};

#define INTS(valid, ...) { valid, ARRAY_SIZE(((const uint64_t[]){ __VA_ARGS__ })), \
			   (const uint64_t[]){ __VA_ARGS__ } }

/* Valid values, then the first invalid one past each limit. */
static const struct int_pool int_pools[] = {
	[VP_ANY] = INTS(9, 0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, UINT32_MAX, UINT64_MAX),
	[VP_MODE] = INTS(3, BULKHEAD_MODE_OFF, BULKHEAD_MODE_AUDIT, BULKHEAD_MODE_ENFORCE,
			 BULKHEAD_MODE_MAX + 1, UINT32_MAX),
	[VP_TXN_FLAGS] = INTS(2, BULKHEAD_TXN_F_FROM_ACTIVE, 0, BULKHEAD_TXN_F_ALL + 1,
			      UINT32_MAX),
	[VP_GENERATION] = INTS(7, 0, 1, 2, 3, 4, 100, UINT64_MAX),
	[VP_PID] = INTS(2, 1, 2, 0, 0x3fffff, INT32_MAX, UINT32_MAX),
	[VP_KIND] = INTS(3, BULKHEAD_BIND_CGROUP, BULKHEAD_BIND_PATH, BULKHEAD_BIND_NETDEV,
			 BULKHEAD_BIND_MAX + 1, UINT32_MAX),
	[VP_CHANNELS] = INTS(3, BULKHEAD_CHAN_FILE, BULKHEAD_CHAN_NET | BULKHEAD_CHAN_UNIX,
			     BULKHEAD_CHAN_ALL, 0, BULKHEAD_CHAN_ALL + 1, UINT32_MAX),
	[VP_FLOW_FLAGS] = INTS(2, 0, BULKHEAD_FLOW_F_AUDIT, BULKHEAD_FLOW_F_ALL + 1),
	[VP_FAILURE] = INTS(3, BULKHEAD_AUDIT_FAIL_DROP, BULKHEAD_AUDIT_FAIL_BLOCK,
			    BULKHEAD_AUDIT_FAIL_PANIC, BULKHEAD_AUDIT_FAIL_MAX + 1, UINT32_MAX),
	/* 16 up to the ring's slots (4096 unless loaded otherwise) */
	[VP_CAPACITY] = INTS(4, 16, 17, 64, 4096, 0, 15, 4097, 65536, UINT32_MAX),
	[VP_BOOL] = INTS(2, 0, 1, 2, UINT8_MAX),
	[VP_CMD] = INTS(6, BULKHEAD_CMD_UNSPEC, BULKHEAD_CMD_MODE_SET, BULKHEAD_CMD_TXN_COMMIT,
			BULKHEAD_CMD_SWITCH, BULKHEAD_CMD_LOCK, BULKHEAD_CMD_MAX + 1),
};

/* Index into a pool of @n_valid valid and @n values in all. */
static unsigned int pick_index(struct fuzz_gen *g, unsigned int n_valid, unsigned int n)
{
	return fuzz_below(&g->rng, g->tame || fuzz_chance(&g->rng, 60) ? n_valid : n);
}

uint64_t fuzz_pick_int(struct fuzz_gen *g, enum fuzz_value_pool pool)
{
	const struct int_pool *p = pool < ARRAY_SIZE(int_pools) && int_pools[pool].n ?
				   &int_pools[pool] : &int_pools[VP_ANY];

	/* Mostly the pool; now and then any bits at all. */
	if (g->tame || fuzz_chance(&g->rng, 85))
		return p->v[pick_index(g, p->n_valid, p->n)];
	return fuzz_rng_next(&g->rng);
}

static const char *pick_from(struct fuzz_gen *g, const struct string_pool *p)
{
	return p->v[pick_index(g, p->n_valid, p->n)];
}

const char *fuzz_pick_name(struct fuzz_gen *g)
{
	return pick_from(g, &names);
}

/* A path one byte short of BULKHEAD_TARGET_LEN or exactly at it (too long by one). */
static const char *long_path(struct fuzz_gen *g)
{
	static char path[BULKHEAD_TARGET_LEN + 1];
	size_t len = BULKHEAD_TARGET_LEN - 1 + fuzz_below(&g->rng, 2);
	size_t i;

	for (i = 0; i < len; i++)
		path[i] = i % 64 ? 'p' : '/';
	path[len] = '\0';
	return path;
}

const char *fuzz_pick_string(struct fuzz_gen *g, enum fuzz_value_pool pool)
{
	switch (pool) {
	case VP_NAME:
		return fuzz_pick_name(g);
	case VP_PATH:
		return !g->tame && fuzz_chance(&g->rng, 3) ? long_path(g) : pick_from(g, &paths);
	case VP_CGROUP:
		return pick_from(g, &cgroups);
	case VP_IFNAME:
		return pick_from(g, &ifnames);
	case VP_TARGET:
		/* a target of any kind: path, cgroup or interface, in enum order */
		return fuzz_pick_string(g, VP_PATH + fuzz_below(&g->rng, 3));
	default:
		return fuzz_chance(&g->rng, 50) ? pick_from(g, &names) : pick_from(g, &paths);
	}
}
