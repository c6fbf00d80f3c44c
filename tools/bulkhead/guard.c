// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "guard run|status" - the exchange guard daemon for one exchange, configured
 * on the command line until the kernel's policy names exchanges, and its counters read back
 * from the journals in the state directory (docs/exchange.md).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "guard.h"
#include "json.h"
#include "number.h"

#define GUARD_STATE_DIR "/var/lib/bulkhead/guard"
#define DEFAULT_FILTER_TIMEOUT_S 30
#define DEFAULT_INTERVAL_S 5

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

struct run_options {
	struct bh_guard_config cfg;
	const char *state_dir;
	const char *records;
	bool once;
	uint64_t timeout_s, interval_s, burst;
	char staging[4096], quarantine[4096];
};

/* --rate N or N/s */
static int parse_rate(const char *text, unsigned int *rate)
{
	char num[24];
	uint64_t v;
	size_t n = strcspn(text, "/");

	if (n >= sizeof(num) || (text[n] && strcmp(text + n, "/s")))
		return -1;
	memcpy(num, text, n);
	num[n] = '\0';
	if (bh_parse_uint(num, 0, 1000000, &v))
		return -1;
	*rate = v;
	return 0;
}

/* How "guard run" reads each option: one table, one loop. */
enum run_kind { RUN_STRING, RUN_NUMBER, RUN_FLAG, RUN_TYPE, RUN_DENY, RUN_RATE };

struct run_option {
	const char *name;
	enum run_kind kind;
	size_t offset;			/* RUN_STRING, RUN_NUMBER, RUN_FLAG: into run_options */
	uint64_t min, max;		/* RUN_NUMBER */
	const char *what;		/* RUN_NUMBER, for the usage error */
};

#define AT(field) offsetof(struct run_options, field)

static const struct run_option run_options[] = {
	{ .name = "exchange", .kind = RUN_STRING, .offset = AT(cfg.name) },
	{ .name = "outbox", .kind = RUN_STRING, .offset = AT(cfg.outbox) },
	{ .name = "inbox", .kind = RUN_STRING, .offset = AT(cfg.inbox) },
	{ .name = "state-dir", .kind = RUN_STRING, .offset = AT(state_dir) },
	{ .name = "staging", .kind = RUN_STRING, .offset = AT(cfg.staging) },
	{ .name = "quarantine", .kind = RUN_STRING, .offset = AT(cfg.quarantine) },
	{ .name = "filter", .kind = RUN_STRING, .offset = AT(cfg.filter) },
	{ .name = "records", .kind = RUN_STRING, .offset = AT(records) },
	{ .name = "max-size", .kind = RUN_NUMBER, .offset = AT(cfg.max_size),
	  .min = 1, .max = UINT64_MAX - 1, .what = "a number of bytes" },
	{ .name = "filter-timeout", .kind = RUN_NUMBER, .offset = AT(timeout_s),
	  .min = 1, .max = 86400, .what = "seconds (1..86400)" },
	{ .name = "burst", .kind = RUN_NUMBER, .offset = AT(burst),
	  .min = 1, .max = 1000000, .what = "a number of files" },
	{ .name = "interval", .kind = RUN_NUMBER, .offset = AT(interval_s),
	  .min = 1, .max = 3600, .what = "seconds (1..3600)" },
	{ .name = "once", .kind = RUN_FLAG, .offset = AT(once) },
	{ .name = "type", .kind = RUN_TYPE },
	{ .name = "deny-pattern", .kind = RUN_DENY },
	{ .name = "rate", .kind = RUN_RATE },
};

#define N_RUN_OPTIONS (sizeof(run_options) / sizeof(run_options[0]))

