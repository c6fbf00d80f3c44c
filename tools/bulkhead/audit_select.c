// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: which records "audit tail" and "audit report" read. The filters (all must
 * match) and the sources - the module's ring (/dev/bulkhead-audit, read without acknowledging
 * anything) or recorded trail files - are one, so that a report counts exactly the records
 * the same words make tail print.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bulkhead_audit.h>
#include "audit_select.h"
#include "cli.h"
#include "number.h"
#include "policy.h"
#include "when.h"

/* The filters' getopt values, above any a command's own options take. */
#define FILTER_OPT	0x1000

enum {
	OPT_DOMAIN = FILTER_OPT, OPT_FROM, OPT_TO, OPT_SUBJECT, OPT_EXCHANGE, OPT_TYPE, OPT_DECISION, OPT_HOOK,
	OPT_CHANNEL, OPT_PATH, OPT_PID, OPT_UID, OPT_AUID, OPT_SINCE_SEQ, OPT_UNTIL_SEQ,
	OPT_SINCE, OPT_UNTIL,
};

/* The order of CLI_AUDIT_FILTERS. */
static const struct option filter_options[] = {
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ "exchange", required_argument, NULL, OPT_EXCHANGE },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "decision", required_argument, NULL, OPT_DECISION },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "auid", required_argument, NULL, OPT_AUID },
	{ "since-seq", required_argument, NULL, OPT_SINCE_SEQ },
	{ "until-seq", required_argument, NULL, OPT_UNTIL_SEQ },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
};

#define N_FILTER_OPTIONS (sizeof(filter_options) / sizeof(filter_options[0]))

void cli_audit_select_init(struct cli_audit_select *s, const char *cmd,
			   void (*each)(void *ctx, const struct bh_audit_record *r), void *ctx)
{
	*s = (struct cli_audit_select){
		.cmd = cmd, .each = each, .ctx = ctx,
		.f = { .type = -1, .decision = -1, .hook = -1, .pid = CLI_AUDIT_ANY,
		       .uid = CLI_AUDIT_ANY, .auid = CLI_AUDIT_ANY, .until_seq = UINT64_MAX,
		       .until_ns = UINT64_MAX },
	};
}

void cli_audit_select_free(struct cli_audit_select *s)
{
	free(s->domains.name);
	free(s->exchanges.name);
	s->domains = (struct cli_audit_names){ 0 };
	s->exchanges = (struct cli_audit_names){ 0 };
}

/* --- the filters ----------------------------------------------------------------------------- */

/* The name field @type (a domain, an exchange) is @want, or no filter (NULL). */
static bool domain_is(const struct bh_audit_record *r, unsigned int type, const char *want)
{
	char name[BULKHEAD_NAME_LEN];

	return !want || (bh_audit_get_string(r, type, name, sizeof(name)) && !strcmp(name, want));
}

static bool domains_match(const struct cli_audit_filter *f, const struct bh_audit_record *r)
{
	return domain_is(r, BULKHEAD_AUDIT_FROM_DOMAIN, f->from) &&
	       domain_is(r, BULKHEAD_AUDIT_TO_DOMAIN, f->to) &&
	       domain_is(r, BULKHEAD_AUDIT_SUBJ_DOMAIN, f->subject) &&
	       domain_is(r, BULKHEAD_AUDIT_EXCHANGE, f->exchange) &&
	       (!f->domain || domain_is(r, BULKHEAD_AUDIT_FROM_DOMAIN, f->domain) ||
		domain_is(r, BULKHEAD_AUDIT_TO_DOMAIN, f->domain));
}

/* A number field @type equal to @want, or no filter (CLI_AUDIT_ANY). */
static bool number_is(const struct bh_audit_record *r, unsigned int type, uint64_t want)
{
	uint32_t v;

	return want == CLI_AUDIT_ANY || (bh_audit_get_u32(r, type, &v) && v == want);
}

static bool path_under(const struct bh_audit_record *r, const char *prefix)
{
	char path[BULKHEAD_AUDIT_MAX_RECORD];

	return bh_audit_get_string(r, BULKHEAD_AUDIT_OBJ_PATH, path, sizeof(path)) &&
	       !strncmp(path, prefix, strlen(prefix));
}

