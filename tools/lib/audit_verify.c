// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the streaming audit trail verifier.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <openssl/crypto.h>

#include "audit_codec.h"
#include "audit_seal.h"
#include "audit_verify.h"
#include "json.h"

#define SEQ_OFFSET offsetof(struct bulkhead_audit_hdr, seq)

static const char *const tamper_names[] = {
	[BH_AUDIT_TRUNCATED] = "truncated",
	[BH_AUDIT_DELETED] = "deleted",
	[BH_AUDIT_REORDERED] = "reordered",
	[BH_AUDIT_MODIFIED] = "modified",
	[BH_AUDIT_SPLICED] = "spliced",
	[BH_AUDIT_REPLAYED] = "replayed or wrong key",
	[BH_AUDIT_MALFORMED] = "malformed",
};

const char *bh_audit_tamper_name(enum bh_audit_tamper tamper)
{
	return (unsigned int)tamper < sizeof(tamper_names) / sizeof(tamper_names[0]) ?
	       tamper_names[tamper] : "?";
}

void bh_audit_verifier_init(struct bh_audit_verifier *v, const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN],
			    uint64_t expect_last)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->key, key0, BULKHEAD_AUDIT_KEY_LEN);
	v->next_seq = 1;
	v->expect_last = expect_last;
	v->stage = BH_AUDIT_CHECKING;
}

static void vdetail(struct bh_audit_report *r, const char *fmt, va_list ap)
{
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
}

/* The verdict for the record being checked (or @seq); callers may still revise it. */
static void __attribute__((format(printf, 5, 6)))
tamper(struct bh_audit_verifier *v, enum bh_audit_tamper what, bool at_offset, uint64_t seq,
       const char *fmt, ...)
{
	struct bh_audit_report *r = &v->report;
	va_list ap;

	r->result = BH_AUDIT_TAMPERED;
	r->tamper = what;
	r->file = v->file ? v->file : "-";
	r->at_offset = at_offset;
	r->seq = seq;
	r->offset = v->offset;
	va_start(ap, fmt);
	vdetail(r, fmt, ap);
	va_end(ap);
	v->stage = BH_AUDIT_DONE;
}

static void __attribute__((format(printf, 2, 3)))
unverifiable(struct bh_audit_verifier *v, const char *fmt, ...)
{
	va_list ap;

	v->report.result = BH_AUDIT_UNVERIFIABLE;
	va_start(ap, fmt);
	vdetail(&v->report, fmt, ap);
	va_end(ap);
	v->stage = BH_AUDIT_DONE;
}

/*
 * Whether @rec carries the seal record @seq gets in the chain so far: 1, 0, or -1 when
 * OpenSSL fails (the trail is then unverifiable). The key only moves forward, as records do.
 */
static int seal_matches(struct bh_audit_verifier *v, const uint8_t *rec, uint64_t seq)
{
	uint8_t seal[BULKHEAD_AUDIT_SEAL_LEN];
	struct bulkhead_audit_hdr h;

	memcpy(&h, rec, sizeof(h));
	while (v->epoch < bh_audit_epoch_of(seq)) {
		if (bh_audit_key_next(v->key))
			goto fail;
		v->epoch++;
	}
	if (bh_audit_seal(seal, v->key, v->prev_seal, rec, h.size))
		goto fail;
	return !CRYPTO_memcmp(seal, rec + h.size - BULKHEAD_AUDIT_SEAL_LEN, sizeof(seal));
fail:
	unverifiable(v, "OpenSSL cannot compute SHA-256 or HMAC-SHA256");
	return -1;
}

/* Whether the record is the one expected with only its seq field changed. */
static int sealed_as_expected(struct bh_audit_verifier *v)
{
	uint8_t copy[BULKHEAD_AUDIT_MAX_RECORD];

	memcpy(copy, v->buf, v->have);
	memcpy(copy + SEQ_OFFSET, &v->next_seq, sizeof(v->next_seq));
	return seal_matches(v, copy, v->next_seq);
}

/*
 * The seal is good: only the key holder made this record. It must still be a valid record of
 * its place - anything else is a module defect, or a forgery with a stolen current key.
 */
