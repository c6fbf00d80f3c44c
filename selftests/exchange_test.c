// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the guarded exchange on a real module, in enforce mode - the boxes an
 * exchange adds (who may write, read, list or remove what in the outbox, the inbox and the
 * guard's own areas), the exchanges the kernel refuses, TRANSFER_RECORD from the guard domain
 * only, and the guard daemon run in its domain: a file crossing with its sealed record, each
 * check, hostile outbox content, a file still being written or replaced during its check, a
 * guard killed mid-transfer, and the trail's block failure mode.
 *
 * World (made with the mode off, then the policy applied and enforce set):
 *
 *   domain low    cgroup /bhx/low    /tmp/bhx/low/    secret, outbox/ (nobody's)
 *   domain high   cgroup /bhx/high   /tmp/bhx/high/   private, docs/, inbox/
 *   domain guard  cgroup /bhx/guard  /tmp/bhx/guard/  state/low-high/ (staging), quarantine/
 *   domain mid    cgroup /bhx/mid    /tmp/bhx/mid/    (second exchanges, refusals)
 *   host          /tmp/bhx-host/     the filter, the policy, the recorder's trail
 *
 *   exchange low-high from low to high via guard:
 *     low --> low-high.outbox <--> guard <--> low-high.inbox --> high     (file only)
 *
 * Records are read from the trail "bulkhead audit record" writes during the test, decoded
 * with the tools' own record reader, so that a record's fields are checked by number and
 * not by how the CLI happens to print them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <glob.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>

#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>
#include "kselftest_harness.h"
#include "audit_codec.h"
#include "genl.h"
#include "parser.h"
#include "policy_nl.h"
#include "status.h"
#include "util.h"
#include "world.h"

#define OUT_LEN		8192
#define STR_(x)		#x
#define STR(x)		STR_(x)

#define CG_LOW		"/bhx/low"
#define CG_HIGH		"/bhx/high"
#define CG_GUARD	"/bhx/guard"
#define CG_MID		"/bhx/mid"

#define ROOT		"/tmp/bhx"
#define LOW		ROOT "/low"
#define LOW_SECRET	LOW "/secret"
#define OUTBOX		LOW "/outbox"
#define HIGH		ROOT "/high"
#define HIGH_PRIVATE	HIGH "/private"
#define HIGH_DOCS	HIGH "/docs"
#define INBOX		HIGH "/inbox"
#define GUARD		ROOT "/guard"
#define STATE		GUARD "/state"
#define STAGING		STATE "/low-high"
#define QUARANTINE	GUARD "/quarantine"
#define MARKER		GUARD "/filtering"	/* the filter is checking a SLOW-TEST file */
#define MID		ROOT "/mid"
#define HOST		"/tmp/bhx-host"
#define FILTER		HOST "/filter"
#define POLICY		HOST "/policy.bh"
#define TRAIL		HOST "/trail"
#define DAEMON_LOG	HOST "/guard.log"
#define RECORDER_PID	"/tmp/bhx-recorder.pid"	/* outlives HOST, for a test that timed out */

#define MAX_SIZE	4096
#define HIGH_TEXT	"high's private note\n"

/* A step before the one under test failed: no errno, so never taken for a verdict. */
#define SETUP_FAILED	200

#define ERR(call)	((call) < 0 ? errno : 0)

/*
 * Every domain runs the host's programs (the guard: bulkhead, sh, the filter, libmagic's
 * database) and takes signals from host, as a service manager stops a guard; the exchange
 * adds the rest.
 */
#define DOMAINS								\
	"domain low {\n\tcgroup " CG_LOW "\n\tpath " LOW "\n}\n"		\
	"domain high {\n\tcgroup " CG_HIGH "\n\tpath " HIGH "\n}\n"		\
	"domain guard {\n\tcgroup " CG_GUARD "\n\tpath " GUARD "\n}\n"	\
	"domain mid {\n\tcgroup " CG_MID "\n\tpath " MID "\n}\n"		\
	"flow host -> low { file exec signal }\n"				\
	"flow host -> high { file exec signal }\n"				\
	"flow host -> guard { file exec signal }\n"				\
	"flow host -> mid { file exec signal }\n"

#define EXCHANGE	"exchange low-high from low to high via guard {\n"
#define BOXES		"\toutbox " OUTBOX "\n\tinbox " INBOX "\n"
/* INTEGRATOR: the statement's keywords as docs/exchange.md and the issue spell them. */
#define CHECKS								\
	"\tmax-size " STR(MAX_SIZE) "\n"					\
	"\ttype text/plain\n"						\
	"\tdeny-pattern \"SECRET\"\n"					\
	"\tfilter \"" FILTER "\"\n"

static const char exchange_bare[] = EXCHANGE BOXES "}\n";

/*
 * The exchange with every check. The filter's time limit, 2 s, is stretched on the debug
 * kernel (slow_factor()), where the slow clean run alone took longer than that.
 */
static const char *exchange_checked(void)
{
	static char text[1024];

	snprintf(text, sizeof(text), EXCHANGE BOXES CHECKS "\tfilter-timeout %d\n}\n",
		 2 * slow_factor());
	return text;
}

/*
 * The exchange's filter: a virus (exit 1), a stall past the timeout, a slow clean run that
 * first says it is running (the guard is then mid-transfer: staged, not yet delivered), else
 * clean. The guard gives it the staged copy's path. One process (cat) per file: a fork costs
 * a tenth of a second under emulation.
 */
static const char filter_script[] =
	"#!/bin/sh\n"
	"case $(cat \"$1\") in\n"
	"*VIRUS-TEST*) exit 1 ;;\n"
	"*STALL-TEST*) exec sleep 30 ;;\n"
	"*SLOW-TEST*) : > " MARKER "; sleep 1 ;;\n"
	"esac\n"
	"exit 0\n";

/*
 * The guard as its unit runs it, in its domain: the boxes and checks come from the kernel's
 * policy, the records go to the kernel. INTEGRATOR: options as docs/exchange.md names them;
 * --state-dir so that "guard status --state-dir STATE" finds STAGING's journal.
 */
#define GUARD_CMD							\
	"bulkhead guard run --exchange low-high"			\
	" --staging " STAGING " --quarantine " QUARANTINE " --state-dir " STATE
#define GUARD_STATUS	"bulkhead exec guard -- bulkhead guard status -j --state-dir " STATE

/* --- the world ------------------------------------------------------------------------------ */

struct world {
	pid_t recorder;		/* "bulkhead audit record --dir TRAIL", 0 when stopped */
	uint64_t since;		/* the first audit record this test made */
	uint32_t slots;		/* the ring's size, to put the capacity back */
	char out[OUT_LEN];
};

/* What a child in a domain saw of a directory (shared with it: see list_as()). */
#define MAX_ENTRIES	24
struct entry {
	char name[256];
	mode_t mode;
	uint64_t size;
	uint8_t sha256[BULKHEAD_HASH_LEN];	/* regular files */
	char head[512];				/* their first bytes, NUL-terminated */
};

struct listing {
	int n;
	struct entry e[MAX_ENTRIES];
};

static struct listing *seen;

/* One audit counter or setting (BULKHEAD_A_AUDIT_*), or -1. */
struct audit_value {
	int attr;
	int64_t value;
};

static int audit_value_cb(struct nlattr **attrs, void *arg)
{
	struct audit_value *v = arg;
	struct nlattr *a = attrs[v->attr];

	if (a)
		v->value = nla_len(a) == sizeof(uint32_t) ? nla_get_u32(a) : (int64_t)nla_get_u64(a);
	return 0;
}

static int64_t audit_value(int attr)
{
	struct audit_value v = { .attr = attr, .value = -1 };
	struct nl_msg *msg;
	struct bh_genl g;
	int err;

	if (bh_genl_open(&g))
		return -1;
	msg = bh_genl_msg(&g, BULKHEAD_CMD_AUDIT_STATS_GET, 0);
	err = msg ? bh_genl_call(&g, msg, audit_value_cb, &v) : -ENOMEM;
	bh_genl_close(&g);
	return err ? -1 : v.value;
}

/*
 * Every record numbered so far is sealed, on disk and acknowledged. Sealing runs after the
 * producer returns: "acknowledged == sealed" alone could pass before the last one is sealed.
 */
static int trail_synced(void)
{
	int64_t last = audit_value(BULKHEAD_A_AUDIT_NEXT_SEQ) - 1;
	int i;

	for (i = 0; i < 200 && last >= 0; i++) {
		if (audit_value(BULKHEAD_A_AUDIT_ACKED) >= last)
			return 0;
		usleep(100000);
	}
	return -1;
}

static pid_t start_recorder(struct world *w)
{
	char pid[16];

	w->recorder = fork();
	if (!w->recorder) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, STDOUT_FILENO);
		execlp("bulkhead", "bulkhead", "audit", "record", "--dir", TRAIL, "--fsync",
		       "batch", NULL);
		_exit(127);
	}
	snprintf(pid, sizeof(pid), "%d", w->recorder);
	write_file(RECORDER_PID, pid);
	return w->recorder;
}

static void stop_recorder(struct world *w)
{
	if (w->recorder <= 0)
		return;
	kill(w->recorder, SIGTERM);
	waitpid(w->recorder, NULL, 0);
	w->recorder = 0;
	unlink(RECORDER_PID);
}

/* A recorder a timed-out test left running, known by the pid it wrote and its command. */
static void stop_stale_recorder(void)
{
	char line[32], path[64], cmdline[256];
	ssize_t n;
	pid_t pid;
	int fd;

	if (read_line(RECORDER_PID, line, sizeof(line)))
		return;
	pid = atoi(line);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);
	if (fd >= 0)
		close(fd);
	if (pid > 0 && n > 0 && memmem(cmdline, n, "record", 6)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	unlink(RECORDER_PID);
}

/* Kill what a test left in @cgroup (a daemon, a filter, a writer), then remove it. */
static void remove_cgroup(const char *cgroup)
{
	char dir[128], procs[160], line[32];
	FILE *f;
	int i;

	snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s", cgroup);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	for (i = 0; i < 50 && rmdir(dir) && errno == EBUSY; i++) {
		f = fopen(procs, "r");
		while (f && fgets(line, sizeof(line), f))
			kill(atoi(line), SIGKILL);
		if (f)
			fclose(f);
		usleep(100000);
	}
}

/* Mode off, straight over netlink: a CLI run costs a tenth of a second under emulation. */
static void mode_off(void)
{
	struct bh_genl g;

	if (!bh_genl_open(&g)) {
		bh_mode_set(&g, BULKHEAD_MODE_OFF);
		bh_genl_close(&g);
	}
}

