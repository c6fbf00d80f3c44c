// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host unit tests: the policy language - valid files, every error class with its
 * position, includes, and the canonical text round trip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/capability.h>

#include "canonical.h"
#include "kselftest_harness.h"
#include "parser.h"

/* Parse @text; returns the problems reported, with their text in @errors. */
static int parse(struct bh_policy *p, const char *text, char *errors, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *err = open_memstream(&buf, &n);
	int problems;

	bh_policy_init(p);
	problems = bh_parse_text(p, "t.bh", text, err);
	fclose(err);
	snprintf(errors, len, "%s", buf ? buf : "");
	free(buf);
	return problems;
}

static const char example[] =
	"# a comment\n"
	"mode enforce\n"
	"domain low { cgroup /low  path \"/srv/low space\"  netdev veth0 }\n"
	"domain high {\n\tpath /srv/high # trailing comment\n}\n"
	"domain quiet\n"
	"flow low->high { net file } audit\n"
	"flow high -> low { signal }\n"
	"grant low { sys_time net_admin } audit\n"
	"exclusive pair { low high }\n";

static const char example_canonical[] =
	"domain high {\n\tpath /srv/high\n}\n"
	"domain host\n"
	"domain low {\n\tcgroup /low\n\tpath \"/srv/low space\"\n\tnetdev veth0\n}\n"
	"domain quiet\n"
	"flow high -> low { signal }\n"
	"flow low -> high { file net } audit\n"
	"grant low { net_admin sys_time } audit\n"
	"exclusive pair { low high }\n";

/* BH-POL-1 */
TEST(valid_policy_parses)
{
	struct bh_policy p;
	char errors[1024];

	ASSERT_EQ(0, parse(&p, example, errors, sizeof(errors))) {
		TH_LOG("%s", errors);
	}
	EXPECT_EQ(BULKHEAD_MODE_ENFORCE, p.mode);
	EXPECT_EQ(3, p.n_domains);
	EXPECT_EQ(3, p.domains[0].n_bindings);
	EXPECT_STREQ("/srv/low space", p.domains[0].bindings[1].target);
	EXPECT_EQ(2, p.n_flows);
	EXPECT_EQ(BULKHEAD_CHAN_FILE | BULKHEAD_CHAN_NET, p.flows[0].channels);
	EXPECT_EQ(BULKHEAD_FLOW_F_AUDIT, p.flows[0].flags);
	EXPECT_EQ(1, p.n_grants);
	EXPECT_STREQ("low", p.n_grants ? p.grants[0].domain : "");
	EXPECT_EQ((1ULL << CAP_SYS_TIME) | (1ULL << CAP_NET_ADMIN), p.n_grants ? p.grants[0].caps : 0);
	EXPECT_EQ(BULKHEAD_GRANT_F_AUDIT, p.n_grants ? p.grants[0].flags : 0);
	EXPECT_EQ(1, p.n_groups);
	EXPECT_EQ(2, p.n_groups ? p.groups[0].n_members : 0);
	EXPECT_EQ(8, p.flows[0].pos.line);
	bh_policy_free(&p);
}

/* BH-POL-1: the canonical text is sorted, and reads back to itself. */
TEST(canonical_round_trip)
{
	struct bh_policy p, again;
	char errors[1024], *text, *text2;

	ASSERT_EQ(0, parse(&p, example, errors, sizeof(errors)));
	text = canonical(&p);
	EXPECT_STREQ(example_canonical, text);
	ASSERT_EQ(0, parse(&again, text, errors, sizeof(errors))) {
		TH_LOG("%s", errors);
	}
	text2 = canonical(&again);
	EXPECT_STREQ(text, text2);
	free(text);
	free(text2);
	bh_policy_free(&p);
	bh_policy_free(&again);
}

/* BH-POL-1: quoting in the canonical text survives any byte a target can hold. */
TEST(odd_targets_round_trip)
{
	struct bh_policy p, again;
	char errors[1024], *text;

	bh_policy_init(&p);
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "d"));
	ASSERT_NE(NULL, bh_domain_add_binding(&p.domains[0], BULKHEAD_BIND_PATH,
					      "/a \"quoted\" \\ back\ttab\x01#{}"));
	text = canonical(&p);
	ASSERT_EQ(0, parse(&again, text, errors, sizeof(errors))) {
		TH_LOG("%s in %s", errors, text);
	}
	EXPECT_STREQ(p.domains[0].bindings[0].target, again.domains[0].bindings[0].target);
	free(text);
	bh_policy_free(&p);
	bh_policy_free(&again);
}

