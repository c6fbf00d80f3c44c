// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the self-tests (FPT_TST.1). At load, before anything is registered, and again on
 * request (BULKHEAD_CMD_SELFTEST):
 *   sha256 - known answers through the library calls that hash policies and evolve the
 *            audit key (sha256_init/update/final), fed in pieces as the canonical text is;
 *   hmac   - RFC 4231 known answers through bulkhead_hmac_sha256(), the call that seals
 *            every record, on a transform allocated as the trail's is;
 *   decide - a policy made by the module's own builder (txn.c, policy_build.c) from a tiny
 *            transaction, and bulkhead_flow_open(), the decision every hook's verdict rests
 *            on, asked about its synthetic domains.
 * A failure at load refuses the load; on request it is reported and recorded, and what to do
 * about a module that no longer passes is the administrator's call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "audit.h"
#include "bulkhead.h"
#include "compat.h"
#include "txn.h"

static const char *const test_names[] = BULKHEAD_SELFTEST_NAMES;
static_assert(BULKHEAD_SELFTEST_ALL == (1U << ARRAY_SIZE(test_names)) - 1);

/* Room for every test's name, comma-separated. */
#define TESTS_TEXT_LEN	32

/* @tests as "sha256,hmac", or "none". */
static int tests_text(char *buf, size_t len, u32 tests)
{
	size_t n = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(test_names); i++)
		if (tests & BIT(i))
			n += scnprintf(buf + n, len - n, "%s%s", n ? "," : "", test_names[i]);
	return n ? n : scnprintf(buf, len, "none");
}

/*
 * For tests only: the self-tests to fail on purpose, so that a refused load and a reported
 * failure can be tested. A forced test still runs, on an input with one bit flipped (or,
 * for decide, without its flow), so its comparison is what fails. It can only make a test
 * fail, never pass.
 */
static u32 forced;

static int forced_set(const char *val, const struct kernel_param *kp)
{
	char buf[TESTS_TEXT_LEN], *p = buf, *word;
	u32 tests = 0, i;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	strim(buf);
	while ((word = strsep(&p, ","))) {
		if (!*word || !strcmp(word, "none"))
			continue;
		for (i = 0; i < ARRAY_SIZE(test_names); i++)
			if (!strcmp(word, test_names[i]))
				break;
		if (i == ARRAY_SIZE(test_names)) {
			pr_err("selftest_fail: unknown self-test '%s' (sha256, hmac, decide or none)\n",
			       word);
			return -EINVAL;
		}
		tests |= BIT(i);
	}
	WRITE_ONCE(forced, tests);
	return 0;
}

static int forced_get(char *buf, const struct kernel_param *kp)
{
	int n = tests_text(buf, PAGE_SIZE - 1, READ_ONCE(forced));

	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static const struct kernel_param_ops forced_ops = {
	.set = forced_set,
	.get = forced_get,
};

module_param_cb(selftest_fail, &forced_ops, NULL, 0600);
MODULE_PARM_DESC(selftest_fail,
		 "for tests only: self-tests to fail on purpose (sha256, hmac, decide, comma-separated, or none)");

/* The last run, for the status; under selftest_lock, which also keeps runs apart. */
static DEFINE_MUTEX(selftest_lock);
static u32 last_failed;
static u64 last_time_ns;

/* Messages and keys are text; a key of one repeated byte is @key_len bytes of @key_fill. */
struct known_answer {
	const char *key;	/* HMAC only */
	u32 key_len;
	u8 key_fill;
	const char *msg;
	u8 digest[SHA256_DIGEST_SIZE];
};

/* FIPS 180-2 appendix B and NIST's examples: one block, two blocks, nothing. */
static const struct known_answer sha256_answers[] = {
	{ .msg = "abc", .digest = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
		0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
		0xf2, 0x00, 0x15, 0xad } },
	{ .msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", .digest = {
		0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e,
		0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4,
		0x19, 0xdb, 0x06, 0xc1 } },
	{ .msg = "", .digest = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f,
		0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
		0x78, 0x52, 0xb8, 0x55 } },
};

