// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the audit record codec - checking, field access, names, printers and a builder.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "audit_codec.h"
#include "json.h"
#include "names.h"
#include "policy.h"
#include "policy_nl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NSEC_PER_SEC ((uint64_t)1000000000)

_Static_assert(sizeof(struct bulkhead_audit_hdr) == 48, "the version 1 header is 48 bytes");
_Static_assert(sizeof(struct bulkhead_audit_field) == 4, "a field header is 4 bytes");

static const char *const type_names[] = BULKHEAD_AUDIT_TYPE_NAMES;
_Static_assert(ARRAY_SIZE(type_names) == BULKHEAD_AUDIT_TYPE_MAX + 1, "one name per record type");

static const char *const decision_names[] = BULKHEAD_AUDIT_DECISION_NAMES;

static const char *const failure_names[] = BULKHEAD_AUDIT_FAILURE_NAMES;
_Static_assert(ARRAY_SIZE(failure_names) == BULKHEAD_AUDIT_FAIL_MAX + 1, "one name per mode");

static const char *const hook_names[] = BULKHEAD_HOOK_NAMES;
_Static_assert(ARRAY_SIZE(hook_names) == BULKHEAD_HOOK_MAX + 1, "one name per hook");

static const char *const verdict_names[] = BULKHEAD_AUDIT_VERDICT_NAMES;
_Static_assert(ARRAY_SIZE(verdict_names) == BULKHEAD_TRANSFER_MAX + 1, "one name per verdict");

/* The uapi names no rule: these are the words "audit tail" prints and the format documents. */
static const char *const rule_names[] = {
	[BULKHEAD_AUDIT_RULE_FLOWS] = "flows",
	[BULKHEAD_AUDIT_RULE_LOCK] = "lock",
	[BULKHEAD_AUDIT_RULE_GUARD] = "guard",
};

/* How a field's value is written. */
enum render {
	R_NUMBER = 1,		/* u32 or u64, by size */
	R_STRING,
	R_NAME,			/* a domain or group name: a string, unquoted when it can be */
	R_HASH,			/* hex */
	R_CHANNEL,		/* BULKHEAD_CHAN_* names */
	R_MODE,			/* enum bulkhead_mode name */
	R_FAILURE,		/* enum bulkhead_audit_failure name */
	R_DEV,			/* major:minor */
	R_BOOTTIME,		/* CLOCK_BOOTTIME, in seconds */
	R_READER,		/* attached or detached */
	R_ADDR,			/* an IPv4 or IPv6 address: 4 or 16 bytes */
	R_RULE,			/* enum bulkhead_audit_rule name */
	R_CAP,			/* a capability's name (BULKHEAD_CAP_NAMES) */
	R_VERDICT,		/* enum bulkhead_transfer_verdict name */
	R_TESTS,		/* BULKHEAD_SELFTEST_* names */
};

static const char *const field_names[] = BULKHEAD_AUDIT_FIELD_NAMES;
_Static_assert(ARRAY_SIZE(field_names) == BULKHEAD_AUDIT_FIELD_MAX + 1, "one name per field type");

/* How each field's value is encoded (u32, string, ...) is the uapi header's; how it is shown,
 * this table's.
 */
static const uint8_t field_kinds[] = BULKHEAD_AUDIT_FIELD_KINDS;
_Static_assert(ARRAY_SIZE(field_kinds) == BULKHEAD_AUDIT_FIELD_MAX + 1, "one kind per field type");

