// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: load, status, hook counters, unload and reload through the real CLI,
 * module, BPF-LSM programs and generic netlink family.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "names.h"
#include "status.h"
#include "util.h"

#define PIN_LINK BULKHEAD_BPFFS_DIR "/links/file_open"
#define PIN_PROG BULKHEAD_BPFFS_DIR "/progs/file_open"

static void unload_quietly(void)
{
	char out[512];

	run_cmd(out, sizeof(out), "bulkhead unload");
}


static bool exists(const char *path)
{
	struct stat sb;

	return !stat(path, &sb);
}

FIXTURE(loaded) {
	struct bh_status st;
};

FIXTURE_SETUP(loaded)
{
	char out[512];

	unload_quietly();
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) {
		TH_LOG("bulkhead load: %s", out);
	}
	ASSERT_EQ(0, status_now(&self->st));
}

FIXTURE_TEARDOWN(loaded)
{
	unload_quietly();
}

/* BH-LOAD-1: loading never enforces. */
TEST_F(loaded, starts_in_mode_off)
{
	EXPECT_EQ(BULKHEAD_MODE_OFF, self->st.mode);
}

/* BH-MGMT-1: status names the module, its ABI and the running kernel. */
TEST_F(loaded, status_identifies_module_and_kernel)
{
	struct utsname uts;

	ASSERT_EQ(0, uname(&uts));
	EXPECT_STREQ(uts.release, self->st.kernel);
	EXPECT_EQ(BULKHEAD_GENL_VERSION, self->st.abi);
	EXPECT_NE(0, strlen(self->st.version));
}

/*
 * The hooks this kernel has, as its BTF says (bpf_lsm_HOOK): status must list exactly those of
 * bulkhead's, netfilter's always.
 */
static unsigned int hooks_in_this_kernel(void)
{
	static const char *const names[] = BULKHEAD_HOOK_NAMES;
	struct btf *btf = btf__load_vmlinux_btf();
	unsigned int i, n = 0;
	char fn[96];

	if (!btf)
		return 0;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(fn, sizeof(fn), "bpf_lsm_%s", names[i]);
		n += (i >= BULKHEAD_HOOK_NF_PRE_ROUTING && i <= BULKHEAD_HOOK_NF_LOCAL_IN) ||
		     btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC) >= 0;
	}
	btf__free(btf);
	return n;
}

/* BH-LOAD-2: every hook the module serves has its BPF link attached and pinned. */
TEST_F(loaded, every_hook_attached_and_pinned)
{
	const struct bh_hook_status *h = bh_status_hook(&self->st, "file_open");
	unsigned int i;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(BULKHEAD_HOOK_FILE_OPEN, h->id);
	ASSERT_EQ(hooks_in_this_kernel(), self->st.n_hooks);
	for (i = 0; i < self->st.n_hooks; i++)
		EXPECT_TRUE(self->st.hooks[i].attached) {
			TH_LOG("hook %s not attached", self->st.hooks[i].name);
		}
	EXPECT_TRUE(exists(PIN_LINK));
	EXPECT_TRUE(exists(PIN_PROG));
}

/* BH-HOOK-1: each open() goes through the BPF program into the module. */
TEST_F(loaded, file_open_counter_moves)
{
	const int opens = 25;
	struct bh_status after;
	uint64_t before;
	int i, fd;

	before = bh_status_hook(&self->st, "file_open")->calls;
	for (i = 0; i < opens; i++) {
		fd = open("/etc/passwd", O_RDONLY);
		ASSERT_LE(0, fd);
		close(fd);
	}
	ASSERT_EQ(0, status_now(&after));
	EXPECT_LE(before + opens, bh_status_hook(&after, "file_open")->calls);
}

/* BH-HOOK-1: a detached hook stops counting and is reported as not attached. */
TEST_F(loaded, unpinned_link_reported_detached)
{
	struct bh_status st;
	uint64_t calls;
	int fd;

	ASSERT_EQ(0, unlink(PIN_LINK));
	ASSERT_EQ(0, status_now(&st));
	EXPECT_FALSE(bh_status_hook(&st, "file_open")->attached);
	/* The program may take a grace period to go; count once it is surely gone. */
	usleep(200 * 1000);
	ASSERT_EQ(0, status_now(&st));
	calls = bh_status_hook(&st, "file_open")->calls;
	fd = open("/etc/passwd", O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, status_now(&st));
	EXPECT_EQ(calls, bh_status_hook(&st, "file_open")->calls);
}

/* BH-LOAD-2: loading again is harmless and repairs a missing link. */
TEST_F(loaded, load_again_repairs_links)
{
	struct bh_status st;
	char out[512];

	ASSERT_EQ(0, unlink(PIN_LINK));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) {
		TH_LOG("bulkhead load: %s", out);
	}
	ASSERT_EQ(0, status_now(&st));
	EXPECT_TRUE(bh_status_hook(&st, "file_open")->attached);
	EXPECT_EQ(BULKHEAD_MODE_OFF, st.mode);
}

/* BH-LOAD-3: unload removes the module, its family and every pin. */
TEST_F(loaded, unload_removes_everything)
{
	struct bh_genl g;
	char out[512];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead unload")) {
		TH_LOG("bulkhead unload: %s", out);
	}
	EXPECT_EQ(-ENOENT, bh_genl_open(&g));
	EXPECT_FALSE(exists("/sys/module/bulkhead"));
	EXPECT_FALSE(exists(BULKHEAD_BPFFS_DIR));
}

/* BH-LOAD-3, BH-LOAD-1: a reload works and starts afresh in mode off. */
/* Unloading and loading every program again takes a while under TCG on a busy host. */
TEST_F_TIMEOUT(loaded, reload_after_unload, 180)
{
	struct bh_status st;
	char out[512];

	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead mode enforce"));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead unload"));
	ASSERT_EQ(0, run_cmd(out, sizeof(out), "bulkhead load")) {
		TH_LOG("bulkhead load: %s", out);
	}
	ASSERT_EQ(0, status_now(&st));
	EXPECT_EQ(BULKHEAD_MODE_OFF, st.mode);
	EXPECT_TRUE(bh_status_hook(&st, "file_open")->attached);
}

TEST_HARNESS_MAIN