/*
 * BH-SEP-13: a target is quoted, byte by byte, whenever it holds anything outside the plain
 * ASCII set - non-ASCII letters too, which the kernel's Latin-1 ctype calls alphanumeric.
 */
TEST(non_ascii_targets_quoted)
{
	struct bh_policy p;
	char *text;

	bh_policy_init(&p);
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "d"));
	ASSERT_NE(NULL, bh_domain_add_binding(&p.domains[0], BULKHEAD_BIND_PATH,
					      "/srv/caf\xc3\xa9 \xdf\xff"));
	text = canonical(&p);
	EXPECT_NE(NULL, strstr(text, "\tpath \"/srv/caf\\xc3\\xa9 \\xdf\\xff\"\n")) {
		TH_LOG("%s", text);
	}
	free(text);
	bh_policy_free(&p);
}

/* BH-SEP-13: the grantable capabilities carry the kernel's numbers and names. */
TEST(grantable_caps_named_as_the_kernel_does)
{
	static const struct { int cap; const char *name; } caps[] = {
		{ CAP_SYS_ADMIN, "sys_admin" }, { CAP_SYS_RAWIO, "sys_rawio" },
		{ CAP_NET_ADMIN, "net_admin" }, { CAP_SYS_MODULE, "sys_module" },
		{ CAP_SYS_BOOT, "sys_boot" }, { CAP_SYS_TIME, "sys_time" },
		{ CAP_SYSLOG, "syslog" }, { CAP_PERFMON, "perfmon" }, { CAP_BPF, "bpf" },
		{ CAP_MAC_ADMIN, "mac_admin" }, { CAP_MAC_OVERRIDE, "mac_override" },
		{ CAP_AUDIT_CONTROL, "audit_control" }, { CAP_AUDIT_WRITE, "audit_write" },
		{ CAP_AUDIT_READ, "audit_read" }, { CAP_MKNOD, "mknod" },
		{ CAP_DAC_READ_SEARCH, "dac_read_search" }, { CAP_SYS_PACCT, "sys_pacct" },
		{ CAP_SYS_TTY_CONFIG, "sys_tty_config" }, { CAP_WAKE_ALARM, "wake_alarm" },
		{ CAP_BLOCK_SUSPEND, "block_suspend" },
		{ CAP_CHECKPOINT_RESTORE, "checkpoint_restore" },
	};
	unsigned long long mask = 0;
	unsigned int i;
	int cap;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		EXPECT_STREQ(caps[i].name, bh_cap_name(caps[i].cap) ?: "(none)");
		EXPECT_EQ(caps[i].cap, bh_cap_parse(caps[i].name));
		mask |= 1ULL << caps[i].cap;
	}
	EXPECT_EQ(BULKHEAD_GRANTABLE_CAPS, mask);
	for (cap = 0; cap < 64; cap++)
		EXPECT_EQ(!!(mask & (1ULL << cap)), bh_cap_name(cap) != NULL);
	EXPECT_EQ(-1, bh_cap_parse("chown"));	/* never taken from domains */
}

FIXTURE(bad) {
	struct bh_policy p;
	char errors[2048];
};

FIXTURE_SETUP(bad)
{
}

FIXTURE_TEARDOWN(bad)
{
	bh_policy_free(&self->p);
}

/* One invalid policy and the first message it must produce, position first. */
FIXTURE_VARIANT(bad) {
	const char *text;
	const char *message;
};

#define BAD(name, policy, msg) \
	FIXTURE_VARIANT_ADD(bad, name) { .text = policy, .message = msg }

BAD(unknown_statement, "domain a\nfrobnicate\n",
    "t.bh:2:1: expected a statement (domain, flow, grant, exclusive, exchange, mode or include), found 'frobnicate'");
BAD(unterminated_block, "domain a {\n path /x\n",
    "t.bh:3:1: expected a binding (cgroup, path or netdev) or '}', found end of file");
BAD(unknown_binding_kind, "domain a { socket /x }",
    "t.bh:1:12: expected a binding (cgroup, path or netdev) or '}', found 'socket'");
BAD(missing_target, "domain a { path }",
    "t.bh:1:17: expected what to bind after 'path', found '}'");
BAD(unterminated_string, "domain a { path \"/x }\n",
    "t.bh:1:17: unterminated string");
BAD(bad_escape, "domain a { path \"/x\\q\" }",
    "t.bh:1:20: unknown escape in string");
BAD(unexpected_character, "domain a ; ",
    "t.bh:1:10: unexpected character ';'");
BAD(unknown_mode, "mode permissive", "t.bh:1:6: unknown mode 'permissive'");
BAD(mode_twice, "mode off\nmode audit", "t.bh:2:6: mode is set twice");
BAD(long_name, "domain abcdefghijklmnopqrstuvwxyz0123456789",
    "t.bh:1:8: a domain name 'abcdefghijklmnopqrstuvwxyz0123456789' is longer than 31 characters");
