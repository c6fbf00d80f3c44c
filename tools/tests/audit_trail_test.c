// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host unit tests: audit records (checking, fields, names, printers), keys and seals,
 * and the trail verifier against every class of tampering.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "kselftest_harness.h"
#include "audit_codec.h"
#include "audit_seal.h"
#include "audit_verify.h"

#define KEY_LEN		BULKHEAD_AUDIT_KEY_LEN
#define SEAL_LEN	BULKHEAD_AUDIT_SEAL_LEN
#define EPOCH		BULKHEAD_AUDIT_EPOCH_RECORDS
#define N_RECORDS	3000		/* three key epochs */
#define MID		1500		/* the record tampered with, in epoch 1 */
#define SAMPLE_TIME	1795730462123456789ULL	/* 2026-11-26T22:01:02.123456789Z */

static void fill_key(uint8_t key[KEY_LEN], uint8_t base)
{
	int i;

	for (i = 0; i < KEY_LEN; i++)
		key[i] = base + i;
}

static struct bulkhead_audit_hdr header(unsigned int type, unsigned int decision, unsigned int hook)
{
	struct bulkhead_audit_hdr h = {
		.version = BULKHEAD_AUDIT_VERSION,
		.type = type,
		.decision = decision,
		.seq = 12,
		.realtime_ns = SAMPLE_TIME,
		.boottime_ns = 12345000000ULL,
		.generation = 3,
		.hook = hook,
	};

	return h;
}

/* The decision of the format's example line: denied at file_open, from b to a over file. */
static size_t sample_decision(struct bh_audit_builder *b)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_DENIED,
					     BULKHEAD_HOOK_FILE_OPEN);

	bh_audit_build_start(b, &h);
	bh_audit_build_string(b, BULKHEAD_AUDIT_FROM_DOMAIN, "b");
	bh_audit_build_string(b, BULKHEAD_AUDIT_TO_DOMAIN, "a");
	bh_audit_build_u32(b, BULKHEAD_AUDIT_CHANNEL, BULKHEAD_CHAN_FILE);
	bh_audit_build_u32(b, BULKHEAD_AUDIT_SUBJ_PID, 4242);
	bh_audit_build_string(b, BULKHEAD_AUDIT_SUBJ_COMM, "cat");
	bh_audit_build_string(b, BULKHEAD_AUDIT_OBJ_PATH, "/srv/x");
	return bh_audit_build_end(b);
}

/* What a printer writes for @r, in a static buffer. */
static const char *printed(const struct bh_audit_record *r, bool json)
{
	static char text[4096];
	FILE *out = fmemopen(text, sizeof(text), "w");

	if (json)
		bh_audit_print_json(out, r);
	else
		bh_audit_print_text(out, r);
	fclose(out);
	return text;
}

/* --- the codec ------------------------------------------------------------------------------ */

/* A field of every type, each with a value of its kind (the uapi header's table). */
static int put_sample_field(struct bh_audit_builder *b, unsigned int type, const uint8_t *hash)
{
	static const uint8_t kinds[] = BULKHEAD_AUDIT_FIELD_KINDS;

	switch (kinds[type]) {
	case BULKHEAD_AUDIT_KIND_HASH:
		return bh_audit_build_put(b, type, hash, BULKHEAD_HASH_LEN);
	case BULKHEAD_AUDIT_KIND_U64:
		return bh_audit_build_u64(b, type, 1000000000000ULL + type);
	case BULKHEAD_AUDIT_KIND_STRING:
		return bh_audit_build_string(b, type, bh_audit_field_name(type));
	default:
		/* u32, and an address as IPv4's four bytes */
		return bh_audit_build_u32(b, type, type);
	}
}

/* BH-AUD-1: every field type written comes back, in order, with its value. */
TEST(record_round_trip)
{
	static const uint8_t hash[BULKHEAD_HASH_LEN] = { 0xde, 0xad, 0xbe, 0xef };
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_WOULD_DENY,
					     BULKHEAD_HOOK_NF_FORWARD);
	struct bh_audit_field f = { 0 };
	struct bh_audit_builder b;
	struct bh_audit_record r;
	char why[BH_AUDIT_WHY_LEN] = "";
	unsigned int type, n = 0;
	uint64_t u64;
	uint32_t u32;
	char s[64];
	size_t size;

	bh_audit_build_start(&b, &h);
	for (type = 1; type <= BULKHEAD_AUDIT_FIELD_MAX; type++)
		ASSERT_EQ(0, put_sample_field(&b, type, hash));
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(size, r.hdr.size);
	EXPECT_EQ(BULKHEAD_HOOK_NF_FORWARD, r.hdr.hook);
	while (bh_audit_field_next(&r, &f))
		EXPECT_EQ(++n, f.type);
	EXPECT_EQ(BULKHEAD_AUDIT_FIELD_MAX, n);
	ASSERT_TRUE(bh_audit_get_u32(&r, BULKHEAD_AUDIT_SUBJ_PID, &u32));
	EXPECT_EQ(BULKHEAD_AUDIT_SUBJ_PID, u32);
	ASSERT_TRUE(bh_audit_get_u64(&r, BULKHEAD_AUDIT_OBJ_INO, &u64));
	EXPECT_EQ(1000000000000ULL + BULKHEAD_AUDIT_OBJ_INO, u64);
	ASSERT_TRUE(bh_audit_get_string(&r, BULKHEAD_AUDIT_OBJ_PATH, s, sizeof(s)));
	EXPECT_STREQ("name", s);
	ASSERT_TRUE(bh_audit_get_string(&r, BULKHEAD_AUDIT_OBJ_PATH, s, 3));
	EXPECT_STREQ("na", s);
	ASSERT_TRUE(bh_audit_get_field(&r, BULKHEAD_AUDIT_NEW_HASH, &f));
	EXPECT_EQ(0, memcmp(hash, f.value, sizeof(hash)));
	/* Typed getters refuse a field of another size. */
	EXPECT_FALSE(bh_audit_get_u64(&r, BULKHEAD_AUDIT_SUBJ_PID, &u64));
	EXPECT_FALSE(bh_audit_get_u32(&r, BULKHEAD_AUDIT_FIELD_MAX + 1, &u32));
}

/* BH-AUD-1: the builder refuses a field that would push the record past its maximum. */
TEST(builder_refuses_oversized_record)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_DENIED, 0);
	char path[BULKHEAD_AUDIT_MAX_RECORD];
	struct bh_audit_builder b;
	size_t fits = BULKHEAD_AUDIT_MAX_RECORD - BH_AUDIT_MIN_RECORD - 4;

	memset(path, 'p', sizeof(path));
	bh_audit_build_start(&b, &h);
	EXPECT_EQ(-EMSGSIZE, bh_audit_build_put(&b, BULKHEAD_AUDIT_OBJ_PATH, path, fits + 1));
	EXPECT_EQ(0, bh_audit_build_put(&b, BULKHEAD_AUDIT_OBJ_PATH, path, fits));
	EXPECT_EQ(BULKHEAD_AUDIT_MAX_RECORD, bh_audit_build_end(&b));
}

