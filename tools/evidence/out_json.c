// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: report.json, the whole report as one document (the project's JSON
 * writer). Facts of this run alone are marked "run_specific" so that two runs of one commit
 * compare equal with those masked (tools/tests/evidence_test.c).
 */
#include <stdlib.h>

#include "evidence.h"
#include "json.h"

static void targets(const struct model *m, struct json *j)
{
	json_array_begin(j, "targets");
	for (size_t t = 0; t < m->n_targets; t++) {
		const struct target *tg = &m->targets[t];
		size_t c[4], v[V_COUNT] = { 0 };

		target_counts(tg, c);
		for (size_t r = 0; r < m->n_reqs; r++)
			v[VERDICT(m, r, t)]++;
		json_object_begin(j, NULL);
		json_string(j, "label", tg->label);
		json_string(j, "kind", tg->host ? "host" : "kernel");
		json_u64(j, "passed", c[OUT_PASS]);
		json_u64(j, "failed", c[OUT_FAIL]);
		json_u64(j, "skipped", c[OUT_SKIP]);
		json_object_begin(j, "requirements");
		for (int k = 0; k < V_COUNT; k++)
			json_u64(j, verdict_name(k), v[k]);
		json_object_end(j);
		json_array_begin(j, "suites");
		for (size_t s = 0; s < tg->n_suites; s++) {
			json_object_begin(j, NULL);
			json_string(j, "name", tg->suites[s].name);
			if (tg->suites[s].exit_status >= 0)
				json_u64(j, "exit_status", tg->suites[s].exit_status);
			if (tg->suites[s].seconds >= 0)
				json_u64(j, "seconds", tg->suites[s].seconds);
			json_bool(j, "cut_short", suite_cut_short(&tg->suites[s]));
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void requirements(const struct model *m, struct json *j)
{
	char fam[64];

	json_array_begin(j, "requirements");
	for (size_t r = 0; r < m->n_reqs; r++) {
		const struct req *rq = &m->reqs[r];

		json_object_begin(j, NULL);
		json_string(j, "id", rq->id);
		json_string(j, "family", req_family(rq, fam, sizeof(fam)));
		json_string(j, "statement", rq->text);
		json_string(j, "cc", rq->cc);
		json_string(j, "categories", rq->category);
		json_array_begin(j, "results");
		for (size_t t = 0; t < m->n_targets; t++) {
			struct req_test *list;
			size_t n = req_tests(m, rq, &m->targets[t], &list);

			json_object_begin(j, NULL);
			json_string(j, "target", m->targets[t].label);
			json_string(j, "verdict", verdict_name(VERDICT(m, r, t)));
			json_array_begin(j, "tests");
			for (size_t i = 0; i < n; i++) {
				json_object_begin(j, NULL);
				json_string(j, "test", list[i].test);
				json_string(j, "outcome", outcome_name(list[i].outcome));
				if (list[i].outcome != OUT_PASS && list[i].reason)
					json_string(j, "reason", list[i].reason);
				json_object_end(j);
			}
			json_array_end(j);
			json_object_end(j);
			free(list);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void tests(const struct model *m, struct json *j)
{
	const char **names, *ids[64];
	size_t n = all_tests(m, &names);

	json_array_begin(j, "tests");
	for (size_t i = 0; i < n; i++) {
		size_t k = test_reqs(m, names[i], ids, 64);

		json_object_begin(j, NULL);
		json_string(j, "test", names[i]);
		json_array_begin(j, "requirements");
		for (size_t x = 0; x < k; x++)
			json_string(j, NULL, ids[x]);
		json_array_end(j);
		json_array_begin(j, "results");
		for (size_t t = 0; t < m->n_targets; t++) {
			const struct result *res = result_of(&m->targets[t], names[i]);

			if (!res)
				continue;
			json_object_begin(j, NULL);
			json_string(j, "target", m->targets[t].label);
			json_string(j, "outcome", outcome_name(res->outcome));
			if (res->reason)
				json_string(j, "reason", res->reason);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	free(names);
}

/* Requirements per CC component or per product category. */
static void groups(const struct model *m, struct json *j, const char *key,
		   const struct group *g, size_t n, group_pick pick)
{
	json_array_begin(j, key);
	for (size_t c = 0; c < n; c++) {
		json_object_begin(j, NULL);
		json_string(j, "id", g[c].id);
		json_string(j, "title", g[c].title);
		json_array_begin(j, "requirements");
		for (size_t r = 0; r < m->n_reqs; r++)
			if (pick(&m->reqs[r], g[c].id))
				json_string(j, NULL, m->reqs[r].id);
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

int out_json(const struct model *m, FILE *f)
{
	struct json j;

	json_init(&j, f, JSON_PRETTY);
	json_object_begin(&j, NULL);
	json_string(&j, "report", "bulkhead certification evidence");
	json_string(&j, "generated_at", m->generated_at);
	json_string(&j, "catalogue", m->catalogue_path);
	json_string(&j, "map", m->map_path);
	targets(m, &j);
	requirements(m, &j);
	json_array_begin(&j, "uncovered");
	for (size_t r = 0; r < m->n_reqs; r++)
		if (!req_mapped(m, m->reqs[r].id))
			json_string(&j, NULL, m->reqs[r].id);
	json_array_end(&j);
	groups(m, &j, "cc_components", m->ccs, m->n_ccs, req_supports);
	groups(m, &j, "categories", m->cats, m->n_cats, req_in_category);
	tests(m, &j);
	json_array_begin(&j, "environment");
	for (size_t e = 0; e < m->n_env; e++) {
		json_object_begin(&j, NULL);
		json_string(&j, "section", m->env[e].section);
		json_string(&j, "key", m->env[e].key);
		json_string(&j, "value", m->env[e].value);
		json_bool(&j, "run_specific", m->env[e].run_specific);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