BAD(bad_name_characters, "domain Bad.Name", "t.bh:1:1: invalid domain name 'Bad.Name'");
BAD(domain_twice, "domain a\ndomain a", "t.bh:2:1: domain 'a' declared twice");
BAD(relative_path, "domain a { path srv/a }", "t.bh:1:12: a bound path must be absolute");
BAD(bound_twice, "domain a { path /x }\ndomain b { path /x }", "is already bound");
BAD(flow_arrow_missing, "domain a\ndomain b\nflow a b { file }",
    "t.bh:3:8: expected '->', found 'b'");
BAD(unknown_channel, "domain a\ndomain b\nflow a -> b { file disk }",
    "t.bh:3:20: expected a channel (file exec signal ptrace unix ipc net) or '}', found 'disk'");
BAD(channel_twice, "domain a\ndomain b\nflow a -> b { file file }",
    "t.bh:3:20: channel 'file' listed twice");
BAD(no_channel, "domain a\ndomain b\nflow a -> b { }",
    "t.bh:3:1: a flow needs at least one channel");
BAD(flow_unknown_domain, "domain a\nflow a -> nowhere { file }",
    "t.bh:2:1: unknown domain 'nowhere'");
BAD(flow_to_itself, "domain a\nflow a -> a { file }",
    "t.bh:2:1: everything flows within a domain already");
BAD(flow_twice, "domain a\ndomain b\nflow a -> b { file }\nflow a -> b { net }",
    "flow a -> b declared twice");
BAD(group_too_small, "domain a\nexclusive g { a }",
    "t.bh:2:1: an exclusive group needs at least two members");
BAD(group_with_host, "domain a\nexclusive g { a host }",
    "t.bh:2:1: host cannot join an exclusive group");
BAD(domain_in_two_groups, "domain a\ndomain b\ndomain c\nexclusive g { a b }\nexclusive h { c a }",
    "t.bh:5:1: domain 'a' is already in group 'g'");
BAD(grant_unknown_cap, "domain a\ngrant a { chown }",
    "t.bh:2:11: expected a grantable capability (as 'bulkhead grant' lists them) or '}', found 'chown'");
BAD(grant_cap_twice, "domain a\ngrant a { bpf bpf }", "t.bh:2:15: capability 'bpf' listed twice");
BAD(grant_nothing, "domain a\ngrant a { }", "t.bh:2:1: a grant needs at least one capability");
BAD(grant_to_host, "grant host { sys_time }", "t.bh:1:1: host holds every capability already");
BAD(grant_unknown_domain, "grant nowhere { sys_time }", "t.bh:1:1: unknown domain 'nowhere'");
BAD(grant_twice, "domain a\ngrant a { bpf }\ngrant a { syslog }",
    "t.bh:3:1: domain 'a' has a grant already");
#define X_DOMAINS "domain low\ndomain high\ndomain guard\n"
#define X_HEAD "exchange x from low to high via guard {"
BAD(exchange_keyword_missing, X_DOMAINS "exchange x low to high via guard { }",
    "t.bh:4:12: expected 'from', found 'low'");
BAD(exchange_name_long, X_DOMAINS "exchange abcdefghijklmnopqrstuvwxyz from low to high via g {}",
    "t.bh:4:10: an exchange name 'abcdefghijklmnopqrstuvwxyz' is longer than 23 characters");
BAD(exchange_unknown_setting, X_DOMAINS X_HEAD " outbox /a bogus }",
    "t.bh:4:51: expected an exchange setting (outbox inbox max-size type deny-pattern filter filter-timeout rate burst shared-guard) or '}', found 'bogus'");
BAD(exchange_setting_twice, X_DOMAINS X_HEAD " outbox /a outbox /b }",
    "t.bh:4:51: outbox is given twice");
BAD(exchange_flag_twice, X_DOMAINS X_HEAD " shared-guard shared-guard }",
    "t.bh:4:54: shared-guard is given twice");
BAD(exchange_value_missing, X_DOMAINS X_HEAD " inbox\ndomain y\n",
    "t.bh:5:1: expected a value after 'inbox', found 'domain'");
BAD(exchange_empty_type, X_DOMAINS X_HEAD " type \"\" }",
    "t.bh:4:46: type takes 1 to 127 bytes, found ''");
BAD(exchange_rate_unit, X_DOMAINS X_HEAD " rate 10 }",
    "t.bh:4:46: rate takes 1 to 10000 files a second (written N/s), found '10'");