static void remove_world(void)
{
	stop_stale_recorder();
	/* Host may signal the domains only along the policy's flows: off first. */
	mode_off();
	remove_cgroup(CG_LOW);
	remove_cgroup(CG_HIGH);
	remove_cgroup(CG_GUARD);
	remove_cgroup(CG_MID);
	rmdir("/sys/fs/cgroup/bhx");
	remove_tree(ROOT);
	remove_tree(HOST);
}

static int make_tree(void)
{
	static const char *const dirs[] = {
		"/sys/fs/cgroup/bhx", "/sys/fs/cgroup" CG_LOW, "/sys/fs/cgroup" CG_HIGH,
		"/sys/fs/cgroup" CG_GUARD, "/sys/fs/cgroup" CG_MID, ROOT, LOW, OUTBOX, HIGH,
		HIGH_DOCS, INBOX, GUARD, STATE, STAGING, QUARANTINE, MID, HOST, NULL,
	};

	if (make_dirs(dirs) || write_file(LOW_SECRET, "low's secret\n") ||
	    write_file(HIGH_PRIVATE, HIGH_TEXT) || write_file(FILTER, filter_script) ||
	    chmod(FILTER, 0755) || chmod(STATE, 0700) || chmod(STAGING, 0700) ||
	    chmod(QUARANTINE, 0700))
		return -1;
	/* The sender in the allowed path writes as nobody: the record must say so. */
	return chown(OUTBOX, NOBODY_ID, NOBODY_ID);
}

/* The domains, @tail, and enforce once it commits (a refused policy changes no mode). */
static int apply_policy(const char *tail, char *out, size_t len)
{
	char text[8192];

	snprintf(text, sizeof(text), "%s%smode enforce\n", DOMAINS, tail);
	if (write_file(POLICY, text))
		return -1;
	return run_cmd(out, len, "bulkhead policy apply " POLICY);
}

/*
 * The world with the exchange statement(s) and flows @tail, in enforce mode; @prepare (may be
 * NULL) runs as host with the mode off before the policy, to make what no domain may make;
 * with @record, a recorder keeps the trail (the ring may be full from earlier suites: records
 * would then be lost in drop mode, and the trail is where they are read).
 */
static void world_setup(struct __test_metadata *_metadata, struct world *w, const char *tail,
			int (*prepare)(void), bool record)
{
	int64_t slots;

	remove_world();
	/* Loaded once and kept (a load verifies every BPF program, slow under emulation). */
	slots = audit_value(BULKHEAD_A_AUDIT_SLOTS);
	if (slots < 0) {
		ASSERT_EQ(0, run_cmd(w->out, sizeof(w->out), "bulkhead load")) TH_LOG("%s", w->out);
		slots = audit_value(BULKHEAD_A_AUDIT_SLOTS);
	}
	ASSERT_LT(0, slots);
	w->slots = slots;
	/* As a test that timed out in block mode may have left it. */
	if (audit_value(BULKHEAD_A_AUDIT_FAILURE) != BULKHEAD_AUDIT_FAIL_DROP ||
	    audit_value(BULKHEAD_A_AUDIT_CAPACITY) != slots)
		ASSERT_EQ(0, sh("bulkhead audit config failure drop capacity %u", w->slots));
	ASSERT_EQ(0, make_tree()) TH_LOG("cannot make the world: %s", strerror(errno));
	if (prepare)
		ASSERT_EQ(0, prepare()) TH_LOG("preparing: %s", strerror(errno));
	ASSERT_EQ(0, apply_policy(tail, w->out, sizeof(w->out))) TH_LOG("%s", w->out);
	seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	if (record) {
		ASSERT_LT(0, start_recorder(w));
		ASSERT_EQ(0, trail_synced());
	}
	w->since = audit_value(BULKHEAD_A_AUDIT_NEXT_SEQ);
}

/* Mode off and the world gone; the next world's policy replaces this one. */
static void world_teardown(struct world *w)
{
	stop_recorder(w);
	remove_world();
}

/* --- what the domains do -------------------------------------------------------------------- */

static void sha256_of(const void *data, size_t len, uint8_t md[BULKHEAD_HASH_LEN])
{
	EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
}

static int sha256_fd(int fd, uint8_t md[BULKHEAD_HASH_LEN], char *head, size_t head_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t kept = 0;
	char buf[8192];
	ssize_t n;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return EIO;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(ctx, buf, n);
		if (kept + 1 < head_len) {
			size_t take = head_len - 1 - kept < (size_t)n ? head_len - 1 - kept : n;

			memcpy(head + kept, buf, take);
			kept += take;
		}
	}
	head[kept] = '\0';
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	return n < 0 ? errno : 0;
}

/* In a domain: list directory @arg into the shared listing, hashing each regular file. */
static int op_list(void *arg)
{
	DIR *d = opendir(arg);
	struct dirent *de;
	struct entry *e;
	struct stat st;
	int fd, err;

	if (!d)
		return errno;
	seen->n = 0;
	while ((de = readdir(d)) && seen->n < MAX_ENTRIES) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		e = &seen->e[seen->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			return errno;
		e->mode = st.st_mode;
		e->size = st.st_size;
		if (!S_ISREG(st.st_mode))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno;
		err = sha256_fd(fd, e->sha256, e->head, sizeof(e->head));
		close(fd);
		if (err)
			return err;
	}
	closedir(d);
	return 0;
}

/*
 * The guard has no flow with low or high, so it may not look its boxes up through their
 * directories: its daemon opens them as host before it enters its domain
 * (docs/enforcement.md). The guard's tasks here do the same: a box's path becomes
 * /proc/self/fd/N/... on a descriptor (O_PATH) the host task opened and the child inherits.
 * Other paths, and other domains' tasks, are left as they are. Close *@fd after the child ran.
 */
static const char *as_seen_by(const char *cgroup, const char *path, char *buf, size_t len,
			      int *fd)
{
	static const char *const boxes[] = { OUTBOX, INBOX };
	size_t i, n;

	*fd = -1;
	if (strcmp(cgroup, CG_GUARD))
		return path;
	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		n = strlen(boxes[i]);
		if (strncmp(path, boxes[i], n) || (path[n] && path[n] != '/'))
			continue;
		*fd = open(boxes[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*fd < 0)
			return path;
		/* The forked child keeps it (O_CLOEXEC closes it only on exec). */
		snprintf(buf, len, "/proc/self/fd/%d%s", *fd, path + n);
		return buf;
	}
	return path;
}

/* List @dir as a task of @cgroup would: 0 with the names in the shared listing, or errno. */
static int list_as(const char *cgroup, const char *dir)
{
	char view[PATH_MAX];
	int fd, ret;

	memset(seen, 0, sizeof(*seen));
	ret = run_in_cgroup(cgroup, op_list,
			    (void *)as_seen_by(cgroup, dir, view, sizeof(view), &fd));
	if (fd >= 0)
		close(fd);
	return ret;
}

static const struct entry *seen_entry(const char *name)
{
	int i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->e[i].name, name))
			return &seen->e[i];
	return NULL;
}

/* Names a receiver takes for files: dot names are deliveries or sends in progress. */
static int seen_final_names(void)
{
	int i, n = 0;

	for (i = 0; i < seen->n; i++)
		n += seen->e[i].name[0] != '.';
	return n;
}

/* Copies in a staging area listing (ID.part, ID.data): transfers not finished. */
static int seen_staged(void)
{
	int i, n = 0;

	for (i = 0; i < seen->n; i++)
		n += strstr(seen->e[i].name, ".data") || strstr(seen->e[i].name, ".part");
	return n;
}

/* The quarantined copy whose reason file says "reason @reason", or NULL. */
static const struct entry *seen_quarantined(const char *reason)
{
	char line[160], data[256];
	const struct entry *e;
	size_t len;
	int i;

	snprintf(line, sizeof(line), "\nreason %s\n", reason);
	for (i = 0; i < seen->n; i++) {
		e = &seen->e[i];
		len = strlen(e->name);
		if (len < 7 || strcmp(e->name + len - 7, ".reason") || !strstr(e->head, line))
			continue;
		snprintf(data, sizeof(data), "%.*s.data", (int)(len - 7), e->name);
		return seen_entry(data);
	}
	return NULL;
}

/* A file for the outbox, sent by a task in low. */
struct sending {
	const char *name;
	const void *data;
	size_t len;
	bool as_nobody;		/* else root */
	bool in_place;		/* written under its final name, without the rename */
};

