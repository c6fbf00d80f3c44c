// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: inter-process communication between domains - unix stream and datagram
 * sockets (abstract and filesystem names), a descriptor passed over a unix socket, and System V
 * shared memory, message queues and semaphores. An owner process in domain b creates every
 * object (with the mode off); a task in domain a then uses them, under every mode, with no
 * flow, the flow the operation needs and the reverse flow.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

#define STREAM_ABSTRACT	"bhe-stream"
#define STREAM_PATH	"/tmp/bhe/stream.sock"
#define DGRAM_ABSTRACT	"bhe-dgram"
#define SHM_KEY		0xb4e1
#define MSG_KEY		0xb4e2
#define SEM_KEY		0xb4e3

struct message {
	long type;
	char text[8];
};

/* Fill @sun with @name, abstract when @abstract; returns the address length. */
static socklen_t unix_addr(struct sockaddr_un *sun, const char *name, int abstract)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path + !!abstract, name);
	return offsetof(struct sockaddr_un, sun_path) + !!abstract + strlen(name) + 1;
}

static int unix_listener(int type, const char *name, int abstract)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(&sun, name, abstract);
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) ||
	    (type == SOCK_STREAM && listen(fd, 8)))
		return -1;
	return fd;
}

/* Send an open descriptor of b's file fb over @sock. */
static int send_fb(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fd = open("/tmp/bhe/b/fb", O_RDONLY);

	if (fd < 0)
		return -1;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/*
 * The owner, in domain b: creates every object, sends b's file over @pass, says so on
 * @ready and waits to be killed (its sockets must stay open).
 */
static void owner(int ready, int pass)
{
	struct message m = { .type = 1, .text = "b" };
	int msq;

	if (write_file("/sys/fs/cgroup/bhe/b/cgroup.procs", "0") ||
	    unix_listener(SOCK_STREAM, STREAM_ABSTRACT, 1) < 0 ||
	    unix_listener(SOCK_STREAM, STREAM_PATH, 0) < 0 ||
	    unix_listener(SOCK_DGRAM, DGRAM_ABSTRACT, 1) < 0 ||
	    shmget(SHM_KEY, 4096, IPC_CREAT | 0666) < 0 ||
	    semget(SEM_KEY, 1, IPC_CREAT | 0666) < 0)
		_exit(1);
	msq = msgget(MSG_KEY, IPC_CREAT | 0666);
	if (msq < 0 || msgsnd(msq, &m, sizeof(m.text), 0) || send_fb(pass))
		_exit(1);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

static int op_stream_connect(const char *name, int abstract)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(&sun, name, abstract);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	return connect(fd, (struct sockaddr *)&sun, len) ? errno : 0;
}

static int op_stream_abstract(void *arg)
{
	return op_stream_connect(STREAM_ABSTRACT, 1);
}

static int op_stream_path(void *arg)
{
	return op_stream_connect(STREAM_PATH, 0);
}

static int op_dgram_send(void *arg)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(&sun, DGRAM_ABSTRACT, 1);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	return sendto(fd, "a", 1, 0, (struct sockaddr *)&sun, len) < 0 ? errno : 0;
}

/* The descriptor b sent is checked for a when it arrives; a refused one is not installed. */
static int op_receive_fd(void *arg)
{
	char cbuf[CMSG_SPACE(sizeof(int))], data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};

	if (recvmsg(*(int *)arg, &msg, MSG_DONTWAIT) != 1)
		return errno;
	return CMSG_FIRSTHDR(&msg) && !(msg.msg_flags & MSG_CTRUNC) ? 0 : EACCES;
}

static int op_shm_attach(int shmflg)
{
	int id = shmget(SHM_KEY, 0, 0);
	void *p;

	if (id < 0)
		return errno;
	p = shmat(id, NULL, shmflg);
	return p == (void *)-1 ? errno : (shmdt(p), 0);
}

static int op_shm_read(void *arg)
{
	return op_shm_attach(SHM_RDONLY);
}

static int op_shm_write(void *arg)
{
	return op_shm_attach(0);
}

static int op_msg_send(void *arg)
{
	struct message m = { .type = 1, .text = "a" };
	int id = msgget(MSG_KEY, 0);

	return id < 0 || msgsnd(id, &m, sizeof(m.text), IPC_NOWAIT) ? errno : 0;
}

static int op_msg_receive(void *arg)
{
	struct message m;
	int id = msgget(MSG_KEY, 0);

	return id < 0 || msgrcv(id, &m, sizeof(m.text), 0, IPC_NOWAIT) < 0 ? errno : 0;
}