BAD(exchange_rate_large, X_DOMAINS X_HEAD " rate 10001/s }",
    "rate takes 1 to 10000 files a second (written N/s), found '10001/s'");
BAD(exchange_max_size_zero, X_DOMAINS X_HEAD " max-size 0 }",
    "t.bh:4:50: max-size takes 1 to 18446744073709551615 bytes, found '0'");
BAD(exchange_max_size_huge, X_DOMAINS X_HEAD " max-size 18446744073709551616 }",
    "max-size takes 1 to 18446744073709551615 bytes, found '18446744073709551616'");
BAD(exchange_timeout_large, X_DOMAINS X_HEAD " filter-timeout 3601 }",
    "t.bh:4:56: filter-timeout takes 1 to 3600 seconds, found '3601'");
BAD(exchange_burst_zero, X_DOMAINS X_HEAD " rate 1/s burst 0 }",
    "burst takes 1 to 10000 files, found '0'");
#define X_BOXES " outbox /srv/low/out inbox /srv/high/in"
BAD(exchange_bad_name, X_DOMAINS "exchange Low.High from low to high via guard {" X_BOXES " }",
    "t.bh:4:1: invalid exchange name 'Low.High': 1 to 23 characters from a-z 0-9 _ -");
BAD(exchange_twice, X_DOMAINS X_HEAD X_BOXES " }\n" X_HEAD " outbox /a inbox /b shared-guard }",
    "t.bh:5:1: exchange 'x' declared twice");
BAD(exchange_unknown_domain, X_DOMAINS "exchange x from low to nowhere via guard {" X_BOXES " }",
    "t.bh:4:1: unknown domain 'nowhere'");
BAD(exchange_unknown_guard, X_DOMAINS "exchange x from low to high via nowhere {" X_BOXES " }",
    "t.bh:4:1: unknown domain 'nowhere'");
BAD(exchange_to_itself, X_DOMAINS "exchange x from low to low via guard {" X_BOXES " }",
    "t.bh:4:1: exchange 'x' goes from a domain to itself");
BAD(exchange_guard_is_from, X_DOMAINS "exchange x from low to high via low {" X_BOXES " }",
    "t.bh:4:1: the guard of exchange 'x' must be neither FROM nor TO");
BAD(exchange_guard_is_to, X_DOMAINS "exchange x from low to high via high {" X_BOXES " }",
    "t.bh:4:1: the guard of exchange 'x' must be neither FROM nor TO");
BAD(exchange_guard_host, X_DOMAINS "exchange x from low to high via host {" X_BOXES " }",
    "t.bh:4:1: host cannot be the guard of exchange 'x'");
BAD(exchange_no_outbox, X_DOMAINS X_HEAD " inbox /srv/high/in }",
    "t.bh:4:1: exchange 'x' needs an outbox");
BAD(exchange_no_inbox, X_DOMAINS X_HEAD " outbox /srv/low/out }",
    "t.bh:4:1: exchange 'x' needs an inbox");
BAD(exchange_relative_outbox, X_DOMAINS X_HEAD " outbox srv/out inbox /in }",
    "t.bh:4:1: the outbox of exchange 'x' must be an absolute path");
BAD(exchange_relative_inbox, X_DOMAINS X_HEAD " outbox /out inbox in }",
    "t.bh:4:1: the inbox of exchange 'x' must be an absolute path");
BAD(exchange_same_boxes, X_DOMAINS X_HEAD " outbox /srv/box/ inbox /srv/box }",
    "t.bh:4:1: the outbox and the inbox of exchange 'x' must be two directories, neither inside the other");
BAD(exchange_inbox_in_outbox, X_DOMAINS X_HEAD " outbox /srv inbox /srv/high//in }",
    "t.bh:4:1: the outbox and the inbox of exchange 'x' must be two directories");
BAD(exchange_outbox_in_inbox, X_DOMAINS X_HEAD " outbox /srv/a/b inbox / }",
    "t.bh:4:1: the outbox and the inbox of exchange 'x' must be two directories");
BAD(exchange_burst_alone, X_DOMAINS X_HEAD X_BOXES " burst 5 }",
    "t.bh:4:1: exchange 'x' has a burst without a rate");
BAD(exchange_bad_pattern, X_DOMAINS X_HEAD X_BOXES " deny-pattern \"(SECRET\" }",
    "t.bh:4:1: deny-pattern '(SECRET' of exchange 'x' does not compile: ");
BAD(exchange_guard_unshared, X_DOMAINS "domain mid\n" X_HEAD X_BOXES " shared-guard }\n"
    "exchange y from mid to high via guard { outbox /m inbox /h }",
    "t.bh:6:1: guard domain 'guard' serves exchange 'x' already (both must say shared-guard)");
