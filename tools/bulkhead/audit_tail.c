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
#include <unistd.h>

#include <linux/bulkhead_audit.h>
#include "audit_read.h"
#include "audit_record.h"
#include "cli.h"
#include "number.h"

struct filter {
	const char *domain;	/* from or to */
	const char *type;
	const char *decision;
	long long pid;		/* -1: any */
	unsigned long long since_seq, until_seq;
	unsigned long long since_ns, until_ns;	/* realtime */
};

static bool has_domain(const struct bh_audit_record *r, const char *domain)
{
	char name[64];

	return (bh_audit_get_string(r, BULKHEAD_AUDIT_FROM_DOMAIN, name, sizeof(name)) &&
		!strcmp(name, domain)) ||
	       (bh_audit_get_string(r, BULKHEAD_AUDIT_TO_DOMAIN, name, sizeof(name)) &&
		!strcmp(name, domain));
}

static bool wanted(const struct filter *f, const struct bh_audit_record *r)
{
	const char *name;
	uint32_t pid;

	if (r->hdr.seq < f->since_seq || r->hdr.seq > f->until_seq ||
	    r->hdr.realtime_ns < f->since_ns || r->hdr.realtime_ns > f->until_ns)
		return false;
	name = bh_audit_type_name(r->hdr.type);
	if (f->type && (!name || strcmp(name, f->type)))
		return false;
	name = bh_audit_decision_name(r->hdr.decision);
	if (f->decision && (!name || strcmp(name, f->decision)))
		return false;
	if (f->pid >= 0 && (!bh_audit_get_u32(r, BULKHEAD_AUDIT_SUBJ_PID, &pid) || pid != f->pid))
		return false;
	return !f->domain || has_domain(r, f->domain);
}

static void show(const struct filter *f, const void *buf, size_t len, bool json)
{
	struct bh_audit_record r;
	char why[BH_AUDIT_WHY_LEN];

	if (bh_audit_record_parse(&r, buf, len, why, sizeof(why)) < 0) {
		cli_error("audit tail: unreadable record: %s", why);
		return;
	}
	if (!wanted(f, &r))
		return;
	if (json)
		bh_audit_print_json(stdout, &r);
	else
		bh_audit_print_text(stdout, &r);
	fflush(stdout);
}

static int tail_device(const struct filter *f, bool follow, bool json)
{
	unsigned char rec[BULKHEAD_AUDIT_MAX_RECORD];
	int fd = open(BULKHEAD_AUDIT_DEVICE, O_RDONLY | O_CLOEXEC | (follow ? 0 : O_NONBLOCK));
	ssize_t n;

	if (fd < 0) {
		cli_error("audit tail: cannot open %s: %s", BULKHEAD_AUDIT_DEVICE, strerror(errno));
		return EXIT_FAIL;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec));
		if (n > 0) {
			show(f, rec, n, json);
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

static int tail_file(const struct filter *f, const char *path, bool json)
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
		show(f, rec, size, json);
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

int cli_audit_tail(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "domain", required_argument, NULL, 'D' },
		{ "type", required_argument, NULL, 'T' },
		{ "decision", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'P' },
		{ "since-seq", required_argument, NULL, 's' },
		{ "until-seq", required_argument, NULL, 'u' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{}
	};
	struct filter f = { .pid = -1, .until_seq = -1ULL, .until_ns = -1ULL };
	unsigned long long v;
	bool follow = false, json = false;
	int c, i, ret = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fj", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			follow = true;
			break;
		case 'j':
			json = true;
			break;
		case 'D':
			f.domain = optarg;
			break;
		case 'T':
			f.type = optarg;
			break;
		case 'C':
			f.decision = optarg;
			break;
		case 'P':
			if (parse_number("--pid", optarg, INT32_MAX, &v))
				return EXIT_USAGE;
			f.pid = v;
			break;
		case 's':
		case 'u':
			if (parse_number(c == 's' ? "--since-seq" : "--until-seq", optarg,
					 UINT64_MAX, c == 's' ? &f.since_seq : &f.until_seq))
				return EXIT_USAGE;
			break;
		case 'S':
		case 'U':
			/* Seconds since the epoch, compared with the records' realtime. */
			/* Nanoseconds in 64 bits: seconds up to the year 2554. */
			if (parse_number(c == 'S' ? "--since" : "--until", optarg,
					 UINT64_MAX / 1000000000ULL, &v))
				return EXIT_USAGE;
			*(c == 'S' ? &f.since_ns : &f.until_ns) = v * 1000000000ULL;
			break;
		default:
			return cli_usage("audit tail", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return tail_device(&f, follow, json);
	if (follow)
		return cli_usage("audit tail", "-f follows the module's ring, not files");
	for (i = optind; i < argc && ret == EXIT_OK; i++)
		ret = tail_file(&f, argv[i], json);
	return ret;
}
