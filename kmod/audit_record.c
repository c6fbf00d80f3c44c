// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the records the module emits - their fields, the subject taken from the current
 * task, and one function per event type.
 */
#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "audit.h"
#include "bulkhead.h"
#include "policy.h"

/*
 * Append one field. When it does not fit, a string is cut (paths can be long) and any other
 * value left out, so that every field present has its type's size; either way the record is
 * flagged truncated.
 */
static void put_field(struct bulkhead_audit_rec *rec, u16 type, const void *val, u16 len,
		      bool may_cut)
{
	struct bulkhead_audit_field *f = (struct bulkhead_audit_field *)rec->end;
	long room = rec->limit - rec->end - (long)sizeof(*f);

	if (len > room) {
		rec->hdr->flags |= BULKHEAD_AUDIT_F_TRUNCATED;
		if (!may_cut || room <= 0)
			return;
		len = room & ~3L;
	}
	f->type = type;
	f->len = len;
	memcpy(f + 1, val, len);
	memset((u8 *)(f + 1) + len, 0, BULKHEAD_AUDIT_ALIGN(len) - len);
	rec->end += sizeof(*f) + BULKHEAD_AUDIT_ALIGN(len);
}

/* Append a fixed-size field (a number, a hash) to a reserved record. */
void bulkhead_audit_put(struct bulkhead_audit_rec *rec, u16 type, const void *val, u16 len)
{
	put_field(rec, type, val, len, false);
}

void bulkhead_audit_put_u32(struct bulkhead_audit_rec *rec, u16 type, u32 val)
{
	bulkhead_audit_put(rec, type, &val, sizeof(val));
}

void bulkhead_audit_put_u64(struct bulkhead_audit_rec *rec, u16 type, u64 val)
{
	bulkhead_audit_put(rec, type, &val, sizeof(val));
}

void bulkhead_audit_put_str(struct bulkhead_audit_rec *rec, u16 type, const char *s)
{
	put_field(rec, type, s, strnlen(s, BULKHEAD_AUDIT_MAX_RECORD), true);
}

/* In softirq context the current task did not ask for anything: no subject then. */
static void put_subject(struct bulkhead_audit_rec *rec)
{
	char comm[TASK_COMM_LEN];

	if (!in_task())
		return;
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_PID, task_pid_nr(current));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_TGID, task_tgid_nr(current));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_UID,
			       from_kuid(&init_user_ns, current_uid()));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_GID,
			       from_kgid(&init_user_ns, current_gid()));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_LOGINUID,
			       from_kuid(&init_user_ns, audit_get_loginuid(current)));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SUBJ_SESSION, audit_get_sessionid(current));
	/*
	 * Not get_task_comm(), which takes task_lock(current): ptrace_access_check and other hooks
	 * run under the target's task_lock(), and two tasks tracing each other would deadlock
	 * (lockdep reports it on the debug kernel). Copied without the lock, as 6.13's
	 * get_task_comm() does: a name changed meanwhile may come out torn, never unterminated.
	 */
	memcpy(comm, current->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	bulkhead_audit_put_str(rec, BULKHEAD_AUDIT_SUBJ_COMM, comm);
	rcu_read_lock();
	bulkhead_audit_put_u64(rec, BULKHEAD_AUDIT_SUBJ_CGROUP,
			       cgroup_id(task_dfl_cgroup(current)));
	rcu_read_unlock();
}

static void put_domain(struct bulkhead_audit_rec *rec, const struct bulkhead_policy *pol,
		       u16 type, u32 id)
{
	const struct bulkhead_domain *d = bulkhead_domain_by_id(pol, id);

	bulkhead_audit_put_str(rec, type, d ? d->name : "?");
}

/*
 * The acting task's own domain: a decision's from and to say which way the information would
 * go, not which of the two asked. None in softirq context (put_subject()).
 */
static void put_subject_domain(struct bulkhead_audit_rec *rec, const struct bulkhead_policy *pol)
{
	if (in_task())
		put_domain(rec, pol, BULKHEAD_AUDIT_SUBJ_DOMAIN, bulkhead_current_domain(pol));
}

/* The ports of a TCP or UDP header at @offset from the packet's data, if there is one. */
static void put_ports(struct bulkhead_audit_rec *rec, const struct sk_buff *skb, int offset,
		      u8 proto)
{
	__be16 ports[2], *p;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return;
	p = skb_header_pointer(skb, offset, sizeof(ports), ports);
	if (!p)
		return;
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_SRC_PORT, ntohs(p[0]));
	bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_DST_PORT, ntohs(p[1]));
}