static int op_msg_remove(void *arg)
{
	int id = msgget(MSG_KEY, 0);

	return id < 0 || msgctl(id, IPC_RMID, NULL) ? errno : 0;
}

static int op_sem_alter(void *arg)
{
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = IPC_NOWAIT };
	int id = semget(SEM_KEY, 0, 0);

	return id < 0 || semop(id, &up, 1) ? errno : 0;
}

static void remove_objects(void)
{
	int id;

	id = shmget(SHM_KEY, 0, 0);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	id = msgget(MSG_KEY, 0);
	if (id >= 0)
		msgctl(id, IPC_RMID, NULL);
	id = semget(SEM_KEY, 0, 0);
	if (id >= 0)
		semctl(id, 0, IPC_RMID);
}

FIXTURE(ipc) {
	char log[4096];
	pid_t owner;
	int pass[2];		/* a stream pair: b sends on [1], a receives on [0] */
};

FIXTURE_VARIANT(ipc) {
	int (*op)(void *arg);
	const char *flows;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(ipc)
{
	int ready[2];
	char c;

	remove_objects();
	ASSERT_EQ(0, world_make(variant->flows, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->pass));
	self->owner = fork();
	ASSERT_LE(0, self->owner);
	if (!self->owner)
		owner(ready[1], self->pass[1]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		TH_LOG("the owner in b could not create its objects");
	}
	close(ready[0]);
	snprintf(self->log, sizeof(self->log), "bulkhead mode %s", variant->mode);
	ASSERT_EQ(0, sh("%s", self->log));
}

FIXTURE_TEARDOWN(ipc)
{
	sh("bulkhead mode off");
	if (self->owner > 0) {
		kill(self->owner, SIGKILL);
		waitpid(self->owner, NULL, 0);
	}
	close(self->pass[0]);
	close(self->pass[1]);
	remove_objects();
	world_remove();
}

#define UNIX_A_TO_B "flow a -> b { unix }"
#define UNIX_B_TO_A "flow b -> a { unix }"
#define UNIX_BOTH UNIX_A_TO_B "\n" UNIX_B_TO_A
#define IPC_A_TO_B "flow a -> b { ipc }"
#define IPC_B_TO_A "flow b -> a { ipc }"
#define IPC_BOTH IPC_A_TO_B "\n" IPC_B_TO_A

/* Four cases per operation: enforce without, with and against the flow; audit. */
#define IPC_OP(name, fn, needed, reverse)					\
	FIXTURE_VARIANT_ADD(ipc, name##_enforce_no_flow) {			\
		.op = fn, .flows = "", .mode = "enforce", .expect = EACCES };	\
	FIXTURE_VARIANT_ADD(ipc, name##_enforce_flow) {				\
		.op = fn, .flows = needed, .mode = "enforce", .expect = 0 };	\
	FIXTURE_VARIANT_ADD(ipc, name##_enforce_reverse_flow) {			\
		.op = fn, .flows = reverse, .mode = "enforce", .expect = EACCES }; \
	FIXTURE_VARIANT_ADD(ipc, name##_audit_no_flow) {			\
		.op = fn, .flows = "", .mode = "audit", .expect = 0 }

/* A stream carries data both ways: one direction alone is not enough. */
IPC_OP(unix_stream_abstract, op_stream_abstract, UNIX_BOTH, UNIX_A_TO_B);
IPC_OP(unix_stream_path, op_stream_path, UNIX_BOTH, UNIX_B_TO_A);
IPC_OP(unix_dgram_send, op_dgram_send, UNIX_A_TO_B, UNIX_B_TO_A);
/*
 * b's own description of its file shares its offset with whoever receives it: a's reads would
 * move it where b sees them, so receiving it needs a -> b as well (descriptor_test).
 */
IPC_OP(receive_fd, op_receive_fd, "flow b -> a { file }\nflow a -> b { file }",
       "flow a -> b { file }");
IPC_OP(shm_read, op_shm_read, IPC_B_TO_A, IPC_A_TO_B);
IPC_OP(shm_write, op_shm_write, IPC_BOTH, IPC_A_TO_B);
IPC_OP(msg_send, op_msg_send, IPC_A_TO_B, IPC_B_TO_A);
IPC_OP(msg_receive, op_msg_receive, IPC_B_TO_A, IPC_A_TO_B);
IPC_OP(msg_remove, op_msg_remove, IPC_A_TO_B, IPC_B_TO_A);
IPC_OP(sem_alter, op_sem_alter, IPC_A_TO_B, IPC_B_TO_A);

/* BH-ENF-4, BH-ENF-2: the operation is decided by the policy under the mode. */
TEST_F(ipc, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup("/bhe/a", variant->op, &self->pass[0]));
}

TEST_HARNESS_MAIN
