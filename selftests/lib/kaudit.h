/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux audit subsystem as the benchmark's yardstick: a reader that becomes its daemon
 * and drains every record to a file, as auditd does, and syscall rules added and removed over
 * the audit netlink socket, as auditctl does.
 */
#ifndef BULKHEAD_SELFTEST_KAUDIT_H
#define BULKHEAD_SELFTEST_KAUDIT_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/audit.h>

struct kaudit {
	int fd;			/* rules and status */
	pid_t reader;		/* the daemon */
	__u32 old_backlog_limit;
};

/* Start the reader, writing each record as a line "type=N text" to @log; 0 or -errno. */
int kaudit_start(struct kaudit *k, const char *log);

/*
 * Add (@add) or remove the rule recording, at their exit, the @n system calls @syscalls of
 * every task whose group is @gid; 0 or -errno.
 */
int kaudit_rule(struct kaudit *k, bool add, gid_t gid, const int *syscalls, int n);

/* The subsystem's status (lost, backlog, ...); 0 or -errno. */
int kaudit_status(struct kaudit *k, struct audit_status *st);

/* Stop the reader (it unregisters itself) and restore the backlog limit. */
void kaudit_stop(struct kaudit *k);

/* Lines of @log for records of type @type. */
long long kaudit_count(const char *log, unsigned int type);

#endif /* BULKHEAD_SELFTEST_KAUDIT_H */