static const enum render field_render[] = {
	[BULKHEAD_AUDIT_SUBJ_PID] = R_NUMBER,
	[BULKHEAD_AUDIT_SUBJ_TGID] = R_NUMBER,
	[BULKHEAD_AUDIT_SUBJ_UID] = R_NUMBER,
	[BULKHEAD_AUDIT_SUBJ_GID] = R_NUMBER,
	[BULKHEAD_AUDIT_SUBJ_LOGINUID] = R_NUMBER,
	[BULKHEAD_AUDIT_SUBJ_COMM] = R_STRING,
	[BULKHEAD_AUDIT_SUBJ_CGROUP] = R_NUMBER,
	[BULKHEAD_AUDIT_FROM_DOMAIN] = R_NAME,
	[BULKHEAD_AUDIT_TO_DOMAIN] = R_NAME,
	[BULKHEAD_AUDIT_CHANNEL] = R_CHANNEL,
	[BULKHEAD_AUDIT_OBJ_PATH] = R_STRING,
	[BULKHEAD_AUDIT_OBJ_DEV] = R_DEV,
	[BULKHEAD_AUDIT_OBJ_INO] = R_NUMBER,
	[BULKHEAD_AUDIT_PEER_PID] = R_NUMBER,
	[BULKHEAD_AUDIT_NETDEV] = R_STRING,
	[BULKHEAD_AUDIT_NEW_MODE] = R_MODE,
	[BULKHEAD_AUDIT_OLD_MODE] = R_MODE,
	[BULKHEAD_AUDIT_OLD_GENERATION] = R_NUMBER,
	[BULKHEAD_AUDIT_OLD_HASH] = R_HASH,
	[BULKHEAD_AUDIT_NEW_HASH] = R_HASH,
	[BULKHEAD_AUDIT_GROUP] = R_NAME,
	[BULKHEAD_AUDIT_ACTIVE] = R_NAME,
	[BULKHEAD_AUDIT_OLD_ACTIVE] = R_NAME,
	[BULKHEAD_AUDIT_LOST_COUNT] = R_NUMBER,
	[BULKHEAD_AUDIT_LOST_FROM_NS] = R_BOOTTIME,
	[BULKHEAD_AUDIT_LOST_TO_NS] = R_BOOTTIME,
	[BULKHEAD_AUDIT_FAILURE_MODE] = R_FAILURE,
	[BULKHEAD_AUDIT_RING_RECORDS] = R_NUMBER,
	[BULKHEAD_AUDIT_READER_EVENT] = R_READER,
	[BULKHEAD_AUDIT_VERSION_TEXT] = R_STRING,
	[BULKHEAD_AUDIT_RECORD_ALLOWS] = R_NUMBER,
	[BULKHEAD_AUDIT_PROTOCOL] = R_NUMBER,
	[BULKHEAD_AUDIT_SRC_ADDR] = R_ADDR,
	[BULKHEAD_AUDIT_DST_ADDR] = R_ADDR,
	[BULKHEAD_AUDIT_SRC_PORT] = R_NUMBER,
	[BULKHEAD_AUDIT_DST_PORT] = R_NUMBER,
	[BULKHEAD_AUDIT_RULE] = R_RULE,
	[BULKHEAD_AUDIT_CAPABILITY] = R_CAP,
	[BULKHEAD_AUDIT_SUBJ_SESSION] = R_NUMBER,
	[BULKHEAD_AUDIT_OLD_FAILURE_MODE] = R_FAILURE,
	[BULKHEAD_AUDIT_OLD_RING_RECORDS] = R_NUMBER,
	[BULKHEAD_AUDIT_OLD_RECORD_ALLOWS] = R_NUMBER,
	[BULKHEAD_AUDIT_EXPORT] = R_NUMBER,
	[BULKHEAD_AUDIT_OLD_EXPORT] = R_NUMBER,
	[BULKHEAD_AUDIT_EXCHANGE] = R_NAME,
	[BULKHEAD_AUDIT_TRANSFER_ID] = R_NUMBER,
	[BULKHEAD_AUDIT_FILE_NAME] = R_STRING,
	[BULKHEAD_AUDIT_DELIVERED_AS] = R_STRING,
	[BULKHEAD_AUDIT_FILE_SIZE] = R_NUMBER,
	[BULKHEAD_AUDIT_SHA256] = R_HASH,
	[BULKHEAD_AUDIT_VERDICT] = R_VERDICT,
	[BULKHEAD_AUDIT_REASON] = R_STRING,
	[BULKHEAD_AUDIT_FILTER] = R_STRING,
	[BULKHEAD_AUDIT_SENDER_UID] = R_NUMBER,
	[BULKHEAD_AUDIT_SELFTEST_FAILED] = R_TESTS,
	[BULKHEAD_AUDIT_SUBJ_DOMAIN] = R_NAME,
};
_Static_assert(ARRAY_SIZE(field_render) == BULKHEAD_AUDIT_FIELD_MAX + 1, "one entry per field type");

