// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: what a domain shares with the rest of the host - socket families,
 * capabilities over shared state, the kernel log and perf, /proc, devices, and the attributes of
 * other domains' tasks. Root in domain a is confined under enforce whatever the flows; host is
 * not, and audit never denies.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/ioprio.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/pfkeyv2.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "status.h"
#include "util.h"
#include "world.h"

/* An op's answer when this kernel has no such operation or file: the test is skipped. */
#define NOT_HERE 254

/* From the kernel's include/linux/syslog.h, which no userspace header carries. */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

/* Device nodes made by host in a's own directory: /dev/mem's number and loop0's. */
#define MEM_NODE	"/tmp/bhe/a/memnode"
#define PORT_NODE	"/tmp/bhe/a/portnode"	/* the VM has no /dev/port */
#define DISK_NODE	"/tmp/bhe/a/disk"

/* Every flow a can have with b and host: none of them opens what the confined fixture tries. */
#define EVERY_FLOW							\
	"flow a -> b { file exec signal ptrace unix ipc net }\n"		\
	"flow b -> a { file exec signal ptrace unix ipc net }\n"		\
	"flow a -> host { file exec signal ptrace unix ipc net }"

struct sock_kind {
	int family, type, protocol;
};

static int op_socket(void *arg)
{
	struct sock_kind *k = arg;
	int fd = socket(k->family, k->type, k->protocol);

	return fd < 0 ? errno : (close(fd), 0);
}

/*
 * bulkhead decides before the kernel looks the family up, so only EACCES is its denial: a call
 * let through for a family this kernel has not built fails EAFNOSUPPORT or EPROTONOSUPPORT.
 */
static int op_socket_decided(void *arg)
{
	return op_socket(arg) == EACCES ? EACCES : 0;
}

static int set_same_hostname(void)
{
	char name[HOST_NAME_MAX + 1];

	if (gethostname(name, sizeof(name)))
		return errno;
	return sethostname(name, strlen(name)) ? errno : 0;
}

/*
 * Set the hostname to what it is, after unshare(*@arg) (0 for none). A UTS namespace of its own,
 * or one owned by a user namespace of its own, holds all capabilities there: they must not
 * reopen what the domain is denied.
 */
static int op_sethostname(void *arg)
{
	return unshare(*(int *)arg) ? errno : set_same_hostname();
}

/*
 * The task's own network namespace, the initial one: joining it changes nothing, yet setns()
 * asks for CAP_SYS_ADMIN. /proc/1/ns/net, the same namespace, would first ask for ptrace access
 * to init, which host -> a does not give. Joining takes CAP_SYS_ADMIN over the namespace, which
 * a domain lacks: EPERM at setns(), and the open before it is never denied.
 */
static int op_setns_net(void *arg)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), err;

	/* Opening one's own namespace file is reading one's own /proc: never denied. */
	if (fd < 0)
		return 1000 + errno;
	err = setns(fd, CLONE_NEWNET) ? errno : 0;
	close(fd);
	return err;
}

/* The RTC's ports, asked for and never touched; a kernel without ioperm() is a skip. */
static int op_ioperm(void *arg)
{
	if (!ioperm(0x70, 2, 1))
		return 0;
	return errno == ENOSYS || errno == EINVAL ? NOT_HERE : errno;
}

/* Set the clock to the time it reads: nothing moves but a few microseconds. */
static int op_clock_settime(void *arg)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now))
		return errno;
	return clock_settime(CLOCK_REALTIME, &now) ? errno : 0;
}

/*
 * An RTM_NEWLINK for lo that changes nothing: rtnetlink asks for CAP_NET_ADMIN before it looks
 * at what a request changes. The answer is the acknowledgement's error.
 */
static int op_rtnl_newlink(void *arg)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = if_nametoindex("lo") },
	};
	/* The answer's buffer, aligned for the header read at its start. */
	union {
		struct nlmsghdr nh;
		char buf[512];
	} ans;
	int fd, err;
	ssize_t n;

	if (!req.ifi.ifi_index)
		return errno;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return errno;
	n = send(fd, &req, sizeof(req), 0);
	if (n >= 0)
		n = recv(fd, &ans, sizeof(ans), 0);
	if (n < 0)
		err = errno;
	else if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
		 ans.nh.nlmsg_type != NLMSG_ERROR)
		err = EPROTO;
	else
		err = -((struct nlmsgerr *)NLMSG_DATA(&ans.nh))->error;
	close(fd);
	return err;
}

