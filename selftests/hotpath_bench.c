// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead benchmark: what the operations bulkhead decides cost, in one VM boot, as ns per
 * operation and as ratios to "absent" (the module not loaded).
 *
 * Operations: 4 KiB pread and pwrite through an open descriptor, open+close of a bound file
 * and of a deep unbound one, stat, mmap with PROT_EXEC, a unix datagram sent and received, a
 * UDP datagram echoed across a veth pair whose near end is bound to another domain,
 * kill(pid, 0) to a task in another domain, and fork+exec+wait of /bin/true.
 *
 * States: absent; Landlock alone with the same file rules (every filesystem right the
 * kernel's ABI has handled; read and execute beneath /, everything beneath the other domain's
 * directory); the Linux audit subsystem recording the same system calls at their exit, its
 * records drained to tmpfs by a reader registered as its daemon (lib/kaudit.c); the floor
 * (a program that only returns 0 at every hook bulkhead attaches to, build/bpf/floor.bpf.c:
 * what any BPF-LSM costs here); bulkhead loaded in mode off; enforce,
 * where every file operation and the signal is an allowed decision across domains; and the
 * same with every allowed decision recorded ("audit config allows on") while the real
 * recorder drains the ring to tmpfs.
 *
 * The measuring task runs alone on one CPU, everything else on the other. Each state is
 * measured REPS times, interleaved round by round in alternating order (ABC, CBA) with the
 * other states of its phase so that drift cancels: absent, Landlock and Linux audit while the
 * module is absent, then the floor alone, then the loaded states, switched by the CLI.
 * Printed: the median, the spread (max - min over the median) and the ratio of the medians to
 * absent's; then one "bench-json:" line with every round's raw figure.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/landlock.h>

#include "bpf_hooks.h"
#include "floor.skel.h"
#include "kaudit.h"
#include "util.h"
#include "world.h"

#define OWN	"/tmp/bh-hot"
#define OTHER	"/tmp/bh-hot-other"
#define FILE_	OTHER "/f"
#define DEEP	"/tmp/bh-deep/1/2/3/4/5/6/7/8"
#define TRAIL	"/tmp/bh-hot-trail"
#define KEY	"/tmp/bh-hot.key"
#define KAUDIT_LOG	"/tmp/bh-kaudit.log"
/* The measuring task's group, which the Linux audit rule selects. */
#define BENCH_GID	4242
/* The veth pair: bhb0 here, bound to domain "other", and bhb1 in namespace PEER_NS. */
#define PEER_NS		"bh-hot-peer"
#define ECHO_ADDR	"10.79.0.2"
#define ECHO_PORT	7
#define REPS	5

enum op {
	OP_READ, OP_WRITE, OP_OPEN, OP_OPEN_DEEP, OP_STAT, OP_MMAP_EXEC, OP_UNIX, OP_UDP, OP_KILL,
	OP_EXEC, N_OPS
};

static const struct {
	const char *name;
	int n;		/* operations in one round */
} ops[N_OPS] = {
	[OP_READ] = { "read 4 KiB", 10000 },
	[OP_WRITE] = { "write 4 KiB", 10000 },
	[OP_OPEN] = { "open+close", 5000 },
	[OP_OPEN_DEEP] = { "open+close deep", 5000 },
	[OP_STAT] = { "stat", 5000 },
	[OP_MMAP_EXEC] = { "mmap PROT_EXEC", 5000 },
	[OP_UNIX] = { "unix send+recv", 10000 },
	[OP_UDP] = { "udp over veth", 2000 },
	[OP_KILL] = { "kill(pid, 0)", 10000 },
	[OP_EXEC] = { "fork+exec+wait", 100 },
};

enum state {
	ST_ABSENT, ST_LANDLOCK, ST_KAUDIT, ST_FLOOR, ST_OFF, ST_ENFORCE, ST_AUDIT, N_STATES
};

