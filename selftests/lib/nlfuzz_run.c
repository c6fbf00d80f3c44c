// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: running the netlink fuzzer.
 *
 * Each worker is a process with SOCKETS_PER_WORKER raw sockets and its own stream of the
 * seed (so one worker replays byte for byte). Between the generator's requests it runs
 * transactions whose steps hop from socket to socket and end in a commit, an abort, a closed
 * socket or nothing, starts policy dumps and walks away from them, rebuilds the seed policy
 * now and then, and reopens sockets. Every reply is checked as it arrives (check_*()).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlfuzz_gen.h"
#include "nlfuzz_run.h"
#include "rawgenl.h"
#include "util.h"

#define SOCKETS_PER_WORKER	3
/* Bytes of a request quoted in a report. */
#define REPORT_BYTES		512

/* What one worker tells the parent, in memory shared across fork(). */
struct worker_report {
	struct fuzz_totals t;
	volatile unsigned long sent;		/* requests sent so far */
	volatile int finished;
	/* the request in flight, for a report when the kernel never returns from it */
	volatile unsigned int current_len;
	uint8_t current[REPORT_BYTES];
	char violation[2 * REPORT_BYTES + 512];	/* the first, with its request */
};

struct worker {
	const struct fuzz_plan *plan;
	struct worker_report *rep;
	unsigned int index;
	struct fuzz_gen gen;
	int fds[SOCKETS_PER_WORKER];
	uint8_t *req;		/* the request last sent, FUZZ_MAX_REQUEST bytes */
	size_t req_len;
	uint8_t *rx;		/* RAWGENL_RECV_SIZE bytes */
	/* since these were cleared: a policy dump's message, a dump's end */
	bool saw_dump, saw_done;
};

static void hex(char *out, size_t len, const uint8_t *p, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used + 3 < len; i++)
		used += snprintf(out + used, len - used, "%02x", p[i]);
}

static void violation(struct worker *w, const char *what, int detail)
{
	struct worker_report *rep = w->rep;
	char bytes[2 * REPORT_BYTES + 1];
	size_t shown = w->req_len < REPORT_BYTES ? w->req_len : REPORT_BYTES;

	if (rep->t.violations++)
		return;
	hex(bytes, sizeof(bytes), w->req, shown);
	snprintf(rep->violation, sizeof(rep->violation),
		 "request %lu: %s %d; request (%zu bytes%s): %s", rep->sent, what, detail,
		 w->req_len, shown < w->req_len ? ", cut" : "", bytes);
}

/* --- replies ------------------------------------------------------------------------------ */

/* The command of the message in our last request whose header the kernel echoed, or -1. */
static int echoed_cmd(const struct worker *w, const struct nlmsghdr *echo)
{
	const uint8_t *p = w->req;
	size_t len = w->req_len, step;
	struct nlmsghdr nlh;

	/* The walk of netlink_rcv_skb(): a length that does not fit ends the request. */
	while (len >= NLMSG_LENGTH(GENL_HDRLEN)) {
		memcpy(&nlh, p, sizeof(nlh));
		if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len)
			break;
		if (!memcmp(&nlh, echo, sizeof(nlh)))
			return ((const struct genlmsghdr *)(p + NLMSG_HDRLEN))->cmd;
		step = NLMSG_ALIGN(nlh.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return echo->nlmsg_seq & FUZZ_SEQ_BULKHEAD ? (int)FUZZ_SEQ_CMD(echo->nlmsg_seq) : -1;
}

/* An ACK: for nobody, no bulkhead request but a status query may have been accepted. */
static void check_ack(struct worker *w, const struct nlmsghdr *echo)
{
	int cmd;

	w->rep->t.acks++;
	if (echo->nlmsg_type != w->plan->family || !(echo->nlmsg_flags & NLM_F_REQUEST) ||
	    echo->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return;
	cmd = echoed_cmd(w, echo);
	if (cmd >= 0 && cmd <= BULKHEAD_CMD_MAX)
		w->rep->t.accepted[cmd]++;
	if (!w->plan->root && cmd >= 0 && cmd != BULKHEAD_CMD_STATUS_GET)
		violation(w, "nobody's request was accepted: command", cmd);
}

static void check_error(struct worker *w, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		violation(w, "an error message too short for its header: length", nlh->nlmsg_len);
		return;
	}
	if (e->error > 0 || e->error < -4095)
		violation(w, "an error message without an errno:", e->error);
	else if (e->error)
		w->rep->t.refusals++;
	else
		check_ack(w, &e->msg);
}

/* The end of a dump: an errno, and for nobody never the end of a policy dump that worked. */
static void check_done(struct worker *w, const struct nlmsghdr *nlh)
{
	int error;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(error))) {
		violation(w, "a dump's end without its errno: length", nlh->nlmsg_len);
		return;
	}
	w->saw_done = true;
	memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
	if (error > 0 || error < -4095)
		violation(w, "a dump ended with no errno:", error);
	else if (!error && !w->plan->root && (nlh->nlmsg_seq & FUZZ_SEQ_BULKHEAD) &&
		 FUZZ_SEQ_CMD(nlh->nlmsg_seq) == BULKHEAD_CMD_POLICY_GET)
		violation(w, "nobody's policy dump completed: error", 0);
}

