// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the audit ring - sequence numbers, slots, sealing, acknowledgements and the
 * failure modes (see audit.h for the design).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "audit.h"
#include "bulkhead.h"
#include "compat.h"

static unsigned int audit_slots = 4096;
module_param(audit_slots, uint, 0444);
MODULE_PARM_DESC(audit_slots, "records the audit ring can hold (16..65536, default 4096)");

enum slot_state { SLOT_EMPTY, SLOT_WRITING, SLOT_WRITTEN, SLOT_SEALED };

struct slot {
	u64 seq;		/* of the record held; changed first when the slot is reused */
	u32 state;		/* enum slot_state */
	u8 data[BULKHEAD_AUDIT_MAX_RECORD] __aligned(8);
};

static struct slot *slots;
static u32 n_slots;
static u32 capacity;		/* un-acknowledged records kept, at most n_slots */
static u32 failure_mode = BULKHEAD_AUDIT_FAIL_DROP;
static bool record_allows;	/* every allowed cross-domain operation, not only audited flows */
static bool export_records;	/* a copy of each sealed record to the audit subsystem */

static atomic64_t next_seq = ATOMIC64_INIT(1);
static atomic64_t sealed_seq;
static atomic64_t acked_seq;
static atomic64_t emitted, delivered, lost, prevented;

/* Records lost since the last LOST record, and when the first and last of them happened. */
static atomic64_t lost_pending;
static u64 lost_from_ns, lost_to_ns;

/* The sealer's state: one work item, under seal_lock. */
static DEFINE_MUTEX(seal_lock);
static struct crypto_shash *hmac;
static u8 key[BULKHEAD_AUDIT_KEY_LEN];		/* K[key_epoch] */
static u32 key_epoch;
static u8 initial_key[BULKHEAD_AUDIT_KEY_LEN];	/* K[0], until handed out */
static bool key_taken;
static u8 prev_seal[BULKHEAD_AUDIT_SEAL_LEN];

/*
 * Sealing waits a tick after the record that asks for it, so that one pass seals what a busy
 * producer made meanwhile: a worker woken for every record cost more than the seal under
 * emulation, and ran beside the producer on its CPU (make bench's recorder_bench). Readers
 * see a record up to a tick later; nothing waits for seals but them.
 */
#define SEAL_DELAY	1

static void seal_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(seal_work, seal_work_fn);

static void kick_sealer(void)
{
	queue_delayed_work(bulkhead_unbound_wq, &seal_work, SEAL_DELAY);
}

DECLARE_WAIT_QUEUE_HEAD(bulkhead_audit_wait);

static struct slot *slot_of(u64 seq)
{
	return &slots[seq % n_slots];
}

/* Take the next sequence number if the ring keeps room for it; LOST may use the last slot. */
static bool take_seq(u64 *seq, bool lost_record)
{
	u64 s = atomic64_read(&next_seq);
	u32 room = READ_ONCE(capacity) - !lost_record;

	do {
		if (s - atomic64_read(&acked_seq) > room)
			return false;
	} while (!atomic64_try_cmpxchg(&next_seq, &s, s + 1));
	*seq = s;
	return true;
}

static bool exempt_now(enum bulkhead_audit_exempt exempt)
{
	switch (exempt) {
	case BULKHEAD_AUDIT_EXEMPT_ALWAYS:
		return true;
	case BULKHEAD_AUDIT_EXEMPT_CAPABLE:
		return in_task() && ns_capable_noaudit(&init_user_ns, CAP_AUDIT_CONTROL);
	default:
		return false;
	}
}

static enum bulkhead_audit_reserve cannot_keep(enum bulkhead_audit_exempt exempt)
{
	u64 now = ktime_get_boottime_ns();
	u32 mode = READ_ONCE(failure_mode);