/* The sender's protocol, step 1: written under ".NAME.part" (or NAME) and closed. */
static int op_write_part(void *arg)
{
	const struct sending *s = arg;
	char path[512];
	ssize_t n;
	int fd;

	if (s->as_nobody && become_nobody())
		return SETUP_FAILED;
	snprintf(path, sizeof(path), s->in_place ? "%s/%s" : "%s/.%s.part", OUTBOX, s->name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	n = write(fd, s->data, s->len);
	if (close(fd) || n != (ssize_t)s->len)
		return n < 0 ? errno : EIO;
	return 0;
}

/* Step 2: renamed to its final name in the same outbox (the guard sees all of it or none). */
static int op_rename_part(void *arg)
{
	const struct sending *s = arg;
	char part[512], final[512];

	if (s->as_nobody && become_nobody())
		return SETUP_FAILED;
	snprintf(part, sizeof(part), "%s/.%s.part", OUTBOX, s->name);
	snprintf(final, sizeof(final), "%s/%s", OUTBOX, s->name);
	return ERR(rename(part, final));
}

static int op_send(void *arg)
{
	const struct sending *s = arg;

	return op_write_part(arg) ?: s->in_place ? 0 : op_rename_part(arg);
}

static int send_text(const char *name, const char *text)
{
	struct sending s = { .name = name, .data = text, .len = strlen(text) };

	return run_in_cgroup(CG_LOW, op_send, &s);
}

/* One pass of the guard in its domain; its exit status, its output in @out. */
static int guard_pass(char *out, size_t len)
{
	return run_cmd(out, len, GUARD_CMD " --once");
}

/* The guard as a daemon, in its domain, looking at the outbox every second. */
static pid_t start_guard(void)
{
	pid_t pid = fork();
	int fd;

	if (!pid) {
		fd = open(DAEMON_LOG, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		/* exec all the way down: the pid is the guard's, for the kill. */
		execl("/bin/sh", "sh", "-c", "exec " GUARD_CMD " --interval 1", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* SIGTERM, as its unit stops it: 0 when it exited by itself within 20 s. */
static int stop_guard(pid_t pid)
{
	int i, status;

	kill(pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return 0;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* What the daemon said, for a failure's log. */
static const char *daemon_log(void)
{
	static char text[4096];
	int fd = open(DAEMON_LOG, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

static bool marker_present(void)
{
	/* A lookup only: host reads nothing of the guard's (no flow guard -> host). */
	return !access(MARKER, F_OK);
}

/* --- transfer records, from the trail ------------------------------------------------------- */

struct transfer {
	uint64_t seq;
	unsigned int decision;		/* enum bulkhead_audit_decision */
	bool has_rule, has_pid, has_sha256;
	uint32_t rule, pid, verdict, sender_uid;
	uint64_t id, size;
	uint8_t sha256[BULKHEAD_HASH_LEN];
	char exchange[BULKHEAD_NAME_LEN];
	char name[768], delivered_as[768];
	char reason[128], filter[32];
};

#define MAX_TRANSFERS	32
struct transfers {
	int n;
	struct transfer t[MAX_TRANSFERS];
};

static struct transfers found;

static void decode_transfer(const struct bh_audit_record *r, struct transfer *t)
{
	struct bh_audit_field f;

	memset(t, 0, sizeof(*t));
	t->seq = r->hdr.seq;
	t->decision = r->hdr.decision;
	t->verdict = UINT32_MAX;
	t->has_rule = bh_audit_get_u32(r, BULKHEAD_AUDIT_RULE, &t->rule);
	t->has_pid = bh_audit_get_u32(r, BULKHEAD_AUDIT_SUBJ_PID, &t->pid);
	bh_audit_get_u32(r, BULKHEAD_AUDIT_VERDICT, &t->verdict);
	bh_audit_get_u32(r, BULKHEAD_AUDIT_SENDER_UID, &t->sender_uid);
	bh_audit_get_u64(r, BULKHEAD_AUDIT_TRANSFER_ID, &t->id);
	bh_audit_get_u64(r, BULKHEAD_AUDIT_FILE_SIZE, &t->size);
	bh_audit_get_string(r, BULKHEAD_AUDIT_EXCHANGE, t->exchange, sizeof(t->exchange));
	bh_audit_get_string(r, BULKHEAD_AUDIT_FILE_NAME, t->name, sizeof(t->name));
	bh_audit_get_string(r, BULKHEAD_AUDIT_DELIVERED_AS, t->delivered_as,
			    sizeof(t->delivered_as));
	bh_audit_get_string(r, BULKHEAD_AUDIT_REASON, t->reason, sizeof(t->reason));
	bh_audit_get_string(r, BULKHEAD_AUDIT_FILTER, t->filter, sizeof(t->filter));
	if (bh_audit_get_field(r, BULKHEAD_AUDIT_SHA256, &f) && f.len == BULKHEAD_HASH_LEN) {
		memcpy(t->sha256, f.value, BULKHEAD_HASH_LEN);
		t->has_sha256 = true;
	}
}

static void read_trail_file(const char *path, uint64_t since)
{
	struct bh_audit_record r;
	size_t len = 0, pos = 0;
	uint8_t *buf = NULL;
	struct stat st;
	int size, fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && st.st_size > 0)
		buf = malloc(st.st_size);
	while (buf && len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, st.st_size - len);

		if (n <= 0)
			break;
		len += n;
	}
	while (pos < len && found.n < MAX_TRANSFERS) {
		size = bh_audit_record_parse(&r, buf + pos, len - pos, NULL, 0);
		if (size <= 0)
			break;
		if (r.hdr.seq >= since && r.hdr.type == BULKHEAD_AUDIT_TRANSFER)
			decode_transfer(&r, &found.t[found.n++]);
		pos += size;
	}
	free(buf);
	close(fd);
}

/* The transfer records of this test, once the recorder has them all: 0 or -1. */
static int read_transfers(const struct world *w)
{
	glob_t g;
	size_t i;

	memset(&found, 0, sizeof(found));
	if (trail_synced())
		return -1;
	if (glob(TRAIL "/trail-*", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++)
		read_trail_file(g.gl_pathv[i], w->since);
	globfree(&g);
	return 0;
}

/* The guard's first record about file @name (refused attempts excluded), or NULL. */
static const struct transfer *transfer_named(const char *name)
{
	int i;

	for (i = 0; i < found.n; i++)
		if (found.t[i].decision != BULKHEAD_AUDIT_DENIED && !strcmp(found.t[i].name, name))
			return &found.t[i];
	return NULL;
}

static int transfers_named(const char *name)
{
	int i, n = 0;

	for (i = 0; i < found.n; i++)
		n += found.t[i].decision != BULKHEAD_AUDIT_DENIED && !strcmp(found.t[i].name, name);
	return n;
}

/* Distinct transfer ids delivered, as the trail tells them. */
static int delivered_ids(void)
{
	int i, j, n = 0;

	for (i = 0; i < found.n; i++) {
		if (found.t[i].decision == BULKHEAD_AUDIT_DENIED ||
		    found.t[i].verdict != BULKHEAD_TRANSFER_DELIVERED)
			continue;
		for (j = 0; j < i; j++)
			if (found.t[j].decision != BULKHEAD_AUDIT_DENIED &&
			    found.t[j].verdict == BULKHEAD_TRANSFER_DELIVERED &&
			    found.t[j].id == found.t[i].id)
				break;
		n += j == i;
	}
	return n;
}

/* Wait up to @seconds until the trail shows @n transfers delivered. */
/* @seconds on a Debian kernel, stretched on the debug kernel (a guard restart is slow there). */
static int wait_delivered(const struct world *w, int n, int seconds)
{
	int i;

	for (i = 0; i < seconds * slow_factor() * 2; i++) {
		if (!read_transfers(w) && delivered_ids() >= n)
			return 0;
		usleep(500000);
	}
	return -1;
}

/* The transfer record a test sends itself (its id is no guard's). */
#define PROBE_ID	4242424242ULL
#define PROBE_TEXT	"probe\n"
#define PROBE_UID	1000

static int send_probe(struct bh_genl *g)
{
	uint8_t md[BULKHEAD_HASH_LEN];
	struct nlattr *t;
	struct nl_msg *msg;

	sha256_of(PROBE_TEXT, strlen(PROBE_TEXT), md);
	msg = bh_genl_msg(g, BULKHEAD_CMD_TRANSFER_RECORD, 0);
	if (!msg)
		return -ENOMEM;
	t = nla_nest_start(msg, BULKHEAD_A_TRANSFER);
	if (!t || nla_put_string(msg, BULKHEAD_A_TRANSFER_EXCHANGE, "low-high") ||
	    nla_put_u64(msg, BULKHEAD_A_TRANSFER_ID, PROBE_ID) ||
	    nla_put_string(msg, BULKHEAD_A_TRANSFER_NAME, "probe.txt") ||
	    nla_put_string(msg, BULKHEAD_A_TRANSFER_DELIVERED_AS, "probe.txt") ||
	    nla_put_u64(msg, BULKHEAD_A_TRANSFER_SIZE, strlen(PROBE_TEXT)) ||
	    nla_put(msg, BULKHEAD_A_TRANSFER_SHA256, sizeof(md), md) ||
	    nla_put_u32(msg, BULKHEAD_A_TRANSFER_VERDICT, BULKHEAD_TRANSFER_DELIVERED) ||
	    nla_put_string(msg, BULKHEAD_A_TRANSFER_FILTER, "clean") ||
	    nla_put_u32(msg, BULKHEAD_A_TRANSFER_SENDER_UID, PROBE_UID)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, t);
	return bh_genl_call(g, msg, NULL, NULL);
}

struct attempt {
	int err;		/* the command's result; 1: the attempt could not be set up */
	pid_t pid;
	char ext_ack[256];
};

/*
 * Send the probe record from a child in @cgroup (NULL: host). With @socket_in_domain the
 * child makes its socket in the domain, as the guard daemon does; else before it joins, so
 * that the answer is the command's own check and not socket creation (generic netlink is
 * host-only for domains).
 */
static void attempt_transfer(const char *cgroup, bool socket_in_domain, struct attempt *out)
{
	struct attempt *a = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char procs[128];
	struct bh_genl g;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->err = 1;
	if (a == MAP_FAILED)
		return;
	a->err = 1;
	pid = fork();
	if (!pid) {
		snprintf(procs, sizeof(procs), "/sys/fs/cgroup%s/cgroup.procs", cgroup ?: "");
		if ((!socket_in_domain && bh_genl_open(&g)) || (cgroup && write_file(procs, "0")) ||
		    (socket_in_domain && bh_genl_open(&g)))
			_exit(0);
		a->err = send_probe(&g);
		snprintf(a->ext_ack, sizeof(a->ext_ack), "%s", g.ext_ack);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	*out = *a;
	out->pid = pid;
	munmap(a, sizeof(*a));
}

/* ============================================================================================
 * The boxes: who may do what where, once the exchange is in force.
 */

enum access_op {
	OP_READ,	/* open O_RDONLY */
	OP_WRITE,	/* open O_WRONLY, an existing file */
	OP_LIST,	/* open the directory for its names */
	OP_STAT,
	OP_CREATE,	/* a new file */
	OP_SEND,	/* the sender's protocol: .NAME.part, written, closed, renamed */
	OP_UNLINK,
	OP_RENAME,	/* to PATH.moved */
	OP_LINK,	/* a new name @to for @path */
	OP_READ_OWN,	/* send @path, then open it O_RDONLY: reading one's own file back */
	OP_RDWR_OWN,
	OP_STAT_OWN,
	OP_SIGNAL,	/* signal 0 to a task sleeping in cgroup @path */
	OP_PTRACE,	/* PTRACE_ATTACH to it */
};

FIXTURE(access) {
	struct world w;
	pid_t target;		/* OP_SIGNAL, OP_PTRACE */
};

FIXTURE_VARIANT(access) {
	const char *subject;	/* the acting task's cgroup */
	enum access_op op;
	const char *path;	/* or the target's cgroup */
	const char *to;		/* OP_LINK */
	int expect;
};

/* What each box holds when the exchange comes into force. */
static int boxes_filled(void)
{
	return write_file(OUTBOX "/waiting.txt", "waiting\n") ?:
	       write_file(INBOX "/present.txt", "delivered earlier\n") ?:
	       write_file(STAGING "/1.data", "staged\n") ?:
	       write_file(QUARANTINE "/1.data", "quarantined\n") ?:
	       write_file(QUARANTINE "/1.reason", "reason too-large\n");
}

FIXTURE_SETUP(access)
{
	world_setup(_metadata, &self->w, exchange_checked(), boxes_filled, false);
	if (variant->op == OP_SIGNAL || variant->op == OP_PTRACE) {
		self->target = sleeper_in_cgroup(variant->path);
		ASSERT_LT(0, self->target);
	}
}

FIXTURE_TEARDOWN(access)
{
	if (self->target > 0) {
		mode_off();
		kill(self->target, SIGKILL);
		waitpid(self->target, NULL, 0);
	}
	world_teardown(&self->w);
}

struct access_arg {
	const FIXTURE_VARIANT(access) *v;
	const char *path;	/* v->path as the subject reaches it (as_seen_by()) */
	pid_t target;
};

/* Send OUTBOX/NAME from this task (in low), by the sender's protocol. */
static int send_here(const char *path)
{
	struct sending s = { .name = strrchr(path, '/') + 1, .data = "sent\n", .len = 5 };

	return op_send(&s);
}

static int op_access(void *arg)
{
	const struct access_arg *a = arg;
	const char *path = a->path;
	char moved[PATH_MAX + 8];
	struct stat st;
	int fd = -1;

	switch (a->v->op) {
	case OP_READ:
	case OP_READ_OWN:
		fd = open(path, O_RDONLY);
		break;
	case OP_WRITE:
		fd = open(path, O_WRONLY);
		break;
	case OP_RDWR_OWN:
		fd = open(path, O_RDWR);
		break;
	case OP_LIST:
		fd = open(path, O_RDONLY | O_DIRECTORY);
		break;
	case OP_STAT:
	case OP_STAT_OWN:
		return ERR(stat(path, &st));
	case OP_CREATE:
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		break;
	case OP_SEND:
		return send_here(path);
	case OP_UNLINK:
		return ERR(unlink(path));
	case OP_RENAME:
		snprintf(moved, sizeof(moved), "%s.moved", path);
		return ERR(rename(path, moved));
	case OP_LINK:
		return ERR(link(path, a->v->to));
	case OP_SIGNAL:
		return ERR(kill(a->target, 0));
	case OP_PTRACE:
		return ERR(ptrace(PTRACE_ATTACH, a->target, NULL, NULL));
	}
	return fd < 0 ? errno : (close(fd), 0);
}

/* The file "own" operations act on: sent by low first, in the same task. */
static int op_access_own(void *arg)
{
	const struct access_arg *a = arg;

	return send_here(a->v->path) ? SETUP_FAILED : op_access(arg);
}

/* BH-EXCH-9: each domain's access to the boxes and to each other, decided by the exchange. */
TEST_F(access, decided)
{
	struct access_arg a = { .v = variant, .target = self->target };
	bool own = variant->op == OP_READ_OWN || variant->op == OP_RDWR_OWN ||
		   variant->op == OP_STAT_OWN;
	char view[PATH_MAX];
	int fd = -1;

	if (variant->path)
		a.path = as_seen_by(variant->subject, variant->path, view, sizeof(view), &fd);
	EXPECT_EQ(variant->expect, run_in_cgroup(variant->subject, own ? op_access_own : op_access,
						 &a));
	if (fd >= 0)
		close(fd);
}

/* The sender: writes into its outbox, learns nothing back. */
FIXTURE_VARIANT_ADD(access, low_sends_to_outbox) {
	.subject = CG_LOW, .op = OP_SEND, .path = OUTBOX "/sent.txt", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, low_lists_outbox) {
	.subject = CG_LOW, .op = OP_LIST, .path = OUTBOX, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_reads_back_own_file) {
	.subject = CG_LOW, .op = OP_READ_OWN, .path = OUTBOX "/mine.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_opens_own_file_rdwr) {
	.subject = CG_LOW, .op = OP_RDWR_OWN, .path = OUTBOX "/mine.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_stats_own_file) {
	.subject = CG_LOW, .op = OP_STAT_OWN, .path = OUTBOX "/mine.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_lists_inbox) {
	.subject = CG_LOW, .op = OP_LIST, .path = INBOX, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_reads_inbox_file) {
	.subject = CG_LOW, .op = OP_READ, .path = INBOX "/present.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_writes_inbox) {
	.subject = CG_LOW, .op = OP_CREATE, .path = INBOX "/forged.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_lists_staging) {
	.subject = CG_LOW, .op = OP_LIST, .path = STAGING, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_reads_staged_copy) {
	.subject = CG_LOW, .op = OP_READ, .path = STAGING "/1.data", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_lists_quarantine) {
	.subject = CG_LOW, .op = OP_LIST, .path = QUARANTINE, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_reads_quarantine_reason) {
	.subject = CG_LOW, .op = OP_READ, .path = QUARANTINE "/1.reason", .expect = EACCES,
};
/* One inode named in low and in the outbox would need the flow back (outbox -> low). */
FIXTURE_VARIANT_ADD(access, low_links_own_file_into_outbox) {
	.subject = CG_LOW, .op = OP_LINK, .path = LOW_SECRET, .to = OUTBOX "/secret",
	.expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_links_high_file_into_outbox) {
	.subject = CG_LOW, .op = OP_LINK, .path = HIGH_PRIVATE, .to = OUTBOX "/private",
	.expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, low_signals_own_task) {
	.subject = CG_LOW, .op = OP_SIGNAL, .path = CG_LOW, .expect = 0,
};
FIXTURE_VARIANT_ADD(access, low_ptraces_own_task) {
	.subject = CG_LOW, .op = OP_PTRACE, .path = CG_LOW, .expect = 0,
};
FIXTURE_VARIANT_ADD(access, low_signals_guard) {
	.subject = CG_LOW, .op = OP_SIGNAL, .path = CG_GUARD, .expect = EPERM,
};
FIXTURE_VARIANT_ADD(access, low_ptraces_guard) {
	.subject = CG_LOW, .op = OP_PTRACE, .path = CG_GUARD, .expect = EPERM,
};
/* The guard: reads and empties the outbox, writes the inbox, and nothing else of low's or high's. */
FIXTURE_VARIANT_ADD(access, guard_lists_outbox) {
	.subject = CG_GUARD, .op = OP_LIST, .path = OUTBOX, .expect = 0,
};
FIXTURE_VARIANT_ADD(access, guard_reads_outbox_file) {
	.subject = CG_GUARD, .op = OP_READ, .path = OUTBOX "/waiting.txt", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, guard_removes_outbox_file) {
	.subject = CG_GUARD, .op = OP_UNLINK, .path = OUTBOX "/waiting.txt", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, guard_creates_in_inbox) {
	.subject = CG_GUARD, .op = OP_CREATE, .path = INBOX "/.bulkhead-guard.9.tmp", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, guard_reads_low_file) {
	.subject = CG_GUARD, .op = OP_READ, .path = LOW_SECRET, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, guard_lists_low) {
	.subject = CG_GUARD, .op = OP_LIST, .path = LOW, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, guard_writes_low) {
	.subject = CG_GUARD, .op = OP_CREATE, .path = LOW "/note", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, guard_reads_high_file) {
	.subject = CG_GUARD, .op = OP_READ, .path = HIGH_PRIVATE, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, guard_writes_high_dir) {
	.subject = CG_GUARD, .op = OP_CREATE, .path = HIGH_DOCS "/note", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, guard_signals_low) {
	.subject = CG_GUARD, .op = OP_SIGNAL, .path = CG_LOW, .expect = EPERM,
};
FIXTURE_VARIANT_ADD(access, guard_signals_high) {
	.subject = CG_GUARD, .op = OP_SIGNAL, .path = CG_HIGH, .expect = EPERM,
};
/* The receiver: reads its inbox, changes nothing in it, reaches nothing upstream. */
FIXTURE_VARIANT_ADD(access, high_reads_own_file) {
	.subject = CG_HIGH, .op = OP_READ, .path = HIGH_PRIVATE, .expect = 0,
};
FIXTURE_VARIANT_ADD(access, high_lists_inbox) {
	.subject = CG_HIGH, .op = OP_LIST, .path = INBOX, .expect = 0,
};
FIXTURE_VARIANT_ADD(access, high_reads_inbox_file) {
	.subject = CG_HIGH, .op = OP_READ, .path = INBOX "/present.txt", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, high_stats_inbox_file) {
	.subject = CG_HIGH, .op = OP_STAT, .path = INBOX "/present.txt", .expect = 0,
};
FIXTURE_VARIANT_ADD(access, high_creates_in_inbox) {
	.subject = CG_HIGH, .op = OP_CREATE, .path = INBOX "/forged.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_writes_inbox_file) {
	.subject = CG_HIGH, .op = OP_WRITE, .path = INBOX "/present.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_removes_inbox_file) {
	.subject = CG_HIGH, .op = OP_UNLINK, .path = INBOX "/present.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_renames_in_inbox) {
	.subject = CG_HIGH, .op = OP_RENAME, .path = INBOX "/present.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_lists_outbox) {
	.subject = CG_HIGH, .op = OP_LIST, .path = OUTBOX, .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_writes_outbox) {
	.subject = CG_HIGH, .op = OP_CREATE, .path = OUTBOX "/forged.txt", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_writes_staging) {
	.subject = CG_HIGH, .op = OP_CREATE, .path = STAGING "/2.data", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_writes_quarantine) {
	.subject = CG_HIGH, .op = OP_CREATE, .path = QUARANTINE "/2.data", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_reads_quarantined_copy) {
	.subject = CG_HIGH, .op = OP_READ, .path = QUARANTINE "/1.data", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_writes_low) {
	.subject = CG_HIGH, .op = OP_CREATE, .path = LOW "/note", .expect = EACCES,
};
FIXTURE_VARIANT_ADD(access, high_signals_guard) {
	.subject = CG_HIGH, .op = OP_SIGNAL, .path = CG_GUARD, .expect = EPERM,
};

/* ============================================================================================
 * The exchanges the kernel refuses: each leaves the policy in force as it was.
 */

FIXTURE(refusal) {
	struct world w;
	struct bh_status before;
};

FIXTURE_VARIANT(refusal) {
	const char *tail;	/* replaces the one exchange in force */
	bool accepted;		/* a control: the same shape, minus what is wrong */
};

/* Directories the variants name, so that none is refused only for not existing. */
static int spare_dirs(void)
{
	static const char *const dirs[] = {
		OUTBOX "/sub", LOW "/spare", HIGH "/spare", MID "/outbox", MID "/inbox", NULL,
	};

	return make_dirs(dirs);
}


FIXTURE_SETUP(refusal)
{
	world_setup(_metadata, &self->w, exchange_bare, spare_dirs, false);
	ASSERT_EQ(0, status_now(&self->before));
}

FIXTURE_TEARDOWN(refusal)
{
	world_teardown(&self->w);
}

/* BH-EXCH-10: a refused exchange changes nothing; its control applies. */
TEST_F(refusal, validated)
{
	struct bh_status after;
	int ret;

	ret = apply_policy(variant->tail, self->w.out, sizeof(self->w.out));
	ASSERT_EQ(0, status_now(&after));
	if (variant->accepted) {
		EXPECT_EQ(0, ret) TH_LOG("%s", self->w.out);
		EXPECT_EQ(self->before.generation + 1, after.generation);
		return;
	}
	EXPECT_NE(0, ret);
	/* The refusal says what is wrong. */
	EXPECT_NE(0, strlen(self->w.out));
	TH_LOG("refused: %s", self->w.out);
	EXPECT_EQ(self->before.generation, after.generation);
	EXPECT_EQ(0, memcmp(self->before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
	EXPECT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), "bulkhead domain of " OUTBOX));
	EXPECT_STREQ("low-high.outbox\n", self->w.out);
}

/* ============================================================================================
 * The kernel's own checks: what policy check would refuse first, pushed past it.
 */

FIXTURE(kernel_check) {
	struct world w;
	struct bh_status before;
};

/* One thing wrong with a policy the tools accept, made in memory after their checks. */
FIXTURE_VARIANT(kernel_check) {
	void (*spoil)(struct bh_policy *p, struct bh_exchange *x);
	bool accepted;		/* the control: nothing spoilt */
};

FIXTURE_SETUP(kernel_check)
{
	world_setup(_metadata, &self->w, exchange_bare, spare_dirs, false);
	ASSERT_EQ(0, status_now(&self->before));
}

FIXTURE_TEARDOWN(kernel_check)
{
	world_teardown(&self->w);
}

/*
 * BH-EXCH-10: the kernel refuses a bad exchange by itself, whatever client sends it: the policy
 * parsed and checked by the tools, spoilt, pushed over netlink; the old policy stays.
 */
TEST_F(kernel_check, refused)
{
	char text[8192];
	struct bh_status after;
	struct bh_policy_id id;
	struct bh_policy p;
	struct bh_genl g;
	int ret;

	snprintf(text, sizeof(text), "%s%s", DOMAINS, exchange_bare);
	bh_policy_init(&p);
	ASSERT_EQ(0, bh_parse_text(&p, "kernel.bh", text, stderr));
	ASSERT_EQ(1, p.n_exchanges);
	if (variant->spoil)
		variant->spoil(&p, &p.exchanges[0]);
	ASSERT_EQ(0, bh_genl_open(&g));
	ret = bh_policy_push(&g, &p, &id, stderr);
	bh_genl_close(&g);
	bh_policy_free(&p);
	ASSERT_EQ(0, status_now(&after));
	if (variant->accepted) {
		EXPECT_EQ(0, ret);
		EXPECT_EQ(self->before.generation + 1, after.generation);
		return;
	}
	EXPECT_NE(0, ret);
	EXPECT_EQ(self->before.generation, after.generation);
	EXPECT_EQ(0, memcmp(self->before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
}

static void set_path(char **field, const char *path)
{
	free(*field);
	*field = strdup(path);
}

static void guard_low(struct bh_policy *p, struct bh_exchange *x) { strcpy(x->guard, "low"); }
static void guard_high(struct bh_policy *p, struct bh_exchange *x) { strcpy(x->guard, "high"); }
static void guard_host(struct bh_policy *p, struct bh_exchange *x) { strcpy(x->guard, "host"); }
static void to_low(struct bh_policy *p, struct bh_exchange *x) { strcpy(x->to, "low"); }
static void outbox_high(struct bh_policy *p, struct bh_exchange *x)
{
	set_path(&x->outbox, HIGH "/spare");
}
static void inbox_low(struct bh_policy *p, struct bh_exchange *x)
{
	set_path(&x->inbox, LOW "/spare");
}
static void outbox_is_inbox(struct bh_policy *p, struct bh_exchange *x)
{
	set_path(&x->inbox, OUTBOX);
}
static void outbox_holds_binding(struct bh_policy *p, struct bh_exchange *x)
{
	set_path(&x->outbox, LOW);
}
static void flow_low_high(struct bh_policy *p, struct bh_exchange *x)
{
	bh_policy_add_flow(p, "low", "high")->channels = BULKHEAD_CHAN_FILE;
}
static void flow_high_low(struct bh_policy *p, struct bh_exchange *x)
{
	bh_policy_add_flow(p, "high", "low")->channels = BULKHEAD_CHAN_SIGNAL;
}
static void flow_guard_low(struct bh_policy *p, struct bh_exchange *x)
{
	bh_policy_add_flow(p, "guard", "low")->channels = BULKHEAD_CHAN_FILE;
}
static void flow_high_guard(struct bh_policy *p, struct bh_exchange *x)
{
	bh_policy_add_flow(p, "high", "guard")->channels = BULKHEAD_CHAN_UNIX;
}
static void burst_without_rate(struct bh_policy *p, struct bh_exchange *x) { x->burst = 5; }
static void second_guarded(struct bh_policy *p, struct bh_exchange *x)
{
	struct bh_exchange *y = bh_policy_add_exchange(p, "low-mid");

	strcpy(y->from, "low");
	strcpy(y->to, "mid");
	strcpy(y->guard, "guard");
	y->outbox = strdup(LOW "/spare");
	y->inbox = strdup(MID "/inbox");
}

#define SPOILT(name, fn) FIXTURE_VARIANT_ADD(kernel_check, name) { .spoil = fn }
FIXTURE_VARIANT_ADD(kernel_check, control) { .accepted = true };
SPOILT(guard_is_from, guard_low);
SPOILT(guard_is_to, guard_high);
SPOILT(guard_is_host, guard_host);
SPOILT(from_is_to, to_low);
SPOILT(outbox_in_another_domain, outbox_high);
SPOILT(inbox_in_another_domain, inbox_low);
SPOILT(outbox_is_inbox, outbox_is_inbox);
SPOILT(outbox_holds_binding, outbox_holds_binding);
SPOILT(flow_from_to, flow_low_high);
SPOILT(flow_to_from, flow_high_low);
SPOILT(flow_guard_from, flow_guard_low);
SPOILT(flow_to_guard, flow_high_guard);
SPOILT(burst_without_rate, burst_without_rate);
SPOILT(guard_serves_two_unshared, second_guarded);

#define BOXES_AT(outbox, inbox)	"\toutbox " outbox "\n\tinbox " inbox "\n"
#define SHARED			"\tshared-guard\n"	/* INTEGRATOR: the flag's keyword */
/* A second exchange through the same guard, from low to mid, boxes where none overlaps. */
#define LOW_MID(flags, outbox)						\
	"exchange low-mid from low to mid via guard {\n"		\
	BOXES_AT(outbox, MID "/inbox") flags "}\n"

FIXTURE_VARIANT_ADD(refusal, guard_is_from) {
	.tail = "exchange low-high from low to high via low {\n" BOXES "}\n",
};
FIXTURE_VARIANT_ADD(refusal, guard_is_to) {
	.tail = "exchange low-high from low to high via high {\n" BOXES "}\n",
};
FIXTURE_VARIANT_ADD(refusal, guard_is_host) {
	.tail = "exchange low-high from low to high via host {\n" BOXES "}\n",
};
FIXTURE_VARIANT_ADD(refusal, outbox_in_another_domain) {
	.tail = EXCHANGE BOXES_AT(HIGH "/spare", INBOX) "}\n",
};
FIXTURE_VARIANT_ADD(refusal, outbox_in_host) {
	.tail = EXCHANGE BOXES_AT(HOST, INBOX) "}\n",
};
FIXTURE_VARIANT_ADD(refusal, inbox_in_another_domain) {
	.tail = EXCHANGE BOXES_AT(OUTBOX, LOW "/spare") "}\n",
};
/* The outbox may not be FROM's whole tree: the rest of low would be the guard's to read. */
FIXTURE_VARIANT_ADD(refusal, outbox_is_from_root) {
	.tail = EXCHANGE BOXES_AT(LOW, INBOX) "}\n",
};
FIXTURE_VARIANT_ADD(refusal, outbox_holds_a_binding) {
	.tail = "domain nested {\n\tpath " OUTBOX "/sub\n}\n" EXCHANGE BOXES "}\n",
};
FIXTURE_VARIANT_ADD(refusal, second_exchange_shared_guard) {
	.tail = EXCHANGE BOXES SHARED "}\n" LOW_MID(SHARED, LOW "/spare"),
	.accepted = true,
};
FIXTURE_VARIANT_ADD(refusal, outboxes_overlap) {
	.tail = EXCHANGE BOXES SHARED "}\n" LOW_MID(SHARED, OUTBOX "/sub"),
};
FIXTURE_VARIANT_ADD(refusal, outbox_is_another_inbox) {
	.tail = EXCHANGE BOXES SHARED "}\n"
		"exchange high-mid from high to mid via guard {\n"
		BOXES_AT(INBOX, MID "/inbox") SHARED "}\n",
};
FIXTURE_VARIANT_ADD(refusal, guard_shared_undeclared) {
	.tail = EXCHANGE BOXES "}\n" LOW_MID("", LOW "/spare"),
};
FIXTURE_VARIANT_ADD(refusal, guard_shared_by_one_side) {
	.tail = EXCHANGE BOXES "}\n" LOW_MID(SHARED, LOW "/spare"),
};
FIXTURE_VARIANT_ADD(refusal, unrelated_flow) {
	.tail = EXCHANGE BOXES "}\nflow low -> mid { file }\n",
	.accepted = true,
};
FIXTURE_VARIANT_ADD(refusal, flow_from_to) {
	.tail = EXCHANGE BOXES "}\nflow low -> high { file }\n",
};
FIXTURE_VARIANT_ADD(refusal, flow_to_from) {
	.tail = EXCHANGE BOXES "}\nflow high -> low { signal }\n",
};
FIXTURE_VARIANT_ADD(refusal, flow_guard_from) {
	.tail = EXCHANGE BOXES "}\nflow guard -> low { file }\n",
};
FIXTURE_VARIANT_ADD(refusal, flow_from_guard) {
	.tail = EXCHANGE BOXES "}\nflow low -> guard { unix }\n",
};
FIXTURE_VARIANT_ADD(refusal, flow_guard_to) {
	.tail = EXCHANGE BOXES "}\nflow guard -> high { file }\n",
};
FIXTURE_VARIANT_ADD(refusal, flow_to_guard) {
	.tail = EXCHANGE BOXES "}\nflow high -> guard { signal }\n",
};
/* 23 characters and ".outbox" fill a domain name. */
FIXTURE_VARIANT_ADD(refusal, name_of_23_characters) {
	.tail = "exchange abcdefghijklmnopqrstuvw from low to high via guard {\n" BOXES "}\n",
	.accepted = true,
};
FIXTURE_VARIANT_ADD(refusal, name_of_24_characters) {
	.tail = "exchange abcdefghijklmnopqrstuvwx from low to high via guard {\n" BOXES "}\n",
};

/* ============================================================================================
 * TRANSFER_RECORD: from the exchange's guard domain only.
 */

FIXTURE(transfer_record) {
	struct world w;
};

FIXTURE_VARIANT(transfer_record) {
	const char *subject;	/* cgroup; NULL: host */
	int expect;		/* errno */
};

FIXTURE_SETUP(transfer_record)
{
	world_setup(_metadata, &self->w, exchange_checked(), NULL, true);
}

FIXTURE_TEARDOWN(transfer_record)
{
	world_teardown(&self->w);
}

/*
 * BH-EXCH-11: the guard's record is sealed as sent; anyone else's is refused with a message,
 * and the attempt recorded, naming who tried.
 */
TEST_F_TIMEOUT(transfer_record, only_from_guard, 60)
{
	const struct transfer *t = NULL;
	uint8_t md[BULKHEAD_HASH_LEN];
	struct attempt a;
	int i;

	attempt_transfer(variant->subject, false, &a);
	EXPECT_EQ(-variant->expect, a.err) TH_LOG("1: no socket or no cgroup; ext_ack: %s",
						  a.ext_ack);
	ASSERT_EQ(0, read_transfers(&self->w));
	if (variant->expect) {
		EXPECT_NE(0, strlen(a.ext_ack));
		for (i = 0; i < found.n && !t; i++)
			if (found.t[i].decision == BULKHEAD_AUDIT_DENIED && found.t[i].has_pid &&
			    found.t[i].pid == (uint32_t)a.pid)
				t = &found.t[i];
		ASSERT_NE(NULL, t) TH_LOG("no denied transfer record from pid %d", a.pid);
		EXPECT_TRUE(t->has_rule && t->rule == BULKHEAD_AUDIT_RULE_GUARD);
		EXPECT_STREQ("low-high", t->exchange);
		EXPECT_EQ(NULL, transfer_named("probe.txt"));
		return;
	}
	t = transfer_named("probe.txt");
	ASSERT_NE(NULL, t);
	sha256_of(PROBE_TEXT, strlen(PROBE_TEXT), md);
	EXPECT_STREQ("low-high", t->exchange);
	EXPECT_EQ(PROBE_ID, t->id);
	EXPECT_STREQ("probe.txt", t->delivered_as);
	EXPECT_EQ(strlen(PROBE_TEXT), t->size);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
	EXPECT_STREQ("clean", t->filter);
	EXPECT_EQ(PROBE_UID, t->sender_uid);
	EXPECT_EQ(1, transfers_named("probe.txt"));
}

FIXTURE_VARIANT_ADD(transfer_record, from_guard) {
	.subject = CG_GUARD, .expect = 0,
};
FIXTURE_VARIANT_ADD(transfer_record, from_sender) {
	.subject = CG_LOW, .expect = EPERM,
};
FIXTURE_VARIANT_ADD(transfer_record, from_receiver) {
	.subject = CG_HIGH, .expect = EPERM,
};
FIXTURE_VARIANT_ADD(transfer_record, from_unrelated_domain) {
	.subject = CG_MID, .expect = EPERM,
};
FIXTURE_VARIANT_ADD(transfer_record, from_host_root) {
	.subject = NULL, .expect = EPERM,
};

/* ============================================================================================
 * The guard at work: one exchange, the guard's checks, a recorder keeping the trail.
 */

FIXTURE(exchange) {
	struct world w;
};

FIXTURE_SETUP(exchange)
{
	world_setup(_metadata, &self->w, exchange_checked(), NULL, true);
}

FIXTURE_TEARDOWN(exchange)
{
	world_teardown(&self->w);
}

/* BH-EXCH-9: the boxes are domains of their own, named after the exchange. */
TEST_F(exchange, boxes_are_domains_of_their_own)
{
	static const struct {
		const char *path, *domain;
	} expect[] = {
		{ OUTBOX, "low-high.outbox\n" },
		{ OUTBOX "/.x.part", "low-high.outbox\n" },
		{ INBOX, "low-high.inbox\n" },
		{ LOW_SECRET, "low\n" },
		{ HIGH_PRIVATE, "high\n" },
		{ STAGING, "guard\n" },
	};
	struct sending s = { .name = "x", .data = "x\n", .len = 2 };
	char cmd[256];
	size_t i;

	ASSERT_EQ(0, run_in_cgroup(CG_LOW, op_write_part, &s));
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		snprintf(cmd, sizeof(cmd), "bulkhead domain of %s", expect[i].path);
		EXPECT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), cmd));
		EXPECT_STREQ(expect[i].domain, self->w.out) TH_LOG("%s", expect[i].path);
	}
}

/*
 * BH-EXCH-9: "policy show" prints the exchange in the language apply reads: applying what it
 * printed changes nothing but the generation; the hash is that of the canonical text, and
 * covers the exchange's checks.
 */
TEST_F(exchange, round_trips_through_policy_show)
{
	char hex[2 * BULKHEAD_HASH_LEN + 1];
	struct bh_status before, after;

	ASSERT_EQ(0, status_now(&before));
	ASSERT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), "bulkhead policy show"));
	EXPECT_NE(NULL, strstr(self->w.out, "exchange low-high from low to high via guard"))
		TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), "bulkhead policy show > "
			     HOST "/shown.bh && bulkhead policy apply " HOST "/shown.bh"))
		TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, status_now(&after));
	EXPECT_EQ(before.generation + 1, after.generation);
	EXPECT_EQ(0, memcmp(before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
	ASSERT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out),
			     "bulkhead policy show | grep -v '^#' | grep -v '^mode ' | sha256sum"));
	snprintf(hex, sizeof(hex), "%s", bh_hash_hex(after.policy_hash));
	EXPECT_EQ(0, strncmp(hex, self->w.out, sizeof(hex) - 1))
		TH_LOG("kernel %s, text %s", hex, self->w.out);
	/* One byte of one check: another policy. */
	ASSERT_EQ(0, apply_policy(EXCHANGE BOXES "\tmax-size 4097\n}\n", self->w.out,
				  sizeof(self->w.out))) TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, status_now(&before));
	EXPECT_NE(0, memcmp(before.policy_hash, after.policy_hash, BULKHEAD_HASH_LEN));
}

