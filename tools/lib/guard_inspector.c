// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's inspector - the child process that runs the content checks
 * (libmagic, the deny patterns) on staged copies. They parse what a sender wrote: content
 * that crashes or stalls them must cost that one file (rejected, inspect:crashed or
 * inspect:timeout), never the guard, so they run in a child with a CPU limit per file and a
 * deadline. One child serves file after file: it is forked with libmagic's database and the
 * patterns loaded, and again only after one died. A fork per file cost far more than the
 * checks of a small file (the child faulted libmagic's database and buffers in anew each
 * time; docs/performance.md). A child a hostile file took over could answer for the files
 * after it; it could as well when forked per file, since it runs with the guard's own
 * rights (no seccomp filter yet, docs/exchange.md), and every file it sees comes from the
 * one sender.
 *
 * The guard writes a request (the staged copy's id and size) on one pipe; the child opens
 * staging/ID.data itself, read-only, and answers on the other in one write: 'C' clean,
 * 'R' and a reason, 'E' and an error, 'M' when the copy is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard_int.h"

/* The content checks' limits per file: CPU seconds, and wall-clock seconds for the answer. */
#define INSPECT_CPU_S		60
#define INSPECT_TIMEOUT_S	120

struct request {
	uint64_t id;
	uint64_t size;
};

/* Shorter than PIPE_BUF: written and read whole, in one call. */
#define ANSWER_LEN (BH_GUARD_REASON_LEN + 1)

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The CPU limit from now: the child's own time so far plus INSPECT_CPU_S (SIGXCPU past it). */
static void arm_cpu_limit(void)
{
	struct rlimit lim;
	struct rusage ru;
	rlim_t used;

	if (getrusage(RUSAGE_SELF, &ru) || getrlimit(RLIMIT_CPU, &lim))
		return;
	used = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1;
	lim.rlim_cur = used + INSPECT_CPU_S;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_cur > lim.rlim_max)
		lim.rlim_cur = lim.rlim_max;
	setrlimit(RLIMIT_CPU, &lim);
}

/* The child: answer requests until the guard closes its end (or dies: PR_SET_PDEATHSIG). */
static void __attribute__((noreturn)) serve(struct bh_guard *g, int req, int ans)
{
	char answer[ANSWER_LEN], data[32];
	struct request r;
	int fd;

	for (;;) {
		if (read(req, &r, sizeof(r)) != sizeof(r))
			_exit(0);
		arm_cpu_limit();
		bh_guard_data_name(data, sizeof(data), r.id);
		fd = openat(g->staging_fd, data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			answer[0] = errno == ENOENT ? 'M' : 'E';
			snprintf(answer + 1, sizeof(answer) - 1, "%s", strerror(errno));
		} else {
			answer[0] = bh_guard_check_content(g, fd, r.size, answer + 1,
							   sizeof(answer) - 1) ? 'E' :
				    answer[1] ? 'R' : 'C';
			close(fd);
		}
		if (write(ans, answer, strlen(answer)) < 0)
			_exit(1);
	}
}

static void close_pipes(struct bh_guard *g)
{
	if (g->inspector_req >= 0)
		close(g->inspector_req);
	if (g->inspector_ans >= 0)
		close(g->inspector_ans);
	g->inspector_req = g->inspector_ans = -1;
}

void bh_guard_inspector_stop(struct bh_guard *g)
{
	if (!g->inspector)
		return;
	/* Its work, if any, is nobody's any more: no need to wait for it. */
	kill(g->inspector, SIGKILL);
	close_pipes(g);
	waitpid(g->inspector, NULL, 0);
	g->inspector = 0;
	g->inspecting = 0;
}

