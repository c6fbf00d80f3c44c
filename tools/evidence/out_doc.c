// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: the report a person reads (report.md, report.html), in the order a lab
 * reads it: summary, results per requirement and kernel, charts per family, traceability both
 * ways, skipped tests, uncovered requirements, CC components, product categories, suite
 * durations, the environment (the trail and its verification among it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

#define MAX_COLS 16

/* A row of @n cells from printf-formatted strings kept in @buf. */
struct row {
	char buf[MAX_COLS][2048];
	const char *cell[MAX_COLS];
};

static void cellf(struct row *r, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));	/* no kernel headers here for __printf */
static void cellf(struct row *r, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->buf[i], sizeof(r->buf[i]), fmt, ap);
	va_end(ap);
	r->cell[i] = r->buf[i];
}

/* Header cells: the fixed ones, then one per target. */
static size_t head(const struct model *m, const char **h, const char *const *fixed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h[i] = fixed[i];
	for (size_t t = 0; t < m->n_targets && n < MAX_COLS; t++)
		h[n++] = m->targets[t].label;
	return n;
}

static void summary(const struct model *m, struct sink *s)
{
	static const char *const h[] = { "target", "kind", "tests passed", "failed", "skipped",
		"requirements pass", "fail", "incomplete", "not run", "n/a", "not yet tested" };
	char text[1024];

	s->heading(s, 2, "Summary");
	snprintf(text, sizeof(text), "Generated %s from %s and %s, with the TAP of each target "
		 "below. A requirement passes on a target only when every test mapped to it ran "
		 "and passed there; it fails when any failed; it is not run when none ran; "
		 "incomplete when some passed and the rest did not run (skipped or absent); n/a "
		 "when none of its tests runs on that kind of target.",
		 m->generated_at, m->catalogue_path, m->map_path);
	s->para(s, text);
	s->table(s, 11, h);
	for (size_t t = 0; t < m->n_targets; t++) {
		size_t c[4], v[V_COUNT] = { 0 };
		struct row r;

		target_counts(&m->targets[t], c);
		for (size_t q = 0; q < m->n_reqs; q++)
			v[VERDICT(m, q, t)]++;
		cellf(&r, 0, "%s", m->targets[t].label);
		cellf(&r, 1, "%s", m->targets[t].host ? "host" : "kernel (VM)");
		cellf(&r, 2, "%zu", c[OUT_PASS]);
		cellf(&r, 3, "%zu", c[OUT_FAIL]);
		cellf(&r, 4, "%zu", c[OUT_SKIP]);
		for (int k = 0; k < V_COUNT; k++)
			cellf(&r, 5 + k, "%zu", v[k]);
		s->row(s, r.cell);
	}
	s->table_end(s);
	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < m->targets[t].n_suites; i++) {
			const struct suite_run *sr = &m->targets[t].suites[i];

			if (!suite_cut_short(sr))
				continue;
			snprintf(text, sizeof(text), "Suite %s on %s ended short (exit status %d, %ld "
				 "of %ld planned tests reported): no requirement drawing on it passes there.",
				 sr->name, m->targets[t].label, sr->exit_status, sr->reported,
				 sr->planned);
			s->para(s, text);
		}
	/* The trail's verification, from the environment, in the summary too. */
	for (size_t e = 0; e < m->n_env; e++) {
		if (strcmp(m->env[e].section, "trail verification"))
			continue;
		snprintf(text, sizeof(text), "Audit trail %s: %s", m->env[e].key, m->env[e].value);
		s->para(s, text);
	}
}

static void matrix(const struct model *m, struct sink *s)
{
	static const char *const fixed[] = { "requirement", "CC components", "categories" };
	const char *h[MAX_COLS];
	size_t n = head(m, h, fixed, 3);

	s->heading(s, 2, "Results per requirement and target");
	s->table(s, n, h);
	for (size_t q = 0; q < m->n_reqs; q++) {
		struct row r;

		cellf(&r, 0, "%s", m->reqs[q].id);
		cellf(&r, 1, "%s", m->reqs[q].cc);
		cellf(&r, 2, "%s", m->reqs[q].category);
		for (size_t t = 0; t < m->n_targets && 3 + t < MAX_COLS; t++)
			cellf(&r, 3 + t, "%s", verdict_name(VERDICT(m, q, t)));
		s->row(s, r.cell);
	}
	s->table_end(s);
}

