// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the ways out of a domain that no flow opens - loading BPF programs or
 * kernel modules, mounting, moving into another domain's cgroup (by its files or by
 * CLONE_INTO_CGROUP) and raw packet sockets. Under enforce they are denied to a task in domain
 * a, whatever the flows; host may still make them, and audit and off never deny.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

static int op_bpf_map_create(void *arg)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));

	return fd < 0 ? errno : (close(fd), 0);
}

/* In a mount namespace of its own, so that an allowed mount changes nothing outside. */
static int op_mount(void *arg)
{
	if (unshare(CLONE_NEWNS))
		return errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/tmp/bhe/a", "tmpfs", 0, NULL))
		return errno;
	return 0;
}

/*
 * Any file offered as a module: the module loader reads it through the hook first, then
 * refuses it as not a module (ENOEXEC), which means the read was allowed.
 */
static int op_load_module(void *arg)
{
	int fd = open("/tmp/bhe/a/fa", O_RDONLY);

	if (fd < 0)
		return errno;
	if (!syscall(__NR_finit_module, fd, "", 0))
		return 0;
	return errno == ENOEXEC || errno == EINVAL ? 0 : errno;
}

/* Writing cgroup.procs of b would move the task into domain b. */
static int op_cgroup_move(void *arg)
{
	int fd = open("/sys/fs/cgroup/bhe/b/cgroup.procs", O_WRONLY);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_clone_into_cgroup(void *arg)
{
	struct clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD };
	int status;
	long pid;

	args.cgroup = open("/sys/fs/cgroup/bhe/b", O_RDONLY | O_DIRECTORY);
	if ((int)args.cgroup < 0)
		return errno;
	pid = syscall(__NR_clone3, &args, sizeof(args));
	if (pid < 0)
		return errno;
	if (!pid)
		_exit(0);
	waitpid(pid, &status, 0);
	return 0;
}

static int op_packet_socket(void *arg)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	return fd < 0 ? errno : (close(fd), 0);
}

FIXTURE(escape) {
	char log[4096];
};

FIXTURE_VARIANT(escape) {
	int (*op)(void *arg);
	const char *cgroup;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(escape)
{
	/* Every flow a could have with b and host: none of them opens these operations. */
	ASSERT_EQ(0, world_make("flow a -> b { file exec signal ptrace unix ipc net }\n"
				"flow b -> a { file exec signal ptrace unix ipc net }\n"
				"flow a -> host { file exec signal ptrace unix ipc net }",
				variant->mode, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(escape)
{
	world_remove();
}

#define ESCAPE_OP(name, fn, denied)						\
	FIXTURE_VARIANT_ADD(escape, name##_enforce_domain) {			\
		.op = fn, .cgroup = "/bhe/a", .mode = "enforce", .expect = denied }; \
	FIXTURE_VARIANT_ADD(escape, name##_enforce_host) {			\
		.op = fn, .cgroup = "/", .mode = "enforce", .expect = 0 };	\
	FIXTURE_VARIANT_ADD(escape, name##_audit_domain) {			\
		.op = fn, .cgroup = "/bhe/a", .mode = "audit", .expect = 0 };	\
	FIXTURE_VARIANT_ADD(escape, name##_off_domain) {			\
		.op = fn, .cgroup = "/bhe/a", .mode = "off", .expect = 0 }

ESCAPE_OP(bpf, op_bpf_map_create, EPERM);
ESCAPE_OP(mount, op_mount, EPERM);
ESCAPE_OP(load_module, op_load_module, EPERM);
ESCAPE_OP(cgroup_move, op_cgroup_move, EACCES);
ESCAPE_OP(clone_into_cgroup, op_clone_into_cgroup, EPERM);
ESCAPE_OP(packet_socket, op_packet_socket, EACCES);

/* BH-ENF-6, BH-ENF-2: only host may step out of its domain, and only enforce denies. */
TEST_F(escape, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup(variant->cgroup, variant->op, NULL));
}

TEST_HARNESS_MAIN
