/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: generated policies, for limits, concurrency and benchmarks.
 */
#ifndef BULKHEAD_SELFTEST_GEN_H
#define BULKHEAD_SELFTEST_GEN_H

#include "policy.h"

/* @n domains named PREFIX0..PREFIX(n-1). 0 or -1. */
int gen_domains(struct bh_policy *p, const char *prefix, size_t n);

/* @n directories DIR/0..DIR/(n-1), made if missing. 0 or -errno. */
int gen_dirs(const char *dir, size_t n);

/* Bind DIR/0..DIR/(n-1) to the first domain of @p. 0 or -1. */
int gen_path_bindings(struct bh_policy *p, const char *dir, size_t n);

/* @n flows among @p's domains (which must be enough), in a fixed order. 0 or -1. */
int gen_flows(struct bh_policy *p, size_t n);

#endif /* BULKHEAD_SELFTEST_GEN_H */
