// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's delivery - the staged copy into the receiver's inbox under a
 * temporary name, to disk, its record kept, then renamed to a final name that was free (never
 * over a file), so that no final name ever shows a half-written or unrecorded file; or the
 * copy into the quarantine.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard_int.h"

#define MAX_SUFFIX 10000

/* Dot-named, so a receiver following the protocol never takes it (docs/exchange.md). */
static void tmp_name(char *out, size_t len, uint64_t id)
{
	snprintf(out, len, ".bulkhead-guard.%" PRIu64 ".tmp", id);
}

void bh_guard_deliver_abandon(struct bh_guard *g, const struct bh_guard_entry *e)
{
	char tmp[64];

	tmp_name(tmp, sizeof(tmp), e->id);
	unlinkat(g->inbox_fd, tmp, 0);
}

/* A name not in the inbox now: NAME, else NAME.1, NAME.2, ... (a receiver's file stays). */
static int pick_final(struct bh_guard *g, struct bh_guard_entry *e)
{
	struct stat st;
	unsigned int i;

	snprintf(e->final, sizeof(e->final), "%s", e->name);
	for (i = 1; i < MAX_SUFFIX; i++) {
		if (fstatat(g->inbox_fd, e->final, &st, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
			return 0;
		snprintf(e->final, sizeof(e->final), "%.*s.%u", BH_GUARD_NAME_MAX, e->name, i);
	}
	return bh_guard_fail(g, "%s/%s: no free name up to .%u", g->cfg->inbox, e->name,
			     MAX_SUFFIX);
}

/*
 * Whether the staged copy open on @in is still the one hashed at pickup: its inode, size and
 * times as then where this process hashed it; after a restart, its hash again.
 */
static bool staged_intact(const struct bh_guard_entry *e, int in)
{
	char sha[BH_GUARD_SHA256_HEX + 1];
	struct stat st;

	if (fstat(in, &st) || (uint64_t)st.st_size != e->size)
		return false;
	if (e->staged_known)
		return st.st_ino == e->staged_ino && (uint64_t)st.st_size == e->staged_size &&
		       (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec ==
		       e->staged_mtime_ns &&
		       (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec ==
		       e->staged_ctime_ns;
	return !bh_guard_sha256_fd(in, e->size, sha) && !strcmp(sha, e->sha256);
}

/* The copy's link into the inbox cannot be made there: another file system, say. */
static bool link_unavailable(int err)
{
	return err == EXDEV || err == EPERM || err == EACCES || err == EMLINK ||
	       err == EOPNOTSUPP || err == ENOSPC;
}

/*
 * inbox/.bulkhead-guard.ID.tmp from the staged copy, which must be the one checked: the copy
 * itself, linked, where staging and inbox share a file system (nothing read or written
 * again); else a copy whose hash must be the staged one.
 */
static int write_tmp(struct bh_guard *g, struct bh_guard_entry *e)
{
	char tmp[64], data[32], sha[BH_GUARD_SHA256_HEX + 1];
	int in, out = -1, ret = -1;
	int64_t n = -1;

	tmp_name(tmp, sizeof(tmp), e->id);
	bh_guard_data_name(data, sizeof(data), e->id);
	in = bh_guard_open_staged(g, e);
	if (in < 0)
		return in == -ENOENT ? 1 : -1;
	unlinkat(g->inbox_fd, tmp, 0);
	if (!staged_intact(e, in))
		goto changed;
	if (!linkat(g->staging_fd, data, g->inbox_fd, tmp, 0)) {
		/* The link changed the inode's ctime: the copy as it now stands, for a retry. */
		bh_guard_staged_note(e, in);
		n = e->size;
	} else if (!link_unavailable(errno)) {
		bh_guard_fail(g, "%s/%s: %s", g->cfg->inbox, tmp, strerror(errno));
		goto out;
	} else {
		out = openat(g->inbox_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			     0644);
		if (out < 0) {
			bh_guard_fail(g, "%s/%s: %s", g->cfg->inbox, tmp, strerror(errno));
			goto out;
		}
		n = bh_guard_copy(in, out, 0, sha);
		if (n >= 0 && fsync(out))
			n = -errno;
	}
	/* The name must be on disk too before the journal says "recorded" (recovery reads a
	 * missing temporary file then as "renamed already").
	 */
	if (n < 0 || fsync(g->inbox_fd)) {
		bh_guard_fail(g, "%s/%s: %s", g->cfg->inbox, tmp,
			      strerror(n < 0 ? (int)-n : errno));
		unlinkat(g->inbox_fd, tmp, 0);
		goto out;
	}
	if (out < 0 || (!strcmp(sha, e->sha256) && (uint64_t)n == e->size)) {
		ret = 0;
		goto out;
	}
changed:
	/* The staging area is the guard's own: only a fault or an intruder changes it. */
	bh_guard_fail(g, "%s/%s: the staged copy changed since it was checked",
		      g->cfg->staging, data);
	unlinkat(g->inbox_fd, tmp, 0);
	e->verdict = BH_GUARD_FAILED;
	snprintf(e->reason, sizeof(e->reason), "staged-copy-changed");
	ret = 1;
out:
	if (out >= 0)
		close(out);
	close(in);
	return ret;
}

/* renameat2(RENAME_NOREPLACE), or link and unlink where the file system lacks it. */
static int rename_noreplace(int dirfd, const char *from, const char *to)
{
	struct stat a, b;

	if (!renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL)
		return -1;
	if (linkat(dirfd, from, dirfd, to, 0)) {
		/* Linked before a crash, the unlink not done: the same inode under both. */
		if (errno != EEXIST || fstatat(dirfd, from, &a, AT_SYMLINK_NOFOLLOW) ||
		    fstatat(dirfd, to, &b, AT_SYMLINK_NOFOLLOW) || a.st_ino != b.st_ino ||
		    a.st_dev != b.st_dev) {
			errno = EEXIST;
			return -1;
		}
	}
	return unlinkat(dirfd, from, 0);
}

/* A free final name for @e, journalled ("delivering") before anything is recorded for it. */
static int choose_final(struct bh_guard *g, struct bh_guard_entry *e)
{
	if (pick_final(g, e) || bh_guard_journal(g, e, BH_GUARD_DELIVERING))
		return -1;
	bh_guard_step(g, BH_GUARD_STEP_DELIVERING);
	return 0;
}

static bool tmp_present(struct bh_guard *g, const struct bh_guard_entry *e)
{
	char tmp[64];
	struct stat st;

	tmp_name(tmp, sizeof(tmp), e->id);
	return !fstatat(g->inbox_fd, tmp, &st, AT_SYMLINK_NOFOLLOW);
}

int bh_guard_deliver(struct bh_guard *g, struct bh_guard_entry *e)
{
	char tmp[64];
	int err;

	tmp_name(tmp, sizeof(tmp), e->id);
	/*
	 * Until it is recorded, a delivery is its temporary file alone, and nothing has renamed
	 * it: one that is not there (a receiver that may write its inbox removed it) is written
	 * again, never taken for a rename done.
	 */
	if (e->state == BH_GUARD_CHECKED ||
	    (e->state == BH_GUARD_DELIVERING && !tmp_present(g, e))) {
		err = write_tmp(g, e);
		if (err)
			return err;
		bh_guard_step(g, BH_GUARD_STEP_INBOX_WRITTEN);
	}
	if (e->state == BH_GUARD_CHECKED && choose_final(g, e))
		return -1;
	/* The record first: one the sink cannot keep leaves the file under its dot name. */
	if (e->state == BH_GUARD_DELIVERING && bh_guard_record(g, e))
		return -1;
	while (rename_noreplace(g->inbox_fd, tmp, e->final)) {
		/* Gone once recorded: renamed before a crash. */
		if (errno == ENOENT)
			break;
		if (errno != EEXIST)
			return bh_guard_fail(g, "%s/%s: %s", g->cfg->inbox, e->final,
					     strerror(errno));
		/*
		 * The name was taken since it was chosen (only where others may write the inbox):
		 * another one, recorded again under the same id before the rename.
		 */
		if (choose_final(g, e) || bh_guard_record(g, e))
			return -1;
	}
	if (fsync(g->inbox_fd))
		return bh_guard_fail(g, "%s: %s", g->cfg->inbox, strerror(errno));
	bh_guard_step(g, BH_GUARD_STEP_RENAMED);
	return bh_guard_journal(g, e, BH_GUARD_DELIVERED);
}

static int write_reason(struct bh_guard *g, const struct bh_guard_entry *e)
{
	char name[64], enc[BH_GUARD_ENC_MAX];
	FILE *f;
	int fd;

	snprintf(name, sizeof(name), "%" PRIu64 ".reason", e->id);
	fd = openat(g->quarantine_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return bh_guard_fail(g, "%s/%s: %s", g->cfg->quarantine, name, strerror(errno));
	}
	bh_guard_name_encode(enc, sizeof(enc), e->name);
	fprintf(f, "exchange %s\nname %s\nuid %u\nsize %" PRIu64 "\nsha256 %s\nverdict %s\n"
		"reason %s\nfilter %s\n", g->cfg->name, enc, e->uid, e->size, e->sha256,
		bh_guard_verdict_name(e->verdict), e->reason, e->filter);
	if (fflush(f) || fsync(fd)) {
		fclose(f);
		return bh_guard_fail(g, "%s/%s: %s", g->cfg->quarantine, name, strerror(errno));
	}
	fclose(f);
	return 0;
}

int bh_guard_quarantine(struct bh_guard *g, struct bh_guard_entry *e)
{
	char data[32], sha[BH_GUARD_SHA256_HEX + 1];
	int in, out;
	int64_t n;

	bh_guard_data_name(data, sizeof(data), e->id);
	/* A second name for the staged copy where it can be (one file system), else a copy. */
	/* A copy that went missing leaves the reason file alone to say so. */
	if (linkat(g->staging_fd, data, g->quarantine_fd, data, 0) && errno != EEXIST &&
	    errno != ENOENT) {
		if (errno != EXDEV)
			return bh_guard_fail(g, "%s/%s: %s", g->cfg->quarantine, data,
					     strerror(errno));
		in = openat(g->staging_fd, data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		out = openat(g->quarantine_fd, data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
			     O_NOFOLLOW, 0600);
		n = in < 0 || out < 0 ? -errno : bh_guard_copy(in, out, 0, sha);
		if (n >= 0 && fsync(out))
			n = -errno;
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		if (n < 0)
			return bh_guard_fail(g, "%s/%s: %s", g->cfg->quarantine, data,
					     strerror((int)-n));
	}
	if (write_reason(g, e))
		return -1;
	if (fsync(g->quarantine_fd))
		return bh_guard_fail(g, "%s: %s", g->cfg->quarantine, strerror(errno));
	return bh_guard_journal(g, e, BH_GUARD_QUARANTINED);
}