/*
 * A bulkhead message: well-formed; for nobody, only ever a status reply (an announcement on
 * the events group would mean something changed).
 */
static void check_data(struct worker *w, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nlh);

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
		violation(w, "a reply too short for its generic netlink header: length",
			  nlh->nlmsg_len);
		return;
	}
	if (gh->cmd == BULKHEAD_CMD_CHANGE_NTF)
		w->rep->t.announcements++;
	if (gh->cmd == BULKHEAD_CMD_POLICY_GET)
		w->saw_dump = true;
	if (!w->plan->root && gh->cmd != BULKHEAD_CMD_STATUS_GET)
		violation(w, "nobody got a reply carrying command", gh->cmd);
}

static int check_reply(const struct nlmsghdr *nlh, size_t room, void *arg)
{
	struct worker *w = arg;

	w->rep->t.replies++;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		check_error(w, nlh);
	else if (nlh->nlmsg_type == NLMSG_DONE)
		check_done(w, nlh);
	else if (nlh->nlmsg_type == w->plan->family)
		check_data(w, nlh);
	return 0;
}

/* Read what the kernel queued on socket @slot; a full receive buffer only drops replies. */
static void drain(struct worker *w, int slot)
{
	int ret;

	while ((ret = rawgenl_drain(w->fds[slot], w->rx, check_reply, w)) == -ENOBUFS)
		w->rep->t.dropped++;
	if (ret == -EPROTO)
		violation(w, "a reply datagram that is no sequence of messages:", ret);
	else if (ret < 0)
		violation(w, "reading replies failed:", ret);
}

static void drain_all(struct worker *w)
{
	int slot;

	for (slot = 0; slot < SOCKETS_PER_WORKER; slot++)
		drain(w, slot);
}

/* --- requests ----------------------------------------------------------------------------- */

static void trace(const struct worker *w, int slot)
{
	static char line[2 * FUZZ_MAX_REQUEST + 1];

	hex(line, sizeof(line), w->req, w->req_len);
	fprintf(stderr, "# nlfuzz: worker %u request %lu socket %d: %s\n", w->index,
		w->rep->sent, slot, line);
}

/* Send the request in w->req on socket @slot, and read the replies unless @keep_replies. */
static void send_request(struct worker *w, int slot, bool keep_replies)
{
	struct worker_report *rep = w->rep;
	size_t shown = w->req_len < REPORT_BYTES ? w->req_len : REPORT_BYTES;

	memcpy(rep->current, w->req, shown);
	rep->current_len = w->req_len;
	if (w->plan->trace)
		trace(w, slot);
	/* Refusals of the send itself (a datagram past the socket's buffer) are fine. */
	if (rawgenl_send(w->fds[slot], w->req, w->req_len))
		rep->t.send_errors++;
	rep->sent++;
	if (!keep_replies)
		drain(w, slot);
}

/* A well-formed request for @cmd, asking for an ACK; @tame: with values the kernel takes. */
static void send_wellformed(struct worker *w, int slot, uint8_t cmd, bool tame)
{
	w->req_len = (tame ? fuzz_tame : fuzz_wellformed)(&w->gen, cmd, NLM_F_ACK, w->req,
							   FUZZ_MAX_REQUEST);
	send_request(w, slot, false);
}

static int pick_slot(struct worker *w)
{
	return fuzz_below(&w->gen.rng, SOCKETS_PER_WORKER);
}

