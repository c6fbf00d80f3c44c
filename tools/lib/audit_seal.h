/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the audit trail's seals - the forward-evolving key, HMAC-SHA256 over the chain,
 * keys as hex, and a sealer that numbers and seals records as the module does (for tests).
 */
#ifndef BULKHEAD_AUDIT_SEAL_H
#define BULKHEAD_AUDIT_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bulkhead_audit.h>

#define BH_AUDIT_KEY_HEX_LEN	(2 * BULKHEAD_AUDIT_KEY_LEN)

/* The key epoch of record @seq (>= 1). */
static inline uint32_t bh_audit_epoch_of(uint64_t seq)
{
	return (seq - 1) / BULKHEAD_AUDIT_EPOCH_RECORDS;
}

/*
 * K[e + 1] = SHA-256("bulkhead-audit-key" || K[e]), in place: the previous key is gone, as in
 * the module. Returns 0, or -EIO when OpenSSL cannot hash.
 */
int bh_audit_key_next(uint8_t key[BULKHEAD_AUDIT_KEY_LEN]);

/* K[@epoch] from K[0]. Returns 0 or -EIO. */
int bh_audit_key_derive(uint8_t key[BULKHEAD_AUDIT_KEY_LEN],
			const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN], uint32_t epoch);

/*
 * seal = HMAC-SHA256(@key, @prev || the record at @rec without its seal), for a record of
 * @size bytes, seal included. Returns 0, -EINVAL for a size outside
 * BULKHEAD_AUDIT_SEAL_LEN..BULKHEAD_AUDIT_MAX_RECORD, or -EIO.
 */
int bh_audit_seal(uint8_t seal[BULKHEAD_AUDIT_SEAL_LEN], const uint8_t key[BULKHEAD_AUDIT_KEY_LEN],
		  const uint8_t prev[BULKHEAD_AUDIT_SEAL_LEN], const void *rec, size_t size);

/*
 * A key written as 64 hex digits (either case), surrounded by nothing but whitespace (a key
 * file's newline). Returns 0 or -EINVAL.
 */
int bh_audit_key_parse(uint8_t key[BULKHEAD_AUDIT_KEY_LEN], const char *text);

/* @key as 64 lower-case hex digits and a NUL. */
void bh_audit_key_format(char text[BH_AUDIT_KEY_HEX_LEN + 1],
			 const uint8_t key[BULKHEAD_AUDIT_KEY_LEN]);

/* The module's sealer, for tests that need trails: seq 1, 2, ... of one boot. */
struct bh_audit_sealer {
	uint8_t key[BULKHEAD_AUDIT_KEY_LEN];	/* K[epoch] */
	uint32_t epoch;
	uint8_t prev[BULKHEAD_AUDIT_SEAL_LEN];	/* seal of record seq */
	uint64_t seq;				/* of the last record sealed */
};

void bh_audit_sealer_init(struct bh_audit_sealer *s, const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN]);

/*
 * Give the record at @rec (its header's size set, e.g. by bh_audit_build_end()) the next seq
 * and its epoch, then seal it in place. Returns 0, -EINVAL for a size outside
 * BULKHEAD_AUDIT_SEAL_LEN..BULKHEAD_AUDIT_MAX_RECORD, or -EIO.
 */
int bh_audit_sealer_seal(struct bh_audit_sealer *s, void *rec);

#endif /* BULKHEAD_AUDIT_SEAL_H */
