// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's pickup - take a complete regular file from the sender's
 * outbox into the guard's staging area, and refuse everything else, without ever following
 * a link the sender planted or opening a special file in a way that has side effects.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard_int.h"

/* Bytes in the UTF-8 sequence starting at @p (1..4), 0 if it is not one. */
static unsigned int utf8_sequence(const unsigned char *p)
{
	unsigned int n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

const char *bh_guard_name_refusal(const char *name)
{
	unsigned int n;
	const unsigned char *p;

	if (!name[0])
		return "empty-name";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "dot-name";
	if (strlen(name) > BH_GUARD_NAME_MAX)
		return "name-too-long";
	/* A control character in a name can forge lines in logs and confuse the receiver. */
	for (p = (const unsigned char *)name; *p; p += n) {
		if (*p == '/')
			return "slash-in-name";
		if (*p < 0x20 || *p == 0x7f)
			return "control-character-in-name";
		/* The receiver, the record and the trail all show names as UTF-8 text. */
		n = utf8_sequence(p);
		if (!n)
			return "not-utf8-name";
	}
	return NULL;
}

void bh_guard_data_name(char *out, size_t len, uint64_t id)
{
	snprintf(out, len, "%" PRIu64 ".data", id);
}

static const char *type_refusal(mode_t mode)
{
	if (S_ISLNK(mode))
		return "symlink";
	if (S_ISFIFO(mode))
		return "fifo";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "device";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISDIR(mode))
		return "directory";
	return S_ISREG(mode) ? NULL : "not-regular";
}

/*
 * Someone still has the file open for writing: a read lease cannot be had then (fcntl(2)).
 * This is what lets a sender that writes in place, without the rename, be picked up only
 * after its close. Where leases are unavailable (not the owner without CAP_LEASE, leases
 * disabled) the answer is "no", and the unchanged-while-copied test below still holds.
 */
