/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: running the netlink fuzzer - worker processes, each with a few raw
 * sockets, sending the generator's requests, transactions that hop between sockets, dumps
 * abandoned midway, and checking every reply as it arrives.
 */
#ifndef BULKHEAD_SELFTEST_NLFUZZ_RUN_H
#define BULKHEAD_SELFTEST_NLFUZZ_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <linux/bulkhead.h>

#define FUZZ_MAX_WORKERS	64
/* No request got through in this long: a worker is stuck in the kernel (or in a loop). */
#define FUZZ_STALL_SECONDS	30

struct fuzz_plan {
	uint64_t seed;
	unsigned long requests;	/* in all, split among the workers */
	unsigned int workers;	/* 1 to FUZZ_MAX_WORKERS */
	bool root;		/* else each worker becomes nobody, without capabilities */
	bool trace;		/* print every request in hex on stderr before it is sent */
	uint16_t family;	/* the bulkhead family's id */
	uint32_t events;	/* its "events" multicast group, which some sockets join */
};

struct fuzz_totals {
	unsigned long sent;		/* requests (datagrams) */
	unsigned long replies;		/* messages received */
	unsigned long acks, refusals;	/* errno 0 and the others */
	unsigned long dropped;		/* times a full receive buffer cost replies */
	unsigned long send_errors;	/* datagrams the socket refused to send */
	unsigned long transactions, reopened;
	unsigned long dumps_abandoned;	/* left with more to come than the batch read */
	unsigned long announcements;	/* changes announced on the events group */
	/* nobody's workers in a user namespace of their own, and in a network namespace too */
	unsigned long in_userns, in_netns;
	unsigned long filtered;		/* requests made again because root must not send them */
	unsigned long accepted[BULKHEAD_CMD_MAX + 1];	/* ACKs by bulkhead command */
	/*
	 * Replies the kernel must not give: malformed ones, and for nobody any ACK or answer but
	 * to a status query.
	 */
	unsigned long violations;
};

struct fuzz_result {
	struct fuzz_totals totals;
	long seconds;
	bool stuck;			/* no request got through for FUZZ_STALL_SECONDS */
	unsigned int bad_exits;		/* workers that could not start or crashed */
	/*
	 * One line per problem: each worker's first wrong reply with its request in hex, each
	 * stuck worker with its last request and its kernel stack.
	 */
	char report[8192];
};

/* Run @plan's workers to the end. 0, or -errno when they could not be started. */
int fuzz_run(const struct fuzz_plan *plan, struct fuzz_result *res);

#endif /* BULKHEAD_SELFTEST_NLFUZZ_RUN_H */