/* Addresses, protocol and ports of an IPv4 or IPv6 packet (extension headers not walked). */
static void put_packet(struct bulkhead_audit_rec *rec, const struct sk_buff *skb)
{
	int net = skb_network_offset(skb);

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *ip = ip_hdr(skb);

		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_PROTOCOL, ip->protocol);
		bulkhead_audit_put(rec, BULKHEAD_AUDIT_SRC_ADDR, &ip->saddr, 4);
		bulkhead_audit_put(rec, BULKHEAD_AUDIT_DST_ADDR, &ip->daddr, 4);
		put_ports(rec, skb, net + ip->ihl * 4, ip->protocol);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_PROTOCOL, ip6->nexthdr);
		bulkhead_audit_put(rec, BULKHEAD_AUDIT_SRC_ADDR, &ip6->saddr, 16);
		bulkhead_audit_put(rec, BULKHEAD_AUDIT_DST_ADDR, &ip6->daddr, 16);
		put_ports(rec, skb, net + sizeof(*ip6), ip6->nexthdr);
	}
}

static void put_destination(struct bulkhead_audit_rec *rec, const struct sockaddr *addr)
{
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;

		bulkhead_audit_put(rec, BULKHEAD_AUDIT_DST_ADDR, &in->sin_addr, 4);
		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_DST_PORT, ntohs(in->sin_port));
	} else if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;

		bulkhead_audit_put(rec, BULKHEAD_AUDIT_DST_ADDR, &in6->sin6_addr, 16);
		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_DST_PORT, ntohs(in6->sin6_port));
	}
}

/*
 * A file's name: from the task's root where the hook gives its mount (d_path(), as auditd's
 * PATH records and /proc/PID/fd show it, " (deleted)" included), else within its filesystem
 * (the inode hooks know only a dentry). A task past exit_fs() has no root to name it from.
 */
static char *object_name(const struct bulkhead_object *obj, char *buf, int len)
{
	if (obj->path && obj->path->mnt && current->fs)
		return d_path(obj->path, buf, len);
	return dentry_path_raw(obj->dentry, buf, len);
}

/*
 * A file as its name (object_name()) with device and inode
 * (or only those, where the hook knows no name),
 * a peer task as its pid, an interface as its name, a capability as its number.
 */
static void put_object(struct bulkhead_audit_rec *rec, const struct bulkhead_object *obj)
{
	struct inode *inode;
	char buf[256];
	char *path;

	if (obj->dentry) {
		path = object_name(obj, buf, sizeof(buf));
		if (IS_ERR(path))
			rec->hdr->flags |= BULKHEAD_AUDIT_F_TRUNCATED;
		else
			bulkhead_audit_put_str(rec, BULKHEAD_AUDIT_OBJ_PATH, path);
		inode = d_inode_rcu(obj->dentry);
		if (inode) {
			/* The kernel's own encoding, MAJOR << 20 | MINOR, as the header says. */
			bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_OBJ_DEV, inode->i_sb->s_dev);
			bulkhead_audit_put_u64(rec, BULKHEAD_AUDIT_OBJ_INO, inode->i_ino);
		}
	}
	if (obj->inode) {
		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_OBJ_DEV, obj->inode->i_sb->s_dev);
		bulkhead_audit_put_u64(rec, BULKHEAD_AUDIT_OBJ_INO, obj->inode->i_ino);
	}
	if (obj->task)
		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_PEER_PID, task_pid_nr(obj->task));
	if (obj->dev)
		bulkhead_audit_put_str(rec, BULKHEAD_AUDIT_NETDEV, obj->dev->name);
	if (obj->skb)
		put_packet(rec, obj->skb);
	if (obj->addr)
		put_destination(rec, obj->addr);
	if (obj->capability)
		bulkhead_audit_put_u32(rec, BULKHEAD_AUDIT_CAPABILITY, *obj->capability);
}

/* What a record made by @pol's decision says decided it. */
static u64 generation_of(const struct bulkhead_policy *pol)
{
	return pol ? pol->generation : 0;
}

static bool record_decision(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			    u32 from, u32 to, u32 channel, const struct bulkhead_object *obj,
			    u8 decision, enum bulkhead_audit_rule rule)
{
	struct bulkhead_audit_rec rec;

	switch (bulkhead_audit_reserve(&rec, BULKHEAD_AUDIT_DECISION, decision, hook,
				       generation_of(pol), BULKHEAD_AUDIT_EXEMPT_CAPABLE)) {
	case BULKHEAD_AUDIT_RES_REFUSED:
		return false;
	case BULKHEAD_AUDIT_RES_LOST:
		return true;
	case BULKHEAD_AUDIT_RES_OK:
		break;
	}
	put_subject(&rec);
	put_domain(&rec, pol, BULKHEAD_AUDIT_FROM_DOMAIN, from);
	put_domain(&rec, pol, BULKHEAD_AUDIT_TO_DOMAIN, to);
	if (channel)
		bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_CHANNEL, channel);
	put_subject_domain(&rec, pol);
	if (rule != BULKHEAD_AUDIT_RULE_FLOWS)
		bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_RULE, rule);
	if (obj)
		put_object(&rec, obj);
	bulkhead_audit_commit(&rec);
	return true;
}