/* Malformed records: each variant breaks one rule of the format. */
static void poke(struct bh_audit_builder *b, size_t off, const void *v, size_t len)
{
	memcpy(b->data + off, v, len);
}

static void poke16(struct bh_audit_builder *b, size_t off, uint16_t v)
{
	poke(b, off, &v, sizeof(v));
}

#define HDR_OFF(member) offsetof(struct bulkhead_audit_hdr, member)
#define FIRST_FIELD BH_AUDIT_HDR_LEN	/* sample_decision's: from "b", padded to 4 */

static size_t bad_version(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, HDR_OFF(version), BULKHEAD_AUDIT_VERSION + 1);
	return n;
}

static size_t size_below_minimum(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, HDR_OFF(size), BH_AUDIT_MIN_RECORD - 4);
	return n;
}

static size_t size_above_maximum(struct bh_audit_builder *b)
{
	sample_decision(b);
	poke16(b, HDR_OFF(size), BULKHEAD_AUDIT_MAX_RECORD + 4);
	return sizeof(b->data);
}

static size_t size_not_multiple_of_4(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, HDR_OFF(size), n + 2);
	return n + 2;
}

static size_t shorter_than_header(struct bh_audit_builder *b)
{
	sample_decision(b);
	return BH_AUDIT_HDR_LEN - 1;
}

static size_t shorter_than_record(struct bh_audit_builder *b)
{
	return sample_decision(b) - 1;
}

static size_t type_zero(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, HDR_OFF(type), 0);
	return n;
}

static size_t type_unknown(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, HDR_OFF(type), BULKHEAD_AUDIT_TYPE_MAX + 1);
	return n;
}

static size_t decision_unknown(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);
	uint8_t d = BULKHEAD_AUDIT_PREVENTED + 1;

	poke(b, HDR_OFF(decision), &d, 1);
	return n;
}

static size_t field_runs_into_seal(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, FIRST_FIELD + offsetof(struct bulkhead_audit_field, len), n);
	return n;
}

static size_t field_type_zero(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke16(b, FIRST_FIELD + offsetof(struct bulkhead_audit_field, type), 0);
	return n;
}

static size_t padding_not_zero(struct bh_audit_builder *b)
{
	size_t n = sample_decision(b);

	poke(b, FIRST_FIELD + 4 + 1, "x", 1);	/* "b" then 3 bytes of padding */
	return n;
}

static size_t with_field(struct bh_audit_builder *b, unsigned int type, const void *v, size_t len)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_DENIED, 0);

	bh_audit_build_start(b, &h);
	bh_audit_build_put(b, type, v, len);
	return bh_audit_build_end(b);
}

static size_t u32_wrong_size(struct bh_audit_builder *b)
{
	return with_field(b, BULKHEAD_AUDIT_SUBJ_PID, "\1\2", 2);
}

static size_t u64_wrong_size(struct bh_audit_builder *b)
{
	return with_field(b, BULKHEAD_AUDIT_OBJ_INO, "\1\2\3\4", 4);
}

static size_t hash_wrong_size(struct bh_audit_builder *b)
{
	return with_field(b, BULKHEAD_AUDIT_NEW_HASH, "0123456789012345678901234567890", 31);
}

static size_t string_with_nul(struct bh_audit_builder *b)
{
	return with_field(b, BULKHEAD_AUDIT_SUBJ_COMM, "a\0b", 3);
}

FIXTURE(malformed) {
	struct bh_audit_builder b;
	struct bh_audit_record r;
	char why[BH_AUDIT_WHY_LEN];
};

FIXTURE_VARIANT(malformed) {
	size_t (*make)(struct bh_audit_builder *b);
	int err;
	const char *why;
};

FIXTURE_SETUP(malformed) {}
FIXTURE_TEARDOWN(malformed) {}

#define MALFORMED(name, e, text) \
	FIXTURE_VARIANT_ADD(malformed, name) { .make = name, .err = e, .why = text }

MALFORMED(bad_version, -EBADMSG, "format version 2, not 1");
MALFORMED(size_below_minimum, -EBADMSG, "size 76, outside 80..1024");
MALFORMED(size_above_maximum, -EBADMSG, "size 1028, outside 80..1024");
MALFORMED(size_not_multiple_of_4, -EBADMSG, "not a multiple of 4");
MALFORMED(shorter_than_header, -ENODATA, "47 bytes, less than a record header");
MALFORMED(shorter_than_record, -ENODATA, "of the record's");
MALFORMED(type_zero, -EBADMSG, "unknown record type 0");
MALFORMED(type_unknown, -EBADMSG, "unknown record type 14");
MALFORMED(decision_unknown, -EBADMSG, "unknown decision 5");
MALFORMED(field_runs_into_seal, -EBADMSG, "field 1 (type 8): 132 bytes run into the seal");
MALFORMED(field_type_zero, -EBADMSG, "field 1: type 0");
MALFORMED(padding_not_zero, -EBADMSG, "field 1 (type 8): padding not zero");
MALFORMED(u32_wrong_size, -EBADMSG, "field 1 (pid): 2 bytes, not 4");
MALFORMED(u64_wrong_size, -EBADMSG, "field 1 (ino): 4 bytes, not 8");
MALFORMED(hash_wrong_size, -EBADMSG, "field 1 (new_hash): 31 bytes, not 32");
MALFORMED(string_with_nul, -EBADMSG, "field 1 (comm): a NUL inside the string");

/* BH-AUD-1: each malformation is refused, and the reason names it. */
TEST_F(malformed, refused)
{
	size_t len = variant->make(&self->b);

	EXPECT_EQ(variant->err, bh_audit_record_parse(&self->r, self->b.data, len, self->why,
						      sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, variant->why)) {
		TH_LOG("why: %s", self->why);
	}
}

/* BH-AUD-1: a newer module's field is accepted, iterated, and left out of the printed line. */
TEST(unknown_field_type_skipped)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_MODE, BULKHEAD_AUDIT_NONE,
					     BULKHEAD_AUDIT_NO_HOOK);
	struct bh_audit_field f = { 0 };
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_FIELD_MAX + 9, 77);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_NEW_MODE, BULKHEAD_MODE_AUDIT);
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	ASSERT_TRUE(bh_audit_field_next(&r, &f));
	EXPECT_EQ(BULKHEAD_AUDIT_FIELD_MAX + 9, f.type);
	EXPECT_STREQ("seq=12 time=2026-11-26T22:01:02.123456789Z boot=12.345000000 event=mode new_mode=audit gen=3 epoch=0\n",
		     printed(&r, false));
}

