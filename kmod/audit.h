/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the audit trail inside the module - the ring of sealed records, how records are
 * built, and who reads them. The record format is include/uapi/linux/bulkhead_audit.h.
 *
 * Producers (hooks, any context but hard interrupts) reserve the next sequence number with
 * one compare-and-exchange, write their record into its slot and queue the sealer; the sealer
 * (a work item) seals slots in sequence order, chaining HMAC-SHA256 with a key that evolves
 * every BULKHEAD_AUDIT_EPOCH_RECORDS records; readers see sealed records only. A slot is
 * reused only once its record is acknowledged as durable, so un-acknowledged records are
 * never overwritten: when the ring is full the failure mode decides.
 */
#ifndef _BULKHEAD_AUDIT_H
#define _BULKHEAD_AUDIT_H

#include <linux/types.h>
#include <uapi/linux/bulkhead.h>
#include <uapi/linux/bulkhead_audit.h>

struct crypto_shash;
struct genl_info;
struct netlink_ext_ack;
struct sk_buff;

/* The crypto API's name of the seal's HMAC. */
#define BULKHEAD_AUDIT_HMAC	"hmac(sha256)"

/* A record being built, in its slot; only the producer that reserved it touches it. */
struct bulkhead_audit_rec {
	struct bulkhead_audit_hdr *hdr;
	u8 *end;		/* where the next field goes */
	u8 *limit;		/* where the seal starts at the latest */
	void *slot;		/* for bulkhead_audit_commit() */
};

/* The outcome of reserving: a slot, or what to do without one. */
enum bulkhead_audit_reserve {
	BULKHEAD_AUDIT_RES_OK,
	BULKHEAD_AUDIT_RES_LOST,	/* drop mode, or a privileged caller in block mode */
	BULKHEAD_AUDIT_RES_REFUSED,		/* block mode: the operation must be denied */
};

/*
 * Who is exempt from block mode, asked only when the ring is full: the capability check costs
 * a call through every LSM's capable hook, too much to make for every record.
 */
enum bulkhead_audit_exempt {
	BULKHEAD_AUDIT_EXEMPT_NONE,	/* never (an exchange's transfer) */
	BULKHEAD_AUDIT_EXEMPT_CAPABLE,	/* the current task if it holds CAP_AUDIT_CONTROL */
	BULKHEAD_AUDIT_EXEMPT_ALWAYS,	/* always (an administrator's management event) */
};

/* audit_ring.c */
int bulkhead_audit_init(void);
void bulkhead_audit_exit(void);
enum bulkhead_audit_reserve bulkhead_audit_reserve(struct bulkhead_audit_rec *rec, u16 type,
						   u8 decision, u32 hook, u64 generation,
						   enum bulkhead_audit_exempt exempt);
void bulkhead_audit_commit(struct bulkhead_audit_rec *rec);
int bulkhead_hmac_sha256(struct crypto_shash *tfm, const void *a, size_t a_len, const void *b,
			 size_t b_len, u8 *out);

struct bulkhead_audit_stats {
	u64 next_seq;		/* the next record gets this number */
	u64 sealed;		/* records sealed: 1..sealed are readable */
	u64 acked;		/* records acknowledged as durable */
	u64 emitted;		/* records written */
	u64 delivered;		/* records handed to readers, all readers together */
	u64 lost;		/* records not kept (drop mode, or privileged in block) */
	u64 prevented;		/* operations denied because their record could not be kept */
	u32 capacity;		/* records the ring keeps un-acknowledged */
	u32 slots;		/* records the ring can hold at most (the module parameter) */
	u32 failure;		/* enum bulkhead_audit_failure */
	u32 epoch;		/* the sealer's current key epoch */
	bool key_taken;		/* the initial key has been handed out */
	bool record_allows;	/* every allowed cross-domain operation is recorded */
	bool export;		/* records are copied to the audit subsystem */
};

void bulkhead_audit_get_stats(struct bulkhead_audit_stats *st);
int bulkhead_audit_configure(const u32 *failure, const u32 *capacity, const bool *allows,
			     const bool *export, struct netlink_ext_ack *extack);
bool bulkhead_audit_record_allows(void);
int bulkhead_audit_take_key(u8 *key, struct netlink_ext_ack *extack);
int bulkhead_audit_ack(u64 seq);

/* For the reader device: copy record @seq into @buf (BULKHEAD_AUDIT_MAX_RECORD bytes). */
int bulkhead_audit_copy(u64 seq, void *buf);
u64 bulkhead_audit_next(void);
u64 bulkhead_audit_oldest(void);
u64 bulkhead_audit_sealed(void);
void bulkhead_audit_count_delivered(void);
extern struct wait_queue_head bulkhead_audit_wait;

/* audit_record.c: fields, and the records the module emits */
void bulkhead_audit_put(struct bulkhead_audit_rec *rec, u16 type, const void *val, u16 len);
void bulkhead_audit_put_u32(struct bulkhead_audit_rec *rec, u16 type, u32 val);
void bulkhead_audit_put_u64(struct bulkhead_audit_rec *rec, u16 type, u64 val);
void bulkhead_audit_put_str(struct bulkhead_audit_rec *rec, u16 type, const char *s);

struct bulkhead_object;
struct bulkhead_policy;
bool bulkhead_audit_decision(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			     u32 from, u32 to, u32 channel, const struct bulkhead_object *obj,
			     u8 decision);
void bulkhead_audit_lock_denial(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
				u32 domain, const struct bulkhead_object *obj);
void bulkhead_audit_lock(u32 mode);
void bulkhead_audit_policy(u64 old_gen, const u8 *old_hash, u64 new_gen, const u8 *new_hash);
void bulkhead_audit_mode(u32 old_mode, u32 mode);
void bulkhead_audit_switch(const char *group, const char *old_active, const char *active);
/* The audit configuration, before or after a change. */
struct bulkhead_audit_settings {
	u32 failure;		/* enum bulkhead_audit_failure */
	u32 capacity;
	bool allows;
	bool export;
};

void bulkhead_audit_config(const struct bulkhead_audit_settings *old,
			   const struct bulkhead_audit_settings *new);
void bulkhead_audit_event(u16 type);

/* What an exchange's guard says it did with one file; NULL strings and hash are left out. */
struct bulkhead_audit_transfer {
	const char *exchange;
	u32 from, to;			/* the exchange's domains */
	u64 id;
	const char *name;
	const char *delivered_as;
	u64 size;
	const u8 *sha256;		/* BULKHEAD_HASH_LEN bytes */
	u32 verdict;			/* enum bulkhead_transfer_verdict */
	const char *reason;
	const char *filter;
	u32 sender_uid;
};

int bulkhead_audit_transfer(const struct bulkhead_policy *pol,
			    const struct bulkhead_audit_transfer *t);
void bulkhead_audit_transfer_refused(const struct bulkhead_policy *pol, const char *exchange,
				     u32 domain, u32 guard);
void bulkhead_audit_reader(bool attached);
void bulkhead_audit_selftest(u32 failed);

/* audit_export.c: copies for the Linux audit subsystem */
void bulkhead_audit_export(const void *data);

/* audit_dev.c: /dev/bulkhead-audit */
int bulkhead_audit_dev_register(void);
void bulkhead_audit_dev_unregister(void);

#endif /* _BULKHEAD_AUDIT_H */