/*
 * BH-EXCH-12, BH-EXCH-2, BH-EXCH-7: a file sent by the protocol crosses; high reads what low
 * wrote; the trail holds one sealed record whose SHA-256 is the content's, naming the sender.
 */
TEST_F_TIMEOUT(exchange, file_crosses_with_sealed_record, 120)
{
	static const char text[] = "quarterly report: all clear\n";
	struct sending s = { .name = "a.txt", .data = text, .len = sizeof(text) - 1,
			     .as_nobody = true };
	uint8_t md[BULKHEAD_HASH_LEN];
	const struct transfer *t;
	const struct entry *e;
	char cmd[256];

	sha256_of(text, s.len, md);
	ASSERT_EQ(0, run_in_cgroup(CG_LOW, op_write_part, &s));
	ASSERT_EQ(0, run_in_cgroup(CG_LOW, op_rename_part, &s));
	ASSERT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);

	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(1, seen->n);
	e = seen_entry("a.txt");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, memcmp(md, e->sha256, sizeof(md)));
	EXPECT_STREQ(text, e->head);

	ASSERT_EQ(0, read_transfers(&self->w));
	EXPECT_EQ(1, transfers_named("a.txt"));
	t = transfer_named("a.txt");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("low-high", t->exchange);
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
	EXPECT_STREQ("a.txt", t->delivered_as);
	EXPECT_EQ(s.len, t->size);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));
	EXPECT_STREQ("", t->reason);
	EXPECT_STREQ("clean", t->filter);
	EXPECT_EQ(NOBODY_ID, t->sender_uid);

	/* The tools show the same record. */
	snprintf(cmd, sizeof(cmd), "bulkhead audit tail --type transfer %s/trail-* | grep -c %s",
		 TRAIL, bh_hash_hex(md));
	EXPECT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), cmd));
	EXPECT_STREQ("1\n", self->w.out);

	/* Taken: gone from the outbox, nothing left staged, counted. */
	ASSERT_EQ(0, list_as(CG_GUARD, OUTBOX));
	EXPECT_EQ(0, seen->n);
	ASSERT_EQ(0, list_as(CG_GUARD, STAGING));
	EXPECT_EQ(0, seen_staged());
	ASSERT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), GUARD_STATUS));
	EXPECT_NE(NULL, strstr(self->w.out, "\"delivered\":1")) TH_LOG("%s", self->w.out);
	EXPECT_NE(NULL, strstr(self->w.out, "\"pending\":0")) TH_LOG("%s", self->w.out);
}

