// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's engine - opens an exchange, replays its journal, and moves
 * each file through pickup, inspection, delivery or quarantine and its record, finishing
 * first whatever a crash left half done. Nothing is ever written to the outbox: the one
 * change there is the removal of a file taken, so the sender learns nothing of the outcome.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guard_int.h"

int bh_guard_fail(struct bh_guard *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->error, sizeof(g->error), fmt, ap);
	va_end(ap);
	return -1;
}

void bh_guard_step(struct bh_guard *g, enum bh_guard_step step)
{
	if (g->after_step)
		g->after_step(step);
}

void bh_guard_set_hook(struct bh_guard *g, void (*after_step)(enum bh_guard_step step))
{
	g->after_step = after_step;
}

const char *bh_guard_error(const struct bh_guard *g)
{
	return g->error;
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool exchange_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n >= BH_GUARD_EXCHANGE_LEN)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* @fd, just opened as @path (-1 and errno if not), fstat'd into @st; else closed, and -1. */
static int dir_opened(struct bh_guard *g, int fd, const char *path, struct stat *st)
{
	if (fd < 0 || fstat(fd, st)) {
		bh_guard_fail(g, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int open_dir(struct bh_guard *g, const char *path, bool create, struct stat *st)
{
	if (create && mkdir(path, 0700) && errno != EEXIST)
		return bh_guard_fail(g, "%s: cannot create it: %s", path, strerror(errno));
	return dir_opened(g, open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), path, st);
}

/* A box opened (O_PATH) before the guard entered its domain, opened now for reading. */
static int reopen_dir(struct bh_guard *g, int path_fd, const char *path, struct stat *st)
{
	return dir_opened(g, openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), path, st);
}

/* A directory stream of its own on @dirfd (which stays open), from the start. */
static DIR *dir_stream(int dirfd)
{
	int fd = dup(dirfd);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);

	if (!dir && fd >= 0)
		close(fd);
	if (dir)
		rewinddir(dir);
	return dir;
}

/* Staged copies and parts no open journal entry owns: a crash before "staged" or after
 * "recorded".
 */
static void sweep_staging(struct bh_guard *g)
{
	struct dirent *d;
	uint64_t id;
	size_t i;
	char ext[8];
	DIR *dir = dir_stream(g->staging_fd);

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (sscanf(d->d_name, "%" SCNu64 ".%7s", &id, ext) != 2 ||
		    (strcmp(ext, "part") && strcmp(ext, "data")))
			continue;
		for (i = 0; i < g->journal.n_open; i++)
			if (g->journal.open[i].id == id && strcmp(ext, "part"))
				break;
		if (i == g->journal.n_open)
			unlinkat(g->staging_fd, d->d_name, 0);
	}
	closedir(dir);
}

/* A journal line for @what when its last one said @was and it is @now. 0 or -1. */
static int note_changed(struct bh_guard *g, const char *what, const char *was, const char *now)
{
	int err;

	if (!strcmp(was, now))
		return 0;
	err = bh_guard_journal_note(&g->journal, what, now);
	if (err)
		return bh_guard_fail(g, "%s/journal: %s", g->cfg->staging, strerror(-err));
	return 0;
}

/* The sinks' names joined by '+': where this guard's records go, for guard status. */
static void sink_names(const struct bh_guard_sink *sink, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (; sink && n < len; sink = sink->next)
		n += snprintf(out + n, len - n, "%s%s", n ? "+" : "", sink->name ?: "other");
}

static int open_journal(struct bh_guard *g)
{
	const struct bh_guard_config *cfg = g->cfg;
	int err = bh_guard_journal_load(&g->journal, g->staging_fd, true);
	struct bh_guard_totals *t = &g->journal.totals;
	char outbox[PATH_MAX], records[sizeof(t->records)];

	if (err == -EINVAL)
		return bh_guard_fail(g, "%s/journal: a line it cannot read; not touching it",
				     cfg->staging);
	if (err)
		return bh_guard_fail(g, "%s/journal: %s", cfg->staging, strerror(-err));
	if (note_changed(g, "exchange", t->exchange, cfg->name))
		return -1;
	snprintf(t->exchange, sizeof(t->exchange), "%s", cfg->name);
	sink_names(g->sink, records, sizeof(records));
	if (note_changed(g, "records", t->records, records))
		return -1;
	snprintf(t->records, sizeof(t->records), "%s", records);
	/* Absolute, for "guard status" run from anywhere to count what waits there. */
	if (cfg->box_fds)
		snprintf(outbox, sizeof(outbox), "%s", cfg->outbox);
	else if (!realpath(cfg->outbox, outbox))
		return bh_guard_fail(g, "%s: %s", cfg->outbox, strerror(errno));
	return note_changed(g, "outbox", g->journal.outbox, outbox);
}