static const char *name_in(const char *const *names, size_t n, unsigned int i)
{
	return i < n ? names[i] : NULL;
}

const char *bh_audit_type_name(unsigned int type)
{
	return name_in(type_names, ARRAY_SIZE(type_names), type);
}

const char *bh_audit_decision_name(unsigned int decision)
{
	return name_in(decision_names, ARRAY_SIZE(decision_names), decision);
}

const char *bh_audit_failure_name(unsigned int failure)
{
	return name_in(failure_names, ARRAY_SIZE(failure_names), failure);
}

const char *bh_hook_name(unsigned int hook)
{
	return name_in(hook_names, ARRAY_SIZE(hook_names), hook);
}

/* The kind of field @type (enum bulkhead_audit_field_kind), 0 when this build does not know it. */
static unsigned int kind_of(unsigned int type)
{
	return type < ARRAY_SIZE(field_kinds) ? field_kinds[type] : 0;
}

/* The bytes a value of @kind has; 0 when its length varies. */
static unsigned int kind_size(unsigned int kind)
{
	switch (kind) {
	case BULKHEAD_AUDIT_KIND_U32:
		return sizeof(uint32_t);
	case BULKHEAD_AUDIT_KIND_U64:
		return sizeof(uint64_t);
	case BULKHEAD_AUDIT_KIND_HASH:
		return BULKHEAD_HASH_LEN;
	default:
		return 0;
	}
}

const char *bh_audit_field_name(unsigned int type)
{
	return name_in(field_names, ARRAY_SIZE(field_names), type);
}

/* --- checking ------------------------------------------------------------------------------ */