/* klogctl(*@arg): the kernel log's ring buffer. */
static int op_syslog(void *arg)
{
	char buf[64];

	return klogctl(*(int *)arg, buf, sizeof(buf)) < 0 ? errno : 0;
}

/*
 * A software counter: any kernel with perf has it. A denial is EPERM or EACCES depending on the
 * check that makes it (capability, paranoia level or LSM hook), both answered as EPERM; any other
 * failure means perf itself is missing here, which is not a denial.
 */
static int perf_open(pid_t pid, int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1,
	};
	int fd = syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EPERM || errno == EACCES ? EPERM : 0;
}

static int op_perf_task(void *arg)
{
	return perf_open(0, -1);
}

static int op_perf_cpu(void *arg)
{
	return perf_open(-1, 0);
}

/* Open the path @arg and read a little: /proc decides some files at open, others at read. */
static int op_read_file(void *arg)
{
	int fd = open(arg, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err = 0;
	char buf[64];

	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* A file that some kernels do not have (/proc/keys, /proc/timer_list). */
static int op_read_optional(void *arg)
{
	int err = op_read_file(arg);

	return err == ENOENT ? NOT_HERE : err;
}

/* Write the hostname it holds: the open for writing is what is decided. */
static int op_write_proc_hostname(void *arg)
{
	char name[HOST_NAME_MAX + 1];
	int fd, err = 0;

	if (gethostname(name, sizeof(name)))
		return errno;
	fd = open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, name, strlen(name)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Devices are only opened: reading /dev/port would touch I/O ports. */
static int op_open_file(void *arg)
{
	int fd = open(arg, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? errno : (close(fd), 0);
}

/*
 * /dev/kmsg is denied at the open, as a device all domains share (EACCES), or by the syslog
 * check behind it (EPERM): either is the kernel log kept from the domain, answered as EPERM.
 */
static int op_open_kmsg(void *arg)
{
	int err = op_open_file(arg);

	return err == EACCES ? EPERM : err;
}

/*
 * The VM has no disk, no loop driver and (on the cloud kernels) no /dev/port driver: such a
 * node's open reaches the driver, which answers ENXIO. bulkhead decides before the driver, so
 * ENXIO means the open was let through.
 */
static int op_open_driverless(void *arg)
{
	int err = op_open_file(arg);

	return err == ENXIO ? 0 : err;
}

static void expect_result(struct __test_metadata *_metadata, int expect, int seen)
{
	char out[2048];

	if (seen == NOT_HERE)
		SKIP(return, "this kernel has no such operation or file");
	EXPECT_EQ(expect, seen) {
		/* Which hook said no, if bulkhead did. */
		run_cmd(out, sizeof(out), "bulkhead audit tail --decision denied | tail -n 2");
		TH_LOG("last denials: %s", out);
	}
}

FIXTURE(confined) {
	char log[4096];
};

FIXTURE_VARIANT(confined) {
	int (*op)(void *arg);
	void *arg;
	const char *cgroup;	/* where op runs: "/bhe/a" (domain a) or "/" (host) */
	const char *mode;
	int expect;		/* 0 or the errno */
};

FIXTURE_SETUP(confined)
{
	/* Host makes the nodes while nothing is decided; the mode comes after. */
	ASSERT_EQ(0, world_make(EVERY_FLOW, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, mknod(MEM_NODE, S_IFCHR | 0600, makedev(1, 1)));
	ASSERT_EQ(0, mknod(PORT_NODE, S_IFCHR | 0600, makedev(1, 4)));
	ASSERT_EQ(0, mknod(DISK_NODE, S_IFBLK | 0600, makedev(7, 0)));
	ASSERT_EQ(0, sh("bulkhead mode %s", variant->mode));
}

FIXTURE_TEARDOWN(confined)
{
	world_remove();
}

/*
 * Three cases per operation: a task of a under enforce, host under enforce, a under audit
 * (in mode off no hook decides anything; escape_test and task_test show it).
 */
#define CONFINED(name, fn, what, denied)					\
	FIXTURE_VARIANT_ADD(confined, name##_enforce_domain) {			\
		.op = fn, .arg = what, .cgroup = "/bhe/a", .mode = "enforce",	\
		.expect = denied };						\
	FIXTURE_VARIANT_ADD(confined, name##_enforce_host) {			\
		.op = fn, .arg = what, .cgroup = "/", .mode = "enforce", .expect = 0 }; \
	FIXTURE_VARIANT_ADD(confined, name##_audit_domain) {			\
		.op = fn, .arg = what, .cgroup = "/bhe/a", .mode = "audit", .expect = 0 }

#define SOCKET(name, family, type, protocol)					\
	CONFINED(socket_##name, op_socket_decided,				\
		 (&(struct sock_kind){ family, type, protocol }), EACCES)

/* (PF_INET, SOCK_PACKET) is the old spelling of a packet socket. */
SOCKET(inet_packet, AF_INET, SOCK_PACKET, 0);
SOCKET(packet_raw, AF_PACKET, SOCK_RAW, 0);
SOCKET(packet_dgram, AF_PACKET, SOCK_DGRAM, 0);
SOCKET(vsock, AF_VSOCK, SOCK_STREAM, 0);
SOCKET(tipc, AF_TIPC, SOCK_RDM, 0);
SOCKET(alg, AF_ALG, SOCK_SEQPACKET, 0);
SOCKET(key, AF_KEY, SOCK_RAW, PF_KEY_V2);
SOCKET(netlink_usersock, AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
SOCKET(netlink_generic, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
SOCKET(netlink_sock_diag, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
SOCKET(netlink_audit, AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
SOCKET(netlink_uevent, AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);

CONFINED(cap_sethostname, op_sethostname, (&(int){ 0 }), EPERM);
CONFINED(cap_sethostname_new_uts, op_sethostname, (&(int){ CLONE_NEWUTS }), EPERM);
CONFINED(cap_sethostname_new_userns, op_sethostname, (&(int){ CLONE_NEWUSER | CLONE_NEWUTS }),
	 EPERM);
CONFINED(cap_setns_net, op_setns_net, NULL, EPERM);
CONFINED(cap_ioperm, op_ioperm, NULL, EPERM);
CONFINED(cap_clock_settime, op_clock_settime, NULL, EPERM);
CONFINED(cap_rtnl_newlink, op_rtnl_newlink, NULL, EPERM);

CONFINED(log_syslog_read_all, op_syslog, (&(int){ SYSLOG_ACTION_READ_ALL }), EPERM);
CONFINED(log_syslog_size_buffer, op_syslog, (&(int){ SYSLOG_ACTION_SIZE_BUFFER }), EPERM);
CONFINED(log_kmsg_read, op_open_kmsg, "/dev/kmsg", EPERM);
CONFINED(perf_task, op_perf_task, NULL, EPERM);
CONFINED(perf_cpu, op_perf_cpu, NULL, EPERM);

/* Global views: they show every domain's objects, so host -> a does not open them. */
CONFINED(proc_locks, op_read_file, "/proc/locks", EACCES);
CONFINED(proc_sysvipc_shm, op_read_file, "/proc/sysvipc/shm", EACCES);
CONFINED(proc_net_unix, op_read_file, "/proc/net/unix", EACCES);
CONFINED(proc_self_net_tcp, op_read_file, "/proc/self/net/tcp", EACCES);
CONFINED(proc_kcore, op_read_file, "/proc/kcore", EACCES);
CONFINED(proc_keys, op_read_optional, "/proc/keys", EACCES);
CONFINED(proc_timer_list, op_read_optional, "/proc/timer_list", EACCES);
CONFINED(proc_kallsyms, op_read_file, "/proc/kallsyms", EACCES);
CONFINED(proc_hostname_write, op_write_proc_hostname, NULL, EACCES);

/* Memory, port and block devices are host's whatever their path, even one in a's directory. */
CONFINED(dev_mem, op_open_file, "/dev/mem", EACCES);
CONFINED(dev_port, op_open_driverless, PORT_NODE, EACCES);
CONFINED(dev_mem_node_in_a, op_open_file, MEM_NODE, EACCES);
CONFINED(dev_block_node_in_a, op_open_driverless, DISK_NODE, EACCES);

/* Every hook's denials, summed; -1 if the module did not answer. */
static long long denials_total(void)
{
	struct bh_status st;
	long long n = 0;

	if (status_now(&st))
		return -1;
	for (unsigned int i = 0; i < st.n_hooks; i++)
		n += st.hooks[i].denials;
	return n;
}

/*
 * BH-SEP-5, BH-SEP-6, BH-SEP-7, BH-SEP-8, BH-ENF-2: host-only whatever the flows, under enforce.
 * BH-SEP-14: each channel closed this way is counted as a denial of its hook and recorded in
 * the trail as the acting domain's - unless the ring had no room left for it, which its
 * failure mode then makes visible (a LOST record and counter, in drop mode).
 */
TEST_F(confined, decided)
{
	long long denials = denials_total(), seq = audit_stat("next_seq");
	long long room = audit_stat("capacity") - (seq - audit_stat("acknowledged"));
	char out[4096], cmd[128];
	int seen;

	seen = run_in_cgroup(variant->cgroup, variant->op, variant->arg);
	expect_result(_metadata, variant->expect, seen);
	if (seen == NOT_HERE || !variant->expect || seen != variant->expect)
		return;
	ASSERT_LE(0, denials);
	EXPECT_LT(denials, denials_total());
	if (room <= 0) {
		TH_LOG("the ring was full: the denial is counted as lost, not recorded");
		return;
	}
	snprintf(cmd, sizeof(cmd), "bulkhead audit tail --decision denied --subject a "
		 "--since-seq %lld", seq);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), cmd));
	EXPECT_NE(NULL, strstr(out, "event=decision")) TH_LOG("%s", out);
}

/*
 * A grant lifts exactly the capabilities it names, for exactly its domain: a may set the clock
 * (sys_time) and still not the hostname (sys_admin); b, without a grant, neither. Deleting the
 * grant takes sys_time back at once.
 */
FIXTURE(granted) {
	char log[4096];
};

FIXTURE_SETUP(granted)
{
	ASSERT_EQ(0, world_make(EVERY_FLOW "\ngrant a { sys_time } audit", "enforce", self->log,
				sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(granted)
{
	world_remove();
}

/* BH-SEP-13 */
TEST_F(granted, only_what_is_granted)
{
	char out[4096];

	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_clock_settime, NULL));
	EXPECT_EQ(EPERM, run_in_cgroup("/bhe/a", op_sethostname, &(int){ 0 }));
	EXPECT_EQ(EPERM, run_in_cgroup("/bhe/b", op_clock_settime, NULL));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead grant list")) {
		TH_LOG("%s", out);
	}
	EXPECT_STREQ("a { sys_time } audit\n", out);
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead grant del a")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(EPERM, run_in_cgroup("/bhe/a", op_clock_settime, NULL));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead grant add a sys_time sys_admin")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_sethostname, &(int){ 0 }));
	EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_clock_settime, NULL));
}

/* BH-SEP-13: a grant declared "audit" records each use as an allowed decision. */
TEST_F(granted, audited_use_recorded)
{
	char out[8192];

	ASSERT_EQ(0, run_in_cgroup("/bhe/a", op_clock_settime, NULL));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --decision allowed --domain a "
			     "| grep op=capable | tail -n 1")) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, "from=a to=a")) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, " cap=sys_time")) {
		TH_LOG("%s", out);
	}
}

