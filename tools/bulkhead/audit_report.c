// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit report", aureport's role for the bulkhead trail. Over the records that
 * the same filters make "audit tail" print (audit_select.c), from the ring or from trail
 * files: the totals (--summary, and what a report without --by prints), and per domain pair,
 * source, destination, acting domain, exchange, hook, channel, decision, uid, login uid, hour
 * or day (--by) how many
 * decisions there were and how each went. Text tables, or one JSON document (-j, -p).
 */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit_read.h"
#include "audit_select.h"
#include "cli.h"
#include "json.h"

#define N_DECISIONS	(BULKHEAD_AUDIT_PREVENTED + 1)
#define NO_NUMBER	UINT64_MAX

/* What --by counts decisions by. */
enum dimension { BY_PAIR, BY_FROM, BY_TO, BY_SUBJECT, BY_EXCHANGE, BY_HOOK, BY_CHANNEL,
		 BY_DECISION, BY_UID, BY_AUID, BY_HOUR, BY_DAY, N_DIMENSIONS };

/* One line of a table: a key and how the decisions with it went. */
struct row {
	char key[2 * BULKHEAD_NAME_LEN + 8];	/* as printed; "-" when the record has none */
	uint64_t number;	/* a uid, or a window's start (epoch seconds); NO_NUMBER: none */
	uint64_t total, decisions[N_DECISIONS];
};

/* The key of @r along one dimension into @k ("-" when @r has none). */
typedef void (*key_fn)(const struct bh_audit_record *r, struct row *k);

struct table {
	void *tree;		/* tsearch() by key */
	struct row **rows;	/* in the order first seen */
	size_t n;
};

struct report {
	bool summary;
	bool by[N_DIMENSIONS];
	enum dimension order[N_DIMENSIONS];	/* the --by asked for, in the order given */
	size_t n_order;
	enum json_style json;
	struct table tables[N_DIMENSIONS];
	uint64_t records, types[BULKHEAD_AUDIT_TYPE_MAX + 1], decisions[N_DECISIONS], lost;
	struct bulkhead_audit_hdr first, last;
};

/* --- keys -------------------------------------------------------------------------------- */

static void string_key(const struct bh_audit_record *r, unsigned int type, struct row *k)
{
	if (!bh_audit_get_string(r, type, k->key, sizeof(k->key)))
		strcpy(k->key, "-");
}

static void key_pair(const struct bh_audit_record *r, struct row *k)
{
	char from[BULKHEAD_NAME_LEN], to[BULKHEAD_NAME_LEN];

	if (!bh_audit_get_string(r, BULKHEAD_AUDIT_FROM_DOMAIN, from, sizeof(from)))
		strcpy(from, "-");
	if (!bh_audit_get_string(r, BULKHEAD_AUDIT_TO_DOMAIN, to, sizeof(to)))
		strcpy(to, "-");
	snprintf(k->key, sizeof(k->key), "%s -> %s", from, to);
}

static void key_from(const struct bh_audit_record *r, struct row *k)
{
	string_key(r, BULKHEAD_AUDIT_FROM_DOMAIN, k);
}

static void key_to(const struct bh_audit_record *r, struct row *k)
{
	string_key(r, BULKHEAD_AUDIT_TO_DOMAIN, k);
}

static void key_subject(const struct bh_audit_record *r, struct row *k)
{
	string_key(r, BULKHEAD_AUDIT_SUBJ_DOMAIN, k);
}

static void key_exchange(const struct bh_audit_record *r, struct row *k)
{
	string_key(r, BULKHEAD_AUDIT_EXCHANGE, k);
}

static void key_hook(const struct bh_audit_record *r, struct row *k)
{
	const char *name = bh_hook_name(r->hdr.hook);

	if (name)
		snprintf(k->key, sizeof(k->key), "%s", name);
	else
		snprintf(k->key, sizeof(k->key), "%u", r->hdr.hook);
}

static void key_channel(const struct bh_audit_record *r, struct row *k)
{
	uint32_t channel;

	if (bh_audit_get_u32(r, BULKHEAD_AUDIT_CHANNEL, &channel) && channel)
		bh_audit_format_channels(k->key, sizeof(k->key), channel);
	else
		strcpy(k->key, "-");
}

static void key_decision(const struct bh_audit_record *r, struct row *k)
{
	snprintf(k->key, sizeof(k->key), "%s", bh_audit_decision_name(r->hdr.decision));
}

static void number_key(const struct bh_audit_record *r, unsigned int type, struct row *k)
{
	uint32_t v;

	if (bh_audit_get_u32(r, type, &v)) {
		k->number = v;
		snprintf(k->key, sizeof(k->key), "%u", v);
	} else {
		strcpy(k->key, "-");
	}
}