BAD(exchange_flow_from_to, X_DOMAINS "flow high -> low { signal }\n" X_HEAD X_BOXES " }",
    "t.bh:4:1: flow high -> low: FROM and TO of an exchange may not have a flow of their own: it would bypass the guard (exchange 'x')");
BAD(exchange_flow_guard_from, X_DOMAINS "flow low -> guard { file }\n" X_HEAD X_BOXES " }",
    "t.bh:4:1: flow low -> guard: the exchange's guard reaches FROM only through the outbox (exchange 'x')");
BAD(exchange_flow_guard_to, X_DOMAINS "flow guard -> high { file }\n" X_HEAD X_BOXES " }",
    "t.bh:4:1: flow guard -> high: the exchange's guard reaches TO only through the inbox (exchange 'x')");
BAD(exchange_boxes_overlap, X_DOMAINS "domain mid\n" X_HEAD X_BOXES " shared-guard }\n"
    "exchange y from mid to high via guard { outbox /srv/mid inbox /srv/high/in/y shared-guard }",
    "t.bh:6:1: the outbox or inbox of exchange 'y' overlaps those of exchange 'x'");
BAD(exchange_box_bound, "domain low { path /srv/low path /srv/low/out/sub }\ndomain high\n"
    "domain guard\n" X_HEAD X_BOXES " }",
    "t.bh:1:28: path /srv/low/out/sub is in the outbox or inbox of exchange 'x', which only the exchange binds");
BAD(missing_include, "include missing.bh",
    "t.bh:1:9: cannot read included file ./missing.bh: No such file or directory");

/* BH-POL-2: each class of error is reported as file:line:col: message. */
TEST_F(bad, reported_with_position)
{
	EXPECT_LT(0, parse(&self->p, variant->text, self->errors, sizeof(self->errors)));
	EXPECT_NE(NULL, strstr(self->errors, variant->message)) {
		TH_LOG("got: %s", self->errors);
	}
}

/* BH-POL-2: one run reports every problem, not just the first. */
TEST(recovers_after_errors)
{
	struct bh_policy p;
	char errors[2048];

	EXPECT_EQ(3, parse(&p, "domain a { bogus /x }\nflow a b\nmode x\ndomain ok\n", errors,
			   sizeof(errors))) {
		TH_LOG("%s", errors);
	}
	bh_policy_free(&p);
}

/*
 * BH-POL-2: syntax errors hide nothing - neither the statements after them (a '}' forgotten
 * before the next line's keyword) nor what the whole file gets wrong (unknown and duplicate
 * names) - and a statement cut short adds no errors of its own.
 */
TEST(every_error_in_one_run)
{
	static const char text[] =
		"domain a { path /a }\n"
		"domain a\n"
		"flow a -> b { file }\n"
		"domain c { bogus /x }\n"
		"flow a -> c { fil }\n"
		"grant zz { sys_time }\n"
		"exclusive g { a\n"
		"domain d { path /d\n"
		"flow d -> e { net }\n";
	static const char *const expected[] = {
		"t.bh:4:12: expected a binding",
		"t.bh:5:15: expected a channel",
		"t.bh:8:1: expected a member domain or '}', found 'domain'",
		"t.bh:9:1: expected a binding (cgroup, path or netdev) or '}', found 'flow'",
		"t.bh:2:1: domain 'a' declared twice",
		"t.bh:3:1: unknown domain 'b'",
		"t.bh:9:1: unknown domain 'e'",
		"t.bh:6:1: unknown domain 'zz'",
	};
	unsigned int i, missing = 0;
	struct bh_policy p;
	char errors[4096];

	EXPECT_EQ(ARRAY_SIZE(expected), parse(&p, text, errors, sizeof(errors)));
	for (i = 0; i < ARRAY_SIZE(expected); i++)
		if (!strstr(errors, expected[i])) {
			TH_LOG("not reported: %s", expected[i]);
			missing++;
		}
	EXPECT_EQ(0, missing) TH_LOG("reported:\n%s", errors);
	/* The statements after the broken ones were read. */
	EXPECT_NE(NULL, bh_policy_domain(&p, "d"));
	EXPECT_EQ(0, p.n_groups);
	bh_policy_free(&p);
}