/* RFC 4231 test cases 1, 2 and 6: a short key, a key shorter than the hash, a long key. */
static const struct known_answer hmac_answers[] = {
	{ .key_len = 20, .key_fill = 0x0b, .msg = "Hi There", .digest = {
		0xb0, 0x34, 0x4c, 0x61, 0xd8, 0xdb, 0x38, 0x53, 0x5c, 0xa8, 0xaf, 0xce, 0xaf, 0x0b,
		0xf1, 0x2b, 0x88, 0x1d, 0xc2, 0x00, 0xc9, 0x83, 0x3d, 0xa7, 0x26, 0xe9, 0x37, 0x6c,
		0x2e, 0x32, 0xcf, 0xf7 } },
	{ .key = "Jefe", .msg = "what do ya want for nothing?", .digest = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95,
		0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9,
		0x64, 0xec, 0x38, 0x43 } },
	{ .key_len = 131, .key_fill = 0xaa,
	  .msg = "Test Using Larger Than Block-Size Key - Hash Key First", .digest = {
		0x60, 0xe4, 0x31, 0x59, 0x1e, 0xe0, 0xb6, 0x7f, 0x0d, 0x8a, 0x26, 0xaa, 0xcb, 0xf5,
		0xb7, 0x7f, 0x8e, 0x0b, 0xc6, 0x21, 0x37, 0x28, 0xc5, 0x14, 0x05, 0x46, 0x04, 0x0f,
		0x0e, 0xe3, 0x7f, 0x54 } },
};

/* The longest message above, and room for the long key. */
#define KAT_BUF_LEN	160

/*
 * @ka's message into @buf, its last bit flipped when the test is forced to fail (the empty
 * message then becomes one byte, 0x01). Return: its length.
 */
static u32 message(const struct known_answer *ka, u8 *buf, bool corrupt)
{
	u32 len = strlen(ka->msg);

	buf[0] = 0;
	memcpy(buf, ka->msg, len);
	if (!corrupt)
		return len;
	if (!len)
		len = 1;
	buf[len - 1] ^= 1;
	return len;
}

static bool check(const char *test, u32 n, const u8 *got, const u8 *want)
{
	if (!memcmp(got, want, SHA256_DIGEST_SIZE))
		return true;
	pr_err("self-test %s: known answer %u: got %*phN, expected %*phN\n", test, n,
	       SHA256_DIGEST_SIZE, got, SHA256_DIGEST_SIZE, want);
	return false;
}

static bool test_sha256(bool corrupt)
{
	u8 buf[KAT_BUF_LEN], digest[SHA256_DIGEST_SIZE];
	struct bulkhead_sha256_state s;
	bool ok = true;
	u32 i, half;

	for (i = 0; i < ARRAY_SIZE(sha256_answers); i++) {
		u32 len = message(&sha256_answers[i], buf, corrupt);

		/* In two pieces, one of them odd, as the canonical text arrives. */
		half = min(len / 2 + 1, len);
		sha256_init(&s);
		sha256_update(&s, buf, half);
		sha256_update(&s, buf + half, len - half);
		sha256_final(&s, digest);
		ok &= check("sha256", i + 1, digest, sha256_answers[i].digest);
	}
	memzero_explicit(&s, sizeof(s));
	return ok;
}

static bool test_hmac(bool corrupt)
{
	u8 buf[KAT_BUF_LEN], key[KAT_BUF_LEN], digest[SHA256_DIGEST_SIZE];
	struct crypto_shash *tfm;
	bool ok = true;
	u32 i;
	int err;

	tfm = crypto_alloc_shash(BULKHEAD_AUDIT_HMAC, 0, 0);
	if (IS_ERR(tfm)) {
		pr_err("self-test hmac: cannot allocate %s: %ld\n", BULKHEAD_AUDIT_HMAC,
		       PTR_ERR(tfm));
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(hmac_answers); i++) {
		const struct known_answer *ka = &hmac_answers[i];
		u32 len = message(ka, buf, corrupt);
		u32 key_len = ka->key ? strlen(ka->key) : ka->key_len;

		if (ka->key)
			memcpy(key, ka->key, key_len);
		else
			memset(key, ka->key_fill, key_len);
		/* As a seal is made: the key set, then the message in two parts. */
		err = crypto_shash_setkey(tfm, key, key_len) ?:
		      bulkhead_hmac_sha256(tfm, buf, len / 2, buf + len / 2, len - len / 2, digest);
		if (err) {
			pr_err("self-test hmac: known answer %u: error %d\n", i + 1, err);
			ok = false;
			continue;
		}
		ok &= check("hmac", i + 1, digest, ka->digest);
	}
	crypto_free_shash(tfm);
	memzero_explicit(key, sizeof(key));
	return ok;
}