static const char *const state_names[N_STATES] = {
	[ST_ABSENT] = "absent",
	[ST_LANDLOCK] = "landlock, same rules",
	[ST_KAUDIT] = "linux audit, same calls",
	[ST_FLOOR] = "floor (empty programs)",
	[ST_OFF] = "loaded, mode off",
	[ST_ENFORCE] = "enforce, across domains",
	[ST_AUDIT] = "enforce, allows recorded",
};

/* ns[state][op][rep] */
static double ns[N_STATES][N_OPS][REPS];

/* The task in domain "other" that kill(pid, 0) asks about, and the UDP echo. */
static pid_t target, echo;

/* The system calls the operations make, which the Linux audit rule records. */
static const int audited_calls[] = {
	SYS_pread64, SYS_pwrite64, SYS_openat, SYS_close, SYS_newfstatat, SYS_mmap, SYS_munmap,
	SYS_sendto, SYS_recvfrom, SYS_kill, SYS_clone, SYS_clone3, SYS_execve, SYS_wait4,
};
static struct kaudit kaudit = { .fd = -1, .reader = -1 };

/* Add or remove the Linux audit rule recording those calls of the measuring task's group. */
static int bench_rule(bool add)
{
	return kaudit_rule(&kaudit, add, BENCH_GID, audited_calls,
			   sizeof(audited_calls) / sizeof(audited_calls[0]));
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* What the operations work on, opened once per round. */
struct handles {
	int file;		/* FILE_, read and write */
	int pair[2];		/* a unix datagram socket pair */
	int udp;		/* connected to the echo across the veth pair */
};

static int one_op(enum op op, const struct handles *h)
{
	static char buf[4096];
	void *p;
	pid_t pid;
	int f, status;
	struct stat st;

	switch (op) {
	case OP_READ:
		return pread(h->file, buf, sizeof(buf), 0) == sizeof(buf) ? 0 : -1;
	case OP_WRITE:
		return pwrite(h->file, buf, sizeof(buf), 0) == sizeof(buf) ? 0 : -1;
	case OP_OPEN:
	case OP_OPEN_DEEP:
		f = open(op == OP_OPEN ? FILE_ : DEEP "/f", O_RDONLY);
		return f >= 0 && !close(f) ? 0 : -1;
	case OP_STAT:
		return stat(FILE_, &st);
	case OP_MMAP_EXEC:
		p = mmap(NULL, sizeof(buf), PROT_READ | PROT_EXEC, MAP_PRIVATE, h->file, 0);
		return p != MAP_FAILED && !munmap(p, sizeof(buf)) ? 0 : -1;
	case OP_UNIX:
		return send(h->pair[0], "x", 1, 0) == 1 && recv(h->pair[1], buf, 1, 0) == 1 ? 0 : -1;
	case OP_UDP:
		return send(h->udp, "x", 1, 0) == 1 && recv(h->udp, buf, 1, 0) == 1 ? 0 : -1;
	case OP_KILL:
		return kill(target, 0);
	case OP_EXEC:
		pid = fork();
		if (!pid) {
			execl("/bin/true", "true", NULL);
			_exit(127);
		}
		return pid > 0 && waitpid(pid, &status, 0) == pid && !status ? 0 : -1;
	default:
		return -1;
	}
}

/* Every filesystem right of Landlock ABI @abi: 13 in v1, REFER in v2, TRUNCATE in v3,
 * IOCTL_DEV in v5 (the kernel's documented bit order).
 */
static __u64 landlock_fs_rights(int abi)
{
	int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi == 2 ? 14 : 13;

	return (1ULL << bits) - 1;
}

static int landlock_allow(int ruleset, const char *path, __u64 access)
{
	struct landlock_path_beneath_attr rule = { .allowed_access = access };
	int err;

	rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return -1;
	err = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
	close(rule.parent_fd);
	return err;
}

/*
 * The calling task restricts itself as bulkhead's policy does the bench domain: the host's
 * software readable and executable, the other domain's files readable and writable.
 */
static int landlock_restrict(void)
{
	int abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	struct landlock_ruleset_attr attr = { 0 };
	__u64 all, read_exec;
	int ruleset, err;

	if (abi < 1)
		return -1;
	all = landlock_fs_rights(abi);
	read_exec = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_READ_DIR;
	attr.handled_access_fs = all;
	/* Only the filesystem member: the kernel takes a shorter structure than it knows. */
	ruleset = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr.handled_access_fs), 0);
	if (ruleset < 0)
		return -1;
	err = landlock_allow(ruleset, "/", read_exec) || landlock_allow(ruleset, OTHER, all) ||
	      prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	      syscall(SYS_landlock_restrict_self, ruleset, 0);
	close(ruleset);
	return err ? -1 : 0;
}