static void key_uid(const struct bh_audit_record *r, struct row *k)
{
	number_key(r, BULKHEAD_AUDIT_SUBJ_UID, k);
}

static void key_auid(const struct bh_audit_record *r, struct row *k)
{
	number_key(r, BULKHEAD_AUDIT_SUBJ_LOGINUID, k);
}

/* The local hour or day holding @r, as its start and "YYYY-MM-DD[ HH:00]". */
static void window_key(const struct bh_audit_record *r, struct row *k, bool hour)
{
	time_t t = r->hdr.realtime_ns / 1000000000ULL;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_min = tm.tm_sec = 0;
	if (!hour)
		tm.tm_hour = 0;
	tm.tm_isdst = -1;
	k->number = mktime(&tm);
	strftime(k->key, sizeof(k->key), hour ? "%Y-%m-%d %H:00" : "%Y-%m-%d", &tm);
}

static void key_hour(const struct bh_audit_record *r, struct row *k)
{
	window_key(r, k, true);
}

static void key_day(const struct bh_audit_record *r, struct row *k)
{
	window_key(r, k, false);
}

static const struct {
	const char *name;	/* --by NAME, and "by_NAME" in the JSON document */
	const char *title;	/* the text table's key column */
	key_fn key;
	unsigned int window;	/* seconds, for the time windows: listed in time order */
} dimensions[N_DIMENSIONS] = {
	[BY_PAIR] = { "pair", "from -> to", key_pair },
	[BY_FROM] = { "from", "from", key_from },
	[BY_TO] = { "to", "to", key_to },
	[BY_SUBJECT] = { "subject", "acting domain", key_subject },
	[BY_EXCHANGE] = { "exchange", "exchange", key_exchange },
	[BY_HOOK] = { "hook", "hook", key_hook },
	[BY_CHANNEL] = { "channel", "channel", key_channel },
	[BY_DECISION] = { "decision", "decision", key_decision },
	[BY_UID] = { "uid", "uid", key_uid },
	[BY_AUID] = { "auid", "auid", key_auid },
	[BY_HOUR] = { "hour", "hour (local time)", key_hour, 3600 },
	[BY_DAY] = { "day", "day (local time)", key_day, 86400 },
};

/* --- counting ---------------------------------------------------------------------------- */

static int row_cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->key, ((const struct row *)b)->key);
}

/* The row of @t with @k's key, made when there is none yet. */
static struct row *row_for(struct table *t, const struct row *k)
{
	struct row **found, *row, **more;

	found = tfind(k, &t->tree, row_cmp_key);
	if (found)
		return *found;
	row = malloc(sizeof(*row));
	more = realloc(t->rows, (t->n + 1) * sizeof(*more));
	if (!row || !more)
		abort();
	*row = *k;
	t->rows = more;
	t->rows[t->n++] = row;
	if (!tsearch(row, &t->tree, row_cmp_key))
		abort();
	return row;
}

static void count(void *ctx, const struct bh_audit_record *r)
{
	struct report *rep = ctx;
	struct row k, *row;
	uint64_t lost;
	unsigned int d;

	if (!rep->records++)
		rep->first = r->hdr;
	rep->last = r->hdr;
	rep->types[r->hdr.type]++;
	if (r->hdr.type == BULKHEAD_AUDIT_LOST &&
	    bh_audit_get_u64(r, BULKHEAD_AUDIT_LOST_COUNT, &lost))
		rep->lost += lost;
	if (r->hdr.type != BULKHEAD_AUDIT_DECISION)
		return;
	rep->decisions[r->hdr.decision]++;
	/* Every dimension, asked for or not: the summary says how many keys each has. */
	for (d = 0; d < N_DIMENSIONS; d++) {
		memset(&k, 0, sizeof(k));
		k.number = NO_NUMBER;
		dimensions[d].key(r, &k);
		row = row_for(&rep->tables[d], &k);
		row->total++;
		row->decisions[r->hdr.decision]++;
	}
}

static void no_free(void *node)
{
}

static void report_free(struct report *rep)
{
	size_t d, i;

	for (d = 0; d < N_DIMENSIONS; d++) {
		tdestroy(rep->tables[d].tree, no_free);
		for (i = 0; i < rep->tables[d].n; i++)
			free(rep->tables[d].rows[i]);
		free(rep->tables[d].rows);
	}
}

