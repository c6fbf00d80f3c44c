// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead benchmark: how fast sealed audit records are made, sealed, recorded and verified,
 * in one VM boot (issue #18: the recorder keeps up with 50,000 records a second with
 * "--fsync batch", and states its rate with "--fsync record").
 *
 * Each record is an allowed decision across domains (kill(pid, 0) from domain "bench" to a task
 * in domain "other", enforce, "audit config allows on"), made by a task alone on one CPU; the
 * recorder runs on the other.
 *
 * - made and sealed: N records produced with no recorder running (the ring holds them all),
 *   the time to make them and the time until the kernel's worker has sealed the last;
 * - drained: the recorder started on that full ring (DRAIN records), with "--fsync batch" and
 *   "--fsync record": the records it acknowledged (written to tmpfs and made durable) a
 *   second, from its first acknowledgement to its last, so that its start (exec, reading back
 *   its trail) is left out;
 * - live: LIVE records made at 25,000 and 50,000 a second and as fast as the task can while the
 *   recorder drains ("--fsync batch"): the rate made, and the records lost (drop mode: counted,
 *   announced in the stream);
 * - verified: "bulkhead audit verify" of the whole trail, records a second.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bulkhead.h>

#include "genl.h"
#include "util.h"
#include "world.h"

#define TRAIL	"/tmp/bh-rec-trail"
#define KEY	"/tmp/bh-rec.key"
#define POLICY	"/tmp/bh-rec.bh"
#define SLOTS	65536
#define DRAIN	60000
#define LIVE	200000
#define MEASURE_CPU	1
#define OTHER_CPU	0

static const char policy[] =
	"domain bench {\n cgroup /bh-rec\n}\ndomain other {\n cgroup /bh-rec-other\n}\n"
	"flow bench -> other { signal }\n";

static pid_t target, recorder;

struct ring {
	unsigned long long next_seq, sealed, acked, lost;
};

static int ring_cb(struct nlattr **attrs, void *arg)
{
	struct ring *r = arg;

	if (!attrs[BULKHEAD_A_AUDIT_NEXT_SEQ] || !attrs[BULKHEAD_A_AUDIT_SEALED] ||
	    !attrs[BULKHEAD_A_AUDIT_ACKED] || !attrs[BULKHEAD_A_AUDIT_LOST])
		return -EPROTO;
	r->next_seq = nla_get_u64(attrs[BULKHEAD_A_AUDIT_NEXT_SEQ]);
	r->sealed = nla_get_u64(attrs[BULKHEAD_A_AUDIT_SEALED]);
	r->acked = nla_get_u64(attrs[BULKHEAD_A_AUDIT_ACKED]);
	r->lost = nla_get_u64(attrs[BULKHEAD_A_AUDIT_LOST]);
	return 0;
}

static int ring_get(struct bh_genl *g, struct ring *r)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_AUDIT_STATS_GET, 0);

	return msg ? bh_genl_call(g, msg, ring_cb, r) : -ENOMEM;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define PACE_BURST	100

