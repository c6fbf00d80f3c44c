// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead benchmark: time to apply a policy of 1k, 10k and 100k path bindings, and how the
 * cost per binding grows (1.0 = linear): the netlink transaction alone (the policy built in
 * memory), end to end, "bulkhead policy apply FILE" with its parse, path resolution and
 * process start included (issue #18's measure), and the floor under both, a stat() of each
 * bound path from user space (the lookups an apply cannot avoid); then, in enforce, what an
 * open+close of a file nine directories deep and bound to nothing (each ancestor looked up in
 * the path bindings) costs a task in a domain with 10, 1,000 and 100,000 bindings, and with 10
 * and 1,000 domains, as a ratio to 10 bindings in one domain (1.0 = flat). Run by "make bench"
 * in one VM boot.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "policy_nl.h"
#include "util.h"
#include "world.h"

#define DIR "/tmp/bh-bench"
#define ROUNDS 3
#define DEEP "/tmp/bh-bench-deep/1/2/3/4/5/6/7/8"
#define OPENS 20000
#define SCALE_CGROUP "/bh-scale"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best of ROUNDS applies of a policy binding @n paths; -1 on failure. */
static double apply_ms(struct bh_genl *g, size_t n)
{
	struct bh_policy_id id;
	struct bh_policy p;
	double best = -1, t;
	int round;

	bh_policy_init(&p);
	if (gen_domains(&p, "bench", 1) || gen_path_bindings(&p, DIR, n))
		return -1;
	for (round = 0; round < ROUNDS; round++) {
		t = now_ms();
		if (bh_policy_push(g, &p, &id, stderr))
			return -1;
		t = now_ms() - t;
		if (best < 0 || t < best)
			best = t;
	}
	bh_policy_free(&p);
	return best;
}

/* Best of ROUNDS runs of "bulkhead policy apply" of a file binding @n paths; -1 on failure. */
static double apply_cli_ms(size_t n)
{
	const char *file = "/tmp/bh-bench.bh";
	double best = -1, t;
	FILE *f = fopen(file, "w");
	int round;
	size_t i;

	if (!f)
		return -1;
	fprintf(f, "domain bench {\n");
	for (i = 0; i < n; i++)
		fprintf(f, "\tpath %s/%zu\n", DIR, i);
	fprintf(f, "}\n");
	if (fclose(f))
		return -1;
	for (round = 0; round < ROUNDS; round++) {
		t = now_ms();
		if (sh("bulkhead policy apply -q %s", file))
			return -1;
		t = now_ms() - t;
		if (best < 0 || t < best)
			best = t;
	}
	unlink(file);
	return best;
}

/* Apply time per size by @apply, and how the cost per binding grows. */
static int apply_table(const char *what, double (*apply)(struct bh_genl *g, size_t n),
		       struct bh_genl *g)
{
	static const size_t sizes[] = { 1000, 10000, 100000 };
	double ms[3];
	size_t i;

	printf("policy apply, %s, best of %d, path bindings in one domain:\n", what, ROUNDS);
	for (i = 0; i < 3; i++) {
		ms[i] = apply(g, sizes[i]);
		if (ms[i] < 0)
			return 1;
		printf("  %6zu bindings: %9.1f ms  %6.2f us/binding\n", sizes[i], ms[i],
		       ms[i] * 1000 / sizes[i]);
	}
	printf("  cost per binding, 10k vs 1k: %.2f; 100k vs 1k: %.2f (1.0 = linear)\n",
	       (ms[1] / sizes[1]) / (ms[0] / sizes[0]), (ms[2] / sizes[2]) / (ms[0] / sizes[0]));
	return 0;
}

static double apply_cli(struct bh_genl *g, size_t n)
{
	return apply_cli_ms(n);
}

/*
 * Best of ROUNDS passes of stat() over the @n paths a policy of @n bindings names, in ms: the
 * path lookups that applying it cannot avoid (the kernel resolves each binding's path), made
 * from user space in the same boot, so that the apply times have a floor to be compared with.
 */
static double stat_floor_ms(struct bh_genl *g, size_t n)
{
	double best = -1, t;
	char path[64];
	struct stat st;
	int round;
	size_t i;

	for (round = 0; round < ROUNDS; round++) {
		t = now_ms();
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), DIR "/%zu", i);
			if (stat(path, &st))
				return -1;
		}
		t = now_ms() - t;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* Best of 5 rounds of OPENS open+close of DEEP/f, in ns per operation, into @best. */
