/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: declarations shared between the module's files.
 */
#ifndef _BULKHEAD_H
#define _BULKHEAD_H

#include <linux/types.h>
#include <uapi/linux/bulkhead.h>

#define BULKHEAD_MODULE_VERSION "0.1.0"

/* mode.c: the global decision mode */
enum bulkhead_mode bulkhead_mode_get(void);
void bulkhead_mode_set(enum bulkhead_mode mode);
const char *bulkhead_mode_name(enum bulkhead_mode mode);

/* hooks.c: the table of LSM hooks served through BPF, with call counters */
const char *bulkhead_hook_name(enum bulkhead_hook hook);
void bulkhead_hook_count(enum bulkhead_hook hook);
u64 bulkhead_hook_calls(enum bulkhead_hook hook);
bool bulkhead_hook_attached(enum bulkhead_hook hook);

/* kfuncs.c: the functions BPF programs call (declared here only for the checkers) */
struct file;
int bulkhead_kfuncs_register(void);
u32 bulkhead_file_open(struct file *file);

/* netlink.c: the generic netlink family */
int bulkhead_netlink_register(void);
void bulkhead_netlink_unregister(void);

#endif /* _BULKHEAD_H */