/* Mostly @slot, now and then another socket: transactions interleave across sockets. */
static int hop(struct worker *w, int slot)
{
	return fuzz_chance(&w->gen.rng, 25) ? pick_slot(w) : slot;
}

/*
 * Open socket @slot; a third of them listen to the events group too, so that changes are
 * announced to sockets that come and go (for nobody, no change may be announced at all).
 */
static void open_socket(struct worker *w, int slot)
{
	int err;

	w->fds[slot] = rawgenl_open();
	err = w->fds[slot] < 0 ? w->fds[slot] : 0;
	if (!err && fuzz_chance(&w->gen.rng, 33))
		err = rawgenl_join(w->fds[slot], w->plan->events);
	if (err) {
		violation(w, "cannot open a socket:", err);
		_exit(1);
	}
}

/* Close socket @slot, abandoning its transaction and dump, and open a fresh one. */
static void reopen(struct worker *w, int slot)
{
	close(w->fds[slot]);
	open_socket(w, slot);
	w->rep->t.reopened++;
}

static void act_random(struct worker *w)
{
	w->req_len = fuzz_request(&w->gen, w->req, FUZZ_MAX_REQUEST);
	send_request(w, pick_slot(w), false);
}

/*
 * BEGIN, a few ADD and DEL, then a commit, an abort, a closed socket or nothing at all; tame
 * (values the kernel accepts) more often than not, so that some get all the way through.
 */
static void act_transaction(struct worker *w)
{
	int slot = pick_slot(w);
	unsigned int i, n = 1 + fuzz_below(&w->gen.rng, 4);
	bool tame = fuzz_chance(&w->gen.rng, 60);

	w->rep->t.transactions++;
	send_wellformed(w, slot, BULKHEAD_CMD_TXN_BEGIN, tame);
	for (i = 0; i < n; i++)
		send_wellformed(w, hop(w, slot), fuzz_chance(&w->gen.rng, 70) ?
				BULKHEAD_CMD_TXN_ADD : BULKHEAD_CMD_TXN_DEL, tame);
	switch (fuzz_below(&w->gen.rng, 4)) {
	case 0:
		send_wellformed(w, hop(w, slot), BULKHEAD_CMD_TXN_COMMIT, tame);
		break;
	case 1:
		send_wellformed(w, hop(w, slot), BULKHEAD_CMD_TXN_ABORT, tame);
		break;
	case 2:
		reopen(w, slot);
		break;
	default:
		/* left open: the next BEGIN anywhere is refused until this socket goes */
		break;
	}
}

/*
 * Start a policy dump on a fresh socket, whose first batch is a page (later ones grow to what
 * the socket reads at once), read at most that batch, then close or reuse the socket.
 */
static void act_abandon_dump(struct worker *w)
{
	int slot = pick_slot(w);
	int n;

	reopen(w, slot);
	w->req_len = fuzz_wellformed(&w->gen, BULKHEAD_CMD_POLICY_GET, NLM_F_DUMP, w->req,
				     FUZZ_MAX_REQUEST);
	send_request(w, slot, true);
	w->saw_dump = false;
	w->saw_done = false;
	n = rawgenl_recv_wait(w->fds[slot], w->rx, 0);
	if (n > 0 && rawgenl_walk(w->rx, n, check_reply, w))
		violation(w, "a reply datagram that is no sequence of messages: length", n);
	if (w->saw_dump && !w->saw_done)
		w->rep->t.dumps_abandoned++;
	if (fuzz_chance(&w->gen.rng, 50)) {
		reopen(w, slot);
		return;
	}
	/* a second request while the dump is running: its replies wait behind the dump's */
	w->req_len = fuzz_request(&w->gen, w->req, FUZZ_MAX_REQUEST);
	send_request(w, slot, true);
}

/* Back to the seed policy, so that names and dumps keep meaning something. */
static void act_rebuild(struct worker *w)
{
	int slot = pick_slot(w);

	w->req_len = fuzz_plain(&w->gen, BULKHEAD_CMD_TXN_BEGIN, NLM_F_ACK, w->req,
				FUZZ_MAX_REQUEST);
	send_request(w, slot, false);
	w->req_len = fuzz_seed_add(&w->gen, w->req, FUZZ_MAX_REQUEST);
	send_request(w, slot, false);
	w->req_len = fuzz_plain(&w->gen, BULKHEAD_CMD_TXN_COMMIT, NLM_F_ACK, w->req,
				FUZZ_MAX_REQUEST);
	send_request(w, slot, false);
}