/* A task in low writing OUTBOX/@name under its final name and keeping it open. */
struct writer {
	pid_t pid;
	int ready;		/* the writer says 'r' here when it has written its first part */
	int go;			/* ... and waits for a byte here before the rest (-1: writes on) */
};

static void writer_loop(const char *name, int ready, int go)
{
	char path[256], chunk[1024];
	size_t written = 0;
	int fd;

	memset(chunk, 'g', sizeof(chunk));
	snprintf(path, sizeof(path), "%s/%s", OUTBOX, name);
	if (write_file("/sys/fs/cgroup" CG_LOW "/cgroup.procs", "0"))
		_exit(1);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		_exit(1);
	if (go >= 0) {
		/* A sender still writing: part one, then wait, then part two. */
		if (write(fd, "part one\n", 9) != 9 || write(ready, "r", 1) != 1 ||
		    read(go, chunk, 1) != 1 || write(fd, "part two\n", 9) != 9 || close(fd))
			_exit(1);
		_exit(write(ready, "d", 1) != 1);
	}
	/* A file growing without end: say so once it is past the limit twice over. */
	for (;;) {
		if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
			_exit(1);
		written += sizeof(chunk);
		if (written == 2 * MAX_SIZE + sizeof(chunk) && write(ready, "r", 1) != 1)
			_exit(1);
		usleep(1000);
	}
}

