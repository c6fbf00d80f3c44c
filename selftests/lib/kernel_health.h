/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: signs of a kernel in trouble - complaints in its log, slab that grows.
 */
#ifndef BULKHEAD_SELFTEST_KERNEL_HEALTH_H
#define BULKHEAD_SELFTEST_KERNEL_HEALTH_H

#include <stddef.h>

/* /dev/kmsg positioned at its end: what the kernel logs from now on. A descriptor or -errno. */
int kmsg_open_at_end(void);

/*
 * How many records logged since kmsg_open_at_end() complain: the words the suite's
 * kernel-log check (tools/vm/kernel-log-check.sh) fails a run on, or a level of KERN_ERR or
 * worse. The first few go to @out, separated by " | ".
 */
int kmsg_complaints(int fd, char *out, size_t len);

/*
 * Unreclaimable slab in KiB once freeing has settled: sockets, policies and transactions go
 * through RCU and exiting processes, so wait for those first. -1 when it cannot be read.
 */
long settled_slab_kb(void);

#endif /* BULKHEAD_SELFTEST_KERNEL_HEALTH_H */
