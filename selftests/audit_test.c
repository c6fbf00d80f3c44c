// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the audit trail on a real module - the one-time key, gapless sealed
 * records from concurrent producers, the recorder (killed and restarted), verification of the
 * recorded trail and of tampered copies, a reader falling behind, and the drop and block
 * failure modes with a tiny ring. The tests run in order and share one trail: the key is kept
 * in KEY_FILE between them.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bulkhead_audit.h>
#include <linux/capability.h>
#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

#define KEY_FILE	"/tmp/bha.key"
#define TRAIL_DIR	"/tmp/bha"
#define DEVICE		BULKHEAD_AUDIT_DEVICE
/*
 * a may write into b but not read it: each read of b's file is against the policy, one record
 * per read, made by file_open (a one-way flow, as the diode has, keeps the records' shape).
 */
#define A_WRITES_B	"flow a -> b { file }"

/*
 * The tests run in the order written, each on what the last left (a trail, a ring's size), so
 * they share one fixture, which holds nothing: the harness runs plain TEST()s before any
 * fixture's, and only a fixture's tests can be given an alarm of their own. Tests that reload
 * the module get a longer one: a load verifies every BPF program, which under emulation, with
 * "make check" running three kernels' VMs side by side on two CPUs, took longer than the
 * default 30 s (CI).
 */
#define RELOAD_TIMEOUT	180
FIXTURE(trail) {};
FIXTURE_SETUP(trail) {}
FIXTURE_TEARDOWN(trail) {}

/* Reload bulkhead with a ring of @slots records: a new trail, whose key is not taken yet. */
static int reload(unsigned int slots, char *log, size_t len)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "bulkhead mode off; bulkhead unload && "
		 "bulkhead load --audit-slots %u", slots);
	return run_cmd(log, len, cmd);
}

static pid_t start_recorder(const char *dir)
{
	pid_t pid = fork();

	if (!pid) {
		execlp("bulkhead", "bulkhead", "audit", "record", "--dir", dir, "--fsync",
		       "batch", NULL);
		_exit(127);
	}
	return pid;
}

/* Wait until every sealed record is acknowledged (the recorder caught up). */
static int wait_acked(void)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (audit_stat("acknowledged") == audit_stat("sealed"))
			return 0;
		usleep(50000);
	}
	return -1;
}

static int stop_recorder(pid_t pid, int sig)
{
	int status;

	kill(pid, sig);
	waitpid(pid, &status, 0);
	return status;
}

static int op_read_b(void *arg)
{
	int i, fd, n = *(int *)arg, err = 0;

	for (i = 0; i < n; i++) {
		fd = open("/tmp/bhe/b/fb", O_RDONLY);
		if (fd < 0)
			err = errno;
		else
			close(fd);
	}
	return err;
}

/* @n decisions against the policy from a task in domain a pinned to @cpu. */
static pid_t producer(int cpu, int n)
{
	pid_t pid = fork();
	cpu_set_t set;

	if (!pid) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		_exit(run_in_cgroup("/bhe/a", op_read_b, &n) < 0);
	}
	return pid;
}

static int verify(char *out, size_t len, const char *files)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "bulkhead audit verify --key-file " KEY_FILE " %s", files);
	return run_cmd(out, len, cmd);
}

