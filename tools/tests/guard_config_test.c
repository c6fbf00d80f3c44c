// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: the exchange guard configured from the kernel's policy - an exchange of
 * the policy dump (struct bh_exchange, filled here by hand as the dump decoder fills it) gives
 * the guard its outbox, inbox and every check, and the guard then applies them.
 */
#include <errno.h>
#include <stdarg.h>

#include "kselftest_harness.h"
#include "guard_fixture.h"
#include "policy.h"

FIXTURE(config) {
	struct exchange x;
	struct bh_policy p;
	struct bh_exchange *e;
	char err[256];
};

/* One exchange "low-high" whose boxes are the fixture's directories, no check set. */
FIXTURE_SETUP(config)
{
	exchange_setup(&self->x);
	bh_policy_init(&self->p);
	self->p.exchanges = calloc(1, sizeof(*self->p.exchanges));
	ASSERT_NE(NULL, self->p.exchanges);
	self->p.n_exchanges = 1;
	self->e = &self->p.exchanges[0];
	snprintf(self->e->name, sizeof(self->e->name), "low-high");
	snprintf(self->e->from, sizeof(self->e->from), "low");
	snprintf(self->e->to, sizeof(self->e->to), "high");
	snprintf(self->e->guard, sizeof(self->e->guard), "guard");
	self->e->outbox = strdup(self->x.outbox);
	self->e->inbox = strdup(self->x.inbox);
}

FIXTURE_TEARDOWN(config)
{
	bh_policy_free(&self->p);
	exchange_teardown(&self->x);
}

static char **strings(size_t n, ...)
{
	char **v = calloc(n, sizeof(*v));
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = strdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* BH-EXCH-3: every check of the exchange statement reaches the guard's configuration. */
TEST_F(config, every_check_taken)
{
	struct bh_guard_config cfg = { 0 };
	const struct bh_exchange *x;

	self->e->max_size = 4096;
	self->e->types = strings(2, "text/plain", "image/");
	self->e->n_types = 2;
	self->e->deny = strings(1, "SECRET");
	self->e->n_deny = 1;
	self->e->filter = strdup("clamscan --no-summary");
	self->e->filter_timeout = 90;
	self->e->rate = 5;
	self->e->burst = 20;
	EXPECT_EQ(NULL, bh_guard_exchange(&self->p, "low"));
	x = bh_guard_exchange(&self->p, "low-high");
	ASSERT_EQ(self->e, x);
	ASSERT_EQ(0, bh_guard_config_from_exchange(&cfg, x, self->err, sizeof(self->err)));
	EXPECT_STREQ("low-high", cfg.name);
	EXPECT_STREQ(self->x.outbox, cfg.outbox);
	EXPECT_STREQ(self->x.inbox, cfg.inbox);
	EXPECT_EQ(NULL, cfg.staging);
	EXPECT_EQ(4096, cfg.max_size);
	ASSERT_EQ(2, cfg.n_types);
	EXPECT_STREQ("image/", cfg.types[1]);
	ASSERT_EQ(1, cfg.n_deny);
	EXPECT_STREQ("SECRET", cfg.deny[0]);
	EXPECT_STREQ("clamscan --no-summary", cfg.filter);
	EXPECT_EQ(90000, cfg.filter_timeout_ms);
	EXPECT_EQ(5, cfg.rate);
	EXPECT_EQ(20, cfg.burst);
}

/* BH-EXCH-3: what the statement leaves out is no check, and the filter's default timeout. */
TEST_F(config, defaults)
{
	struct bh_guard_config cfg = { 0 };

	self->e->filter = strdup("");
	ASSERT_EQ(0, bh_guard_config_from_exchange(&cfg, self->e, self->err, sizeof(self->err)));
	EXPECT_EQ(0, cfg.max_size);
	EXPECT_EQ(0, cfg.n_types);
	EXPECT_EQ(0, cfg.n_deny);
	EXPECT_EQ(NULL, cfg.filter);
	EXPECT_EQ(BH_GUARD_FILTER_TIMEOUT_S * 1000, cfg.filter_timeout_ms);
	EXPECT_EQ(0, cfg.rate);
	EXPECT_EQ(0, cfg.burst);
}

/* BH-EXCH-3: an exchange the guard cannot serve is refused with its reason. */
TEST_F(config, unusable_exchange_refused)
{
	struct bh_guard_config cfg = { 0 };

	self->e->n_types = BH_GUARD_MAX_TYPES + 1;
	EXPECT_EQ(-E2BIG, bh_guard_config_from_exchange(&cfg, self->e, self->err,
							sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "more than the 32 and 32 this guard takes"));
	self->e->n_types = 0;
	free(self->e->inbox);
	self->e->inbox = NULL;
	EXPECT_EQ(-EPROTO, bh_guard_config_from_exchange(&cfg, self->e, self->err,
							 sizeof(self->err)));
	EXPECT_STREQ("exchange low-high: the policy gives it no outbox or inbox", self->err);
}

/* BH-EXCH-3: a guard configured from the policy applies the policy's checks. */
TEST_F(config, guard_applies_policy)
{
	self->e->types = strings(1, "text/");
	self->e->n_types = 1;
	self->e->deny = strings(1, "classified");
	self->e->n_deny = 1;
	self->e->max_size = 100;
	self->x.cfg = (struct bh_guard_config){ .staging = self->x.staging,
						.quarantine = self->x.quarantine };
	ASSERT_EQ(0, bh_guard_config_from_exchange(&self->x.cfg, self->e, self->err,
						   sizeof(self->err)));
	ASSERT_EQ(0, put_file(self->x.outbox, "ok.txt", "fine\n", 5));
	ASSERT_EQ(0, put_file(self->x.outbox, "memo.txt", "classified\n", 11));
	ASSERT_EQ(0, put_file(self->x.outbox, "zeros.txt", "\0\0\0\0\1\2\3", 7));
	ASSERT_EQ(3, exchange_run(&self->x, NULL));
	EXPECT_EQ(1, count_files(self->x.inbox, 1));
	EXPECT_EQ(1, records_with(&self->x, "\"exchange\":\"low-high\",\"id\":1,\"name\":\"memo.txt\""));
	EXPECT_EQ(1, records_with(&self->x, "\"reason\":\"deny-pattern:1\""));
	EXPECT_EQ(1, records_with(&self->x, "\"name\":\"ok.txt\",\"delivered_as\":\"ok.txt\""));
	EXPECT_EQ(1, records_with(&self->x, "\"reason\":\"type:application/octet-stream\""));
}

TEST_HARNESS_MAIN