static int open_close_rounds(void *arg, double *best)
{
	double t;
	int round, i, fd;

	*best = -1;
	for (round = 0; round < 5; round++) {
		t = now_ms();
		for (i = 0; i < OPENS; i++) {
			fd = open(DEEP "/f", O_RDONLY);
			if (fd < 0)
				return -1;
			close(fd);
		}
		t = (now_ms() - t) * 1e6 / OPENS;
		if (*best < 0 || t < *best)
			*best = t;
	}
	return 0;
}

/*
 * open_close_rounds() by a task in domain bench0 (its cgroup SCALE_CGROUP): a domain's
 * lookups are decided, host's are not; -1 on failure.
 */
static double open_close_ns(void)
{
	double best;

	return measure_in_cgroup(SCALE_CGROUP, open_close_rounds, NULL, &best, 1) ? -1 : best;
}

/*
 * Open+close in enforce with @domains domains, a flow less between them, and @bindings path
 * bindings in force (bench0 holds the task's cgroup and the first bindings, each other domain
 * one binding); -1 on failure.
 */
static double open_close_with(struct bh_genl *g, size_t domains, size_t bindings)
{
	struct bh_policy_id id;
	struct bh_policy p;
	struct bh_flow *f;
	char path[64];
	double ns = -1;
	size_t i;

	bh_policy_init(&p);
	if (gen_domains(&p, "bench", domains) ||
	    gen_path_bindings(&p, DIR, bindings - (domains - 1)) ||
	    !bh_domain_add_binding(&p.domains[0], BULKHEAD_BIND_CGROUP, SCALE_CGROUP) ||
	    gen_flows(&p, domains - 1))
		goto out;
	for (i = 1; i < domains; i++) {
		snprintf(path, sizeof(path), DIR "/%zu", bindings - i);
		if (!bh_domain_add_binding(&p.domains[i], BULKHEAD_BIND_PATH, path))
			goto out;
	}
	/* The host's files (the deep one among them) readable in bench0, as real policies do. */
	f = bh_policy_add_flow(&p, "host", "bench0");
	if (!f)
		goto out;
	f->channels = BULKHEAD_CHAN_FILE | BULKHEAD_CHAN_EXEC;
	if (bh_policy_push(g, &p, &id, stderr) || sh("bulkhead mode enforce"))
		goto out;
	ns = open_close_ns();
	sh("bulkhead mode off");
out:
	bh_policy_free(&p);
	return ns;
}

/*
 * The decision path's scaling (issue #18: 100,000 bindings within 10% of 10), in path bindings
 * and in domains.
 */
static int scaling(struct bh_genl *g)
{
	static const struct {
		size_t domains, bindings;
	} runs[] = { { 1, 10 }, { 1, 1000 }, { 1, 100000 }, { 10, 10 }, { 1000, 1000 } };
	double ns[ARRAY_SIZE(runs)];
	size_t i;

	if (sh("mkdir -p " DEEP " /sys/fs/cgroup" SCALE_CGROUP " && echo x > " DEEP "/f"))
		return 1;
	printf("open+close of an unbound file 9 levels deep by a task in a domain, enforce, best "
	       "of 5 x %d:\n", OPENS);
	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		ns[i] = open_close_with(g, runs[i].domains, runs[i].bindings);
		if (ns[i] < 0)
			return 1;
		printf("  %4zu domains, %6zu bindings: %8.0f ns/op  ratio to 1 domain, 10 bindings: "
		       "%.3f\n", runs[i].domains, runs[i].bindings, ns[i], ns[i] / ns[0]);
	}
	sh("rmdir /sys/fs/cgroup" SCALE_CGROUP);
	return 0;
}

int main(void)
{
	struct bh_genl g;

	if (gen_dirs(DIR, 100000) || bh_genl_open(&g)) {
		fprintf(stderr, "policy_bench: cannot set up (is bulkhead loaded?)\n");
		return 1;
	}
	if (apply_table("the netlink transaction", apply_ms, &g) ||
	    apply_table("end to end (bulkhead policy apply FILE)", apply_cli, &g) ||
	    apply_table("the floor: stat() of each bound path from user space", stat_floor_ms,
			&g))
		return 1;
	if (scaling(&g))
		return 1;
	bh_genl_close(&g);
	return 0;
}
