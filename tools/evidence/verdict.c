// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: which tests give evidence for a requirement on a target, and what the
 * requirement's result is there. The tests a requirement expects on a target are those its
 * map lines match in the TAP of any target of the same kind (host or kernel): a test that ran
 * on one kernel and is absent from another's TAP did not run there. A map line that matches no
 * test anywhere stands for tests that ran nowhere.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static const char *const verdict_names[V_COUNT] = {
	[V_PASS] = "pass", [V_FAIL] = "fail", [V_INCOMPLETE] = "incomplete",
	[V_NOT_RUN] = "not run", [V_NA] = "n/a", [V_UNTESTED] = "not yet tested",
};

const char *verdict_name(enum verdict v)
{
	return verdict_names[v];
}

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = { "pass", "fail", "skip", "not run" };

	return names[o];
}

enum verdict verdict_of(const enum outcome *o, size_t n)
{
	size_t pass = 0;

	if (!n)
		return V_NA;
	for (size_t i = 0; i < n; i++) {
		if (o[i] == OUT_FAIL)
			return V_FAIL;
		pass += o[i] == OUT_PASS;
	}
	if (pass == n)
		return V_PASS;
	return pass ? V_INCOMPLETE : V_NOT_RUN;
}

const struct result *result_of(const struct target *t, const char *test)
{
	const struct result *found = NULL;

	/* A test reported twice (a re-run) counts by its worst result. */
	for (size_t i = 0; i < t->n_results; i++)
		if (!strcmp(t->results[i].test, test) &&
		    (!found || t->results[i].outcome == OUT_FAIL))
			found = &t->results[i];
	return found;
}

static bool maps_to(const struct map_row *row, const char *id)
{
	for (size_t k = 0; k < row->n_ids; k++)
		if (!strcmp(row->ids[k], id))
			return true;
	return false;
}

static bool listed(struct req_test *list, size_t n, const char *test)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].test && !strcmp(list[i].test, test))
			return true;
	return false;
}

static bool matches_anywhere(const struct model *m, const char *pattern)
{
	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < m->targets[t].n_results; i++)
			if (!fnmatch(pattern, m->targets[t].results[i].test, 0))
				return true;
	return false;
}

/* @r's tests on @t with their outcomes there; *out is the caller's to free. */
size_t req_tests(const struct model *m, const struct req *r, const struct target *t,
		 struct req_test **out)
{
	struct req_test *list = NULL;
	size_t n = 0;

	for (size_t p = 0; p < m->n_map; p++) {
		const char *pat = m->map[p].pattern;

		if (!maps_to(&m->map[p], r->id))
			continue;
		if (!matches_anywhere(m, pat)) {
			struct req_test *rt = GROW(list, n);

			rt->test = pat;
			rt->outcome = OUT_MISSING;
			rt->reason = "no TAP has a test this map line names";
			continue;
		}
		for (size_t k = 0; k < m->n_targets; k++) {
			const struct target *o = &m->targets[k];

			if (o->host != t->host)
				continue;
			for (size_t i = 0; i < o->n_results; i++) {
				const char *name = o->results[i].test;
				const struct result *res;
				struct req_test *rt;

				if (fnmatch(pat, name, 0) || listed(list, n, name))
					continue;
				res = result_of(t, name);
				rt = GROW(list, n);
				rt->test = name;
				rt->outcome = res ? res->outcome : OUT_MISSING;
				rt->reason = res ? res->reason : "absent from this target's TAP";
			}
		}
	}
	*out = list;
	return n;
}

enum verdict req_verdict(const struct model *m, const struct req *r, const struct target *t)
{
	struct req_test *list;
	size_t n = req_tests(m, r, t, &list);
	enum outcome *o = xcalloc(n, sizeof(*o));
	enum verdict v;
	bool any_map = false;

	for (size_t p = 0; p < m->n_map && !any_map; p++)
		any_map = maps_to(&m->map[p], r->id);
	for (size_t i = 0; i < n; i++)
		o[i] = list[i].outcome;
	v = any_map ? verdict_of(o, n) : V_UNTESTED;
	/* A pass drawn from a suite that ended short is not a pass: what it never reported may
	 * be this requirement's too.
	 */
	for (size_t i = 0; i < n && v == V_PASS; i++) {
		size_t len = strcspn(list[i].test, ":");

		for (size_t k = 0; k < t->n_suites; k++)
			if (strlen(t->suites[k].name) == len &&
			    !strncmp(t->suites[k].name, list[i].test, len) &&
			    suite_cut_short(&t->suites[k]))
				v = V_INCOMPLETE;
	}
	free(o);
	free(list);
	return v;
}

void model_verdicts(struct model *m)
{
	m->matrix = xcalloc(m->n_reqs * m->n_targets + 1, sizeof(*m->matrix));
	for (size_t r = 0; r < m->n_reqs; r++)
		for (size_t t = 0; t < m->n_targets; t++)
			VERDICT(m, r, t) = req_verdict(m, &m->reqs[r], &m->targets[t]);
}

/* How many of @t's results passed, failed, were skipped (OUT_MISSING stays 0). */
void target_counts(const struct target *t, size_t counts[4])
{
	memset(counts, 0, 4 * sizeof(*counts));
	for (size_t i = 0; i < t->n_results; i++)
		counts[t->results[i].outcome]++;
}

/* The requirement IDs @test gives evidence for (at most @max); returns how many. */
size_t test_reqs(const struct model *m, const char *test, const char **ids, size_t max)
{
	size_t n = 0;

	for (size_t p = 0; p < m->n_map; p++) {
		if (fnmatch(m->map[p].pattern, test, 0))
			continue;
		for (size_t k = 0; k < m->map[p].n_ids; k++) {
			size_t j;

			for (j = 0; j < n && strcmp(ids[j], m->map[p].ids[k]); j++)
				;
			if (j == n && n < max)
				ids[n++] = m->map[p].ids[k];
		}
	}
	return n;
}

/* "BH-AUD-3" -> "BH-AUD": the family a chart groups by. */
const char *req_family(const struct req *r, char *buf, size_t len)
{
	const char *dash = strrchr(r->id, '-');

	snprintf(buf, len, "%.*s", dash ? (int)(dash - r->id) : (int)strlen(r->id), r->id);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every test any target reports, sorted, once; *out is the caller's to free. */
size_t all_tests(const struct model *m, const char ***out)
{
	const char **list = NULL;
	size_t n = 0, k = 0;

	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < m->targets[t].n_results; i++)
			*GROW(list, n) = m->targets[t].results[i].test;
	if (n)
		qsort(list, n, sizeof(*list), by_name);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(list[k - 1], list[i]))
			list[k++] = list[i];
	*out = list;
	return k;
}
