/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead tools: BPF-LSM programs named after their hooks, on kernels that lack some hooks.
 */
#ifndef BULKHEAD_BPF_HOOKS_H
#define BULKHEAD_BPF_HOOKS_H

struct bpf_object;

/*
 * Some hooks are newer than some target kernels (the POSIX ACL hooks came with 6.2): a program
 * of @obj whose hook this kernel lacks (no bpf_lsm_HOOK in its BTF) is set not to load. Each
 * program must be named after its hook.
 */
void bh_skip_absent_hooks(struct bpf_object *obj);

#endif /* BULKHEAD_BPF_HOOKS_H */
