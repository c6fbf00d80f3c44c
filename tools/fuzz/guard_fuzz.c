// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead fuzzer: the exchange guard's journal and names. The input is read as a journal;
 * besides "no crash, no leak, no undefined behaviour", one that replays must say the same
 * after compaction (totals, next id, every entry in flight), and every line of it, taken as a
 * file name, must come back from the journal's name encoding unchanged.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard_int.h"

static char staging[] = "/tmp/bh-guard-fuzz-XXXXXX";
static int staging_fd = -1;

/* The scratch staging area goes when the fuzzer does. */
static void remove_staging(void)
{
	unlinkat(staging_fd, "journal", 0);
	unlinkat(staging_fd, "journal.new", 0);
	rmdir(staging);
}

static int load(struct bh_guard_journal *j)
{
	return bh_guard_journal_load(j, staging_fd, false);
}

static void same_entry(const struct bh_guard_entry *a, const struct bh_guard_entry *b)
{
	if (a->id != b->id || a->state != b->state || a->verdict != b->verdict ||
	    a->size != b->size || strcmp(a->name, b->name) || strcmp(a->sha256, b->sha256) ||
	    strcmp(a->reason, b->reason) ||
	    ((a->state == BH_GUARD_DELIVERING || a->state == BH_GUARD_RECORDED) &&
	     strcmp(a->final, b->final)))
		abort();
}

/* Compaction keeps what the journal says. */
static void check_compaction(void)
{
	struct bh_guard_journal before, after;
	size_t i;

	if (load(&before))
		return;
	if (bh_guard_journal_compact(&before, staging_fd) || load(&after))
		abort();
	if (before.n_open != after.n_open || before.next_id != after.next_id ||
	    before.totals.delivered != after.totals.delivered ||
	    before.totals.rejected != after.totals.rejected ||
	    before.totals.failed != after.totals.failed ||
	    before.totals.bytes != after.totals.bytes ||
	    strcmp(before.outbox, after.outbox))
		abort();
	for (i = 0; i < before.n_open; i++)
		same_entry(&before.open[i], &after.open[i]);
	bh_guard_journal_free(&before);
	bh_guard_journal_free(&after);
}

/* Every name survives the journal's encoding. */
static void check_names(const char *text)
{
	char name[BH_GUARD_FINAL_MAX + 1], enc[BH_GUARD_ENC_MAX], dec[BH_GUARD_FINAL_MAX + 1];
	const char *line, *end;
	size_t n;

	for (line = text; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		n = end - line;
		if (n > BH_GUARD_FINAL_MAX)
			n = BH_GUARD_FINAL_MAX;
		memcpy(name, line, n);
		name[n] = '\0';
		bh_guard_name_encode(enc, sizeof(enc), name);
		if (strpbrk(enc, " \n") || bh_guard_name_decode(dec, sizeof(dec), enc) ||
		    strcmp(name, dec))
			abort();
		bh_guard_name_refusal(name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	int fd;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (staging_fd < 0) {
		if (!mkdtemp(staging))
			abort();
		staging_fd = open(staging, O_RDONLY | O_DIRECTORY);
		atexit(remove_staging);
	}
	fd = openat(staging_fd, "journal", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	check_compaction();
	check_names(text);
	free(text);
	return 0;
}
