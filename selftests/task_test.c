// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: tasks between domains - signals and ptrace access. A task in domain a
 * acts on a task sleeping in domain b, under every mode, with no flow, the flow it needs and
 * the reverse flow.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

/* Signal 0 asks the kernel every question a real signal would, without harming the target. */
static int op_signal(void *arg)
{
	return kill(*(pid_t *)arg, 0) ? errno : 0;
}

/* Reading another task's environment is a ptrace access (PTRACE_MODE_READ). */
static int op_read_environ(void *arg)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", *(pid_t *)arg);
	fd = open(path, O_RDONLY);
	return fd < 0 ? errno : (close(fd), 0);
}

/* The sleeper is a fork of this process: @marker has the same address there. */
static int marker = 42;

static int op_vm_read(void *arg)
{
	int copy = 0;
	struct iovec local = { .iov_base = &copy, .iov_len = sizeof(copy) };
	struct iovec remote = { .iov_base = &marker, .iov_len = sizeof(marker) };

	if (process_vm_readv(*(pid_t *)arg, &local, 1, &remote, 1, 0) < 0)
		return errno;
	return copy == marker ? 0 : EIO;
}

static int op_proc_mem(void *arg)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", *(pid_t *)arg);
	fd = open(path, O_RDONLY);
	return fd < 0 ? errno : (close(fd), 0);
}

static int op_pidfd_signal(void *arg)
{
	int fd = syscall(SYS_pidfd_open, *(pid_t *)arg, 0);

	if (fd < 0)
		return errno;
	return syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) ? errno : 0;
}

/* F_SETOWN makes the target receive the file's SIGIO: decided as a signal to it. */
static int op_setown(void *arg)
{
	int fd = open("/dev/null", O_RDONLY);

	return fd < 0 || fcntl(fd, F_SETOWN, *(pid_t *)arg) ? errno : 0;
}

static int op_setown_ex(void *arg)
{
	struct f_owner_ex owner = { .type = F_OWNER_PID, .pid = *(pid_t *)arg };
	int fd = open("/dev/null", O_RDONLY);

	return fd < 0 || fcntl(fd, F_SETOWN_EX, &owner) ? errno : 0;
}

FIXTURE(tasks) {
	char log[4096];
	pid_t target;
};

FIXTURE_VARIANT(tasks) {
	int (*op)(void *arg);
	const char *flows;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(tasks)
{
	ASSERT_EQ(0, world_make(variant->flows, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	self->target = sleeper_in_cgroup("/bhe/b");
	ASSERT_LT(0, self->target);
	snprintf(self->log, sizeof(self->log), "bulkhead mode %s", variant->mode);
	ASSERT_EQ(0, sh("%s", self->log));
}

FIXTURE_TEARDOWN(tasks)
{
	/* Under enforce, host may not signal b either: switch off before killing the sleeper. */
	sh("bulkhead mode off");
	if (self->target > 0) {
		kill(self->target, SIGKILL);
		waitpid(self->target, NULL, 0);
	}
	world_remove();
}

#define TASK_OP(name, fn, needed, reverse, denied)				\
	FIXTURE_VARIANT_ADD(tasks, name##_enforce_no_flow) {			\
		.op = fn, .flows = "", .mode = "enforce", .expect = denied };	\
	FIXTURE_VARIANT_ADD(tasks, name##_enforce_flow) {			\
		.op = fn, .flows = needed, .mode = "enforce", .expect = 0 };	\
	FIXTURE_VARIANT_ADD(tasks, name##_enforce_reverse_flow) {		\
		.op = fn, .flows = reverse, .mode = "enforce", .expect = denied }; \
	FIXTURE_VARIANT_ADD(tasks, name##_audit_no_flow) {			\
		.op = fn, .flows = "", .mode = "audit", .expect = 0 };		\
	FIXTURE_VARIANT_ADD(tasks, name##_off_no_flow) {			\
		.op = fn, .flows = "", .mode = "off", .expect = 0 }

TASK_OP(signal, op_signal, "flow a -> b { signal }", "flow b -> a { signal }", EPERM);
TASK_OP(pidfd_signal, op_pidfd_signal, "flow a -> b { signal }", "flow b -> a { signal }",
	EPERM);
TASK_OP(sigio_owner, op_setown, "flow a -> b { signal }", "flow b -> a { signal }", EPERM);
TASK_OP(sigio_owner_ex, op_setown_ex, "flow a -> b { signal }", "flow b -> a { signal }",
	EPERM);
/* ptrace goes both ways: one direction alone is not enough. */
TASK_OP(ptrace_read, op_read_environ, "flow a -> b { ptrace }\nflow b -> a { ptrace }",
	"flow a -> b { ptrace }", EACCES);
TASK_OP(ptrace_proc_mem, op_proc_mem, "flow a -> b { ptrace }\nflow b -> a { ptrace }",
	"flow b -> a { ptrace }", EACCES);
TASK_OP(ptrace_vm_read, op_vm_read, "flow a -> b { ptrace }\nflow b -> a { ptrace }",
	"flow a -> b { ptrace }", EPERM);

/* BH-ENF-3, BH-ENF-2: the operation is decided by the policy under the mode. */
TEST_F(tasks, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup("/bhe/a", variant->op, &self->target));
}

TEST_HARNESS_MAIN