/* BH-SEP-13, BH-AUD-1: a denied capability's record names the capability the task asked for. */
TEST_F(granted, denial_names_the_capability)
{
	char out[8192];

	ASSERT_EQ(EPERM, run_in_cgroup("/bhe/a", op_sethostname, &(int){ 0 }));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead audit tail --decision denied --domain a "
			     "| grep op=capable | tail -n 1")) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, " cap=sys_admin")) {
		TH_LOG("%s", out);
	}
}

/* BH-SEP-5: the families on the allow-list need no flow and really open. */
TEST(allowed_sockets_need_no_flow)
{
	static struct sock_kind kinds[] = {
		{ AF_UNIX, SOCK_STREAM, 0 }, { AF_UNIX, SOCK_DGRAM, 0 },
		{ AF_UNIX, SOCK_SEQPACKET, 0 }, { AF_INET, SOCK_STREAM, 0 },
		{ AF_INET, SOCK_DGRAM, 0 }, { AF_INET6, SOCK_STREAM, 0 },
		{ AF_INET6, SOCK_DGRAM, 0 }, { AF_NETLINK, SOCK_RAW, NETLINK_ROUTE },
		{ AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE },
	};
	char log[4096];
	unsigned int i;

	ASSERT_EQ(0, world_make("", "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_socket, &kinds[i])) {
			TH_LOG("socket(%d, %d, %d)", kinds[i].family, kinds[i].type,
			       kinds[i].protocol);
		}
	}
	world_remove();
}

