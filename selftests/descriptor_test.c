// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: what descriptors and names carry between domains - anonymous objects
 * (pipes, eventfd, memfd, ...) passed over a unix socket or reopened through /proc, links and
 * renames that would give one inode names in two domains, metadata and locks as reads and
 * writes of their object, and a kept descriptor decided by the policy in force when it is used.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

#ifndef __NR_memfd_secret
#define __NR_memfd_secret 447		/* x86_64 */
#endif

#define FB		"/tmp/bhe/b/fb"
#define B_SYMLINK	"/tmp/bhe/b/sl"
/* The VM's /tmp is a tmpfs, which has no user.* attributes on 6.1. */
#define B_XATTR		"security.bhe"	/* tmpfs on 6.1 has no user.*; trusted.* needs CAP_SYS_ADMIN */
#define B_ACL		"system.posix_acl_access"

#define A_TO_B		"flow a -> b { file }"
#define B_TO_A		"flow b -> a { file }"
#define BOTH		A_TO_B "\n" B_TO_A

/* A step before the one under test failed: no errno, so never taken for a verdict. */
#define SETUP_FAILED	200

#define ERR(call)	((call) < 0 ? errno : 0)

/* The objects a task in b makes and passes. */
enum object {
	PIPE_READ, PIPE_WRITE, MEMFD, MEMFD_SECRET, EVENTFD, TIMERFD, SIGNALFD, EPOLL, INOTIFY,
	USERFAULTFD, PIDFD, DEV_NULL, DEV_ZERO, FILE_READ,
};

/* Make @o: a descriptor, or -1 with errno set. */
static int make(enum object o)
{
	sigset_t set;
	int p[2];

	switch (o) {
	case PIPE_READ:
	case PIPE_WRITE:
		return pipe(p) ? -1 : p[o == PIPE_WRITE];
	case MEMFD:
		return memfd_create("bhe", 0);
	case MEMFD_SECRET:
		return syscall(__NR_memfd_secret, 0);
	case EVENTFD:
		return eventfd(0, 0);
	case TIMERFD:
		return timerfd_create(CLOCK_MONOTONIC, 0);
	case SIGNALFD:
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		return signalfd(-1, &set, 0);
	case EPOLL:
		return epoll_create1(0);
	case INOTIFY:
		return inotify_init1(0);
	case USERFAULTFD:
		return syscall(__NR_userfaultfd, O_CLOEXEC);
	case PIDFD:
		return syscall(SYS_pidfd_open, getpid(), 0);
	case DEV_NULL:
		return open("/dev/null", O_RDWR);
	case DEV_ZERO:
		return open("/dev/zero", O_RDWR);
	case FILE_READ:
		return open(FB, O_RDONLY);
	}
	errno = EINVAL;
	return -1;
}

struct sending {
	enum object object;
	int sock;
};

/* In b: make the object and send it. The message in flight keeps it alive after b exits. */
static int op_send(void *arg)
{
	const struct sending *s = arg;
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "o", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fd = make(s->object);

	if (fd < 0)
		return errno;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(s->sock, &msg, 0) == 1 ? 0 : errno;
}

/*
 * Receive one descriptor on @sock: the descriptor, or a negative errno. A refused descriptor
 * is not installed: its byte arrives, with the control message cut (MSG_CTRUNC).
 */
static int receive_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_DONTWAIT) != 1)
		return -SETUP_FAILED;
	c = CMSG_FIRSTHDR(&msg);
	if ((msg.msg_flags & MSG_CTRUNC) || !c || c->cmsg_type != SCM_RIGHTS)
		return -EACCES;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static int op_receive(void *arg)
{
	int fd = receive_fd(*(int *)arg);

	return fd < 0 ? -fd : (close(fd), 0);
}

/* Receive a descriptor, which must arrive, and open it again through /proc with @flags. */
static int reopen(int sock, int flags)
{
	char path[64];
	int fd = receive_fd(sock);

	if (fd < 0)
		return SETUP_FAILED;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* O_NONBLOCK: opening a FIFO's end never waits for the other end's opener. */
	return ERR(fd = open(path, flags | O_NONBLOCK)) ?: (close(fd), 0);
}

/*
 * Receive a descriptor, which must arrive, and change the description's shared status flags,
 * which its sender sees, with ioctl(FIONBIO) or fcntl(F_SETFL).
 */