/* BH-AUD-4: the initial key is handed out once, then the module no longer has it. */
TEST_F_TIMEOUT(trail, key_handed_out_once, RELOAD_TIMEOUT)
{
	char out[4096];

	ASSERT_EQ(0, reload(4096, out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit keygen > " KEY_FILE));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "cat " KEY_FILE));
	EXPECT_EQ(65, strlen(out)) TH_LOG("%s", out);
	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead audit keygen"));
	EXPECT_NE(NULL, strstr(out, "handed out already")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit stats -j"));
	EXPECT_NE(NULL, strstr(out, "\"key_taken\":true")) TH_LOG("%s", out);
}

/*
 * BH-AUD-1, BH-AUD-2, BH-AUD-5: decisions from both CPUs at once become one gapless sealed
 * trail, across a key epoch, that the recorder stores and verify accepts.
 */
TEST_F(trail, concurrent_decisions_recorded_and_verified)
{
	long long before;
	char out[4096];
	pid_t rec, p0, p1;
	int status;

	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	sh("rm -rf " TRAIL_DIR);
	rec = start_recorder(TRAIL_DIR);
	ASSERT_LT(0, rec);
	before = audit_stat("emitted");
	p0 = producer(0, 600);
	p1 = producer(1, 600);
	waitpid(p0, &status, 0);
	EXPECT_EQ(0, status);
	waitpid(p1, &status, 0);
	EXPECT_EQ(0, status);
	EXPECT_LE(before + 1200, audit_stat("emitted"));
	ASSERT_EQ(0, wait_acked());
	EXPECT_EQ(0, stop_recorder(rec, SIGTERM));
	world_remove();
	EXPECT_EQ(0, verify(out, sizeof(out), TRAIL_DIR "/trail-*")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "verified")) TH_LOG("%s", out);
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "test $(bulkhead audit tail --type decision "
			     "--decision would_deny --domain b " TRAIL_DIR "/trail-* | wc -l) "
			     "-ge 1200"));
	EXPECT_LE(1, audit_stat("epoch"));
	/*
	 * The object: b's file, named from the task's root (BH-AUD-1), not within its
	 * filesystem (/tmp is a tmpfs, where it is /bhe/b/fb).
	 */
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --decision would_deny "
			     "--since-seq 100 --until-seq 2000 " TRAIL_DIR "/trail-* | head -n 1"));
	EXPECT_NE(NULL, strstr(out, "name=\"/tmp/bhe/b/fb\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "op=file_open")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "from=b to=a channel=file")) TH_LOG("%s", out);
	/* The acting task's own domain: a reads (the flow goes to it). */
	EXPECT_NE(NULL, strstr(out, "subj_domain=a")) TH_LOG("%s", out);
}

/* Byte offsets of the records of @path: their count, up to @max. */
static int record_offsets(const char *path, long *off, int max)
{
	struct bulkhead_audit_hdr hdr;
	int fd = open(path, O_RDONLY), n = 0;
	long pos = 0;

	while (fd >= 0 && n < max && pread(fd, &hdr, sizeof(hdr), pos) == sizeof(hdr)) {
		off[n++] = pos;
		pos += hdr.size;
	}
	if (fd >= 0)
		close(fd);
	return n;
}

/* BH-AUD-6: each kind of tampering with the real recorded trail is caught and named. */
TEST_F(trail, tampered_copies_rejected)
{
	const char *trail = TRAIL_DIR "/trail-000001";
	long off[64];
	char out[4096];

	ASSERT_LE(20, record_offsets(trail, off, 64));
	/* One byte of record 10's fields changed. */
	ASSERT_EQ(0, sh("cp %s /tmp/t-mod && printf 'X' | dd of=/tmp/t-mod bs=1 seek=%ld "
			"conv=notrunc 2>/dev/null", trail, off[9] + 60));
	EXPECT_EQ(1, verify(out, sizeof(out), "/tmp/t-mod")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "record 10")) TH_LOG("%s", out);
	/* Record 5 cut out. */
	ASSERT_EQ(0, sh("head -c %ld %s > /tmp/t-del && tail -c +%ld %s >> /tmp/t-del",
			off[4], trail, off[5] + 1, trail));
	EXPECT_EQ(1, verify(out, sizeof(out), "/tmp/t-del")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "deleted")) TH_LOG("%s", out);
	/* The end cut in the middle of a record. */
	ASSERT_EQ(0, sh("head -c %ld %s > /tmp/t-cut", off[19] + 10, trail));
	EXPECT_EQ(1, verify(out, sizeof(out), "/tmp/t-cut")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "truncated")) TH_LOG("%s", out);
	/* Records 3 and 4 swapped (they may differ in size). */
	ASSERT_EQ(0, sh("head -c %ld %s > /tmp/t-swap && dd if=%s bs=1 skip=%ld count=%ld "
			"2>/dev/null >> /tmp/t-swap && dd if=%s bs=1 skip=%ld count=%ld "
			"2>/dev/null >> /tmp/t-swap && tail -c +%ld %s >> /tmp/t-swap",
			off[2], trail, trail, off[3], off[4] - off[3], trail, off[2],
			off[3] - off[2], off[4] + 1, trail));
	/* Streaming, the first bad record is 4 where 3 belongs. */
	EXPECT_EQ(1, verify(out, sizeof(out), "/tmp/t-swap")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "record 4")) TH_LOG("%s", out);
	/* The intact trail with the wrong key. */
	ASSERT_EQ(0, sh("echo 0000000000000000000000000000000000000000000000000000000000000000"
			" > /tmp/t-key"));
	EXPECT_EQ(1, run_cmd(out, sizeof(out), "bulkhead audit verify --key-file /tmp/t-key "
			     TRAIL_DIR "/trail-*")) TH_LOG("%s", out);
	sh("rm -f /tmp/t-mod /tmp/t-del /tmp/t-cut /tmp/t-swap /tmp/t-key");
}