/*
 * The measuring task has a CPU of its own; everything the bench starts (recorder, audit reader,
 * the CLI) stays on the other.
 */
#define MEASURE_CPU	1
#define OTHER_CPU	0

static int open_handles(struct handles *h)
{
	struct sockaddr_in echo = { .sin_family = AF_INET, .sin_port = htons(ECHO_PORT) };
	/* A datagram lost would otherwise stop the round for good. */
	struct timeval limit = { .tv_sec = 2 };

	inet_pton(AF_INET, ECHO_ADDR, &echo.sin_addr);
	h->file = open(FILE_, O_RDWR);
	h->udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (h->file < 0 || h->udp < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, h->pair) ||
	    setsockopt(h->udp, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit)) ||
	    connect(h->udp, (struct sockaddr *)&echo, sizeof(echo)))
		return -1;
	return 0;
}

/*
 * The far end of the veth pair, in a network namespace of its own: a task that sends every
 * datagram back. It is started before bulkhead is loaded and stays a host task.
 */
static pid_t start_echo(void)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(ECHO_PORT) };
	struct sockaddr_in from;
	socklen_t len;
	char buf[64];
	ssize_t n;
	int ns, fd;
	pid_t pid = fork();

	if (pid)
		return pid;
	inet_pton(AF_INET, ECHO_ADDR, &me.sin_addr);
	ns = open("/run/netns/" PEER_NS, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNET))
		_exit(1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)))
		_exit(1);
	for (;;) {
		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n > 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
}

/* In the bench domain's cgroup: one round of every operation, its ns per op in @r. */
static int measure_ops(void *arg, double *r)
{
	enum state st = *(enum state *)arg;
	struct handles h;
	double t;
	int o, i;

	if (pin_to(MEASURE_CPU) || setgid(BENCH_GID) ||
	    (st == ST_LANDLOCK && landlock_restrict()) || open_handles(&h))
		return -1;
	for (o = 0; o < N_OPS; o++) {
		t = now_ns();
		for (i = 0; i < ops[o].n; i++)
			if (one_op(o, &h))
				return -1;
		r[o] = (now_ns() - t) / ops[o].n;
	}
	return 0;
}

static int measure_round(enum state st, double *out)
{
	return measure_in_cgroup("/bh-hot", measure_ops, &st, out, N_OPS);
}

/* Put the system in state @st. */
static int enter(enum state st)
{
	switch (st) {
	case ST_KAUDIT:
		return bench_rule(true);
	case ST_OFF:
		return sh("bulkhead mode off");
	case ST_ENFORCE:
		return sh("bulkhead audit config allows off && bulkhead mode enforce");
	case ST_AUDIT:
		return sh("bulkhead audit config allows on && bulkhead mode enforce");
	default:
		return 0;
	}
}

/* Take back what enter() did that other states must not see. */
static int leave(enum state st)
{
	return st == ST_KAUDIT ? bench_rule(false) : 0;
}

/*
 * REPS rounds of each of @states (@n of them), in alternating order. Around the recording
 * states' rounds: the records emitted and lost and the time they took.
 */
static long long audit_emitted, audit_lost, kaudit_lost;
static unsigned int kaudit_backlog;
static double audit_seconds, kaudit_seconds;

