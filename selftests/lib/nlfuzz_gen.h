/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: a seeded generator of generic netlink requests for the bulkhead family,
 * from well-formed to broken at every layer (datagram, netlink header, generic netlink header,
 * attributes, nests). Attribute types and sizes come from the uapi header; one seed and one
 * stream number always give the same requests.
 */
#ifndef BULKHEAD_SELFTEST_NLFUZZ_GEN_H
#define BULKHEAD_SELFTEST_NLFUZZ_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The files, cgroups (relative to the cgroup2 root) and interfaces the value pools name. */
#define FUZZ_DIR		"/tmp/nlfuzz"
#define FUZZ_CGROUP		"nlfuzz"

/* The largest request datagram: past the 64 KiB an attribute length can say. */
#define FUZZ_MAX_REQUEST	(96 * 1024)

struct fuzz_rng {
	uint64_t state;
};

/* Seed stream @stream of seed @seed: streams of one seed are independent. */
void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed, uint64_t stream);
uint64_t fuzz_rng_next(struct fuzz_rng *r);
/* Uniform in [0, n); 0 when @n is 0. */
uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n);
/* True with probability @pct percent. */
bool fuzz_chance(struct fuzz_rng *r, unsigned int pct);

struct fuzz_gen {
	struct fuzz_rng rng;
	uint16_t family;	/* the bulkhead family's id */
	bool root;		/* the sender is root: only what fuzz_root_safe() accepts */
	bool tame;		/* values the kernel accepts when the state allows */
	uint32_t counter;	/* numbers requests in their sequence numbers */
	unsigned long filtered;	/* requests made again because root must not send them */
};

/*
 * Sequence numbers say what a request was, so that a bare ACK (which echoes only the header)
 * can be matched to its command: the counter, a bit for "a bulkhead request" and the command.
 */
#define FUZZ_SEQ_BULKHEAD	0x100U
#define FUZZ_SEQ_CMD(seq)	((seq) & 0xff)

/*
 * One request datagram of any kind into @buf (@cap bytes, at most FUZZ_MAX_REQUEST used): one
 * or more messages, any command number, valid or broken attributes. Returns its length.
 */
size_t fuzz_request(struct fuzz_gen *g, uint8_t *buf, size_t cap);

/*
 * A well-formed request for @cmd with NLM_F_REQUEST | @flags: the attributes the command
 * takes, of the right types and sizes, values from the pools (the kernel may still refuse
 * them: no such domain, not the transaction's owner, ...). Root's filter applies.
 */
size_t fuzz_wellformed(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf,
		       size_t cap);

/*
 * A well-formed request whose values the kernel accepts when the state allows: names of
 * domains that may exist, paths that resolve, valid modes, flags and channels, no expected
 * generation. Root's filter applies.
 */
size_t fuzz_tame(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf, size_t cap);

/* A request for @cmd without attributes, with NLM_F_REQUEST | @flags. */
size_t fuzz_plain(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf, size_t cap);

/*
 * The seed policy every test starts from, as one TXN_ADD (with NLM_F_ACK) for an open
 * transaction: domains d0 to d(FUZZ_SEED_DOMAINS - 1), a path, cgroup and interface binding,
 * flows from each of d0..d7 to every other domain, so that a policy dump takes several
 * batches on a fresh socket, and the exclusive groups g0 (d6, d7) and g1 (d4, d5). The name
 * pools refer to these.
 */
#define FUZZ_SEED_DOMAINS 40
size_t fuzz_seed_add(struct fuzz_gen *g, uint8_t *buf, size_t cap);

/*
 * A well-formed request to the generic netlink controller for the policies of bulkhead's
 * commands (CTRL_CMD_GETPOLICY, a dump): one command's, all of them, or an unknown one's.
 */
size_t fuzz_ctrl_policy_dump(struct fuzz_gen *g, uint8_t *buf, size_t cap);

/*
 * Whether root may send the datagram without making the VM unusable for the rest of the
 * suite. It walks the datagram as the kernel does and refuses any bulkhead message that
 * locks, sets a mode other than off or audit, or sets an audit failure mode other than drop
 * or the export to the audit subsystem; and any message to another generic netlink family
 * than bulkhead and the controller, or to an id no family can hold.
 */
bool fuzz_root_safe(const uint8_t *buf, size_t len, uint16_t family);

/*
 * 0 when the generator knows every command and attribute of the uapi header; else -1 with
 * the first one it lacks named in @why (a new attribute must be added to the fuzzer).
 */
int fuzz_spec_complete(char *why, size_t len);

#endif /* BULKHEAD_SELFTEST_NLFUZZ_GEN_H */