/* BH-AUD-1: names for every record type, decision, failure mode, field and hook. */
TEST(names_cover_every_value)
{
	unsigned int i, j;

	for (i = 1; i <= BULKHEAD_AUDIT_TYPE_MAX; i++)
		EXPECT_NE(NULL, bh_audit_type_name(i));
	EXPECT_EQ(NULL, bh_audit_type_name(0));
	EXPECT_EQ(NULL, bh_audit_type_name(BULKHEAD_AUDIT_TYPE_MAX + 1));
	EXPECT_STREQ("key_taken", bh_audit_type_name(BULKHEAD_AUDIT_KEY_TAKEN));
	EXPECT_STREQ("would_deny", bh_audit_decision_name(BULKHEAD_AUDIT_WOULD_DENY));
	EXPECT_STREQ("prevented", bh_audit_decision_name(BULKHEAD_AUDIT_PREVENTED));
	EXPECT_EQ(NULL, bh_audit_decision_name(BULKHEAD_AUDIT_PREVENTED + 1));
	EXPECT_STREQ("block", bh_audit_failure_name(BULKHEAD_AUDIT_FAIL_BLOCK));
	EXPECT_EQ(NULL, bh_audit_failure_name(BULKHEAD_AUDIT_FAIL_MAX + 1));
	/* Field names are keys of one line: each must be unique. */
	for (i = 1; i <= BULKHEAD_AUDIT_FIELD_MAX; i++) {
		ASSERT_NE(NULL, bh_audit_field_name(i));
		for (j = 1; j < i; j++)
			EXPECT_STRNE(bh_audit_field_name(i), bh_audit_field_name(j));
	}
	EXPECT_EQ(NULL, bh_audit_field_name(0));
	EXPECT_EQ(NULL, bh_audit_field_name(BULKHEAD_AUDIT_FIELD_MAX + 1));
	for (i = 0; i <= BULKHEAD_HOOK_MAX; i++)
		EXPECT_NE(NULL, bh_hook_name(i));
	EXPECT_STREQ("file_open", bh_hook_name(BULKHEAD_HOOK_FILE_OPEN));
	EXPECT_STREQ("socket_connect", bh_hook_name(BULKHEAD_HOOK_SOCKET_CONNECT));
	EXPECT_STREQ("task_alloc", bh_hook_name(BULKHEAD_HOOK_TASK_ALLOC));
	EXPECT_STREQ("nf_forward", bh_hook_name(BULKHEAD_HOOK_NF_FORWARD));
	EXPECT_EQ(NULL, bh_hook_name(BULKHEAD_HOOK_MAX + 1));
}

/* --- the printers ----------------------------------------------------------------------------- */

/* BH-AUD-1 */
TEST(text_line_for_sample_decision)
{
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size = sample_decision(&b);

	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_STREQ("seq=12 time=2026-11-26T22:01:02.123456789Z boot=12.345000000 event=decision decision=denied op=file_open from=b to=a channel=file pid=4242 comm=\"cat\" name=\"/srv/x\" gen=3 epoch=0\n",
		     printed(&r, false));
}

/* BH-AUD-1 */
TEST(json_line_for_sample_decision)
{
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size = sample_decision(&b);

	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_STREQ("{\"seq\":12,\"time\":\"2026-11-26T22:01:02.123456789Z\",\"boot\":\"12.345000000\",\"event\":\"decision\",\"decision\":\"denied\",\"op\":\"file_open\",\"from\":\"b\",\"to\":\"a\",\"channel\":\"file\",\"pid\":4242,\"comm\":\"cat\",\"name\":\"/srv/x\",\"gen\":3,\"epoch\":0}\n",
		     printed(&r, true));
}

/* BH-AUD-1: a string cannot break the line: quotes, backslashes and other bytes escaped. */
TEST(strings_escaped_in_both_lines)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_ALLOWED,
					     200);	/* a hook number no kernel has: printed as such */
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_SUBJ_COMM, "a\"b\\c\nd\x01 e=\x7f");
	bh_audit_build_string(&b, BULKHEAD_AUDIT_OBJ_PATH, "/\xff/\xc3\xa9/\xed\xa0\x80");
	bh_audit_build_string(&b, BULKHEAD_AUDIT_FROM_DOMAIN, "two words");
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_STREQ("seq=12 time=2026-11-26T22:01:02.123456789Z boot=12.345000000 event=decision decision=allowed op=200 comm=\"a\\\"b\\\\c\\x0ad\\x01 e=\\x7f\" name=\"/\\xff/\\xc3\\xa9/\\xed\\xa0\\x80\" from=\"two words\" gen=3 epoch=0\n",
		     printed(&r, false));
	/* JSON must be UTF-8: bytes outside it (a lone 0xff, a surrogate) become U+FFFD. */
	EXPECT_STREQ("{\"seq\":12,\"time\":\"2026-11-26T22:01:02.123456789Z\",\"boot\":\"12.345000000\",\"event\":\"decision\",\"decision\":\"allowed\",\"op\":200,\"comm\":\"a\\\"b\\\\c\\nd\\u0001 e=\\u007f\",\"name\":\"/\xef\xbf\xbd/\xc3\xa9/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"from\":\"two words\",\"gen\":3,\"epoch\":0}\n",
		     printed(&r, true));
}

/* BH-AUD-1: management records' values as names, hex, times and device numbers. */
TEST(management_values_named)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_POLICY, BULKHEAD_AUDIT_NONE,
					     BULKHEAD_AUDIT_NO_HOOK);
	uint8_t old_hash[BULKHEAD_HASH_LEN], new_hash[BULKHEAD_HASH_LEN];
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	memset(old_hash, 0xab, sizeof(old_hash));
	fill_key(new_hash, 0);
	h.flags = BULKHEAD_AUDIT_F_TRUNCATED;
	bh_audit_build_start(&b, &h);
	bh_audit_build_u64(&b, BULKHEAD_AUDIT_OLD_GENERATION, 2);
	bh_audit_build_put(&b, BULKHEAD_AUDIT_OLD_HASH, old_hash, sizeof(old_hash));
	bh_audit_build_put(&b, BULKHEAD_AUDIT_NEW_HASH, new_hash, sizeof(new_hash));
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_OLD_MODE, BULKHEAD_MODE_OFF);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_NEW_MODE, BULKHEAD_MODE_MAX + 7);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_FAILURE_MODE, BULKHEAD_AUDIT_FAIL_BLOCK);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_READER_EVENT, 1);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_OBJ_DEV, 8 << 20 | 17);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_CHANNEL, BULKHEAD_CHAN_FILE | BULKHEAD_CHAN_NET | 1U << 9);
	bh_audit_build_u64(&b, BULKHEAD_AUDIT_LOST_FROM_NS, 1500000000ULL);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SUBJ_LOGINUID, 4294967295U);
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_STREQ("seq=12 time=2026-11-26T22:01:02.123456789Z boot=12.345000000 event=policy old_gen=2 "
		     "old_hash=abababababababababababababababababababababababababababababababab "
		     "new_hash=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		     "old_mode=off new_mode=9 failure_mode=block reader=attached dev=8:17 channel=file,net,0x200 "
		     "lost_from=1.500000000 auid=4294967295 gen=3 epoch=0 truncated=yes\n",
		     printed(&r, false));
}

/* A denial by the lock names its rule; the lock event names the mode it fixed. */
TEST(lock_values_named)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_DENIED,
					     BULKHEAD_HOOK_INODE_UNLINK);
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_RULE, BULKHEAD_AUDIT_RULE_LOCK);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_RULE, 9);
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false), " event=decision decision=denied op=inode_unlink rule=lock rule=9 "));
	EXPECT_NE(NULL, strstr(printed(&r, true), "\"rule\":\"lock\""));

	h = header(BULKHEAD_AUDIT_LOCK, BULKHEAD_AUDIT_NONE, BULKHEAD_AUDIT_NO_HOOK);
	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_NEW_MODE, BULKHEAD_MODE_ENFORCE);
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false), " event=lock new_mode=enforce "));
}

