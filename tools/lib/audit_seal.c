// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: audit seals and keys, with OpenSSL 3.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "audit_seal.h"

#define LABEL_LEN (sizeof(BULKHEAD_AUDIT_KEY_LABEL) - 1)	/* no NUL */

int bh_audit_key_next(uint8_t key[BULKHEAD_AUDIT_KEY_LEN])
{
	uint8_t in[LABEL_LEN + BULKHEAD_AUDIT_KEY_LEN];
	int ok;

	memcpy(in, BULKHEAD_AUDIT_KEY_LABEL, LABEL_LEN);
	memcpy(in + LABEL_LEN, key, BULKHEAD_AUDIT_KEY_LEN);
	ok = EVP_Digest(in, sizeof(in), key, NULL, EVP_sha256(), NULL);
	OPENSSL_cleanse(in, sizeof(in));
	return ok ? 0 : -EIO;
}

int bh_audit_key_derive(uint8_t key[BULKHEAD_AUDIT_KEY_LEN],
			const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN], uint32_t epoch)
{
	uint32_t e;

	memcpy(key, key0, BULKHEAD_AUDIT_KEY_LEN);
	for (e = 0; e < epoch; e++)
		if (bh_audit_key_next(key))
			return -EIO;
	return 0;
}

int bh_audit_seal(uint8_t seal[BULKHEAD_AUDIT_SEAL_LEN], const uint8_t key[BULKHEAD_AUDIT_KEY_LEN],
		  const uint8_t prev[BULKHEAD_AUDIT_SEAL_LEN], const void *rec, size_t size)
{
	/* The MAC covers the previous seal, then the record: one buffer for EVP_Q_mac(). */
	uint8_t in[BULKHEAD_AUDIT_SEAL_LEN + BULKHEAD_AUDIT_MAX_RECORD];
	size_t body = size - BULKHEAD_AUDIT_SEAL_LEN, len = 0;

	if (size < BULKHEAD_AUDIT_SEAL_LEN || size > BULKHEAD_AUDIT_MAX_RECORD)
		return -EINVAL;
	memcpy(in, prev, BULKHEAD_AUDIT_SEAL_LEN);
	memcpy(in + BULKHEAD_AUDIT_SEAL_LEN, rec, body);
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, BULKHEAD_AUDIT_KEY_LEN, in,
		       BULKHEAD_AUDIT_SEAL_LEN + body, seal, BULKHEAD_AUDIT_SEAL_LEN, &len) ||
	    len != BULKHEAD_AUDIT_SEAL_LEN)
		return -EIO;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int bh_audit_key_parse(uint8_t key[BULKHEAD_AUDIT_KEY_LEN], const char *text)
{
	uint8_t out[BULKHEAD_AUDIT_KEY_LEN];
	int i, hi, lo;

	while (isspace((unsigned char)*text))
		text++;
	for (i = 0; i < BULKHEAD_AUDIT_KEY_LEN; i++, text += 2) {
		hi = hex_digit(text[0]);
		lo = hi < 0 ? -1 : hex_digit(text[1]);
		if (lo < 0)
			goto bad;
		out[i] = hi << 4 | lo;
	}
	while (isspace((unsigned char)*text))
		text++;
	if (*text)
		goto bad;
	memcpy(key, out, sizeof(out));
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
bad:
	OPENSSL_cleanse(out, sizeof(out));
	return -EINVAL;
}

/* Not bh_hash_hex(): a key must not stay behind in a static buffer. */
void bh_audit_key_format(char text[BH_AUDIT_KEY_HEX_LEN + 1],
			 const uint8_t key[BULKHEAD_AUDIT_KEY_LEN])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < BULKHEAD_AUDIT_KEY_LEN; i++) {
		text[2 * i] = digits[key[i] >> 4];
		text[2 * i + 1] = digits[key[i] & 0xf];
	}
	text[BH_AUDIT_KEY_HEX_LEN] = '\0';
}

void bh_audit_sealer_init(struct bh_audit_sealer *s, const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->key, key0, BULKHEAD_AUDIT_KEY_LEN);
}

int bh_audit_sealer_seal(struct bh_audit_sealer *s, void *rec)
{
	struct bulkhead_audit_hdr h;
	uint8_t *seal;
	int err;

	memcpy(&h, rec, sizeof(h));
	h.seq = s->seq + 1;
	h.epoch = bh_audit_epoch_of(h.seq);
	while (s->epoch < h.epoch) {
		if (bh_audit_key_next(s->key))
			return -EIO;
		s->epoch++;
	}
	memcpy(rec, &h, sizeof(h));
	seal = (uint8_t *)rec + h.size - BULKHEAD_AUDIT_SEAL_LEN;
	err = bh_audit_seal(seal, s->key, s->prev, rec, h.size);
	if (err)
		return err;
	memcpy(s->prev, seal, BULKHEAD_AUDIT_SEAL_LEN);
	s->seq = h.seq;
	return 0;
}
