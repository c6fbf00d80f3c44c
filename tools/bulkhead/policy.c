// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "policy check|apply|show|diff"; check --live's look at the host is
 * tools/lib/policy_live.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "names.h"
#include "parser.h"
#include "policy_json.h"
#include "policy_live.h"
#include "status.h"

/*
 * After the problems of FILE were printed as file:line:col, how many there were (the count
 * says the list is complete); EXIT_USAGE if there are any, with @p freed.
 */
static int report_problems(struct bh_policy *p, const char *file, int problems)
{
	if (!problems)
		return EXIT_OK;
	cli_error("%s: %d problem%s", file, problems, problems == 1 ? "" : "s");
	bh_policy_free(p);
	return EXIT_USAGE;
}

/* Parse FILE into @p; prints every problem and returns EXIT_USAGE if there are any. */
static int parse_or_report(struct bh_policy *p, const char *file)
{
	bh_policy_init(p);
	return report_problems(p, file, bh_parse_file(p, file, stderr));
}

/* The active policy into @p, or a negative errno (with @p empty). */
static int fetch(struct bh_genl *g, struct bh_policy *p, struct bh_policy_id *id)
{
	int err;

	bh_policy_init(p);
	/* A dump interrupted by a concurrent commit is simply taken again. */
	do {
		bh_policy_free(p);
		err = bh_policy_fetch(g, p, id);
	} while (err == -EINTR);
	if (err)
		bh_policy_free(p);
	return err;
}

int cli_fetch_policy(struct bh_genl *g, struct bh_policy *p, struct bh_policy_id *id)
{
	int err = fetch(g, p, id);

	return err ? cli_kernel_error(g, err, "reading the policy") : EXIT_OK;
}

int cli_read_policy(struct bh_policy *p)
{
	struct bh_policy_id id;
	struct bh_genl g;
	int ret;

	if (cli_connect(&g))
		return EXIT_FAIL;
	ret = cli_fetch_policy(&g, p, &id);
	bh_genl_close(&g);
	return ret;
}

void cli_fetch_policy_before_change(struct bh_genl *g, struct bh_policy *p)
{
	struct bh_policy_id id;

	fetch(g, p, &id);
}

static int current_mode(struct bh_genl *g, unsigned int *mode)
{
	struct bh_status st;
	int err = bh_status_get(g, &st);

	if (err)
		return cli_kernel_error(g, err, "status");
	*mode = st.mode;
	return EXIT_OK;
}

static int policy_show(int argc, char **argv)
{
	struct bh_policy_id id;
	struct bh_policy p;
	struct bh_genl g;
	enum json_style json;
	unsigned int mode = 0;
	struct json j;
	size_t i;
	int ret;

	if (cli_read_options("policy show", argc, argv, 0, &json) < 0)
		return EXIT_USAGE;
	if (cli_connect(&g))
		return EXIT_FAIL;
	ret = cli_fetch_policy(&g, &p, &id) ?: current_mode(&g, &mode);
	bh_genl_close(&g);
	if (ret)
		return ret;
	if (json) {
		json_init(&j, stdout, json);
		bh_json_policy(&j, &p, &id, mode);
	} else {
		/* Comments and mode first; what follows is the canonical text the hash covers. */
		printf("# bulkhead policy generation %llu sha256 %s\n",
		       (unsigned long long)id.generation, bh_hash_hex(id.hash));
		for (i = 0; i < p.n_groups; i++)
			printf("# exclusive %s: %s is active\n", p.groups[i].name,
			       p.groups[i].active);
		printf("mode %s\n", bh_mode_name(mode));
		bh_policy_write_canonical(stdout, &p);
	}
	bh_policy_free(&p);
	return EXIT_OK;
}

/*
 * A module that is locked refuses every policy. One not loaded is no problem of the file:
 * apply says so itself.
 */
static int locked_module(const char *file)
{
	struct bh_status st;
	struct bh_genl g;
	bool locked;

	if (bh_genl_open(&g))
		return 0;
	locked = !bh_status_get(&g, &st) && st.locked;
	bh_genl_close(&g);
	if (locked)
		fprintf(stderr, "%s: the module is locked until reboot and refuses every policy\n",
			file);
	return locked;
}