	if (mode == BULKHEAD_AUDIT_FAIL_PANIC)
		panic("bulkhead: audit ring full, failure mode is panic\n");
	if (mode == BULKHEAD_AUDIT_FAIL_BLOCK && !exempt_now(exempt)) {
		atomic64_inc(&prevented);
		return BULKHEAD_AUDIT_RES_REFUSED;
	}
	/* The times are approximate under races; the count is exact. */
	if (atomic64_inc_return(&lost_pending) == 1)
		WRITE_ONCE(lost_from_ns, now);
	WRITE_ONCE(lost_to_ns, now);
	atomic64_inc(&lost);
	return BULKHEAD_AUDIT_RES_LOST;
}

/*
 * The generation of the newest record reserved: a LOST record says which policy was in force
 * when it was made as well as the ring can tell (it has no policy of its own to ask).
 */
static u64 last_generation;

static void start_record(struct bulkhead_audit_rec *rec, u64 seq, u16 type, u8 decision,
			 u32 hook, u64 generation)
{
	struct slot *slot = slot_of(seq);
	struct bulkhead_audit_hdr *hdr;

	/*
	 * Readers check seq after copying: changing it first marks the old record gone. Pairs
	 * with the smp_rmb() in bulkhead_audit_copy().
	 */
	WRITE_ONCE(slot->state, SLOT_WRITING);
	smp_wmb(); /* state before seq */
	WRITE_ONCE(slot->seq, seq);
	smp_wmb(); /* seq before the new record's bytes */
	hdr = (struct bulkhead_audit_hdr *)slot->data;
	memset(hdr, 0, sizeof(*hdr));
	hdr->version = BULKHEAD_AUDIT_VERSION;
	hdr->type = type;
	hdr->decision = decision;
	hdr->seq = seq;
	hdr->realtime_ns = ktime_get_real_ns();
	hdr->boottime_ns = ktime_get_boottime_ns();
	hdr->generation = generation;
	hdr->epoch = (seq - 1) / BULKHEAD_AUDIT_EPOCH_RECORDS;
	hdr->hook = hook;
	rec->hdr = hdr;
	rec->end = slot->data + sizeof(*hdr);
	rec->limit = slot->data + BULKHEAD_AUDIT_MAX_RECORD - BULKHEAD_AUDIT_SEAL_LEN;
	rec->slot = slot;
}

/**
 * bulkhead_audit_reserve() - start a record in the next slot
 * @rec: filled in on success
 * @type: enum bulkhead_audit_type
 * @decision: enum bulkhead_audit_decision
 * @hook: the deciding hook, or BULKHEAD_AUDIT_NO_HOOK
 * @generation: the generation of the policy that decided (or was in force at a management
 *		event): the caller's, never the ring's reading of it later, when a commit may
 *		have replaced it in between
 * @exempt: who would be exempt from block mode, asked only if the ring is full
 *
 * Never sleeps and takes no lock. When the ring is full of un-acknowledged records, the
 * failure mode decides: drop counts the record as lost (a LOST record follows when room comes
 * back), block refuses, panic panics.
 *
 * Return: BULKHEAD_AUDIT_RES_OK (then fill the record and bulkhead_audit_commit() it),
 * BULKHEAD_AUDIT_RES_LOST or BULKHEAD_AUDIT_RES_REFUSED.
 */
enum bulkhead_audit_reserve bulkhead_audit_reserve(struct bulkhead_audit_rec *rec, u16 type,
						   u8 decision, u32 hook, u64 generation,
						   enum bulkhead_audit_exempt exempt)
{
	u64 seq;

	if (!slots)
		return BULKHEAD_AUDIT_RES_LOST;
	if (!take_seq(&seq, false))
		return cannot_keep(exempt);
	start_record(rec, seq, type, decision, hook, generation);
	WRITE_ONCE(last_generation, generation);
	return BULKHEAD_AUDIT_RES_OK;
}

