// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: BPF-LSM shims. A loadable module cannot register LSM hooks, so each program here
 * attaches to one hook, asks the module (through its kfunc) for a verdict, and returns it.
 * All state and logic live in the module.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <linux/bulkhead.h>

extern __u32 bulkhead_file_open(struct file *file) __ksym;

#define EPERM 1
#define EACCES 13

/* Turn the module's verdict into the hook's return value; anything unknown fails closed. */
static __always_inline int verdict(__u32 v)
{
	if (v == BULKHEAD_VERDICT_ALLOW)
		return 0;
	if (v == BULKHEAD_VERDICT_EACCES)
		return -EACCES;
	return -EPERM;
}

/* kfuncs are only callable from GPL-compatible programs. */
char LICENSE[] SEC("license") = "GPL";

SEC("lsm/file_open")
int BPF_PROG(file_open, struct file *file, int ret)
{
	/* An earlier LSM already denied: keep its verdict. */
	if (ret)
		return ret;
	return verdict(bulkhead_file_open(file));
}