static int change_flags(int sock, bool ioctl_not_fcntl)
{
	int fd = receive_fd(sock), on = 1;

	if (fd < 0)
		return SETUP_FAILED;
	return ERR(ioctl_not_fcntl ? ioctl(fd, FIONBIO, &on) : fcntl(fd, F_SETFL, O_NONBLOCK));
}

static int op_receive_setfl(void *arg)
{
	return change_flags(*(int *)arg, false);
}

static int op_receive_fionbio(void *arg)
{
	return change_flags(*(int *)arg, true);
}

static int op_reopen_read(void *arg)
{
	return reopen(*(int *)arg, O_RDONLY);
}

static int op_reopen_write(void *arg)
{
	return reopen(*(int *)arg, O_WRONLY);
}

/* A task in b makes an object and sends it on @sp[0]; @receive runs in @receiver on @sp[1]. */
static int pass(enum object o, int sp[2], const char *receiver, int (*receive)(void *arg))
{
	struct sending s = { .object = o, .sock = sp[0] };

	if (run_in_cgroup("/bhe/b", op_send, &s))
		return SETUP_FAILED;
	return run_in_cgroup(receiver, receive, &sp[1]);
}

FIXTURE(passing) {
	char log[4096];
	int sp[2];		/* host's stream pair: b sends on [0], the receiver reads [1] */
	int missing;		/* why host could not make the object, 0 when it could */
};