/**
 * bulkhead_audit_decision() - record a decision
 * @pol: the policy that decided, under rcu_read_lock()
 * @hook: the deciding hook
 * @from: domain the information would come from
 * @to: domain it would go to
 * @channel: one BULKHEAD_CHAN_* bit, or 0 for a host-only operation
 * @obj: what the operation acts on, or NULL
 * @decision: enum bulkhead_audit_decision
 *
 * Return: false when the record could not be kept and the failure mode says the operation
 * must then be denied (block mode, unprivileged caller).
 */
bool bulkhead_audit_decision(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			     u32 from, u32 to, u32 channel, const struct bulkhead_object *obj,
			     u8 decision)
{
	return record_decision(pol, hook, from, to, channel, obj, decision,
			       BULKHEAD_AUDIT_RULE_FLOWS);
}

/**
 * bulkhead_audit_lock_denial() - record denying a change to the pins of a locked bulkhead
 * @pol: the policy in force, under rcu_read_lock(), for the domain's name
 * @hook: the deciding hook
 * @domain: the domain of the task denied
 * @obj: the name it tried to change
 */
void bulkhead_audit_lock_denial(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
				u32 domain, const struct bulkhead_object *obj)
{
	record_decision(pol, hook, domain, domain, 0, obj, BULKHEAD_AUDIT_DENIED,
			BULKHEAD_AUDIT_RULE_LOCK);
}

/**
 * bulkhead_audit_transfer() - record what an exchange's guard did with a file
 * @pol: the policy in force, under rcu_read_lock()
 * @t: the transfer
 *
 * A transfer is no administrator's act: in block mode its record is refused like a decision's,
 * whatever the guard's capabilities, and the guard must then not deliver.
 *
 * Return: 0 when kept (or lost in drop mode, which the stream shows), -ENOBUFS when refused.
 */
int bulkhead_audit_transfer(const struct bulkhead_policy *pol,
			    const struct bulkhead_audit_transfer *t)
{
	struct bulkhead_audit_rec rec;

	switch (bulkhead_audit_reserve(&rec, BULKHEAD_AUDIT_TRANSFER, BULKHEAD_AUDIT_NONE,
				       BULKHEAD_AUDIT_NO_HOOK, generation_of(pol),
				       BULKHEAD_AUDIT_EXEMPT_NONE)) {
	case BULKHEAD_AUDIT_RES_REFUSED:
		return -ENOBUFS;
	case BULKHEAD_AUDIT_RES_LOST:
		return 0;
	case BULKHEAD_AUDIT_RES_OK:
		break;
	}
	put_subject(&rec);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_EXCHANGE, t->exchange);
	put_domain(&rec, pol, BULKHEAD_AUDIT_FROM_DOMAIN, t->from);
	put_domain(&rec, pol, BULKHEAD_AUDIT_TO_DOMAIN, t->to);
	put_subject_domain(&rec, pol);
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_TRANSFER_ID, t->id);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_VERDICT, t->verdict);
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_FILE_SIZE, t->size);
	if (t->sha256)
		bulkhead_audit_put(&rec, BULKHEAD_AUDIT_SHA256, t->sha256, BULKHEAD_HASH_LEN);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_SENDER_UID, t->sender_uid);
	if (t->reason)
		bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_REASON, t->reason);
	if (t->filter)
		bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_FILTER, t->filter);
	/* The names last: only they can be long enough to be cut. */
	if (t->delivered_as)
		bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_DELIVERED_AS, t->delivered_as);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_FILE_NAME, t->name);
	bulkhead_audit_commit(&rec);
	return 0;
}

/**
 * bulkhead_audit_transfer_refused() - record a transfer record refused to a non-guard
 * @pol: the policy in force, under rcu_read_lock()
 * @exchange: the exchange named
 * @domain: the domain of the task that tried
 * @guard: the exchange's guard domain, the only one that may
 */
void bulkhead_audit_transfer_refused(const struct bulkhead_policy *pol, const char *exchange,
				     u32 domain, u32 guard)
{
	struct bulkhead_audit_rec rec;

	if (bulkhead_audit_reserve(&rec, BULKHEAD_AUDIT_TRANSFER, BULKHEAD_AUDIT_DENIED,
				   BULKHEAD_AUDIT_NO_HOOK, generation_of(pol),
				   BULKHEAD_AUDIT_EXEMPT_CAPABLE) != BULKHEAD_AUDIT_RES_OK)
		return;
	put_subject(&rec);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_EXCHANGE, exchange);
	put_domain(&rec, pol, BULKHEAD_AUDIT_FROM_DOMAIN, domain);
	put_domain(&rec, pol, BULKHEAD_AUDIT_TO_DOMAIN, guard);
	put_subject_domain(&rec, pol);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_RULE, BULKHEAD_AUDIT_RULE_GUARD);
	bulkhead_audit_commit(&rec);
}

