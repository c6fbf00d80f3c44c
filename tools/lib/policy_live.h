/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: "policy check --live" - what the kernel would refuse of a policy's bindings on
 * this host, found without the kernel and without applying anything.
 */
#ifndef BULKHEAD_POLICY_LIVE_H
#define BULKHEAD_POLICY_LIVE_H

#include <stdio.h>

#include "policy.h"

/* Where cgroup v2 is mounted: the root the kernel reads cgroup binding paths from. */
#define BH_CGROUP_ROOT "/sys/fs/cgroup"

/*
 * Check each binding of @p as the kernel resolves it at apply (kmod/txn.c): a path must
 * resolve (symbolic links followed), a cgroup must exist under @cgroup_root (the cgroup v2
 * root), an interface must exist (in this network namespace; the kernel looks in the initial
 * one), and no two bindings of one kind may name one object by different words (a symbolic
 * link, "/a/../b"). Every problem is printed to @err as "file:line:col: message"; returns
 * their number.
 */
int bh_policy_check_live(const struct bh_policy *p, const char *cgroup_root, FILE *err);

#endif /* BULKHEAD_POLICY_LIVE_H */