/* BH-POL-1: includes resolve relative to the including file and nest; a cycle is named. */
TEST(includes)
{
	char dir[] = "/tmp/bh-include-XXXXXX", path[256], errors[2048];
	struct bh_policy p;
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/inner.bh", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("domain inner\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/loop.bh", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("include loop.bh\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.bh", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("include inner.bh\ndomain outer\nflow outer -> inner { file }\n", f);
	fclose(f);

	bh_policy_init(&p);
	f = fopen("/dev/null", "w");
	EXPECT_EQ(0, bh_parse_file(&p, path, f));
	fclose(f);
	EXPECT_EQ(2, p.n_domains);
	EXPECT_STREQ("inner", p.domains[0].name);
	bh_policy_free(&p);

	snprintf(path, sizeof(path), "%s/loop.bh", dir);
	bh_policy_init(&p);
	f = fmemopen(errors, sizeof(errors), "w");
	EXPECT_LT(0, bh_parse_file(&p, path, f));
	fclose(f);
	EXPECT_NE(NULL, strstr(errors, "include cycle: ")) {
		TH_LOG("%s", errors);
	}
	bh_policy_free(&p);
}

/* Parse @path, expecting a refusal whose message contains @message. */
static void expect_refused(struct __test_metadata *_metadata, const char *path,
			   const char *message)
{
	char errors[2048] = "";
	struct bh_policy p;
	FILE *f;

	bh_policy_init(&p);
	f = fmemopen(errors, sizeof(errors), "w");
	EXPECT_LT(0, bh_parse_file(&p, path, f));
	fclose(f);
	EXPECT_NE(NULL, strstr(errors, message)) {
		TH_LOG("%s: %s", path, errors);
	}
	bh_policy_free(&p);
}

/*
 * BH-POL-2: policy files are regular files of at most 64 MiB, read without blocking; a
 * cycle of includes names its chain; an absolute include is named as written.
 */
TEST(files_refused_clearly)
{
	char dir[] = "/tmp/bh-files-XXXXXX", path[256], other[1024];
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	expect_refused(_metadata, dir, "a directory, not a policy file");
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	expect_refused(_metadata, path, "not a regular file");
	snprintf(path, sizeof(path), "%s/huge.bh", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fclose(f);
	ASSERT_EQ(0, truncate(path, (64 << 20) + 1));
	expect_refused(_metadata, path, "larger than the 64 MiB");

	snprintf(path, sizeof(path), "%s/a.bh", dir);
	snprintf(other, sizeof(other), "%s/b.bh", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "include b.bh\n");
	fclose(f);
	f = fopen(other, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "include %s\n", path);
	fclose(f);
	snprintf(other, sizeof(other), "include cycle: %s -> %s/b.bh -> %s", path, dir, path);
	expect_refused(_metadata, path, other);

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "include %s\n", dir);
	fclose(f);
	snprintf(other, sizeof(other), "cannot read included file %s: a directory", dir);
	expect_refused(_metadata, path, other);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ASSERT_EQ(0, system(path));
}

/* BH-POL-2: the documented limits are enforced offline too. */
TEST(flow_limit)
{
	struct bh_policy p;
	char name[32];
	size_t i, j, n = 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	bh_policy_init(&p);
	for (i = 0; i < 320; i++) {
		snprintf(name, sizeof(name), "d%zu", i);
		ASSERT_NE(NULL, bh_policy_add_domain(&p, name));
	}
	for (i = 0; i < 320 && n <= BULKHEAD_MAX_FLOWS; i++)
		for (j = 0; j < 320 && n <= BULKHEAD_MAX_FLOWS; j++) {
			struct bh_flow *f;

			if (i == j)
				continue;
			f = bh_policy_add_flow(&p, p.domains[i].name, p.domains[j].name);
			ASSERT_NE(NULL, f);
			f->channels = BULKHEAD_CHAN_FILE;
			n++;
		}
	err = open_memstream(&buf, &len);
	EXPECT_EQ(1, bh_policy_validate(&p, err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, "more than 100000 flows"));
	free(buf);
	/* One fewer is fine. */
	p.n_flows--;
	err = fopen("/dev/null", "w");
	EXPECT_EQ(0, bh_policy_validate(&p, err));
	fclose(err);
	bh_policy_free(&p);
}

/* An exchange's text and the canonical text it must print (the domains' lines left out). */
FIXTURE(exchange) {
	struct bh_policy p, again;
	char errors[2048];
};

FIXTURE_VARIANT(exchange) {
	const char *text;
	const char *canonical;
};

FIXTURE_SETUP(exchange)
{
}

FIXTURE_TEARDOWN(exchange)
{
	bh_policy_free(&self->p);
	bh_policy_free(&self->again);
}

#define X_DECLARED "domain guard\ndomain high\ndomain host\ndomain low\n"

