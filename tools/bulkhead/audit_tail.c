// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit tail", the audit trail for people and scripts: from the module's ring
 * (/dev/bulkhead-audit, without acknowledging anything) or from recorded files, filtered,
 * one record per line as key=value text (-j: JSON lines). -f keeps following the ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bulkhead_audit.h>
#include "audit_read.h"
#include "audit_record.h"
#include "cli.h"
#include "json.h"
#include "number.h"
#include "policy.h"
#include "when.h"

struct filter {
	const char *domain;	/* from or to */
	const char *from, *to;	/* the flow's source, its destination */
	int type, decision, hook;	/* -1: any */
	unsigned int channel;	/* a BULKHEAD_CHAN_* bit; 0: any */
	const char *path;	/* a prefix of the object's path */
	long long pid, uid, auid;	/* -1: any */
	unsigned long long since_seq, until_seq;
	unsigned long long since_ns, until_ns;	/* realtime */
};

/* The domains the records read name: what a domain filter could have named. */
struct seen {
	char (*names)[BULKHEAD_NAME_LEN];
	size_t n;
};

/* One "audit tail": what it selects, how it prints, what it has seen. */
struct tail {
	struct filter f;
	bool follow;
	enum json_style json;
	struct json doc;	/* -j/-p without -f: one array of the records shown */
	struct seen seen;	/* kept only while a domain filter is given */
};

/* The domain field @type is @want, or no filter (NULL). */
static bool domain_is(const struct bh_audit_record *r, unsigned int type, const char *want)
{
	char name[BULKHEAD_NAME_LEN];

	return !want || (bh_audit_get_string(r, type, name, sizeof(name)) && !strcmp(name, want));
}

static bool domains_match(const struct filter *f, const struct bh_audit_record *r)
{
	return domain_is(r, BULKHEAD_AUDIT_FROM_DOMAIN, f->from) &&
	       domain_is(r, BULKHEAD_AUDIT_TO_DOMAIN, f->to) &&
	       (!f->domain || domain_is(r, BULKHEAD_AUDIT_FROM_DOMAIN, f->domain) ||
		domain_is(r, BULKHEAD_AUDIT_TO_DOMAIN, f->domain));
}

