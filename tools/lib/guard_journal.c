// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's journal - one text line per step of a file, appended and
 * fsync'd before the next step begins, replayed at start to finish what a crash left open.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard_int.h"

#define JOURNAL_NAME "journal"

static const char *const state_words[] = {
	[BH_GUARD_STAGED] = "staged",
	[BH_GUARD_CHECKED] = "checked",
	[BH_GUARD_DELIVERING] = "delivering",
	[BH_GUARD_DELIVERED] = "delivered",
	[BH_GUARD_QUARANTINED] = "quarantined",
	[BH_GUARD_REFUSED] = "refused",
	[BH_GUARD_RECORDED] = "recorded",
};

static const char *const verdict_words[] = {
	[BH_GUARD_PASS] = "pass",
	[BH_GUARD_REJECTED] = "rejected",
	[BH_GUARD_FAILED] = "failed",
};

void bh_guard_name_encode(char *out, size_t len, const char *name)
{
	const unsigned char *p;
	size_t n = 0;

	for (p = (const unsigned char *)name; *p && n + 4 < len; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%')
			out[n++] = *p;
		else
			n += snprintf(out + n, len - n, "%%%02X", *p);
	}
	out[n] = '\0';
}

int bh_guard_name_decode(char *out, size_t len, const char *text)
{
	size_t n = 0;
	unsigned int c;

	for (; *text; text++) {
		if (n + 1 >= len)
			return -ENAMETOOLONG;
		if (*text != '%') {
			out[n++] = *text;
			continue;
		}
		if (sscanf(text + 1, "%2X", &c) != 1 || !c)
			return -EINVAL;
		out[n++] = c;
		text += 2;
	}
	out[n] = '\0';
	return 0;
}

static struct bh_guard_entry *find_open(struct bh_guard_journal *j, uint64_t id)
{
	size_t i;

	for (i = 0; i < j->n_open; i++)
		if (j->open[i].id == id)
			return &j->open[i];
	return NULL;
}

static struct bh_guard_entry *add_open(struct bh_guard_journal *j, const struct bh_guard_entry *e)
{
	if (j->n_open == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 16;
		struct bh_guard_entry *n = realloc(j->open, cap * sizeof(*n));

		if (!n)
			return NULL;
		j->open = n;
		j->cap = cap;
	}
	j->open[j->n_open] = *e;
	return &j->open[j->n_open++];
}

/* A finished entry leaves the open list and counts in the totals. */
static void close_entry(struct bh_guard_journal *j, struct bh_guard_entry *e, bool delivered)
{
	if (delivered) {
		j->totals.delivered++;
		j->totals.bytes += e->size;
	} else if (e->verdict == BH_GUARD_FAILED) {
		j->totals.failed++;
	} else {
		j->totals.rejected++;
	}
	*e = j->open[--j->n_open];
}

#define TO(state) (1U << (state))

/*
 * The moves a guard journals: from each state, the states a file's next line may name. A
 * delivery's verdict may turn to failed (checked again) until it is recorded, and a name
 * taken before the rename makes it choose another (delivering again). A journal saying
 * anything else was not written by a guard.
 */
static const unsigned int next_states[] = {
	[BH_GUARD_STAGED] = TO(BH_GUARD_CHECKED),
	[BH_GUARD_CHECKED] = TO(BH_GUARD_CHECKED) | TO(BH_GUARD_DELIVERING) |
			     TO(BH_GUARD_QUARANTINED),
	[BH_GUARD_DELIVERING] = TO(BH_GUARD_CHECKED) | TO(BH_GUARD_RECORDED),
	[BH_GUARD_RECORDED] = TO(BH_GUARD_DELIVERING) | TO(BH_GUARD_DELIVERED),
	[BH_GUARD_QUARANTINED] = TO(BH_GUARD_RECORDED),
	[BH_GUARD_REFUSED] = TO(BH_GUARD_RECORDED),
};

static bool moves(const struct bh_guard_entry *o, enum bh_guard_state state)
{
	return o->state < sizeof(next_states) / sizeof(next_states[0]) &&
	       (next_states[o->state] & TO(state));
}

/* Whether @state's line is @o's last: delivered, or recorded when no rename is to follow. */
static bool closes(const struct bh_guard_entry *o, enum bh_guard_state state)
{
	return state == BH_GUARD_DELIVERED ||
	       (state == BH_GUARD_RECORDED && o->state != BH_GUARD_DELIVERING);
}

/* Follow @o's move to @state, which moves() allowed. */
static void follow(struct bh_guard_journal *j, struct bh_guard_entry *o,
		   enum bh_guard_state state)
{
	if (closes(o, state))
		close_entry(j, o, state == BH_GUARD_DELIVERED);
	else
		o->state = state;
}