static int refuse(char *why, size_t why_len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(char *why, size_t why_len, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

int bh_audit_record_frame(const void *buf, size_t len, char *why, size_t why_len)
{
	struct bulkhead_audit_hdr h;

	if (len < BH_AUDIT_HDR_LEN)
		return refuse(why, why_len, -ENODATA, "%zu bytes, less than a record header", len);
	memcpy(&h, buf, sizeof(h));
	if (h.version != BULKHEAD_AUDIT_VERSION)
		return refuse(why, why_len, -EBADMSG, "format version %u, not %u", h.version,
			      BULKHEAD_AUDIT_VERSION);
	if (h.size < BH_AUDIT_MIN_RECORD || h.size > BULKHEAD_AUDIT_MAX_RECORD)
		return refuse(why, why_len, -EBADMSG, "size %u, outside %zu..%u", h.size,
			      BH_AUDIT_MIN_RECORD, BULKHEAD_AUDIT_MAX_RECORD);
	return h.size;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * The field at @off, whose header fits before @end (both are multiples of 4): the bytes it
 * takes with its padding, or -EBADMSG.
 */
static int check_field(const uint8_t *data, size_t off, size_t end, unsigned int n, char *why,
		       size_t why_len)
{
	struct bulkhead_audit_field fh;
	unsigned int kind, size;
	const uint8_t *value;
	size_t padded;

	memcpy(&fh, data + off, sizeof(fh));
	value = data + off + sizeof(fh);
	padded = BULKHEAD_AUDIT_ALIGN(fh.len);
	if (padded > end - off - sizeof(fh))
		return refuse(why, why_len, -EBADMSG, "field %u (type %u): %u bytes run into the seal",
			      n, fh.type, fh.len);
	if (fh.type == BULKHEAD_AUDIT_FIELD_UNSPEC)
		return refuse(why, why_len, -EBADMSG, "field %u: type 0", n);
	if (!all_zero(value + fh.len, padded - fh.len))
		return refuse(why, why_len, -EBADMSG, "field %u (type %u): padding not zero", n,
			      fh.type);
	kind = kind_of(fh.type);
	size = kind_size(kind);
	if (size && fh.len != size)
		return refuse(why, why_len, -EBADMSG, "field %u (%s): %u bytes, not %u", n,
			      bh_audit_field_name(fh.type), fh.len, size);
	if (kind == BULKHEAD_AUDIT_KIND_ADDR && fh.len != 4 && fh.len != 16)
		return refuse(why, why_len, -EBADMSG, "field %u (%s): %u bytes, not an address", n,
			      bh_audit_field_name(fh.type), fh.len);
	/* A record's string is its length: a NUL would make the printers hide what follows. */
	if (kind == BULKHEAD_AUDIT_KIND_STRING && memchr(value, '\0', fh.len))
		return refuse(why, why_len, -EBADMSG, "field %u (%s): a NUL inside the string", n,
			      bh_audit_field_name(fh.type));
	return sizeof(fh) + padded;
}

static int check_fields(const struct bh_audit_record *r, char *why, size_t why_len)
{
	size_t off = BH_AUDIT_HDR_LEN, end = r->hdr.size - BULKHEAD_AUDIT_SEAL_LEN;
	unsigned int n;
	int len;

	for (n = 1; off < end; n++, off += len) {
		len = check_field(r->data, off, end, n, why, why_len);
		if (len < 0)
			return len;
	}
	return 0;
}

int bh_audit_record_parse(struct bh_audit_record *r, const void *buf, size_t len, char *why,
			  size_t why_len)
{
	int size = bh_audit_record_frame(buf, len, why, why_len);
	int err;

	if (size < 0)
		return size;
	if (len < (size_t)size)
		return refuse(why, why_len, -ENODATA, "%zu of the record's %d bytes", len, size);
	memcpy(&r->hdr, buf, sizeof(r->hdr));
	r->data = buf;
	/* Fields are padded to 4 bytes and the header is 48: any other size leaves a hole. */
	if (size % 4)
		return refuse(why, why_len, -EBADMSG, "size %d, not a multiple of 4", size);
	if (!bh_audit_type_name(r->hdr.type))
		return refuse(why, why_len, -EBADMSG, "unknown record type %u", r->hdr.type);
	if (!bh_audit_decision_name(r->hdr.decision))
		return refuse(why, why_len, -EBADMSG, "unknown decision %u", r->hdr.decision);
	err = check_fields(r, why, why_len);
	return err ? err : size;
}

/* --- reading fields -------------------------------------------------------------------------- */

bool bh_audit_field_next(const struct bh_audit_record *r, struct bh_audit_field *f)
{
	size_t off = f->next ? f->next : BH_AUDIT_HDR_LEN;
	struct bulkhead_audit_field fh;

	if (off >= (size_t)r->hdr.size - BULKHEAD_AUDIT_SEAL_LEN)
		return false;
	memcpy(&fh, r->data + off, sizeof(fh));
	f->type = fh.type;
	f->len = fh.len;
	f->value = r->data + off + sizeof(fh);
	f->next = off + sizeof(fh) + BULKHEAD_AUDIT_ALIGN(fh.len);
	return true;
}

bool bh_audit_get_field(const struct bh_audit_record *r, unsigned int type,
			struct bh_audit_field *f)
{
	memset(f, 0, sizeof(*f));
	while (bh_audit_field_next(r, f))
		if (f->type == type)
			return true;
	return false;
}

static bool get_sized(const struct bh_audit_record *r, unsigned int type, void *value,
		      size_t size)
{
	struct bh_audit_field f;

	if (!bh_audit_get_field(r, type, &f) || f.len != size)
		return false;
	memcpy(value, f.value, size);
	return true;
}

bool bh_audit_get_u32(const struct bh_audit_record *r, unsigned int type, uint32_t *value)
{
	return get_sized(r, type, value, sizeof(*value));
}

bool bh_audit_get_u64(const struct bh_audit_record *r, unsigned int type, uint64_t *value)
{
	return get_sized(r, type, value, sizeof(*value));
}

bool bh_audit_get_string(const struct bh_audit_record *r, unsigned int type, char *buf,
			 size_t size)
{
	struct bh_audit_field f;
	size_t n;

	if (!size || !bh_audit_get_field(r, type, &f))
		return false;
	n = f.len < size - 1 ? f.len : size - 1;
	memcpy(buf, f.value, n);
	buf[n] = '\0';
	return true;
}

/* --- printing -------------------------------------------------------------------------------- */

/* Where one record goes: a key=value line, or members of a JSON object. */
struct sink {
	FILE *out;
	struct json *json;		/* NULL for text */
	bool started;
};

static void text_key(struct sink *s, const char *key)
{
	if (s->started)
		fputc(' ', s->out);
	s->started = true;
	fprintf(s->out, "%s=", key);
}

static void put_number(struct sink *s, const char *key, uint64_t value)
{
	if (s->json) {
		json_u64(s->json, key, value);
		return;
	}
	text_key(s, key);
	fprintf(s->out, "%" PRIu64, value);
}

/* A value this tool composed (a name, a time, hex): never needs quoting in text. */
static void put_word(struct sink *s, const char *key, const char *word)
{
	if (s->json) {
		json_string(s->json, key, word);
		return;
	}
	text_key(s, key);
	fputs(word, s->out);
}

static void put_name_or_number(struct sink *s, const char *key, const char *name, uint64_t n)
{
	if (name)
		put_word(s, key, name);
	else
		put_number(s, key, n);
}

/* The length of the valid UTF-8 sequence at @p, or 0 (RFC 3629: no overlongs, surrogates). */
static size_t utf8_len(const uint8_t *p, size_t left)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf)
		if (p[i] < lo || p[i] > hi)
			return 0;
	return n;
}

/*
 * JSON text must be UTF-8, and a path need not be: each byte that is not part of valid UTF-8
 * becomes U+FFFD. The text line keeps every byte (escaped).
 */
static void put_json_bytes(struct json *j, const char *key, const uint8_t *p, size_t len)
{
	char buf[3 * BULKHEAD_AUDIT_MAX_RECORD + 1];
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n) {
			memcpy(buf + o, p + i, n);
			o += n;
			i += n;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	buf[o] = '\0';
	json_string(j, key, buf);
}

/* A string from the record: quoted in text, with \" \\ and \xHH for anything not printable. */
static void put_bytes(struct sink *s, const char *key, const uint8_t *p, size_t len)
{
	size_t i;

	if (s->json) {
		put_json_bytes(s->json, key, p, len);
		return;
	}
	text_key(s, key);
	fputc('"', s->out);
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(s->out, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			fprintf(s->out, "\\x%02x", p[i]);
		else
			fputc(p[i], s->out);
	}
	fputc('"', s->out);
}

/*
 * Policy names are [a-z0-9_-]; an exchange's outbox and inbox are domains of their own named
 * "NAME.outbox" and "NAME.inbox"; the module writes "?" for a domain gone meanwhile. None of
 * these needs quoting on a key=value line.
 */
static bool is_plain_name(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!(p[i] >= 'a' && p[i] <= 'z') && !(p[i] >= 'A' && p[i] <= 'Z') &&
		    !(p[i] >= '0' && p[i] <= '9') && p[i] != '_' && p[i] != '-' && p[i] != '?' &&
		    p[i] != '.')
			return false;
	return len > 0;
}