/* Take @arg for option @ro into @o; 0 or EXIT_USAGE. */
static int run_option(struct run_options *o, const struct run_option *ro, char *arg)
{
	struct bh_guard_config *cfg = &o->cfg;
	void *field = (char *)o + ro->offset;

	switch (ro->kind) {
	case RUN_STRING:
		*(const char **)field = arg;
		return 0;
	case RUN_NUMBER:
		if (bh_parse_uint(arg, ro->min, ro->max, field))
			return cli_usage("guard", "--%s: %s, not '%s'", ro->name, ro->what, arg);
		return 0;
	case RUN_FLAG:
		*(bool *)field = true;
		return 0;
	case RUN_TYPE:
		if (cfg->n_types == BH_GUARD_MAX_TYPES || !strchr(arg, '/'))
			return cli_usage("guard", "--type: at most %d MIME types like text/plain or text/, not '%s'",
					 BH_GUARD_MAX_TYPES, arg);
		cfg->types[cfg->n_types++] = arg;
		return 0;
	case RUN_DENY:
		if (cfg->n_deny == BH_GUARD_MAX_PATTERNS)
			return cli_usage("guard", "--deny-pattern: at most %d", BH_GUARD_MAX_PATTERNS);
		cfg->deny[cfg->n_deny++] = arg;
		return 0;
	case RUN_RATE:
		if (parse_rate(arg, &cfg->rate))
			return cli_usage("guard", "--rate: files a second, N or N/s, not '%s'", arg);
		return 0;
	}
	return 0;
}

static int parse_run(int argc, char **argv, struct run_options *o)
{
	struct option opts[N_RUN_OPTIONS + 1] = { 0 };
	struct bh_guard_config *cfg = &o->cfg;
	unsigned int i;
	int c, err;

	for (i = 0; i < N_RUN_OPTIONS; i++) {
		opts[i].name = run_options[i].name;
		opts[i].has_arg = run_options[i].kind == RUN_FLAG ? no_argument : required_argument;
		opts[i].val = 256 + i;
	}
	o->state_dir = GUARD_STATE_DIR;
	o->records = "-";
	o->timeout_s = DEFAULT_FILTER_TIMEOUT_S;
	o->interval_s = DEFAULT_INTERVAL_S;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c < 256)
			return cli_usage("guard", "unknown option '%s'", argv[optind - 1]);
		err = run_option(o, &run_options[c - 256], optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		return cli_usage("guard", "unexpected argument '%s'", argv[optind]);
	if (!cfg->name || !cfg->outbox || !cfg->inbox)
		return cli_usage("guard", "run needs --exchange, --outbox and --inbox");
	/* The exchange's own corner of the state directory unless named otherwise. */
	if (!cfg->staging) {
		snprintf(o->staging, sizeof(o->staging), "%s/%s", o->state_dir, cfg->name);
		cfg->staging = o->staging;
	}
	if (!cfg->quarantine) {
		snprintf(o->quarantine, sizeof(o->quarantine), "%s/%s.quarantine", o->state_dir,
			 cfg->name);
		cfg->quarantine = o->quarantine;
	}
	cfg->filter_timeout_ms = o->timeout_s * 1000;
	cfg->burst = o->burst;
	return EXIT_OK;
}

/* mkdir -p, private: the state directory holds what the guard has not delivered yet. */
static int make_dirs(const char *path)
{
	char dir[4096], c;
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			cli_error("guard: cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
		if (!c)
			return 0;
		*p = c;
	}
}