/* A self-test record names the tests that failed, "none" when all passed, an unknown bit in hex. */
TEST(selftest_values_named)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_SELFTEST, BULKHEAD_AUDIT_NONE,
					     BULKHEAD_AUDIT_NO_HOOK);
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SELFTEST_FAILED, 0);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_SELFTEST_FAILED,
			   BULKHEAD_SELFTEST_SHA256 | BULKHEAD_SELFTEST_DECIDE | 0x100);
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false),
			       " event=selftest failed_tests=none failed_tests=sha256,decide,0x100 "));
	EXPECT_NE(NULL, strstr(printed(&r, true), "\"failed_tests\":\"none\""));
}

/* A transfer record as the module appends it for an exchange's guard. */
static size_t sample_transfer(struct bh_audit_builder *b, uint32_t verdict, const char *reason)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_TRANSFER, BULKHEAD_AUDIT_NONE,
					     BULKHEAD_AUDIT_NO_HOOK);
	uint8_t sha[BULKHEAD_HASH_LEN];

	fill_key(sha, 0xa0);
	bh_audit_build_start(b, &h);
	bh_audit_build_u32(b, BULKHEAD_AUDIT_SUBJ_PID, 300);
	bh_audit_build_string(b, BULKHEAD_AUDIT_SUBJ_COMM, "bulkhead");
	bh_audit_build_string(b, BULKHEAD_AUDIT_EXCHANGE, "low-high");
	bh_audit_build_string(b, BULKHEAD_AUDIT_FROM_DOMAIN, "low");
	bh_audit_build_string(b, BULKHEAD_AUDIT_TO_DOMAIN, "high");
	bh_audit_build_u64(b, BULKHEAD_AUDIT_TRANSFER_ID, 7);
	bh_audit_build_string(b, BULKHEAD_AUDIT_FILE_NAME, "q3 \"final\".txt");
	if (verdict == BULKHEAD_TRANSFER_DELIVERED)
		bh_audit_build_string(b, BULKHEAD_AUDIT_DELIVERED_AS, "q3 \"final\".txt.1");
	bh_audit_build_u64(b, BULKHEAD_AUDIT_FILE_SIZE, 18);
	bh_audit_build_put(b, BULKHEAD_AUDIT_SHA256, sha, sizeof(sha));
	bh_audit_build_u32(b, BULKHEAD_AUDIT_VERDICT, verdict);
	if (reason)
		bh_audit_build_string(b, BULKHEAD_AUDIT_REASON, reason);
	bh_audit_build_string(b, BULKHEAD_AUDIT_FILTER, "clean");
	bh_audit_build_u32(b, BULKHEAD_AUDIT_SENDER_UID, 1000);
	return bh_audit_build_end(b);
}

/* BH-EXCH-7: a transfer record's fields under their trail names, the verdict by name. */
TEST(transfer_record_printed)
{
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size = sample_transfer(&b, BULKHEAD_TRANSFER_DELIVERED, NULL);

	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_STREQ("seq=12 time=2026-11-26T22:01:02.123456789Z boot=12.345000000 event=transfer "
		     "pid=300 comm=\"bulkhead\" exchange=low-high from=low to=high transfer_id=7 "
		     "file=\"q3 \\\"final\\\".txt\" delivered_as=\"q3 \\\"final\\\".txt.1\" size=18 "
		     "sha256=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf "
		     "verdict=delivered filter=\"clean\" sender_uid=1000 gen=3 epoch=0\n",
		     printed(&r, false));
	EXPECT_STREQ("{\"seq\":12,\"time\":\"2026-11-26T22:01:02.123456789Z\",\"boot\":\"12.345000000\","
		     "\"event\":\"transfer\",\"pid\":300,\"comm\":\"bulkhead\",\"exchange\":\"low-high\","
		     "\"from\":\"low\",\"to\":\"high\",\"transfer_id\":7,\"file\":\"q3 \\\"final\\\".txt\","
		     "\"delivered_as\":\"q3 \\\"final\\\".txt.1\",\"size\":18,"
		     "\"sha256\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\","
		     "\"verdict\":\"delivered\",\"filter\":\"clean\",\"sender_uid\":1000,\"gen\":3,"
		     "\"epoch\":0}\n",
		     printed(&r, true));

	size = sample_transfer(&b, BULKHEAD_TRANSFER_REJECTED, "type:image/png");
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false),
			       " size=18 sha256=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf verdict=rejected reason=\"type:image/png\" filter=\"clean\" "));
	EXPECT_EQ(NULL, strstr(printed(&r, false), "delivered_as="));
	size = sample_transfer(&b, BULKHEAD_TRANSFER_FAILED, "staged-copy-changed");
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, true), "\"verdict\":\"failed\",\"reason\":\"staged-copy-changed\""));
	/* A verdict a newer module adds is printed as its number. */
	size = sample_transfer(&b, BULKHEAD_TRANSFER_MAX + 1, NULL);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false), " verdict=3 "));
}

/*
 * A task outside the guard domain refused by the guard rule; box domains, named
 * "EXCHANGE.outbox" and "EXCHANGE.inbox", are names like any other, printed bare.
 */
TEST(guard_rule_and_box_domains_named)
{
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_TRANSFER, BULKHEAD_AUDIT_DENIED,
					     BULKHEAD_AUDIT_NO_HOOK);
	struct bh_audit_builder b;
	struct bh_audit_record r;
	size_t size;

	bh_audit_build_start(&b, &h);
	bh_audit_build_u32(&b, BULKHEAD_AUDIT_RULE, BULKHEAD_AUDIT_RULE_GUARD);
	bh_audit_build_string(&b, BULKHEAD_AUDIT_EXCHANGE, "low-high");
	bh_audit_build_string(&b, BULKHEAD_AUDIT_FROM_DOMAIN, "low-high.outbox");
	bh_audit_build_string(&b, BULKHEAD_AUDIT_TO_DOMAIN, "low-high.inbox");
	size = bh_audit_build_end(&b);
	ASSERT_EQ((int)size, bh_audit_record_parse(&r, b.data, size, NULL, 0));
	EXPECT_NE(NULL, strstr(printed(&r, false),
			       " event=transfer decision=denied rule=guard exchange=low-high from=low-high.outbox to=low-high.inbox gen=3 "));
	EXPECT_NE(NULL, strstr(printed(&r, true),
			       "\"rule\":\"guard\",\"exchange\":\"low-high\",\"from\":\"low-high.outbox\",\"to\":\"low-high.inbox\""));
}

/* --- keys and seals ----------------------------------------------------------------------------- */

/* K[e + 1] = SHA-256(label || K[e]), computed here without the library. */
static void next_key_independently(uint8_t out[KEY_LEN], const uint8_t key[KEY_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, "bulkhead-audit-key", 18);
	EVP_DigestUpdate(ctx, key, KEY_LEN);
	EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
}

