/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: the netlink ABI as the fuzzer sees it - every attribute's kind, size and
 * pool of values, and the attributes each command takes - written from the uapi header.
 */
#ifndef BULKHEAD_SELFTEST_NLFUZZ_ABI_H
#define BULKHEAD_SELFTEST_NLFUZZ_ABI_H

#include <stdint.h>

#include "nlfuzz_gen.h"

enum fuzz_attr_kind { AK_NONE, AK_U8, AK_U32, AK_U64, AK_STRING, AK_BINARY, AK_NEST };

/* Where well-formed values come from. VP_PATH, VP_CGROUP, VP_IFNAME stay in this order. */
enum fuzz_value_pool {
	VP_ANY, VP_MODE, VP_TXN_FLAGS, VP_GENERATION, VP_NAME, VP_PATH, VP_CGROUP, VP_IFNAME,
	VP_TARGET, VP_PID, VP_KIND, VP_CHANNELS, VP_FLOW_FLAGS, VP_FAILURE, VP_CAPACITY, VP_BOOL,
	VP_CMD,
};

struct fuzz_attr_set;

struct fuzz_attr_spec {
	enum fuzz_attr_kind kind;
	enum fuzz_value_pool pool;
	/* fixed-size kinds: the payload size; AK_STRING: the longest valid string with its NUL */
	unsigned int size;
	const struct fuzz_attr_set *nest;	/* AK_NEST: the set its members come from */
};

/* One attribute space (one enum of the header): its highest type and each type's spec. */
struct fuzz_attr_set {
	const char *name;
	unsigned int max;
	const struct fuzz_attr_spec *spec;
};

/* enum bulkhead_attr (BULKHEAD_A_OBJECTS holds BULKHEAD_A_OBJ_* of this same space) */
extern const struct fuzz_attr_set fuzz_top_set;
/* enum bulkhead_obj_attr, inside each BULKHEAD_A_OBJ_* nest */
extern const struct fuzz_attr_set fuzz_obj_set;
/* enum bulkhead_hook_attr (status replies only) */
extern const struct fuzz_attr_set fuzz_hook_set;

/* What a command takes: all of its attributes, any of them, or exactly one. */
enum fuzz_take { TAKE_ALL, TAKE_SOME, TAKE_ONE };

struct fuzz_cmd_spec {
	bool known;
	enum fuzz_take take;
	unsigned int n_attrs;
	int attrs[4];
};

/* Indexed by enum bulkhead_cmd. */
extern const struct fuzz_cmd_spec fuzz_cmds[];

/*
 * A value for @pool: one the kernel accepts when the state allows, or the first past a limit,
 * or (not tame) any bits. With g->tame, only the first kind.
 */
uint64_t fuzz_pick_int(struct fuzz_gen *g, enum fuzz_value_pool pool);
/* A domain or group name; mostly, and when tame always, one the seed policy holds. */
const char *fuzz_pick_name(struct fuzz_gen *g);
/* A string for @pool; valid until the next call. */
const char *fuzz_pick_string(struct fuzz_gen *g, enum fuzz_value_pool pool);

#endif /* BULKHEAD_SELFTEST_NLFUZZ_ABI_H */