static void put_name(struct sink *s, const char *key, const uint8_t *p, size_t len)
{
	char word[BULKHEAD_AUDIT_MAX_RECORD];

	if (!is_plain_name(p, len)) {
		put_bytes(s, key, p, len);
		return;
	}
	memcpy(word, p, len);
	word[len] = '\0';
	put_word(s, key, word);
}

static void format_seconds(char *buf, size_t size, uint64_t ns)
{
	snprintf(buf, size, "%" PRIu64 ".%09" PRIu64, ns / NSEC_PER_SEC, ns % NSEC_PER_SEC);
}

void bh_audit_format_time(char *buf, size_t size, uint64_t ns)
{
	time_t sec = ns / NSEC_PER_SEC;
	struct tm tm;
	size_t n;

	if (!gmtime_r(&sec, &tm)) {
		format_seconds(buf, size, ns);
		return;
	}
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%09" PRIu64 "Z", ns % NSEC_PER_SEC);
}

void bh_audit_format_channels(char *buf, size_t size, uint32_t channels)
{
	bh_format_bits(buf, size, channels, BULKHEAD_CHAN_ALL, bh_channel_name, "0x0");
}

static void put_field(struct sink *s, const struct bh_audit_field *f)
{
	unsigned int kind = kind_of(f->type);
	const char *name = bh_audit_field_name(f->type);
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	char buf[96];

	/* A newer module's field: its meaning is unknown here, and it is sealed all the same. */
	if (!kind)
		return;
	if (kind == BULKHEAD_AUDIT_KIND_U32) {
		memcpy(&v32, f->value, sizeof(v32));
		v64 = v32;
	} else if (kind == BULKHEAD_AUDIT_KIND_U64) {
		memcpy(&v64, f->value, sizeof(v64));
	}
	switch (field_render[f->type]) {
	case R_NUMBER:
		put_number(s, name, v64);
		break;
	case R_STRING:
		put_bytes(s, name, f->value, f->len);
		break;
	case R_NAME:
		put_name(s, name, f->value, f->len);
		break;
	case R_HASH:
		put_word(s, name, bh_hash_hex(f->value));
		break;
	case R_CHANNEL:
		bh_audit_format_channels(buf, sizeof(buf), v32);
		put_word(s, name, buf);
		break;
	case R_MODE:
		put_name_or_number(s, name, v32 <= BULKHEAD_MODE_MAX ? bh_mode_name(v32) : NULL,
				   v32);
		break;
	case R_FAILURE:
		put_name_or_number(s, name, bh_audit_failure_name(v32), v32);
		break;
	case R_ADDR:
		inet_ntop(f->len == 4 ? AF_INET : AF_INET6, f->value, buf, sizeof(buf));
		put_word(s, name, buf);
		break;
	case R_DEV:
		snprintf(buf, sizeof(buf), "%u:%u", v32 >> 20, v32 & 0xfffff);
		put_word(s, name, buf);
		break;
	case R_BOOTTIME:
		format_seconds(buf, sizeof(buf), v64);
		put_word(s, name, buf);
		break;
	case R_READER:
		put_name_or_number(s, name, v32 == 1 ? "attached" : v32 ? NULL : "detached",
				   v32);
		break;
	case R_CAP:
		put_name_or_number(s, name, bh_cap_name(v32), v32);
		break;
	case R_RULE:
		put_name_or_number(s, name, name_in(rule_names, ARRAY_SIZE(rule_names), v32), v32);
		break;
	case R_VERDICT:
		put_name_or_number(s, name, name_in(verdict_names, ARRAY_SIZE(verdict_names), v32),
				   v32);
		break;
	case R_TESTS:
		bh_selftest_format(buf, sizeof(buf), v32);
		put_word(s, name, buf);
		break;
	}
}