static bool wanted(const struct cli_audit_filter *f, const struct bh_audit_record *r)
{
	uint32_t channel;

	if (r->hdr.seq < f->since_seq || r->hdr.seq > f->until_seq ||
	    r->hdr.realtime_ns < f->since_ns || r->hdr.realtime_ns > f->until_ns)
		return false;
	if ((f->type >= 0 && r->hdr.type != f->type) ||
	    (f->decision >= 0 && r->hdr.decision != f->decision) ||
	    (f->hook >= 0 && r->hdr.hook != (uint32_t)f->hook))
		return false;
	if (f->channel && !(bh_audit_get_u32(r, BULKHEAD_AUDIT_CHANNEL, &channel) &&
			    (channel & f->channel)))
		return false;
	if (!number_is(r, BULKHEAD_AUDIT_SUBJ_PID, f->pid) ||
	    !number_is(r, BULKHEAD_AUDIT_SUBJ_UID, f->uid) ||
	    !number_is(r, BULKHEAD_AUDIT_SUBJ_LOGINUID, f->auid))
		return false;
	if (f->path && !path_under(r, f->path))
		return false;
	return domains_match(f, r);
}

/* --- the domains and exchanges the records name ---------------------------------------------- */

static bool seen_has(const struct cli_audit_names *seen, const char *name)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->name[i], name))
			return true;
	return false;
}

static void see(struct cli_audit_names *seen, const struct bh_audit_record *r, unsigned int type)
{
	char name[BULKHEAD_NAME_LEN], (*more)[BULKHEAD_NAME_LEN];

	if (!bh_audit_get_string(r, type, name, sizeof(name)) || seen_has(seen, name))
		return;
	more = realloc(seen->name, (seen->n + 1) * sizeof(*more));
	if (!more)
		abort();
	seen->name = more;
	memcpy(seen->name[seen->n++], name, sizeof(name));
}

/*
 * A filter naming a domain (or exchange) no record read names is a misspelling as likely as a
 * quiet one: say which the records do name (one deleted since still counts, so the policy in
 * force cannot be the list). Usage error, as for the other filters' values.
 */
static int unknown_name(const struct cli_audit_select *s, const struct cli_audit_names *seen,
			const char *what, const char *opt, const char *name)
{
	char list[4096] = "none";
	size_t i, n = 0;

	if (!name || seen_has(seen, name))
		return 0;
	for (i = 0; i < seen->n && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", seen->name[i]);
	cli_usage(s->cmd, "%s: no record read names %s '%s' (they name %s)", opt, what, name,
		  list);
	return -1;
}

static int unknown_domains(const struct cli_audit_select *s)
{
	const struct cli_audit_names *d = &s->domains;

	return unknown_name(s, d, "domain", "--domain", s->f.domain) ||
	       unknown_name(s, d, "domain", "--from", s->f.from) ||
	       unknown_name(s, d, "domain", "--to", s->f.to) ||
	       unknown_name(s, d, "domain", "--subject", s->f.subject) ||
	       unknown_name(s, &s->exchanges, "exchange", "--exchange", s->f.exchange) ?
	       EXIT_USAGE : EXIT_OK;
}

/* --- reading the options --------------------------------------------------------------------- */

/* The name of channel bit @i, or NULL past the last. */
static const char *channel_of(unsigned int i)
{
	const char *name = bh_channel_name(i);

	return strcmp(name, "?") ? name : NULL;
}

/*
 * The value @arg names among @name_of(0..@max), or -1 after a usage error that lists them: a
 * misspelt filter must not read as "nothing recorded".
 */
static int pick(const char *cmd, const char *opt, const char *arg,
		const char *(*name_of)(unsigned int), unsigned int max)
{
	char list[4096];
	unsigned int i;
	size_t n = 0;

	for (i = 0; i <= max; i++)
		if (name_of(i) && !strcmp(name_of(i), arg))
			return i;
	list[0] = '\0';
	for (i = 0; i <= max && n < sizeof(list); i++)
		if (name_of(i))
			n += snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
				      name_of(i));
	cli_usage(cmd, "%s takes one of %s; not '%s'", opt, list, arg);
	return -1;
}

/* A number in [0, @max] into *@v, or a usage error naming @opt. */
static int parse_number(const char *cmd, const char *opt, const char *arg, uint64_t max,
			uint64_t *v)
{
	if (bh_parse_uint(arg, 0, max, v))
		return cli_usage(cmd, "%s takes a number from 0 to %llu, not '%s'", opt,
				 (unsigned long long)max, arg);
	return EXIT_OK;
}