static void act_ctrl_policy(struct worker *w)
{
	w->req_len = fuzz_ctrl_policy_dump(&w->gen, w->req, FUZZ_MAX_REQUEST);
	send_request(w, pick_slot(w), false);
}

static void act(struct worker *w)
{
	unsigned int r = fuzz_below(&w->gen.rng, 100);

	if (r < 72)
		act_random(w);
	else if (r < 84)
		act_transaction(w);
	else if (r < 85)
		act_rebuild(w);
	else if (r < 90)
		act_abandon_dump(w);
	else if (r < 94)
		reopen(w, pick_slot(w));
	else if (r < 96)
		act_ctrl_policy(w);
	else
		drain_all(w);
}

/* --- workers ------------------------------------------------------------------------------ */

/* Nobody, and without a single capability left: effective, permitted or ambient. */
static int drop_privileges(void)
{
	char line[256];
	FILE *f;
	int bad = 0;

	if (become_nobody())
		return -1;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cap", 3) && strncmp(line, "CapBnd:", 7) &&
		    !strstr(line, "0000000000000000"))
			bad = 1;
	fclose(f);
	return bad ? -1 : 0;
}

/*
 * Nobody's second and third workers go on into a user namespace of their own, where they
 * hold every capability (the third in a network namespace too): capabilities count in the
 * initial user namespace only, and the family lives in the initial network namespace only.
 * Where unprivileged user namespaces are off, they stay as they are.
 */
static void enter_namespaces(struct worker *w)
{
	static const int flags[] = { 0, CLONE_NEWUSER, CLONE_NEWUSER | CLONE_NEWNET };
	int which = w->index % 3;

	if (flags[which] && !unshare(flags[which])) {
		w->rep->t.in_userns = 1;
		w->rep->t.in_netns = which == 2;
	}
}

static unsigned long quota(const struct fuzz_plan *plan, unsigned int index)
{
	return plan->requests / plan->workers + (index < plan->requests % plan->workers);
}

static void __attribute__((noreturn)) worker_main(const struct fuzz_plan *plan,
						  struct worker_report *rep, unsigned int index)
{
	struct worker w = { .plan = plan, .rep = rep, .index = index };
	unsigned long todo = quota(plan, index);
	int slot;

	w.req = malloc(FUZZ_MAX_REQUEST);
	w.rx = malloc(RAWGENL_RECV_SIZE);
	/* The kernel checks the capabilities of whoever opened a socket: drop them first. */
	if (!w.req || !w.rx || (!plan->root && drop_privileges())) {
		violation(&w, "cannot set the worker up: errno", errno);
		_exit(1);
	}
	if (!plan->root)
		enter_namespaces(&w);
	w.gen.family = plan->family;
	w.gen.root = plan->root;
	/* One stream per worker and sender, so nobody's and root's requests differ. */
	fuzz_rng_init(&w.gen.rng, plan->seed, 2 * index + plan->root);
	for (slot = 0; slot < SOCKETS_PER_WORKER; slot++)
		open_socket(&w, slot);
	while (rep->sent < todo)
		act(&w);
	drain_all(&w);
	rep->t.filtered = w.gen.filtered;
	rep->t.sent = rep->sent;
	rep->finished = 1;
	_exit(0);
}

/* --- running them ------------------------------------------------------------------------- */

static unsigned long total_sent(struct worker_report *reps, unsigned int n)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += reps[i].sent;
	return sum;
}

static bool all_finished(struct worker_report *reps, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!reps[i].finished)
			return false;
	return true;
}

/* Where task @pid is in the kernel: its system call and kernel stack, on one line. */
static void kernel_whereabouts(pid_t pid, char *out, size_t len)
{
	char path[64], line[256];
	size_t used = 0;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	if (!read_line(path, line, sizeof(line)))
		used += snprintf(out, len, "syscall %s; stack:", line);
	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	f = fopen(path, "r");
	while (f && used < len && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		used += snprintf(out + used, len - used, " %s", line);
	}
	if (f)
		fclose(f);
}