/* HMAC-SHA256(key, prev || body), with the EVP_MAC interface rather than EVP_Q_mac(). */
static void hmac_independently(uint8_t out[SEAL_LEN], const uint8_t key[KEY_LEN],
			       const uint8_t prev[SEAL_LEN], const void *body, size_t len)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t n;

	EVP_MAC_init(ctx, key, KEY_LEN, params);
	EVP_MAC_update(ctx, prev, SEAL_LEN);
	EVP_MAC_update(ctx, body, len);
	EVP_MAC_final(ctx, out, &n, SEAL_LEN);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

/* BH-AUD-2 */
TEST(key_evolves_forward)
{
	uint8_t k0[KEY_LEN], k1[KEY_LEN], again[KEY_LEN], expect[KEY_LEN], k3[KEY_LEN];

	fill_key(k0, 1);
	memcpy(k1, k0, KEY_LEN);
	ASSERT_EQ(0, bh_audit_key_next(k1));
	EXPECT_NE(0, memcmp(k0, k1, KEY_LEN));
	memcpy(again, k0, KEY_LEN);
	ASSERT_EQ(0, bh_audit_key_next(again));
	EXPECT_EQ(0, memcmp(k1, again, KEY_LEN));
	next_key_independently(expect, k0);
	EXPECT_EQ(0, memcmp(expect, k1, KEY_LEN));

	next_key_independently(expect, k1);
	next_key_independently(expect, memcpy(again, expect, KEY_LEN));
	ASSERT_EQ(0, bh_audit_key_derive(k3, k0, 3));
	EXPECT_EQ(0, memcmp(expect, k3, KEY_LEN));
	ASSERT_EQ(0, bh_audit_key_derive(again, k0, 0));
	EXPECT_EQ(0, memcmp(k0, again, KEY_LEN));
}

/* BH-AUD-2 */
TEST(seal_is_hmac_over_previous_seal_and_record)
{
	uint8_t key[KEY_LEN], prev[SEAL_LEN], seal[SEAL_LEN], expect[SEAL_LEN];
	struct bh_audit_builder b;
	size_t size = sample_decision(&b);

	fill_key(key, 7);
	memset(prev, 0x5a, sizeof(prev));
	ASSERT_EQ(0, bh_audit_seal(seal, key, prev, b.data, size));
	hmac_independently(expect, key, prev, b.data, size - SEAL_LEN);
	EXPECT_EQ(0, memcmp(expect, seal, SEAL_LEN));
	EXPECT_EQ(-EINVAL, bh_audit_seal(seal, key, prev, b.data, SEAL_LEN - 1));
}

/* BH-AUD-2: seq from 1, the epoch field, the key moving on at each epoch, the chain. */
TEST(sealer_numbers_and_chains_records)
{
	uint8_t key[KEY_LEN], k1[KEY_LEN], prev[SEAL_LEN] = { 0 }, expect[SEAL_LEN];
	struct bh_audit_sealer s;
	struct bh_audit_builder b;
	struct bulkhead_audit_hdr h;
	uint64_t seq;
	size_t size;

	fill_key(key, 3);
	next_key_independently(k1, key);
	bh_audit_sealer_init(&s, key);
	for (seq = 1; seq <= EPOCH + 2; seq++) {
		size = sample_decision(&b);
		ASSERT_EQ(0, bh_audit_sealer_seal(&s, b.data));
		memcpy(&h, b.data, sizeof(h));
		ASSERT_EQ(seq, h.seq);
		ASSERT_EQ((seq - 1) / EPOCH, h.epoch);
		hmac_independently(expect, seq <= EPOCH ? key : k1, prev, b.data, size - SEAL_LEN);
		ASSERT_EQ(0, memcmp(expect, b.data + size - SEAL_LEN, SEAL_LEN)) {
			TH_LOG("record %llu", (unsigned long long)seq);
		}
		memcpy(prev, expect, SEAL_LEN);
	}
}

/* BH-AUD-2 */
TEST(key_hex_round_trip)
{
	char text[BH_AUDIT_KEY_HEX_LEN + 1], upper[BH_AUDIT_KEY_HEX_LEN + 8];
	uint8_t key[KEY_LEN], back[KEY_LEN];
	int i;

	fill_key(key, 0xe0);
	bh_audit_key_format(text, key);
	EXPECT_STREQ("e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", text);
	ASSERT_EQ(0, bh_audit_key_parse(back, text));
	EXPECT_EQ(0, memcmp(key, back, KEY_LEN));
	/* As a key file holds it: upper case is fine, and the newline. */
	for (i = 0; text[i]; i++)
		upper[i] = text[i] >= 'a' ? text[i] - 'a' + 'A' : text[i];
	strcpy(upper + i, "\n");
	memset(back, 0, sizeof(back));
	ASSERT_EQ(0, bh_audit_key_parse(back, upper));
	EXPECT_EQ(0, memcmp(key, back, KEY_LEN));
}

/* BH-AUD-2: anything but 64 hex digits is refused, and the key is left alone. */
TEST(key_hex_refuses_malformed)
{
	static const char *const bad[] = {
		"",
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfef",	/* 63 */
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0",	/* 65 */
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeffe0",	/* 66 */
		"g0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeef f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		"0xe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfe",
	};
	uint8_t key[KEY_LEN], untouched[KEY_LEN];
	unsigned int i;

	memset(untouched, 0x42, sizeof(untouched));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(key, untouched, KEY_LEN);
		EXPECT_EQ(-EINVAL, bh_audit_key_parse(key, bad[i])) {
			TH_LOG("accepted '%s'", bad[i]);
		}
		EXPECT_EQ(0, memcmp(untouched, key, KEY_LEN));
	}
}

/* --- trails --------------------------------------------------------------------------------- */

/* A trail as the module writes it, with where each record starts. */
struct trail {
	uint8_t *data;
	size_t len;
	size_t *off;		/* record s spans off[s - 1]..off[s] */
	uint64_t n;
};

/* Record @seq of @n: LOAD first, UNLOAD last when @closed, else decisions and policies. */
static size_t trail_record(struct bh_audit_builder *b, uint64_t seq, uint64_t n, bool closed,
			   uint64_t t0)
{
	static const uint8_t hash[BULKHEAD_HASH_LEN] = { 1, 2, 3 };
	struct bulkhead_audit_hdr h = header(BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_DENIED,
					     seq % (BULKHEAD_HOOK_MAX + 1));
	char path[64];

	if (seq == 1 || (closed && seq == n) || seq % 7 == 0) {
		h.type = seq == 1 ? BULKHEAD_AUDIT_LOAD :
			 seq % 7 ? BULKHEAD_AUDIT_UNLOAD : BULKHEAD_AUDIT_POLICY;
		h.decision = BULKHEAD_AUDIT_NONE;
		h.hook = BULKHEAD_AUDIT_NO_HOOK;
	}
	h.realtime_ns = t0 + seq * 1000;
	h.boottime_ns = seq * 1000;
	bh_audit_build_start(b, &h);
	bh_audit_build_u32(b, BULKHEAD_AUDIT_SUBJ_PID, 100 + seq % 50);
	bh_audit_build_string(b, BULKHEAD_AUDIT_SUBJ_COMM, "worker");
	if (h.type == BULKHEAD_AUDIT_LOAD) {
		bh_audit_build_string(b, BULKHEAD_AUDIT_VERSION_TEXT, "0.1.0");
	} else if (h.type == BULKHEAD_AUDIT_POLICY) {
		bh_audit_build_u64(b, BULKHEAD_AUDIT_OLD_GENERATION, 2);
		bh_audit_build_put(b, BULKHEAD_AUDIT_OLD_HASH, hash, sizeof(hash));
		bh_audit_build_put(b, BULKHEAD_AUDIT_NEW_HASH, hash, sizeof(hash));
	} else if (h.type == BULKHEAD_AUDIT_DECISION) {
		snprintf(path, sizeof(path), "/srv/high/file-%llu", (unsigned long long)seq);
		bh_audit_build_string(b, BULKHEAD_AUDIT_FROM_DOMAIN, "low");
		bh_audit_build_string(b, BULKHEAD_AUDIT_TO_DOMAIN, "high");
		bh_audit_build_u32(b, BULKHEAD_AUDIT_CHANNEL, BULKHEAD_CHAN_FILE);
		bh_audit_build_string(b, BULKHEAD_AUDIT_OBJ_PATH, path);
	}
	return bh_audit_build_end(b);
}