/*
 * BH-SEP-8: views of the machine that show no other domain's objects, a's own /proc entries,
 * host's init (host -> a gives file) and devices that hold no one's information are readable
 * with no flow beyond host -> a.
 */
TEST(harmless_files_need_no_flow)
{
	static const char *const paths[] = {
		"/proc/cpuinfo", "/proc/meminfo", "/proc/uptime", "/proc/loadavg", "/proc/version",
		"/proc/filesystems", "/proc/self/status", "/proc/self/comm", "/proc/1/comm",
		"/dev/null", "/dev/zero", "/dev/urandom",
	};
	char log[4096];
	unsigned int i;

	ASSERT_EQ(0, world_make("", "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		EXPECT_EQ(0, run_in_cgroup("/bhe/a", op_read_file, (void *)paths[i])) {
			TH_LOG("%s", paths[i]);
		}
	}
	world_remove();
}

/* The peer: a task sleeping in b (or in a, for the same-domain case). */
#define PEER(arg) (*(pid_t *)(arg))

static int op_setpriority(void *arg)
{
	return setpriority(PRIO_PROCESS, PEER(arg), 5) ? errno : 0;
}

static int op_ioprio_set(void *arg)
{
	return syscall(__NR_ioprio_set, IOPRIO_WHO_PROCESS, PEER(arg),
		       IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) ? errno : 0;
}