static bool open_for_writing(int fd)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return false;
	}
	return errno == EAGAIN;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool unchanged(const struct stat *a, const struct stat *b)
{
	return same_file(a, b) && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void note_identity(struct bh_guard_entry *e, const struct stat *st)
{
	e->uid = st->st_uid;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

static enum bh_guard_pickup refuse(struct bh_guard_entry *e, const char *why)
{
	snprintf(e->reason, sizeof(e->reason), "%s", why);
	e->verdict = BH_GUARD_REJECTED;
	return BH_GUARD_REFUSE;
}

void bh_guard_staged_note(struct bh_guard_entry *e, int fd)
{
	struct stat st;

	e->staged_known = !fstat(fd, &st);
	e->staged_ino = st.st_ino;
	e->staged_size = st.st_size;
	e->staged_mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	e->staged_ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
}

/*
 * Copy the open outbox file @fd into staging/ID.data, durable before this returns, and hash
 * the copy as it is made (guard_copy.c). The inspector starts on the complete copy and works
 * while the hash catches up (its verdict is taken after "staged", as ever): a large file's
 * passes run side by side.
 */
static enum bh_guard_pickup stage(struct bh_guard *g, struct bh_guard_entry *e, int fd,
				  const struct stat *before)
{
	const struct bh_guard_config *cfg = g->cfg;
	bool inspect = g->magic || g->n_deny;
	struct bh_guard_hasher hasher;
	char part[32], data[32];
	struct stat after;
	int64_t n;
	int out, err;

	snprintf(part, sizeof(part), "%" PRIu64 ".part", e->id);
	bh_guard_data_name(data, sizeof(data), e->id);
	/*
	 * Mode 0644 as a delivered file has it: where the inbox is on the staging area's file
	 * system the copy itself is delivered, by a link (guard_deliver.c). The staging
	 * directory (0700, and the guard domain's) keeps it private until then.
	 */
	out = openat(g->staging_fd, part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		     0644);
	if (out < 0) {
		bh_guard_fail(g, "%s/%s: %s", cfg->staging, part, strerror(errno));
		return BH_GUARD_PICKUP_ERROR;
	}
	/* Forked before the hasher's thread exists. */
	if (inspect && bh_guard_inspector_ready(g))
		goto fail;
	err = bh_guard_hasher_start(&hasher, out);
	if (err) {
		bh_guard_fail(g, "%s/%s: %s", cfg->staging, part, strerror(-err));
		goto fail;
	}
	/* A file growing without end is cut one byte past the limit: too large, whatever else. */
	n = bh_guard_copy_in(fd, out, cfg->max_size ? cfg->max_size + 1 : 0, &hasher);
	if (n < 0 || fsync(out)) {
		bh_guard_fail(g, "%s/%s: copying into %s/%s: %s", cfg->outbox, e->name,
			      cfg->staging, part, strerror(n < 0 ? (int)-n : errno));
		bh_guard_hasher_cancel(&hasher);
		goto fail;
	}
	/* Changed while copied: the sender is still writing; take it when it has finished. */
	if (fstat(fd, &after) || ((!cfg->max_size || (uint64_t)n <= cfg->max_size) &&
				  !unchanged(before, &after))) {
		bh_guard_hasher_cancel(&hasher);
		close(out);
		unlinkat(g->staging_fd, part, 0);
		return BH_GUARD_NOT_READY;
	}
	e->size = n;
	if (renameat(g->staging_fd, part, g->staging_fd, data) || fsync(g->staging_fd)) {
		bh_guard_fail(g, "%s/%s: %s", cfg->staging, data, strerror(errno));
		bh_guard_hasher_cancel(&hasher);
		goto fail;
	}
	/* An oversize copy is rejected by its size: nothing to inspect. */
	if ((!cfg->max_size || e->size <= cfg->max_size) && inspect &&
	    bh_guard_inspector_begin(g, e)) {
		bh_guard_hasher_cancel(&hasher);
		close(out);
		return BH_GUARD_PICKUP_ERROR;
	}
	err = bh_guard_hasher_finish(&hasher, e->size, e->sha256);
	if (err) {
		bh_guard_fail(g, "%s/%s: %s", cfg->staging, data, strerror(-err));
		/* The id is taken again with the next copy: no answer about this one may stay. */
		bh_guard_inspector_stop(g);
		close(out);
		return BH_GUARD_PICKUP_ERROR;
	}
	bh_guard_staged_note(e, out);
	close(out);
	bh_guard_step(g, BH_GUARD_STEP_COPIED);
	return BH_GUARD_PICKED;
fail:
	close(out);
	unlinkat(g->staging_fd, part, 0);
	return BH_GUARD_PICKUP_ERROR;
}

int bh_guard_open_staged(struct bh_guard *g, struct bh_guard_entry *e)
{
	char data[32];
	int fd;

	bh_guard_data_name(data, sizeof(data), e->id);
	fd = openat(g->staging_fd, data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return bh_guard_fail(g, "%s/%s: %s", g->cfg->staging, data, strerror(errno));
	/* Gone from the guard's own area: that transfer failed, the others go on. */
	e->verdict = BH_GUARD_FAILED;
	snprintf(e->reason, sizeof(e->reason), "staged-copy-missing");
	return -ENOENT;
}

enum bh_guard_pickup bh_guard_pickup(struct bh_guard *g, struct bh_guard_entry *e)
{
	const char *why = bh_guard_name_refusal(e->name);
	enum bh_guard_pickup ret;
	struct stat st, fst;
	int fd;

	/* lstat first: a FIFO or device is refused without being opened at all. */
	if (fstatat(g->outbox_fd, e->name, &st, AT_SYMLINK_NOFOLLOW))
		return BH_GUARD_NOT_READY;
	note_identity(e, &st);
	if (why)
		return refuse(e, why);
	why = type_refusal(st.st_mode);
	if (why)
		return refuse(e, why);
	/* Another name for the same inode may sit in a place the sender cannot otherwise
	 * reach (another domain's file): such a file is not the sender's to send.
	 */
	if (st.st_nlink > 1)
		return refuse(e, "hard-linked");
	fd = openat(g->outbox_fd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return refuse(e, "symlink");
		if (errno == EACCES || errno == EPERM)
			return refuse(e, "unreadable");
		return BH_GUARD_NOT_READY;
	}
	/* Swapped between the lstat and the open: look again next time. */
	if (fstat(fd, &fst) || !same_file(&st, &fst)) {
		ret = BH_GUARD_NOT_READY;
	} else if (!S_ISREG(fst.st_mode) || fst.st_nlink > 1) {
		ret = refuse(e, S_ISREG(fst.st_mode) ? "hard-linked" : "not-regular");
	} else if ((!g->cfg->max_size || (uint64_t)fst.st_size <= g->cfg->max_size) &&
		   open_for_writing(fd)) {
		/* Past the limit it is refused whatever comes next: no need to wait for it. */
		ret = BH_GUARD_NOT_READY;
	} else {
		note_identity(e, &fst);
		ret = stage(g, e, fd, &fst);
	}
	close(fd);
	return ret;
}

void bh_guard_pickup_remove(struct bh_guard *g, const struct bh_guard_entry *e)
{
	struct stat st;

	/* Only the file that was taken: the sender may have put a new one under the name. */
	if (fstatat(g->outbox_fd, e->name, &st, AT_SYMLINK_NOFOLLOW) ||
	    st.st_dev != e->dev || st.st_ino != e->ino ||
	    (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec != e->ctime_ns)
		return;
	if (S_ISDIR(st.st_mode))
		return;
	if (unlinkat(g->outbox_fd, e->name, 0) && errno != ENOENT)
		bh_guard_fail(g, "%s/%s: cannot remove it: %s", g->cfg->outbox, e->name,
			      strerror(errno));
}