/* A point in time in one of BH_WHEN_FORMS, as realtime nanoseconds like the records'. */
static int parse_when(const char *cmd, const char *opt, const char *arg, uint64_t *ns)
{
	struct bh_when_ref ref = { .now = time(NULL) };
	struct timespec up;
	uint64_t seconds;

	clock_gettime(CLOCK_BOOTTIME, &up);
	ref.boot = ref.now - up.tv_sec;
	if (bh_parse_when(arg, &ref, &seconds))
		return cli_usage(cmd, "%s takes %s; not '%s'", opt, BH_WHEN_FORMS, arg);
	*ns = seconds * 1000000000ULL;
	return EXIT_OK;
}

/* A domain's name, or an exchange's outbox or inbox domain: "NAME.outbox", "NAME.inbox". */
static bool domain_name_valid(const char *name)
{
	const char *dot = strchr(name, '.');
	char exchange[BULKHEAD_EXCHANGE_NAME_LEN];
	size_t n = dot ? (size_t)(dot - name) : 0;

	if (!dot)
		return bh_name_valid(name);
	if ((strcmp(dot, ".outbox") && strcmp(dot, ".inbox")) || n >= sizeof(exchange))
		return false;
	memcpy(exchange, name, n);
	exchange[n] = '\0';
	return bh_name_valid(exchange);
}

/* --domain, --from, --to, --subject: a well-formed name, or a usage error. */
static int domain_option(const char *cmd, const char *opt, const char *arg, const char **name)
{
	if (!domain_name_valid(arg))
		return cli_usage(cmd, "%s takes a domain name ([a-z0-9_-], at most %d characters; an exchange's boxes NAME.outbox and NAME.inbox), not '%s'",
				 opt, BULKHEAD_NAME_LEN - 1, arg);
	*name = arg;
	return EXIT_OK;
}

/* A value picked from a list of names into *@to; 0 or EXIT_USAGE. */
static int pick_into(const char *cmd, const char *opt, const char *arg, int *to,
		     const char *(*name_of)(unsigned int), unsigned int max)
{
	*to = pick(cmd, opt, arg, name_of, max);
	return *to < 0 ? EXIT_USAGE : EXIT_OK;
}

/* getopt's answer @c (with @arg) as a filter into @s; an exit status. */
static int filter_option(struct cli_audit_select *s, int c, const char *arg, char **argv)
{
	struct cli_audit_filter *f = &s->f;
	const char *cmd = s->cmd;
	char opt[24];
	int channel;

	if (c < FILTER_OPT || c >= FILTER_OPT + (int)N_FILTER_OPTIONS)
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	/* Named as the table names it, whether given as "--type x" or "--type=x". */
	snprintf(opt, sizeof(opt), "--%s", filter_options[c - FILTER_OPT].name);
	switch (c) {
	case OPT_DOMAIN:
		return domain_option(cmd, opt, arg, &f->domain);
	case OPT_FROM:
		return domain_option(cmd, opt, arg, &f->from);
	case OPT_TO:
		return domain_option(cmd, opt, arg, &f->to);
	case OPT_SUBJECT:
		return domain_option(cmd, opt, arg, &f->subject);
	case OPT_EXCHANGE:
		if (!bh_name_valid(arg) || strlen(arg) >= BULKHEAD_EXCHANGE_NAME_LEN)
			return cli_usage(cmd, "%s takes an exchange name ([a-z0-9_-], at most %d characters), not '%s'",
					 opt, BULKHEAD_EXCHANGE_NAME_LEN - 1, arg);
		f->exchange = arg;
		return EXIT_OK;
	case OPT_TYPE:
		return pick_into(cmd, opt, arg, &f->type, bh_audit_type_name,
				 BULKHEAD_AUDIT_TYPE_MAX);
	case OPT_DECISION:
		return pick_into(cmd, opt, arg, &f->decision, bh_audit_decision_name,
				 BULKHEAD_AUDIT_PREVENTED);
	case OPT_HOOK:
		return pick_into(cmd, opt, arg, &f->hook, bh_hook_name, BULKHEAD_HOOK_MAX);
	case OPT_CHANNEL:
		if (pick_into(cmd, opt, arg, &channel, channel_of, 31))
			return EXIT_USAGE;
		f->channel = 1U << channel;
		return EXIT_OK;
	case OPT_PATH:
		f->path = arg;
		return EXIT_OK;
	case OPT_PID:
		return parse_number(cmd, opt, arg, INT32_MAX, &f->pid);
	case OPT_UID:
		return parse_number(cmd, opt, arg, UINT32_MAX, &f->uid);
	case OPT_AUID:
		return parse_number(cmd, opt, arg, UINT32_MAX, &f->auid);
	case OPT_SINCE_SEQ:
		return parse_number(cmd, opt, arg, UINT64_MAX, &f->since_seq);
	case OPT_UNTIL_SEQ:
		return parse_number(cmd, opt, arg, UINT64_MAX, &f->until_seq);
	case OPT_SINCE:
		return parse_when(cmd, opt, arg, &f->since_ns);
	default:
		return parse_when(cmd, opt, arg, &f->until_ns);
	}
}