/* BH-AUD-3: a recorder killed and restarted loses nothing and repeats nothing. */
TEST_F(trail, recorder_killed_and_restarted)
{
	char out[4096];
	int n = 100, status;
	pid_t rec;

	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	rec = start_recorder(TRAIL_DIR);
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	ASSERT_EQ(0, wait_acked());
	stop_recorder(rec, SIGKILL);
	/* Made while no recorder runs: kept by the ring until the next one reads them. */
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	rec = start_recorder(TRAIL_DIR);
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	world_remove();
	ASSERT_EQ(0, wait_acked());
	status = stop_recorder(rec, SIGTERM);
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, verify(out, sizeof(out), TRAIL_DIR "/trail-*")) TH_LOG("%s", out);
	EXPECT_EQ(0, audit_stat("lost"));
}

/* BH-AUD-3: a reader that falls behind a small ring is told so (EPIPE), never skipped. */
TEST_F_TIMEOUT(trail, reader_behind_gets_epipe, RELOAD_TIMEOUT)
{
	struct bulkhead_audit_hdr *hdr;
	char out[4096], rec[BULKHEAD_AUDIT_MAX_RECORD];
	int fd, n = 8, epipe = 0, i;
	uint64_t first;
	pid_t recorder;

	ASSERT_EQ(0, reload(16, out, sizeof(out))) TH_LOG("%s", out);
	fd = open(DEVICE, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, rec, sizeof(rec)));
	first = ((struct bulkhead_audit_hdr *)rec)->seq;
	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	recorder = start_recorder("/tmp/bhb");
	/* In small batches, each acknowledged before the next, so none is lost. */
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, wait_acked());
		EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	}
	ASSERT_EQ(0, wait_acked());
	for (i = 0; i < 4; i++) {
		if (read(fd, rec, sizeof(rec)) < 0 && errno == EPIPE)
			epipe++;
	}
	EXPECT_EQ(1, epipe);
	ASSERT_LT(0, read(fd, rec, sizeof(rec)));
	hdr = (struct bulkhead_audit_hdr *)rec;
	EXPECT_LT(first + 16, hdr->seq);
	close(fd);
	stop_recorder(recorder, SIGTERM);
	world_remove();
	sh("rm -rf /tmp/bhb");
}