/* @n records sealed from @key; @t0 sets the times, so trails of one key can differ. */
static int trail_make(struct trail *t, const uint8_t key[KEY_LEN], uint64_t n, bool closed,
		      uint64_t t0)
{
	struct bh_audit_builder b;
	struct bh_audit_sealer s;
	uint64_t seq;
	size_t size;

	t->data = malloc(n * BULKHEAD_AUDIT_MAX_RECORD);
	t->off = malloc((n + 1) * sizeof(*t->off));
	if (!t->data || !t->off)
		return -ENOMEM;
	t->n = n;
	t->len = 0;
	bh_audit_sealer_init(&s, key);
	for (seq = 1; seq <= n; seq++) {
		size = trail_record(&b, seq, n, closed, t0);
		if (bh_audit_sealer_seal(&s, b.data))
			return -EIO;
		t->off[seq - 1] = t->len;
		memcpy(t->data + t->len, b.data, size);
		t->len += size;
	}
	t->off[n] = t->len;
	return 0;
}

static void trail_free(struct trail *t)
{
	free(t->data);
	free(t->off);
}

/* Where tampered trails are put together. */
struct out {
	uint8_t *data;
	size_t len;
};

/* Append records @first..@last of @t. */
static void put_records(struct out *o, const struct trail *t, uint64_t first, uint64_t last)
{
	size_t len = t->off[last] - t->off[first - 1];

	memcpy(o->data + o->len, t->data + t->off[first - 1], len);
	o->len += len;
}

struct file {
	const char *name;
	const uint8_t *data;
	size_t len;
};

/* Verify @files in order, fed @chunk bytes at a time (0: each file at once). */
static const struct bh_audit_report *verify(struct bh_audit_verifier *v, const uint8_t key[KEY_LEN],
					    uint64_t last, const struct file *files, size_t n,
					    size_t chunk)
{
	size_t i, off, step;

	bh_audit_verifier_init(v, key, last);
	for (i = 0; i < n && !bh_audit_verifier_done(v); i++) {
		bh_audit_verifier_begin_file(v, files[i].name);
		for (off = 0; off < files[i].len; off += step) {
			step = files[i].len - off;
			if (chunk && chunk < step)
				step = chunk;
			bh_audit_verifier_feed(v, files[i].data + off, step);
		}
		bh_audit_verifier_end_file(v);
	}
	return bh_audit_verifier_finish(v);
}

static const struct bh_audit_report *verify_one(struct bh_audit_verifier *v,
						const uint8_t key[KEY_LEN], uint64_t last,
						const void *data, size_t len)
{
	struct file f = { "t", data, len };

	return verify(v, key, last, &f, 1, 0);
}

/* The report as "bulkhead audit verify" prints it, without the newline. */
static const char *line(const struct bh_audit_report *r, bool json)
{
	static char text[1024];
	FILE *out = fmemopen(text, sizeof(text), "w");

	bh_audit_report_print(out, r, json);
	fclose(out);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

FIXTURE(trail) {
	uint8_t key[KEY_LEN];
	struct trail a;
	struct out out;
	struct bh_audit_verifier v;
};

FIXTURE_SETUP(trail)
{
	fill_key(self->key, 0x11);
	ASSERT_EQ(0, trail_make(&self->a, self->key, N_RECORDS, true, SAMPLE_TIME));
	self->out.data = malloc(2 * self->a.len);
	ASSERT_NE(NULL, self->out.data);
}

FIXTURE_TEARDOWN(trail)
{
	trail_free(&self->a);
	free(self->out.data);
}

/* BH-AUD-5 */
TEST_F(trail, intact_trail_verifies)
{
	const struct bh_audit_report *r = verify_one(&self->v, self->key, N_RECORDS, self->a.data,
						     self->a.len);

	EXPECT_STREQ("verified: 3000 records, seq 1..3000, 3 epochs, closed", line(r, false));
	EXPECT_STREQ("{\"result\":\"verified\",\"records\":3000,\"first_seq\":1,\"last_seq\":3000,\"epochs\":3,\"closed\":true}",
		     line(r, true));
}

/* BH-AUD-5: files cut at record boundaries, an empty one, bytes fed in odd pieces. */
TEST_F(trail, split_and_streamed_trail_verifies)
{
	const struct trail *a = &self->a;
	struct file files[] = {
		{ "t1", a->data, a->off[1000] },
		{ "t2", a->data + a->off[1000], 0 },
		{ "t3", a->data + a->off[1000], a->off[2500] - a->off[1000] },
		{ "t4", a->data + a->off[2500], a->len - a->off[2500] },
	};

	EXPECT_STREQ("verified: 3000 records, seq 1..3000, 3 epochs, closed",
		     line(verify(&self->v, self->key, 0, files, 4, 7), false));
}

/* BH-AUD-5: the verifier reads files itself. */
TEST_F(trail, trail_read_from_files)
{
	char path[] = "/tmp/bulkhead-audit-test-XXXXXX", expect[128];
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)self->a.len, write(fd, self->a.data, self->a.len));
	close(fd);
	bh_audit_verifier_init(&self->v, self->key, 0);
	EXPECT_EQ(0, bh_audit_verify_file(&self->v, path));
	EXPECT_STREQ("verified: 3000 records, seq 1..3000, 3 epochs, closed",
		     line(bh_audit_verifier_finish(&self->v), false));
	unlink(path);

	bh_audit_verifier_init(&self->v, self->key, 0);
	EXPECT_EQ(-ENOENT, bh_audit_verify_file(&self->v, path));
	snprintf(expect, sizeof(expect), "unverifiable: %s: No such file or directory", path);
	EXPECT_STREQ(expect, line(bh_audit_verifier_finish(&self->v), false));
}