/* Append a line to @res->report. */
static void report(struct fuzz_result *res, const char *fmt, ...)
{
	size_t used = strlen(res->report);
	va_list ap;

	if (used + 2 >= sizeof(res->report))
		return;
	va_start(ap, fmt);
	vsnprintf(res->report + used, sizeof(res->report) - used - 1, fmt, ap);
	va_end(ap);
	strcat(res->report, "\n");
}

static void report_stuck(const struct fuzz_plan *plan, struct worker_report *reps,
			 const pid_t *pids, struct fuzz_result *res)
{
	char bytes[2 * REPORT_BYTES + 1], where[1024];
	unsigned int i, len;

	for (i = 0; i < plan->workers; i++) {
		if (reps[i].finished)
			continue;
		len = reps[i].current_len;
		hex(bytes, sizeof(bytes), reps[i].current, len < REPORT_BYTES ? len : REPORT_BYTES);
		kernel_whereabouts(pids[i], where, sizeof(where));
		report(res, "worker %u stopped after request %lu (%u bytes): %s; %s", i,
		       reps[i].sent, len, bytes, where);
	}
}

/* Wait for the workers, watching that they move. Returns false when one stopped. */
static bool watch_workers(const struct fuzz_plan *plan, struct worker_report *reps,
			  const pid_t *pids, struct fuzz_result *res)
{
	unsigned long last = 0, now;
	time_t moved = time(NULL);

	while (!all_finished(reps, plan->workers)) {
		usleep(200 * 1000);
		now = total_sent(reps, plan->workers);
		if (now != last) {
			last = now;
			moved = time(NULL);
		} else if (time(NULL) - moved > FUZZ_STALL_SECONDS) {
			report_stuck(plan, reps, pids, res);
			return false;
		}
	}
	return true;
}

static void add_totals(struct fuzz_totals *sum, const struct worker_report *rep)
{
	const struct fuzz_totals *t = &rep->t;
	unsigned int cmd;

	for (cmd = 0; cmd <= BULKHEAD_CMD_MAX; cmd++)
		sum->accepted[cmd] += t->accepted[cmd];
	sum->sent += rep->sent;
	sum->replies += t->replies;
	sum->acks += t->acks;
	sum->refusals += t->refusals;
	sum->dropped += t->dropped;
	sum->send_errors += t->send_errors;
	sum->transactions += t->transactions;
	sum->dumps_abandoned += t->dumps_abandoned;
	sum->reopened += t->reopened;
	sum->announcements += t->announcements;
	sum->in_userns += t->in_userns;
	sum->in_netns += t->in_netns;
	sum->filtered += t->filtered;
	sum->violations += t->violations;
}

/* Reap the workers (not those stuck in the kernel, which may never die) and add them up. */
static void collect(const struct fuzz_plan *plan, struct worker_report *reps,
		    const pid_t *pids, struct fuzz_result *res)
{
	unsigned int i;
	int status;

	for (i = 0; i < plan->workers; i++) {
		if (res->stuck)
			kill(pids[i], SIGKILL);
		if (waitpid(pids[i], &status, res->stuck ? WNOHANG : 0) == pids[i] &&
		    !(WIFEXITED(status) && !WEXITSTATUS(status))) {
			res->bad_exits++;
			report(res, "worker %u ended with status 0x%x", i, status);
		}
		if (reps[i].t.violations)
			report(res, "worker %u: %lu wrong replies, the first: %s", i,
			       reps[i].t.violations, reps[i].violation);
		add_totals(&res->totals, &reps[i]);
	}
}

int fuzz_run(const struct fuzz_plan *plan, struct fuzz_result *res)
{
	size_t size = plan->workers * sizeof(struct worker_report);
	struct worker_report *reps;
	time_t start = time(NULL);
	pid_t pids[FUZZ_MAX_WORKERS];
	unsigned int i;

	memset(res, 0, sizeof(*res));
	if (!plan->workers || plan->workers > FUZZ_MAX_WORKERS)
		return -EINVAL;
	reps = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (reps == MAP_FAILED)
		return -errno;
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < plan->workers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			/* the ones started run to their end; their results count */
			res->bad_exits += plan->workers - i;
			report(res, "cannot start worker %u: %s", i, strerror(errno));
			break;
		}
		if (!pids[i])
			worker_main(plan, &reps[i], i);
	}
	res->stuck = !watch_workers(plan, reps, pids, res);
	collect(plan, reps, pids, res);
	res->seconds = time(NULL) - start;
	munmap(reps, size);
	return 0;
}