static int op_setscheduler(void *arg)
{
	struct sched_param param = { 0 };

	return sched_setscheduler(PEER(arg), SCHED_OTHER, &param) ? errno : 0;
}

/* The affinity this task has, which the peer, its sibling, has too. */
static int op_setaffinity(void *arg)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return errno;
	return sched_setaffinity(PEER(arg), sizeof(set), &set) ? errno : 0;
}

static int op_getscheduler(void *arg)
{
	return sched_getscheduler(PEER(arg)) < 0 ? errno : 0;
}

static int op_ioprio_get(void *arg)
{
	return syscall(__NR_ioprio_get, IOPRIO_WHO_PROCESS, PEER(arg)) < 0 ? errno : 0;
}

static int op_prlimit_get(void *arg)
{
	struct rlimit old;

	return prlimit(PEER(arg), RLIMIT_NOFILE, NULL, &old) ? errno : 0;
}

/* Join the process group the peer leads (the fixture made it a leader, in this session). */
static int op_setpgid_join(void *arg)
{
	return setpgid(0, PEER(arg)) ? errno : 0;
}

/* Compare the two tasks' stdout: the peer is a fork of the test, so it has the same one. */
static int op_kcmp(void *arg)
{
	if (syscall(SYS_kcmp, getpid(), PEER(arg), KCMP_FILE, 1UL, 1UL) >= 0)
		return 0;
	return errno == ENOSYS ? NOT_HERE : errno;
}

static int read_peer_proc(void *arg, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", PEER(arg), file);
	return op_read_file(path);
}

static int op_proc_comm(void *arg)
{
	return read_peer_proc(arg, "comm");
}