FIXTURE_VARIANT(passing) {
	enum object object;
	int (*receive)(void *arg);
	const char *receiver;
	const char *flows;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(passing)
{
	/* b's file exists only once the world does. */
	int fd = variant->object == FILE_READ ? dup(0) : make(variant->object);

	self->missing = fd < 0 ? errno : (close(fd), 0);
	/* Made before the world, by host: neither domain owns the channel itself. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sp));
	ASSERT_EQ(0, world_make(variant->flows, variant->mode, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(passing)
{
	close(self->sp[0]);
	close(self->sp[1]);
	world_remove();
}

#define PASS(name, obj, rcv, who, fl, md, exp)					\
	FIXTURE_VARIANT_ADD(passing, name) {					\
		.object = obj, .receive = rcv, .receiver = who, .flows = fl,	\
		.mode = md, .expect = exp }

/*
 * Six cases per object passed from b to a: enforce with no flow, each one-way flow and both;
 * audit with no flow; and b receiving its own object. @none .. @both are the verdicts under
 * enforce.
 */
#define PASS_OBJECT(name, obj, none, b_to_a, a_to_b, both)				\
	PASS(name##_enforce_no_flow, obj, op_receive, "/bhe/a", "", "enforce", none);	\
	PASS(name##_enforce_b_to_a, obj, op_receive, "/bhe/a", B_TO_A, "enforce", b_to_a); \
	PASS(name##_enforce_a_to_b, obj, op_receive, "/bhe/a", A_TO_B, "enforce", a_to_b); \
	PASS(name##_enforce_both, obj, op_receive, "/bhe/a", BOTH, "enforce", both);	\
	PASS(name##_audit_no_flow, obj, op_receive, "/bhe/a", "", "audit", 0);	\
	PASS(name##_same_domain, obj, op_receive, "/bhe/b", "", "enforce", 0)

/* Pipe ends and memfds by their mode: reading needs b -> a, writing a -> b, a memfd both. */
/*          variants      object        no flow b -> a  a -> b  both */
PASS_OBJECT(pipe_read,    PIPE_READ,    EACCES, 0,      EACCES, 0);
PASS_OBJECT(pipe_write,   PIPE_WRITE,   EACCES, EACCES, 0,      0);
PASS_OBJECT(memfd,        MEMFD,        EACCES, EACCES, EACCES, 0);
PASS_OBJECT(memfd_secret, MEMFD_SECRET, EACCES, EACCES, EACCES, 0);
/* The others carry information both ways whatever their mode: a counter, a watch list, ... */
PASS_OBJECT(eventfd,      EVENTFD,      EACCES, EACCES, EACCES, 0);
PASS_OBJECT(timerfd,      TIMERFD,      EACCES, EACCES, EACCES, 0);
PASS_OBJECT(signalfd,     SIGNALFD,     EACCES, EACCES, EACCES, 0);
PASS_OBJECT(epoll,        EPOLL,        EACCES, EACCES, EACCES, 0);
PASS_OBJECT(inotify,      INOTIFY,      EACCES, EACCES, EACCES, 0);
PASS_OBJECT(userfaultfd,  USERFAULTFD,  EACCES, EACCES, EACCES, 0);
/* No domain's information: what a pidfd allows is decided by the signal and ptrace hooks. */
PASS_OBJECT(pidfd,        PIDFD,        0,      0,      0,      0);
PASS_OBJECT(dev_null,     DEV_NULL,     0,      0,      0,      0);
PASS_OBJECT(dev_zero,     DEV_ZERO,     0,      0,      0,      0);

/*
 * A file b opened for reading: its description's offset is shared, and a's reads and seeks
 * move it where b sees them, so a receives it only where flows go both ways.
 */
PASS_OBJECT(file_read,    FILE_READ,    EACCES, EACCES, EACCES, 0);

/*
 * b's pipe read end received by a along b -> a, whose status flags a then changes: b, which
 * holds the same description, sees O_NONBLOCK appear, a channel from a back to b.
 */
#define FLAGS(name, rcv)							\
	PASS(name##_enforce_b_to_a, PIPE_READ, rcv, "/bhe/a", B_TO_A, "enforce", EACCES); \
	PASS(name##_enforce_both, PIPE_READ, rcv, "/bhe/a", BOTH, "enforce", 0);	\
	PASS(name##_audit_b_to_a, PIPE_READ, rcv, "/bhe/a", B_TO_A, "audit", 0);	\
	PASS(name##_same_domain, PIPE_READ, rcv, "/bhe/b", "", "enforce", 0)

FLAGS(setfl, op_receive_setfl);
FLAGS(fionbio, op_receive_fionbio);

/* b's pipe read end, received by a and opened again: the new open's mode is decided. */
#define REOPEN(name, rcv, fl, md, exp)						\
	PASS(reopen_##name, PIPE_READ, rcv, "/bhe/a", fl, md, exp)

REOPEN(write_enforce_b_to_a, op_reopen_write, B_TO_A, "enforce", EACCES);
REOPEN(write_enforce_both, op_reopen_write, BOTH, "enforce", 0);
REOPEN(read_enforce_b_to_a, op_reopen_read, B_TO_A, "enforce", 0);
REOPEN(write_audit_b_to_a, op_reopen_write, B_TO_A, "audit", 0);

/*
 * BH-SEP-1, BH-ENF-1, BH-ENF-2: an anonymous object is its creator's; receiving it, or opening
 * it again, needs the flows its kind and mode carry information along.
 */
TEST_F(passing, decided)
{
	/* memfd_secret needs secretmem.enable=1 before 6.5; userfaultfd may be configured out. */
	if (self->missing == ENOSYS || self->missing == EPERM)
		SKIP(return, "host cannot make this object: %s", strerror(self->missing));
	ASSERT_EQ(0, self->missing);
	EXPECT_EQ(variant->expect,
		  pass(variant->object, self->sp, variant->receiver, variant->receive));
}

/*
 * BH-SEP-1: with only b -> a, a receiving b's pipe write end or b's eventfd would open a
 * channel from a back to b through the object; only the read end may pass.
 */
TEST(diode_passes_no_reverse_channel)
{
	char log[4096];
	int sp[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	ASSERT_EQ(0, world_make(B_TO_A, "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	EXPECT_EQ(0, pass(PIPE_READ, sp, "/bhe/a", op_receive));
	EXPECT_EQ(EACCES, pass(PIPE_WRITE, sp, "/bhe/a", op_receive));
	EXPECT_EQ(EACCES, pass(EVENTFD, sp, "/bhe/a", op_receive));
	close(sp[0]);
	close(sp[1]);
	world_remove();
}

static int op_secret_map(void *arg)
{
	int fd = make(MEMFD_SECRET);
	char *p;

	if (fd < 0 || ftruncate(fd, 4096))
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	p[0] = 'b';
	return munmap(p, 4096) ? errno : 0;
}

/* BH-SEP-1: secret memory is its creator's: a task in b sizes and maps its own. */
TEST(secret_memory_usable_in_its_domain)
{
	int fd = make(MEMFD_SECRET);
	char log[4096];

	if (fd < 0 && errno == ENOSYS)
		SKIP(return, "memfd_secret is not enabled in this kernel");
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, world_make("", "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	EXPECT_EQ(0, run_in_cgroup("/bhe/b", op_secret_map, NULL));
	world_remove();
}

#define RETIRED_KEY 0xb4e9

static int op_make_shm(void *arg)
{
	return shmget(RETIRED_KEY, 4096, IPC_CREAT | 0600) < 0 ? errno : 0;
}

/* Asking for read access makes the lookup a decided read of the object. */
static int op_find_shm(void *arg)
{
	return shmget(RETIRED_KEY, 0, 0400) < 0 ? errno : 0;
}

/*
 * BH-SEP-12: a deleted domain's objects go to nobody. Domain ids are reused: c, added as b is
 * deleted, takes b's id and b's cgroup, and must not inherit the shared memory b made.
 */
TEST(objects_of_deleted_domain_retired)
{
	char log[4096];

	ASSERT_EQ(0, world_make("", "off", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	ASSERT_EQ(0, run_in_cgroup("/bhe/b", op_make_shm, NULL));
	ASSERT_EQ(0, write_file("/tmp/bhe-next.bh",
				"domain a {\n cgroup /bhe/a\n path /tmp/bhe/a\n}\n"
				"domain c {\n cgroup /bhe/b\n}\n"
				"flow host -> a { file exec }\nflow host -> c { file exec }\n"));
	ASSERT_EQ(0, run_cmd(log, sizeof(log), "bulkhead policy apply /tmp/bhe-next.bh && "
			     "bulkhead mode enforce")) {
		TH_LOG("%s", log);
	}
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/b", op_find_shm, NULL));
	sh("bulkhead mode off; rm -f /tmp/bhe-next.bh");
	shmctl(shmget(RETIRED_KEY, 0, 0), IPC_RMID, NULL);
	world_remove();
}

/* a links its file fa to the name @arg. */
static int op_link(void *arg)
{
	return ERR(link("/tmp/bhe/a/fa", arg));
}

/* a makes a file of its own and moves it to the name @arg. */
static int op_rename(void *arg)
{
	int fd = open("/tmp/bhe/a/x", O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		return SETUP_FAILED;
	close(fd);
	return ERR(rename("/tmp/bhe/a/x", arg));
}

FIXTURE(links) {
	char log[4096];
};

FIXTURE_VARIANT(links) {
	int (*op)(void *arg);
	const char *to;		/* the new name */
	const char *flows;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(links)
{
	ASSERT_EQ(0, world_make(variant->flows, variant->mode, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(links)
{
	world_remove();
}

#define LINKS(name, fn, dst, fl, md, exp)					\
	FIXTURE_VARIANT_ADD(links, name) {					\
		.op = fn, .to = dst, .flows = fl, .mode = md, .expect = exp }

/* Into b under enforce with no flow, each one-way flow and both; under audit; inside a. */
#define LINK_OP(name, fn)							\
	LINKS(name##_into_b_enforce_no_flow, fn, "/tmp/bhe/b/n", "", "enforce", EACCES); \
	LINKS(name##_into_b_enforce_a_to_b, fn, "/tmp/bhe/b/n", A_TO_B, "enforce", EACCES); \
	LINKS(name##_into_b_enforce_b_to_a, fn, "/tmp/bhe/b/n", B_TO_A, "enforce", EACCES); \
	LINKS(name##_into_b_enforce_both, fn, "/tmp/bhe/b/n", BOTH, "enforce", 0);	\
	LINKS(name##_into_b_audit_no_flow, fn, "/tmp/bhe/b/n", "", "audit", 0);	\
	LINKS(name##_in_a_enforce_no_flow, fn, "/tmp/bhe/a/n", "", "enforce", 0)

LINK_OP(link, op_link);
LINK_OP(rename, op_rename);

/*
 * BH-SEP-2, BH-ENF-1, BH-ENF-2: an inode with names in a and b would join the two domains
 * both ways, so a link or rename across them needs file flows both ways.
 */
TEST_F(links, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup("/bhe/a", variant->op, (void *)variant->to));
}

static int op_stat(void *arg)
{
	struct stat st;

	return ERR(stat(FB, &st));
}

static int op_lstat(void *arg)
{
	struct stat st;

	return ERR(lstat(B_SYMLINK, &st));
}

static int op_statx(void *arg)
{
	struct statx stx;

	return ERR(statx(AT_FDCWD, FB, 0, STATX_BASIC_STATS, &stx));
}

static int op_getxattr(void *arg)
{
	char value[8];

	return ERR(getxattr(FB, B_XATTR, value, sizeof(value)));
}

/*
 * A POSIX ACL in the xattr format: the header, then the entries sorted by tag - owner rw,
 * user 1000 r, group r, mask rw, other r. The named user keeps the kernel from folding the ACL
 * into the mode bits, so it is stored.
 */
static const struct {
	struct posix_acl_xattr_header h;
	struct posix_acl_xattr_entry e[5];
} acl = {
	{ POSIX_ACL_XATTR_VERSION },
	{ { ACL_USER_OBJ, ACL_READ | ACL_WRITE, ACL_UNDEFINED_ID }, { ACL_USER, ACL_READ, 1000 },
	  { ACL_GROUP_OBJ, ACL_READ, ACL_UNDEFINED_ID },
	  { ACL_MASK, ACL_READ | ACL_WRITE, ACL_UNDEFINED_ID },
	  { ACL_OTHER, ACL_READ, ACL_UNDEFINED_ID } },
};

/* Reading b's ACL: through inode_getxattr on 6.1, inode_get_acl from 6.2. */
static int op_get_acl(void *arg)
{
	char value[sizeof(acl)];

	return ERR(getxattr(FB, B_ACL, value, sizeof(value)));
}

/* Writing and removing it: inode_setxattr/removexattr on 6.1, inode_set/remove_acl from 6.2. */
static int op_set_acl(void *arg)
{
	return ERR(setxattr(FB, B_ACL, &acl, sizeof(acl), 0));
}

static int op_remove_acl(void *arg)
{
	return ERR(removexattr(FB, B_ACL));
}

static int op_listxattr(void *arg)
{
	char names[256];

	return ERR(listxattr(FB, names, sizeof(names)));
}

static int op_readlink(void *arg)
{
	char target[64];

	return ERR(readlink(B_SYMLINK, target, sizeof(target)));
}

/*
 * Whether a name exists in b's directory: an allowed lookup answers ENOENT for a name b does
 * not have (0 here), a denied one EACCES whether or not the name exists.
 */
static int op_probe_absent(void *arg)
{
	int fd = open("/tmp/bhe/b/absent", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? SETUP_FAILED : errno == ENOENT ? 0 : errno;
}

static int op_chdir(void *arg)
{
	return ERR(chdir("/tmp/bhe/b"));
}

/* The inotify instance is the task's own; the watch reads b's directory from now on. */
static int op_watch(void *arg)
{
	int fd = inotify_init1(IN_CLOEXEC);

	return fd < 0 ? SETUP_FAILED : ERR(inotify_add_watch(fd, "/tmp/bhe/b", IN_ALL_EVENTS));
}

/* b watching its own file: for reads of it (which tell who reads it), or for changes. */
static int watch_own(uint32_t events)
{
	int fd = inotify_init1(IN_CLOEXEC);

	return fd < 0 ? SETUP_FAILED : ERR(inotify_add_watch(fd, FB, events));
}

static int op_watch_own_reads(void *arg)
{
	return watch_own(IN_ACCESS | IN_OPEN | IN_CLOSE_NOWRITE);
}

static int op_watch_own_changes(void *arg)
{
	return watch_own(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF);
}

/*
 * The lock ops open b's file along a flow first, so that only the lock is decided. Taking a
 * lock writes lock state into b's file: a -> b, though the descriptor only reads.
 */
static int op_flock_shared(void *arg)
{
	int fd = open(FB, O_RDONLY);

	return fd < 0 ? SETUP_FAILED : ERR(flock(fd, LOCK_SH | LOCK_NB));
}

static int op_setlk_read(void *arg)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open(FB, O_RDONLY);

	return fd < 0 ? SETUP_FAILED : ERR(fcntl(fd, F_SETLK, &fl));
}

/* Asking for the lock in the way reads b's lock state: b -> a, though the descriptor writes. */
static int op_getlk(void *arg)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(FB, O_WRONLY);

	return fd < 0 ? SETUP_FAILED : ERR(fcntl(fd, F_GETLK, &fl));
}

/*
 * chattr through a descriptor opened for reading: FS_IOC_SETFLAGS changes b's inode whatever
 * the open mode, so it needs a -> b (tmpfs keeps FS_NODUMP_FL from 6.0).
 */
static int op_setflags(void *arg)
{
	int fd = open(FB, O_RDONLY), flags = FS_NODUMP_FL;

	return fd < 0 ? SETUP_FAILED : ERR(ioctl(fd, FS_IOC_SETFLAGS, &flags));
}

/* A command no filesystem knows: decided as a write, then refused by tmpfs with ENOTTY. */
static int op_unknown_ioctl(void *arg)
{
	int fd = open(FB, O_RDONLY), err;

	if (fd < 0)
		return SETUP_FAILED;
	err = ERR(ioctl(fd, _IOW('x', 0x42, int), &fd));
	return err == ENOTTY ? 0 : err;
}

/* Commands that only read, and a's own description's flags, need no more than the open did. */
static int op_reading_ioctls(void *arg)
{
	int fd = open(FB, O_RDONLY), flags, n;

	if (fd < 0)
		return SETUP_FAILED;
	return ERR(ioctl(fd, FS_IOC_GETFLAGS, &flags)) ?: ERR(ioctl(fd, FIONREAD, &n)) ?:
	       ERR(fcntl(fd, F_SETFL, O_NONBLOCK)) ?: ERR(ioctl(fd, FIOCLEX));
}

FIXTURE(metadata) {
	char log[4096];
};

FIXTURE_VARIANT(metadata) {
	int (*op)(void *arg);
	const char *cgroup;
	const char *flows;
	const char *mode;
	int expect;
};

FIXTURE_SETUP(metadata)
{
	char cmd[64];

	/* As world_make() does it: b's objects made with the mode off, the mode set last. */
	ASSERT_EQ(0, world_make(variant->flows, "off", self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(0, symlink("fb", B_SYMLINK));
	ASSERT_EQ(0, setxattr(FB, B_XATTR, "b", 1, 0));
	ASSERT_EQ(0, setxattr(FB, B_ACL, &acl, sizeof(acl), 0));
	snprintf(cmd, sizeof(cmd), "bulkhead mode %s", variant->mode);
	ASSERT_EQ(0, run_cmd(self->log, sizeof(self->log), cmd)) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(metadata)
{
	world_remove();
}

#define META(name, fn, cg, fl, md, exp)						\
	FIXTURE_VARIANT_ADD(metadata, name) {					\
		.op = fn, .cgroup = cg, .flows = fl, .mode = md, .expect = exp }

/* Reading b's metadata, as reading its content: no, the needed and the reverse flow; audit. */
#define READ_OP(name, fn)							\
	META(name##_enforce_no_flow, fn, "/bhe/a", "", "enforce", EACCES);	\
	META(name##_enforce_flow, fn, "/bhe/a", B_TO_A, "enforce", 0);		\
	META(name##_enforce_reverse_flow, fn, "/bhe/a", A_TO_B, "enforce", EACCES); \
	META(name##_audit_no_flow, fn, "/bhe/a", "", "audit", 0);		\
	META(name##_same_domain, fn, "/bhe/b", "", "enforce", 0)

/* Changing b's metadata, as writing its content: no, the needed and the reverse flow; audit. */
#define WRITE_OP(name, fn)							\
	META(name##_enforce_no_flow, fn, "/bhe/a", "", "enforce", EACCES);	\
	META(name##_enforce_flow, fn, "/bhe/a", A_TO_B, "enforce", 0);		\
	META(name##_enforce_reverse_flow, fn, "/bhe/a", B_TO_A, "enforce", EACCES); \
	META(name##_audit_no_flow, fn, "/bhe/a", "", "audit", 0);		\
	META(name##_same_domain, fn, "/bhe/b", "", "enforce", 0)

/*
 * Searching b's directory: no flow, a file flow either way, an exec flow; audit; b itself.
 * What a lookup tells, a domain that may create names there learns anyway.
 */
#define SEARCH_OP(name, fn)							\
	META(name##_enforce_no_flow, fn, "/bhe/a", "", "enforce", EACCES);	\
	META(name##_enforce_flow, fn, "/bhe/a", B_TO_A, "enforce", 0);		\
	META(name##_enforce_reverse_flow, fn, "/bhe/a", A_TO_B, "enforce", 0);	\
	META(name##_enforce_exec_flow, fn, "/bhe/a", "flow b -> a { exec }", "enforce", 0); \
	META(name##_enforce_other_channel, fn, "/bhe/a", "flow b -> a { signal }", "enforce", \
	     EACCES);								\
	META(name##_audit_no_flow, fn, "/bhe/a", "", "audit", 0);		\
	META(name##_same_domain, fn, "/bhe/b", "", "enforce", 0)

/* A lock on a descriptor of b's file: the flow that opened it alone, both flows; audit. */
#define LOCK_OP(name, fn, opens)						\
	META(name##_enforce_open_flow_only, fn, "/bhe/a", opens, "enforce", EACCES); \
	META(name##_enforce_both, fn, "/bhe/a", BOTH, "enforce", 0);		\
	META(name##_audit_open_flow_only, fn, "/bhe/a", opens, "audit", 0);	\
	META(name##_same_domain, fn, "/bhe/b", "", "enforce", 0)

READ_OP(stat, op_stat);
READ_OP(lstat, op_lstat);
READ_OP(statx, op_statx);
READ_OP(getxattr, op_getxattr);
READ_OP(listxattr, op_listxattr);
READ_OP(readlink, op_readlink);
READ_OP(get_acl, op_get_acl);
SEARCH_OP(probe_absent_name, op_probe_absent);
SEARCH_OP(chdir, op_chdir);
WRITE_OP(set_acl, op_set_acl);
WRITE_OP(remove_acl, op_remove_acl);
READ_OP(inotify_watch, op_watch);
LOCK_OP(flock_shared, op_flock_shared, B_TO_A);
LOCK_OP(setlk_read, op_setlk_read, B_TO_A);
LOCK_OP(getlk, op_getlk, A_TO_B);
/*
 * b watching its own file for reads learns when a reads it: allowed only where a may send to
 * b, or where nobody else may read it; a watch for changes tells b nothing of a.
 */
META(watch_own_reads_enforce_readable, op_watch_own_reads, "/bhe/b", B_TO_A, "enforce", EACCES);
META(watch_own_reads_enforce_both, op_watch_own_reads, "/bhe/b", BOTH, "enforce", 0);
META(watch_own_reads_enforce_private, op_watch_own_reads, "/bhe/b", "", "enforce", 0);
META(watch_own_reads_audit_readable, op_watch_own_reads, "/bhe/b", B_TO_A, "audit", 0);
META(watch_own_changes_enforce_readable, op_watch_own_changes, "/bhe/b", B_TO_A, "enforce", 0);
LOCK_OP(setflags, op_setflags, B_TO_A);
LOCK_OP(unknown_ioctl, op_unknown_ioctl, B_TO_A);
META(reading_ioctls_enforce_open_flow_only, op_reading_ioctls, "/bhe/a", B_TO_A, "enforce", 0);
META(reading_ioctls_same_domain, op_reading_ioctls, "/bhe/b", "", "enforce", 0);

/* BH-SEP-3, BH-ENF-1, BH-ENF-2: metadata and locks are reads and writes of their object. */
TEST_F(metadata, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup(variant->cgroup, variant->op, NULL));
}

struct holding {
	const char *path;
	int flags;
	int opened;		/* a writes a byte here once b's file is open */
	int go;			/* and uses it once host has written a byte here */
	int truncate;		/* use it with ftruncate() rather than a write */
};

/* In a: open the file while the flow is in force, keep it, and use it when host says so. */
static int hold_and_use(const struct holding *h)
{
	char c = 'a';
	ssize_t n;
	int fd = open(h->path, h->flags);

	if (fd < 0 || write(h->opened, &c, 1) != 1 || read(h->go, &c, 1) != 1)
		return SETUP_FAILED;
	if (h->truncate)
		n = ftruncate(fd, 0) ? -1 : 1;
	else
		n = h->flags == O_RDONLY ? read(fd, &c, 1) : write(fd, &c, 1);
	return n == 1 ? 0 : n < 0 ? errno : EIO;
}

/*
 * world_make() leaves its policy's text in /tmp/bhe-policy.bh: apply it again, less the line
 * @removed unless NULL. Either way a new generation is in force.
 */
static int reapply(const char *removed, char *log, size_t len)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "grep -vxF '%s' /tmp/bhe-policy.bh > /tmp/bhe/next.bh && "
		 "bulkhead policy apply /tmp/bhe/next.bh", removed ?: "");
	return run_cmd(log, len, cmd);
}

/* a tells host on host's pipe: a -> host, a flow none of these tests is about. */
#define REPORT		"flow a -> host { file }"

FIXTURE(current) {
	char log[4096];
};

FIXTURE_VARIANT(current) {
	const char *path;	/* the file a opens: b's (NULL), or its own */
	const char *change;	/* host's change meanwhile: NULL to apply the policy again */
	int flags;		/* how a opens b's file */
	const char *flow;	/* the flow that lets it */
	const char *flows;	/* the world's: @flow and REPORT */
	int removed;		/* whether @flow is gone from the policy applied meanwhile */
	int truncate;		/* a truncates through the descriptor instead of writing */
	const char *mode;
	int expect;
};

FIXTURE_SETUP(current)
{
	ASSERT_EQ(0, world_make(variant->flows, variant->mode, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(current)
{
	/* A group keeps its active member across applies: leave a active for the next world. */
	sh("bulkhead switch a > /dev/null 2>&1");
	world_remove();
}

#define CURRENT(name, fl, fw, rm, md, exp)					\
	FIXTURE_VARIANT_ADD(current, name) {					\
		.flags = fl, .flow = fw, .flows = fw "\n" REPORT, .removed = rm, \
		.mode = md, .expect = exp }

/* The flow removed or kept under enforce; removed under audit. */
#define KEPT_OP(name, fl, fw)							\
	CURRENT(name##_flow_removed_enforce, fl, fw, 1, "enforce", EACCES);	\
	CURRENT(name##_flow_kept_enforce, fl, fw, 0, "enforce", 0);		\
	CURRENT(name##_flow_removed_audit, fl, fw, 1, "audit", 0)

KEPT_OP(read, O_RDONLY, B_TO_A);
KEPT_OP(write, O_WRONLY, A_TO_B);

/*
 * a writes its own file through a descriptor opened while it was the active member of an
 * exclusive group; switched out, it is frozen, but what it still runs (a thawed task here,
 * io_uring work in life) is denied: everything an inactive member does is.
 */
#define SWITCH_FLOWS	"exclusive sel { a b }\n" REPORT
/* The control: the policy applied again (a new epoch), a still the active member. */
FIXTURE_VARIANT_ADD(current, own_write_still_active_enforce) {
	.path = "/tmp/bhe/a/fa", .flags = O_WRONLY, .flows = SWITCH_FLOWS, .mode = "enforce",
	.expect = 0 };
FIXTURE_VARIANT_ADD(current, own_write_switched_out_enforce) {
	.path = "/tmp/bhe/a/fa", .flags = O_WRONLY, .flows = SWITCH_FLOWS, .mode = "enforce",
	.change = "bulkhead switch b && echo 0 > /sys/fs/cgroup/bhe/a/cgroup.freeze",
	.expect = EACCES };
/* ftruncate() is a write too: on 6.12 only inode_setattr decides it. */
FIXTURE_VARIANT_ADD(current, own_truncate_still_active_enforce) {
	.path = "/tmp/bhe/a/fa", .flags = O_WRONLY, .flows = SWITCH_FLOWS, .truncate = 1,
	.mode = "enforce", .expect = 0 };
FIXTURE_VARIANT_ADD(current, own_truncate_switched_out_enforce) {
	.path = "/tmp/bhe/a/fa", .flags = O_WRONLY, .flows = SWITCH_FLOWS, .truncate = 1,
	.mode = "enforce",
	.change = "bulkhead switch b && echo 0 > /sys/fs/cgroup/bhe/a/cgroup.freeze",
	.expect = EACCES };

/*
 * BH-SEP-4, BH-ENF-1, BH-ENF-2: each read and write is decided by the policy in force when it
 * happens, not by the one that let the descriptor be opened.
 */
TEST_F(current, decided_when_used)
{
	struct holding h = { .path = variant->path ?: FB, .flags = variant->flags,
			     .truncate = variant->truncate };
	int opened[2], go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(opened));
	ASSERT_EQ(0, pipe(go));
	h.opened = opened[1];
	h.go = go[0];
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Only the other ends: a parent gone makes the read of @go end. */
		close(opened[0]);
		close(go[1]);
		if (write_file("/sys/fs/cgroup/bhe/a/cgroup.procs", "0"))
			_exit(SETUP_FAILED);
		_exit(hold_and_use(&h));
	}
	close(opened[1]);
	close(go[0]);
	ASSERT_EQ(1, read(opened[0], &c, 1)) {
		TH_LOG("a could not open b's file along the flow");
	}
	ASSERT_EQ(0, variant->change ? run_cmd(self->log, sizeof(self->log), variant->change) :
		  reapply(variant->removed ? variant->flow : NULL, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(variant->expect, WEXITSTATUS(status));
	close(opened[0]);
	close(go[1]);
}

TEST_HARNESS_MAIN
