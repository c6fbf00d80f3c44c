// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "guard run|status" - the exchange guard daemon for one exchange, configured by
 * the kernel's policy (--exchange, records into the sealed audit trail) or, on a host without
 * it, by the command line (--name, records as JSON lines), and its counters read back from the
 * journals in the state directory (docs/exchange.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
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
#include "policy_nl.h"

#define GUARD_STATE_DIR "/var/lib/bulkhead/guard"
#define DEFAULT_INTERVAL_S 5

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

struct run_options {
	struct bh_guard_config cfg;
	const char *exchange;		/* --exchange: the policy's; else cfg.name (--name) */
	const char *check;		/* the first exchange option: refused with --exchange */
	const char *state_dir;
	const char *records;		/* --records: a JSON lines file, "-" for stdout, or NULL */
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
	bool exchange;			/* part of an exchange: the policy's with --exchange */
};

#define AT(field) offsetof(struct run_options, field)

static const struct run_option run_options[] = {
	{ .name = "exchange", .kind = RUN_STRING, .offset = AT(exchange) },
	{ .name = "name", .kind = RUN_STRING, .offset = AT(cfg.name) },
	{ .name = "outbox", .kind = RUN_STRING, .offset = AT(cfg.outbox), .exchange = true },
	{ .name = "inbox", .kind = RUN_STRING, .offset = AT(cfg.inbox), .exchange = true },
	{ .name = "state-dir", .kind = RUN_STRING, .offset = AT(state_dir) },
	{ .name = "staging", .kind = RUN_STRING, .offset = AT(cfg.staging) },
	{ .name = "quarantine", .kind = RUN_STRING, .offset = AT(cfg.quarantine) },
	{ .name = "filter", .kind = RUN_STRING, .offset = AT(cfg.filter), .exchange = true },
	{ .name = "records", .kind = RUN_STRING, .offset = AT(records) },
	{ .name = "max-size", .kind = RUN_NUMBER, .offset = AT(cfg.max_size),
	  .min = 1, .max = UINT64_MAX - 1, .what = "a number of bytes", .exchange = true },
	{ .name = "filter-timeout", .kind = RUN_NUMBER, .offset = AT(timeout_s),
	  .min = 1, .max = 86400, .what = "seconds (1..86400)", .exchange = true },
	{ .name = "burst", .kind = RUN_NUMBER, .offset = AT(burst),
	  .min = 1, .max = 1000000, .what = "a number of files", .exchange = true },
	{ .name = "interval", .kind = RUN_NUMBER, .offset = AT(interval_s),
	  .min = 1, .max = 3600, .what = "seconds (1..3600)" },
	{ .name = "once", .kind = RUN_FLAG, .offset = AT(once) },
	{ .name = "type", .kind = RUN_TYPE, .exchange = true },
	{ .name = "deny-pattern", .kind = RUN_DENY, .exchange = true },
	{ .name = "rate", .kind = RUN_RATE, .exchange = true },
};

#define N_RUN_OPTIONS (sizeof(run_options) / sizeof(run_options[0]))

/* Take @arg for option @ro into @o; 0 or EXIT_USAGE. */
static int run_option(struct run_options *o, const struct run_option *ro, char *arg)
{
	struct bh_guard_config *cfg = &o->cfg;
	void *field = (char *)o + ro->offset;

	if (ro->exchange && !o->check)
		o->check = ro->name;
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
	o->timeout_s = BH_GUARD_FILTER_TIMEOUT_S;
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
	if (o->exchange && cfg->name)
		return cli_usage("guard", "--exchange or --name: an exchange of the policy, or one set on the command line");
	/* One source of configuration: the policy's exchange is the exchange. */
	if (o->exchange && o->check)
		return cli_usage("guard", "--%s: with --exchange the exchange's boxes and checks are the policy's (bulkhead policy show); --name sets them on the command line instead",
				 o->check);
	if (!o->exchange && (!cfg->name || !cfg->outbox || !cfg->inbox))
		return cli_usage("guard", "run needs --exchange NAME, or --name NAME with --outbox and --inbox");
	/* The kernel's trail takes the records of a policy's exchange; else stdout by default. */
	if (!o->exchange && !o->records)
		o->records = "-";
	/* The exchange's own corner of the state directory unless named otherwise. */
	if (!cfg->staging) {
		snprintf(o->staging, sizeof(o->staging), "%s/%s", o->state_dir,
			 o->exchange ?: cfg->name);
		cfg->staging = o->staging;
	}
	if (!cfg->quarantine) {
		snprintf(o->quarantine, sizeof(o->quarantine), "%s/%s.quarantine", o->state_dir,
			 o->exchange ?: cfg->name);
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

/*
 * As host, before entering the guard domain: the boxes, which the guard may not look up
 * through the sender's and receiver's directories (it has no flow with either), opened O_PATH
 * (nothing is read yet; the guard opens them for reading from its domain), and the outbox's
 * absolute path for guard status.
 */
static int open_boxes(struct run_options *o)
{
	static char outbox[PATH_MAX];
	struct bh_guard_config *cfg = &o->cfg;

	if (!realpath(cfg->outbox, outbox)) {
		cli_error("guard: outbox %s: %s", cfg->outbox, strerror(errno));
		return EXIT_FAIL;
	}
	cfg->outbox_fd = open(outbox, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cfg->inbox_fd = open(cfg->inbox, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cfg->outbox_fd < 0 || cfg->inbox_fd < 0) {
		cli_error("guard: %s: %s", cfg->outbox_fd < 0 ? outbox : cfg->inbox,
			  strerror(errno));
		return EXIT_FAIL;
	}
	cfg->outbox = outbox;
	cfg->box_fds = true;
	return EXIT_OK;
}

/*
 * --exchange: the exchange from the kernel's active policy, the boxes and a netlink socket for
 * the records, then into its guard domain. In that order because reading the policy needs
 * CAP_MAC_ADMIN, which a guard domain does not keep, generic netlink sockets are host's to
 * make (the kernel takes a transfer record by the domain of the task that sends it, not of
 * the socket), and the boxes cannot be looked up from the guard domain. Every other directory
 * the guard opens afterwards is opened as its domain may.
 */
static int exchange_from_policy(struct run_options *o, struct bh_policy *p, struct bh_genl *g)
{
	const struct bh_exchange *x;
	struct bh_policy_id id;
	char err[256];
	int ret;

	if (cli_connect(g))
		return EXIT_FAIL;
	ret = cli_fetch_policy(g, p, &id);
	bh_genl_close(g);
	if (ret) {
		cli_error("guard: --exchange reads the exchange from the active policy: start the guard as root in the host domain; it enters the guard domain itself");
		return ret;
	}
	x = bh_guard_exchange(p, o->exchange);
	if (!x) {
		cli_error("guard: exchange '%s' is not in the active policy (bulkhead policy show)",
			  o->exchange);
		return EXIT_FAIL;
	}
	if (bh_guard_config_from_exchange(&o->cfg, x, err, sizeof(err))) {
		cli_error("guard: %s", err);
		return EXIT_FAIL;
	}
	if (open_boxes(o) || cli_connect(g))
		return EXIT_FAIL;
	return cli_join_domain(p, x->guard, "guard") ? EXIT_FAIL : EXIT_OK;
}

/* Records into the trail (--exchange) first, then into the JSON lines file (--records). */
static int open_sinks(const struct run_options *o, struct bh_genl *g,
		      struct bh_guard_sink *trail, struct bh_guard_sink *json, FILE **records,
		      struct bh_guard_sink **first)
{
	*first = NULL;
	*records = NULL;
	if (o->records) {
		*records = strcmp(o->records, "-") ? fopen(o->records, "ae") : stdout;
		if (!*records) {
			cli_error("guard: --records %s: %s", o->records, strerror(errno));
			return EXIT_FAIL;
		}
		bh_guard_sink_json(json, *records);
		*first = json;
	}
	if (o->exchange) {
		bh_guard_sink_kernel(trail, g);
		trail->next = *first;
		*first = trail;
	}
	return EXIT_OK;
}

static int run_loop(struct run_options *o, struct bh_guard_sink *sinks)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512], last[512] = "";
	struct bh_guard *g;
	int ret = EXIT_OK;

	g = bh_guard_open(&o->cfg, sinks, err, sizeof(err));
	if (!g) {
		cli_error("guard: %s", err);
		return EXIT_FAIL;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stopping) {
		if (bh_guard_run_once(g) < 0) {
			ret = EXIT_FAIL;
			/* Said once until it changes: a full inbox would otherwise flood the log. */
			if (strcmp(last, bh_guard_error(g)))
				cli_error("guard: %s: %s", o->cfg.name, bh_guard_error(g));
			snprintf(last, sizeof(last), "%s", bh_guard_error(g));
		} else {
			ret = EXIT_OK;
			last[0] = '\0';
		}
		if (o->once)
			break;
		bh_guard_wait(g, o->interval_s * 1000);
	}
	bh_guard_close(g);
	return ret;
}

static int guard_run(int argc, char **argv)
{
	struct bh_guard_sink trail, json, *sinks;
	struct run_options o = { 0 };
	struct bh_genl genl = { 0 };
	FILE *records = NULL;
	struct bh_policy p;
	int ret;

	bh_policy_init(&p);
	ret = parse_run(argc, argv, &o);
	if (ret)
		return ret;
	/*
	 * Created as who starts the guard: its parents are not the guard domain's. The guard
	 * makes its staging and quarantine directories inside, from its domain.
	 */
	if (make_dirs(o.state_dir))
		return EXIT_FAIL;
	ret = o.exchange ? exchange_from_policy(&o, &p, &genl) : EXIT_OK;
	if (!ret)
		ret = open_sinks(&o, &genl, &trail, &json, &records, &sinks);
	if (!ret)
		ret = run_loop(&o, sinks);
	if (records && records != stdout)
		fclose(records);
	if (genl.sock)
		bh_genl_close(&genl);
	bh_policy_free(&p);
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