/* The full exchange's settings after its outbox, as written and as printed. */
#define FULL_SETTINGS							\
	"\tinbox /srv/high/inbox\n"					\
	"\tmax-size 10485760\n"						\
	"\ttype text/plain\n"						\
	"\ttype application/pdf\n"					\
	"\tdeny-pattern \"SECRET|TOP SECRET\"\n"			\
	"\tdeny-pattern CONFIDENTIAL\n"					\
	"\tfilter \"/usr/bin/clamscan --no-summary\"\n"			\
	"\tfilter-timeout 30\n"						\
	"\trate 10/s burst 20\n"					\
	"\tshared-guard\n"						\
	"}\n"

static const char full_exchange[] =
	X_DOMAINS
	"exchange low-high from low to high via guard {\n"
	"\toutbox /srv/low/outbox   # the sender's\n"
	FULL_SETTINGS;

FIXTURE_VARIANT_ADD(exchange, full) {
	.text = full_exchange,
	.canonical = X_DECLARED
		"exchange low-high from low to high via guard {\n"
		"\toutbox /srv/low/outbox\n"
		FULL_SETTINGS,
};

/* Layout free, settings in any order: the canonical text has its own. */
FIXTURE_VARIANT_ADD(exchange, any_order) {
	.text = X_DOMAINS "exchange x from low to high via guard { shared-guard burst 2 type b/c\n"
		"rate 1/s inbox /in/ type a/b max-size 1 outbox \"/out\" }",
	.canonical = X_DECLARED "exchange x from low to high via guard {\n\toutbox /out\n"
		"\tinbox /in/\n\tmax-size 1\n\ttype b/c\n\ttype a/b\n\trate 1/s burst 2\n"
		"\tshared-guard\n}\n",
};

FIXTURE_VARIANT_ADD(exchange, minimal) {
	.text = X_DOMAINS "exchange m from low to high via guard{inbox /in outbox /out}",
	.canonical = X_DECLARED "exchange m from low to high via guard {\n\toutbox /out\n"
		"\tinbox /in\n}\n",
};

/* Values are targets: quoted when they hold a byte a word cannot, escaped inside quotes. */
FIXTURE_VARIANT_ADD(exchange, quoted) {
	.text = X_DOMAINS "exchange q from low to high via guard { outbox \"/srv/low out\"\n"
		"inbox /in deny-pattern \"say \\\"SECRET\\\"\\nnow\\t\\\\d\"\n"
		"filter \"caf\\xc3\\xa9 {}#\" }",
	.canonical = X_DECLARED "exchange q from low to high via guard {\n"
		"\toutbox \"/srv/low out\"\n\tinbox /in\n"
		"\tdeny-pattern \"say \\\"SECRET\\\"\\x0anow\\x09\\\\d\"\n"
		"\tfilter \"caf\\xc3\\xa9 {}#\"\n}\n",
};

FIXTURE_VARIANT_ADD(exchange, sorted_by_name) {
	.text = X_DOMAINS "domain mid\n"
		"exchange zeta from low to high via guard { outbox /z/o inbox /z/i shared-guard }\n"
		"exchange alpha from mid to high via guard { outbox /a/o inbox /a/i shared-guard }\n"
		"exchange alpha-2 from low to mid via guard { outbox /b/o inbox /b/i shared-guard }\n",
	.canonical = X_DECLARED "domain mid\n"
		"exchange alpha from mid to high via guard {\n\toutbox /a/o\n\tinbox /a/i\n"
		"\tshared-guard\n}\n"
		"exchange alpha-2 from low to mid via guard {\n\toutbox /b/o\n\tinbox /b/i\n"
		"\tshared-guard\n}\n"
		"exchange zeta from low to high via guard {\n\toutbox /z/o\n\tinbox /z/i\n"
		"\tshared-guard\n}\n",
};

/* BH-POL-1, BH-POL-3: an exchange prints its canonical text, which reads back to itself. */
TEST_F(exchange, round_trips)
{
	char *text, *again;

	ASSERT_EQ(0, parse(&self->p, variant->text, self->errors, sizeof(self->errors))) {
		TH_LOG("%s", self->errors);
	}
	text = canonical(&self->p);
	EXPECT_STREQ(variant->canonical, text);
	ASSERT_EQ(0, parse(&self->again, text, self->errors, sizeof(self->errors))) {
		TH_LOG("%s in %s", self->errors, text);
	}
	again = canonical(&self->again);
	EXPECT_STREQ(text, again);
	free(text);
	free(again);
}