/* Finish a reserved record: its size, then visible to the sealer. */
void bulkhead_audit_commit(struct bulkhead_audit_rec *rec)
{
	struct slot *slot = rec->slot;

	rec->hdr->size = rec->end - slot->data + BULKHEAD_AUDIT_SEAL_LEN;
	/* The record's bytes before the sealer's smp_load_acquire() sees it written. */
	smp_store_release(&slot->state, SLOT_WRITTEN);
	atomic64_inc(&emitted);
	kick_sealer();
}

/* Under seal_lock: K[e + 1] = SHA-256(label || K[e]), the old key wiped. */
static int evolve_key_to(u32 epoch)
{
	struct bulkhead_sha256_state s;

	while (key_epoch < epoch) {
		sha256_init(&s);
		sha256_update(&s, BULKHEAD_AUDIT_KEY_LABEL, strlen(BULKHEAD_AUDIT_KEY_LABEL));
		sha256_update(&s, key, sizeof(key));
		sha256_final(&s, key);
		key_epoch++;
	}
	memzero_explicit(&s, sizeof(s));
	return crypto_shash_setkey(hmac, key, sizeof(key));
}

/**
 * bulkhead_hmac_sha256() - HMAC-SHA256 of @a then @b, with the key set on @tfm
 * @tfm: a BULKHEAD_AUDIT_HMAC transform, keyed
 * @a: the first part of the message
 * @a_len: its length
 * @b: the rest
 * @b_len: its length
 * @out: BULKHEAD_AUDIT_SEAL_LEN bytes
 *
 * The one way the module computes an HMAC: the trail's seals, and the self-test's known
 * answers, which so test the calls the seals go through.
 *
 * Return: 0 or the crypto API's error.
 */
int bulkhead_hmac_sha256(struct crypto_shash *tfm, const void *a, size_t a_len, const void *b,
			 size_t b_len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int err;

	desc->tfm = tfm;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, a, a_len) ?:
	      crypto_shash_update(desc, b, b_len) ?:
	      crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}

/* Under seal_lock: seal(n) = HMAC(K[epoch], seal(n - 1) || record without its seal). */
static int seal_one(struct slot *slot)
{
	struct bulkhead_audit_hdr *hdr = (struct bulkhead_audit_hdr *)slot->data;
	u8 *seal = slot->data + hdr->size - BULKHEAD_AUDIT_SEAL_LEN;
	int err;

	if (hdr->epoch != key_epoch) {
		err = evolve_key_to(hdr->epoch);
		if (err)
			return err;
	}
	err = bulkhead_hmac_sha256(hmac, prev_seal, sizeof(prev_seal), slot->data,
				   hdr->size - BULKHEAD_AUDIT_SEAL_LEN, seal);
	if (!err)
		memcpy(prev_seal, seal, sizeof(prev_seal));
	return err;
}

/* Under seal_lock, when records were lost and room is back: say so in the stream. */
static void emit_lost(void)
{
	struct bulkhead_audit_rec rec;
	u64 seq, count;

	if (!atomic64_read(&lost_pending) || !take_seq(&seq, true))
		return;
	start_record(&rec, seq, BULKHEAD_AUDIT_LOST, BULKHEAD_AUDIT_NONE,
		     BULKHEAD_AUDIT_NO_HOOK, READ_ONCE(last_generation));
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_LOST_FROM_NS, READ_ONCE(lost_from_ns));
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_LOST_TO_NS, READ_ONCE(lost_to_ns));
	count = atomic64_xchg(&lost_pending, 0);
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_LOST_COUNT, count);
	bulkhead_audit_commit(&rec);
}