/* BH-AUD-3: drop mode - the LOST records in the stream add up to the lost counter. */
TEST_F_TIMEOUT(trail, drop_mode_lost_records_match_counter, RELOAD_TIMEOUT)
{
	char out[8192];
	int n = 100;
	long long lost, counted = 0;
	pid_t recorder;
	char *p;

	/* A new trail: every loss since load is in this test's LOST records. */
	ASSERT_EQ(0, reload(16, out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config failure drop"));
	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	lost = audit_stat("lost");
	EXPECT_LT(0, lost);
	sh("rm -rf /tmp/bhc");
	recorder = start_recorder("/tmp/bhc");
	world_remove();
	ASSERT_EQ(0, wait_acked());
	usleep(200000);
	ASSERT_EQ(0, wait_acked());
	stop_recorder(recorder, SIGTERM);
	lost = audit_stat("lost");
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail -j --type lost /tmp/bhc/*"));
	for (p = strstr(out, "\"lost_count\":"); p; p = strstr(p + 1, "\"lost_count\":"))
		counted += atoll(p + strlen("\"lost_count\":"));
	EXPECT_EQ(lost, counted) TH_LOG("%s", out);
	sh("rm -rf /tmp/bhc");
}

static int op_read_b_as_nobody(void *arg)
{
	int err = become_nobody();

	return err ? -err : op_read_b(arg);
}

/*
 * BH-AUD-3: block mode - with the ring full, an operation whose record cannot be kept is
 * denied and counted as prevented; a CAP_AUDIT_CONTROL holder is exempt (its record lost).
 */
TEST_F(trail, block_mode_prevents_except_privileged)
{
	long long prevented, lost;
	char out[4096];
	int n = 40, five = 5, one = 1;

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config failure block"));
	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	sh("chmod 755 /tmp/bhe /tmp/bhe/b; chmod 644 /tmp/bhe/b/fb");
	/* Fill the ring: no recorder acknowledges anything. */
	run_in_cgroup("/bhe/a", op_read_b, &n);
	prevented = audit_stat("prevented");
	lost = audit_stat("lost");
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b_as_nobody, &five));
	EXPECT_EQ(prevented + 5, audit_stat("prevented"));
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &one));
	EXPECT_EQ(lost + 1, audit_stat("lost"));
	sh("bulkhead audit config failure drop");
	world_remove();
}

static int op_read_b_once(void *arg)
{
	int one = 1;

	return op_read_b(&one);
}

/* Records emitted by one read of b's file from domain a, with @flows and @allows. */
static long long records_for_one_read(const char *flows, const char *allows)
{
	long long before;
	char out[4096];

	if (world_make(flows, "enforce", out, sizeof(out)) ||
	    sh("bulkhead audit config allows %s", allows))
		return -1;
	before = audit_stat("emitted");
	if (run_in_cgroup("/bhe/a", op_read_b_once, NULL))
		return -1;
	return audit_stat("emitted") - before;
}

/*
 * BH-AUD-1: an allowed operation is recorded along a flow declared "audit", or everywhere
 * across domains when the configuration says so, and not otherwise.
 */