/* BH-POL-1: what an exchange says is what the guard and the kernel are given. */
TEST(exchange_parses)
{
	const struct bh_exchange *e;
	struct bh_policy p;
	char errors[1024];

	ASSERT_EQ(0, parse(&p, full_exchange, errors, sizeof(errors))) TH_LOG("%s", errors);
	ASSERT_EQ(1, p.n_exchanges);
	e = &p.exchanges[0];
	EXPECT_STREQ("low-high", e->name);
	EXPECT_STREQ("low", e->from);
	EXPECT_STREQ("high", e->to);
	EXPECT_STREQ("guard", e->guard);
	EXPECT_STREQ("/srv/low/outbox", e->outbox);
	EXPECT_STREQ("/srv/high/inbox", e->inbox);
	EXPECT_EQ(10485760, e->max_size);
	ASSERT_EQ(2, e->n_types);
	EXPECT_STREQ("text/plain", e->types[0]);
	EXPECT_STREQ("application/pdf", e->types[1]);
	ASSERT_EQ(2, e->n_deny);
	EXPECT_STREQ("SECRET|TOP SECRET", e->deny[0]);
	EXPECT_STREQ("CONFIDENTIAL", e->deny[1]);
	EXPECT_STREQ("/usr/bin/clamscan --no-summary", e->filter);
	EXPECT_EQ(30, e->filter_timeout);
	EXPECT_EQ(10, e->rate);
	EXPECT_EQ(20, e->burst);
	EXPECT_EQ(BULKHEAD_EXCHANGE_F_SHARED_GUARD, e->flags);
	EXPECT_EQ(4, e->pos.line);
	EXPECT_EQ(1, e->pos.col);
	bh_policy_free(&p);
}

/* Validate @p; returns the problems reported, with their text in *@errors (to be freed). */
static int validate(const struct bh_policy *p, char **errors)
{
	size_t len = 0;
	FILE *err = open_memstream(errors, &len);
	int problems = bh_policy_validate(p, err);

	fclose(err);
	return problems;
}

/* Expect @p valid, or with exactly one problem that says @message. */
static void expect_validated(struct __test_metadata *_metadata, const struct bh_policy *p,
			     const char *message)
{
	char *errors = NULL;

	EXPECT_EQ(message ? 1 : 0, validate(p, &errors)) TH_LOG("%s", errors);
	if (message)
		EXPECT_NE(NULL, strstr(errors, message)) TH_LOG("%s", errors);
	free(errors);
}

/* BH-POL-2: an exchange's limits, and its outbox and inbox counted among the domains. */
TEST(exchange_limits)
{
	struct bh_exchange *e;
	struct bh_policy p;
	char name[32];
	size_t i;

	bh_policy_init(&p);
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "low"));
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "high"));
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "guard"));
	for (i = 0; i <= BULKHEAD_MAX_EXCHANGES; i++) {
		snprintf(name, sizeof(name), "x%zu", i);
		e = bh_policy_add_exchange(&p, name);
		ASSERT_NE(NULL, e);
		strcpy(e->from, "low");
		strcpy(e->to, "high");
		strcpy(e->guard, "guard");
		e->flags = BULKHEAD_EXCHANGE_F_SHARED_GUARD;
		ASSERT_LT(0, asprintf(&e->outbox, "/out/%zu", i));
		ASSERT_LT(0, asprintf(&e->inbox, "/in/%zu", i));
	}
	expect_validated(_metadata, &p, "more than 64 exchanges");
	bh_exchange_free(&p.exchanges[--p.n_exchanges]);
	expect_validated(_metadata, &p, NULL);

	e = &p.exchanges[0];
	for (i = 0; i <= BULKHEAD_MAX_EXCHANGE_TYPES; i++)
		ASSERT_EQ(0, bh_strings_add(&e->types, &e->n_types, "text/plain"));
	expect_validated(_metadata, &p, "exchange 'x0' has more than 32 types");
	free(e->types[--e->n_types]);
	for (i = 0; i <= BULKHEAD_MAX_EXCHANGE_PATTERNS; i++)
		ASSERT_EQ(0, bh_strings_add(&e->deny, &e->n_deny, "SECRET"));
	expect_validated(_metadata, &p, "exchange 'x0' has more than 32 deny patterns");
	free(e->deny[--e->n_deny]);
	expect_validated(_metadata, &p, NULL);

	/* 3 domains, host and 64 exchanges' 128 boxes: 892 more domains fill the limit. */
	for (i = 0; i < BULKHEAD_MAX_DOMAINS - 4 - 2 * BULKHEAD_MAX_EXCHANGES; i++) {
		snprintf(name, sizeof(name), "d%zu", i);
		ASSERT_NE(NULL, bh_policy_add_domain(&p, name));
	}
	expect_validated(_metadata, &p, NULL);
	ASSERT_NE(NULL, bh_policy_add_domain(&p, "one-more"));
	expect_validated(_metadata, &p,
			 "more than 1024 domains (host included): an exchange's outbox and inbox are two");
	bh_policy_free(&p);
}

TEST_HARNESS_MAIN