static int word_index(const char *const *words, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(words[i], w))
			return i;
	return -1;
}

/* Follow one line of the journal. Unknown or malformed lines are -EINVAL. */
static int replay_line(struct bh_guard_journal *j, char *line)
{
	char word[16], a[BH_GUARD_REASON_ENC], b[BH_GUARD_ENC_MAX], c[16];
	struct bh_guard_entry e = { 0 }, *o;
	int state, n = 0;

	if (sscanf(line, "%15s %n", word, &n) != 1)
		return -EINVAL;
	if (!strcmp(word, "exchange")) {
		snprintf(j->totals.exchange, sizeof(j->totals.exchange), "%s", line + n);
		return 0;
	}
	if (!strcmp(word, "records")) {
		snprintf(j->totals.records, sizeof(j->totals.records), "%s", line + n);
		return 0;
	}
	if (!strcmp(word, "outbox"))
		return bh_guard_name_decode(j->outbox, sizeof(j->outbox), line + n);
	if (!strcmp(word, "totals")) {
		struct bh_guard_totals *t = &j->totals;
		uint64_t next;

		if (sscanf(line + n, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &t->delivered, &t->rejected, &t->failed, &t->bytes, &next) != 5)
			return -EINVAL;
		if (next > j->next_id)
			j->next_id = next;
		return 0;
	}
	if (!strcmp(word, "error")) {
		snprintf(j->totals.last_error, sizeof(j->totals.last_error), "%s", line + n);
		return 0;
	}
	state = word_index(state_words, BH_GUARD_RECORDED + 1, word);
	if (state < 0 || sscanf(line + n, "%" SCNu64, &e.id) != 1)
		return -EINVAL;
	if (e.id >= j->next_id)
		j->next_id = e.id + 1;
	if (state == BH_GUARD_STAGED || state == BH_GUARD_REFUSED) {
		e.state = state;
		if (state == BH_GUARD_STAGED) {
			int sha_end = 0;

			/*
			 * The hash is 64 hex digits and a space, no less and no more: a longer
			 * or foreign token would spill into the name, and compaction would
			 * write a line that the next load refuses (found by guard_fuzz).
			 */
			if (sscanf(line + n, "%*u %" SCNu64 " %u %" SCNu64 " %" SCNu64 " %" SCNd64
				   " %64[0-9a-f]%n %" BH_GUARD_ENC_WIDTH "s", &e.size, &e.uid,
				   &e.dev, &e.ino, &e.ctime_ns, e.sha256, &sha_end, b) != 7 ||
			    strlen(e.sha256) != BH_GUARD_SHA256_HEX || line[n + sha_end] != ' ')
				return -EINVAL;
		} else {
			e.verdict = BH_GUARD_REJECTED;
			if (sscanf(line + n, "%*u %u %" SCNu64 " %" SCNu64 " %" SCNd64
				   " %" BH_GUARD_REASON_WIDTH "s %" BH_GUARD_ENC_WIDTH "s",
				   &e.uid, &e.dev, &e.ino, &e.ctime_ns, a, b) != 6 ||
			    bh_guard_name_decode(e.reason, sizeof(e.reason), a))
				return -EINVAL;
		}
		if (find_open(j, e.id) || bh_guard_name_decode(e.name, sizeof(e.name), b))
			return -EINVAL;
		return add_open(j, &e) ? 0 : -ENOMEM;
	}
	o = find_open(j, e.id);
	if (!o || !moves(o, state))
		return -EINVAL;
	switch (state) {
	case BH_GUARD_CHECKED:
		if (sscanf(line + n, "%*u %15s %31s %" BH_GUARD_REASON_WIDTH "s", c, o->filter,
			   a) != 3 ||
		    word_index(verdict_words, 3, c) < 0 ||
		    bh_guard_name_decode(o->reason, sizeof(o->reason), a))
			return -EINVAL;
		o->verdict = word_index(verdict_words, 3, c);
		if (!strcmp(o->reason, "-"))
			o->reason[0] = '\0';
		break;
	case BH_GUARD_DELIVERING:
	case BH_GUARD_DELIVERED:
		if (sscanf(line + n, "%*u %" BH_GUARD_ENC_WIDTH "s", b) != 1 ||
		    bh_guard_name_decode(o->final, sizeof(o->final), b))
			return -EINVAL;
		break;
	}
	follow(j, o, state);
	return 0;
}