static void charts(const struct model *m, struct sink *s)
{
	char fam[64];

	if (!s->chart)
		return;
	s->heading(s, 2, "Results per requirement family");
	for (size_t q = 0; q < m->n_reqs; q++) {
		size_t (*counts)[V_COUNT];

		bool seen = false;

		/* families are drawn in the order of their first requirement, each once */
		req_family(&m->reqs[q], fam, sizeof(fam));

		for (size_t p = 0; p < q && !seen; p++) {
			char other[64];

			seen = !strcmp(req_family(&m->reqs[p], other, sizeof(other)), fam);
		}
		if (seen)
			continue;
		counts = xcalloc(m->n_targets, sizeof(*counts));
		for (size_t p = q; p < m->n_reqs; p++) {
			char other[64];

			if (strcmp(req_family(&m->reqs[p], other, sizeof(other)), fam))
				continue;
			for (size_t t = 0; t < m->n_targets; t++)
				counts[t][VERDICT(m, p, t)]++;
		}
		s->chart(s, fam, m, (const size_t (*)[V_COUNT])counts);
		free(counts);
	}
}

/* The cell of @test on target @u: its outcome there, and why when it did not pass. */
static void outcome_cell(struct row *r, size_t col, const struct req_test *list, size_t n,
			 const char *test)
{
	for (size_t k = 0; k < n; k++) {
		if (strcmp(list[k].test, test))
			continue;
		if (list[k].outcome == OUT_SKIP || list[k].outcome == OUT_MISSING)
			cellf(r, col, "%s: %s", outcome_name(list[k].outcome), list[k].reason);
		else
			cellf(r, col, "%s", outcome_name(list[k].outcome));
		return;
	}
	cellf(r, col, "-");
}

static bool listed_before(struct req_test *const *per, const size_t *cnt, size_t t,
			  const char *test)
{
	for (size_t u = 0; u < t; u++)
		for (size_t k = 0; k < cnt[u]; k++)
			if (!strcmp(per[u][k].test, test))
				return true;
	return false;
}

/* One requirement: its tests (of either kind, each once) and their outcome per target. */
static void req_tests_table(const struct model *m, struct sink *s, const struct req *rq,
			    const char *const *h, size_t cols)
{
	struct req_test *per[MAX_COLS];
	size_t cnt[MAX_COLS];

	for (size_t t = 0; t < m->n_targets; t++)
		cnt[t] = req_tests(m, rq, &m->targets[t], &per[t]);
	s->table(s, cols, h);
	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < cnt[t]; i++) {
			const char *test = per[t][i].test;
			struct row r;

			if (listed_before(per, cnt, t, test))
				continue;
			cellf(&r, 0, "%s", test);
			for (size_t u = 0; u < m->n_targets; u++)
				outcome_cell(&r, 1 + u, per[u], cnt[u], test);
			s->row(s, r.cell);
		}
	s->table_end(s);
	for (size_t t = 0; t < m->n_targets; t++)
		free(per[t]);
}

static void req_to_tests(const struct model *m, struct sink *s)
{
	static const char *const fixed[] = { "test" };
	const char *h[MAX_COLS];
	size_t n = head(m, h, fixed, 1);

	s->heading(s, 2, "Traceability: requirement to tests");
	for (size_t q = 0; q < m->n_reqs; q++) {
		const struct req *rq = &m->reqs[q];
		char title[600];

		snprintf(title, sizeof(title), "%s (%s)", rq->id, rq->cc);
		s->heading(s, 3, title);
		s->para(s, rq->text);
		if (req_mapped(m, rq->id))
			req_tests_table(m, s, rq, h, n);
		else
			s->para(s, "Not yet tested: no test is mapped to this requirement.");
	}
}

static void test_to_reqs(const struct model *m, struct sink *s)
{
	static const char *const fixed[] = { "test", "requirements" };
	const char **names, *ids[64], *h[MAX_COLS];
	size_t n = all_tests(m, &names), cols = head(m, h, fixed, 2);

	s->heading(s, 2, "Traceability: test to requirements");
	s->table(s, cols, h);
	for (size_t i = 0; i < n; i++) {
		size_t k = test_reqs(m, names[i], ids, 64), len = 0;
		struct row r;

		cellf(&r, 0, "%s", names[i]);
		r.buf[1][0] = '\0';
		for (size_t x = 0; x < k; x++)
			len += snprintf(r.buf[1] + len, sizeof(r.buf[1]) - len, "%s%s", x ? " " : "",
					ids[x]);
		r.cell[1] = r.buf[1];
		for (size_t t = 0; t < m->n_targets; t++) {
			const struct result *res = result_of(&m->targets[t], names[i]);

			cellf(&r, 2 + t, "%s", res ? outcome_name(res->outcome) : "-");
		}
		s->row(s, r.cell);
	}
	s->table_end(s);
	free(names);
}