static int measure_interleaved(const enum state *states, int n)
{
	double r[N_OPS], t;
	long long emitted = 0, lost = 0;
	struct audit_status ks = { 0 };
	__u32 klost = 0;
	int rep, k, o;

	for (rep = 0; rep < REPS; rep++) {
		for (k = 0; k < n; k++) {
			enum state st = states[rep % 2 ? n - 1 - k : k];

			if (enter(st))
				return -1;
			if (st == ST_AUDIT) {
				emitted = audit_stat("emitted");
				lost = audit_stat("lost");
			}
			if (st == ST_KAUDIT && !kaudit_status(&kaudit, &ks))
				klost = ks.lost;
			t = now_ns();
			if (measure_round(st, r) || leave(st)) {
				fprintf(stderr, "hotpath_bench: a round of \"%s\" failed\n",
					state_names[st]);
				return -1;
			}
			if (st == ST_AUDIT) {
				audit_seconds += (now_ns() - t) / 1e9;
				audit_emitted += audit_stat("emitted") - emitted;
				audit_lost += audit_stat("lost") - lost;
			}
			if (st == ST_KAUDIT && !kaudit_status(&kaudit, &ks)) {
				kaudit_seconds += (now_ns() - t) / 1e9;
				kaudit_lost += ks.lost - klost;
				if (ks.backlog > kaudit_backlog)
					kaudit_backlog = ks.backlog;
			}
			for (o = 0; o < N_OPS; o++)
				ns[st][o][rep] = r[o];
		}
	}
	return 0;
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, double *spread)
{
	double s[REPS];

	memcpy(s, v, sizeof(s));
	qsort(s, REPS, sizeof(s[0]), cmp_double);
	*spread = (s[REPS - 1] - s[0]) / s[REPS / 2];
	return s[REPS / 2];
}

static void print_results(const char *verified, long long kaudit_events)
{
	double m[N_STATES][N_OPS], spread;
	int s, o, r;

	for (o = 0; o < N_OPS; o++)
		for (s = 0; s < N_STATES; s++) {
			m[s][o] = median(ns[s][o], &spread);
			printf("bench: %-16s %-25s %9.0f ns/op  spread %4.0f%%  ratio %.3f\n",
			       ops[o].name, state_names[s], m[s][o], spread * 100,
			       m[s][o] / m[ST_ABSENT][o]);
		}
	printf("bench: allows recorded: %lld records in %.1f s (%.0f records/s), %lld lost; "
	       "trail %s\n", audit_emitted, audit_seconds,
	       audit_seconds > 0 ? audit_emitted / audit_seconds : 0, audit_lost, verified);
	printf("bench: linux audit: %lld syscall events in %.1f s (%.0f events/s), %lld lost, "
	       "backlog up to %u\n", kaudit_events, kaudit_seconds,
	       kaudit_seconds > 0 ? kaudit_events / kaudit_seconds : 0, kaudit_lost,
	       kaudit_backlog);
	printf("bench-json: {\"hotpath\": {\"records\": %lld, \"lost\": %lld, "
	       "\"audit_seconds\": %.3f, \"trail\": \"%s\", \"linux_audit_events\": %lld, "
	       "\"linux_audit_lost\": %lld, \"linux_audit_seconds\": %.3f, \"ns_per_op\": {",
	       audit_emitted, audit_lost, audit_seconds, verified, kaudit_events, kaudit_lost,
	       kaudit_seconds);
	for (s = 0; s < N_STATES; s++) {
		printf("%s\"%s\": {", s ? ", " : "", state_names[s]);
		for (o = 0; o < N_OPS; o++) {
			printf("%s\"%s\": [", o ? ", " : "", ops[o].name);
			for (r = 0; r < REPS; r++)
				printf("%s%.0f", r ? ", " : "", ns[s][o][r]);
			printf("]");
		}
		printf("}");
	}
	printf("}}}\n");
}

static const char policy[] =
	"domain bench {\n cgroup /bh-hot\n path " OWN "\n}\n"
	"domain other {\n cgroup /bh-hot-other\n path " OTHER "\n netdev bhb0\n}\n"
	"flow host -> bench { file exec }\nflow host -> other { file exec }\n"
	"flow bench -> other { file signal net }\nflow other -> bench { file exec net }\n";