static void accept(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	struct bh_audit_report *r = &v->report;
	char why[BH_AUDIT_WHY_LEN];
	struct bh_audit_record rec;

	if (bh_audit_record_parse(&rec, v->buf, v->have, why, sizeof(why)) < 0) {
		tamper(v, BH_AUDIT_MALFORMED, false, h->seq, "sealed, but not a valid record: %s", why);
		return;
	}
	if (h->epoch != bh_audit_epoch_of(h->seq)) {
		tamper(v, BH_AUDIT_MALFORMED, false, h->seq,
		       "sealed, but its epoch field says %u where the record belongs to epoch %u",
		       h->epoch, bh_audit_epoch_of(h->seq));
		return;
	}
	if ((h->seq == 1) != (h->type == BULKHEAD_AUDIT_LOAD)) {
		tamper(v, BH_AUDIT_MALFORMED, false, h->seq,
		       "sealed, but a %s record: a trail starts with the one LOAD record",
		       bh_audit_type_name(h->type));
		return;
	}
	memcpy(v->prev_seal, v->buf + h->size - BULKHEAD_AUDIT_SEAL_LEN, BULKHEAD_AUDIT_SEAL_LEN);
	v->next_seq = h->seq + 1;
	r->records++;
	r->first_seq = 1;
	r->last_seq = h->seq;
	r->epochs = bh_audit_epoch_of(h->seq) + 1;
	r->closed = h->type == BULKHEAD_AUDIT_UNLOAD;
}

static void first_record(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	uint64_t seq = h->seq;
	int ok;

	if (seq != 1) {
		ok = sealed_as_expected(v);
		if (ok > 0)
			tamper(v, BH_AUDIT_MODIFIED, false, 1,
			       "its seq field was changed to %" PRIu64, seq);
		else if (!ok)
			unverifiable(v, "%s: the trail starts at record %" PRIu64
				     ", not 1: the records before it are missing",
				     v->file ? v->file : "-", seq);
		return;
	}
	ok = seal_matches(v, v->buf, 1);
	if (ok > 0) {
		accept(v, h);
	} else if (!ok) {
		tamper(v, BH_AUDIT_REPLAYED, false, 1,
		       "the first record does not verify with this key: wrong key, or a trail of another boot");
		/* Unless record 2 verifies against record 1's seal as found: then record 1 was changed. */
		memcpy(v->prev_seal, v->buf + h->size - BULKHEAD_AUDIT_SEAL_LEN,
		       BULKHEAD_AUDIT_SEAL_LEN);
		v->next_seq = 2;
		v->stage = BH_AUDIT_AFTER_FIRST;
	}
}

static void out_of_sequence(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	uint64_t expected = v->next_seq, seq = h->seq;
	int ok = sealed_as_expected(v);

	if (ok < 0)
		return;
	if (ok) {
		tamper(v, BH_AUDIT_MODIFIED, false, expected, "its seq field was changed to %" PRIu64,
		       seq);
	} else if (h->type == BULKHEAD_AUDIT_LOAD) {
		tamper(v, BH_AUDIT_SPLICED, false, seq,
		       "a LOAD record after record %" PRIu64 ": another trail starts here",
		       expected - 1);
	} else if (seq == expected - 1) {
		tamper(v, BH_AUDIT_REORDERED, false, seq, "the record before it, again");
	} else if (seq < expected) {
		tamper(v, BH_AUDIT_REORDERED, false, seq,
		       "it follows record %" PRIu64 ": the trail goes back", expected - 1);
	} else {
		if (seq - 1 == expected)
			tamper(v, BH_AUDIT_DELETED, false, seq,
			       "record %" PRIu64 " is missing before it", expected);
		else
			tamper(v, BH_AUDIT_DELETED, false, seq,
			       "records %" PRIu64 "..%" PRIu64 " are missing before it", expected,
			       seq - 1);
		v->gap_lo = expected;
		v->gap_hi = seq - 1;
		v->stage = BH_AUDIT_AFTER_GAP;
	}
}