static void skipped(const struct model *m, struct sink *s)
{
	static const char *const h[] = { "target", "test", "why" };

	s->heading(s, 2, "Skipped tests");
	s->table(s, 3, h);
	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < m->targets[t].n_results; i++) {
			const struct result *res = &m->targets[t].results[i];
			struct row r;

			if (res->outcome != OUT_SKIP)
				continue;
			cellf(&r, 0, "%s", m->targets[t].label);
			cellf(&r, 1, "%s", res->test);
			cellf(&r, 2, "%s", res->reason);
			s->row(s, r.cell);
		}
	s->table_end(s);
}

static void uncovered(const struct model *m, struct sink *s)
{
	static const char *const h[] = { "requirement", "CC components", "statement" };

	s->heading(s, 2, "Requirements not yet tested");
	s->table(s, 3, h);
	for (size_t q = 0; q < m->n_reqs; q++) {
		struct row r;

		if (req_mapped(m, m->reqs[q].id))
			continue;
		cellf(&r, 0, "%s", m->reqs[q].id);
		cellf(&r, 1, "%s", m->reqs[q].cc);
		cellf(&r, 2, "%s", m->reqs[q].text);
		s->row(s, r.cell);
	}
	s->table_end(s);
}

/* A list of the requirements @pick accepts, with their verdict per target. */
static void req_list(const struct model *m, char *buf, size_t len, group_pick pick,
		     const char *what)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t q = 0; q < m->n_reqs && used < len; q++)
		if (pick(&m->reqs[q], what))
			used += snprintf(buf + used, len - used, "%s%s", used ? " " : "",
					 m->reqs[q].id);
}

static void group_table(const struct model *m, struct sink *s, const char *title,
			const char *what, const struct group *g, size_t n, group_pick pick)
{
	const char *const h[] = { what, "title", "requirements" };

	s->heading(s, 2, title);
	s->table(s, 3, h);
	for (size_t c = 0; c < n; c++) {
		struct row r;

		cellf(&r, 0, "%s", g[c].id);
		cellf(&r, 1, "%s", g[c].title);
		req_list(m, r.buf[2], sizeof(r.buf[2]), pick, g[c].id);
		r.cell[2] = r.buf[2];
		s->row(s, r.cell);
	}
	s->table_end(s);
}

static void groupings(const struct model *m, struct sink *s)
{
	group_table(m, s, "Common Criteria components", "component", m->ccs, m->n_ccs,
		    req_supports);
	group_table(m, s, "Product categories", "category", m->cats, m->n_cats, req_in_category);
}

static void durations(const struct model *m, struct sink *s)
{
	static const char *const fixed[] = { "suite" };
	const char *h[MAX_COLS];
	size_t n = head(m, h, fixed, 1);

	s->heading(s, 2, "Suite durations (seconds; exit status when not 0)");
	s->table(s, n, h);
	for (size_t t = 0; t < m->n_targets; t++)
		for (size_t i = 0; i < m->targets[t].n_suites; i++) {
			const char *name = m->targets[t].suites[i].name;
			bool earlier = false;
			struct row r;

			for (size_t u = 0; u < t && !earlier; u++)
				for (size_t k = 0; k < m->targets[u].n_suites && !earlier; k++)
					earlier = !strcmp(m->targets[u].suites[k].name, name);
			if (earlier)
				continue;
			cellf(&r, 0, "%s", name);
			for (size_t u = 0; u < m->n_targets; u++) {
				const struct suite_run *sr = NULL;

				for (size_t k = 0; k < m->targets[u].n_suites && !sr; k++)
					if (!strcmp(m->targets[u].suites[k].name, name))
						sr = &m->targets[u].suites[k];
				if (!sr)
					cellf(&r, 1 + u, "-");
				else if (suite_cut_short(sr))
					cellf(&r, 1 + u, "cut short: exit %d, %ld of %ld reported",
					      sr->exit_status, sr->reported, sr->planned);
				else if (sr->seconds < 0)
					cellf(&r, 1 + u, "ran");
				else
					cellf(&r, 1 + u, "%ld", sr->seconds);
			}
			s->row(s, r.cell);
		}
	s->table_end(s);
}

static void environment(const struct model *m, struct sink *s)
{
	static const char *const h[] = { "section", "item", "value" };

	s->heading(s, 2, "Environment");
	s->table(s, 3, h);
	for (size_t e = 0; e < m->n_env; e++)
		s->row(s, (const char *const[]){ m->env[e].section, m->env[e].key, m->env[e].value });
	s->table_end(s);
}

void report_doc(const struct model *m, struct sink *s)
{
	s->begin(s, "bulkhead certification evidence");
	summary(m, s);
	matrix(m, s);
	charts(m, s);
	uncovered(m, s);
	req_to_tests(m, s);
	test_to_reqs(m, s);
	skipped(m, s);
	groupings(m, s);
	durations(m, s);
	environment(m, s);
	s->end(s);
}