static int start(struct bh_guard *g)
{
	int req[2], ans[2];
	pid_t parent = getpid(), pid;

	if (pipe2(req, O_CLOEXEC))
		return bh_guard_fail(g, "inspector: %s", strerror(errno));
	if (pipe2(ans, O_CLOEXEC)) {
		close(req[0]);
		close(req[1]);
		return bh_guard_fail(g, "inspector: %s", strerror(errno));
	}
	pid = fork();
	if (!pid) {
		close(req[1]);
		close(ans[0]);
		/* A guard killed (or crashing) takes its inspector along. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		serve(g, req[0], ans[1]);
	}
	close(req[0]);
	close(ans[1]);
	if (pid < 0) {
		close(req[1]);
		close(ans[0]);
		return bh_guard_fail(g, "inspector: %s", strerror(errno));
	}
	g->inspector = pid;
	g->inspector_req = req[1];
	g->inspector_ans = ans[0];
	return 0;
}

/*
 * The answer to the request in progress, into @answer (NUL-terminated): 1 when there is one,
 * 0 when the inspector died or overran its deadline (it is stopped then).
 */
static int answer_of(struct bh_guard *g, char *answer, bool *timeout)
{
	struct pollfd p = { .fd = g->inspector_ans, .events = POLLIN };
	uint64_t deadline = monotonic_ms() + INSPECT_TIMEOUT_S * 1000ULL, now;
	ssize_t n = -1;
	int ret;

	*timeout = false;
	for (;;) {
		now = monotonic_ms();
		if (now >= deadline) {
			*timeout = true;
			break;
		}
		ret = poll(&p, 1, deadline - now);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			*timeout = !ret;
			break;
		}
		n = read(g->inspector_ans, answer, ANSWER_LEN);
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	g->inspecting = 0;
	if (n > 0) {
		answer[n] = '\0';
		return 1;
	}
	bh_guard_inspector_stop(g);
	return 0;
}

int bh_guard_inspector_ready(struct bh_guard *g)
{
	return g->inspector ? 0 : start(g);
}

/*
 * One request to an inspector that may have died: EPIPE, not the SIGPIPE that would kill the
 * guard (a library does not change the process's signal dispositions, so the signal is held
 * back for the write and taken away if it was raised by it).
 */
static bool send_request(struct bh_guard *g, const struct request *r)
{
	const struct timespec zero = { 0 };
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	n = write(g->inspector_req, r, sizeof(*r));
	if (n < 0 && errno == EPIPE && !was_pending)
		sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return n == sizeof(*r);
}

int bh_guard_inspector_begin(struct bh_guard *g, const struct bh_guard_entry *e)
{
	struct request r = { .id = e->id, .size = e->size };
	char answer[ANSWER_LEN + 1];
	bool timeout;

	if (g->inspecting == e->id)
		return 0;
	/* A file the guard gave up on (an error after it was handed over): its answer goes. */
	if (g->inspecting)
		answer_of(g, answer, &timeout);
	if (!g->inspector && start(g))
		return -1;
	if (!send_request(g, &r)) {
		/* Died since its last answer (its CPU limit, a signal): once more, a new one. */
		bh_guard_inspector_stop(g);
		if (start(g))
			return -1;
		if (!send_request(g, &r)) {
			bh_guard_fail(g, "inspector: %s", strerror(errno));
			bh_guard_inspector_stop(g);
			return -1;
		}
	}
	g->inspecting = e->id;
	return 0;
}

int bh_guard_inspector_end(struct bh_guard *g, struct bh_guard_entry *e)
{
	char answer[ANSWER_LEN + 1];
	bool timeout;

	if (bh_guard_inspector_begin(g, e))
		return -1;
	if (!answer_of(g, answer, &timeout)) {
		e->verdict = BH_GUARD_REJECTED;
		snprintf(e->reason, sizeof(e->reason), "inspect:%s", timeout ? "timeout" : "crashed");
		return 0;
	}
	switch (answer[0]) {
	case 'C':
		return 0;
	case 'R':
		e->verdict = BH_GUARD_REJECTED;
		snprintf(e->reason, sizeof(e->reason), "%.*s", (int)sizeof(e->reason) - 1, answer + 1);
		return 0;
	case 'M':
		/* Gone from the guard's own area: that transfer failed, the others go on. */
		e->verdict = BH_GUARD_FAILED;
		snprintf(e->reason, sizeof(e->reason), "staged-copy-missing");
		return 0;
	default:
		return bh_guard_fail(g, "%s/%" PRIu64 ".data: %s", g->cfg->staging, e->id,
				     answer + 1);
	}
}
