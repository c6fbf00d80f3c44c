// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: generated policies.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "gen.h"

int gen_domains(struct bh_policy *p, const char *prefix, size_t n)
{
	char name[BULKHEAD_NAME_LEN];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%zu", prefix, i);
		if (!bh_policy_add_domain(p, name))
			return -1;
	}
	return 0;
}

int gen_dirs(const char *dir, size_t n)
{
	char path[256];
	size_t i;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%zu", dir, i);
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
	}
	return 0;
}

int gen_path_bindings(struct bh_policy *p, const char *dir, size_t n)
{
	char path[256];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%zu", dir, i);
		if (!bh_domain_add_binding(&p->domains[0], BULKHEAD_BIND_PATH, path))
			return -1;
	}
	return 0;
}

int gen_flows(struct bh_policy *p, size_t n)
{
	size_t i, j, made = 0;

	for (i = 0; i < p->n_domains && made < n; i++) {
		for (j = 0; j < p->n_domains && made < n; j++) {
			struct bh_flow *f;

			if (i == j)
				continue;
			f = bh_policy_add_flow(p, p->domains[i].name, p->domains[j].name);
			if (!f)
				return -1;
			f->channels = BULKHEAD_CHAN_FILE;
			made++;
		}
	}
	return made == n ? 0 : -1;
}