static void sleep_until(double when)
{
	struct timespec ts = { .tv_sec = (time_t)when };

	ts.tv_nsec = (long)((when - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

struct production {
	long n, pace;
};

/* In domain bench, on the measuring CPU: make the records, their time in @secs. */
static int make_records(void *arg, double *secs)
{
	const struct production *p = arg;
	double t;
	long i;

	if (pin_to(MEASURE_CPU))
		return -1;
	t = now_s();
	for (i = 0; i < p->n; i++) {
		/* Paced in bursts, sleeping until each is due: the CPU is idle between them. */
		if (p->pace && i % PACE_BURST == 0)
			sleep_until(t + (double)i / p->pace);
		if (kill(target, 0))
			return -1;
	}
	*secs = now_s() - t;
	return 0;
}

/* Make @n records at @pace records a second (0: as fast as the task can); their time in @secs. */
static int produce(long n, long pace, double *secs)
{
	struct production p = { .n = n, .pace = pace };

	return measure_in_cgroup("/bh-rec", make_records, &p, secs, 1);
}

static int start_recorder(const char *fsync)
{
	recorder = fork();
	if (recorder == 0) {
		if (pin_to(OTHER_CPU))
			_exit(1);
		execlp("bulkhead", "bulkhead", "audit", "record", "--dir", TRAIL, "--fsync",
		       fsync, NULL);
		_exit(127);
	}
	return recorder < 0 ? -1 : 0;
}

static void stop_recorder(void)
{
	if (recorder > 0) {
		kill(recorder, SIGTERM);
		waitpid(recorder, NULL, 0);
	}
	recorder = 0;
}

/* Poll until @done says the ring is where it should be; seconds since @t0, or -1. */
static double wait_for(struct bh_genl *g, double t0, bool (*done)(const struct ring *r),
		       struct ring *r)
{
	double limit = 300.0 * slow_factor();

	while (now_s() - t0 < limit) {
		if (ring_get(g, r))
			return -1;
		if (done(r))
			return now_s() - t0;
		usleep(1000);
	}
	fprintf(stderr, "recorder_bench: waited %.0f s (next %llu sealed %llu acked %llu)\n",
		limit, r->next_seq, r->sealed, r->acked);
	return -1;
}

static bool all_sealed(const struct ring *r)
{
	return r->sealed + 1 >= r->next_seq;
}

static bool all_acked(const struct ring *r)
{
	return r->acked + 1 >= r->next_seq;
}

/* The next record before a recorder started: its "reader attached" record takes it. */
static unsigned long long attach_seq;

/* The recorder has made its "reader attached" record and acknowledged it: it reads. */
static bool recorder_attached(const struct ring *r)
{
	return r->next_seq > attach_seq && all_acked(r);
}

struct drain {
	double made, sealed;	/* seconds */
	double rate;		/* records drained a second, once the recorder has started */
};

/* The acknowledged record before a recorder started. */
static unsigned long long acked_before;

/* The recorder has acknowledged its first batch: it has started. */
static bool first_batch_acked(const struct ring *r)
{
	return r->acked > acked_before;
}

/* @n records made and sealed with no recorder, then drained by one with --fsync @fsync. */
static int made_then_drained(struct bh_genl *g, long n, const char *fsync, struct drain *d)
{
	struct ring before, first, r;
	double t0, secs;

	if (ring_get(g, &before))
		return -1;
	t0 = now_s();
	if (produce(n, 0, &d->made))
		return -1;
	d->sealed = wait_for(g, t0, all_sealed, &r);
	if (d->sealed < 0)
		return -1;
	if (r.lost != before.lost || r.next_seq - before.next_seq != (unsigned long long)n) {
		fprintf(stderr, "recorder_bench: %llu records lost, %llu made of %ld\n",
			r.lost - before.lost, r.next_seq - before.next_seq, n);
		return -1;
	}
	/* From its first acknowledgement on: its start (exec, reading its trail back) apart. */
	acked_before = r.acked;
	if (start_recorder(fsync) || wait_for(g, now_s(), first_batch_acked, &first) < 0) {
		stop_recorder();
		return -1;
	}
	t0 = now_s();
	secs = wait_for(g, t0, all_acked, &r);
	stop_recorder();
	if (secs <= 0)
		return -1;
	d->rate = (r.acked - first.acked) / secs;
	/* Progress, on the console as it happens (the table comes at the end). */
	fprintf(stderr, "recorder_bench: %ld made in %.2f s, sealed in %.2f s, drained with "
		"--fsync %s at %.0f/s\n", n, d->made, d->sealed, fsync, d->rate);
	return 0;
}

/*
 * The paces of the live runs, records a second: issue #18's 50,000 (zero loss wanted with
 * --fsync batch), half that, and as fast as the task can (0).
 */
static const long paces[] = { 25000, 50000, 0 };
#define N_PACES	3

struct live {
	double secs;
	unsigned long long lost;
};

/* LIVE records made at @pace while a recorder drains the ring, until it acknowledged all. */
static int live_run(struct bh_genl *g, long pace, struct live *l)
{
	struct ring before, after;
	int ret;

	/* Made once the recorder reads: its start is measured by the drains above. */
	ret = ring_get(g, &before);
	attach_seq = before.next_seq;
	ret = ret || start_recorder("batch") ||
	      wait_for(g, now_s(), recorder_attached, &after) < 0 ||
	      produce(LIVE, pace, &l->secs) || wait_for(g, now_s(), all_acked, &after) < 0;
	stop_recorder();
	l->lost = after.lost - before.lost;
	if (!ret)
		fprintf(stderr, "recorder_bench: %d made at %.0f/s (pace %ld), %llu lost\n", LIVE,
			LIVE / l->secs, pace, l->lost);
	return ret ? -1 : 0;
}

static void clean_up(void)
{
	stop_recorder();
	/* In enforce no flow lets host signal domain other: the target dies once it is off. */
	sh("bulkhead mode off; bulkhead audit config allows off");
	if (target > 0) {
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
	}
	sh("echo > /tmp/bh-empty.bh; bulkhead policy apply -q /tmp/bh-empty.bh; "
	   "rmdir /sys/fs/cgroup/bh-rec /sys/fs/cgroup/bh-rec-other; "
	   "rm -rf " TRAIL " " KEY " " POLICY "; bulkhead unload && bulkhead load >/dev/null");
}

int main(void)
{
	static const char *const modes[] = { "batch", "record" };
	struct drain drain[2];
	double verify;
	struct live live[N_PACES];
	struct ring after;
	char out[4096] = "";
	long long records;
	struct bh_genl g;
	int m;

	if (pin_to(MEASURE_CPU) ||
	    sh("bulkhead unload >/dev/null 2>&1; bulkhead load --audit-slots %d >/dev/null && "
	       "mkdir -p /sys/fs/cgroup/bh-rec /sys/fs/cgroup/bh-rec-other", SLOTS) ||
	    (target = sleeper_in_cgroup("/bh-rec-other")) < 0 ||
	    write_file(POLICY, policy) ||
	    run_cmd(out, sizeof(out), "bulkhead audit keygen > " KEY " && "
		    "bulkhead policy apply -q " POLICY " && bulkhead mode enforce && "
		    "bulkhead audit config allows on") ||
	    bh_genl_open(&g)) {
		fprintf(stderr, "recorder_bench: cannot set up: %s\n", out);
		clean_up();
		return 1;
	}
	for (m = 0; m < 2; m++) {
		if (made_then_drained(&g, DRAIN, modes[m], &drain[m])) {
			fprintf(stderr, "recorder_bench: --fsync %s failed\n", modes[m]);
			clean_up();
			return 1;
		}
	}
	for (m = 0; m < N_PACES; m++) {
		if (live_run(&g, paces[m], &live[m])) {
			fprintf(stderr, "recorder_bench: the live run at %ld/s failed\n", paces[m]);
			clean_up();
			return 1;
		}
	}
	if (ring_get(&g, &after)) {
		clean_up();
		return 1;
	}
	records = after.next_seq - 1;
	verify = now_s();
	if (run_cmd(out, sizeof(out), "bulkhead audit verify --key-file " KEY " " TRAIL
		    "/trail-*")) {
		fprintf(stderr, "recorder_bench: the trail does not verify: %s\n", out);
		clean_up();
		return 1;
	}
	verify = now_s() - verify;
	bh_genl_close(&g);
	clean_up();

	printf("bench: sealed audit records, each an allowed kill(pid, 0) across domains:\n");
	printf("  made (no recorder): %.0f records/s; sealed by the kernel's worker: %.0f "
	       "records/s\n", DRAIN / drain[0].made, DRAIN / drain[0].sealed);
	for (m = 0; m < 2; m++)
		printf("  recorder --fsync %-6s drains a full ring at %.0f records/s\n", modes[m],
		       drain[m].rate);
	for (m = 0; m < N_PACES; m++)
		printf("  live, recorder --fsync batch running, made %s%6ld a second: %d made at %.0f "
		       "records/s, %llu lost\n", paces[m] ? "at " : "as fast as it can", paces[m],
		       LIVE, LIVE / live[m].secs, live[m].lost);
	printf("  audit verify: %lld records in %.2f s (%.0f records/s)\n", records, verify,
	       records / verify);
	printf("bench-json: {\"recorder\": {\"made_per_s\": %.0f, \"sealed_per_s\": %.0f, "
	       "\"drain_batch_per_s\": %.0f, \"drain_record_per_s\": %.0f, \"verify_per_s\": %.0f, "
	       "\"live\": [", DRAIN / drain[0].made, DRAIN / drain[0].sealed, drain[0].rate,
	       drain[1].rate, records / verify);
	for (m = 0; m < N_PACES; m++)
		printf("%s{\"pace\": %ld, \"made_per_s\": %.0f, \"lost\": %llu}", m ? ", " : "",
		       paces[m], LIVE / live[m].secs, live[m].lost);
	printf("]}}\n");
	return 0;
}
