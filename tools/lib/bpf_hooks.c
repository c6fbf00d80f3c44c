// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead tools: BPF-LSM programs named after their hooks, on kernels that lack some hooks.
 */
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_hooks.h"

void bh_skip_absent_hooks(struct bpf_object *obj)
{
	struct bpf_program *prog;
	char fn[96];
	struct btf *btf;

	btf = btf__load_vmlinux_btf();
	if (!btf)
		return;	/* the load then fails with libbpf's own message */
	bpf_object__for_each_program(prog, obj) {
		snprintf(fn, sizeof(fn), "bpf_lsm_%s", bpf_program__name(prog));
		if (btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC) < 0)
			bpf_program__set_autoload(prog, false);
	}
	btf__free(btf);
}