TEST_F_TIMEOUT(trail, allowed_operations_recorded_when_asked, RELOAD_TIMEOUT)
{
	char out[4096];

	/* A roomy ring again: the last tests left a tiny, full one. */
	ASSERT_EQ(0, reload(4096, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(1, records_for_one_read("flow b -> a { file } audit", "off"));
	EXPECT_EQ(0, records_for_one_read("flow b -> a { file }", "off"));
	EXPECT_EQ(1, records_for_one_read("flow b -> a { file }", "on"));
	sh("bulkhead audit config allows off");
	world_remove();
}

static int op_udp_to_b(void *arg)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "10.78.0.2", &to.sin_addr);
	return sendto(fd, "a", 1, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? errno : 0;
}

/* BH-AUD-1: a packet's record names the interface, addresses, protocol and ports. */
TEST_F(trail, packet_record_names_addresses)
{
	char out[8192];

	sh("ip link del bhaud0");
	ASSERT_EQ(0, sh("modprobe veth && ip link add bhaud0 type veth peer name bhaud1 && "
			"ip addr add 10.78.0.1/24 dev bhaud0 && ip link set bhaud0 up && "
			"ip link set bhaud1 up"));
	ASSERT_EQ(0, world_make_with("", "netdev bhaud0", "", "enforce", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_EQ(EPERM, run_in_cgroup("/bhe/a", op_udp_to_b, NULL));
	world_remove();
	sh("ip link del bhaud0");
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --decision denied "
			     "--domain b | grep nf_post_routing | tail -n 1"));
	EXPECT_NE(NULL, strstr(out, "netdev=\"bhaud0\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "proto=17 src_addr=10.78.0.1 dst_addr=10.78.0.2")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "dport=9")) TH_LOG("%s", out);
}

/*
 * BH-AUD-1: with export on, decisions reach the Linux audit subsystem as INTEGRITY_RULE
 * (1805) records, by the names the tools print (export_scenario.sh has ausearch read them).
 */
TEST_F(trail, records_exported_to_audit_subsystem)
{
	char out[4096];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit config export on"));
	ASSERT_EQ(0, world_make(A_WRITES_B, "enforce", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b_once, NULL));
	world_remove();
	sh("bulkhead audit config export off");
	usleep(500000);
	/* Without auditd, the kernel's audit thread prints what it holds. */
	EXPECT_EQ(0, run_cmd(out, sizeof(out), "dmesg | grep 'type=1805' | grep 'lsm=bulkhead seq=' "
			     "| grep 'decision=denied' | grep 'op=file_open' | tail -n 1"));
	EXPECT_NE(NULL, strstr(out, " res=0 from=\"b\" to=\"a\" channel=file subj_domain=\"a\"")) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, "name=\"/tmp/bhe/b/fb\"")) TH_LOG("%s", out);
}

/* BH-AUD-3: a full disk stops a recorder told to stop; its records stay in the ring. */
TEST_F_TIMEOUT(trail, recorder_reports_disk_full, RELOAD_TIMEOUT)
{
	char out[4096];
	int n = 200, status;
	pid_t rec;

	sh("umount /tmp/bhfull; rm -rf /tmp/bhfull; mkdir -p /tmp/bhfull");
	ASSERT_EQ(0, sh("mount -t tmpfs -o size=16k tmpfs /tmp/bhfull"));
	ASSERT_EQ(0, reload(4096, out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	rec = fork();
	if (!rec) {
		int fd = open("/tmp/bhfull.err", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 2);
		execlp("bulkhead", "bulkhead", "audit", "record", "--dir", "/tmp/bhfull/t",
		       "--disk-full", "stop", NULL);
		_exit(127);
	}
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &n));
	waitpid(rec, &status, 0);
	world_remove();
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	ASSERT_EQ(0, read_line("/tmp/bhfull.err", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "disk full")) TH_LOG("%s", out);
	EXPECT_LT(audit_stat("acknowledged"), audit_stat("sealed"));
	EXPECT_EQ(0, audit_stat("lost"));
	sh("umount /tmp/bhfull; rm -rf /tmp/bhfull /tmp/bhfull.err");
}

/*
 * Open the trail in a child that stays uid 0 (so that no file permission can refuse it) but
 * holds CAP_AUDIT_READ and CAP_AUDIT_CONTROL only as asked: 0, or the errno of the open.
 */
static int open_trail_holding(int flags, bool audit_read, bool audit_control)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];
	int status, fd, i;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int drop[2] = { audit_read ? -1 : CAP_AUDIT_READ,
				audit_control ? -1 : CAP_AUDIT_CONTROL };

		if (syscall(SYS_capget, &hdr, caps))
			_exit(254);
		for (i = 0; i < 2; i++) {
			if (drop[i] < 0)
				continue;
			caps[CAP_TO_INDEX(drop[i])].effective &= ~CAP_TO_MASK(drop[i]);
			caps[CAP_TO_INDEX(drop[i])].permitted &= ~CAP_TO_MASK(drop[i]);
		}
		if (syscall(SYS_capset, &hdr, caps))
			_exit(255);
		fd = open(DEVICE, flags);
		_exit(fd < 0 ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Reads of b's file by a task in a, a millisecond apart, until a stop file appears. */
static int op_read_b_until_stop(void *arg)
{
	int fd;

	while (access("/tmp/bhe-stop", F_OK)) {
		fd = open("/tmp/bhe/b/fb", O_RDONLY);
		if (fd >= 0)
			close(fd);
		usleep(1000);
	}
	return 0;
}

/* How many lines of the recorded file_open decisions of a's task @grep selects. */
static long long count_reads(const char *grep)
{
	char out[64], cmd[1024];

	snprintf(cmd, sizeof(cmd), "bulkhead audit tail --type decision --hook file_open "
		 "--subject a /tmp/bhg/trail-* | grep 'name=\"/tmp/bhe/b/fb\"' | %s | wc -l",
		 grep);
	return run_cmd(out, sizeof(out), cmd) ? -1 : atoll(out);
}

/*
 * BH-AUD-1: a decision's record names the generation of the policy that made it, not the one
 * in force when the record was written: while a task in a keeps reading b's file, the flow
 * b -> a comes and goes; every read recorded as allowed names a generation with the flow,
 * every one recorded as against the policy (would_deny, audit mode) one without it.
 */
TEST_F(trail, decision_names_its_own_generation)
{
	char out[4096], with[512] = "", *at, grep[640];
	int status, i;
	pid_t reader, rec;
	long long lost = audit_stat("lost");

	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	unlink("/tmp/bhe-stop");
	sh("rm -rf /tmp/bhg");
	rec = start_recorder("/tmp/bhg");
	ASSERT_LT(0, rec);
	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader)
		_exit(run_in_cgroup("/bhe/a", op_read_b_until_stop, NULL));
	for (i = 0; i < 12; i++) {
		ASSERT_EQ(0, run_cmd(out, sizeof(out), i % 2 ? "bulkhead flow del b a" :
				     "bulkhead flow add b a file audit")) TH_LOG("%s", out);
		/* The generations with the flow: "... generation N ..." of the change's line. */
		at = strstr(out, "generation ");
		ASSERT_NE(NULL, at) TH_LOG("%s", out);
		if (!(i % 2))
			snprintf(with + strlen(with), sizeof(with) - strlen(with), "%s%lld",
				 *with ? "|" : "", atoll(at + strlen("generation ")));
		usleep(150000);
	}
	sh("touch /tmp/bhe-stop");
	waitpid(reader, &status, 0);
	world_remove();
	unlink("/tmp/bhe-stop");
	EXPECT_EQ(0, wait_acked());
	stop_recorder(rec, SIGTERM);
	EXPECT_EQ(lost, audit_stat("lost"));

	EXPECT_LT(0, count_reads("grep decision=allowed"));
	EXPECT_LT(0, count_reads("grep decision=would_deny"));
	snprintf(grep, sizeof(grep), "grep decision=allowed | grep -vE ' gen=(%s) '", with);
	EXPECT_EQ(0, count_reads(grep)) TH_LOG("generations with the flow: %s", with);
	snprintf(grep, sizeof(grep), "grep decision=would_deny | grep -E ' gen=(%s) '", with);
	EXPECT_EQ(0, count_reads(grep)) TH_LOG("generations with the flow: %s", with);
	sh("rm -rf /tmp/bhg");
}

