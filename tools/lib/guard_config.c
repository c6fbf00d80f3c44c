// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: an exchange guard's configuration from the kernel's policy - the outbox, inbox and
 * checks of the exchange statement, as the policy dump gives them (struct bh_exchange). The
 * policy is the one source: "guard run --exchange" takes no check from its command line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "policy.h"

const struct bh_exchange *bh_guard_exchange(const struct bh_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_exchanges; i++)
		if (!strcmp(p->exchanges[i].name, name))
			return &p->exchanges[i];
	return NULL;
}

int bh_guard_config_from_exchange(struct bh_guard_config *cfg, const struct bh_exchange *x,
				  char *err, size_t errlen)
{
	size_t i;

	if (!x->outbox || !x->inbox) {
		snprintf(err, errlen, "exchange %s: the policy gives it no outbox or inbox", x->name);
		return -EPROTO;
	}
	/* Equal to the kernel's limits today; a newer kernel's may be larger. */
	if (x->n_types > BH_GUARD_MAX_TYPES || x->n_deny > BH_GUARD_MAX_PATTERNS) {
		snprintf(err, errlen, "exchange %s: %zu types and %zu deny patterns, more than the %d and %d this guard takes",
			 x->name, x->n_types, x->n_deny, BH_GUARD_MAX_TYPES, BH_GUARD_MAX_PATTERNS);
		return -E2BIG;
	}
	cfg->name = x->name;
	cfg->outbox = x->outbox;
	cfg->inbox = x->inbox;
	cfg->max_size = x->max_size;
	for (i = 0; i < x->n_types; i++)
		cfg->types[i] = x->types[i];
	cfg->n_types = x->n_types;
	for (i = 0; i < x->n_deny; i++)
		cfg->deny[i] = x->deny[i];
	cfg->n_deny = x->n_deny;
	cfg->filter = x->filter && x->filter[0] ? x->filter : NULL;
	cfg->filter_timeout_ms = (x->filter_timeout ? x->filter_timeout :
				  BH_GUARD_FILTER_TIMEOUT_S) * 1000;
	cfg->rate = x->rate;
	cfg->burst = x->burst;
	return 0;
}
