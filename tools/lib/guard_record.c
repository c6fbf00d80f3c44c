// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's transfer record handed to its sinks in turn, and the JSON
 * lines sink that writes records to a file or stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "json.h"

const char *bh_guard_verdict_name(enum bh_guard_verdict v)
{
	switch (v) {
	case BH_GUARD_PASS:
		return "delivered";
	case BH_GUARD_REJECTED:
		return "rejected";
	default:
		return "failed";
	}
}

int bh_guard_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r,
		  struct bh_guard_sink **failed)
{
	int err;

	for (; sink; sink = sink->next) {
		sink->error[0] = '\0';
		err = sink->emit(sink, r);
		if (err) {
			*failed = sink;
			return err;
		}
	}
	return 0;
}

void bh_guard_record_json(FILE *out, const struct bh_guard_record *r)
{
	struct json j;

	json_init(&j, out, JSON_COMPACT);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "exchange-transfer");
	json_string(&j, "exchange", r->exchange);
	json_u64(&j, "id", r->id);
	json_string(&j, "name", r->name);
	json_string(&j, "delivered_as", r->delivered_as);
	json_u64(&j, "size", r->size);
	json_string(&j, "sha256", r->sha256);
	json_string(&j, "verdict", bh_guard_verdict_name(r->verdict));
	json_string(&j, "reason", r->reason);
	json_string(&j, "filter", r->filter);
	json_u64(&j, "uid", r->uid);
	json_u64(&j, "time_ns", r->time_ns);
	json_object_end(&j);
}

static int json_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r)
{
	FILE *out = sink->priv;
	struct stat st;

	bh_guard_record_json(out, r);
	if (fflush(out))
		return -errno;
	/* Kept means on disk for a file; a pipe or terminal has no more to give. */
	if (!fstat(fileno(out), &st) && S_ISREG(st.st_mode) && fdatasync(fileno(out)))
		return -errno;
	return 0;
}

void bh_guard_sink_json(struct bh_guard_sink *sink, FILE *out)
{
	*sink = (struct bh_guard_sink){ .emit = json_emit, .priv = out, .name = "json" };
}