/* Most decisions first, then by key; time windows in time order. */
static int row_cmp_total(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int row_cmp_time(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;

	return x->number < y->number ? -1 : x->number > y->number;
}

/* --- printing ---------------------------------------------------------------------------- */

/* The decisions' columns: how they went, failures first (aureport's --failed). */
static const unsigned int outcome[] = {
	BULKHEAD_AUDIT_DENIED, BULKHEAD_AUDIT_WOULD_DENY, BULKHEAD_AUDIT_PREVENTED,
	BULKHEAD_AUDIT_ALLOWED,
};

#define N_OUTCOMES (sizeof(outcome) / sizeof(outcome[0]))

/* A window's start as local ISO 8601 with the offset: 2026-11-26T22:00:00+01:00. */
static void format_start(char *buf, size_t size, uint64_t start)
{
	time_t t = start;
	struct tm tm;
	size_t n;

	localtime_r(&t, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm);
	/* %z is +0100; RFC 3339 writes +01:00. */
	if (n >= 5 && n + 2 <= size) {
		memmove(buf + n - 1, buf + n - 2, 3);
		buf[n - 2] = ':';
	}
}

static void text_table(const struct report *rep, enum dimension d)
{
	const struct table *t = &rep->tables[d];
	size_t i, k;

	printf("\ndecisions by %s:\n  %7s", dimensions[d].name, "total");
	for (k = 0; k < N_OUTCOMES; k++)
		printf("  %10s", bh_audit_decision_name(outcome[k]));
	printf("  %s\n", dimensions[d].title);
	for (i = 0; i < t->n; i++) {
		printf("  %7llu", (unsigned long long)t->rows[i]->total);
		for (k = 0; k < N_OUTCOMES; k++)
			printf("  %10llu", (unsigned long long)t->rows[i]->decisions[outcome[k]]);
		printf("  %s\n", t->rows[i]->key);
	}
	if (!t->n)
		printf("  (none)\n");
}

static void text_summary(const struct report *rep)
{
	char first[64], last[64];
	unsigned int i;
	const char *sep = "";

	printf("records: %llu\n", (unsigned long long)rep->records);
	if (rep->records) {
		bh_audit_format_time(first, sizeof(first), rep->first.realtime_ns);
		bh_audit_format_time(last, sizeof(last), rep->last.realtime_ns);
		printf("first: seq %llu at %s\nlast: seq %llu at %s\n",
		       (unsigned long long)rep->first.seq, first,
		       (unsigned long long)rep->last.seq, last);
	}
	printf("by type:");
	for (i = 1; i <= BULKHEAD_AUDIT_TYPE_MAX; i++)
		if (rep->types[i])
			printf("%s %s %llu", sep, bh_audit_type_name(i),
			       (unsigned long long)rep->types[i]), sep = ",";
	printf("%s\ndecisions: %llu (", *sep ? "" : " none",
	       (unsigned long long)rep->types[BULKHEAD_AUDIT_DECISION]);
	for (i = 0; i < N_OUTCOMES; i++)
		printf("%s%s %llu", i ? ", " : "", bh_audit_decision_name(outcome[i]),
		       (unsigned long long)rep->decisions[outcome[i]]);
	printf(")\nrecords lost: %llu\n", (unsigned long long)rep->lost);
	printf("domain pairs: %zu, hooks: %zu, channels: %zu, uids: %zu\n",
	       rep->tables[BY_PAIR].n, rep->tables[BY_HOOK].n, rep->tables[BY_CHANNEL].n,
	       rep->tables[BY_UID].n);
}

static void json_counts(struct json *j, const uint64_t *decisions)
{
	size_t k;

	for (k = 0; k < N_OUTCOMES; k++)
		json_u64(j, bh_audit_decision_name(outcome[k]), decisions[outcome[k]]);
}

/* A row's key as members: named as the dimension, the pair as from and to. */
static void json_key(struct json *j, enum dimension d, const struct row *row)
{
	char buf[64];

	if (d == BY_PAIR) {
		/* "from -> to": names hold no space. */
		memcpy(buf, row->key, strcspn(row->key, " "));
		buf[strcspn(row->key, " ")] = '\0';
		json_string(j, "from", buf);
		json_string(j, "to", row->key + strlen(buf) + strlen(" -> "));
	} else if (dimensions[d].window) {
		format_start(buf, sizeof(buf), row->number);
		json_string(j, "start", buf);
		json_u64(j, "seconds", dimensions[d].window);
	} else if (row->number != NO_NUMBER) {
		json_u64(j, dimensions[d].name, row->number);
	} else {
		json_string(j, dimensions[d].name, row->key);
	}
}

static void json_table(struct json *j, const struct report *rep, enum dimension d)
{
	const struct table *t = &rep->tables[d];
	char key[32];
	size_t i;

	snprintf(key, sizeof(key), "by_%s", dimensions[d].name);
	json_array_begin(j, key);
	for (i = 0; i < t->n; i++) {
		json_object_begin(j, NULL);
		json_key(j, d, t->rows[i]);
		json_u64(j, "total", t->rows[i]->total);
		json_counts(j, t->rows[i]->decisions);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_summary(struct json *j, const struct report *rep)
{
	char time[64];
	unsigned int i;

	json_object_begin(j, "summary");
	json_u64(j, "records", rep->records);
	if (rep->records) {
		json_u64(j, "first_seq", rep->first.seq);
		bh_audit_format_time(time, sizeof(time), rep->first.realtime_ns);
		json_string(j, "first_time", time);
		json_u64(j, "last_seq", rep->last.seq);
		bh_audit_format_time(time, sizeof(time), rep->last.realtime_ns);
		json_string(j, "last_time", time);
	}
	json_object_begin(j, "types");
	for (i = 1; i <= BULKHEAD_AUDIT_TYPE_MAX; i++)
		json_u64(j, bh_audit_type_name(i), rep->types[i]);
	json_object_end(j);
	json_object_begin(j, "decisions");
	json_counts(j, rep->decisions);
	json_object_end(j);
	json_u64(j, "lost", rep->lost);
	json_u64(j, "pairs", rep->tables[BY_PAIR].n);
	json_u64(j, "hooks", rep->tables[BY_HOOK].n);
	json_u64(j, "channels", rep->tables[BY_CHANNEL].n);
	json_u64(j, "uids", rep->tables[BY_UID].n);
	json_object_end(j);
}

static void print_report(struct report *rep)
{
	struct json j;
	size_t i;

	for (i = 0; i < rep->n_order; i++) {
		struct table *t = &rep->tables[rep->order[i]];

		qsort(t->rows, t->n, sizeof(*t->rows),
		      dimensions[rep->order[i]].window ? row_cmp_time : row_cmp_total);
	}
	if (!rep->json) {
		if (rep->summary)
			text_summary(rep);
		for (i = 0; i < rep->n_order; i++)
			text_table(rep, rep->order[i]);
		return;
	}
	json_init(&j, stdout, rep->json);
	json_object_begin(&j, NULL);
	if (rep->summary)
		json_summary(&j, rep);
	for (i = 0; i < rep->n_order; i++)
		json_table(&j, rep, rep->order[i]);
	json_object_end(&j);
}

/* --- the command ------------------------------------------------------------------------- */

/* --by NAME[,NAME...]: each added once, in the order given; a usage error names the valid. */
static int by_option(struct report *rep, const char *arg)
{
	char names[256] = "", *copy, *word, *save = NULL;
	size_t d, n = 0;
	int ret = EXIT_OK;

	copy = strdup(arg);
	if (!copy)
		abort();
	for (word = strtok_r(copy, ",", &save); word && !ret; word = strtok_r(NULL, ",", &save)) {
		for (d = 0; d < N_DIMENSIONS && strcmp(word, dimensions[d].name); d++)
			;
		if (d == N_DIMENSIONS) {
			for (d = 0; d < N_DIMENSIONS; d++)
				n += snprintf(names + n, sizeof(names) - n, "%s%s", d ? ", " : "",
					      dimensions[d].name);
			ret = cli_usage("audit report", "--by takes one of %s; not '%s'", names,
					word);
		} else if (!rep->by[d]) {
			rep->by[d] = true;
			rep->order[rep->n_order++] = d;
		}
	}
	free(copy);
	return ret;
}

/* One of report's own options. */
static int take(void *ctx, int c, const char *arg)
{
	struct report *rep = ctx;

	if (c == 'b')
		return by_option(rep, arg);
	if (c == 'S')
		rep->summary = true;
	else
		cli_json_option(c, &rep->json);
	return EXIT_OK;
}

static int parse_options(int argc, char **argv, struct report *rep, struct cli_audit_select *s)
{
	static const struct option own[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "summary", no_argument, NULL, 'S' },
		{ "by", required_argument, NULL, 'b' },
		{}
	};
	int ret = cli_audit_options(s, argc, argv, "jp", own, take, rep);

	/* Without a table asked for, the totals: aureport's default is its summary too. */
	if (!rep->n_order)
		rep->summary = true;
	return ret;
}

int cli_audit_report(int argc, char **argv)
{
	struct cli_audit_select s;
	struct report rep = { 0 };
	int ret;

	cli_audit_select_init(&s, "audit report", count, &rep);
	ret = parse_options(argc, argv, &rep, &s);
	if (!ret)
		ret = cli_audit_read(&s, argv + optind, argc - optind);
	/* A report of what was read is no report: a failed reading prints none. */
	if (!ret)
		print_report(&rep);
	cli_audit_select_free(&s);
	report_free(&rep);
	return ret;
}