static int start_writer(struct writer *w, const char *name, bool endless)
{
	int ready[2], go[2] = { -1, -1 };

	if (pipe(ready) || (!endless && pipe(go)))
		return -1;
	w->pid = fork();
	if (!w->pid) {
		close(ready[0]);
		if (go[1] >= 0)
			close(go[1]);
		writer_loop(name, ready[1], go[0]);
	}
	close(ready[1]);
	if (go[0] >= 0)
		close(go[0]);
	w->ready = ready[0];
	w->go = go[1];
	return w->pid > 0 ? 0 : -1;
}

/* The writer's next word: 'r', 'd', or 0 when it died. */
static char writer_says(const struct writer *w)
{
	char c;

	return read(w->ready, &c, 1) == 1 ? c : 0;
}

static void stop_writer(struct writer *w)
{
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	close(w->ready);
	if (w->go >= 0)
		close(w->go);
}

/*
 * BH-EXCH-1, BH-EXCH-3, BH-EXCH-12: a file its sender keeps appending to is taken once past
 * max-size, cut at max-size + 1 and rejected; the guard finishes its pass.
 */
TEST_F_TIMEOUT(exchange, growing_file_cut_at_max_size, 120)
{
	uint8_t md[BULKHEAD_HASH_LEN];
	char cut[MAX_SIZE + 1];
	const struct transfer *t;
	const struct entry *e;
	struct writer wr;

	memset(cut, 'g', sizeof(cut));
	sha256_of(cut, sizeof(cut), md);
	ASSERT_EQ(0, start_writer(&wr, "grow.txt", true));
	ASSERT_EQ('r', writer_says(&wr));
	EXPECT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);
	stop_writer(&wr);

	ASSERT_EQ(0, read_transfers(&self->w));
	t = transfer_named("grow.txt");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(BULKHEAD_TRANSFER_REJECTED, t->verdict);
	EXPECT_STREQ("too-large", t->reason);
	EXPECT_EQ(MAX_SIZE + 1, t->size);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));
	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(0, seen->n);
	ASSERT_EQ(0, list_as(CG_GUARD, QUARANTINE));
	e = seen_quarantined("too-large");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MAX_SIZE + 1, e->size);
}