/* BH-AUD-6: a file ending inside a record. */
TEST_F(trail, truncated_inside_record)
{
	const struct bh_audit_report *r;
	char expect[256];
	size_t start = self->a.off[N_RECORDS - 1];

	r = verify_one(&self->v, self->key, 0, self->a.data, start + 50);
	snprintf(expect, sizeof(expect),
		 "tampered: t: offset %zu: truncated: the file ends 50 bytes into a %zu-byte record (record 3000 expected)",
		 start, self->a.len - start);
	EXPECT_STREQ(expect, line(r, false));
	EXPECT_EQ(2999, r->records);

	r = verify_one(&self->v, self->key, 0, self->a.data, start + 10);
	snprintf(expect, sizeof(expect),
		 "tampered: t: offset %zu: truncated: the file ends 10 bytes into a record header (record 3000 expected)",
		 start);
	EXPECT_STREQ(expect, line(r, false));
}

/* BH-AUD-6: cut between records, the trail looks whole unless its last record is known. */
TEST_F(trail, truncated_at_record_boundary)
{
	size_t len = self->a.off[2000];

	EXPECT_STREQ("verified: 2000 records, seq 1..2000, 2 epochs, open",
		     line(verify_one(&self->v, self->key, 0, self->a.data, len), false));
	EXPECT_STREQ("verified: 2000 records, seq 1..2000, 2 epochs, open",
		     line(verify_one(&self->v, self->key, 2000, self->a.data, len), false));
	EXPECT_STREQ("tampered: t: record 2001: truncated: the trail ends after record 2000, but goes to 3000",
		     line(verify_one(&self->v, self->key, N_RECORDS, self->a.data, len), false));
}

