// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit tail", the audit trail for people and scripts: the records selected
 * (audit_select.c) one a line as key=value text, or one JSON array of them (-j, -p indented).
 * -f keeps following the ring and prints JSON lines, one record each, with -j.
 */
#include <stdio.h>

#include "audit_read.h"
#include "audit_select.h"
#include "cli.h"
#include "json.h"

/* How one "audit tail" prints. */
struct tail {
	bool follow;
	enum json_style json;
	struct json doc;	/* -j/-p without -f: one array of the records shown */
};

static void show(void *ctx, const struct bh_audit_record *r)
{
	struct tail *t = ctx;

	/* A stream (-f) is JSON lines, one document per record; otherwise one array. */
	if (t->json && !t->follow)
		bh_audit_json_record(&t->doc, r);
	else if (t->json)
		bh_audit_print_json(stdout, r);
	else
		bh_audit_print_text(stdout, r);
	fflush(stdout);
}

/* One of tail's own options. */
static int take(void *ctx, int c, const char *arg)
{
	struct tail *t = ctx;

	if (c == 'f')
		t->follow = true;
	else
		cli_json_option(c, &t->json);
	return EXIT_OK;
}

/* The options into @t and @s; an exit status (EXIT_USAGE after a usage error). */
static int parse_options(int argc, char **argv, struct tail *t, struct cli_audit_select *s)
{
	static const struct option own[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{}
	};
	int ret = cli_audit_options(s, argc, argv, "fjp", own, take, t);

	if (ret)
		return ret;
	s->follow = t->follow;
	if (t->follow && optind < argc)
		return cli_usage("audit tail", "-f follows the module's ring, not files");
	/* Indenting suits one document, not a stream read line by line. */
	if (t->follow && t->json == JSON_PRETTY)
		return cli_usage("audit tail", "-f prints JSON lines, one record each; -p indents one document");
	return EXIT_OK;
}

int cli_audit_tail(int argc, char **argv)
{
	struct cli_audit_select s;
	struct tail t = { 0 };
	int ret;

	cli_audit_select_init(&s, "audit tail", show, &t);
	ret = parse_options(argc, argv, &t, &s);
	if (ret)
		return ret;
	json_init(&t.doc, stdout, t.json);
	if (t.json && !t.follow)
		json_array_begin(&t.doc, NULL);
	ret = cli_audit_read(&s, argv + optind, argc - optind);
	/* Closed even after a failure: what was printed stays one valid document. */
	if (t.json && !t.follow)
		json_array_end(&t.doc);
	cli_audit_select_free(&s);
	return ret;
}
