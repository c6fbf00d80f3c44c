// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: the TAP of a check run (build/results/ID.tap). Tests are named as
 * tools/vm/reqmap-check.sh names them, so that the map's patterns mean the same here:
 *   "# suite: S" then "ok N NAME"        S:NAME
 *   "#  RUN  NAME ..." then "ok N # SKIP" S:NAME (the harness names a skip only on its RUN line)
 *   "ok - NAME" (the host's own checks)   check:NAME
 * and each suite's "# suite-exit: S STATUS" and "# suite-seconds: S N" are kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static struct suite_run *suite_named(struct target *t, const char *name)
{
	struct suite_run *s;

	for (size_t i = 0; i < t->n_suites; i++)
		if (!strcmp(t->suites[i].name, name))
			return &t->suites[i];
	s = GROW(t->suites, t->n_suites);
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->seconds = -1;
	s->exit_status = -1;
	return s;
}

static void add(struct target *t, const char *suite, const char *name, size_t len,
		enum outcome o, const char *reason)
{
	struct result *r = GROW(t->results, t->n_results);
	size_t n = strlen(suite) + 1 + len + 1;

	r->test = xcalloc(n, 1);
	snprintf(r->test, n, "%s:%.*s", suite, (int)len, name);
	r->outcome = o;
	r->reason = reason ? xstrdup(reason) : NULL;
}

/* "ok N REST" or "not ok N REST": one result, REST possibly "NAME # SKIP why" or "# SKIP why". */
static void result_line(struct target *t, const char *suite, const char *running, char *line)
{
	bool ok = !strncmp(line, "ok ", 3);
	char *rest = line + (ok ? 3 : 7), *dir, *name;

	if (!strncmp(rest, "- ", 2)) {
		/* the host's checks: "ok - NAME [(details)]" */
		name = rest + 2;
		add(t, "check", name, strcspn(name, " "), ok ? OUT_PASS : OUT_FAIL, NULL);
		return;
	}
	rest += strspn(rest, "0123456789");
	rest += strspn(rest, " ");
	dir = strstr(rest, "# ");
	if (dir == rest)
		name = (char *)running;
	else
		name = rest;
	if (ok && dir && !strncasecmp(dir + 2, "SKIP", 4)) {
		char *why = trim(dir + 6);

		add(t, suite, name, dir == rest ? strlen(name) : (size_t)(dir - rest - 1),
		    OUT_SKIP, *why ? why : "no reason given");
		return;
	}
	if (dir && dir != rest)
		add(t, suite, name, (size_t)(dir - rest - 1), ok ? OUT_PASS : OUT_FAIL, NULL);
	else
		add(t, suite, name, strlen(name), ok ? OUT_PASS : OUT_FAIL, NULL);
}

bool suite_cut_short(const struct suite_run *s)
{
	return s->exit_status < 0 || (s->exit_status > 0 && !s->failed) ||
	       s->planned > s->reported;
}

int tap_parse(struct target *t, FILE *in, const char *path)
{
	char *line = NULL, suite[128] = "", running[256] = "";
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, in)) > 0) {
		char name[128];
		long v;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (sscanf(line, "# suite: %127s", suite) == 1) {
			suite_named(t, suite);
			running[0] = '\0';
		} else if (!strncmp(line, "#  RUN ", 7)) {
			sscanf(line + 7, "%255s", running);
		} else if (sscanf(line, "# suite-exit: %127s %ld", name, &v) == 2) {
			suite_named(t, name)->exit_status = (int)v;
		} else if (sscanf(line, "# suite-seconds: %127s %ld", name, &v) == 2) {
			suite_named(t, name)->seconds = v;
		} else if (sscanf(line, "1..%ld", &v) == 1 && *suite) {
			suite_named(t, suite)->planned = v;
		} else if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7)) {
			bool numbered = line[line[0] == 'o' ? 3 : 7] != '-';

			if (*suite && numbered) {
				struct suite_run *s = suite_named(t, suite);

				s->reported++;
				s->failed |= line[0] == 'n';
			}
			result_line(t, suite, running, trim(line));
		}
	}
	free(line);
	if (ferror(in))
		return fail_at(path, 0, "read error: %s", strerror(errno));
	return 0;
}

int tap_read(struct target *t, const char *path)
{
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return fail_at(path, 0, "cannot read: %s", strerror(errno));
	err = tap_parse(t, f, path);
	fclose(f);
	return err;
}