static int op_proc_cmdline(void *arg)
{
	return read_peer_proc(arg, "cmdline");
}

static int op_proc_stat(void *arg)
{
	return read_peer_proc(arg, "stat");
}

FIXTURE(peers) {
	char log[4096];
	pid_t peer;
};

FIXTURE_VARIANT(peers) {
	int (*op)(void *arg);
	const char *flows;
	const char *peer_cgroup;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(peers)
{
	ASSERT_EQ(0, world_make(variant->flows, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	self->peer = sleeper_in_cgroup(variant->peer_cgroup);
	ASSERT_LT(0, self->peer);
	/* A group of its own for op_setpgid_join, made while host may still act on b's tasks. */
	ASSERT_EQ(0, setpgid(self->peer, self->peer));
	ASSERT_EQ(0, sh("bulkhead mode %s", variant->mode));
}

FIXTURE_TEARDOWN(peers)
{
	/* Under enforce, host may not signal b either: switch off before killing the peer. */
	sh("bulkhead mode off");
	if (self->peer > 0) {
		kill(self->peer, SIGKILL);
		waitpid(self->peer, NULL, 0);
	}
	world_remove();
}

/*
 * Six cases per operation on the peer: in b under enforce with no flow, the flow it needs and
 * the reverse (or a one-way) flow, in a under enforce, and in b under audit.
 */
#define PEER_OP(name, fn, needed, reverse, denied)				\
	FIXTURE_VARIANT_ADD(peers, name##_enforce_no_flow) {			\
		.op = fn, .flows = "", .peer_cgroup = "/bhe/b", .mode = "enforce", \
		.expect = denied };						\
	FIXTURE_VARIANT_ADD(peers, name##_enforce_flow) {			\
		.op = fn, .flows = needed, .peer_cgroup = "/bhe/b", .mode = "enforce", \
		.expect = 0 };							\
	FIXTURE_VARIANT_ADD(peers, name##_enforce_reverse_flow) {		\
		.op = fn, .flows = reverse, .peer_cgroup = "/bhe/b", .mode = "enforce", \
		.expect = denied };						\
	FIXTURE_VARIANT_ADD(peers, name##_enforce_same_domain) {		\
		.op = fn, .flows = "", .peer_cgroup = "/bhe/a", .mode = "enforce", \
		.expect = 0 };							\
	FIXTURE_VARIANT_ADD(peers, name##_audit_no_flow) {			\
		.op = fn, .flows = "", .peer_cgroup = "/bhe/b", .mode = "audit",	\
		.expect = 0 }

#define A_TO_B_SIGNAL "flow a -> b { signal }"
#define B_TO_A_SIGNAL "flow b -> a { signal }"

/* Setting the peer's attributes acts on it, as a signal would: a -> b. */
PEER_OP(attr_setpriority, op_setpriority, A_TO_B_SIGNAL, B_TO_A_SIGNAL, EPERM);
PEER_OP(attr_ioprio_set, op_ioprio_set, A_TO_B_SIGNAL, B_TO_A_SIGNAL, EPERM);
PEER_OP(attr_setscheduler, op_setscheduler, A_TO_B_SIGNAL, B_TO_A_SIGNAL, EPERM);
PEER_OP(attr_setaffinity, op_setaffinity, A_TO_B_SIGNAL, B_TO_A_SIGNAL, EPERM);
/* Reading them tells a about the peer: b -> a. */
PEER_OP(attr_getscheduler, op_getscheduler, B_TO_A_SIGNAL, A_TO_B_SIGNAL, EPERM);
PEER_OP(attr_ioprio_get, op_ioprio_get, B_TO_A_SIGNAL, A_TO_B_SIGNAL, EPERM);
PEER_OP(attr_prlimit_get, op_prlimit_get, B_TO_A_SIGNAL, A_TO_B_SIGNAL, EPERM);
/* A shared process group lets each side signal the other: both ways, one is not enough. */
PEER_OP(attr_setpgid_join, op_setpgid_join, A_TO_B_SIGNAL "\n" B_TO_A_SIGNAL, A_TO_B_SIGNAL,
	EPERM);
/* kcmp() is a ptrace access, which goes both ways. */
PEER_OP(ptrace_kcmp, op_kcmp, "flow a -> b { ptrace }\nflow b -> a { ptrace }",
	"flow a -> b { ptrace }", EPERM);
/* The peer's /proc entries are b's files. */
PEER_OP(proc_comm, op_proc_comm, "flow b -> a { file }", "flow a -> b { file }", EACCES);
PEER_OP(proc_cmdline, op_proc_cmdline, "flow b -> a { file }", "flow a -> b { file }", EACCES);
PEER_OP(proc_stat, op_proc_stat, "flow b -> a { file }", "flow a -> b { file }", EACCES);

/* BH-SEP-9, BH-SEP-8, BH-ENF-3, BH-ENF-2: acting on or reading b's task follows the flows. */
TEST_F(peers, decided)
{
	expect_result(_metadata, variant->expect,
		      run_in_cgroup("/bhe/a", variant->op, &self->peer));
}

/*
 * A key b made in a session keyring of its own, readable by every uid-0 task as far as the
 * key's own permissions go: only bulkhead stands between it and a.
 */
static int op_key_read(void *arg)
{
	char value[16];

	return syscall(__NR_keyctl, KEYCTL_READ, *(long *)arg, value, sizeof(value)) < 0 ?
	       errno : 0;
}

/* In b: make the key, say its serial on @out, and keep it alive until killed. */
static void key_owner(int out)
{
	long serial;

	if (write_file("/sys/fs/cgroup/bhe/b/cgroup.procs", "0") ||
	    syscall(__NR_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "bhe-keys") < 0)
		_exit(1);
	serial = syscall(__NR_add_key, "user", "bhe", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	if (serial < 0 || syscall(__NR_keyctl, KEYCTL_SETPERM, serial, 0x3f3f3f3f) < 0 ||
	    write(out, &serial, sizeof(serial)) != sizeof(serial))
		_exit(1);
	pause();
	_exit(0);
}

FIXTURE(keys) {
	char log[4096];
	pid_t owner;
	long serial;
};

FIXTURE_VARIANT(keys) {
	const char *flows;
	const char *cgroup;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(keys)
{
	int fds[2];

	ASSERT_EQ(0, world_make(variant->flows, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, pipe(fds));
	self->owner = fork();
	ASSERT_LE(0, self->owner);
	if (!self->owner)
		key_owner(fds[1]);
	close(fds[1]);
	ASSERT_EQ(sizeof(self->serial), read(fds[0], &self->serial, sizeof(self->serial)));
	close(fds[0]);
	ASSERT_EQ(0, sh("bulkhead mode %s", variant->mode));
}

FIXTURE_TEARDOWN(keys)
{
	sh("bulkhead mode off");
	if (self->owner > 0) {
		kill(self->owner, SIGKILL);
		waitpid(self->owner, NULL, 0);
	}
	world_remove();
}

FIXTURE_VARIANT_ADD(keys, enforce_no_flow) {
	.flows = "", .cgroup = "/bhe/a", .mode = "enforce", .expect = EACCES };
FIXTURE_VARIANT_ADD(keys, enforce_reverse_flow) {
	.flows = "flow a -> b { ipc }", .cgroup = "/bhe/a", .mode = "enforce", .expect = EACCES };
FIXTURE_VARIANT_ADD(keys, enforce_flow) {
	.flows = "flow b -> a { ipc }", .cgroup = "/bhe/a", .mode = "enforce", .expect = 0 };
FIXTURE_VARIANT_ADD(keys, enforce_same_domain) {
	.flows = "", .cgroup = "/bhe/b", .mode = "enforce", .expect = 0 };
FIXTURE_VARIANT_ADD(keys, audit_no_flow) {
	.flows = "", .cgroup = "/bhe/a", .mode = "audit", .expect = 0 };

/* BH-SEP-11, BH-ENF-2: a key is its creator's; reading it follows the ipc flows. */
TEST_F(keys, read_decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup(variant->cgroup, op_key_read, &self->serial));
}

TEST_HARNESS_MAIN
