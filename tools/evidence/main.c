// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence generator, run by "make evidence" (tools/vm/evidence.sh):
 *   bh-evidence --catalogue docs/requirements.md --map selftests/requirements.map
 *               [--host TAP]... [--kernel ID=TAP]... [--env FILE] [--now ISO-8601]
 *               --out DIR
 * writes DIR/report.json, report.md, report.html and assessment-results.json; with --check
 * instead of --out it only checks the catalogue against itself and the map.
 * Exit status: 0 done, 1 an input is wrong (named by file and line), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "evidence.h"

static int usage(const char *why)
{
	fprintf(stderr, "bh-evidence: %s\nusage: bh-evidence --catalogue FILE --map FILE "
		"[--host TAP]... [--kernel ID=TAP]... [--env FILE] [--now ISO-8601] "
		"(--out DIR | --check)\n", why);
	return 2;
}

static struct target *target_named(struct model *m, const char *label, bool host)
{
	struct target *t;

	for (size_t i = 0; i < m->n_targets; i++)
		if (!strcmp(m->targets[i].label, label))
			return &m->targets[i];
	t = GROW(m->targets, m->n_targets);
	memset(t, 0, sizeof(*t));
	t->label = xstrdup(label);
	t->host = host;
	return t;
}

static int write_out(const struct model *m, const char *dir, const char *name,
		     int (*fn)(const struct model *, FILE *), void (*sink)(struct sink *, FILE *))
{
	char path[4096];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return fail_at(path, 0, "cannot write: %s", strerror(errno));
	if (fn) {
		err = fn(m, f);
	} else {
		struct sink s;

		sink(&s, f);
		report_doc(m, &s);
		err = ferror(f) ? -1 : 0;
	}
	if (fclose(f) || err)
		return fail_at(path, 0, "cannot write: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "catalogue", required_argument, NULL, 'c' },
		{ "map", required_argument, NULL, 'm' },
		{ "host", required_argument, NULL, 'h' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "env", required_argument, NULL, 'e' },
		{ "now", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'C' },
		{ 0 }
	};
	const char *catalogue = NULL, *map = NULL, *out = NULL;
	struct model m = { 0 };
	bool check = false;
	char now[32];
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *eq;

		switch (c) {
		case 'c':
			catalogue = optarg;
			break;
		case 'm':
			map = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'n':
			m.generated_at = optarg;
			break;
		case 'e':
			err |= env_read(&m, optarg);
			break;
		case 'h':
			err |= tap_read(target_named(&m, "host", true), optarg);
			break;
		case 'k':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return usage("--kernel wants ID=TAP-FILE");
			*eq = '\0';
			err |= tap_read(target_named(&m, optarg, false), eq + 1);
			break;
		default:
			return usage("unknown option");
		}
	}
	if (optind < argc)
		return usage("unexpected argument");
	if (!catalogue || !map || (!out == !check))
		return usage("--catalogue, --map and one of --out and --check are required");
	/* Every error of every input in one run: a row the catalogue refuses is still checked. */
	err |= catalogue_read(&m, catalogue);
	err |= map_read(&m, map);
	if (m.n_reqs && m.map_path)
		err |= catalogue_check(&m);
	if (err)
		return 1;
	if (check)
		return 0;
	if (!m.n_targets)
		return usage("no TAP given (--host, --kernel)");
	if (!m.generated_at) {
		time_t t = time(NULL);

		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		m.generated_at = now;
	}
	if (mkdir(out, 0755) && errno != EEXIST)
		return fail_at(out, 0, "cannot create: %s", strerror(errno)), 1;
	model_verdicts(&m);
	if (write_out(&m, out, "report.json", out_json, NULL) ||
	    write_out(&m, out, "report.md", NULL, sink_md) ||
	    write_out(&m, out, "report.html", NULL, sink_html) ||
	    write_out(&m, out, "assessment-results.json", out_oscal, NULL))
		return 1;
	return 0;
}
