// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead benchmark: the hottest paths - 4 KiB read and write through an open descriptor, and
 * open plus close - with the module absent, loaded in mode off, and in enforce with a
 * realistic policy (the task in a domain of its own, its files bound to it, flows from host
 * for the system's programs). Printed as ns per operation and as ratios to "absent", all in
 * one VM boot. Targets (issue #10): read/write within 5%, open/close within 10% of absent.
 *
 * The floor: with the module absent, a program that only returns 0 attached to every hook
 * bulkhead attaches to (build/bpf/floor.bpf.c). What that costs, any BPF-LSM costs on this
 * kernel and machine; "mode off" minus floor is bulkhead's own cost when it decides nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bpf_hooks.h"
#include "floor.skel.h"
#include "util.h"

#define DIR	"/tmp/bh-hot"
#define FILE_	DIR "/f"
#define ROUNDS	5
#define OPS	20000

enum op { OP_READ, OP_WRITE, OP_OPEN_CLOSE, N_OPS };
static const char *const op_names[N_OPS] = { "read 4 KiB", "write 4 KiB", "open+close" };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of ROUNDS of OPS operations, in ns per operation; -1 on failure. */
static double measure(enum op op)
{
	static char buf[4096];
	double best = -1, t;
	int round, i, fd;

	fd = open(FILE_, O_RDWR);
	if (fd < 0)
		return -1;
	for (round = 0; round < ROUNDS; round++) {
		t = now_ns();
		for (i = 0; i < OPS; i++) {
			int ok;

			if (op == OP_READ) {
				ok = pread(fd, buf, sizeof(buf), 0) == sizeof(buf);
			} else if (op == OP_WRITE) {
				ok = pwrite(fd, buf, sizeof(buf), 0) == sizeof(buf);
			} else {
				int f = open(FILE_, O_RDONLY);

				ok = f >= 0 && !close(f);
			}
			if (!ok) {
				close(fd);
				return -1;
			}
		}
		t = (now_ns() - t) / OPS;
		if (best < 0 || t < best)
			best = t;
	}
	close(fd);
	return best;
}

/* Measure every operation in a child placed in @cgroup ("" for where we are). */
static int measure_all(const char *cgroup, double *ns)
{
	int pipefd[2], status;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		char path[128];
		double r[N_OPS];
		int o;

		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cgroup);
		if (*cgroup && write_file(path, "0"))
			_exit(1);
		for (o = 0; o < N_OPS; o++)
			r[o] = measure(o);
		_exit(write(pipefd[1], r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], ns, N_OPS * sizeof(*ns)) != N_OPS * sizeof(*ns))
		status = -1;
	else if (waitpid(pid, &status, 0) != pid || status)
		status = -1;
	close(pipefd[0]);
	return status;
}

/* Attach the floor's programs; NULL on failure. */
static struct floor_bpf *floor_attach(void)
{
	struct floor_bpf *skel = floor_bpf__open();
	int i;

	if (!skel)
		return NULL;
	bh_skip_absent_hooks(skel->obj);
	if (floor_bpf__load(skel))
		goto fail;
	/* Into the skeleton's links, which floor_bpf__destroy() detaches. */
	for (i = 0; i < skel->skeleton->prog_cnt; i++) {
		const struct bpf_prog_skeleton *p = &skel->skeleton->progs[i];

		if (!bpf_program__autoload(*p->prog))
			continue;
		*p->link = bpf_program__attach(*p->prog);
		if (!*p->link)
			goto fail;
	}
	return skel;
fail:
	floor_bpf__destroy(skel);
	return NULL;
}

static const char policy[] =
	"domain bench {\n cgroup /bh-hot\n path " DIR "\n}\n"
	"domain other {\n path /tmp/bh-hot-other\n}\n"
	"flow host -> bench { file exec }\nflow host -> other { file exec }\n"
	"flow bench -> other { file }\n";

int main(void)
{
	static const char *const states[] = { "absent", "floor (empty programs)",
					      "loaded, mode off", "enforce, in a domain" };
	enum { N_STATES = sizeof(states) / sizeof(states[0]) };
	double ns[N_STATES][N_OPS];
	struct floor_bpf *floor;
	char out[4096] = "";
	int s, o;

	if (sh("bulkhead unload >/dev/null 2>&1; mkdir -p " DIR " /tmp/bh-hot-other "
	       "/sys/fs/cgroup/bh-hot && head -c 4096 /dev/zero > " FILE_) ||
	    measure_all("", ns[0])) {
		fprintf(stderr, "hotpath_bench: failed to measure with the module absent\n");
		return 1;
	}
	libbpf_set_print(NULL);
	floor = floor_attach();
	if (!floor || measure_all("", ns[1])) {
		fprintf(stderr, "hotpath_bench: failed to measure the floor (%s)\n",
			floor ? "measure" : "attach");
		return 1;
	}
	floor_bpf__destroy(floor);
	if (run_cmd(out, sizeof(out), "bulkhead load") || measure_all("", ns[2]) ||
	    write_file("/tmp/bh-hot.bh", policy) ||
	    run_cmd(out, sizeof(out), "bulkhead policy apply /tmp/bh-hot.bh && "
		    "bulkhead mode enforce") ||
	    measure_all("/bh-hot", ns[3])) {
		fprintf(stderr, "hotpath_bench: failed: %s\n", out);
		sh("bulkhead mode off");
		return 1;
	}
	sh("bulkhead mode off; echo > /tmp/bh-empty.bh; bulkhead policy apply /tmp/bh-empty.bh; "
	   "rmdir /sys/fs/cgroup/bh-hot; rm -rf " DIR " /tmp/bh-hot-other /tmp/bh-hot.bh");
	for (s = 0; s < N_STATES; s++)
		for (o = 0; o < N_OPS; o++)
			printf("bench: %-12s %-22s %8.0f ns/op  ratio %.3f\n", op_names[o], states[s],
			       ns[s][o], ns[s][o] / ns[0][o]);
	return 0;
}