static void next_record(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	int ok;

	if (h->seq != v->next_seq) {
		out_of_sequence(v, h);
		return;
	}
	ok = seal_matches(v, v->buf, h->seq);
	if (ok > 0)
		accept(v, h);
	else if (!ok && v->file_start)
		tamper(v, BH_AUDIT_SPLICED, false, h->seq,
		       "the seal chain breaks where the file begins: it continues another trail");
	else if (!ok)
		tamper(v, BH_AUDIT_MODIFIED, false, h->seq,
		       "the seal does not match: the record or its seal was changed");
}

/* A missing record turning up later makes the gap a reordering. */
static void after_gap(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	struct bh_audit_report *r = &v->report;
	uint64_t seq = h->seq;

	if (seq < v->gap_lo || seq > v->gap_hi)
		return;
	r->tamper = BH_AUDIT_REORDERED;
	snprintf(r->detail, sizeof(r->detail), "it comes before record %" PRIu64
		 ", which follows later", seq);
	v->stage = BH_AUDIT_DONE;
}

/*
 * Record 1 did not verify. If record 2 does, chained to record 1's seal as found, the key is
 * right and that seal genuine: record 1 itself was changed.
 */
static void after_first(struct bh_audit_verifier *v, const struct bulkhead_audit_hdr *h)
{
	struct bh_audit_report *r = &v->report;

	if (h->seq == 2 && seal_matches(v, v->buf, 2) > 0) {
		r->tamper = BH_AUDIT_MODIFIED;
		snprintf(r->detail, sizeof(r->detail),
			 "the seal does not match, but record 2 verifies against it: record 1 was changed");
	}
	v->stage = BH_AUDIT_DONE;
}

static void check_record(struct bh_audit_verifier *v)
{
	struct bulkhead_audit_hdr h;

	memcpy(&h, v->buf, sizeof(h));
	switch (v->stage) {
	case BH_AUDIT_CHECKING:
		if (v->next_seq == 1)
			first_record(v, &h);
		else
			next_record(v, &h);
		break;
	case BH_AUDIT_AFTER_GAP:
		after_gap(v, &h);
		break;
	case BH_AUDIT_AFTER_FIRST:
		after_first(v, &h);
		break;
	case BH_AUDIT_DONE:
		break;
	}
	v->file_start = false;
}

void bh_audit_verifier_begin_file(struct bh_audit_verifier *v, const char *name)
{
	v->file = name;
	v->file_start = true;
	v->offset = 0;
	v->have = 0;
	v->want = 0;
}

/* The header gathered cannot start a record: nothing after it can be found either. */
static void unframed(struct bh_audit_verifier *v, const char *why)
{
	if (v->stage == BH_AUDIT_CHECKING)
		tamper(v, BH_AUDIT_MALFORMED, true, 0,
		       "not a record where record %" PRIu64 " was expected: %s", v->next_seq, why);
	else
		v->stage = BH_AUDIT_DONE;
}

void bh_audit_verifier_feed(struct bh_audit_verifier *v, const void *data, size_t len)
{
	const uint8_t *p = data;
	char why[BH_AUDIT_WHY_LEN];
	size_t want, n;
	int size;

	while (len && v->stage != BH_AUDIT_DONE) {
		want = v->want ? v->want : BH_AUDIT_HDR_LEN;
		n = want - v->have < len ? want - v->have : len;
		memcpy(v->buf + v->have, p, n);
		v->have += n;
		p += n;
		len -= n;
		if (v->have < want)
			return;
		if (!v->want) {
			size = bh_audit_record_frame(v->buf, v->have, why, sizeof(why));
			if (size < 0) {
				unframed(v, why);
				return;
			}
			v->want = size;
			if (v->have < v->want)
				continue;
		}
		check_record(v);
		v->offset += v->have;
		v->have = 0;
		v->want = 0;
	}
}

void bh_audit_verifier_end_file(struct bh_audit_verifier *v)
{
	if (v->have && v->stage == BH_AUDIT_CHECKING) {
		if (v->want)
			tamper(v, BH_AUDIT_TRUNCATED, true, 0,
			       "the file ends %zu bytes into a %zu-byte record (record %" PRIu64
			       " expected)", v->have, v->want, v->next_seq);
		else
			tamper(v, BH_AUDIT_TRUNCATED, true, 0,
			       "the file ends %zu bytes into a record header (record %" PRIu64
			       " expected)", v->have, v->next_seq);
	}
	v->have = 0;
	v->want = 0;
}