/*
 * Management events are made by administrators (exempt from block mode); one that cannot be
 * kept is counted lost and announced by the next LOST record. They carry the generation in
 * force as they are made.
 */
static bool begin_event(struct bulkhead_audit_rec *rec, u16 type)
{
	u64 generation;

	rcu_read_lock();
	generation = generation_of(rcu_dereference(bulkhead_active_policy));
	rcu_read_unlock();
	return bulkhead_audit_reserve(rec, type, BULKHEAD_AUDIT_NONE, BULKHEAD_AUDIT_NO_HOOK,
				      generation, BULKHEAD_AUDIT_EXEMPT_ALWAYS) ==
	       BULKHEAD_AUDIT_RES_OK;
}

void bulkhead_audit_policy(u64 old_gen, const u8 *old_hash, u64 new_gen, const u8 *new_hash)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, BULKHEAD_AUDIT_POLICY))
		return;
	put_subject(&rec);
	/* The header carries the generation in force when the record was made: the new one. */
	rec.hdr->generation = new_gen;
	bulkhead_audit_put_u64(&rec, BULKHEAD_AUDIT_OLD_GENERATION, old_gen);
	bulkhead_audit_put(&rec, BULKHEAD_AUDIT_OLD_HASH, old_hash, BULKHEAD_HASH_LEN);
	bulkhead_audit_put(&rec, BULKHEAD_AUDIT_NEW_HASH, new_hash, BULKHEAD_HASH_LEN);
	bulkhead_audit_commit(&rec);
}

void bulkhead_audit_mode(u32 old_mode, u32 mode)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, BULKHEAD_AUDIT_MODE))
		return;
	put_subject(&rec);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_OLD_MODE, old_mode);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_NEW_MODE, mode);
	bulkhead_audit_commit(&rec);
}

/* An event whose one detail, beyond who made it, is a number. */
static void event_u32(u16 type, u16 field, u32 value)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, type))
		return;
	put_subject(&rec);
	bulkhead_audit_put_u32(&rec, field, value);
	bulkhead_audit_commit(&rec);
}

/* The mode in force is part of what a lock fixes. */
void bulkhead_audit_lock(u32 mode)
{
	event_u32(BULKHEAD_AUDIT_LOCK, BULKHEAD_AUDIT_NEW_MODE, mode);
}

void bulkhead_audit_switch(const char *group, const char *old_active, const char *active)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, BULKHEAD_AUDIT_SWITCH))
		return;
	put_subject(&rec);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_GROUP, group);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_OLD_ACTIVE, old_active);
	bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_ACTIVE, active);
	bulkhead_audit_commit(&rec);
}

/* Each setting after the change, then before it, so that a reader sees what changed. */
void bulkhead_audit_config(const struct bulkhead_audit_settings *old,
			   const struct bulkhead_audit_settings *new)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, BULKHEAD_AUDIT_CONFIG))
		return;
	put_subject(&rec);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_FAILURE_MODE, new->failure);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_OLD_FAILURE_MODE, old->failure);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_RING_RECORDS, new->capacity);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_OLD_RING_RECORDS, old->capacity);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_RECORD_ALLOWS, new->allows);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_OLD_RECORD_ALLOWS, old->allows);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_EXPORT, new->export);
	bulkhead_audit_put_u32(&rec, BULKHEAD_AUDIT_OLD_EXPORT, old->export);
	bulkhead_audit_commit(&rec);
}

void bulkhead_audit_reader(bool attached)
{
	event_u32(BULKHEAD_AUDIT_READER, BULKHEAD_AUDIT_READER_EVENT, attached);
}

/* @failed: BULKHEAD_SELFTEST_* of the tests that failed, 0 when all passed. */
void bulkhead_audit_selftest(u32 failed)
{
	event_u32(BULKHEAD_AUDIT_SELFTEST, BULKHEAD_AUDIT_SELFTEST_FAILED, failed);
}

/* Events with no detail beyond who made them: load, unload, key handed out. */
void bulkhead_audit_event(u16 type)
{
	struct bulkhead_audit_rec rec;

	if (!begin_event(&rec, type))
		return;
	put_subject(&rec);
	if (type == BULKHEAD_AUDIT_LOAD)
		bulkhead_audit_put_str(&rec, BULKHEAD_AUDIT_VERSION_TEXT, BULKHEAD_MODULE_VERSION);
	bulkhead_audit_commit(&rec);
}