static void seal_work_fn(struct work_struct *work)
{
	struct slot *slot;
	u64 seq;

	mutex_lock(&seal_lock);
	emit_lost();
	for (seq = atomic64_read(&sealed_seq) + 1;; seq++) {
		slot = slot_of(seq);
		/* Pairs with bulkhead_audit_commit(): the record's bytes are all there. */
		if (READ_ONCE(slot->seq) != seq || smp_load_acquire(&slot->state) != SLOT_WRITTEN)
			break;
		if (seal_one(slot)) {
			/* The chain cannot go on without a seal; nothing after it is readable. */
			pr_err("cannot seal audit record %llu\n", seq);
			break;
		}
		if (READ_ONCE(export_records))
			bulkhead_audit_export(slot->data);
		/* The seal before readers' smp_load_acquire() sees the record sealed. */
		smp_store_release(&slot->state, SLOT_SEALED);
		atomic64_set(&sealed_seq, seq);
		/* A pass can be a whole ring long; the kernel may not preempt it. */
		cond_resched();
	}
	mutex_unlock(&seal_lock);
	wake_up_interruptible(&bulkhead_audit_wait);
}

u64 bulkhead_audit_sealed(void)
{
	return atomic64_read(&sealed_seq);
}

/* The sequence number the next record will take. */
u64 bulkhead_audit_next(void)
{
	return atomic64_read(&next_seq);
}

/* The oldest record a slot may still hold. */
u64 bulkhead_audit_oldest(void)
{
	u64 next = atomic64_read(&next_seq);

	return next > n_slots ? next - n_slots : 1;
}

/**
 * bulkhead_audit_copy() - copy sealed record @seq
 * @seq: the record
 * @buf: BULKHEAD_AUDIT_MAX_RECORD bytes
 *
 * Return: its size, -EAGAIN when not sealed yet, -EPIPE when its slot was reused.
 */
int bulkhead_audit_copy(u64 seq, void *buf)
{
	struct slot *slot = slot_of(seq);
	u16 size;

	if (seq > atomic64_read(&sealed_seq))
		return -EAGAIN;
	/* Pairs with the sealer's smp_store_release(): the seal is there. */
	if (READ_ONCE(slot->seq) != seq || smp_load_acquire(&slot->state) != SLOT_SEALED)
		return -EPIPE;
	size = min_t(u16, ((struct bulkhead_audit_hdr *)slot->data)->size,
		     BULKHEAD_AUDIT_MAX_RECORD);
	memcpy(buf, slot->data, size);
	smp_rmb(); /* the copy before seq is read again; pairs with start_record() */
	/* A producer reusing the slot changes seq before anything else. */
	if (READ_ONCE(slot->seq) != seq)
		return -EPIPE;
	return size;
}

void bulkhead_audit_count_delivered(void)
{
	atomic64_inc(&delivered);
}

/**
 * bulkhead_audit_ack() - acknowledge the records up to @seq as durable
 * @seq: the last durable record
 *
 * Their slots may be reused. Acknowledging less than before changes nothing.
 *
 * Return: 0, or -EINVAL for a record not sealed yet.
 */
int bulkhead_audit_ack(u64 seq)
{
	u64 old = atomic64_read(&acked_seq);

	if (seq > atomic64_read(&sealed_seq))
		return -EINVAL;
	do {
		if (seq <= old)
			return 0;
	} while (!atomic64_try_cmpxchg(&acked_seq, &old, seq));
	/* Room is back: a pending LOST record can go in now. */
	kick_sealer();
	return 0;
}

void bulkhead_audit_get_stats(struct bulkhead_audit_stats *st)
{
	st->next_seq = atomic64_read(&next_seq);
	st->sealed = atomic64_read(&sealed_seq);
	st->acked = atomic64_read(&acked_seq);
	st->emitted = atomic64_read(&emitted);
	st->delivered = atomic64_read(&delivered);
	st->lost = atomic64_read(&lost);
	st->prevented = atomic64_read(&prevented);
	st->capacity = READ_ONCE(capacity);
	st->slots = n_slots;
	st->failure = READ_ONCE(failure_mode);
	st->record_allows = READ_ONCE(record_allows);
	st->export = READ_ONCE(export_records);
	mutex_lock(&seal_lock);
	st->epoch = key_epoch;
	st->key_taken = key_taken;
	mutex_unlock(&seal_lock);
}

bool bulkhead_audit_record_allows(void)
{
	return READ_ONCE(record_allows);
}