int bh_guard_journal_load(struct bh_guard_journal *j, int staging_fd, bool writable)
{
	char *line = NULL;
	size_t cap = 0;
	off_t good = 0;
	ssize_t len;
	int fd, err = 0;
	FILE *f;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->next_id = 1;
	fd = openat(staging_fd, JOURNAL_NAME, (writable ? O_RDWR | O_CREAT | O_APPEND : O_RDONLY) |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(dup(fd), "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		/* A line without its newline is a write the crash cut short: not done. */
		if (line[len - 1] != '\n')
			break;
		line[len - 1] = '\0';
		err = replay_line(j, line);
		if (err)
			break;
		good += len;
	}
	free(line);
	fclose(f);
	if (!err && writable && ftruncate(fd, good))
		err = -errno;
	if (err || !writable) {
		close(fd);
		/* A journal that cannot be used leaves nothing to free. */
		if (err)
			bh_guard_journal_free(j);
		return err;
	}
	j->fd = fd;
	return 0;
}

void bh_guard_journal_free(struct bh_guard_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	free(j->open);
	j->open = NULL;
	j->n_open = j->cap = 0;
}

/* One complete line in one write, then to disk: the step is done only when this returns 0. */
static int append_line(struct bh_guard_journal *j, const char *line, bool sync)
{
	size_t len = strlen(line);
	ssize_t n = write(j->fd, line, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	if (sync && fdatasync(j->fd))
		return -errno;
	return 0;
}

/* @e's line for @state, newline included. 0, or -EINVAL for a state without one. */
static int format_line(char *line, size_t len, const struct bh_guard_entry *e,
		       enum bh_guard_state state)
{
	char a[BH_GUARD_REASON_ENC], b[BH_GUARD_ENC_MAX];

	switch (state) {
	case BH_GUARD_STAGED:
		bh_guard_name_encode(b, sizeof(b), e->name);
		snprintf(line, len, "staged %" PRIu64 " %" PRIu64 " %u %" PRIu64 " %" PRIu64
			 " %" PRId64 " %s %s\n", e->id, e->size, e->uid, e->dev, e->ino,
			 e->ctime_ns, e->sha256, b);
		return 0;
	case BH_GUARD_REFUSED:
		bh_guard_name_encode(a, sizeof(a), e->reason);
		bh_guard_name_encode(b, sizeof(b), e->name);
		snprintf(line, len, "refused %" PRIu64 " %u %" PRIu64 " %" PRIu64 " %" PRId64
			 " %s %s\n", e->id, e->uid, e->dev, e->ino, e->ctime_ns, a, b);
		return 0;
	case BH_GUARD_CHECKED:
		bh_guard_name_encode(a, sizeof(a), e->reason[0] ? e->reason : "-");
		snprintf(line, len, "checked %" PRIu64 " %s %s %s\n", e->id,
			 verdict_words[e->verdict], e->filter[0] ? e->filter : "none", a);
		return 0;
	case BH_GUARD_DELIVERING:
	case BH_GUARD_DELIVERED:
		bh_guard_name_encode(b, sizeof(b), e->final);
		snprintf(line, len, "%s %" PRIu64 " %s\n", state_words[state], e->id, b);
		return 0;
	case BH_GUARD_QUARANTINED:
	case BH_GUARD_RECORDED:
		snprintf(line, len, "%s %" PRIu64 "\n", state_words[state], e->id);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The lines that must be on disk before the guard acts on them; the others reach the disk
 * with the next one that must (fdatasync() covers every line written before it), so a
 * file costs three syncs, not four or five, and a finished file's last line rides on the
 * next file's first. What a crash can lose is then only a line whose step recovery does again
 * to the same end, and never one a record or a rename has acted on:
 *
 *  - staged, refused: the outbox file is removed next; without the line it would be lost.
 *  - delivering, quarantined: the record comes next and states the verdict (and the final
 *    name): it must be the one a restart finds, not a new inspection's (a filter may time
 *    out once and not the next time). They carry "checked" to disk with them.
 *  - recorded: a delivery is renamed next; without the line a restart would take the
 *    renamed file for one never written and deliver it again. (A rejection's or refusal's
 *    last line: kept as strictly.)
 *  - checked: not synced; lost, nothing acted on it yet: the copy is inspected again (a
 *    temporary file already in the inbox is removed or written again).
 *  - delivered: not synced; lost, recovery finds the temporary name gone after "recorded"
 *    and journals it again. The rename itself is on disk before this line is written.
 *
 * So a delivery's record is kept by its sink, and its journal line on disk, before the
 * rename makes the file visible; the batching only defers lines nothing depends on yet.
 */
static const bool synced[] = {
	[BH_GUARD_STAGED] = true,
	[BH_GUARD_REFUSED] = true,
	[BH_GUARD_DELIVERING] = true,
	[BH_GUARD_RECORDED] = true,
	[BH_GUARD_CHECKED] = false,
	[BH_GUARD_QUARANTINED] = true,
	[BH_GUARD_DELIVERED] = false,
};

int bh_guard_journal_append(struct bh_guard_journal *j, struct bh_guard_entry *e,
			    enum bh_guard_state state)
{
	struct bh_guard_entry *o = NULL;
	char line[2048];
	int err;

	if (state != BH_GUARD_STAGED && state != BH_GUARD_REFUSED) {
		o = find_open(j, e->id);
		if (!o || !moves(o, state))
			return -EINVAL;
	}
	err = format_line(line, sizeof(line), e, state);
	if (!err)
		err = append_line(j, line, synced[state]);
	if (err)
		return err;
	if (state == BH_GUARD_STAGED || state == BH_GUARD_REFUSED) {
		e->state = state;
		if (e->id >= j->next_id)
			j->next_id = e->id + 1;
		return add_open(j, e) ? 0 : -ENOMEM;
	}
	*o = *e;
	e->state = state;
	follow(j, o, state);
	return 0;
}

/* The lines that bring a fresh replay to @e's state: its first line, then where it is. */
static int write_entry(FILE *f, const struct bh_guard_entry *e)
{
	char line[2048];

	if (e->state == BH_GUARD_REFUSED) {
		format_line(line, sizeof(line), e, BH_GUARD_REFUSED);
		return fputs(line, f) < 0 ? -EIO : 0;
	}
	format_line(line, sizeof(line), e, BH_GUARD_STAGED);
	fputs(line, f);
	if (e->state == BH_GUARD_STAGED)
		return 0;
	format_line(line, sizeof(line), e, BH_GUARD_CHECKED);
	fputs(line, f);
	/* A recorded delivery is one whose "delivering" line has its "recorded". */
	if (e->state != BH_GUARD_CHECKED) {
		format_line(line, sizeof(line), e,
			    e->state == BH_GUARD_RECORDED ? BH_GUARD_DELIVERING : e->state);
		fputs(line, f);
	}
	if (e->state == BH_GUARD_RECORDED) {
		format_line(line, sizeof(line), e, BH_GUARD_RECORDED);
		fputs(line, f);
	}
	return ferror(f) ? -EIO : 0;
}

int bh_guard_journal_compact(struct bh_guard_journal *j, int staging_fd)
{
	char enc[sizeof(j->outbox) * 3];
	struct bh_guard_totals *t = &j->totals;
	int fd, err = 0;
	size_t i;
	FILE *f;

	fd = openat(staging_fd, JOURNAL_NAME ".new", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	/* What the recorded entries leave behind: the counts, and the ids they used. */
	bh_guard_name_encode(enc, sizeof(enc), j->outbox);
	fprintf(f, "exchange %s\noutbox %s\ntotals %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		" %" PRIu64 "\n", t->exchange, enc, t->delivered, t->rejected, t->failed, t->bytes,
		j->next_id);
	if (t->records[0])
		fprintf(f, "records %s\n", t->records);
	if (t->last_error[0])
		fprintf(f, "error %s\n", t->last_error);
	for (i = 0; i < j->n_open && !err; i++)
		err = write_entry(f, &j->open[i]);
	if (!err && (fflush(f) || fsync(fd)))
		err = -errno;
	fclose(f);
	/* The old journal stays whole until the new one replaces it in one rename. */
	if (!err && (renameat(staging_fd, JOURNAL_NAME ".new", staging_fd, JOURNAL_NAME) ||
		     fsync(staging_fd)))
		err = -errno;
	if (err) {
		unlinkat(staging_fd, JOURNAL_NAME ".new", 0);
		return err;
	}
	fd = openat(staging_fd, JOURNAL_NAME, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	close(j->fd);
	j->fd = fd;
	return 0;
}

int bh_guard_journal_note(struct bh_guard_journal *j, const char *what, const char *text)
{
	char line[4096 * 3 + 32], enc[4096 * 3];
	char *p;

	if (!strcmp(what, "outbox")) {
		snprintf(j->outbox, sizeof(j->outbox), "%s", text);
		bh_guard_name_encode(enc, sizeof(enc), text);
		text = enc;
	}
	snprintf(line, sizeof(line), "%s %s\n", what, text);
	/* An error text is free-form: keep it on its line. */
	for (p = line; p[1]; p++)
		if (*p == '\n' || (unsigned char)*p < 0x20)
			*p = ' ';
	if (!strcmp(what, "error"))
		snprintf(j->totals.last_error, sizeof(j->totals.last_error), "%.*s",
			 (int)sizeof(j->totals.last_error) - 1, text);
	return append_line(j, line, strcmp(what, "error"));
}