static bool seen_has(const struct seen *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

static void see(struct seen *s, const struct bh_audit_record *r, unsigned int type)
{
	char name[BULKHEAD_NAME_LEN], (*more)[BULKHEAD_NAME_LEN];

	if (!bh_audit_get_string(r, type, name, sizeof(name)) || seen_has(s, name))
		return;
	more = realloc(s->names, (s->n + 1) * sizeof(*more));
	if (!more)
		abort();
	s->names = more;
	memcpy(s->names[s->n++], name, sizeof(name));
}

/*
 * A domain filter naming a domain no record read names is a misspelling as likely as a quiet
 * domain: say which the records do name (a domain deleted since still counts, so the policy
 * in force cannot be the list). Usage error, as for the other filters' values.
 */
static int unknown_domain(const struct seen *s, const char *opt, const char *name)
{
	char list[4096] = "none";
	size_t i, n = 0;

	if (!name || seen_has(s, name))
		return 0;
	for (i = 0; i < s->n && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", s->names[i]);
	cli_usage("audit tail", "%s: no record read names domain '%s' (they name %s)", opt, name,
		  list);
	return -1;
}

static int unknown_domains(const struct tail *t)
{
	return unknown_domain(&t->seen, "--domain", t->f.domain) ||
	       unknown_domain(&t->seen, "--from", t->f.from) ||
	       unknown_domain(&t->seen, "--to", t->f.to) ? EXIT_USAGE : EXIT_OK;
}

/* A number field @type equal to @want, or no filter (-1). */
static bool number_is(const struct bh_audit_record *r, unsigned int type, long long want)
{
	uint32_t v;

	return want < 0 || (bh_audit_get_u32(r, type, &v) && v == want);
}

static bool path_under(const struct bh_audit_record *r, const char *prefix)
{
	char path[BULKHEAD_AUDIT_MAX_RECORD];

	return bh_audit_get_string(r, BULKHEAD_AUDIT_OBJ_PATH, path, sizeof(path)) &&
	       !strncmp(path, prefix, strlen(prefix));
}

static bool wanted(const struct filter *f, const struct bh_audit_record *r)
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
static int pick(const char *opt, const char *arg, const char *(*name_of)(unsigned int),
		unsigned int max)
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
	cli_usage("audit tail", "%s takes one of %s; not '%s'", opt, list, arg);
	return -1;
}

static void show(struct tail *t, const void *buf, size_t len)
{
	struct bh_audit_record r;
	char why[BH_AUDIT_WHY_LEN];

	if (bh_audit_record_parse(&r, buf, len, why, sizeof(why)) < 0) {
		cli_error("audit tail: unreadable record: %s", why);
		return;
	}
	if (t->f.domain || t->f.from || t->f.to) {
		see(&t->seen, &r, BULKHEAD_AUDIT_FROM_DOMAIN);
		see(&t->seen, &r, BULKHEAD_AUDIT_TO_DOMAIN);
	}
	if (!wanted(&t->f, &r))
		return;
	/* A stream (-f) is JSON lines, one document per record; otherwise one array. */
	if (t->json && !t->follow)
		bh_audit_json_record(&t->doc, &r);
	else if (t->json)
		bh_audit_print_json(stdout, &r);
	else
		bh_audit_print_text(stdout, &r);
	fflush(stdout);
}

static int tail_device(struct tail *t)
{
	unsigned char rec[BULKHEAD_AUDIT_MAX_RECORD];
	int fd = open(BULKHEAD_AUDIT_DEVICE,
		      O_RDONLY | O_CLOEXEC | (t->follow ? 0 : O_NONBLOCK));
	ssize_t n;

	if (fd < 0) {
		cli_error("audit tail: cannot open %s: %s", BULKHEAD_AUDIT_DEVICE, strerror(errno));
		return EXIT_FAIL;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec));
		if (n > 0) {
			show(t, rec, n);
		} else if (n < 0 && errno == EPIPE) {
			/* Never silent: say that records went by unread. */
			cli_error("audit tail: records were overwritten before they were read");
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			break;
		}
	}
	close(fd);
	if (n < 0 && errno != EAGAIN) {
		cli_error("audit tail: cannot read %s: %s", BULKHEAD_AUDIT_DEVICE, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int tail_file(struct tail *t, const char *path)
{
	unsigned char rec[BULKHEAD_AUDIT_MAX_RECORD];
	char why[BH_AUDIT_WHY_LEN];
	off_t off = 0;
	int fd, size;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_error("audit tail: cannot open %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	while ((n = pread(fd, rec, sizeof(rec), off)) > 0) {
		size = bh_audit_record_frame(rec, n, why, sizeof(why));
		if (size < 0 || size > n) {
			cli_error("audit tail: %s: offset %lld: %s", path, (long long)off,
				  size < 0 ? why : "partial record at the end");
			close(fd);
			return EXIT_FAIL;
		}
		show(t, rec, size);
		off += size;
	}
	close(fd);
	if (n < 0) {
		/* A directory, say: never an empty trail. */
		cli_error("audit tail: cannot read %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int parse_number(const char *opt, const char *arg, uint64_t max, unsigned long long *v)
{
	uint64_t n;

	if (bh_parse_uint(arg, 0, max, &n)) {
		cli_usage("audit tail", "%s takes a number from 0 to %llu, not '%s'", opt,
			  (unsigned long long)max, arg);
		return -1;
	}
	*v = n;
	return 0;
}

/* A point in time in one of BH_WHEN_FORMS, as realtime nanoseconds like the records'. */
static int parse_when(const char *opt, const char *arg, unsigned long long *ns)
{
	struct bh_when_ref ref = { .now = time(NULL) };
	struct timespec up;
	uint64_t seconds;

	clock_gettime(CLOCK_BOOTTIME, &up);
	ref.boot = ref.now - up.tv_sec;
	if (bh_parse_when(arg, &ref, &seconds)) {
		cli_usage("audit tail", "%s takes %s; not '%s'", opt, BH_WHEN_FORMS, arg);
		return -1;
	}
	*ns = seconds * 1000000000ULL;
	return 0;
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

/* --domain, --from, --to: a well-formed name, or a usage error. */
static int domain_option(const char *opt, const char *arg, const char **name)
{
	if (!domain_name_valid(arg))
		return cli_usage("audit tail", "%s takes a domain name ([a-z0-9_-], at most %d characters; an exchange's boxes NAME.outbox and NAME.inbox), not '%s'",
				 opt, BULKHEAD_NAME_LEN - 1, arg);
	*name = arg;
	return EXIT_OK;
}

enum { OPT_FROM = 256, OPT_TO, OPT_PATH };

/* The options into @t; an exit status (EXIT_USAGE after a usage error). */
static int parse_options(int argc, char **argv, struct tail *t)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "domain", required_argument, NULL, 'D' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "type", required_argument, NULL, 'T' },
		{ "decision", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'P' },
		{ "since-seq", required_argument, NULL, 's' },
		{ "until-seq", required_argument, NULL, 'u' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "hook", required_argument, NULL, 'H' },
		{ "channel", required_argument, NULL, 'c' },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "uid", required_argument, NULL, 'I' },
		{ "auid", required_argument, NULL, 'A' },
		{}
	};
	struct filter *f = &t->f;
	unsigned long long v;
	int c, channel;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fjp", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			t->follow = true;
			break;
		case 'j':
		case 'p':
			cli_json_option(c, &t->json);
			break;
		case 'D':
			if (domain_option("--domain", optarg, &f->domain))
				return EXIT_USAGE;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (domain_option(c == OPT_FROM ? "--from" : "--to", optarg,
					  c == OPT_FROM ? &f->from : &f->to))
				return EXIT_USAGE;
			break;
		case 'T':
			f->type = pick("--type", optarg, bh_audit_type_name, BULKHEAD_AUDIT_TYPE_MAX);
			if (f->type < 0)
				return EXIT_USAGE;
			break;
		case 'C':
			f->decision = pick("--decision", optarg, bh_audit_decision_name,
					   BULKHEAD_AUDIT_PREVENTED);
			if (f->decision < 0)
				return EXIT_USAGE;
			break;
		case 'H':
			f->hook = pick("--hook", optarg, bh_hook_name, BULKHEAD_HOOK_MAX);
			if (f->hook < 0)
				return EXIT_USAGE;
			break;
		case 'c':
			channel = pick("--channel", optarg, channel_of, 31);
			if (channel < 0)
				return EXIT_USAGE;
			f->channel = 1U << channel;
			break;
		case OPT_PATH:
			f->path = optarg;
			break;
		case 'P':
		case 'I':
		case 'A':
			if (parse_number(c == 'P' ? "--pid" : c == 'I' ? "--uid" : "--auid", optarg,
					 c == 'P' ? INT32_MAX : UINT32_MAX, &v))
				return EXIT_USAGE;
			*(c == 'P' ? &f->pid : c == 'I' ? &f->uid : &f->auid) = v;
			break;
		case 's':
		case 'u':
			if (parse_number(c == 's' ? "--since-seq" : "--until-seq", optarg,
					 UINT64_MAX, c == 's' ? &f->since_seq : &f->until_seq))
				return EXIT_USAGE;
			break;
		case 'S':
		case 'U':
			if (parse_when(c == 'S' ? "--since" : "--until", optarg,
				       c == 'S' ? &f->since_ns : &f->until_ns))
				return EXIT_USAGE;
			break;
		default:
			return cli_usage("audit tail", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (t->follow && optind < argc)
		return cli_usage("audit tail", "-f follows the module's ring, not files");
	/* Indenting suits one document, not a stream read line by line. */
	if (t->follow && t->json == JSON_PRETTY)
		return cli_usage("audit tail", "-f prints JSON lines, one record each; -p indents one document");
	return EXIT_OK;
}

int cli_audit_tail(int argc, char **argv)
{
	struct tail t = {
		.f = { .type = -1, .decision = -1, .hook = -1, .pid = -1, .uid = -1, .auid = -1,
		       .until_seq = -1ULL, .until_ns = -1ULL },
	};
	int i, ret;

	ret = parse_options(argc, argv, &t);
	if (ret)
		return ret;
	json_init(&t.doc, stdout, t.json);
	if (t.json && !t.follow)
		json_array_begin(&t.doc, NULL);
	if (optind == argc)
		ret = tail_device(&t);
	for (i = optind; i < argc && ret == EXIT_OK; i++)
		ret = tail_file(&t, argv[i]);
	/* Closed even after a failure: what was printed stays one valid document. */
	if (t.json && !t.follow)
		json_array_end(&t.doc);
	if (!ret && !t.follow)
		ret = unknown_domains(&t);
	free(t.seen.names);
	return ret;
}