static void get_settings(struct bulkhead_audit_settings *s)
{
	s->failure = READ_ONCE(failure_mode);
	s->capacity = READ_ONCE(capacity);
	s->allows = READ_ONCE(record_allows);
	s->export = READ_ONCE(export_records);
}

/**
 * bulkhead_audit_configure() - change the failure mode, the ring's capacity, what is recorded
 * @failure: NULL, or the new enum bulkhead_audit_failure
 * @cap: NULL, or the number of un-acknowledged records to keep (16..slots)
 * @allows: NULL, or whether every allowed cross-domain operation is recorded
 * @export: NULL, or whether sealed records are copied to the audit subsystem
 * @extack: for the reason of a refusal
 *
 * Return: 0 or -EINVAL; nothing changes on error.
 */
int bulkhead_audit_configure(const u32 *failure, const u32 *cap, const bool *allows,
			     const bool *export, struct netlink_ext_ack *extack)
{
	struct bulkhead_audit_settings old, new;

	if (cap && (*cap < 16 || *cap > n_slots)) {
		NL_SET_ERR_MSG(extack,
			       "the ring capacity must be between 16 and the audit_slots parameter");
		return -EINVAL;
	}
	get_settings(&old);
	if (failure)
		WRITE_ONCE(failure_mode, *failure);
	if (cap)
		WRITE_ONCE(capacity, *cap);
	if (allows)
		WRITE_ONCE(record_allows, *allows);
	if (export)
		WRITE_ONCE(export_records, *export);
	get_settings(&new);
	bulkhead_audit_config(&old, &new);
	return 0;
}

/**
 * bulkhead_audit_take_key() - hand out the initial key K[0], once
 * @out: BULKHEAD_AUDIT_KEY_LEN bytes
 * @extack: for the reason of a refusal
 *
 * Return: 0, or -EALREADY when it was handed out before (the module no longer has it).
 */
int bulkhead_audit_take_key(u8 *out, struct netlink_ext_ack *extack)
{
	mutex_lock(&seal_lock);
	if (key_taken) {
		mutex_unlock(&seal_lock);
		NL_SET_ERR_MSG(extack,
			       "the initial audit key was handed out already; reload for a new trail");
		return -EALREADY;
	}
	memcpy(out, initial_key, sizeof(initial_key));
	memzero_explicit(initial_key, sizeof(initial_key));
	key_taken = true;
	mutex_unlock(&seal_lock);
	bulkhead_audit_event(BULKHEAD_AUDIT_KEY_TAKEN);
	return 0;
}

int bulkhead_audit_init(void)
{
	int err;

	n_slots = clamp(audit_slots, 16U, 65536U);
	capacity = n_slots;
	slots = vzalloc(array_size(n_slots, sizeof(*slots)));
	if (!slots)
		return -ENOMEM;
	hmac = crypto_alloc_shash(BULKHEAD_AUDIT_HMAC, 0, 0);
	if (IS_ERR(hmac)) {
		err = PTR_ERR(hmac);
		goto fail;
	}
	get_random_bytes(key, sizeof(key));
	memcpy(initial_key, key, sizeof(key));
	err = crypto_shash_setkey(hmac, key, sizeof(key));
	if (err)
		goto fail_hmac;
	bulkhead_audit_event(BULKHEAD_AUDIT_LOAD);
	return 0;
fail_hmac:
	crypto_free_shash(hmac);
fail:
	vfree(slots);
	slots = NULL;
	return err;
}

/* The last record, sealed before the ring goes; whoever reads now gets it. */
void bulkhead_audit_exit(void)
{
	bulkhead_audit_event(BULKHEAD_AUDIT_UNLOAD);
	flush_delayed_work(&seal_work);
	cancel_delayed_work_sync(&seal_work);
	crypto_free_shash(hmac);
	memzero_explicit(key, sizeof(key));
	memzero_explicit(initial_key, sizeof(initial_key));
	vfree(slots);
	slots = NULL;
}