/* "policy check [--live] FILE" */
static int policy_check(int argc, char **argv)
{
	static const struct option opts[] = { { "live", no_argument, NULL, 'l' }, {} };
	size_t i, bindings = 0;
	struct bh_policy p;
	bool live = false;
	const char *file;
	int c, problems;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c != 'l')
			return cli_usage("policy check", "unknown option '%s'", argv[optind - 1]);
		live = true;
	}
	if (argc - optind != 1)
		return cli_usage("policy check", argc == optind ? "a policy file is needed" :
				 "unexpected argument '%s'", argv[argc - 1]);
	file = argv[optind];
	bh_policy_init(&p);
	problems = bh_parse_file(&p, file, stderr);
	/* What the kernel would refuse, of what parsed: every problem in one run. */
	if (live)
		problems += bh_policy_check_live(&p, BH_CGROUP_ROOT, stderr) + locked_module(file);
	if (report_problems(&p, file, problems))
		return EXIT_USAGE;
	for (i = 0; i < p.n_domains; i++)
		bindings += p.domains[i].n_bindings;
	printf("%s: OK: %zu domains, %zu bindings, %zu flows, %zu grants, %zu exclusive groups, %zu exchanges%s\n",
	       file, p.n_domains, bindings, p.n_flows, p.n_grants, p.n_groups, p.n_exchanges,
	       live ? "; every binding resolves on this host" : "");
	bh_policy_free(&p);
	return EXIT_OK;
}

static int policy_apply(int argc, char **argv)
{
	struct bh_policy p, before;
	struct bh_policy_id id;
	struct bh_genl g;
	int ret = EXIT_FAIL, err;

	if (argc != 2)
		return cli_usage("policy apply", argc < 2 ? "a policy file is needed" :
				 "unexpected argument '%s'", argv[argc - 1]);
	if (parse_or_report(&p, argv[1]))
		return EXIT_USAGE;
	if (cli_connect(&g)) {
		bh_policy_free(&p);
		return EXIT_FAIL;
	}
	cli_fetch_policy_before_change(&g, &before);
	if (bh_policy_push(&g, &p, &id, stderr))
		goto out;
	if (!cli_quiet)
		printf("policy generation %llu applied, sha256 %s\n",
		       (unsigned long long)id.generation, bh_hash_hex(id.hash));
	if (cli_freeze_follow(&g, &before))
		goto out;
	if (p.mode >= 0) {
		err = bh_mode_set(&g, p.mode);
		if (err) {
			cli_kernel_error(&g, err, "mode");
			goto out;
		}
		if (!cli_quiet)
			printf("mode %s\n", bh_mode_name(p.mode));
	}
	ret = EXIT_OK;
out:
	bh_genl_close(&g);
	bh_policy_free(&before);
	bh_policy_free(&p);
	return ret;
}

static int cmp_str_ptrs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @p as sorted statement lines, in a buffer *@text the lines point into. */
static char **flat_lines(const struct bh_policy *p, char **text, size_t *n)
{
	char **lines = NULL, *line, *save = NULL;
	size_t len;
	FILE *out;

	out = open_memstream(text, &len);
	if (!out)
		abort();
	bh_policy_write_flat(out, p);
	fclose(out);
	*n = 0;
	for (line = strtok_r(*text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines = realloc(lines, (*n + 1) * sizeof(*lines));
		if (!lines)
			abort();
		lines[(*n)++] = line;
	}
	qsort(lines, *n, sizeof(*lines), cmp_str_ptrs);
	return lines;
}

static int policy_diff(int argc, char **argv)
{
	char **have, **want, *have_text, *want_text;
	size_t n_have, n_want, i = 0, j = 0;
	struct bh_policy active, file;
	struct bh_policy_id id;
	struct bh_genl g;
	int ret, differ = 0;

	if (argc != 2)
		return cli_usage("policy diff", argc < 2 ? "a policy file is needed" :
				 "unexpected argument '%s'", argv[argc - 1]);
	if (parse_or_report(&file, argv[1]))
		return EXIT_USAGE;
	if (cli_connect(&g)) {
		bh_policy_free(&file);
		return EXIT_FAIL;
	}
	ret = cli_fetch_policy(&g, &active, &id);
	bh_genl_close(&g);
	if (ret) {
		bh_policy_free(&file);
		return ret;
	}
	have = flat_lines(&active, &have_text, &n_have);
	want = flat_lines(&file, &want_text, &n_want);
	/* Both sorted: one merge pass; "-" is only in the kernel, "+" only in the file. */
	while (i < n_have || j < n_want) {
		int cmp = i == n_have ? 1 : j == n_want ? -1 : strcmp(have[i], want[j]);

		if (cmp < 0)
			printf("- %s\n", have[i++]), differ = 1;
		else if (cmp > 0)
			printf("+ %s\n", want[j++]), differ = 1;
		else
			i++, j++;
	}
	free(have);
	free(want);
	free(have_text);
	free(want_text);
	bh_policy_free(&active);
	bh_policy_free(&file);
	return differ ? EXIT_FAIL : EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "check", policy_check },
		{ "apply", policy_apply },
		{ "show", policy_show },
		{ "diff", policy_diff },
	};
	size_t i;

	if (argc < 2)
		return cli_usage("policy", "expected check, apply, show or diff");
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage("policy", "unknown subcommand '%s' (expected check, apply, show or diff)",
			 argv[1]);
}
