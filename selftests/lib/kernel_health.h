/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: signs of a kernel in trouble - complaints in its log, slab that grows.
 */
#ifndef BULKHEAD_SELFTEST_KERNEL_HEALTH_H
#define BULKHEAD_SELFTEST_KERNEL_HEALTH_H

#include <stddef.h>
#include <sys/types.h>

/* A process reading the kernel log from the moment it starts. */
struct kmsg_watch {
	pid_t pid;
	int fd;		/* its complaints, one a line */
};

/* Watch the kernel log from now on. 0 or -errno. */
int kmsg_watch_start(struct kmsg_watch *w);

/*
 * Stop watching: how many records logged since kmsg_watch_start() complain - the words the
 * suite's kernel-log check (tools/vm/kernel-log-check.sh) fails a run on, or a level of
 * KERN_ERR or worse. The first few go to @out, separated by " | ".
 */
int kmsg_watch_stop(struct kmsg_watch *w, char *out, size_t len);

/*
 * Unreclaimable slab in KiB once freeing has settled: sockets, policies and transactions go
 * through RCU and exiting processes, so wait for those first. -1 when it cannot be read.
 */
long settled_slab_kb(void);

#endif /* BULKHEAD_SELFTEST_KERNEL_HEALTH_H */