/* While checking, an unreadable file leaves the trail unverifiable; a look-ahead just ends. */
static void cannot_read(struct bh_audit_verifier *v, const char *path, int err)
{
	if (v->stage == BH_AUDIT_CHECKING)
		unverifiable(v, "%s: %s", path, strerror(-err));
	v->stage = BH_AUDIT_DONE;
}

int bh_audit_verify_file(struct bh_audit_verifier *v, const char *path)
{
	uint8_t buf[64 * 1024];
	FILE *f = fopen(path, "rb");
	int err = 0;
	size_t n;

	if (!f) {
		err = -errno;
		cannot_read(v, path, err);
		return err;
	}
	bh_audit_verifier_begin_file(v, path);
	while (!bh_audit_verifier_done(v) && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		bh_audit_verifier_feed(v, buf, n);
	if (ferror(f)) {
		err = errno ? -errno : -EIO;
		cannot_read(v, path, err);
	} else {
		bh_audit_verifier_end_file(v);
	}
	fclose(f);
	return err;
}

bool bh_audit_verifier_done(const struct bh_audit_verifier *v)
{
	return v->stage == BH_AUDIT_DONE;
}

const struct bh_audit_report *bh_audit_verifier_finish(struct bh_audit_verifier *v)
{
	struct bh_audit_report *r = &v->report;

	bh_audit_verifier_end_file(v);
	if (v->stage == BH_AUDIT_CHECKING) {
		if (!r->records)
			unverifiable(v, "no records: the input is empty");
		else if (r->last_seq < v->expect_last)
			tamper(v, BH_AUDIT_TRUNCATED, false, r->last_seq + 1,
			       "the trail ends after record %" PRIu64 ", but goes to %" PRIu64,
			       r->last_seq, v->expect_last);
		else
			r->result = BH_AUDIT_VERIFIED;
	}
	v->stage = BH_AUDIT_DONE;
	OPENSSL_cleanse(v->key, sizeof(v->key));
	return r;
}

static void print_json(FILE *out, const struct bh_audit_report *r, enum json_style style)
{
	static const char *const results[] = { "verified", "tampered", "unverifiable" };
	struct json j;

	json_init(&j, out, style);
	json_object_begin(&j, NULL);
	json_string(&j, "result", results[r->result]);
	if (r->result == BH_AUDIT_UNVERIFIABLE) {
		json_string(&j, "reason", r->detail);
		json_object_end(&j);
		return;
	}
	if (r->result == BH_AUDIT_TAMPERED) {
		json_string(&j, "file", r->file);
		if (!r->at_offset)
			json_u64(&j, "seq", r->seq);
		json_u64(&j, "offset", r->offset);
		json_string(&j, "class", bh_audit_tamper_name(r->tamper));
		json_string(&j, "detail", r->detail);
	}
	json_u64(&j, "records", r->records);
	json_u64(&j, "first_seq", r->first_seq);
	json_u64(&j, "last_seq", r->last_seq);
	json_u64(&j, "epochs", r->epochs);
	json_bool(&j, "closed", r->closed);
	json_object_end(&j);
}

void bh_audit_report_print(FILE *out, const struct bh_audit_report *r, enum json_style json)
{
	if (json) {
		print_json(out, r, json);
		return;
	}
	switch (r->result) {
	case BH_AUDIT_VERIFIED:
		fprintf(out, "verified: %" PRIu64 " record%s, seq %" PRIu64 "..%" PRIu64
			", %u epoch%s, %s\n", r->records, r->records == 1 ? "" : "s", r->first_seq,
			r->last_seq, r->epochs, r->epochs == 1 ? "" : "s", r->closed ? "closed" : "open");
		break;
	case BH_AUDIT_TAMPERED:
		fprintf(out, "tampered: %s: %s %" PRIu64 ": %s: %s\n", r->file,
			r->at_offset ? "offset" : "record", r->at_offset ? r->offset : r->seq,
			bh_audit_tamper_name(r->tamper), r->detail);
		break;
	case BH_AUDIT_UNVERIFIABLE:
		fprintf(out, "unverifiable: %s\n", r->detail);
		break;
	}
}