int cli_audit_options(struct cli_audit_select *s, int argc, char **argv, const char *shortopts,
		      const struct option *own, int (*take)(void *ctx, int c, const char *arg),
		      void *ctx)
{
	struct option opts[CLI_AUDIT_MAX_OWN + N_FILTER_OPTIONS + 1] = { 0 };
	size_t n = 0;
	int c, ret;

	while (own[n].name && n < CLI_AUDIT_MAX_OWN) {
		opts[n] = own[n];
		n++;
	}
	memcpy(opts + n, filter_options, sizeof(filter_options));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		ret = c >= FILTER_OPT || c == '?' ? filter_option(s, c, optarg, argv) :
							      take(ctx, c, optarg);
		if (ret)
			return ret;
	}
	return EXIT_OK;
}

/* --- the sources ----------------------------------------------------------------------------- */

static void take(struct cli_audit_select *s, const void *buf, size_t len)
{
	struct bh_audit_record r;
	char why[BH_AUDIT_WHY_LEN];

	if (bh_audit_record_parse(&r, buf, len, why, sizeof(why)) < 0) {
		cli_error("%s: unreadable record: %s", s->cmd, why);
		return;
	}
	if (s->f.domain || s->f.from || s->f.to || s->f.subject) {
		see(&s->domains, &r, BULKHEAD_AUDIT_FROM_DOMAIN);
		see(&s->domains, &r, BULKHEAD_AUDIT_TO_DOMAIN);
		see(&s->domains, &r, BULKHEAD_AUDIT_SUBJ_DOMAIN);
	}
	if (s->f.exchange)
		see(&s->exchanges, &r, BULKHEAD_AUDIT_EXCHANGE);
	if (wanted(&s->f, &r))
		s->each(s->ctx, &r);
}

static int read_device(struct cli_audit_select *s)
{
	unsigned char rec[BULKHEAD_AUDIT_MAX_RECORD];
	int fd = open(BULKHEAD_AUDIT_DEVICE,
		      O_RDONLY | O_CLOEXEC | (s->follow ? 0 : O_NONBLOCK));
	ssize_t n;

	if (fd < 0) {
		cli_error("%s: cannot open %s: %s%s", s->cmd, BULKHEAD_AUDIT_DEVICE, strerror(errno),
			  errno == EPERM || errno == EACCES ?
			  " (reading the trail needs root's CAP_AUDIT_READ)" : "");
		return EXIT_FAIL;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec));
		if (n > 0) {
			take(s, rec, n);
		} else if (n < 0 && errno == EPIPE) {
			/* Never silent: say that records went by unread. */
			cli_error("%s: records were overwritten before they were read", s->cmd);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			break;
		}
	}
	close(fd);
	if (n < 0 && errno != EAGAIN) {
		cli_error("%s: cannot read %s: %s", s->cmd, BULKHEAD_AUDIT_DEVICE, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int read_file(struct cli_audit_select *s, const char *path)
{
	unsigned char rec[BULKHEAD_AUDIT_MAX_RECORD];
	char why[BH_AUDIT_WHY_LEN];
	off_t off = 0;
	int fd, size;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_error("%s: cannot open %s: %s", s->cmd, path, strerror(errno));
		return EXIT_FAIL;
	}
	while ((n = pread(fd, rec, sizeof(rec), off)) > 0) {
		size = bh_audit_record_frame(rec, n, why, sizeof(why));
		if (size < 0 || size > n) {
			cli_error("%s: %s: offset %lld: %s", s->cmd, path, (long long)off,
				  size < 0 ? why : "partial record at the end");
			close(fd);
			return EXIT_FAIL;
		}
		take(s, rec, size);
		off += size;
	}
	close(fd);
	if (n < 0) {
		/* A directory, say: never an empty trail. */
		cli_error("%s: cannot read %s: %s", s->cmd, path, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_audit_read(struct cli_audit_select *s, char **files, int n_files)
{
	int i, ret = EXIT_OK;

	if (!n_files)
		ret = read_device(s);
	for (i = 0; i < n_files && ret == EXIT_OK; i++)
		ret = read_file(s, files[i]);
	/* -f never ends: only a reading that did can tell what no record named. */
	if (!ret && !s->follow)
		ret = unknown_domains(s);
	return ret;
}