static int guard_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct run_options o = { 0 };
	char err[512], last[512] = "";
	struct bh_guard_sink sink;
	struct bh_guard *g;
	FILE *records;
	int ret;

	ret = parse_run(argc, argv, &o);
	if (ret)
		return ret;
	if (make_dirs(o.state_dir))
		return EXIT_FAIL;
	records = strcmp(o.records, "-") ? fopen(o.records, "ae") : stdout;
	if (!records) {
		cli_error("guard: --records %s: %s", o.records, strerror(errno));
		return EXIT_FAIL;
	}
	bh_guard_sink_json(&sink, records);
	g = bh_guard_open(&o.cfg, &sink, err, sizeof(err));
	if (!g) {
		cli_error("guard: %s", err);
		return EXIT_FAIL;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ret = EXIT_OK;
	while (!stopping) {
		if (bh_guard_run_once(g) < 0) {
			ret = EXIT_FAIL;
			/* Said once until it changes: a full inbox would otherwise flood the log. */
			if (strcmp(last, bh_guard_error(g)))
				cli_error("guard: %s: %s", o.cfg.name, bh_guard_error(g));
			snprintf(last, sizeof(last), "%s", bh_guard_error(g));
		} else {
			ret = EXIT_OK;
			last[0] = '\0';
		}
		if (o.once)
			break;
		bh_guard_wait(g, o.interval_s * 1000);
	}
	bh_guard_close(g);
	if (records != stdout)
		fclose(records);
	return ret;
}

static void print_totals(struct json *j, const struct bh_guard_totals *t)
{
	if (!j->out) {
		printf("%s: pending %llu waiting %llu delivered %llu rejected %llu failed %llu bytes %llu records %s%s%s\n",
		       t->exchange, (unsigned long long)t->pending, (unsigned long long)t->waiting,
		       (unsigned long long)t->delivered, (unsigned long long)t->rejected,
		       (unsigned long long)t->failed, (unsigned long long)t->bytes,
		       t->records[0] ? t->records : "-",
		       t->last_error[0] ? "\n  last error: " : "", t->last_error);
		return;
	}
	json_object_begin(j, NULL);
	json_string(j, "exchange", t->exchange);
	json_u64(j, "pending", t->pending);
	json_u64(j, "waiting", t->waiting);
	json_u64(j, "delivered", t->delivered);
	json_u64(j, "rejected", t->rejected);
	json_u64(j, "failed", t->failed);
	json_u64(j, "bytes", t->bytes);
	json_string(j, "records", t->records);
	json_string(j, "last_error", t->last_error);
	json_object_end(j);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int guard_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_dir = GUARD_STATE_DIR;
	struct bh_guard_totals t;
	char path[4096], *names[256];
	enum json_style style = JSON_NONE;
	struct json j = { 0 };
	struct dirent *d;
	unsigned int n = 0, i;
	int c, err, ret = EXIT_OK;
	DIR *dir;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jp", opts, NULL)) != -1) {
		if (c == 'j' || c == 'p')
			cli_json_option(c, &style);
		else if (c == 'S')
			state_dir = optarg;
		else
			return cli_usage("guard", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage("guard", "unexpected argument '%s'", argv[optind]);
	dir = opendir(state_dir);
	if (!dir && errno != ENOENT) {
		cli_error("guard status: %s: %s", state_dir, strerror(errno));
		return EXIT_FAIL;
	}
	/* Every staging area with a journal is an exchange, in name order. */
	while (dir && (d = readdir(dir)) && n < sizeof(names) / sizeof(names[0])) {
		snprintf(path, sizeof(path), "%s/%s/journal", state_dir, d->d_name);
		if (d->d_name[0] != '.' && !access(path, F_OK))
			names[n++] = strdup(d->d_name);
	}
	if (dir)
		closedir(dir);
	qsort(names, n, sizeof(names[0]), name_cmp);
	if (style) {
		json_init(&j, stdout, style);
		json_array_begin(&j, NULL);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", state_dir, names[i]);
		err = bh_guard_status(path, &t);
		if (err) {
			cli_error("guard status: %s/journal: %s", path, strerror(-err));
			ret = EXIT_FAIL;
		} else {
			print_totals(&j, &t);
		}
		free(names[i]);
	}
	if (style)
		json_array_end(&j);
	return ret;
}

int cmd_guard(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("guard", "expected run or status");
	if (!strcmp(argv[1], "run"))
		return guard_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "status"))
		return guard_status(argc - 1, argv + 1);
	return cli_usage("guard", "unknown subcommand '%s'", argv[1]);
}
