/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: audit records (format version 1, include/uapi/linux/bulkhead_audit.h) - checking
 * one, reading its fields, naming and printing it, and building one for tests.
 */
#ifndef BULKHEAD_AUDIT_CODEC_H
#define BULKHEAD_AUDIT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>

#define BH_AUDIT_HDR_LEN	sizeof(struct bulkhead_audit_hdr)
#define BH_AUDIT_MIN_RECORD	(BH_AUDIT_HDR_LEN + BULKHEAD_AUDIT_SEAL_LEN)

/* Room for the reason a record is refused. */
#define BH_AUDIT_WHY_LEN	128

/*
 * A checked record. The header is copied out because records follow each other in a trail
 * at any 4-byte alignment; fields are read in place.
 */
struct bh_audit_record {
	struct bulkhead_audit_hdr hdr;
	const uint8_t *data;		/* the record's hdr.size bytes, seal included */
};

/* One field; start iterating with a zeroed one. */
struct bh_audit_field {
	unsigned int type;		/* enum bulkhead_audit_field_type, or one this tool lacks */
	unsigned int len;
	const uint8_t *value;		/* inside the record, not NUL-terminated */
	size_t next;			/* offset of the following field */
};

/*
 * The size the header at @buf announces, once its version and size bounds are checked:
 * what a reader needs to find the record's end. -ENODATA when @len is shorter than a header,
 * -EBADMSG when the header cannot start a version 1 record; @why (may be NULL) says why.
 */
int bh_audit_record_frame(const void *buf, size_t len, char *why, size_t why_len);

/*
 * Check the record at the start of @buf and point @r at it. Beyond framing: the type and
 * decision are known, the fields fill the space before the seal exactly, each padded with
 * zeros, known fields have their type's size and strings hold no NUL. Fields of types this
 * tool does not know are allowed (a newer module's). Returns the record's size, -ENODATA
 * when @len is shorter than the record, or -EBADMSG.
 */
int bh_audit_record_parse(struct bh_audit_record *r, const void *buf, size_t len, char *why,
			  size_t why_len);

/* Step @f to the next field of @r (the first when @f is zeroed); false after the last. */
bool bh_audit_field_next(const struct bh_audit_record *r, struct bh_audit_field *f);

/* The first field of @type: false when @r has none, or (typed getters) none of that size. */
bool bh_audit_get_field(const struct bh_audit_record *r, unsigned int type,
			struct bh_audit_field *f);
bool bh_audit_get_u32(const struct bh_audit_record *r, unsigned int type, uint32_t *value);
bool bh_audit_get_u64(const struct bh_audit_record *r, unsigned int type, uint64_t *value);
/* Copied with a NUL, cut to @size - 1 bytes. */
bool bh_audit_get_string(const struct bh_audit_record *r, unsigned int type, char *buf,
			 size_t size);

/*
 * Names as the printers write them; NULL for a number without one (the printers then write
 * the number).
 */
const char *bh_audit_type_name(unsigned int type);
const char *bh_audit_decision_name(unsigned int decision);
const char *bh_audit_failure_name(unsigned int failure);
const char *bh_audit_field_name(unsigned int type);
const char *bh_hook_name(unsigned int hook);	/* the LSM or netfilter hook: "file_open" */

/* A record's realtime_ns as the printers write it: 2026-11-26T22:01:02.123456789Z (UTC). */
void bh_audit_format_time(char *buf, size_t size, uint64_t realtime_ns);

/* Channel bits as the printers write them: names joined by commas, unnamed bits in hex. */
void bh_audit_format_channels(char *buf, size_t size, uint32_t channels);

/*
 * One record that bh_audit_record_parse() accepted, as one line: key=value text like auditd's
 * (free-text strings quoted with \" \\ and \xHH escapes; names, numbers, times and hex bare)
 * or a JSON object (bytes that are not UTF-8 become U+FFFD). Both carry the same keys and
 * values: the header's, then the fields in record order (of known types only), then gen,
 * epoch and the flags.
 */
void bh_audit_print_text(FILE *out, const struct bh_audit_record *r);
void bh_audit_print_json(FILE *out, const struct bh_audit_record *r);

/* The same JSON object as a member of @j's document: an element of "audit tail -j"'s array. */
struct json;
void bh_audit_json_record(struct json *j, const struct bh_audit_record *r);

/* Building a record, as the module does: for tests and test tools. */
struct bh_audit_builder {
	uint8_t data[BULKHEAD_AUDIT_MAX_RECORD];
	size_t len;			/* header and fields so far */
};

/* Start with @hdr as given (its size is set by bh_audit_build_end()). */
void bh_audit_build_start(struct bh_audit_builder *b, const struct bulkhead_audit_hdr *hdr);

/* Append a field, zero-padded; -EMSGSIZE when the record would outgrow its maximum. */
int bh_audit_build_put(struct bh_audit_builder *b, unsigned int type, const void *value,
		       size_t len);
int bh_audit_build_u32(struct bh_audit_builder *b, unsigned int type, uint32_t value);
int bh_audit_build_u64(struct bh_audit_builder *b, unsigned int type, uint64_t value);
int bh_audit_build_string(struct bh_audit_builder *b, unsigned int type, const char *s);

/* Append a zero seal and set hdr.size; returns the record's size. */
size_t bh_audit_build_end(struct bh_audit_builder *b);

#endif /* BULKHEAD_AUDIT_CODEC_H */
