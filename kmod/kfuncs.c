// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs, the entry points the BPF-LSM programs call from each hook. Each returns
 * an enum bulkhead_verdict that the program turns into the hook's return value.
 */
#include <linux/bpf.h>
#include <linux/fs.h>

#include "bulkhead.h"
#include "compat.h"

__bpf_kfunc_start_defs();

/**
 * bulkhead_file_open() - decide an open of @file by the current task
 * @file: the file being opened
 *
 * No policy exists yet, so every open is allowed; the call is counted.
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_file_open(struct file *file)
{
	bulkhead_hook_count(BULKHEAD_HOOK_FILE_OPEN);
	return BULKHEAD_VERDICT_ALLOW;
}

__bpf_kfunc_end_defs();

BULKHEAD_KFUNCS_START(bulkhead_kfunc_ids)
BTF_ID_FLAGS(func, bulkhead_file_open)
BULKHEAD_KFUNCS_END(bulkhead_kfunc_ids)

static const struct btf_kfunc_id_set bulkhead_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &bulkhead_kfunc_ids,
};

int bulkhead_kfuncs_register(void)
{
	/* Sets cannot be unregistered; they go away with the module's BTF on unload. */
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &bulkhead_kfunc_set);
}