static void put_record(struct sink *s, const struct bh_audit_record *r)
{
	const struct bulkhead_audit_hdr *h = &r->hdr;
	struct bh_audit_field f = { 0 };
	char buf[64];

	put_number(s, BULKHEAD_AUDIT_KEY_SEQ, h->seq);
	bh_audit_format_time(buf, sizeof(buf), h->realtime_ns);
	put_word(s, "time", buf);
	format_seconds(buf, sizeof(buf), h->boottime_ns);
	put_word(s, "boot", buf);
	put_name_or_number(s, BULKHEAD_AUDIT_KEY_EVENT, bh_audit_type_name(h->type), h->type);
	if (h->decision != BULKHEAD_AUDIT_NONE)
		put_name_or_number(s, BULKHEAD_AUDIT_KEY_DECISION, bh_audit_decision_name(h->decision),
				   h->decision);
	if (h->hook != BULKHEAD_AUDIT_NO_HOOK)
		put_name_or_number(s, BULKHEAD_AUDIT_KEY_OP, bh_hook_name(h->hook), h->hook);
	while (bh_audit_field_next(r, &f))
		put_field(s, &f);
	put_number(s, BULKHEAD_AUDIT_KEY_GEN, h->generation);
	put_number(s, "epoch", h->epoch);
	if (h->flags & BULKHEAD_AUDIT_F_TRUNCATED)
		put_word(s, BULKHEAD_AUDIT_KEY_TRUNCATED, "yes");
	if (h->flags & ~BULKHEAD_AUDIT_F_TRUNCATED)
		put_number(s, "flags", h->flags);
}