/* BH-AUD-6 */
TEST_F(trail, deleted_record)
{
	put_records(&self->out, &self->a, 1, MID - 1);
	put_records(&self->out, &self->a, MID + 1, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1501: deleted: record 1500 is missing before it",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: a run of records across an epoch boundary. */
TEST_F(trail, deleted_records)
{
	put_records(&self->out, &self->a, 1, 1999);
	put_records(&self->out, &self->a, 2101, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 2101: deleted: records 2000..2100 are missing before it",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: two records swapped. */
TEST_F(trail, reordered_records)
{
	put_records(&self->out, &self->a, 1, MID - 1);
	put_records(&self->out, &self->a, MID + 1, MID + 1);
	put_records(&self->out, &self->a, MID, MID);
	put_records(&self->out, &self->a, MID + 2, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1501: reordered: it comes before record 1500, which follows later",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: a record moved far later is reordering, not deletion. */
TEST_F(trail, record_moved_later)
{
	put_records(&self->out, &self->a, 1, MID - 1);
	put_records(&self->out, &self->a, MID + 1, 2800);
	put_records(&self->out, &self->a, MID, MID);
	put_records(&self->out, &self->a, 2801, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1501: reordered: it comes before record 1500, which follows later",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6 */
TEST_F(trail, duplicated_record)
{
	put_records(&self->out, &self->a, 1, MID);
	put_records(&self->out, &self->a, MID, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1500: reordered: the record before it, again",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: an old record replayed further on. */
TEST_F(trail, old_record_replayed_later)
{
	put_records(&self->out, &self->a, 1, MID);
	put_records(&self->out, &self->a, 700, 700);
	put_records(&self->out, &self->a, MID + 1, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 700: reordered: it follows record 1500: the trail goes back",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: record 1 changed: record 2 shows the key is right; or its seq field changed. */
TEST_F(trail, first_record_modified)
{
	memcpy(self->out.data, self->a.data, self->a.len);
	self->out.data[HDR_OFF(realtime_ns)] ^= 1;
	EXPECT_STREQ("tampered: t: record 1: modified: the seal does not match, but record 2 verifies against it: record 1 was changed",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->a.len), false));
	memcpy(self->out.data, self->a.data, self->a.len);
	self->out.data[HDR_OFF(seq)] ^= 2;
	EXPECT_STREQ("tampered: t: record 1: modified: its seq field was changed to 3",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->a.len), false));
}

/* BH-AUD-6: an old trail offered with a key of another boot. */
TEST_F(trail, replayed_with_another_key)
{
	uint8_t other[KEY_LEN];

	fill_key(other, 0x77);
	EXPECT_STREQ("tampered: t: record 1: replayed or wrong key: the first record does not verify with this key: wrong key, or a trail of another boot",
		     line(verify_one(&self->v, other, 0, self->a.data, self->a.len), false));
}

/* BH-AUD-6: two trails of different keys, joined where one file ends and the next begins. */
TEST_F(trail, spliced_trails_of_different_keys)
{
	uint8_t other_key[KEY_LEN];
	struct trail b;
	struct file files[2] = { { "t1", self->a.data, self->a.off[MID] } };

	fill_key(other_key, 0x77);
	ASSERT_EQ(0, trail_make(&b, other_key, N_RECORDS, true, SAMPLE_TIME));
	files[1] = (struct file){ "t2", b.data + b.off[MID], b.len - b.off[MID] };
	EXPECT_STREQ("tampered: t2: record 1501: spliced: the seal chain breaks where the file begins: it continues another trail",
		     line(verify(&self->v, self->key, 0, files, 2, 0), false));
	trail_free(&b);
}

/* BH-AUD-6: the same key, trails that started differently: the chain still breaks. */
TEST_F(trail, spliced_trails_of_one_key)
{
	struct trail b;
	struct file files[2] = { { "t1", self->a.data, self->a.off[MID] } };

	ASSERT_EQ(0, trail_make(&b, self->key, N_RECORDS, true, SAMPLE_TIME + 5000000000ULL));
	files[1] = (struct file){ "t2", b.data + b.off[MID], b.len - b.off[MID] };
	EXPECT_STREQ("tampered: t2: record 1501: spliced: the seal chain breaks where the file begins: it continues another trail",
		     line(verify(&self->v, self->key, 0, files, 2, 0), false));
	/* Inside one file, the same break is a modification. */
	put_records(&self->out, &self->a, 1, MID);
	put_records(&self->out, &b, MID + 1, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1501: modified: the seal does not match: the record or its seal was changed",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
	trail_free(&b);
}

/* BH-AUD-6: another boot's trail (its LOAD record) inside this one. */
TEST_F(trail, load_record_inside_trail)
{
	put_records(&self->out, &self->a, 1, MID);
	put_records(&self->out, &self->a, 1, N_RECORDS);
	EXPECT_STREQ("tampered: t: record 1: spliced: a LOAD record after record 1500: another trail starts here",
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

/* BH-AUD-6: trails that say nothing either way. */
TEST_F(trail, unverifiable_trails)
{
	EXPECT_STREQ("unverifiable: no records: the input is empty",
		     line(verify_one(&self->v, self->key, 0, self->a.data, 0), false));
	EXPECT_STREQ("unverifiable: t: the trail starts at record 2, not 1: the records before it are missing",
		     line(verify_one(&self->v, self->key, 0, self->a.data + self->a.off[1],
				     self->a.len - self->a.off[1]), false));
	EXPECT_STREQ("{\"result\":\"unverifiable\",\"reason\":\"no records: the input is empty\"}",
		     line(verify_one(&self->v, self->key, 0, self->a.data, 0), true));
}

/* BH-AUD-6: the verdict in JSON names the same record and class. */
TEST_F(trail, tampered_report_in_json)
{
	char expect[512];

	put_records(&self->out, &self->a, 1, MID - 1);
	put_records(&self->out, &self->a, MID + 1, N_RECORDS);
	snprintf(expect, sizeof(expect),
		 "{\"result\":\"tampered\",\"file\":\"t\",\"seq\":1501,\"offset\":%zu,\"class\":\"deleted\",\"detail\":\"record 1500 is missing before it\",\"records\":1499,\"first_seq\":1,\"last_seq\":1499,\"epochs\":2,\"closed\":false}",
		 self->a.off[MID - 1]);
	EXPECT_STREQ(expect,
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), true));
}

/* One byte of record MID changed: each variant a place in it, and the verdict expected. */
FIXTURE(modified) {
	uint8_t key[KEY_LEN];
	struct trail a;
	struct bh_audit_verifier v;
};

FIXTURE_VARIANT(modified) {
	size_t at;			/* from the record's start, or its end when from_end */
	bool from_end;
	uint8_t flip;
	enum bh_audit_tamper tamper;
	bool at_offset;
};

FIXTURE_SETUP(modified)
{
	fill_key(self->key, 0x11);
	ASSERT_EQ(0, trail_make(&self->a, self->key, N_RECORDS, true, SAMPLE_TIME));
}

FIXTURE_TEARDOWN(modified)
{
	trail_free(&self->a);
}

FIXTURE_VARIANT_ADD(modified, header_seq) {
	.at = HDR_OFF(seq), .flip = 0x01, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, header_time) {
	.at = HDR_OFF(realtime_ns) + 2, .flip = 0x10, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, header_type) {
	.at = HDR_OFF(type), .flip = 0x01, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, header_epoch) {
	.at = HDR_OFF(epoch), .flip = 0x01, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, header_size) {
	.at = HDR_OFF(size), .flip = 0x04, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, field_value) {
	.at = BH_AUDIT_HDR_LEN + 4, .flip = 0x01, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, seal) {
	.at = 1, .from_end = true, .flip = 0x80, .tamper = BH_AUDIT_MODIFIED,
};
FIXTURE_VARIANT_ADD(modified, header_version) {
	.at = HDR_OFF(version), .flip = 0x02, .tamper = BH_AUDIT_MALFORMED, .at_offset = true,
};

/* BH-AUD-6: the changed record is named, and nothing before it is blamed. */
TEST_F(modified, changed_record_named)
{
	const struct bh_audit_report *r;
	size_t start = self->a.off[MID - 1], end = self->a.off[MID];

	self->a.data[variant->from_end ? end - variant->at : start + variant->at] ^= variant->flip;
	r = verify_one(&self->v, self->key, 0, self->a.data, self->a.len);
	ASSERT_EQ(BH_AUDIT_TAMPERED, r->result) {
		TH_LOG("%s", line(r, false));
	}
	EXPECT_EQ(variant->tamper, r->tamper) {
		TH_LOG("%s", line(r, false));
	}
	EXPECT_EQ(variant->at_offset, r->at_offset);
	EXPECT_EQ(variant->at_offset ? start : MID, variant->at_offset ? r->offset : r->seq);
	EXPECT_EQ(MID - 1, r->records);
}

/* --- records sealed with the right key that still break the format ---------------------------- */

/*
 * A module defect: record @bad is changed by @change after it is numbered, then sealed as it
 * is. Only the key holder can make such a record, so it is not tampering by someone else.
 */
static int trail_with_defect(struct out *o, const uint8_t key[KEY_LEN], uint64_t bad,
			     void (*change)(uint8_t *rec))
{
	uint8_t prev[SEAL_LEN];
	struct bh_audit_builder b;
	struct bh_audit_sealer s;
	uint64_t seq;
	size_t size;

	bh_audit_sealer_init(&s, key);
	for (seq = 1; seq <= bad + 10; seq++) {
		size = trail_record(&b, seq, bad + 10, true, SAMPLE_TIME);
		memcpy(prev, s.prev, SEAL_LEN);
		if (bh_audit_sealer_seal(&s, b.data))
			return -EIO;
		if (seq == bad) {
			change(b.data);
			if (bh_audit_seal(s.prev, s.key, prev, b.data, size))
				return -EIO;
			memcpy(b.data + size - SEAL_LEN, s.prev, SEAL_LEN);
		}
		memcpy(o->data + o->len, b.data, size);
		o->len += size;
	}
	return 0;
}

static void epoch_field_zero(uint8_t *rec)
{
	memset(rec + HDR_OFF(epoch), 0, sizeof(uint32_t));
}

/* trail_record() puts pid (8 bytes) then comm "worker" (6 bytes and 2 of padding) first. */
static void comm_padding_not_zero(uint8_t *rec)
{
	rec[BH_AUDIT_HDR_LEN + 8 + 4 + 6] = 'x';
}

static void type_load(uint8_t *rec)
{
	uint16_t type = BULKHEAD_AUDIT_LOAD;

	memcpy(rec + HDR_OFF(type), &type, sizeof(type));
}

static void type_mode(uint8_t *rec)
{
	uint16_t type = BULKHEAD_AUDIT_MODE;

	memcpy(rec + HDR_OFF(type), &type, sizeof(type));
}

FIXTURE(defect) {
	uint8_t key[KEY_LEN];
	struct out out;
	struct bh_audit_verifier v;
};

FIXTURE_VARIANT(defect) {
	uint64_t bad;
	void (*change)(uint8_t *rec);
	const char *says;
};

FIXTURE_SETUP(defect)
{
	fill_key(self->key, 0x11);
	self->out.data = malloc((variant->bad + 10) * BULKHEAD_AUDIT_MAX_RECORD);
	ASSERT_NE(NULL, self->out.data);
	ASSERT_EQ(0, trail_with_defect(&self->out, self->key, variant->bad, variant->change));
}

FIXTURE_TEARDOWN(defect)
{
	free(self->out.data);
}

FIXTURE_VARIANT_ADD(defect, wrong_epoch_field) {
	.bad = EPOCH + 1, .change = epoch_field_zero,
	.says = "tampered: t: record 1025: malformed: sealed, but its epoch field says 0 where the record belongs to epoch 1",
};
FIXTURE_VARIANT_ADD(defect, padding_not_zero) {
	.bad = MID, .change = comm_padding_not_zero,
	.says = "tampered: t: record 1500: malformed: sealed, but not a valid record: field 2 (type 6): padding not zero",
};
FIXTURE_VARIANT_ADD(defect, second_load_record) {
	.bad = MID, .change = type_load,
	.says = "tampered: t: record 1500: malformed: sealed, but a load record: a trail starts with the one LOAD record",
};
FIXTURE_VARIANT_ADD(defect, first_record_not_load) {
	.bad = 1, .change = type_mode,
	.says = "tampered: t: record 1: malformed: sealed, but a mode record: a trail starts with the one LOAD record",
};

/* BH-AUD-6: a record with a good seal is still checked for its format and its place. */
TEST_F(defect, sealed_record_still_checked)
{
	EXPECT_STREQ(variant->says,
		     line(verify_one(&self->v, self->key, 0, self->out.data, self->out.len), false));
}

TEST_HARNESS_MAIN