/* The built-in policy's domains, which no administrator's policy is asked about. */
#define LOW	"selftest-low"
#define HIGH	"selftest-high"
#define OTHER	"selftest-other"

/* host, low, high and other; flow low -> high { file } unless @without_flow. */
static struct bulkhead_policy *build_policy(bool without_flow)
{
	struct txn_domain *low, *high;
	struct bulkhead_policy *pol;
	struct bulkhead_txn *txn;
	int err;

	txn = txn_alloc(0);
	if (!txn)
		return ERR_PTR(-ENOMEM);
	low = txn_put_domain(txn, LOW);
	high = txn_put_domain(txn, HIGH);
	err = PTR_ERR_OR_ZERO(low) ?: PTR_ERR_OR_ZERO(high) ?:
	      PTR_ERR_OR_ZERO(txn_put_domain(txn, OTHER)) ?:
	      PTR_ERR_OR_ZERO(txn_put_domain(txn, BULKHEAD_HOST_DOMAIN));
	if (!err && !without_flow)
		err = txn_put_flow(txn, low, high, BULKHEAD_CHAN_FILE, 0);
	pol = err ? ERR_PTR(err) : bulkhead_policy_build(txn, NULL, NULL);
	txn_free(txn);
	return pol;
}

struct decide_case {
	const char *what;
	const char *from, *to;
	u32 channel;
	bool open;
};

static const struct decide_case decide_cases[] = {
	{ "the declared flow", LOW, HIGH, BULKHEAD_CHAN_FILE, true },
	{ "the reverse of a one-way flow", HIGH, LOW, BULKHEAD_CHAN_FILE, false },
	{ "a flow never declared", LOW, OTHER, BULKHEAD_CHAN_FILE, false },
	{ "a channel the flow does not open", LOW, HIGH, BULKHEAD_CHAN_NET, false },
	{ "within one domain", OTHER, OTHER, BULKHEAD_CHAN_NET, true },
};

static bool test_decide(bool without_flow)
{
	const struct bulkhead_domain *from, *to;
	struct bulkhead_policy *pol;
	bool ok = true, open;
	u32 i;

	pol = build_policy(without_flow);
	if (IS_ERR(pol)) {
		pr_err("self-test decide: cannot build the policy: %ld\n", PTR_ERR(pol));
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(decide_cases); i++) {
		const struct decide_case *c = &decide_cases[i];

		from = bulkhead_domain_by_name(pol, c->from);
		to = bulkhead_domain_by_name(pol, c->to);
		open = from && to && bulkhead_flow_open(pol, from->id, to->id, c->channel);
		if (open == c->open)
			continue;
		pr_err("self-test decide: %s (%s -> %s) was %s\n", c->what, c->from, c->to,
		       open ? "allowed" : "denied");
		ok = false;
	}
	bulkhead_policy_put(pol);
	return ok;
}

/**
 * bulkhead_selftest_run() - run every self-test, record and log the result
 *
 * Return: BULKHEAD_SELFTEST_* of the tests that failed, 0 when all passed.
 */
u32 bulkhead_selftest_run(void)
{
	u32 failed = 0, force = READ_ONCE(forced);
	char text[TESTS_TEXT_LEN];

	mutex_lock(&selftest_lock);
	if (!test_sha256(force & BULKHEAD_SELFTEST_SHA256))
		failed |= BULKHEAD_SELFTEST_SHA256;
	if (!test_hmac(force & BULKHEAD_SELFTEST_HMAC))
		failed |= BULKHEAD_SELFTEST_HMAC;
	if (!test_decide(force & BULKHEAD_SELFTEST_DECIDE))
		failed |= BULKHEAD_SELFTEST_DECIDE;
	last_failed = failed;
	last_time_ns = ktime_get_real_ns();
	mutex_unlock(&selftest_lock);
	bulkhead_audit_selftest(failed);
	tests_text(text, sizeof(text), failed);
	if (failed)
		pr_err("self-test failed: %s\n", text);
	else
		pr_info_ratelimited("self-test passed\n");
	return failed;
}

/* The last run's failed tests and when it ran (CLOCK_REALTIME, ns). */
void bulkhead_selftest_last(u32 *failed, u64 *time_ns)
{
	mutex_lock(&selftest_lock);
	*failed = last_failed;
	*time_ns = last_time_ns;
	mutex_unlock(&selftest_lock);
}