void bh_audit_print_text(FILE *out, const struct bh_audit_record *r)
{
	struct sink s = { .out = out };

	put_record(&s, r);
	fputc('\n', out);
}

void bh_audit_json_record(struct json *j, const struct bh_audit_record *r)
{
	struct sink s = { .out = j->out, .json = j };

	json_object_begin(j, NULL);
	put_record(&s, r);
	json_object_end(j);
}

void bh_audit_print_json(FILE *out, const struct bh_audit_record *r)
{
	struct json j;

	json_init(&j, out, JSON_COMPACT);
	bh_audit_json_record(&j, r);
}

/* --- building -------------------------------------------------------------------------------- */

void bh_audit_build_start(struct bh_audit_builder *b, const struct bulkhead_audit_hdr *hdr)
{
	memset(b->data, 0, sizeof(b->data));
	memcpy(b->data, hdr, sizeof(*hdr));
	b->len = sizeof(*hdr);
}

int bh_audit_build_put(struct bh_audit_builder *b, unsigned int type, const void *value,
		       size_t len)
{
	struct bulkhead_audit_field fh = { .type = type, .len = len };
	size_t room = sizeof(b->data) - BULKHEAD_AUDIT_SEAL_LEN - b->len;

	if (len > UINT16_MAX || sizeof(fh) + BULKHEAD_AUDIT_ALIGN(len) > room)
		return -EMSGSIZE;
	memcpy(b->data + b->len, &fh, sizeof(fh));
	memcpy(b->data + b->len + sizeof(fh), value, len);
	/* The buffer was zeroed at the start: the padding already is. */
	b->len += sizeof(fh) + BULKHEAD_AUDIT_ALIGN(len);
	return 0;
}

int bh_audit_build_u32(struct bh_audit_builder *b, unsigned int type, uint32_t value)
{
	return bh_audit_build_put(b, type, &value, sizeof(value));
}

int bh_audit_build_u64(struct bh_audit_builder *b, unsigned int type, uint64_t value)
{
	return bh_audit_build_put(b, type, &value, sizeof(value));
}

int bh_audit_build_string(struct bh_audit_builder *b, unsigned int type, const char *s)
{
	return bh_audit_build_put(b, type, s, strlen(s));
}

size_t bh_audit_build_end(struct bh_audit_builder *b)
{
	uint16_t size = b->len + BULKHEAD_AUDIT_SEAL_LEN;

	memset(b->data + b->len, 0, BULKHEAD_AUDIT_SEAL_LEN);
	memcpy(b->data + offsetof(struct bulkhead_audit_hdr, size), &size, sizeof(size));
	return size;
}