static void clean_up(void)
{
	if (target > 0) {
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
	}
	if (echo > 0) {
		kill(echo, SIGKILL);
		waitpid(echo, NULL, 0);
	}
	sh("ip link del bhb0 2>/dev/null; ip netns del " PEER_NS " 2>/dev/null");
	kaudit_stop(&kaudit);
	sh("bulkhead mode off; bulkhead audit config allows off; echo > /tmp/bh-empty.bh; "
	   "bulkhead policy apply -q /tmp/bh-empty.bh; rmdir /sys/fs/cgroup/bh-hot "
	   "/sys/fs/cgroup/bh-hot-other; rm -rf " OWN " " OTHER " /tmp/bh-deep " TRAIL " " KEY
	   " /tmp/bh-hot.bh " KAUDIT_LOG);
}

int main(void)
{
	static const enum state absent[] = { ST_ABSENT, ST_LANDLOCK, ST_KAUDIT };
	static const enum state floor_only[] = { ST_FLOOR };
	static const enum state loaded[] = { ST_OFF, ST_ENFORCE, ST_AUDIT };
	const char *verified = "not verified";
	long long kaudit_events;
	struct floor_bpf *floor;
	char out[4096] = "";
	pid_t recorder;

	if (pin_to(OTHER_CPU) ||
	    sh("bulkhead unload >/dev/null 2>&1; mkdir -p " OWN " " OTHER " " DEEP " "
	       "/sys/fs/cgroup/bh-hot /sys/fs/cgroup/bh-hot-other && "
	       "head -c 4096 /dev/zero > " FILE_ " && echo > " DEEP "/f"))
		return 1;
	if (sh("modprobe veth; ip netns add " PEER_NS " && "
	       "ip link add bhb0 type veth peer name bhb1 netns " PEER_NS " && "
	       "ip addr add 10.79.0.1/24 dev bhb0 && ip link set bhb0 up && "
	       "ip -n " PEER_NS " addr add " ECHO_ADDR "/24 dev bhb1 && "
	       "ip -n " PEER_NS " link set bhb1 up") || (echo = start_echo()) < 0) {
		clean_up();
		return 1;
	}
	target = sleeper_in_cgroup("/bh-hot-other");
	if (target < 0 || kaudit_start(&kaudit, KAUDIT_LOG) || measure_interleaved(absent, 3)) {
		fprintf(stderr, "hotpath_bench: failed to measure with the module absent\n");
		clean_up();
		return 1;
	}
	libbpf_set_print(NULL);
	kaudit_stop(&kaudit);
	kaudit = (struct kaudit){ .fd = -1, .reader = -1 };
	kaudit_events = kaudit_count(KAUDIT_LOG, AUDIT_SYSCALL);
	floor = floor_attach();
	if (!floor || measure_interleaved(floor_only, 1)) {
		fprintf(stderr, "hotpath_bench: failed to measure the floor (%s)\n",
			floor ? "measure" : "attach");
		clean_up();
		return 1;
	}
	floor_bpf__destroy(floor);
	if (run_cmd(out, sizeof(out), "bulkhead load && bulkhead audit keygen > " KEY) ||
	    write_file("/tmp/bh-hot.bh", policy) ||
	    run_cmd(out, sizeof(out), "bulkhead policy apply -q /tmp/bh-hot.bh")) {
		fprintf(stderr, "hotpath_bench: failed: %s\n", out);
		clean_up();
		return 1;
	}
	recorder = fork();
	if (!recorder) {
		execlp("bulkhead", "bulkhead", "audit", "record", "--dir", TRAIL, "--fsync",
		       "batch", NULL);
		_exit(127);
	}
	if (measure_interleaved(loaded, 3)) {
		kill(recorder, SIGTERM);
		clean_up();
		return 1;
	}
	sh("bulkhead mode off; bulkhead audit config allows off");
	/* What the recorder has not made durable yet it does before it exits. */
	kill(recorder, SIGTERM);
	waitpid(recorder, NULL, 0);
	if (!run_cmd(out, sizeof(out), "bulkhead audit verify --key-file " KEY " " TRAIL
		     "/trail-*"))
		verified = "verified";
	clean_up();
	print_results(verified, kaudit_events);
	return 0;
}