struct bh_guard *bh_guard_open(const struct bh_guard_config *cfg, struct bh_guard_sink *sink,
			       char *err, size_t errlen)
{
	struct bh_guard *g = calloc(1, sizeof(*g));
	const char *paths[4] = { cfg->outbox, cfg->inbox, cfg->staging, cfg->quarantine };
	char watched[32];
	struct stat st[4];
	int *fds[4];
	int i, j;

	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->cfg = cfg;
	g->sink = sink;
	fds[0] = &g->outbox_fd;
	fds[1] = &g->inbox_fd;
	fds[2] = &g->staging_fd;
	fds[3] = &g->quarantine_fd;
	g->outbox_fd = g->inbox_fd = g->staging_fd = g->quarantine_fd = g->inotify_fd = -1;
	g->inspector_req = g->inspector_ans = -1;
	g->journal.fd = -1;
	if (!exchange_name_ok(cfg->name)) {
		bh_guard_fail(g, "exchange name \"%s\": not [a-z0-9_-]{1,%d}",
			      cfg->name ? cfg->name : "", BH_GUARD_EXCHANGE_LEN - 1);
		goto fail;
	}
	if (!cfg->outbox || !cfg->inbox || !cfg->staging || !cfg->quarantine) {
		bh_guard_fail(g, "exchange %s: outbox, inbox, staging and quarantine are needed",
			      cfg->name);
		goto fail;
	}
	if (bh_guard_inspect_init(g))
		goto fail;
	/* The guard's own two are created; the sender's and the receiver's must exist. */
	for (i = 0; i < 4; i++) {
		if (i < 2 && cfg->box_fds)
			*fds[i] = reopen_dir(g, i ? cfg->inbox_fd : cfg->outbox_fd, paths[i], &st[i]);
		else
			*fds[i] = open_dir(g, paths[i], i >= 2, &st[i]);
		if (*fds[i] < 0)
			goto fail;
	}
	/* One directory in two roles would let a file go round or the sender see the result. */
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			if (st[i].st_dev == st[j].st_dev && st[i].st_ino == st[j].st_ino) {
				bh_guard_fail(g, "exchange %s: outbox, inbox, staging and quarantine must be four directories",
					      cfg->name);
				goto fail;
			}
	if (open_journal(g))
		goto fail;
	sweep_staging(g);
	g->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	/* Through the descriptor: the outbox's path may pass directories the guard may not. */
	snprintf(watched, sizeof(watched), "/proc/self/fd/%d", g->outbox_fd);
	if (g->inotify_fd >= 0 &&
	    inotify_add_watch(g->inotify_fd, watched, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
		close(g->inotify_fd);
		g->inotify_fd = -1;
	}
	g->tokens = cfg->burst ? cfg->burst : cfg->rate;
	g->refilled_ns = clock_ns(CLOCK_MONOTONIC);
	return g;
fail:
	snprintf(err, errlen, "%s", g->error);
	bh_guard_close(g);
	return NULL;
}

void bh_guard_close(struct bh_guard *g)
{
	int *fds[] = { &g->outbox_fd, &g->inbox_fd, &g->staging_fd, &g->quarantine_fd,
		       &g->inotify_fd };
	unsigned int i;

	if (!g)
		return;
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	bh_guard_journal_free(&g->journal);
	bh_guard_inspect_free(g);
	free(g);
}

int bh_guard_journal(struct bh_guard *g, struct bh_guard_entry *e, enum bh_guard_state state)
{
	int err = bh_guard_journal_append(&g->journal, e, state);

	if (err)
		return bh_guard_fail(g, "%s/journal: %s", g->cfg->staging, strerror(-err));
	return 0;
}

int bh_guard_record(struct bh_guard *g, struct bh_guard_entry *e)
{
	char shown[BH_GUARD_ENC_MAX];
	struct bh_guard_record r = {
		.exchange = g->cfg->name,
		.id = e->id,
		.name = e->name,
		.delivered_as = e->verdict == BH_GUARD_PASS ? e->final : "",
		.size = e->size,
		.sha256 = e->state == BH_GUARD_REFUSED ? "" : e->sha256,
		.verdict = e->verdict,
		.reason = e->reason,
		.filter = e->filter[0] ? e->filter : "none",
		.uid = e->uid,
		.time_ns = clock_ns(CLOCK_REALTIME),
	};
	struct bh_guard_sink *failed;
	int err;

	/* A name refused as a name may hold any byte: the record gets it %XX-encoded. */
	if (bh_guard_name_refusal(e->name)) {
		bh_guard_name_encode(shown, sizeof(shown), e->name);
		r.name = shown;
	}
	err = bh_guard_emit(g->sink, &r, &failed);
	if (err)
		return bh_guard_fail(g, "transfer record of %s/%s: %s%s%s", g->cfg->outbox,
				     r.name, strerror(-err), failed->error[0] ? ": " : "",
				     failed->error);
	bh_guard_step(g, BH_GUARD_STEP_EMITTED);
	if (bh_guard_journal(g, e, BH_GUARD_RECORDED))
		return -1;
	bh_guard_step(g, BH_GUARD_STEP_RECORDED);
	return 0;
}

/*
 * Take @e from wherever the journal has it to its last line, then drop its staged copy (one
 * a crash leaves behind after that line goes in the sweep at the next start).
 */
static int finish(struct bh_guard *g, struct bh_guard_entry *e)
{
	char data[32];
	bool passed;
	int ret;

	if (e->state == BH_GUARD_STAGED) {
		bh_guard_pickup_remove(g, e);
		bh_guard_step(g, BH_GUARD_STEP_OUTBOX_REMOVED);
		if (bh_guard_inspect(g, e) || bh_guard_journal(g, e, BH_GUARD_CHECKED))
			return -1;
		bh_guard_step(g, BH_GUARD_STEP_CHECKED);
	}
	if (e->state == BH_GUARD_CHECKED || e->state == BH_GUARD_DELIVERING ||
	    e->state == BH_GUARD_RECORDED) {
		passed = e->verdict == BH_GUARD_PASS;
		ret = passed ? bh_guard_deliver(g, e) : 1;
		if (ret < 0)
			return -1;
		if (ret > 0) {
			/* A verdict the delivery changed is journalled before it is acted on. */
			if (passed && bh_guard_journal(g, e, BH_GUARD_CHECKED))
				return -1;
			bh_guard_deliver_abandon(g, e);
			if (bh_guard_quarantine(g, e))
				return -1;
		}
		bh_guard_step(g, BH_GUARD_STEP_DONE);
	}
	if (e->state == BH_GUARD_REFUSED)
		bh_guard_pickup_remove(g, e);
	/* A delivery was recorded before its rename; the rest are recorded once done. */
	if (e->state != BH_GUARD_DELIVERED && bh_guard_record(g, e))
		return -1;
	bh_guard_data_name(data, sizeof(data), e->id);
	unlinkat(g->staging_fd, data, 0);
	return 0;
}

/* Finish every entry the journal has open (recovery); stop at the first that cannot be. */
static int finish_open(struct bh_guard *g)
{
	struct bh_guard_entry e;
	int done = 0;

	while (g->journal.n_open) {
		e = g->journal.open[0];
		if (finish(g, &e))
			return -1;
		done++;
	}
	return done;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The outbox's names a sender has finished with (dot names are files being written). */
static int list_outbox(struct bh_guard *g, char ***names, size_t *n)
{
	struct dirent *d;
	size_t cap = 0;
	char **v = NULL, **nv;
	DIR *dir = dir_stream(g->outbox_fd);

	*n = 0;
	if (!dir)
		return bh_guard_fail(g, "%s: %s", g->cfg->outbox, strerror(errno));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[*n] = strdup(d->d_name);
		if (!v[*n])
			break;
		(*n)++;
	}
	closedir(dir);
	if (*n)
		qsort(v, *n, sizeof(*v), name_cmp);
	*names = v;
	return 0;
}

static void rate_wait(struct bh_guard *g)
{
	uint64_t wait;
	struct timespec ts;

	while ((wait = bh_guard_rate_take(g, clock_ns(CLOCK_MONOTONIC)))) {
		ts.tv_sec = wait / 1000000000;
		ts.tv_nsec = wait % 1000000000;
		nanosleep(&ts, NULL);
	}
}

/* One outbox name: picked, refused or left for later. 1 when finished, 0 left, -1 error. */
static int take(struct bh_guard *g, const char *name)
{
	struct bh_guard_entry e = { .id = g->journal.next_id };

	snprintf(e.name, sizeof(e.name), "%s", name);
	rate_wait(g);
	switch (bh_guard_pickup(g, &e)) {
	case BH_GUARD_NOT_READY:
		g->tokens += 1;
		return 0;
	case BH_GUARD_PICKUP_ERROR:
		return -1;
	case BH_GUARD_REFUSE:
		/* A directory cannot be removed without walking the sender's tree: it stays. */
		if (!strcmp(e.reason, "directory"))
			return 0;
		if (bh_guard_journal(g, &e, BH_GUARD_REFUSED))
			return -1;
		break;
	case BH_GUARD_PICKED:
		if (bh_guard_journal(g, &e, BH_GUARD_STAGED)) {
			/* Not journalled, its id is used again: the inspection goes with it. */
			bh_guard_inspector_stop(g);
			return -1;
		}
		bh_guard_step(g, BH_GUARD_STEP_STAGED);
		break;
	}
	return finish(g, &e) ? -1 : 1;
}

/* One line a step makes the journal grow with every file: rewritten past a size. */
static int compact_journal(struct bh_guard *g)
{
	struct stat st;
	int err;

	if (fstat(g->journal.fd, &st) || st.st_size <= BH_GUARD_JOURNAL_COMPACT_AT)
		return 0;
	err = bh_guard_journal_compact(&g->journal, g->staging_fd);
	if (err)
		return bh_guard_fail(g, "%s/journal: cannot compact it: %s", g->cfg->staging,
				     strerror(-err));
	return 0;
}

int bh_guard_run_once(struct bh_guard *g)
{
	char **names = NULL;
	size_t n = 0, i;
	int done, ret = 0;

	g->error[0] = '\0';
	done = finish_open(g);
	if (done < 0 || compact_journal(g))
		goto error;
	if (list_outbox(g, &names, &n))
		goto error;
	for (i = 0; i < n; i++) {
		ret = take(g, names[i]);
		if (ret < 0)
			break;
		done += ret;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (ret >= 0 || !n)
		return done;
error:
	/* Once per error, not once per pass: a guard stuck on a full inbox retries for hours. */
	if (strncmp(g->journal.totals.last_error, g->error, sizeof(g->journal.totals.last_error) - 1))
		bh_guard_journal_note(&g->journal, "error", g->error);
	return -1;
}

void bh_guard_wait(struct bh_guard *g, int timeout_ms)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd p = { .fd = g->inotify_fd, .events = POLLIN };

	if (g->inotify_fd < 0) {
		poll(NULL, 0, timeout_ms);
		return;
	}
	if (poll(&p, 1, timeout_ms) > 0)
		while (read(g->inotify_fd, buf, sizeof(buf)) > 0)
			;
}

/* Complete files waiting in @outbox, as "guard status" counts them; 0 when unreadable. */
static uint64_t count_waiting(const char *outbox)
{
	struct dirent *d;
	uint64_t n = 0;
	DIR *dir;

	dir = outbox[0] ? opendir(outbox) : NULL;
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

int bh_guard_status(const char *staging, struct bh_guard_totals *t)
{
	struct bh_guard_journal j;
	const char *base;
	int fd, err;

	fd = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = bh_guard_journal_load(&j, fd, false);
	close(fd);
	if (err)
		return err;
	*t = j.totals;
	t->pending = j.n_open;
	t->waiting = count_waiting(j.outbox);
	if (!t->exchange[0]) {
		base = strrchr(staging, '/');
		snprintf(t->exchange, sizeof(t->exchange), "%s", base ? base + 1 : staging);
	}
	bh_guard_journal_free(&j);
	return 0;
}
