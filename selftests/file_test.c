// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: file operations between domains. A task in domain a acts on domain b's
 * files; each operation runs under every mode with no flow, the flow it needs, and the reverse
 * flow, so a hook that denies everything fails as surely as one that allows everything.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "status.h"
#include "util.h"
#include "world.h"

#define ERR(call) ((call) < 0 ? errno : 0)

static int op_read(void *arg)
{
	int fd = open("/tmp/bhe/b/fb", O_RDONLY);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_write(void *arg)
{
	int fd = open("/tmp/bhe/b/fb", O_WRONLY);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_readdir(void *arg)
{
	int fd = open("/tmp/bhe/b", O_RDONLY | O_DIRECTORY);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_create(void *arg)
{
	int fd = open("/tmp/bhe/b/new", O_WRONLY | O_CREAT | O_EXCL, 0644);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_mkdir(void *arg)
{
	return ERR(mkdir("/tmp/bhe/b/newdir", 0755));
}

static int op_unlink(void *arg)
{
	return ERR(unlink("/tmp/bhe/b/fb"));
}

static int op_rmdir(void *arg)
{
	return ERR(rmdir("/tmp/bhe/b/d"));
}

static int op_truncate(void *arg)
{
	return ERR(truncate("/tmp/bhe/b/fb", 0));
}

static int op_chmod(void *arg)
{
	return ERR(chmod("/tmp/bhe/b/fb", 0600));
}

/* Times set through utimensat(): an attribute change of b's file. */
static int op_utimens(void *arg)
{
	static const struct timespec times[2] = { { 1, 0 }, { 2, 0 } };

	return ERR(utimensat(AT_FDCWD, "/tmp/bhe/b/fb", times, 0));
}

static int op_symlink(void *arg)
{
	return ERR(symlink("/etc/passwd", "/tmp/bhe/b/link"));
}

/* Moving b's file into a carries its content from b to a, and writes both directories. */
static int op_rename_out(void *arg)
{
	return ERR(rename("/tmp/bhe/b/fb", "/tmp/bhe/a/moved"));
}

/* A hard link in a to b's file gives a a name for it. */
static int op_link_out(void *arg)
{
	return ERR(link("/tmp/bhe/b/fb", "/tmp/bhe/a/linked"));
}

/* Anonymous executable memory has no file: allowed, and no crash on the NULL file. */
static int op_mmap_anon_exec(void *arg)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? errno : (munmap(p, 4096), 0);
}

static int op_exec(void *arg)
{
	char *argv[] = { "prog", "-c", "exit 0", NULL };

	execv("/tmp/bhe/b/prog", argv);
	return errno;
}

/* An O_PATH descriptor opens nothing; reopening it through /proc reaches file_open. */
static int op_read_proc_fd_reopen(void *arg)
{
	char path[64];
	int fd = open("/tmp/bhe/b/fb", O_PATH);

	if (fd < 0)
		return errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return ERR(fd = open(path, O_RDONLY)) ?: (close(fd), 0);
}

static int op_read_openat2(void *arg)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS };
	int fd = syscall(__NR_openat2, AT_FDCWD, "/tmp/bhe/b/fb", &how, sizeof(how));

	return fd < 0 ? errno : (close(fd), 0);
}

/* A symlink in a's own tree still leads to b's label. */
static int op_read_via_symlink(void *arg)
{
	int fd;

	if (symlink("/tmp/bhe/b/fb", "/tmp/bhe/a/to-fb"))
		return errno;
	return ERR(fd = open("/tmp/bhe/a/to-fb", O_RDONLY)) ?: (close(fd), 0);
}

/*
 * file_getattr(2) and file_setattr(2) (6.17+; x86-64 numbers, no libc wrapper yet) read and
 * change a file's flags by path without opening it. ENOSYS on older kernels: the case skips.
 * The kernel reads a file's attributes before it changes them, so a change needs both flows.
 */
#define NR_FILE_GETATTR 468
#define NR_FILE_SETATTR 469

struct file_attr_v0 {
	unsigned long long fa_xflags;
	unsigned int fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};

static int op_file_getattr(void *arg)
{
	struct file_attr_v0 fa;

	return ERR(syscall(NR_FILE_GETATTR, AT_FDCWD, "/tmp/bhe/b/fb", &fa, sizeof(fa), 0));
}

static int op_file_setattr(void *arg)
{
	struct file_attr_v0 fa = { 0 };

	return ERR(syscall(NR_FILE_SETATTR, AT_FDCWD, "/tmp/bhe/b/fb", &fa, sizeof(fa), 0));
}

FIXTURE(files) {
	char log[4096];
};

FIXTURE_VARIANT(files) {
	int (*op)(void *arg);
	const char *flows;
	const char *mode;
	int expect;		/* 0 or the errno */
};

FIXTURE_SETUP(files)
{
	ASSERT_EQ(0, world_make(variant->flows, variant->mode, self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
}

FIXTURE_TEARDOWN(files)
{
	world_remove();
}

#define A_TO_B "flow a -> b { file }"
#define B_TO_A "flow b -> a { file }"
#define BOTH "flow a -> b { file }\nflow b -> a { file }"

/* Five cases per operation: enforce without, with and against the flow; audit; off. */
#define FILE_OP(name, fn, needed, reverse)					\
	FIXTURE_VARIANT_ADD(files, name##_enforce_no_flow) {			\
		.op = fn, .flows = "", .mode = "enforce", .expect = EACCES };	\
	FIXTURE_VARIANT_ADD(files, name##_enforce_flow) {			\
		.op = fn, .flows = needed, .mode = "enforce", .expect = 0 };	\
	FIXTURE_VARIANT_ADD(files, name##_enforce_reverse_flow) {		\
		.op = fn, .flows = reverse, .mode = "enforce", .expect = EACCES }; \
	FIXTURE_VARIANT_ADD(files, name##_audit_no_flow) {			\
		.op = fn, .flows = "", .mode = "audit", .expect = 0 };		\
	FIXTURE_VARIANT_ADD(files, name##_off_no_flow) {			\
		.op = fn, .flows = "", .mode = "off", .expect = 0 }

FILE_OP(read, op_read, B_TO_A, A_TO_B);
FILE_OP(read_proc_fd_reopen, op_read_proc_fd_reopen, B_TO_A, A_TO_B);
FILE_OP(read_openat2, op_read_openat2, B_TO_A, A_TO_B);
FILE_OP(read_via_symlink, op_read_via_symlink, B_TO_A, A_TO_B);
FILE_OP(write, op_write, A_TO_B, B_TO_A);
FILE_OP(readdir, op_readdir, B_TO_A, A_TO_B);
FILE_OP(create, op_create, A_TO_B, B_TO_A);
FILE_OP(mkdir, op_mkdir, A_TO_B, B_TO_A);
FILE_OP(unlink, op_unlink, A_TO_B, B_TO_A);
FILE_OP(rmdir, op_rmdir, A_TO_B, B_TO_A);
FILE_OP(truncate, op_truncate, A_TO_B, B_TO_A);
FILE_OP(chmod, op_chmod, A_TO_B, B_TO_A);
FILE_OP(utimens, op_utimens, A_TO_B, B_TO_A);
FILE_OP(symlink, op_symlink, A_TO_B, B_TO_A);
FILE_OP(rename_out, op_rename_out, BOTH, A_TO_B);
FILE_OP(link_out, op_link_out, BOTH, A_TO_B);
FILE_OP(file_getattr, op_file_getattr, B_TO_A, A_TO_B);
/* Setting attributes reads the old ones first (inode_file_getattr): both ways. */
FILE_OP(file_setattr, op_file_setattr, BOTH, B_TO_A);
FILE_OP(exec, op_exec, "flow b -> a { exec }", "flow b -> a { file }");

static unsigned long long total_denials(void)
{
	unsigned long long sum = 0;
	struct bh_status st;
	struct bh_genl g;
	unsigned int i;

	if (bh_genl_open(&g))
		return 0;
	if (!bh_status_get(&g, &st))
		for (i = 0; i < st.n_hooks; i++)
			sum += st.hooks[i].denials;
	bh_genl_close(&g);
	return sum;
}

/* BH-ENF-1, BH-ENF-2: the operation is decided by the policy under the mode. */
TEST_F(files, decided)
{
	unsigned long long before = total_denials();
	int err = run_in_cgroup("/bhe/a", variant->op, NULL);

	if (err == ENOSYS)
		SKIP(return, "this kernel has no such system call (file_getattr/file_setattr: 6.17+)");
	EXPECT_EQ(variant->expect, err);
	/* Audit mode decides too: what enforce would deny is counted, not denied. */
	if (!strcmp(variant->mode, "audit"))
		EXPECT_LT(before, total_denials());
	if (!strcmp(variant->mode, "off"))
		EXPECT_EQ(before, total_denials());
}

/* The index of the first of @ops that fails in domain b, or -1 when all succeed. */
static int first_failing_in_b(int (*const ops[])(void *arg), unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (run_in_cgroup("/bhe/b", ops[i], NULL))
			return i;
	return -1;
}

/* BH-ENF-1: within one domain everything flows, with no flow declared, under enforce. */
TEST(same_domain_allowed)
{
	static int (*const ops[])(void *arg) = {
		op_read, op_write, op_readdir, op_create, op_mkdir, op_truncate, op_chmod,
		op_utimens, op_symlink, op_exec, op_unlink, op_rmdir, op_mmap_anon_exec,
	};
	char log[4096];

	ASSERT_EQ(0, world_make("", "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	EXPECT_EQ(-1, first_failing_in_b(ops, sizeof(ops) / sizeof(ops[0])));
	world_remove();
}

static int op_write_null(void *arg)
{
	int fd;

	return ERR(fd = open("/dev/null", O_WRONLY)) ?: (close(fd), 0);
}

static int op_read_urandom(void *arg)
{
	int fd;

	return ERR(fd = open("/dev/urandom", O_RDONLY)) ?: (close(fd), 0);
}

/* A pidfd is a file on 6.9 and later; what it allows is decided by the task hooks. */
static int op_pidfd(void *arg)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);

	return fd < 0 ? errno : (close(fd), 0);
}

static int op_write_host_file(void *arg)
{
	int fd;

	return ERR(fd = open("/tmp/bhe-policy.bh", O_WRONLY)) ?: (close(fd), 0);
}

/*
 * BH-ENF-1: files that hold nobody's information (/dev/null, /dev/urandom, pidfds) need no
 * flow, while a real host file next to them still does.
 */
TEST(no_information_files_need_no_flow)
{
	static int (*const ops[])(void *arg) = { op_write_null, op_read_urandom, op_pidfd };
	char log[4096];

	ASSERT_EQ(0, world_make("", "enforce", log, sizeof(log))) {
		TH_LOG("%s", log);
	}
	EXPECT_EQ(-1, first_failing_in_b(ops, sizeof(ops) / sizeof(ops[0])));
	EXPECT_EQ(EACCES, run_in_cgroup("/bhe/b", op_write_host_file, NULL));
	world_remove();
}

TEST_HARNESS_MAIN