/*
 * BH-EXCH-1, BH-EXCH-2: a file its sender still holds open for writing is left in the outbox
 * (no record, nothing delivered); once closed it crosses whole.
 */
TEST_F_TIMEOUT(exchange, file_open_for_writing_waits, 120)
{
	static const char text[] = "part one\npart two\n";
	uint8_t md[BULKHEAD_HASH_LEN];
	const struct transfer *t;
	const struct entry *e;
	struct writer wr;

	sha256_of(text, strlen(text), md);
	ASSERT_EQ(0, start_writer(&wr, "w.txt", false));
	ASSERT_EQ('r', writer_says(&wr));
	EXPECT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, read_transfers(&self->w));
	EXPECT_EQ(NULL, transfer_named("w.txt"));
	ASSERT_EQ(0, list_as(CG_GUARD, OUTBOX));
	EXPECT_NE(NULL, seen_entry("w.txt"));

	EXPECT_EQ(1, write(wr.go, "g", 1));
	EXPECT_EQ('d', writer_says(&wr));
	stop_writer(&wr);
	EXPECT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, read_transfers(&self->w));
	t = transfer_named("w.txt");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));
	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	e = seen_entry("w.txt");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, memcmp(md, e->sha256, sizeof(md)));
}

/* Wait up to @seconds for the filter to be checking a SLOW-TEST file. */
static int wait_for_filter(int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (marker_present())
			return 0;
		usleep(100000);
	}
	return -1;
}

/*
 * BH-EXCH-2, BH-EXCH-12: while the guard checks its copy of a file, the sender puts another
 * under the same name: what was checked is what is delivered, the new one crosses on its own
 * (under a free name), and each record's SHA-256 is that of the file delivered under its name.
 */
TEST_F_TIMEOUT(exchange, file_replaced_during_check, 180)
{
	static const char first[] = "first version SLOW-TEST\n", second[] = "second version\n";
	uint8_t md_first[BULKHEAD_HASH_LEN], md_second[BULKHEAD_HASH_LEN];
	bool saw_first = false, saw_second = false;
	const struct entry *e;
	pid_t guard;
	int i;

	sha256_of(first, strlen(first), md_first);
	sha256_of(second, strlen(second), md_second);
	ASSERT_EQ(0, send_text("m.txt", first));
	guard = start_guard();
	ASSERT_LT(0, guard);
	ASSERT_EQ(0, wait_for_filter(60)) TH_LOG("the guard: %s", daemon_log());
	EXPECT_EQ(0, send_text("m.txt", second));
	EXPECT_EQ(0, wait_delivered(&self->w, 2, 90)) TH_LOG("the guard: %s", daemon_log());
	EXPECT_EQ(0, stop_guard(guard));

	ASSERT_EQ(0, read_transfers(&self->w));
	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(2, seen_final_names());
	for (i = 0; i < found.n; i++) {
		const struct transfer *t = &found.t[i];

		if (strcmp(t->name, "m.txt") || t->verdict != BULKHEAD_TRANSFER_DELIVERED)
			continue;
		e = seen_entry(t->delivered_as);
		ASSERT_NE(NULL, e) TH_LOG("%s is not in the inbox", t->delivered_as);
		EXPECT_TRUE(t->has_sha256 && !memcmp(e->sha256, t->sha256, sizeof(e->sha256)));
		saw_first |= !memcmp(md_first, e->sha256, sizeof(md_first));
		saw_second |= !memcmp(md_second, e->sha256, sizeof(md_second));
	}
	EXPECT_TRUE(saw_first);
	EXPECT_TRUE(saw_second);
}

/*
 * BH-EXCH-5, BH-EXCH-12: a guard killed mid-transfer (its filter running), twice, then run
 * again: every file crosses once, none is lost, none shows half-written, every id the trail
 * names is one delivery, and nothing is left in the outbox or the staging area.
 */
TEST_F_TIMEOUT(exchange, guard_killed_and_restarted, 300)
{
	static const char *const names[] = { "k1.txt", "k2.txt", "k3.txt" };
	uint8_t md[3][BULKHEAD_HASH_LEN];
	char text[64];
	const struct entry *e;
	pid_t guard;
	int i, j, round;

	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "SLOW-TEST file %d\n", i + 1);
		sha256_of(text, strlen(text), md[i]);
		ASSERT_EQ(0, send_text(names[i], text));
	}
	for (round = 0; round < 2; round++) {
		/* Host may remove the guard's files: flow host -> guard { file }. */
		unlink(MARKER);
		guard = start_guard();
		ASSERT_LT(0, guard);
		ASSERT_EQ(0, wait_for_filter(60)) TH_LOG("the guard: %s", daemon_log());
		/* The second kill lands a little later: at the verdict or the delivery, maybe. */
		if (round)
			usleep(900000);
		kill(guard, SIGKILL);
		waitpid(guard, NULL, 0);
	}
	guard = start_guard();
	ASSERT_LT(0, guard);
	EXPECT_EQ(0, wait_delivered(&self->w, 3, 120)) TH_LOG("the guard: %s", daemon_log());
	EXPECT_EQ(0, stop_guard(guard));

	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	/* Exactly the three, under their own names: no NAME.1 (a second delivery), no dot name. */
	EXPECT_EQ(3, seen->n);
	for (i = 0; i < 3; i++) {
		e = seen_entry(names[i]);
		ASSERT_NE(NULL, e) TH_LOG("%s is not in the inbox", names[i]);
		EXPECT_EQ(0, memcmp(md[i], e->sha256, sizeof(md[i])));
	}
	ASSERT_EQ(0, read_transfers(&self->w));
	EXPECT_EQ(3, delivered_ids());
	/* A record may be repeated (written, then killed before "recorded"): same id, same file. */
	for (i = 0; i < found.n; i++)
		for (j = 0; j < i; j++)
			if (found.t[i].id == found.t[j].id) {
				EXPECT_STREQ(found.t[j].delivered_as, found.t[i].delivered_as);
				EXPECT_EQ(0, memcmp(found.t[j].sha256, found.t[i].sha256,
						    BULKHEAD_HASH_LEN));
			}
	for (i = 0; i < found.n; i++)
		EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, found.t[i].verdict) TH_LOG("%s: %s",
			found.t[i].name, found.t[i].reason);
	ASSERT_EQ(0, list_as(CG_GUARD, OUTBOX));
	EXPECT_EQ(0, seen->n);
	ASSERT_EQ(0, list_as(CG_GUARD, STAGING));
	EXPECT_EQ(0, seen_staged());
}

/*
 * @arg denied reads of high's file from low, as nobody: a CAP_AUDIT_CONTROL holder's record
 * is let go (counted lost) when the ring is full, nobody's is what block mode prevents.
 */
static int op_read_high(void *arg)
{
	int i, fd;

	if (become_nobody())
		return SETUP_FAILED;
	for (i = 0; i < *(int *)arg; i++) {
		fd = open(HIGH_PRIVATE, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/*
 * BH-EXCH-13: in block mode, with the ring full, the kernel keeps no transfer record
 * (ENOBUFS) and the guard delivers nothing; once a recorder has caught up, the same file is
 * delivered and recorded once.
 */
TEST_F_TIMEOUT(exchange, block_mode_holds_delivery, 180)
{
	static const char text[] = "sent while the trail is full\n";
	uint8_t md[BULKHEAD_HASH_LEN];
	const struct transfer *t;
	const struct entry *e;
	int64_t prevented;
	int fill = 40, one = 1;
	struct attempt a;

	sha256_of(text, strlen(text), md);
	/* Sent before the ring fills: nothing the sender does then waits on the trail. */
	ASSERT_EQ(0, send_text("b.txt", text));
	ASSERT_EQ(0, trail_synced());
	stop_recorder(&self->w);
	ASSERT_EQ(0, sh("bulkhead audit config failure block capacity 16"));
	/*
	 * low's denied reads fill what nobody acknowledges, then are prevented. The guard runs
	 * as root, yet its record must not be let go as a CAP_AUDIT_CONTROL holder's would be:
	 * a transfer whose record is lost would cross unrecorded.
	 */
	run_in_cgroup(CG_LOW, op_read_high, &fill);
	prevented = audit_value(BULKHEAD_A_AUDIT_PREVENTED);
	run_in_cgroup(CG_LOW, op_read_high, &one);
	ASSERT_LT(prevented, audit_value(BULKHEAD_A_AUDIT_PREVENTED)) TH_LOG("the ring is not full");

	attempt_transfer(CG_GUARD, false, &a);
	EXPECT_EQ(-ENOBUFS, a.err) TH_LOG("ext_ack: %s", a.ext_ack);
	guard_pass(self->w.out, sizeof(self->w.out));
	TH_LOG("guard, trail full: %s", self->w.out);
	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(0, seen_final_names());
	ASSERT_EQ(0, run_cmd(self->w.out, sizeof(self->w.out), GUARD_STATUS));
	EXPECT_NE(NULL, strstr(self->w.out, "\"pending\":1")) TH_LOG("%s", self->w.out);

	/* Still block mode: the reader catching up is what lets the transfer through. */
	ASSERT_LT(0, start_recorder(&self->w));
	ASSERT_EQ(0, trail_synced());
	EXPECT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);
	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	e = seen_entry("b.txt");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, memcmp(md, e->sha256, sizeof(md)));
	ASSERT_EQ(0, read_transfers(&self->w));
	EXPECT_EQ(1, transfers_named("b.txt"));
	t = transfer_named("b.txt");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));
	EXPECT_EQ(NULL, transfer_named("probe.txt"));
	EXPECT_EQ(0, sh("bulkhead audit config failure drop capacity %u", self->w.slots));
}

/* ============================================================================================
 * The guard's checks: each rejects what it should, says why, and quarantines it.
 */

FIXTURE(checks) {
	struct world w;
};