/* @out is one error line of the CLI, naming @what: nothing else was printed. */
static bool one_line_naming(const char *out, const char *what)
{
	size_t len = strlen(out);

	return !strncmp(out, "bulkhead: ", 10) && strstr(out, what) && len &&
	       strchr(out, '\n') == out + len - 1;
}

/*
 * BH-AUD-7: reading the trail needs CAP_AUDIT_READ, acknowledging records (the device opened
 * for writing) CAP_AUDIT_CONTROL as well, whoever the task is; a task without them is refused
 * and is shown no record, and the tools say which capability is missing.
 */
TEST_F(trail, reading_the_trail_needs_capabilities)
{
	char out[8192];

	/* Records are there to be read: a denial just made. */
	ASSERT_EQ(0, world_make(A_WRITES_B, "enforce", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/a", op_read_b_once, NULL));
	world_remove();

	EXPECT_EQ(EPERM, open_trail_holding(O_RDONLY, false, true));
	EXPECT_EQ(0, open_trail_holding(O_RDONLY, true, false));
	EXPECT_EQ(EPERM, open_trail_holding(O_RDWR, true, false));
	EXPECT_EQ(EPERM, open_trail_holding(O_WRONLY, false, true));
	EXPECT_EQ(0, open_trail_holding(O_RDWR, true, true));

	/* As nobody, through the tools: refused, told why in one line, and nothing shown. */
	EXPECT_NE(0, run_cmd_nobody(out, sizeof(out), "bulkhead audit tail"));
	EXPECT_TRUE(one_line_naming(out, "CAP_AUDIT_READ")) TH_LOG("%s", out);
	/* -j keeps stdout one JSON document, the empty list, beside the error. */
	EXPECT_NE(0, run_cmd_nobody(out, sizeof(out), "bulkhead audit tail -j 2> /dev/null"));
	EXPECT_STREQ("[]\n", out);
	EXPECT_NE(0, run_cmd_nobody(out, sizeof(out), "bulkhead audit stats"));
	EXPECT_TRUE(one_line_naming(out, "CAP_AUDIT_READ")) TH_LOG("%s", out);
	EXPECT_NE(0, run_cmd_nobody(out, sizeof(out), "bulkhead audit report"));
	EXPECT_TRUE(one_line_naming(out, "CAP_AUDIT_READ")) TH_LOG("%s", out);
	EXPECT_NE(0, run_cmd_nobody(out, sizeof(out), "bulkhead audit record --dir /tmp/bha-nobody"));
	EXPECT_TRUE(one_line_naming(out, "CAP_AUDIT_CONTROL")) TH_LOG("%s", out);
	/* The same commands as root show the denial: the refusals above hid something. */
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --decision denied"));
	EXPECT_NE(NULL, strstr(out, "event=decision")) TH_LOG("%s", out);
}

/*
 * BH-AUD-3: a read() with room for one record of the largest size returns one record; with
 * room for more it returns several whole records, in sequence, none cut (the recorder takes
 * many in one call).
 */
TEST_F(trail, device_reads_whole_records)
{
	static uint8_t big[16 * BULKHEAD_AUDIT_MAX_RECORD];
	struct bulkhead_audit_hdr hdr;
	char out[4096];
	uint64_t seq;
	ssize_t n, off;
	int fd, count = 0, twenty = 20;

	ASSERT_EQ(0, world_make(A_WRITES_B, "audit", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_b, &twenty));
	world_remove();
	fd = open(DEVICE, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	/* One record for a buffer of one (the oldest may be overwritten: EPIPE once). */
	n = read(fd, big, BULKHEAD_AUDIT_MAX_RECORD);
	if (n < 0 && errno == EPIPE)
		n = read(fd, big, BULKHEAD_AUDIT_MAX_RECORD);
	ASSERT_LT(0, n);
	memcpy(&hdr, big, sizeof(hdr));
	EXPECT_EQ(hdr.size, n);
	seq = hdr.seq;
	/* Several for a larger buffer, each whole, numbered on from the last one. */
	n = read(fd, big, sizeof(big));
	ASSERT_LT(0, n);
	for (off = 0; off + (ssize_t)sizeof(hdr) <= n; off += hdr.size) {
		memcpy(&hdr, big + off, sizeof(hdr));
		ASSERT_LE(sizeof(hdr), hdr.size);
		ASSERT_LE(off + hdr.size, n);
		EXPECT_EQ(seq + 1, hdr.seq);
		seq = hdr.seq;
		count++;
	}
	EXPECT_EQ(n, off);
	EXPECT_LT(1, count);
	close(fd);
}

/*
 * BH-AUD-3: lseek(SEEK_SET) to a sequence number makes that record the next one read (a
 * restarted recorder resumes there); anything else is refused. A recorder given the trail of
 * an earlier load of the module (records past what this one has made) refuses to splice.
 */
TEST_F(trail, device_seeks_to_a_record)
{
	uint8_t rec[BULKHEAD_AUDIT_MAX_RECORD];
	struct bulkhead_audit_hdr hdr;
	long long sealed = audit_stat("sealed"), next = audit_stat("next_seq");
	char out[4096];
	int fd;

	ASSERT_LT(2, sealed);
	fd = open(DEVICE, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(sealed - 1, lseek(fd, sealed - 1, SEEK_SET));
	ASSERT_LT(0, read(fd, rec, sizeof(rec)));
	memcpy(&hdr, rec, sizeof(hdr));
	EXPECT_EQ(sealed - 1, hdr.seq);
	EXPECT_EQ(-1, lseek(fd, next + 1000, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	close(fd);

	/* A trail whose last record is far past the module's next: an earlier load's. */
	hdr.seq = next + 1000000;
	memcpy(rec, &hdr, sizeof(hdr));
	sh("rm -rf /tmp/bhs; mkdir -p /tmp/bhs");
	fd = open("/tmp/bhs/trail-000001", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(hdr.size, write(fd, rec, hdr.size));
	close(fd);
	EXPECT_NE(0, run_cmd(out, sizeof(out), "bulkhead audit record --dir /tmp/bhs"));
	EXPECT_NE(NULL, strstr(out, "trail of an earlier load")) TH_LOG("%s", out);
	sh("rm -rf /tmp/bhs");
}

TEST_HARNESS_MAIN
