// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: /dev/bulkhead-audit, the audit trail's reader device, modelled on /dev/kmsg:
 * every open file has its own position; read() returns one record, and more whole records
 * while the buffer has room for another of the largest size (a buffer of one maximum record
 * gets one: a recorder passes a larger one to take many in one call); a reader that fell
 * behind gets EPIPE once and continues at the oldest record still held; lseek(SEEK_SET) to a
 * sequence number makes it the next record read (a restarted recorder resumes after the last
 * record it has, instead of reading again all those the ring still holds); writing a sequence
 * number acknowledges the records up to it as durable.
 *
 * Reading needs CAP_AUDIT_READ, acknowledging (opening for writing) CAP_AUDIT_CONTROL. An
 * acknowledging reader is a recorder: its attaching and detaching are recorded.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "audit.h"

struct reader {
	struct mutex lock;	/* serializes read() on one file */
	u64 pos;		/* the next record to return */
	u8 buf[BULKHEAD_AUDIT_MAX_RECORD];
};

static int audit_open(struct inode *inode, struct file *file)
{
	struct reader *r;

	if (!capable(CAP_AUDIT_READ))
		return -EPERM;
	if ((file->f_mode & FMODE_WRITE) && !capable(CAP_AUDIT_CONTROL))
		return -EPERM;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	mutex_init(&r->lock);
	r->pos = bulkhead_audit_oldest();
	file->private_data = r;
	if (file->f_mode & FMODE_WRITE)
		bulkhead_audit_reader(true);
	return 0;
}

static int audit_release(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_WRITE)
		bulkhead_audit_reader(false);
	kfree(file->private_data);
	return 0;
}

/*
 * Under r->lock, r->buf holding record r->pos (@size bytes): copy it out, then the sealed
 * records after it while another of the largest size would still fit. Stops before a record
 * not sealed yet or overwritten (the next read() returns EAGAIN or EPIPE for it).
 */
static ssize_t copy_records(struct reader *r, char __user *ubuf, size_t len, int size)
{
	size_t done = 0;

	for (;;) {
		if (copy_to_user(ubuf + done, r->buf, size))
			return done ?: -EFAULT;
		done += size;
		r->pos++;
		bulkhead_audit_count_delivered();
		if (len - done < BULKHEAD_AUDIT_MAX_RECORD)
			return done;
		size = bulkhead_audit_copy(r->pos, r->buf);
		if (size < 0)
			return done;
	}
}

static ssize_t audit_read(struct file *file, char __user *ubuf, size_t len, loff_t *off)
{
	struct reader *r = file->private_data;
	ssize_t ret;

	if (mutex_lock_interruptible(&r->lock))
		return -EINTR;
	for (;;) {
		ret = bulkhead_audit_copy(r->pos, r->buf);
		if (ret != -EAGAIN)
			break;
		if (file->f_flags & O_NONBLOCK)
			goto out;
		mutex_unlock(&r->lock);
		if (wait_event_interruptible(bulkhead_audit_wait,
					     bulkhead_audit_sealed() >= READ_ONCE(r->pos)))
			return -ERESTARTSYS;
		if (mutex_lock_interruptible(&r->lock))
			return -EINTR;
	}
	if (ret == -EPIPE) {
		/* Overwritten before this reader got it: say so once, then go on. */
		r->pos = max(r->pos + 1, bulkhead_audit_oldest());
		goto out;
	}
	if (ret > len) {
		ret = -EINVAL;
		goto out;
	}
	ret = copy_records(r, ubuf, len, ret);
out:
	mutex_unlock(&r->lock);
	return ret;
}

/* A __u64: the last record the writer made durable. */
static ssize_t audit_write(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	u64 seq;
	int err;

	if (len != sizeof(seq))
		return -EINVAL;
	if (copy_from_user(&seq, ubuf, sizeof(seq)))
		return -EFAULT;
	err = bulkhead_audit_ack(seq);
	return err ?: len;
}

static __poll_t audit_poll(struct file *file, poll_table *wait)
{
	struct reader *r = file->private_data;

	poll_wait(file, &bulkhead_audit_wait, wait);
	return bulkhead_audit_sealed() >= READ_ONCE(r->pos) ? EPOLLIN | EPOLLRDNORM : 0;
}

/*
 * SEEK_SET to sequence number @offset, 1 up to the next record to be made: the next read()
 * returns that record, or EPIPE once if it is gone. Returns the position.
 */
static loff_t audit_llseek(struct file *file, loff_t offset, int whence)
{
	struct reader *r = file->private_data;

	if (whence != SEEK_SET)
		return -EINVAL;
	if (offset < 1 || offset > bulkhead_audit_next())
		return -EINVAL;
	if (mutex_lock_interruptible(&r->lock))
		return -EINTR;
	r->pos = offset;
	mutex_unlock(&r->lock);
	return offset;
}

static const struct file_operations audit_fops = {
	.owner = THIS_MODULE,
	.open = audit_open,
	.release = audit_release,
	.read = audit_read,
	.write = audit_write,
	.poll = audit_poll,
	.llseek = audit_llseek,
};

static struct miscdevice audit_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "bulkhead-audit",
	.fops = &audit_fops,
	.mode = 0600,
};

int bulkhead_audit_dev_register(void)
{
	return misc_register(&audit_dev);
}

void bulkhead_audit_dev_unregister(void)
{
	misc_deregister(&audit_dev);
}