FIXTURE_VARIANT(checks) {
	const char *name;
	const char *text;		/* the content: this text, */
	size_t repeat_to;		/* repeated to this many bytes when set, */
	const unsigned char *bytes;	/* or these bytes */
	size_t len;
	const char *reason;		/* NULL: delivered */
	const char *filter;		/* what the record says of the filter */
};

FIXTURE_SETUP(checks)
{
	world_setup(_metadata, &self->w, exchange_checked(), NULL, true);
}

FIXTURE_TEARDOWN(checks)
{
	world_teardown(&self->w);
}

static size_t content_of(const FIXTURE_VARIANT(checks) *v, char *buf, size_t size)
{
	size_t len, step;

	if (v->bytes) {
		memcpy(buf, v->bytes, v->len);
		return v->len;
	}
	step = strlen(v->text);
	for (len = 0; len < (v->repeat_to ?: step) && len + step <= size; len += step)
		memcpy(buf + len, v->text, step);
	return len;
}

/*
 * BH-EXCH-3, BH-EXCH-12: the record names the check and the filter's answer; its SHA-256 is
 * the quarantined copy's (cut at max-size + 1 for a file too large); nothing reaches the
 * inbox, and the outbox is emptied all the same.
 */
TEST_F_TIMEOUT(checks, verdict_recorded, 120)
{
	char content[2 * MAX_SIZE];
	uint8_t md[BULKHEAD_HASH_LEN];
	struct sending s = { .name = variant->name, .data = content };
	const struct transfer *t;
	const struct entry *e;
	size_t taken;

	s.len = content_of(variant, content, sizeof(content));
	taken = s.len > MAX_SIZE ? MAX_SIZE + 1 : s.len;
	sha256_of(content, taken, md);
	ASSERT_EQ(0, run_in_cgroup(CG_LOW, op_send, &s));
	ASSERT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);

	ASSERT_EQ(0, read_transfers(&self->w));
	t = transfer_named(variant->name);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(variant->reason ? BULKHEAD_TRANSFER_REJECTED : BULKHEAD_TRANSFER_DELIVERED,
		  t->verdict);
	EXPECT_STREQ(variant->reason ?: "", t->reason);
	EXPECT_STREQ(variant->filter, t->filter);
	EXPECT_EQ(taken, t->size);
	EXPECT_TRUE(t->has_sha256 && !memcmp(md, t->sha256, sizeof(md)));

	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(!variant->reason, seen->n);
	if (!variant->reason) {
		e = seen_entry(variant->name);
		ASSERT_NE(NULL, e);
		EXPECT_EQ(0, memcmp(md, e->sha256, sizeof(md)));
	} else {
		ASSERT_EQ(0, list_as(CG_GUARD, QUARANTINE));
		e = seen_quarantined(variant->reason);
		ASSERT_NE(NULL, e) TH_LOG("no reason file says %s", variant->reason);
		EXPECT_EQ(0, memcmp(md, e->sha256, sizeof(md)));
	}
	ASSERT_EQ(0, list_as(CG_GUARD, OUTBOX));
	EXPECT_EQ(0, seen->n);
}

/* A 1x1 PNG image. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
	0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08,
	0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d,
	0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

FIXTURE_VARIANT_ADD(checks, clean_text) {
	.name = "note.txt", .text = "a clean note\n", .filter = "clean",
};
FIXTURE_VARIANT_ADD(checks, oversize) {
	.name = "big.txt", .text = "0123456789abcdef\n", .repeat_to = MAX_SIZE + 904,
	.reason = "too-large", .filter = "none",
};
/* By content, not by name: PNG bytes called x.txt. */
FIXTURE_VARIANT_ADD(checks, png_named_txt) {
	.name = "x.txt", .bytes = png, .len = sizeof(png), .reason = "type:image/png",
	.filter = "none",
};
FIXTURE_VARIANT_ADD(checks, deny_pattern) {
	.name = "minutes.txt", .text = "minutes of the meeting\nSECRET: the launch date\n",
	.reason = "deny-pattern:1", .filter = "none",
};
FIXTURE_VARIANT_ADD(checks, filter_exit_1) {
	.name = "attachment.txt", .text = "attachment VIRUS-TEST\n", .reason = "filter:exit-1",
	.filter = "exit-1",
};
FIXTURE_VARIANT_ADD(checks, filter_timeout) {
	.name = "stall.txt", .text = "attachment STALL-TEST\n", .reason = "filter:timeout",
	.filter = "timeout",
};

/* ============================================================================================
 * Hostile outbox content: refused safely, named in the record, and the guard goes on.
 */

FIXTURE(hostile) {
	struct world w;
	uint8_t private_md[BULKHEAD_HASH_LEN];
};

FIXTURE_VARIANT(hostile) {
	int (*make)(void *name);	/* in low, under enforce; NULL: made by @prepare */
	int (*prepare)(void);		/* as host, before the policy */
	int made;			/* what @make returns: 0, or the kernel's refusal */
	const char *name;		/* the outbox entry */
	const char *record_name;	/* as the record shows it; NULL: @name */
	const char *reason;		/* NULL: delivered */
	bool ignored;			/* left in the outbox, no record */
};

static int make_symlink(void *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", OUTBOX, (char *)name);
	return ERR(symlink(HIGH_PRIVATE, path));
}

static int make_fifo(void *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", OUTBOX, (char *)name);
	return ERR(mkfifo(path, 0644));
}

static int make_socket(void *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", OUTBOX, (char *)name);
	return fd < 0 ? SETUP_FAILED : ERR(bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
}

/* Root in a domain has no CAP_MKNOD: the kernel refuses before the guard sees anything. */
static int make_device(void *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", OUTBOX, (char *)name);
	return ERR(mknod(path, S_IFCHR | 0644, makedev(1, 3)));
}

/* Written under its final name and closed, the way a name the rename cannot carry arrives. */
static int make_file(void *name)
{
	struct sending s = { .name = name, .data = "hostile\n", .len = 8, .in_place = true };

	return op_write_part(&s);
}

/* A link made before the exchange existed: its other name is high's file. */
static int prepare_hard_link(void)
{
	return link(HIGH_PRIVATE, OUTBOX "/stolen.txt");
}

static int prepare_device(void)
{
	return mknod(OUTBOX "/dev.txt", S_IFCHR | 0644, makedev(1, 3));
}

FIXTURE_SETUP(hostile)
{
	sha256_of(HIGH_TEXT, strlen(HIGH_TEXT), self->private_md);
	world_setup(_metadata, &self->w, exchange_checked(), variant->prepare, true);
}

FIXTURE_TEARDOWN(hostile)
{
	world_teardown(&self->w);
}

/*
 * BH-EXCH-1, BH-EXCH-12: each hostile entry is refused with its reason in the record (no
 * SHA-256: nothing was copied) and removed; what it points at is untouched; the file sent
 * with it crosses in the same pass.
 */
TEST_F_TIMEOUT(hostile, refused_safely, 120)
{
	const char *record_name = variant->record_name ?: variant->name;
	const struct transfer *t;
	const struct entry *e;

	if (variant->make)
		ASSERT_EQ(variant->made, run_in_cgroup(CG_LOW, variant->make,
						       (void *)variant->name));
	ASSERT_EQ(0, send_text("ok.txt", "sent with it\n"));
	EXPECT_EQ(0, guard_pass(self->w.out, sizeof(self->w.out))) TH_LOG("%s", self->w.out);

	ASSERT_EQ(0, read_transfers(&self->w));
	t = transfer_named("ok.txt");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
	t = transfer_named(record_name);
	if (variant->made || variant->ignored) {
		EXPECT_EQ(NULL, t);
	} else if (!variant->reason) {
		ASSERT_NE(NULL, t);
		EXPECT_EQ(BULKHEAD_TRANSFER_DELIVERED, t->verdict);
		EXPECT_STREQ(variant->name, t->delivered_as);
	} else {
		ASSERT_NE(NULL, t) TH_LOG("no record for %s", record_name);
		EXPECT_EQ(BULKHEAD_TRANSFER_REJECTED, t->verdict);
		EXPECT_STREQ(variant->reason, t->reason);
		EXPECT_FALSE(t->has_sha256);
	}

	ASSERT_EQ(0, list_as(CG_HIGH, INBOX));
	EXPECT_EQ(variant->reason || variant->made || variant->ignored ? 1 : 2, seen->n);
	EXPECT_NE(NULL, seen_entry("ok.txt"));
	ASSERT_EQ(0, list_as(CG_GUARD, OUTBOX));
	EXPECT_EQ(variant->ignored ? 1 : 0, seen->n);
	if (variant->ignored)
		EXPECT_NE(NULL, seen_entry(variant->name));
	/* What a link pointed at is high's still, unchanged. */
	ASSERT_EQ(0, list_as(CG_HIGH, HIGH));
	e = seen_entry("private");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, memcmp(self->private_md, e->sha256, sizeof(self->private_md)));
}

#define L10	"llllllllll"
#define L50	L10 L10 L10 L10 L10

FIXTURE_VARIANT_ADD(hostile, symlink_to_high_file) {
	.make = make_symlink, .name = "link.txt", .reason = "symlink",
};
FIXTURE_VARIANT_ADD(hostile, hard_link_to_high_file) {
	.prepare = prepare_hard_link, .name = "stolen.txt", .reason = "hard-linked",
};
FIXTURE_VARIANT_ADD(hostile, fifo) {
	.make = make_fifo, .name = "pipe.txt", .reason = "fifo",
};
FIXTURE_VARIANT_ADD(hostile, socket) {
	.make = make_socket, .name = "sock.txt", .reason = "socket",
};
FIXTURE_VARIANT_ADD(hostile, device_by_sender) {
	.make = make_device, .name = "null.txt", .made = EPERM,
};
FIXTURE_VARIANT_ADD(hostile, device_made_before) {
	.prepare = prepare_device, .name = "dev.txt", .reason = "device",
};
/* ".." inside a name is only characters: delivered under that name, in the inbox. */
FIXTURE_VARIANT_ADD(hostile, dots_inside_name) {
	.make = make_file, .name = "a..b.txt",
};
FIXTURE_VARIANT_ADD(hostile, name_starting_with_dots) {
	.make = make_file, .name = "..hidden", .ignored = true,
};
FIXTURE_VARIANT_ADD(hostile, newline_in_name) {
	.make = make_file, .name = "bad\nname.txt", .record_name = "bad%0Aname.txt",
	.reason = "control-character-in-name",
};
FIXTURE_VARIANT_ADD(hostile, name_not_utf8) {
	.make = make_file, .name = "\xff\xfe.txt", .record_name = "%FF%FE.txt",
	.reason = "not-utf8-name",
};
FIXTURE_VARIANT_ADD(hostile, name_of_250_bytes) {
	.make = make_file, .name = L50 L50 L50 L50 L50, .reason = "name-too-long",
};

TEST_HARNESS_MAIN
